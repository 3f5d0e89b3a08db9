"""The rows every table of a report or a site shows: one goal or KPI (`ItemRow`) with its owner
(`Who`), latest value, progress, readings and direction of travel, built once each (`Rows`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.formatting import format_number
from ..core.models import (
    AnyKpi,
)
from ..core.statuses import Status
from ..core.vocabulary import ItemType
from ..evaluate.forecast import forecast_words
from ..evaluate.judges import readings_until
from ..evaluate.scorecard import ItemStatus, Scorecard, count_statuses
from ..loader.index import Index
from .records import (
    ItemView,
    item_view,
)
from .trends import Pace, Trend, pace_of, trend_of

if TYPE_CHECKING:
    pass


WORDED_MAX = 24  # a measurement's wording longer than this is a sentence: show the number


@dataclass(frozen=True, slots=True)
class Who:
    """An owner (board, group or person) with the names of its chairs."""

    id: str
    name: str
    chairs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One goal or KPI as a table shows it."""

    item: ItemView
    owner: Who
    goal: str
    latest: str
    progress: float | None
    history: tuple[float, ...]
    late_days: int | None
    last_update: dt.date | None
    used: bool = False
    """A KPI shown under a goal that uses it (`uses:`), not the goal it is defined under."""
    trend: Trend | None = None
    """A numeric KPI's or an indicator's readings and target, for its chart (HTML)."""
    pace: Pace | None = None
    """The rates its pace was judged by, for the chart's summary."""
    progress_note: str = ""
    """What a goal's progress covers when not every KPI has one: "1 of 2 KPIs reported"."""
    forecast: str = ""
    """Where a numeric KPI is heading: "at this pace: May 2033, 4 years 4 months late; needs
    24 a month from here, was 21"."""
    travel: Travel | None = None
    """Which way its last two readings moved, and whether that is better (KPIs with two)."""


@dataclass(frozen=True, slots=True)
class Travel:
    """The direction of travel of a KPI: its last two readings (on different dates) compared,
    as an arrow for the way the value moved and a word for what that means for the target."""

    arrow: str
    """`↑`, `↓` or `→`."""
    word: str
    """`Better`, `Worse` or `No change`."""
    key: str
    """`better`, `worse` or `same`."""


def who(owner_id: str | None, index: Index) -> Who:
    """An owner's name and chairs; "no owner" when nobody is named."""
    if owner_id is None:
        return Who("", "no owner", ())
    body = index.people.get(owner_id) or index.groups.get(owner_id) or index.boards.get(owner_id)
    return Who(owner_id, body.name if body else owner_id, tuple(index.chairs_of(owner_id)))


def latest_text(item: ItemStatus, worded: str | None = None, target: str | None = None) -> str:
    """`950 / 1,000 people`, `£1.8M / £5M`, `done`, `updated 2026-11-03`; blank for goals."""
    if item.type is ItemType.goal:
        return ""
    if item.kind == "milestone":
        return "done" if item.status is Status.done else "not done"
    value = format_number(item.latest.value) if item.latest else ""
    if value and item.unit and not worded:
        value = f"{value} {item.unit}" if item.kind != "numeric" else value
    value = worded or value
    if item.target and item.kind == "numeric":
        return f"{value or '–'} / {target or item.target}"
    if item.latest and not value:
        return f"updated {item.latest.date}"
    return value


def _worded(item: ItemStatus, index: Index) -> tuple[str | None, str | None]:
    """The latest measurement's and the target's own wording ("£1.8M", "£5M"), if short."""
    if item.type is not ItemType.kpi:
        return None, None
    kpi = index.kpis[item.id][0]
    target = getattr(kpi, "target_text", None)
    target = target if target and len(target) <= WORDED_MAX else None
    if target and re.fullmatch(r"[\d,.\s–-]+", target):  # a bare "1,000" needs its unit
        target = f"{target} {getattr(kpi, 'unit', '')}".strip()
    if item.latest is None:
        return None, target
    texts = [x.text for x in kpi.measurements if x.date == item.latest.date and x.text]
    return (texts[-1] if texts and len(texts[-1]) <= WORDED_MAX else None), target


class Rows(dict[str, "ItemRow"]):
    """Table rows by item id, each built when first asked for: a large report shows few."""

    def __init__(self, index: Index, as_of: dt.date, card: Scorecard, charts: bool = False) -> None:
        super().__init__()
        self.index, self.as_of, self.by_id, self.charts = index, as_of, card.by_id(), charts
        self.views: dict[str, ItemView] = {}

    def __missing__(self, item_id: str) -> ItemRow:
        item = self.by_id[item_id]
        row = self[item_id] = _row(item, self.view(item_id), self.index, self.as_of, self.charts)
        return row

    def view(self, item_id: str) -> ItemView:
        """The item as templates see it (`records.item_view`), built once however often shown."""
        found = self.views.get(item_id)
        if found is None:
            found = self.views[item_id] = item_view(self.by_id[item_id])
        return found


def _row(
    item: ItemStatus, view: ItemView, index: Index, as_of: dt.date, charts: bool = False
) -> ItemRow:
    """A goal's or KPI's table row; with `charts`, a KPI's trend and pace too (HTML draws them)."""
    shows_bar = item.type is ItemType.goal or item.kind == "numeric"
    late = (as_of - item.due).days if item.status is Status.overdue and item.due else None
    kpi = charts and item.type is ItemType.kpi
    trend = trend_of(item, index.kpis[item.id][0], as_of) if kpi else None
    kpi_model = index.kpis[item.id][0] if item.type is ItemType.kpi else None
    note = ""
    if item.progress_text and item.kpis_reported < item.kpis_with_target:
        shown, of = item.kpis_reported, item.kpis_with_target
        note = f"{shown} of {of} KPIs reported" if shown else "no KPI reported yet"
    return ItemRow(
        item=view,
        owner=who(item.owner, index),
        goal=index.goals[item.goal].goal.title if item.goal else "",
        latest=latest_text(item, *_worded(item, index)),
        progress=item.progress if shows_bar else None,
        history=_values(item, index, as_of),
        late_days=late,
        last_update=item.latest.date if item.latest else None,
        trend=trend,
        pace=pace_of(item) if trend else None,
        progress_note=note,
        forecast=forecast_words(item.forecast) if item.forecast else "",
        travel=_travel(kpi_model, as_of, item.direction) if kpi_model else None,
    )


_TRAVEL = {
    ("up", "increase"): Travel("↑", "Better", "better"),
    ("down", "decrease"): Travel("↓", "Better", "better"),
    ("up", "decrease"): Travel("↑", "Worse", "worse"),
    ("down", "increase"): Travel("↓", "Worse", "worse"),
}


_STILL = Travel("→", "No change", "same")


def _travel(kpi: AnyKpi, as_of: dt.date, direction: str | None) -> Travel | None:
    """The last reading against the one before it on an earlier date: better, worse or the
    same, in the KPI's direction; None with readings on fewer than two dates."""
    values = [x.value for x in readings_until(kpi, as_of) if x.value is not None]
    if len(values) < 2:
        return None
    before, last = values[-2:]
    if last == before:
        return _STILL
    return _TRAVEL[("up" if last > before else "down", direction or "increase")]


def _values(item: ItemStatus, index: Index, as_of: dt.date) -> tuple[float, ...]:
    """A KPI's measured values up to as-of, oldest first, one per date (for its sparkline)."""
    if item.type is not ItemType.kpi:
        return ()
    kpi = index.kpis[item.id][0]
    return tuple(x.value for x in readings_until(kpi, as_of) if x.value is not None)


def status_counts(items: Iterable[ItemStatus]) -> tuple[tuple[str, int], ...]:
    """(status, count) in severity order, leaving out zeros."""
    return tuple((str(status), n) for status, n in count_statuses(items).items())
