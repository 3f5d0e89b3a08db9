"""Boards and sub-groups with their chairs and the items they own, counted by status.

`groups` counts the items `summary` counts (KPIs, each once, and goals with no KPI), each under
one row: its sub-group (its own owner's, else its theme's), else the board that owns it. A
board's row includes its sub-groups' items, so the board rows add up to every item; items owned
by a person, or by nobody, are in a last row of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..core.models import DataSet
from ..core.statuses import SEVERITY, Status
from ..evaluate.scorecard import ItemStatus, Scorecard
from ..evaluate.summary import units
from ..loader.index import Index

OTHER_OWNERS = "Other owners (people, or none named)"


@dataclass(frozen=True)
class GroupRow:
    """A board or one of its sub-groups, with its chairs and its items by status."""

    type: Literal["board", "group", "other"]
    """`other`: the items owned by a person, or by nobody."""
    id: str
    name: str
    board: str | None
    """A sub-group's board."""
    chairs: list[str]
    """Names of its chairs; empty when the documents name nobody."""
    items: int
    """Items it owns (a board: with its sub-groups'), each counted once."""
    by_status: dict[Status, int]
    """Its items by status: every status, worst first, zeros included."""


def home(item: ItemStatus, index: Index) -> str:
    """The row an item is counted under: its sub-group, else its board ("" for neither)."""
    if item.owner in index.groups:
        return item.owner
    if item.group in index.groups:
        return item.group
    if item.owner in index.boards:
        return item.owner
    return ""


def group_rows(data: DataSet, card: Scorecard, index: Index) -> list[GroupRow]:
    """One row per board, followed by its sub-groups; then other owners, if any."""
    placed: dict[str, list[ItemStatus]] = {}
    for item in units(card.items):
        placed.setdefault(home(item, index), []).append(item)
    rows = []
    for board in data.boards:
        subgroups = [g for g in data.groups if g.board == board.id]
        owned = [*placed.get(board.id, []), *(i for g in subgroups for i in placed.get(g.id, []))]
        rows.append(_row("board", board.id, board.name, None, board.chairs, owned, index))
        for sub in subgroups:
            mine = placed.get(sub.id, [])
            rows.append(_row("group", sub.id, sub.name, board.id, sub.chairs, mine, index))
    other = placed.get("", [])
    if other:
        rows.append(_row("other", "", OTHER_OWNERS, None, (), other, index))
    return rows


def _row(
    kind: Literal["board", "group", "other"],
    id_: str,
    name: str,
    board: str | None,
    chairs: Sequence[str],
    items: Sequence[ItemStatus],
    index: Index,
) -> GroupRow:
    by_status = dict.fromkeys(SEVERITY, 0)
    for item in items:
        by_status[item.status] += 1
    return GroupRow(
        type=kind,
        id=id_,
        name=name,
        board=board,
        chairs=[index.people[c].name for c in chairs if c in index.people],
        items=len(items),
        by_status=by_status,
    )
