"""Pure content: the plain, frozen records every output is made from (the report, the site, the
boards, the owners' requests, CODEOWNERS), built from the data set and its scorecard."""
