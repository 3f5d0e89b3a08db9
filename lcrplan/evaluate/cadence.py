"""Reporting rhythm: periods (months and financial-year quarters, halves and years), when a
reading or an update falls due, and the trajectory a KPI's interim targets draw.

Pure functions of dates and values: no clock, no files. The financial year runs from April to
March (`2026-27` is 1 April 2026 to 31 March 2027), as councils and the Combined Authority set
their targets.

The rules, in one place:
- An item's frequency is its own, else its plan's; with none, `stale_days` in lcrplan.yaml
  stands in for one period, as before frequencies existed.
- A reading (or an owner's update) is due one period after the last one (a quarterly KPI read
  on 30 September is due again on 31 December), or one period after the item starts when there
  is none yet. It is stale once that day has passed: a reading older than its period.
- With interim targets, pace is judged against the line from the baseline through each interim
  target to the end target, and an interim target whose day has passed unmet makes the KPI off
  track, whatever the line to the end target would say.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.cycle_models import FrequencySpec
from ..core.formatting import format_number, quantity
from ..core.models import NumericKpi, Plan, Range
from ..core.periods import add_months, financial_year, fy_start_year
from ..core.settings import Thresholds
from ..core.statuses import Status, label
from ..core.vocabulary import Frequency


def frequency_of(own: Frequency | FrequencySpec | None, plan: Plan | None) -> Frequency | None:
    """An item's frequency: its own, else its plan's, else None (`stale_days` applies)."""
    for spec in (own, plan.frequency if plan else None):
        if isinstance(spec, FrequencySpec):
            return spec.every
        if spec is not None:
            return spec
    return None


def next_due(last: dt.date, frequency: Frequency | None, stale_days: int) -> dt.date:
    """The day the next reading (or update) is due, one period after `last` (`once`: the
    caller asks `Frequency.repeats` first; here it counts as `stale_days`)."""
    if frequency is None or not frequency.repeats:
        return last + dt.timedelta(days=stale_days)
    return add_months(last, frequency.months)


def is_stale(last: dt.date, as_of: dt.date, frequency: Frequency | None, stale_days: int) -> bool:
    """A reading or update older than its period: the next was due before `as_of`."""
    return as_of > next_due(last, frequency, stale_days)


def missed(
    due: dt.date, as_of: dt.date, frequency: Frequency | None, stale_days: int, limit: int = 1000
) -> int:
    """How many readings due on `due` and every period after it have fallen due by `as_of`
    (0 when `due` is still ahead): "2 readings missed"."""
    count = 0
    while due < as_of and count < limit:
        count += 1
        due = next_due(due, frequency, stale_days)
    return count


def rhythm_words(frequency: Frequency | None, stale_days: int) -> str:
    """ "reported half-yearly"; with no frequency, "reported every 92 days" (`stale_days`)."""
    return frequency.words if frequency else f"reported every {stale_days} days"


def span_words(start: dt.date, end: dt.date) -> str:
    """A stretch of time as a person says it: "12 days", "7 months", "2 years 3 months"."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    if months < 1:
        days = (end - start).days
        return f"{days} day{'s' * (days != 1)}"
    years, months = divmod(months, 12)
    parts = [f"{years} year{'s' * (years != 1)}"] if years else []
    parts += [f"{months} month{'s' * (months != 1)}"] if months else []
    return " ".join(parts)


@dataclass(frozen=True)
class DatedTarget:
    """A value due on a day: an interim target, or the end target on the due date."""

    date: dt.date
    value: float
    text: str
    """As shown: "60 people" or the document's own words."""
    final: bool

    def as_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "value": self.value, "text": self.text}


def end_value(kpi: NumericKpi) -> float:
    """The value that counts as met: a range is met at its near end."""
    if isinstance(kpi.target, Range):
        return kpi.target.low if kpi.direction == "increase" else kpi.target.high
    return kpi.target


def targets(kpi: NumericKpi, due: dt.date | None) -> list[DatedTarget]:
    """The KPI's interim targets and its end target (when it has a due date), by date."""
    unit = kpi.unit
    found = [
        DatedTarget(t.date, t.value, t.text or f"{format_number(t.value)} {unit}", False)
        for t in sorted(kpi.interim_targets, key=lambda t: t.date)
    ]
    if due is not None:
        worded = kpi.target_text
        bare = worded is None or re.fullmatch(r"[\d,.\s–-]+", worded) is not None
        text = _value_text(kpi) if bare else str(worded)
        found.append(DatedTarget(due, end_value(kpi), text, True))
    return found


def _value_text(kpi: NumericKpi) -> str:
    if isinstance(kpi.target, Range):
        return f"{format_number(kpi.target.low)}-{format_number(kpi.target.high)} {kpi.unit}"
    return f"{format_number(kpi.target)} {kpi.unit}"


def year_target(kpi: NumericKpi, due: dt.date | None, as_of: dt.date) -> DatedTarget | None:
    """This financial year's target: the first target dated in the year holding `as_of` that
    is still ahead, else the year's last one; None when none is dated in the year."""
    year = financial_year(fy_start_year(as_of))
    mine = [t for t in targets(kpi, due) if t.date in year]
    ahead = [t for t in mine if t.date >= as_of]
    return ahead[0] if ahead else (mine[-1] if mine else None)


def required(
    points: Sequence[tuple[dt.date, float]], when: dt.date, compound: bool = False
) -> float:
    """The value the trajectory through `points` (date order) asks for on `when`: straight
    lines between them, or compound growth (`compound`) where both ends are positive."""
    if when <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if when <= d1:
            share = (when - d0).days / max((d1 - d0).days, 1)
            if compound and v0 > 0 and v1 > 0:
                return v0 * math.exp(math.log(v1 / v0) * share)
            return v0 + (v1 - v0) * share
    return points[-1][1]


def pace_status(ratio: float, thresholds: Thresholds) -> Status:
    """On track, at risk or off track for a pace ratio (achieved / required)."""
    if ratio >= thresholds.on_track:
        return Status.on_track
    return Status.at_risk if ratio >= thresholds.at_risk else Status.off_track


@dataclass(frozen=True)
class TrajectoryStatus:
    """What the trajectory says of a KPI: its status and why."""

    status: Status
    reason: str


def judge_trajectory(
    kpi: NumericKpi,
    base: tuple[dt.date, float],
    latest: tuple[dt.date, float],
    due: dt.date,
    as_of: dt.date,
    thresholds: Thresholds,
    note: str = "",
) -> TrajectoryStatus:
    """Pace against the line through the interim targets; off track once one is missed.

    `base` is where progress starts and `latest` the last reading (both (date, value));
    the KPI is neither done nor past its due date (the caller has judged those). `note`
    follows the value where the baseline was not given (which one was used).
    """
    sign = 1 if kpi.direction == "increase" else -1
    when, value = latest
    now = quantity(value, kpi.unit)
    dated = targets(kpi, due)
    for target in reversed(dated):
        if target.date < as_of and sign * (value - target.value) < 0:
            return TrajectoryStatus(
                Status.off_track,
                f"{now} on {when}{note}, short of the interim target of "
                f"{format_number(target.value)} by {target.date}: off track",
            )
    points = [base, *((t.date, t.value) for t in dated)]
    wanted = required(points, when, compound=kpi.method == "cagr")
    gap = wanted - base[1]
    ratio = 1.0 if sign * gap <= 0 else (value - base[1]) / gap
    status = pace_status(ratio, thresholds)
    nxt = next((t for t in dated if t.date >= when), dated[-1])
    kind = "the target" if nxt.final else "the interim target"
    goal = format_number(nxt.value)
    asks = (
        f"{kind} of {goal} is due that day"
        if nxt.date == when
        else f"the line to {goal} by {nxt.date} asks for {format_number(round(wanted, 2))} on "
        "that day"
    )
    reason = f"{now} on {when}{note}; {asks}: {label(status).lower()}"
    return TrajectoryStatus(status, reason)
