"""The period a report covers: a month, whole or so far, as of a day in it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..models import year_problem

MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """What a report covers: from `start` (the 1st) to the end of `as_of`."""

    start: dt.date
    as_of: dt.date
    whole_month: bool

    @property
    def previous(self) -> dt.date:
        """The end of the month before: the date statuses are compared with."""
        return self.start - dt.timedelta(days=1)

    @property
    def month(self) -> str:
        """`2026-11`."""
        return f"{self.as_of:%Y-%m}"


def month_period(text: str, today: dt.date) -> Period:
    """`2026-11`, or `previous` (the month before today's), as of that month's last day."""
    if text == "previous":
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    else:
        found = MONTH_PATTERN.match(text)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month: use YYYY-MM, e.g. 2026-11, or 'previous'")
        problem = year_problem(text, int(found.group(1)))
        if problem:
            raise ValueError(problem)
        start = dt.date(int(found.group(1)), int(found.group(2)), 1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, following - dt.timedelta(days=1), True)


def day_period(as_of: dt.date) -> Period:
    """The month so far: from the 1st of `as_of`'s month to `as_of`."""
    following = (as_of.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return Period(as_of.replace(day=1), as_of, as_of == following - dt.timedelta(days=1))
