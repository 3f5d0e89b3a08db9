"""Periods of time: a named reporting period (`Period`: a month, a financial year, its quarter
or half, or two financial years; `parse_period`, `period_of`) and what a report covers
(`ReportPeriod`: a month, whole or so far, as of a day in it)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .model_base import year_problem
from .vocabulary import Frequency

MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
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


def month_period(text: str, today: dt.date) -> ReportPeriod:
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
    return ReportPeriod(start, following - dt.timedelta(days=1), True)


def day_period(as_of: dt.date) -> ReportPeriod:
    """The month so far: from the 1st of `as_of`'s month to `as_of`."""
    following = (as_of.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return ReportPeriod(as_of.replace(day=1), as_of, as_of == following - dt.timedelta(days=1))


FY_FIRST_MONTH = 4
"""The financial year starts in April."""

_PERIOD = re.compile(r"^(?:FY)?([0-9]{4})-([0-9]{2})(?: ([QH])([1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A named stretch of days: `2026-11`, `2026-27`, `2026-27 Q3`, `2026-27 H1`, `2026-28`."""

    label: str
    start: dt.date
    end: dt.date
    """The last day, included."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """The period `text` names; ValueError with what to write instead.

    A two-digit part of 12 or less is a month (`2026-11`); a financial year writes the next
    year's last two digits (`2026-27`), or two years on for two years (`2026-28`). The few
    financial years that would read as a month (`2011-12`) are written `FY2011-12`.
    """
    found = _PERIOD.match(text.strip())
    if not found:
        raise ValueError(_PERIOD_HELP.format(text=text))
    year, tail, part, number = int(found[1]), int(found[2]), found[3], found[4]
    is_month = not text.strip().startswith("FY") and part is None and 1 <= tail <= 12
    if is_month:
        return month(year, tail)
    span = (tail - year % 100) % 100
    if span not in (1, 2) or (span == 2 and part is not None):
        raise ValueError(_PERIOD_HELP.format(text=text))
    years = financial_year(year).start, financial_year(year + span - 1).end
    if part is None:
        return Period(_fy_label(year, span), *years)
    size = 3 if part == "Q" else 6
    if part == "H" and int(number) > 2:
        raise ValueError(_PERIOD_HELP.format(text=text))
    first = add_months(years[0], size * (int(number) - 1))
    return Period(f"{_fy_label(year, 1)} {part}{number}", first, _before(add_months(first, size)))


_PERIOD_HELP = (
    "'{text}' is not a period: write a month (2026-11), a financial year (2026-27), its "
    "quarter (2026-27 Q3) or half (2026-27 H1), or two financial years (2026-28)"
)


def _fy_label(year: int, span: int) -> str:
    text = f"{year}-{(year + span) % 100:02d}"
    return f"FY{text}" if span == 1 and 1 <= (year + 1) % 100 <= 12 else text


def _before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def month(year: int, number: int) -> Period:
    """The calendar month, labelled `2026-11`."""
    last = calendar.monthrange(year, number)[1]
    return Period(f"{year}-{number:02d}", dt.date(year, number, 1), dt.date(year, number, last))


def financial_year(year: int) -> Period:
    """The financial year starting on 1 April of `year`."""
    start = dt.date(year, FY_FIRST_MONTH, 1)
    return Period(_fy_label(year, 1), start, _before(add_months(start, 12)))


def fy_start_year(day: dt.date) -> int:
    """The year whose April starts the financial year holding `day`."""
    return day.year if day.month >= FY_FIRST_MONTH else day.year - 1


def period_of(day: dt.date, frequency: Frequency | None) -> Period:
    """The reporting period of `frequency` holding `day`: a month without a frequency (or for
    monthly), else a financial-year quarter, half, year or pair of years."""
    if frequency is None or frequency in (Frequency.monthly, Frequency.once):
        return month(day.year, day.month)
    year = fy_start_year(day)
    if frequency is Frequency.annual:
        return financial_year(year)
    if frequency is Frequency.biennial:
        first = year - (year % 2)  # pairs start on even years: 2026-28
        return parse_period(f"{first}-{(first + 2) % 100:02d}")
    size = frequency.months
    number = ((day.month - FY_FIRST_MONTH) % 12) // size + 1
    return parse_period(f"{_fy_label(year, 1)} {'Q' if size == 3 else 'H'}{number}")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a month's last day stays a last day (30 September + 3
    months is 31 December), and a day past the end of a shorter month becomes its last."""
    index = day.year * 12 + day.month - 1 + months
    year, number = divmod(index, 12)
    last = _days_in(year, number + 1)
    at_end = day.day == _days_in(day.year, day.month)
    return dt.date(year, number + 1, last if at_end else min(day.day, last))


_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    """`calendar.monthrange(year, month)[1]`, without working out the weekday."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS[month]
