"""The one set of numbers every command and format gives for a scorecard: `status`'s header,
`overdue`, `groups`, the report's summary, and `summary` in every `--format json`.

**The unit of every count is an item**: each KPI, once (under the goal it is defined under,
however many goals use it), and each goal with no KPI of its own or used, judged on its own
(`ItemStatus.counted`). A goal with KPIs takes the worst of their statuses and is not counted
again. A view that counts something else says so in its label (`groups` counts these items by
the sub-group or board that owns them, each once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.settings import Config
from ..core.statuses import GOOD, HELD, SEVERITY, Flag, Status
from ..core.vocabulary import MEASURED_KINDS, ItemType
from .attention import Concern
from .scorecard import ItemStatus, Scorecard


def units(items: Iterable[ItemStatus]) -> list[ItemStatus]:
    """The items that are counted, in document order."""
    return [i for i in items if i.counted]


@dataclass(frozen=True)
class Summary:
    """The counts of one scorecard (after any filters), every one over the same items."""

    as_of: dt.date
    items: int
    """KPIs plus goals with no KPI: the unit of every count."""
    kpis: int
    """KPIs, each once however many goals use it."""
    goals_without_kpi: int
    """Goals with no KPI of their own or used, counted as items."""
    goals: int
    """Goals in the selection, with KPIs or not (those with KPIs are not counted as items)."""
    by_status: dict[Status, int]
    """Items by status: every status, worst first, zeros included."""
    overdue: int
    """Items past their own due date and not met."""
    due_soon: int
    """Items due within `due_soon_days`."""
    due_soon_days: int
    stale: int
    """KPIs whose next reading fell due by their own rhythm (`frequency`, else `stale_days`)
    and has not come."""
    stale_days: int
    never_reported: int
    """KPIs measured in figures (numeric, indicator) with no reading at all, due or not."""
    needs_attention: int
    """Items that need attention (`attention.RULES`), each once, under its first rule."""
    attention: dict[Concern, int]
    """Items needing attention by the rule that put them there, in rule order, zeros
    included: they add up to `needs_attention`."""
    good: int
    """Items done, on track or improving."""
    judged: int
    """Items that can be judged: live (not paused or dropped) and with a KPI."""
    good_share: float | None
    """`good` / `judged` (None when nothing can be judged), to 4 decimal places."""

    @property
    def counts(self) -> tuple[tuple[Status, int], ...]:
        """(status, items) worst first, leaving out zeros."""
        return tuple((s, n) for s, n in self.by_status.items() if n)

    @property
    def not_reported(self) -> int:
        return self.by_status[Status.not_reported]


def summarize(card: Scorecard, config: Config) -> Summary:
    """The summary of `card`, every number counted over the same items (`units`)."""
    counted = units(card.items)
    by_status = dict.fromkeys(SEVERITY, 0)
    attention = dict.fromkeys(Concern, 0)
    kpis = due_soon = stale = never_reported = judged = good = 0
    for item in counted:  # one pass for every count
        status = item.status
        by_status[status] += 1
        if item.type is ItemType.kpi:
            kpis += 1
            if item.kind in MEASURED_KINDS and item.latest is None:
                never_reported += 1
        if item.attention is not None:
            attention[item.attention.concern] += 1
        if status not in HELD and status is not Status.no_kpi:
            judged += 1
            good += status in GOOD
        due_soon += Flag.due_soon in item.flags
        stale += Flag.stale in item.flags
    return Summary(
        as_of=card.as_of,
        items=len(counted),
        kpis=kpis,
        goals_without_kpi=len(counted) - kpis,
        goals=sum(i.type is ItemType.goal for i in card.items),
        by_status=by_status,
        overdue=by_status[Status.overdue],
        due_soon=due_soon,
        due_soon_days=config.due_soon_days,
        stale=stale,
        stale_days=config.stale_days,
        never_reported=never_reported,
        needs_attention=sum(attention.values()),
        attention=attention,
        good=good,
        judged=judged,
        good_share=round(good / judged, 4) if judged else None,
    )
