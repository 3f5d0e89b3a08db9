"""A plan's timeline as a Gantt chart's content: its dated goals and KPIs as bars, by theme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.models import (
    Plan,
    ThemeFile,
)
from ..core.statuses import SEVERITY
from ..core.vocabulary import ItemType
from ..evaluate.scorecard import ItemStatus
from ..loader.index import Index
from .records import (
    ItemView,
    item_view,
)

if TYPE_CHECKING:
    pass


GANTT_BARS = 30  # a plan with more bars than this is drawn one bar per theme


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a Gantt chart: one item, or several that share a theme, start and due date."""

    label: str
    status: str
    start: dt.date
    end: dt.date
    items: int
    item: ItemView | None = None
    """The item, when the bar is one item (a timeline links to it)."""
    theme: str = ""
    """The theme's id (a bar of several items links to its theme)."""


@dataclass(frozen=True, slots=True)
class Gantt:
    """A plan's timeline: dated goals and KPIs by theme, and how many goals it leaves out."""

    by_theme: bool
    sections: tuple[tuple[str, tuple[Bar, ...]], ...]
    start: dt.date
    end: dt.date
    bars: int
    items: int
    undated: int


def plan_gantt(
    plan: Plan,
    themes: Sequence[ThemeFile],
    items: Sequence[ItemStatus],
    index: Index,
    as_of: dt.date,
) -> Gantt:
    """Goals and KPIs with a due date of their own, from start to due, by theme.

    Items sharing a theme, start and due date share a bar; a plan still above `GANTT_BARS`
    bars gets one bar per theme. Goals due only at the plan's end carry no date and are counted.
    """
    goals = {i.id: i for i in items if i.type is ItemType.goal}
    dated = [
        (i.theme, _span(i, goals, plan, index), i) for i in items if _has_own_due(i, goals, index)
    ]
    sections: list[tuple[str, tuple[Bar, ...]]] = []
    by_theme = len({(t, span, i.status) for t, span, i in dated}) > GANTT_BARS
    by_id: dict[str, list[tuple[tuple[dt.date, dt.date], ItemStatus]]] = {}
    for t, span, i in dated:
        by_id.setdefault(t, []).append((span, i))
    for theme_file in themes:
        mine = by_id.get(theme_file.theme.id, [])
        bars: tuple[Bar, ...]
        if mine:
            theme_id = theme_file.theme.id
            if by_theme:
                label = f"{theme_file.theme.title}: {_plural(len(mine))}"
                bars = (_merged(mine, theme_id, label),)
            else:
                bars = tuple(_merged(g, theme_id) for g in _by_span(mine).values())
            sections.append((theme_file.theme.title, bars))
    shown = [b for _, bars in sections for b in bars]
    return Gantt(
        by_theme=by_theme,
        sections=tuple(sections),
        start=min([as_of, *(b.start for b in shown)]),
        end=max([as_of, *(b.end for b in shown)]),
        bars=len(shown),
        items=len(dated),
        undated=sum(g.due is None or g.due_from_plan for g in goals.values()),
    )


def _has_own_due(item: ItemStatus, goals: dict[str, ItemStatus], index: Index) -> bool:
    if item.due is None or item.due_from_plan:
        return False
    if item.type is ItemType.goal:
        return True
    own = index.kpis[item.id][0].due
    goal = goals.get(item.goal or "")
    return own is not None and (goal is None or goal.due_from_plan or goal.due != own.date)


def _span(
    item: ItemStatus, goals: dict[str, ItemStatus], plan: Plan, index: Index
) -> tuple[dt.date, dt.date]:
    goal = index.goals[item.goal or item.id].goal
    own = index.kpis[item.id][0].start if item.type is ItemType.kpi else None
    start = (own or goal.start or plan.start).date
    end = item.due or start
    return min(start, end), end


def _by_span(
    dated: Sequence[tuple[tuple[dt.date, dt.date], ItemStatus]],
) -> dict[tuple[dt.date, dt.date, int], list[tuple[tuple[dt.date, dt.date], ItemStatus]]]:
    """Items with the same dates and the same status share a bar: a bar's label names an item
    whose status is the bar's own."""
    groups: dict[tuple[dt.date, dt.date, int], list] = {}
    for span, item in sorted(dated, key=lambda x: x[0]):
        groups.setdefault((*span, SEVERITY.index(item.status)), []).append((span, item))
    return groups


def _plural(count: int) -> str:
    return f"{count} item{'s' * (count != 1)}"


def _merged(
    group: Sequence[tuple[tuple[dt.date, dt.date], ItemStatus]],
    theme: str,
    label: str = "",
) -> Bar:
    """One bar for items drawn together: the first one's title, the worst status; one item's
    bar links to the item, several items' to their theme."""
    items = [i for _, i in group]
    worst = min(items, key=lambda i: SEVERITY.index(i.status)).status
    if not label:
        more = f" and {len(items) - 1} more" if len(items) > 1 else ""
        label = items[0].title + more
    start = min(span[0] for span, _ in group)
    end = max(span[1] for span, _ in group)
    one = item_view(items[0]) if len(items) == 1 else None
    return Bar(label, str(worst), start, end, len(items), one, theme)
