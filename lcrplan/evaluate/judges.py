"""The judges: pure functions from a KPI's readings at a date to its status and why (a milestone
by its due date, a number by its progress and pace from its baseline, an indicator by its
direction, an ongoing commitment by being reported), and the baseline each is measured from.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.formatting import format_number, pace_words, quantity
from ..core.models import (
    AnyKpi,
    IndicatorKpi,
    KpiBase,
    Measurement,
    MilestoneKpi,
    NumericKpi,
    Range,
)
from ..core.settings import Thresholds
from ..core.statuses import Status, label
from . import cadence

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True, slots=True)
class Basis:
    """What a numeric KPI is judged against: the baseline its progress starts from
    (`baseline_of`) and, where pace was judged, the rates compared, per month (or % a year
    when compound). Charts draw the trajectory from it."""

    base_date: dt.date | None
    base_value: float
    needed: float | None = None
    achieved: float | None = None
    compound: bool = False


@dataclass(slots=True)
class Verdict:
    """What a judge says of one item: its status, why, and how far it has come (0 to 1).
    Read-only by convention, not frozen (as `ItemStatus`): one is made for every item."""

    status: Status
    reason: str
    progress: float | None = None
    basis: Basis | None = field(default=None, compare=False)
    """A numeric KPI's baseline and rates (the same verdict whatever they are)."""


def measurements_until(kpi: AnyKpi, as_of: dt.date) -> list[Measurement]:
    """Measurements up to as-of, oldest first (files keep them in order; sort only if not)."""
    kept = kpi.measurements
    if not kept:
        return []
    dates = [x.date for x in kept]
    in_order = all(map(operator.le, dates, dates[1:]))
    if not in_order or dates[-1] > as_of:
        kept = [x for x in kept if x.date <= as_of]
        if not in_order:
            kept.sort(key=lambda x: x.date)
    return list(kept)


def readings_until(kpi: AnyKpi, as_of: dt.date) -> list[Measurement]:
    """`measurements_until`, one per date: the last entry for each (a revision replaces the
    figure it revises), oldest first."""
    kept = measurements_until(kpi, as_of)
    if len({x.date for x in kept}) == len(kept):
        return kept
    by_date: dict[dt.date, Measurement] = {}
    for x in kept:
        by_date[x.date] = x
    return list(by_date.values())


def target_text(kpi: KpiBase) -> str | None:
    """The target as shown in tables: "1,000 people", "5-10 people", "milestone"."""
    if isinstance(kpi, NumericKpi):
        if isinstance(kpi.target, Range):
            value = f"{format_number(kpi.target.low)}-{format_number(kpi.target.high)}"
        else:
            value = format_number(kpi.target)
        return f"{value} {kpi.unit}"
    if isinstance(kpi, MilestoneKpi):
        return "done"
    if isinstance(kpi, IndicatorKpi):
        return "higher is better" if kpi.direction == "increase" else "lower is better"
    return None


def judge_milestone(kpi: MilestoneKpi, as_of: dt.date, due: dt.date | None) -> Verdict:
    """Done when done on or before as-of; overdue after its due date; otherwise open."""
    if kpi.done and kpi.done.date <= as_of:
        return Verdict(Status.done, f"done on {kpi.done.date}", 1.0)
    if due and as_of > due:
        late = cadence.span_words(due, as_of)
        return Verdict(Status.overdue, f"due on {due} and not done: {late} late", 0.0)
    if due:
        left = (due - as_of).days
        return Verdict(Status.open, f"not done yet; due on {due}, in {_days(left)}", 0.0)
    return Verdict(Status.open, "not done yet; no due date", 0.0)


def _days(count: int) -> str:
    return f"{count} day{'s' * (count != 1)}"


def judge_numeric(
    kpi: NumericKpi,
    history: Sequence[Measurement],
    as_of: dt.date,
    due: dt.date | None,
    start: dt.date | None,
    thresholds: Thresholds,
) -> Verdict:
    """Judge by pace: the rate achieved since the baseline over the rate the target needs.
    The reason is one sentence with the unit once: "240 people so far; needs about 10 a month
    to reach 1,000 by 2026-11-30, managing 5 a month: off track"."""
    sign = 1 if kpi.direction == "increase" else -1
    goal_value = kpi.met_at
    if not history:
        known = given_baseline(kpi, start)
        basis = Basis(known.date, known.value) if known else None
        if due and as_of > due:
            late = cadence.span_words(due, as_of)
            reason = f"due on {due} and no reading has been recorded: {late} late"
            return Verdict(Status.overdue, reason, None, basis)
        return Verdict(Status.not_reported, "no reading yet", None, basis)
    last = history[-1]
    value = last.value if last.value is not None else 0.0
    base = baseline_of(kpi, history, start)
    basis = Basis(base.date, base.value)
    progress = _progress(base.value, value, goal_value)
    now = quantity(value, kpi.unit)
    goal = _goal_words(kpi)
    if kpi.meets(value):
        reason = f"{now} on {last.date}: the target of {goal} is met"
        return Verdict(Status.done, reason, 1.0, basis)
    if due and as_of > due:
        reason = f"due on {due} and not met: {now}{base.note}, {progress:.0%} of the way to {goal}"
        return Verdict(Status.overdue, reason, progress, basis)
    if last.date <= base.date:
        reason = f"{now} on {last.date}; {base.pending}"
        return Verdict(Status.baseline_only, reason, progress, basis)
    if due is None:
        moving = sign * (value - base.value) > 0
        status = Status.on_track if moving else Status.off_track
        way = "up" if value > base.value else "down" if value < base.value else "unchanged"
        since = f" from {format_number(base.value)}" if way != "unchanged" else ""
        reason = (
            f"{now} so far{base.note}, {way}{since}; with no due date it is judged by "
            f"direction only: {label(status).lower()}"
        )
        return Verdict(status, reason, progress, basis)
    if kpi.interim_targets:
        judged = cadence.judge_trajectory(
            kpi, (base.date, base.value), (last.date, value), due, as_of, thresholds, base.note
        )
        return Verdict(judged.status, judged.reason, progress, basis)
    ratio, needed, achieved = _pace(kpi, base.value, base.date, value, last.date, goal_value, due)
    status = cadence.pace_status(ratio, thresholds)
    compound = _compound(kpi, base.value, value, goal_value)
    needs, doing = pace_words(needed, achieved, kpi.direction == "increase", compound)
    reason = (
        f"{now} so far{base.note}; {needs} to reach {goal} by {due}, {doing}: "
        f"{label(status).lower()}"
    )
    rates = Basis(base.date, base.value, needed, achieved, compound)
    return Verdict(status, reason, progress, rates)


def _goal_words(kpi: NumericKpi) -> str:
    """The target's number(s) without the unit (the reason has given it once already)."""
    if isinstance(kpi.target, Range):
        return f"{format_number(kpi.target.low)}-{format_number(kpi.target.high)}"
    return format_number(kpi.target)


@dataclass(frozen=True)
class Base:
    """Where a numeric KPI's progress is measured from, and how the reason says so."""

    value: float
    date: dt.date
    pending: str
    """Why there is no pace yet: "and no reading after the baseline (2 on 2020-03-01) yet"."""
    note: str = ""
    """Put after the value a reason gives when no baseline was given: which one was used
    instead (" (from 0 on 2025-01-01, assumed: none given)")."""


def baseline_of(kpi: NumericKpi, history: Sequence[Measurement], start: dt.date | None) -> Base:
    """The KPI's `baseline`; without one, 0 at the start date, unless 0 would already meet the
    target (a decrease to 0, net zero) or there is no start date: then the first reading."""
    known = given_baseline(kpi, start)
    if known is not None:
        return known
    first = history[0]
    value = first.value if first.value is not None else 0.0
    why = "no start date" if start is None else "0 would already meet the target"
    shown = f"{format_number(value)} on {first.date}"
    return Base(
        value,
        first.date,
        f"the first reading is the baseline (none given; {why}), and there is no later one yet",
        f" (from the first reading, {shown}: no baseline given; {why})",
    )


def given_baseline(kpi: NumericKpi, start: dt.date | None) -> Base | None:
    """`baseline_of` before any reading: the KPI's `baseline`, or 0 at its start date; None
    when the first reading will be the baseline."""
    if kpi.baseline is not None:
        value, day = kpi.baseline.value, kpi.baseline.date
        shown = f"{format_number(value)} on {day}"
        return Base(value, day, f"no reading after the baseline ({shown}) yet")
    if start is not None and not kpi.meets(0.0):
        note = f" (from 0 on {start}, assumed: no baseline given)"
        return Base(0.0, start, f"no reading after the baseline (0 on {start}, assumed) yet", note)
    return None


def _progress(base: float, value: float, goal: float) -> float:
    if goal == base:
        return 1.0
    return min(1.0, max(0.0, _share(base, value, goal)))


def _share(base: float, value: float, goal: float) -> float:
    """(value - base) / (goal - base), finite even where a difference of finite numbers
    overflows (1e308 - -1e308): then taken again from their halves."""
    done, whole = value - base, goal - base
    if math.isfinite(done) and math.isfinite(whole):
        return done / whole
    done, whole = value / 2 - base / 2, goal / 2 - base / 2
    return done / whole if whole else 0.0


def _pace(
    kpi: NumericKpi,
    base: float,
    base_date: dt.date,
    value: float,
    when: dt.date,
    goal: float,
    due: dt.date,
) -> tuple[float, float, float]:
    """(achieved / required, required rate, achieved rate) in the target's direction."""
    sign = 1 if kpi.direction == "increase" else -1
    elapsed = (when - base_date).days
    span = max((due - base_date).days, 1)
    if _compound(kpi, base, value, goal):
        log_needed = _log_ratio(goal, base) * 365.25 / span
        log_achieved = _log_ratio(value, base) * 365.25 / elapsed
        needed, achieved = _growth(log_needed) * 100, _growth(log_achieved) * 100
        if math.isinf(needed) or math.isinf(achieved):
            # growth too steep for a float: compare the rates in log space instead
            return log_achieved / log_needed if log_needed else 1.0, needed, achieved
    else:
        needed = (goal - base) / span * DAYS_PER_MONTH
        achieved = (value - base) / elapsed * DAYS_PER_MONTH
    if sign * needed <= 0:
        return 1.0, needed, achieved
    if math.isinf(needed) or math.isinf(achieved):  # linear, with values near the float limit
        return _share(base, value, goal) * span / elapsed, needed, achieved
    return achieved / needed, needed, achieved


def _compound(kpi: NumericKpi, base: float, value: float, goal: float) -> bool:
    """Pace by compound annual growth: asked for (`method: cagr`) and possible (all positive)."""
    return kpi.method == "cagr" and base > 0 and value > 0 and goal > 0


def _log_ratio(a: float, b: float) -> float:
    """log(a / b) for positive a and b, also where a / b is 0 or infinite as a float
    (1e-320 / 1e300): then the difference of their logs."""
    ratio = a / b
    return math.log(ratio) if 0 < ratio < math.inf else math.log(a) - math.log(b)


def _growth(log_rate: float) -> float:
    """Annual growth from a log rate, infinite where a float cannot hold it."""
    return math.expm1(log_rate) if log_rate < 700 else math.inf


def judge_indicator(kpi: IndicatorKpi, history: Sequence[Measurement]) -> Verdict:
    """Trend between the last two dates with readings, in the better direction; never overdue.
    Several readings on one date count as one (the last recorded): a trend needs two dates."""
    by_date: dict[dt.date, float] = {}
    for x in history:
        if x.value is not None:
            by_date[x.date] = x.value
    if not by_date:
        return Verdict(Status.not_reported, "no reading yet")
    if len(by_date) == 1:
        ((day, value),) = by_date.items()
        return Verdict(
            Status.baseline_only,
            f"{quantity(value, kpi.unit)} on {day}, the only date with a reading: a trend needs "
            "a second, on a later date",
        )
    (d0, v0), (d1, v1) = list(by_date.items())[-2:]
    sign = 1 if kpi.direction == "increase" else -1
    change = v1 - v0
    now = quantity(v1, kpi.unit)
    if abs(change) <= 1e-3 * max(abs(v0), 1e-9):
        return Verdict(Status.flat, f"{now} on {d1}, unchanged since {d0}: flat")
    status = Status.improving if sign * change > 0 else Status.worsening
    way = "up" if change > 0 else "down"
    reason = f"{now} on {d1}, {way} from {format_number(v0)} on {d0}: {label(status).lower()}"
    return Verdict(status, reason)


def judge_ongoing(history: Sequence[Measurement]) -> Verdict:
    """A commitment with no end: never done, never overdue."""
    if history:
        return Verdict(Status.ongoing, f"continuing; last update on {history[-1].date}")
    return Verdict(Status.ongoing, "continuing; no update recorded yet")
