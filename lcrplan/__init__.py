"""lcrplan: a command-line KPI tracker over plain YAML files for the Liverpool City Region plans,
and the library under it.

    import datetime as dt
    import lcrplan

    loaded = lcrplan.load("data", today=dt.date(2026, 11, 30))   # writes nothing into data/
    card = lcrplan.statuses(loaded, as_of=dt.date(2026, 11, 30))
    print(lcrplan.summary(loaded, as_of=dt.date(2026, 11, 30)).counts)

Every function takes its dates as arguments (`today`, `as_of`): none reads the clock. A use case
that cannot go on raises `LcrplanError` (its `.problems`, each with its place) or `BadArgument`.
README, "Using lcrplan from Python", shows the rest.

The names below are found on first use (PEP 562), so `import lcrplan` (and the command line's
start-up) imports none of the libraries behind them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .core.version import __version__

_HOMES = {
    # reading a data folder
    "load": "api.reading",
    "statuses": "api.reading",
    "summary": "api.reading",
    # the report and the site
    "report_period": "api.arguments",
    "report": "api.publishing",
    "write_report": "api.publishing",
    "site": "api.publishing",
    "write_site": "api.publishing",
    # recording progress
    "record": "api.editing",
    "done": "api.editing",
    "set_state": "api.editing",
    "update": "api.editing",
    # the monthly cycle
    "period": "api.cycle",
    "requests": "api.cycle",
    "letter": "api.cycle",
    "calendar": "api.cycle",
    "import_returns": "api.cycle",
    # what goes wrong
    "LcrplanError": "core.problems",
    "Problem": "core.problems",
    "BadArgument": "api.arguments",
}

__all__ = [
    "__version__",
    "load",
    "statuses",
    "summary",
    "report_period",
    "report",
    "write_report",
    "site",
    "write_site",
    "record",
    "done",
    "set_state",
    "update",
    "period",
    "requests",
    "letter",
    "calendar",
    "import_returns",
    "LcrplanError",
    "Problem",
    "BadArgument",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'lcrplan' has no attribute '{name}'")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # found once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:
    from .api.arguments import BadArgument, report_period
    from .api.cycle import calendar, import_returns, letter, period, requests
    from .api.editing import done, record, set_state, update
    from .api.publishing import report, site, write_report, write_site
    from .api.reading import load, statuses, summary
    from .core.problems import LcrplanError, Problem
