"""Where a numeric KPI is heading: the day its target is reached at the pace it has kept, and
the pace it needs from now on.

Pure arithmetic on dates and numbers: no clock (the as-of date is a parameter), no files. The
pace is the one `evaluate` judged the status by (from the baseline to the latest reading), so
"managing 5 a month" in a reason and "at this pace: March 2031" beside it say the same thing.
A forecast needs readings on two dates at least: from one reading and an assumed baseline it
would be a guess.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..core.formatting import about
from .cadence import span_words

DAYS_PER_MONTH = 365.25 / 12
LAST_DAY = dt.date.max.toordinal()


@dataclass(frozen=True, slots=True)
class Forecast:
    """A numeric KPI's course at its current pace. Rates are per month, or % a year when
    judged by compound growth (`compound`), signed (a fall is negative)."""

    since: dt.date
    """Where the pace is measured from: the baseline the status was judged from."""
    latest: dt.date
    """The latest reading, where the projection starts."""
    latest_value: float
    rate: float
    """The pace kept from `since` to `latest`."""
    reaches: dt.date | None
    """The day the target is reached at this pace (`latest` when it already is); None when it
    never is at this pace (no change, moving away, or later than any date can say)."""
    due: dt.date | None
    late_days: int | None
    """`reaches` minus `due`: positive when late, negative when early; None without both."""
    needed: float | None
    """The pace needed from the as-of date to reach the target by `due`; None once due."""
    needed_at_start: float | None
    """The pace the target needed from `since` to `due` ("was 10")."""
    at_due: float | None
    """The value at `due` at this pace (where the projection line ends)."""
    compound: bool = False

    @property
    def late(self) -> bool:
        return self.late_days is not None and self.late_days > 0


def forecast(
    since: tuple[dt.date, float],
    latest: tuple[dt.date, float],
    goal: float,
    due: dt.date | None,
    as_of: dt.date,
    increase: bool = True,
    compound: bool = False,
) -> Forecast | None:
    """The course from `since` (date, value) through `latest` (date, value) towards `goal`,
    due on `due`, seen at `as_of`; None when the two dates are one (no pace to project)."""
    (d0, v0), (d1, v1) = since, latest
    days = (d1 - d0).days
    if days <= 0:
        return None
    compound = compound and v0 > 0 and v1 > 0 and goal > 0
    sign = 1 if increase else -1
    if compound:
        log_rate = (math.log(v1) - math.log(v0)) / days  # per day
        rate = _growth(log_rate * 365.25)
        reaches = _reached(d1, v1, goal, sign, math.log(goal) - math.log(v1), log_rate)
        at_due = _compound_at(v1, log_rate, (due - d1).days) if due else None
    else:
        per_day = _slope(v0, v1, days)
        rate = per_day * DAYS_PER_MONTH
        reaches = _reached(d1, v1, goal, sign, _difference(goal, v1), per_day)
        at_due = _linear_at(v1, per_day, (due - d1).days) if due else None
    late = (reaches - due).days if reaches and due else None
    return Forecast(
        since=d0,
        latest=d1,
        latest_value=v1,
        rate=rate,
        reaches=reaches,
        due=due,
        late_days=late,
        needed=_needed(v1, goal, as_of, due, compound) if due and due > as_of else None,
        needed_at_start=_needed(v0, goal, d0, due, compound) if due and due > d0 else None,
        at_due=at_due,
        compound=compound,
    )


def _difference(a: float, b: float) -> float:
    """a - b, finite where the difference of two finite floats overflows (halves, doubled)."""
    gap = a - b
    return gap if math.isfinite(gap) else 2 * (a / 2 - b / 2)


def _slope(v0: float, v1: float, days: int) -> float:
    gap = v1 - v0
    return gap / days if math.isfinite(gap) else (v1 / 2 - v0 / 2) / days * 2


def _reached(
    latest: dt.date, value: float, goal: float, sign: int, gap: float, per_day: float
) -> dt.date | None:
    """The day `gap` (what is left, in value or log units) closes at `per_day`."""
    if sign * gap <= 0:
        return latest  # met already (or overshot)
    if sign * per_day <= 0 or not math.isfinite(gap / per_day):
        return None
    days = math.ceil(gap / per_day - 1e-9)
    if days > LAST_DAY - latest.toordinal():
        return None
    return latest + dt.timedelta(days=days)


def _linear_at(value: float, per_day: float, days: int) -> float | None:
    found = value + per_day * days
    return found if math.isfinite(found) else None


def _compound_at(value: float, log_rate: float, days: int) -> float | None:
    exponent = log_rate * days
    if exponent > 700:
        return None
    found = value * math.exp(exponent)
    return found if math.isfinite(found) else None


def _needed(
    value: float, goal: float, start: dt.date, due: dt.date, compound: bool
) -> float | None:
    """The pace from `value` on `start` to `goal` on `due`: per month, or % a year."""
    days = (due - start).days
    if compound:
        if value <= 0 or goal <= 0:
            return None
        return _growth((math.log(goal) - math.log(value)) / days * 365.25)
    found = _difference(goal, value) / days * DAYS_PER_MONTH
    return found if math.isfinite(found) else None


def _growth(log_rate_a_year: float) -> float:
    """Annual growth in % from a log rate a year; infinite where a float cannot hold it."""
    return math.expm1(log_rate_a_year) * 100 if log_rate_a_year < 700 else math.inf


# --- words --------------------------------------------------------------------------------------


def month_words(day: dt.date) -> str:
    """`March 2031`."""
    return f"{day:%B} {day.year}"


def course_words(found: Forecast) -> str:
    """Where it is heading, as a clause: "at this pace: March 2031, 2 years 3 months late"."""
    if found.reaches is None:
        if found.rate == 0:
            return "at this pace: never (no change)"
        return "at this pace: never (moving away from the target)"
    if found.reaches <= found.latest:
        return "target reached"
    when = month_words(found.reaches)
    if found.due is None or found.late_days is None:
        return f"at this pace: {when}"
    if found.late_days > 0:
        return f"at this pace: {when}, {span_words(found.due, found.reaches)} late"
    if found.late_days < 0:
        return f"at this pace: {when}, {span_words(found.reaches, found.due)} early"
    return f"at this pace: {when}, on the day"


def needed_words(found: Forecast) -> str:
    """The pace needed from now: "needs 15 a month from here, was 10"; "" once due."""
    if found.needed is None:
        return ""
    per = "% a year" if found.compound else " a month"
    fall = found.needed < 0
    now, _ = about(abs(found.needed))
    text = f"needs {'a fall of ' if fall else ''}{now}{per} from here"
    if found.needed_at_start is not None:
        was, _ = about(abs(found.needed_at_start))
        if was != now:
            text += f", was {was}"
    return text


def forecast_words(found: Forecast) -> str:
    """Both, as one clause: "at this pace: March 2031, 2 years 3 months late; needs 15 a month
    from here, was 10"."""
    course = course_words(found)
    if course == "target reached":
        return course
    need = needed_words(found)
    return f"{course}; {need}" if need else course
