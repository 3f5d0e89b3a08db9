"""Render results: problems, scorecards and groups as tables, plain text, JSON or CSV.

Status is never told by colour alone: every status is a word, with a symbol beside it.
Tables are laid out here (`grid`) and coloured by rich: rich's own Table measures and renders
every cell on its own, which was most of a `status` at scale (BENCHMARKS.md).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .attention import ATTENTION_LIMIT, most_urgent, needs_attention
from .errors import Problem
from .evaluate import ItemStatus, Scorecard, count_statuses
from .statuses import LOOKS, SEVERITY, Flag, Status, label
from .text import csv_text, format_number, json_text, progress_bar, status_label
from .textsafe import printable

if TYPE_CHECKING:
    from rich.text import Text

    from .groups import GroupRow
    from .index import Index
    from .models import AnyKpi, Context, Goal

CSV_FIELDS = [
    "id",
    "type",
    "kind",
    "title",
    "plan",
    "theme",
    "group",
    "goal",
    "owner",
    "status",
    "reason",
    "due",
    "progress",
    "latest_date",
    "latest_value",
    "target",
    "flags",
]


def latest_vs_target(item: ItemStatus) -> str:
    latest = format_number(item.latest.value) if item.latest else ""
    if item.kind == "milestone" or item.type == "goal":
        return ""
    if item.target and latest:
        return f"{latest} / {item.target}"
    return latest or (f"- / {item.target}" if item.target else "")


def summary_line(card: Scorecard) -> str:
    """One line of counts: `As of 2026-11-21: 412 items: 40 Overdue, 3 At risk, ...`."""
    counts = count_statuses(card.items)
    parts = ", ".join(f"{n} {label(s)}" for s, n in counts.items())
    flagged = Counter(f for i in card.items for f in i.flags)
    flags = {f: flagged[f] for f in (Flag.due_soon, Flag.stale)}
    extra = "".join(f"; {n} {f.replace('_', ' ')}" for f, n in flags.items() if n)
    return f"As of {card.as_of}: {len(card.items)} items ({parts}){extra}"


# --- problems -----------------------------------------------------------------------------


def render_problems(problems: Sequence[Problem], fmt: str) -> str:
    """Problems as compiler-style text, GitHub workflow commands or JSON."""
    if fmt == "json":
        return json_text([p.as_dict() for p in problems])
    if fmt == "github":
        return "".join(p.github() + "\n" for p in problems)
    return "".join(p.text() + "\n" for p in problems)


def problem_summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.file for p in problems if p.severity == "error"})
    if errors:
        return f"{errors} error(s) in {files} file(s), {warnings} warning(s)"
    return f"no errors, {warnings} warning(s)"


# --- scorecards -----------------------------------------------------------------------------


def items_json(items: Iterable[ItemStatus]) -> str:
    return json_text([i.as_dict() for i in items])


def items_csv(items: Iterable[ItemStatus]) -> str:
    rows = []
    for item in items:
        row: dict[str, object] = {k: v for k, v in item.as_dict().items() if k in CSV_FIELDS}
        row["latest_date"] = item.latest.date.isoformat() if item.latest else ""
        row["latest_value"] = format_number(item.latest.value) if item.latest else ""
        row["flags"] = " ".join(item.flags)
        row["progress"] = "" if item.progress is None else f"{item.progress:.4f}"
        rows.append([row[k] for k in CSV_FIELDS])
    return csv_text(CSV_FIELDS, rows, numeric={"progress", "latest_value"})


@dataclass(frozen=True)
class Col:
    """A column of a `grid`: its header, alignment, colour, and how far it may shrink."""

    header: str
    right: bool = False
    style: str = ""
    max_width: int | None = None
    """Longer cells are cut, ending in an ellipsis."""
    min_width: int | None = None
    """Given: the column may shrink to this when the table is wider than the screen."""
    wrap: str = ""
    """Where a cell too wide for a shrunk column may break, to go on over more lines instead of
    being cut: after each `" "` (words) or `", "` (list items); "" for never."""


Cell = str | tuple[str, str]
"""Text, or (text, style)."""


@dataclass(frozen=True)
class Heading:
    """A line across a `grid`, between its rows."""

    text: str
    style: str = "bold"


GridRow = Sequence[Cell] | Heading


def grid(columns: Sequence[Col], rows: Sequence[GridRow], width: int, title: str = "") -> Text:
    """Columns of text two spaces apart, headers wrapped onto two lines at most, as one rich
    Text: fast at any size, and the same characters with or without colour."""
    from rich.cells import cell_len
    from rich.text import Text

    rows = [_printable_row(r) for r in rows]
    title = printable(title)
    body = [r for r in rows if not isinstance(r, Heading)]
    natural = []
    for c, col in enumerate(columns):
        longest = max([cell_len(_text(r[c])) for r in body if c < len(r)], default=0)
        natural.append(longest if col.max_width is None else min(longest, col.max_width))
    headers = [[col.header] for col in columns]
    widths = [max(n, cell_len(col.header)) for n, col in zip(natural, columns, strict=True)]
    # Too wide for the screen: wrap the headers that save most onto two lines, then shrink
    # the columns that may shrink, the widest first (long names: cut with an ellipsis, or
    # wrapped onto more lines).
    saves = [
        widths[c] - max(natural[c], *map(cell_len, _wrap(col.header)))
        for c, col in enumerate(columns)
    ]
    for c in sorted(range(len(columns)), key=saves.__getitem__, reverse=True):
        if sum(widths) + 2 * (len(widths) - 1) <= width:
            break
        headers[c] = _wrap(columns[c].header)
        widths[c] = max(natural[c], *map(cell_len, headers[c]))
    floors = [
        widths[c] if col.min_width is None else max(col.min_width, *map(cell_len, headers[c]))
        for c, col in enumerate(columns)
    ]
    # A wrapping column first shrinks only as far as its longest unbreakable piece.
    unbroken = [
        max([floors[c], *(_longest_piece(_text(r[c]), col.wrap) for r in body if c < len(r))])
        if col.wrap
        else floors[c]
        for c, col in enumerate(columns)
    ]
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    for limits in (unbroken, floors):
        while excess > 0 and any(map(operator.gt, widths, limits)):
            widest = max(range(len(widths)), key=lambda c: (widths[c] > limits[c], widths[c]))
            widths[widest] -= 1
            excess -= 1
    total = sum(widths) + 2 * (len(widths) - 1)
    lines: list[Text] = [Text(title, style="bold")] if title else []
    tall = max(map(len, headers), default=1)
    for n in range(tall):  # every header ends on the line just above the rows
        cells = [(h[n - tall + len(h)] if n >= tall - len(h) else "", "bold") for h in headers]
        lines.append(_line(columns, widths, cells))
    for row in rows:
        if isinstance(row, Heading):
            lines.append(Text(_fit(row.text, total), style=row.style))
        else:
            lines.extend(_lines(columns, widths, row))
    for line in lines:  # a screen too narrow even so: cut, never wrap
        if line.cell_len > width:
            line.truncate(width, overflow="ellipsis")
    return Text("\n", no_wrap=True).join(lines)


def _printable_row(row: GridRow) -> GridRow:
    """The row with every text escaped for the terminal (data can hold anything)."""
    if isinstance(row, Heading):
        return Heading(printable(row.text), row.style)
    return [printable(c) if isinstance(c, str) else (printable(c[0]), c[1]) for c in row]


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell[0]


def _wrap(header: str) -> list[str]:
    """The header on two lines, as narrow as it goes (one line if it is a single word)."""
    words = header.split(" ")
    if len(words) == 1:
        return [header]
    splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    return min(splits, key=lambda lines: max(map(len, lines)))


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, with an ellipsis where it was cut."""
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _lines(columns: Sequence[Col], widths: Sequence[int], cells: Sequence[Cell]) -> list[Text]:
    """One row: a line, or more where a wrapping column's cell is wider than the column."""
    from rich.cells import cell_len

    pieces: list[list[Cell]] = []
    for c, (col, width) in enumerate(zip(columns, widths, strict=True)):
        cell = cells[c] if c < len(cells) else ""
        text, style = (cell, col.style) if isinstance(cell, str) else cell
        if not col.wrap or cell_len(text) <= width:
            pieces.append([cell])
        else:
            pieces.append([(part, style) for part in _wrap_words(text, width, col.wrap)])
    tall = max(map(len, pieces))
    return [
        _line(columns, widths, [p[n] if n < len(p) else "" for p in pieces]) for n in range(tall)
    ]


def _longest_piece(text: str, separator: str) -> int:
    """The width of the widest line `_wrap_words` can make of `text` (each piece on its own)."""
    from rich.cells import cell_len

    return max(map(cell_len, _wrap_words(text, 0, separator)))


def _wrap_words(text: str, width: int, separator: str) -> list[str]:
    """`text` in lines of at most `width` cells, broken after each `separator` (which ends in a
    space); a longer piece is left for `_fit` to cut."""
    from rich.cells import cell_len

    body = text.lstrip(" ")
    indent = text[: len(text) - len(body)]  # kept on every line: `  Music Export`
    parts = body.split(separator)
    ends = [separator[:-1]] * (len(parts) - 1) + [""]
    lines: list[str] = []
    for part, end in zip(parts, ends, strict=True):
        piece = part + end
        if lines and cell_len(lines[-1]) + 1 + cell_len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(indent + piece)
    return lines


def _line(columns: Sequence[Col], widths: Sequence[int], cells: Sequence[Cell]) -> Text:
    from rich.cells import cell_len
    from rich.text import Text

    out = Text()
    for c, (col, width) in enumerate(zip(columns, widths, strict=True)):
        cell = cells[c] if c < len(cells) else ""
        text, style = (cell, col.style) if isinstance(cell, str) else cell
        text = _fit(text, width)
        pad = " " * (width - cell_len(text))
        if c:
            out.append("  ")
        out.append(pad + text if col.right else text + pad, style=style or None)
    out.rstrip()
    return out


def status_table(card: Scorecard, index: Index, width: int, title: str = "") -> Text:
    """Every item, grouped plan -> theme -> goal -> KPI."""
    columns = [
        Col("Item", min_width=20),
        Col("Status"),
        Col("Progress"),
        Col("Latest / target", max_width=18),
        Col("Due"),
        Col("Owner", max_width=14, min_width=8),
    ]
    rows: list[GridRow] = []
    by_id = card.by_id()
    used: list[str] = []

    def add(item: ItemStatus, indent: str) -> None:
        rows.append(
            [
                f"{indent}{item.id}  {item.title}",
                (status_label(item.status), LOOKS[item.status].colour),
                progress_bar(item.progress, width=5),
                latest_vs_target(item),
                _due(item),
                item.owner or "",
            ]
        )

    def add_used() -> None:
        for kpi_id in used:
            if kpi_id in by_id:
                add(by_id[kpi_id], USED_MARK)
        used.clear()

    current_plan = current_theme = None
    for item in card.items:
        if item.type == "goal":
            add_used()
        if item.plan != current_plan:
            current_plan = item.plan
            plan = index.plans.get(item.plan or "")
            rows.append(Heading(plan.title if plan else str(item.plan), "bold underline"))
        if item.theme != current_theme:
            current_theme = item.theme
            rows.append(Heading(f" {index.themes[item.theme].title}"))
        add(item, "  " if item.type == "goal" else "    - ")
        used.extend(item.uses)
    add_used()
    return grid(columns, rows, width, title)


def _due(item: ItemStatus) -> str:
    if item.due is None:
        return ""
    return f"{item.due}*" if item.due_from_plan else str(item.due)


def overview_table(card: Scorecard, index: Index, width: int) -> Text:
    """One row per plan, then one per sub-group (or theme, where no group owns it)."""
    present = {i.status for i in card.items}
    shown = [s for s in SEVERITY if s in present]
    columns = [
        Col("Plan / sub-group or theme", max_width=48, min_width=20),
        Col("Items", right=True),
        *(Col(status_label(s), right=True, style=LOOKS[s].colour) for s in shown),
    ]
    parts_of: dict[str, dict[str, list[ItemStatus]]] = {}
    for item in card.items:
        part = (
            index.groups[item.group].name
            if item.group in index.groups
            else (index.themes[item.theme].title)
        )
        parts_of.setdefault(item.plan or "", {}).setdefault(part, []).append(item)
    rows: list[GridRow] = []
    for plan_id, parts in parts_of.items():
        plan = index.plans.get(plan_id)
        plan_items = [i for items in parts.values() for i in items]
        name = plan.title if plan else plan_id
        rows.append([(name, "bold"), str(len(plan_items)), *_counts(plan_items, shown)])
        for part, items in parts.items():
            rows.append([f"  {part}", str(len(items)), *_counts(items, shown)])
    return grid(columns, rows, width, "Summary by plan and sub-group or theme")


def _counts(items: Sequence[ItemStatus], shown: Sequence[Status]) -> list[str]:
    counts = Counter(i.status for i in items)
    return [str(counts[s] or "") for s in shown]


def groups_table(rows: Sequence[GroupRow], width: int) -> Text:
    """Boards, each followed by its sub-groups: chairs, goals, and goals by status."""
    columns = [
        Col("Board / group", min_width=12, wrap=" "),
        Col("Id", min_width=10),
        Col("Chairs", min_width=9, wrap=" "),
        Col("Goals", right=True),
        Col("By status", min_width=16, wrap=", "),
    ]
    lines: list[GridRow] = []
    for row in rows:
        by_status = ", ".join(f"{n} {status_label(s)}" for s, n in row.by_status.items())
        name = row.name if row.type == "board" else f"  {row.name}"
        lines.append([name, row.id, ", ".join(row.chairs), str(row.goals), by_status])
    return grid(columns, lines, width, "Boards and sub-groups")


def summary_view(card: Scorecard, index: Index, width: int) -> list[Text | str]:
    """`status` on many items: counts by plan and sub-group, the most urgent items, and how to
    see the rest."""
    blocks: list[Text | str] = [overview_table(card, index, width)]
    every = needs_attention(card)
    shown = most_urgent(every, ATTENTION_LIMIT, card.as_of)
    if shown:
        blocks.append(f"Needs attention: the {len(shown)} most urgent of {len(every)}")
        blocks.append(status_table(Scorecard(card.as_of, tuple(shown)), index, width))
    blocks.append(
        f"{len(card.items)} items in all: --all shows every row, "
        "--plan/--group/--status narrow them."
    )
    return blocks


PLAN_END_NOTE = "Due dates marked * are the plan's end (the item has none of its own)."
USED_MARK = "    = "
USED_NOTE = (
    "Rows marked = are KPIs defined under another goal that this goal also uses: "
    "recorded and counted there."
)


def table_notes(card: Scorecard) -> list[str]:
    """The notes under a status table: what `*` and `=` mean, where they appear."""
    notes = [PLAN_END_NOTE]
    if any(i.uses for i in card.items):
        notes.append(USED_NOTE)
    return notes


def overdue_line(as_of: dt.date, late: int, soon: int, days: int) -> str:
    """`As of 2026-11-30: 9 overdue, 2 due within 30 days`."""
    return f"As of {as_of}: {late} overdue, {soon} due within {days} days"


def _plain_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A fixed-width text table, nothing cut or wrapped: fast at any size, safe to paste."""
    rows = [[printable(v) for v in row] for row in rows]
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, ["-" * w for w in widths], *rows]
    ]
    return "\n".join(lines) + "\n"


def items_plain(items: Sequence[ItemStatus]) -> str:
    """Every item on one line of plain text (`status --all` on more than a screen holds, for
    searching rather than reading): the one table not laid out by `grid`."""
    rows = [
        (
            i.id,
            status_label(i.status),
            progress_bar(i.progress),
            latest_vs_target(i),
            _due(i),
            i.owner or "",
        )
        for i in items
    ]
    return _plain_table(rows, ("id", "status", "progress", "latest / target", "due", "owner"))


def show_item(item: ItemStatus, model: AnyKpi | Goal, index: Index, origin: str) -> str:
    """Everything about one item: fields, source, measurements, status and reason."""
    lines = [
        f"{item.title} ({item.id})",
        f"  {item.type} ({item.kind}) in {origin}",
        f"  status:   {status_label(item.status)}",
        f"  reason:   {item.reason}",
    ]
    if item.flags:
        lines.append(f"  flags:    {', '.join(item.flags)}")
    if item.due:
        note = " (the plan's end: no due date of its own)" if item.due_from_plan else ""
        text = f' ("{item.due_text}")' if item.due_text else ""
        lines.append(f"  due:      {item.due}{text}{note}")
    if item.progress is not None:
        lines.append(f"  progress: {progress_bar(item.progress)}")
    if item.target:
        lines.append(f"  target:   {item.target}")
    owner = index.owners.get(item.owner or "", item.owner)
    chairs = f" (chairs: {', '.join(item.chairs)})" if item.chairs else ""
    lines.append(f"  owner:    {owner}{chairs}")
    data = model.model_dump(
        mode="json", exclude_none=True, exclude_defaults=True, exclude={"kpis", "measurements"}
    )
    lines.append("  fields:")
    for key, value in data.items():
        lines.append(f"    {key}: {_flat(value)}")
    measurements = getattr(model, "measurements", [])
    if measurements:
        lines.append("  measurements:")
        for meas in measurements:
            extra = f"  {meas.note}" if meas.note else ""
            lines.append(f"    {meas.date}  {format_number(meas.value)}{extra}")
    kpis = getattr(model, "kpis", [])
    if kpis:
        lines.append("  KPIs: " + ", ".join(k.id for k in kpis))
    return "".join(printable(line) + "\n" for line in lines)


def item_json(item: ItemStatus, model: AnyKpi | Goal) -> str:
    """`show --format json`: the item's status and its fields as written."""
    return json_text(item.as_dict() | {"fields": model.model_dump(mode="json", exclude_none=True)})


def context_json(entry: Context) -> str:
    """`show --format json` of a context entry: its fields as written."""
    fields = entry.model_dump(mode="json", exclude_none=True)
    return json_text({"id": entry.id, "type": "context", "fields": fields})


def show_context(entry: Context, origin: str) -> str:
    """One context entry: background a document states, which has no status and is not counted."""
    lines = [
        f"{entry.title} ({entry.id})",
        f"  context in {origin}: background, not tracked (no status, not counted)",
        f"  text:     {entry.text}",
        f"  source:   {_flat(entry.source.model_dump(mode='json', exclude_none=True))}",
    ]
    return "\n".join(lines) + "\n"


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return str(value)
