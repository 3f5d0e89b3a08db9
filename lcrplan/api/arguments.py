"""Arguments a use case refuses: an id that names nothing, a date in the future, a file that must
not be written. The command line shows each as a usage error (exit 2) on its own option."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.periods import ReportPeriod
    from ..loader.load import Loaded


class BadArgument(ValueError):
    """An argument the use case cannot take: the message says why and what to give instead;
    `about` is the argument's name (`kpi_id`, `value`, `date`, `plan`, `output`...)."""

    def __init__(self, message: str, about: str) -> None:
        super().__init__(message)
        self.message, self.about = message, about


def check_known(loaded: Loaded, **filters: str | None) -> None:
    """`BadArgument` when a `plan`, `group` or `owner` given names no such id."""
    from ..core.problems import did_you_mean

    if all(value is None for value in filters.values()):
        return  # nothing to look up (most calls): no sets of every id built
    index = loaded.index
    known: dict[str, set[str]] = {
        "plan": set(index.plans),
        "group": set(index.groups),
        "owner": set(index.owners),
    }
    for name, value in filters.items():
        if value is not None and value not in known[name]:
            hint = did_you_mean(value, known[name]) or "known: " + ", ".join(sorted(known[name]))
            raise BadArgument(f"unknown {name} '{value}' ({hint})", name)


def past_date(day: dt.date | None, today: dt.date) -> dt.date:
    """`day` (default `today`), refused when it is in the future."""
    when = day or today
    if when > today:
        raise BadArgument(
            f"{when} is in the future (today is {today}): record what has happened", "date"
        )
    return when


def report_period(
    month: str | None = None, as_of: dt.date | None = None, today: dt.date | None = None
) -> ReportPeriod:
    """What a report covers: a month (`2026-11`, or `previous`: the month before `today`'s)
    as of its last day, or the month so far as of `as_of`."""
    from ..core.periods import day_period, month_period

    if month is not None and as_of is not None:
        raise BadArgument("give --month or --as-of, not both", "month")
    if month is None:
        if as_of is None:
            raise BadArgument("give the month or the day the report is as of", "as_of")
        return day_period(as_of)
    if month == "previous" and today is None:
        raise BadArgument("the previous month needs today's date", "today")
    try:
        return month_period(month, today or dt.date.min)
    except ValueError as exc:
        raise BadArgument(str(exc), "month") from None


def output_file(output: str | Path, month: str, root: Path, about: str = "output") -> Path:
    """The file to write a report (or a form) to, refused where writing it could harm another
    file: a link (or a folder or device) itself, a link in a folder on the way (inside the
    working directory), or a place inside the data folder `root`. `{month}` in the name
    becomes `month`."""
    from ..source import fileio

    text = str(output)
    if not text.strip():
        raise BadArgument("give a file name, e.g. reports/{month}.md", about)
    path = Path(text.replace("{month}", month))
    check_folder(path.parent, about)
    try:
        fileio.check_target(path)
    except fileio.UnsafePath as exc:
        raise BadArgument(f"{exc}: name another file, e.g. reports/{{month}}.md", about) from None
    if path.resolve().is_relative_to(root.resolve()):
        raise BadArgument(
            f"'{path}' is inside the data directory {root}: a report never goes "
            "there (it could overwrite a data file); write it elsewhere, e.g. reports/",
            about,
        )
    return path


def check_folder(folder: Path, about: str) -> None:
    """`BadArgument` when writing into `folder` would go through a symbolic link inside the
    working directory (`fileio.check_folders`)."""
    from ..source.fileio import UnsafePath, check_folders

    try:
        check_folders(folder, Path.cwd())
    except UnsafePath as exc:
        raise BadArgument(str(exc), about) from None
