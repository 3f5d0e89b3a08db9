"""Boards and sub-groups with their chairs and their goals counted by status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .evaluate import Scorecard
from .index import Index
from .models import DataSet
from .render import csv_text
from .statuses import SEVERITY
from .text import json_text
from .textsafe import printable

if TYPE_CHECKING:
    from rich.table import Table


def group_rows(data: DataSet, card: Scorecard, ix: Index) -> list[dict[str, Any]]:
    """One row per board, followed by its sub-groups (`ix`: the data set's index)."""
    goals = card.goals()
    rows = []
    for board in data.boards:
        subgroups = [g for g in data.groups if g.board == board.id]
        owned = [
            g
            for g in goals
            if g.owner == board.id
            or g.group in {s.id for s in subgroups}
            or (g.plan in ix.plans and ix.plans[g.plan].board == board.id)
        ]
        rows.append(_row("board", board.id, board.name, "", board.chairs, owned, ix))
        for sub in subgroups:
            mine = [g for g in goals if g.group == sub.id or g.owner == sub.id]
            rows.append(_row("group", sub.id, sub.name, board.id, sub.chairs, mine, ix))
    return rows


def _row(
    kind: str, id_: str, name: str, board: str, chairs: list[str], goals: list, ix: Index
) -> dict[str, Any]:
    counts = {s: sum(g.status == s for g in goals) for s in SEVERITY}
    return {
        "type": kind,
        "id": id_,
        "name": name,
        "board": board or None,
        "chairs": [ix.people[c].name for c in chairs if c in ix.people],
        "goals": len(goals),
        "by_status": {s: n for s, n in counts.items() if n},
    }


def rows_json(rows: list[dict[str, Any]]) -> str:
    return json_text(rows)


def rows_csv(rows: list[dict[str, Any]]) -> str:
    header = ["type", "id", "name", "board", "chairs", "goals", *SEVERITY]
    cells = [
        [
            r["type"],
            r["id"],
            r["name"],
            r["board"] or "",
            "; ".join(r["chairs"]),
            r["goals"],
            *(r["by_status"].get(s, 0) for s in SEVERITY),
        ]
        for r in rows
    ]
    return csv_text(header, cells, numeric={"goals", *SEVERITY})


def rows_table(rows: list[dict[str, Any]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    from .text import status_label

    table = Table(title="Boards and sub-groups", pad_edge=False, box=None, header_style="bold")
    for col in ("Board / group", "Id", "Chairs", "Goals", "By status"):
        table.add_column(col)
    for r in rows:
        name = printable(r["name"]) if r["type"] == "board" else f"  {printable(r['name'])}"
        by = ", ".join(f"{n} {status_label(s)}" for s, n in r["by_status"].items())
        chairs = printable(", ".join(r["chairs"]))
        table.add_row(Text(name), r["id"], Text(chairs), str(r["goals"]), Text(by))
    return table
