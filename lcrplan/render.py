"""Render results: problems, scorecards and groups as rich tables, plain text, JSON or CSV.

Status is never told by colour alone: every status is a word, with a symbol beside it.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .evaluate import LABELS, SEVERITY, ItemStatus, Scorecard, summary_counts

if TYPE_CHECKING:
    from rich.table import Table

    from .index import Index

SYMBOLS = {
    "overdue": "!!",
    "off_track": "x",
    "worsening": "v",
    "at_risk": "~",
    "no_data": "?",
    "open": "o",
    "flat": "=",
    "ongoing": ">",
    "on_track": "+",
    "improving": "^",
    "done": "*",
    "paused": "-",
    "dropped": "-",
}
STYLES = {
    "overdue": "bold red",
    "off_track": "red",
    "worsening": "red",
    "at_risk": "yellow",
    "no_data": "dim",
    "open": "cyan",
    "flat": "",
    "ongoing": "blue",
    "on_track": "green",
    "improving": "green",
    "done": "bold green",
    "paused": "dim",
    "dropped": "dim",
}
ATTENTION = ("overdue", "off_track", "worsening", "at_risk")
FULL_TABLE_LIMIT = 150
ATTENTION_LIMIT = 25
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


def status_label(status: str) -> str:
    """`[x] Off track`: a symbol and a word, readable without colour."""
    return f"[{SYMBOLS.get(status, '?')}] {LABELS.get(status, status)}"


def progress_bar(progress: float | None, width: int = 10) -> str:
    """`#####-----  50%` in plain characters; blank when progress is unknown."""
    if progress is None:
        return ""
    filled = round(max(0.0, min(1.0, progress)) * width)
    return "#" * filled + "-" * (width - filled) + f" {progress:4.0%}"


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def latest_vs_target(item: ItemStatus) -> str:
    latest = format_number(item.latest.value) if item.latest else ""
    if item.kind == "milestone" or item.type == "goal":
        return ""
    if item.target and latest:
        return f"{latest} / {item.target}"
    return latest or (f"- / {item.target}" if item.target else "")


def summary_line(card: Scorecard) -> str:
    """One line of counts: `As of 2026-11-21: 412 items: 40 Overdue, 3 At risk, ...`."""
    counts = summary_counts(card.items)
    parts = ", ".join(f"{n} {LABELS[s]}" for s, n in counts.items())
    flags = {f: sum(f in i.flags for i in card.items) for f in ("due_soon", "stale")}
    extra = "".join(f"; {n} {f.replace('_', ' ')}" for f, n in flags.items() if n)
    return f"As of {card.as_of}: {len(card.items)} items ({parts}){extra}"


# --- problems -----------------------------------------------------------------------------


def render_problems(problems: Sequence[Problem], fmt: str) -> str:
    """Problems as compiler-style text, GitHub workflow commands or JSON."""
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n"
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
    return json.dumps([i.as_dict() for i in items], indent=2, ensure_ascii=False) + "\n"


def items_csv(items: Iterable[ItemStatus]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        row: dict[str, Any] = {k: v for k, v in item.as_dict().items() if k in CSV_FIELDS}
        row["latest_date"] = item.latest.date.isoformat() if item.latest else ""
        row["latest_value"] = format_number(item.latest.value) if item.latest else ""
        row["flags"] = " ".join(item.flags)
        row["progress"] = "" if item.progress is None else f"{item.progress:.4f}"
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


def status_table(card: Scorecard, ix: Index, title: str = "") -> Table:
    """Every item, grouped plan -> theme -> goal -> KPI."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title or None, pad_edge=False, box=None, header_style="bold", expand=True)
    table.add_column("Item", no_wrap=True, overflow="ellipsis", min_width=20, ratio=1)
    table.add_column("Status", no_wrap=True, min_width=13)
    table.add_column("Progress", no_wrap=True, min_width=10)
    table.add_column("Latest / target", no_wrap=True, overflow="ellipsis", max_width=18)
    table.add_column("Due", no_wrap=True, min_width=11)
    table.add_column("Owner", no_wrap=True, overflow="ellipsis", max_width=14)
    current_plan = current_theme = None
    for item in card.items:
        if item.plan != current_plan:
            current_plan = item.plan
            plan = ix.plans.get(item.plan or "")
            table.add_row(Text(plan.title if plan else str(item.plan), style="bold underline"))
        if item.theme != current_theme:
            current_theme = item.theme
            theme = ix.themes[item.theme]
            table.add_row(Text(f" {theme.title}", style="bold"))
        label = Text("  " if item.type == "goal" else "    - ")
        label.append(item.id, style="dim")
        label.append(f"  {item.title}")
        table.add_row(
            label,
            Text(status_label(item.status), style=STYLES.get(item.status, "")),
            progress_bar(item.progress, width=5),
            latest_vs_target(item),
            _due(item),
            item.owner or "",
        )
    return table


def _due(item: ItemStatus) -> str:
    if item.due is None:
        return ""
    return f"{item.due}*" if item.due_from_plan else str(item.due)


def overview_table(card: Scorecard, ix: Index) -> Table:
    """One row per plan, then one per sub-group (or theme, where no group owns it)."""
    from rich.markup import escape
    from rich.table import Table

    shown = [s for s in SEVERITY if any(i.status == s for i in card.items)]
    table = Table(
        title="Summary by plan and sub-group or theme",
        pad_edge=False,
        box=None,
        header_style="bold",
    )
    table.add_column("Plan / sub-group or theme", max_width=48, overflow="ellipsis", no_wrap=True)
    table.add_column("Items", justify="right")
    for s in shown:
        table.add_column(escape(status_label(s)), justify="right", style=STYLES.get(s, ""))
    rows: dict[str, dict[str, list[ItemStatus]]] = {}
    for item in card.items:
        part = (
            ix.groups[item.group].name if item.group in ix.groups else (ix.themes[item.theme].title)
        )
        rows.setdefault(item.plan or "", {}).setdefault(part, []).append(item)
    for plan_id, parts in rows.items():
        plan = ix.plans.get(plan_id)
        plan_items = [i for items in parts.values() for i in items]
        table.add_row(
            f"[bold]{escape(plan.title if plan else plan_id)}[/bold]",
            str(len(plan_items)),
            *_counts(plan_items, shown),
        )
        for name, items in parts.items():
            table.add_row(f"  {escape(name)}", str(len(items)), *_counts(items, shown))
    return table


def _counts(items: Sequence[ItemStatus], shown: Sequence[str]) -> list[str]:
    counts = Counter(i.status for i in items)
    return [str(counts[s] or "") for s in shown]


def needs_attention(card: Scorecard, limit: int | None = None) -> list[ItemStatus]:
    """The most urgent items (overdue, off track, worsening, at risk, due soon), in plan order."""
    items = [i for i in card.items if i.status in ATTENTION or "due_soon" in i.flags]
    items.sort(key=lambda i: (SEVERITY.index(i.status), i.due or card.as_of, i.id))
    chosen = {i.id for i in (items[:limit] if limit else items)}
    return [i for i in card.items if i.id in chosen]


def plain_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A fixed-width text table: fast at any size, and safe to paste anywhere."""
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
    lines = [
        "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, ["-" * w for w in widths], *rows]
    ]
    return "\n".join(lines) + "\n"


def items_plain(items: Sequence[ItemStatus]) -> str:
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
    return plain_table(rows, ("id", "status", "progress", "latest / target", "due", "owner"))


def show_item(item: ItemStatus, model: Any, ix: Index, origin: str) -> str:
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
    owner = ix.owners.get(item.owner or "", item.owner)
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
    return "\n".join(lines) + "\n"


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flat(v) for v in value) + "]"
    return str(value)
