"""Reading a data folder: load it, with every problem placed, and what it says at a date."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .arguments import BadArgument, check_known

if TYPE_CHECKING:
    from ..evaluate.scorecard import Scorecard
    from ..evaluate.summary import Summary
    from ..loader.load import Loaded

WarningsKept = Literal["none", "located", "summary"]
"""Which data-quality warnings `load` keeps: none (errors only), every one at its line
(`located`), or every one, placed while they are in few files (`summary`, as the report does)."""


def load(
    folder: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    cache: bool = False,
    warnings: WarningsKept = "located",
) -> Loaded:
    """The data folder read and checked: its data set, where each item is defined, and every
    problem found (`.problems`; `.errors` are those that leave data unusable), never raised.

    `today` is the day the data is checked against, as the command line checks it: a reading,
    completion or update dated after it is an error, a suppression whose `until` is before it
    has expired. Without it (None) neither is judged; nothing here reads the clock. `cache`:
    read and write the folder's `.lcrplan-cache/` (as the command line does; it needs `today`,
    since the cache remembers what passed the checks); without it nothing is written."""
    from ..loader.load import Warnings
    from ..loader.load import load as load_folder

    if cache and today is None:
        raise BadArgument("a cache remembers what passed the checks at a date: give today", "today")

    return load_folder(Path(folder), today, cache, Warnings(warnings))


def statuses(
    loaded: Loaded,
    *,
    as_of: dt.date,
    plan: str | None = None,
    group: str | None = None,
    owner: str | None = None,
    status: Collection[str] = (),
) -> Scorecard:
    """Every goal and KPI judged at `as_of` (`.items`: status, progress, flags, reason),
    narrowed to a plan, a sub-group, an owner or some statuses (`on-track`...) if given."""
    from ..evaluate.scorecard import evaluate, select

    check_known(loaded, plan=plan, group=group, owner=owner)
    return select(evaluate(loaded.data, as_of, loaded.index), plan, group, owner, status)


def summary(
    loaded: Loaded, *, as_of: dt.date, plan: str | None = None, group: str | None = None
) -> Summary:
    """The counts every command and format gives at `as_of`: items by status, what needs
    attention, what is overdue, due soon or stale."""
    from ..evaluate.summary import summarize

    return summarize(statuses(loaded, as_of=as_of, plan=plan, group=group), loaded.data.config)
