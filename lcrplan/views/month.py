"""What happened in a report's month: the readings, completions and revisions dated in it, the
status changes since the month before, and the goalposts moved in it (from git)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.formatting import format_number
from ..core.models import (
    AnyKpi,
    DataSet,
    Goal,
    Measurement,
    MilestoneKpi,
)
from ..core.statuses import GOOD, SEVERITY
from ..evaluate.scorecard import ItemStatus, Scorecard
from .records import (
    ItemView,
)

if TYPE_CHECKING:
    from ..evaluate.history import Move

from ..core.periods import ReportPeriod
from .rows import Rows


@dataclass(frozen=True, slots=True)
class Moved:
    """A KPI's goalpost moved in the period (from git: `history`)."""

    item: ItemView
    field: str
    old: str | None
    new: str | None
    date: str
    commit: str


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What changed since the end of the month before, in four lines a chair reads aloud."""

    overdue: tuple[StatusChangeRow, ...]
    """Items overdue now that were not."""
    back: tuple[StatusChangeRow, ...]
    """Items done, on track or improving now that were not."""
    worse: tuple[StatusChangeRow, ...]
    """Other items whose status is worse than it was."""
    readings: int
    """Readings dated in the period, and the KPIs they are of."""
    kpis_read: int
    completions: int
    goalposts: tuple[Moved, ...] | None
    """Targets and dates changed in the period, from git; None when not known (`no_goalposts`
    says why)."""
    no_goalposts: str


@dataclass(frozen=True, slots=True)
class Recorded:
    """A measurement or a completion dated inside the period."""

    date: dt.date
    item: ItemView
    goal: str
    value: str
    note: str


@dataclass(frozen=True, slots=True)
class Revision:
    """A figure revised in the period: the date it is for, what it was and is, and why."""

    written: dt.date
    """When it was revised."""
    date: dt.date
    """The day the figure is for."""
    item: ItemView
    was: str
    now: str
    reason: str


@dataclass(frozen=True, slots=True)
class StatusChangeRow:
    """An item whose status differs from the end of the month before."""

    item: ItemView
    was: str
    now: str


def since_last(
    changes: Sequence[StatusChangeRow],
    measurements: Sequence[Recorded],
    completions: Sequence[Recorded],
    card: Scorecard,
    rows: Rows,
    period: ReportPeriod,
    history: Mapping[str, Sequence[Move]] | None,
    no_history: str,
) -> SinceLast:
    """What changed since the end of the month before: the status moves sorted into newly
    overdue, back on track and worse; the readings and completions dated in the period; the
    goalposts moved in it (from git)."""
    good = {str(s) for s in GOOD}
    order = [str(s) for s in SEVERITY]
    overdue = tuple(c for c in changes if c.now == "overdue" and c.was != "overdue")
    back = tuple(c for c in changes if c.now in good and c.was not in good)
    worse = tuple(
        c
        for c in changes
        if c not in overdue and c not in back and order.index(c.now) < order.index(c.was)
    )
    moved = None
    if history is not None:
        start, end = period.start.isoformat(), period.as_of.isoformat()
        moved = tuple(
            Moved(rows.view(i.id), m.field, m.old, m.new, m.date, m.commit)
            for i in card.kpis()
            for m in history.get(i.id, ())
            if m.old is not None and m.date is not None and start <= m.date <= end
        )
    return SinceLast(
        overdue=overdue,
        back=back,
        worse=worse,
        readings=len(measurements),
        kpis_read=len({r.item.id for r in measurements}),
        completions=len(completions),
        goalposts=moved,
        no_goalposts="" if history is not None else no_history,
    )


def _kpis_in(data: DataSet, card: Scorecard) -> Iterable[tuple[Goal, AnyKpi]]:
    wanted = {i.id for i in card.kpis()}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            yield from ((goal, k) for k in goal.kpis if k.id in wanted)


def readings_recorded(
    data: DataSet, card: Scorecard, period: ReportPeriod, rows: Rows
) -> tuple[Recorded, ...]:
    """Readings dated in the period (whenever they were written), revisions left out: those
    are listed by the day they were made (`revisions_made`)."""
    found = []
    for goal, kpi in _kpis_in(data, card):
        for x in kpi.measurements:
            if x.revised is None and period.start <= x.date <= period.as_of:
                value = x.text or _with_unit(x.value, getattr(kpi, "unit", None))
                found.append(Recorded(x.date, rows.view(kpi.id), goal.title, value, x.note or ""))
    return tuple(sorted(found, key=lambda r: (r.date, r.item.id)))


def revisions_made(
    data: DataSet, card: Scorecard, period: ReportPeriod, rows: Rows
) -> tuple[Revision, ...]:
    """Figures revised in the period (by the day the revision was written), oldest first."""
    found = []
    for _goal, kpi in _kpis_in(data, card):
        unit = getattr(kpi, "unit", None)
        last: dict[dt.date, Measurement] = {}
        for x in kpi.measurements:
            before = last.get(x.date)
            last[x.date] = x
            if before is None or x.revised is None or x.written is None:
                continue
            if period.start <= x.written <= period.as_of:
                was, now = (m.text or _with_unit(m.value, unit) for m in (before, x))
                found.append(Revision(x.written, x.date, rows.view(kpi.id), was, now, x.revised))
    return tuple(sorted(found, key=lambda r: (r.written, r.item.id, r.date)))


def _with_unit(value: float | None, unit: str | None) -> str:
    text = format_number(value)
    return f"{text} {unit}" if text and unit else text


def completions_recorded(
    data: DataSet, card: Scorecard, period: ReportPeriod, rows: Rows
) -> tuple[Recorded, ...]:
    found = [
        Recorded(kpi.done.date, rows.view(kpi.id), goal.title, "done", kpi.done.note or "")
        for goal, kpi in _kpis_in(data, card)
        if isinstance(kpi, MilestoneKpi)
        and kpi.done
        and period.start <= kpi.done.date <= period.as_of
    ]
    return tuple(sorted(found, key=lambda r: (r.date, r.item.id)))


def status_changes(
    counted: Sequence[ItemStatus], before: dict[str, ItemStatus], rows: Rows
) -> tuple[StatusChangeRow, ...]:
    """Items whose status moved since the previous month's end, worst new status first."""
    changed = [
        StatusChangeRow(rows.view(i.id), str(before[i.id].status), str(i.status))
        for i in counted
        if i.id in before and before[i.id].status != i.status
    ]
    return tuple(sorted(changed, key=lambda c: (SEVERITY.index(c.now), c.item.id)))
