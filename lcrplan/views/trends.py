"""A KPI's trend as a chart draws it: the records a chart, its legend, summary and table are
drawn from (`Trend`: its readings as `Point`s, its target `Trajectory`, its `Projection`; the
`Pace` `evaluate` judged), taken from the model and the scorecard (never worked out again).

The HTML report and the site both draw their charts through `trend_of`, so a KPI's chart, the
summary beside it and its table say the same in each.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from ..core.models import AnyKpi, IndicatorKpi, NumericKpi, Range
from ..evaluate.cadence import targets
from ..evaluate.forecast import course_words
from ..evaluate.judges import readings_until
from ..evaluate.scorecard import ItemStatus

BaselineKind = Literal["given", "assumed", "first"]


@dataclass(frozen=True, slots=True)
class Point:
    """One reading as a chart draws it: its date, its value (finite, as the models guarantee)
    and its note."""

    date: dt.date
    value: float
    note: str = ""
    provisional: bool = False
    """The figure may still change: drawn hollow."""

    def __post_init__(self) -> None:
        _finite(self.value)


@dataclass(frozen=True, slots=True)
class Trajectory:
    """A numeric KPI's target: `low == high` for a number, or a range; due date and baseline.

    The trajectory runs from (`base_date`, `base_value`) through any interim targets (`via`) to
    the target at `due`: pass the baseline `evaluate` judged from (`evaluate.Basis`). With no
    `due` or no `base_date` there is no trajectory and the target is drawn as a level.
    """

    low: float
    high: float
    due: dt.date | None = None
    base_date: dt.date | None = None
    base_value: float = 0.0
    via: tuple[tuple[dt.date, float], ...] = ()
    """Interim targets (date, value) the trajectory passes through on its way to `due`."""
    baseline: BaselineKind = "given"
    """Where the baseline came from: `given` in the data, `assumed` (0 at the start, as none
    was given), or the `first` reading (none was given and 0 would already meet the target)."""

    def __post_init__(self) -> None:
        _finite(self.low, self.high, self.base_value, *(value for _, value in self.via))


def _finite(*values: float) -> None:
    """Refuse NaN and infinity: a chart cannot place them (the models refuse them too)."""
    if not all(map(math.isfinite, values)):
        raise ValueError(f"a chart needs finite numbers, not {values}")


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the readings head at their current pace: a dotted line from the latest reading
    (`start`, `start_value`) to the target date (`end`, `end_value`), and the words for it."""

    start: dt.date
    start_value: float
    end: dt.date
    end_value: float
    words: str
    """"at this pace: May 2033, 4 years 4 months late"."""

    def __post_init__(self) -> None:
        _finite(self.start_value, self.end_value)


@dataclass(frozen=True, slots=True)
class Pace:
    """The rates `evaluate` judged pace by: needed and achieved, per month (or % a year)."""

    needed: float
    achieved: float
    cagr: bool = False


@dataclass(frozen=True, slots=True)
class Trend:
    """Everything one KPI's chart, legend, summary and table are drawn from.

    `status` is evaluate's status key (`on_track`, `improving`, ...). `readings` may come in
    any order and may include readings after `as_of`: those are left out everywhere. An
    indicator has `target=None` and is drawn with its readings and direction only.
    """

    kpi_id: str
    title: str
    as_of: dt.date
    status: str
    readings: tuple[Point, ...] = ()
    unit: str = ""
    direction: Literal["increase", "decrease"] = "increase"
    target: Trajectory | None = None
    projection: Projection | None = None
    """A numeric KPI's course at its current pace, drawn dotted to the target date."""


def shown_readings(trend: Trend) -> list[Point]:
    """The readings on or before as-of, oldest first (a stable sort keeps same-day order).

    A function, not a method: a `Trend` reaches templates, which call no method of a record."""
    return sorted((r for r in trend.readings if r.date <= trend.as_of), key=lambda r: r.date)


def trend_of(item: ItemStatus, kpi: AnyKpi, as_of: dt.date) -> Trend | None:
    """The trend of a numeric KPI or an indicator at `as_of` (its scorecard's date), `item`
    being its status there; None for kinds with no value to draw (milestones, ongoing)."""
    if not isinstance(kpi, NumericKpi | IndicatorKpi):
        return None
    readings = tuple(
        Point(x.date, x.value, x.note or "", x.provisional)
        for x in readings_until(kpi, as_of)
        if x.value is not None
    )
    if isinstance(kpi, IndicatorKpi):
        return Trend(
            kpi.id, kpi.title, as_of, str(item.status), readings, kpi.unit or "", kpi.direction
        )
    low, high = (
        (kpi.target.low, kpi.target.high) if isinstance(kpi.target, Range) else (kpi.target,) * 2
    )
    basis = item.basis
    via = tuple((t.date, t.value) for t in targets(kpi, item.due) if not t.final)
    target = Trajectory(
        low,
        high,
        item.due,
        basis.base_date if basis else None,
        basis.base_value if basis else 0.0,
        via if item.due else (),
        _baseline_kind(kpi),
    )
    return Trend(
        kpi.id,
        kpi.title,
        as_of,
        str(item.status),
        readings,
        kpi.unit,
        kpi.direction,
        target,
        _projection(item),
    )


def _baseline_kind(kpi: NumericKpi) -> BaselineKind:
    """Where the trajectory starts (`judges.baseline_of`): the KPI's own baseline, 0 at the
    start assumed for want of one, or the first reading when 0 would already meet the target."""
    if kpi.baseline is not None:
        return "given"
    return "first" if kpi.meets(0.0) else "assumed"


def _projection(item: ItemStatus) -> Projection | None:
    """The dotted line to the target date at the current pace, where there is one to draw."""
    found = item.forecast
    if found is None or found.due is None or found.at_due is None or found.due <= found.latest:
        return None
    if found.reaches is not None and found.reaches <= found.latest:  # met: nothing to project
        return None
    words = course_words(found)
    return Projection(found.latest, found.latest_value, found.due, found.at_due, words)


def pace_of(item: ItemStatus) -> Pace | None:
    """The rates `evaluate` judged the KPI's pace by; None where it judged none."""
    basis = item.basis
    if basis is None or basis.needed is None or basis.achieved is None:
        return None
    return Pace(basis.needed, basis.achieved, basis.compound)
