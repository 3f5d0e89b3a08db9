"""A KPI's trend as a chart draws it: its readings, its target trajectory and the pace
`evaluate` judged, taken from the model and the scorecard (never worked out again).

The HTML report and the site both draw their charts through `trend_of`, so a KPI's chart, the
summary beside it and its table say the same in each.
"""

from __future__ import annotations

import datetime as dt

from .cadence import targets
from .charts import BaselineKind, Pace, Projection, Reading, Target, Trend
from .evaluate import ItemStatus, readings_until
from .forecast import course_words
from .models import AnyKpi, IndicatorKpi, NumericKpi, Range


def trend_of(item: ItemStatus, kpi: AnyKpi, as_of: dt.date) -> Trend | None:
    """The trend of a numeric KPI or an indicator at `as_of` (its scorecard's date), `item`
    being its status there; None for kinds with no value to draw (milestones, ongoing)."""
    if not isinstance(kpi, NumericKpi | IndicatorKpi):
        return None
    readings = tuple(
        Reading(x.date, x.value, x.note or "", x.provisional)
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
    target = Target(
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
    """Where the trajectory starts (`evaluate.baseline_of`): the KPI's own baseline, 0 at the
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
