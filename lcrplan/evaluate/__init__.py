"""A data set judged at a date, purely: each goal's and KPI's status, progress, flags and reason
(`scorecard`, with the judges), reporting periods and what is due (`cadence`), what needs
attention and why (`attention`), where a KPI is heading (`forecast`), owners' updates
(`updates`), the counts every output gives (`summary`), and what changed between two
revisions (`diff`) or in git's history of a KPI's goalposts (`history`)."""
