"""Boards and sub-groups with their chairs and their goals counted by status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .evaluate import ItemStatus, Scorecard
from .index import Index
from .models import DataSet
from .statuses import SEVERITY, Status
from .text import csv_text, json_text


@dataclass(frozen=True)
class GroupRow:
    """A board or one of its sub-groups, with its chairs and its goals by status."""

    type: str
    """board | group"""
    id: str
    name: str
    board: str | None
    """A sub-group's board."""
    chairs: list[str]
    """Names of its chairs."""
    goals: int
    by_status: dict[Status, int]
    """Its goals by status, worst first, leaving out zeros."""


def group_rows(data: DataSet, card: Scorecard, index: Index) -> list[GroupRow]:
    """One row per board, followed by its sub-groups (`index`: the data set's index)."""
    goals = card.goals()
    rows = []
    for board in data.boards:
        subgroups = [g for g in data.groups if g.board == board.id]
        owned = [
            g
            for g in goals
            if g.owner == board.id
            or g.group in {s.id for s in subgroups}
            or (g.plan in index.plans and index.plans[g.plan].board == board.id)
        ]
        rows.append(_row("board", board.id, board.name, None, board.chairs, owned, index))
        for sub in subgroups:
            mine = [g for g in goals if g.group == sub.id or g.owner == sub.id]
            rows.append(_row("group", sub.id, sub.name, board.id, sub.chairs, mine, index))
    return rows


def _row(
    kind: str,
    id_: str,
    name: str,
    board: str | None,
    chairs: Sequence[str],
    goals: Sequence[ItemStatus],
    index: Index,
) -> GroupRow:
    counts = Counter(g.status for g in goals)
    return GroupRow(
        type=kind,
        id=id_,
        name=name,
        board=board,
        chairs=[index.people[c].name for c in chairs if c in index.people],
        goals=len(goals),
        by_status={s: counts[s] for s in SEVERITY if counts[s]},
    )


def rows_json(rows: Sequence[GroupRow]) -> str:
    return json_text([asdict(r) for r in rows])


def rows_csv(rows: Sequence[GroupRow]) -> str:
    header = ["type", "id", "name", "board", "chairs", "goals", *SEVERITY]
    cells = [
        [
            r.type,
            r.id,
            r.name,
            r.board or "",
            "; ".join(r.chairs),
            r.goals,
            *(r.by_status.get(s, 0) for s in SEVERITY),
        ]
        for r in rows
    ]
    return csv_text(header, cells, numeric={"goals", *SEVERITY})
