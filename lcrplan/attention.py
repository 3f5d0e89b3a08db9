"""What needs attention, and how much a screen shows: the rules `status`, `overdue` and the
report's "needs attention" lists share.

Every item that needs attention has one concern, the first that applies in `Concern`'s order:
overdue, off track (or worsening), at risk, due soon (`evaluate.is_due_soon`), stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

from .evaluate import ItemStatus, Scorecard, is_due_soon
from .statuses import SEVERITY, Flag, Status

FULL_TABLE_LIMIT = 150
"""`status` shows every item up to this many; above it, a summary and the most urgent."""
ATTENTION_LIMIT = 25
"""Rows of the summary's "needs attention" table."""
PLAIN_LIMIT = FULL_TABLE_LIMIT * 4
"""`status --all` above this many items prints a plain text table: the coloured one is laid out
row by row, and a screenful past this is for searching, not reading."""


class Concern(StrEnum):
    """Why an item needs attention, worst first."""

    overdue = "overdue"
    off_track = "off_track"
    at_risk = "at_risk"
    due_soon = "due_soon"
    stale = "stale"


_BY_STATUS = {
    Status.overdue: Concern.overdue,
    Status.off_track: Concern.off_track,
    Status.worsening: Concern.off_track,
    Status.at_risk: Concern.at_risk,
}


def concern(item: ItemStatus) -> Concern | None:
    """The first reason `item` needs attention, or None."""
    found = _BY_STATUS.get(item.status)
    if found is not None:
        return found
    if Flag.due_soon in item.flags:
        return Concern.due_soon
    if Flag.stale in item.flags:
        return Concern.stale
    return None


def needs_attention(card: Scorecard) -> list[ItemStatus]:
    """The items that need attention (any concern, stale included: the report's lists), each
    once, in plan order. Items are counted as `summary` counts them: goals with KPIs are not."""
    return [i for i in card.items if i.counted and concern(i) is not None]


def most_urgent(items: Sequence[ItemStatus], limit: int, as_of: dt.date) -> list[ItemStatus]:
    """The `limit` most urgent of `items` (by status, then due date, an item with none counting
    as due at `as_of`), still in plan order."""
    order = sorted(items, key=lambda i: (SEVERITY.index(i.status), i.due or as_of, i.id))
    chosen = {i.id for i in order[:limit]}
    return [i for i in items if i.id in chosen]


def late_and_due_soon(card: Scorecard, days: int) -> tuple[list[ItemStatus], list[ItemStatus]]:
    """What `overdue` lists: the items past their own due date, then those due within `days`
    days (the due-soon rule with a window of its own), each in plan order so that they can be
    shown under their goals. Items are counted as `summary` counts them (a goal with KPIs is
    listed through its KPIs, never as overdue before its own date)."""
    as_of = card.as_of
    counted = [i for i in card.items if i.counted]
    late = [i for i in counted if i.status is Status.overdue]
    soon = [
        i
        for i in counted
        if i.status is not Status.overdue and is_due_soon(i.status, i.due, as_of, days)
    ]
    return late, soon


class View(StrEnum):
    """How `status` shows a scorecard in the terminal."""

    full = "full"
    """Every item in the table."""
    summary = "summary"
    """Counts by plan and sub-group, then the most urgent items."""
    plain = "plain"
    """Every item, as a plain text table (`--all` on very many)."""


def status_view(items: int, every_row: bool) -> View:
    """The view for a scorecard of `items` items (`every_row`: `--all` was given)."""
    if every_row and items > PLAIN_LIMIT:
        return View.plain
    if every_row or items <= FULL_TABLE_LIMIT:
        return View.full
    return View.summary
