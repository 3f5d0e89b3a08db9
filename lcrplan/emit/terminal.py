"""Results on a terminal: `status`, `overdue`, `groups` and `show` as tables (laid out by
`grid`) and plain text.

Status is never told by colour alone: every status is a word, with a symbol beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.formatting import format_number, progress_bar, status_label, written_number
from ..core.statuses import LOOKS, SEVERITY, Flag, Status, label
from ..core.textsafe import printable
from ..evaluate.attention import ATTENTION_LIMIT, RULE_OF, most_urgent, needs_attention
from ..evaluate.cadence import rhythm_words
from ..evaluate.forecast import forecast_words
from ..evaluate.scorecard import ItemStatus, Scorecard
from ..evaluate.summary import Summary, units
from .grid import (
    Cell,
    Col,
    GridRow,
    Heading,
    Styled,
    grid,
    layout,
    printable_row,
    wrap_words,
)

# Problems are written by `problems`; the command line reaches these through this module.
from .problems import (  # noqa: F401
    accepted_list,
    code_counts,
    problem_summary,
    render_problems,
    statistics,
)

if TYPE_CHECKING:
    from ..core.models import AnyKpi, Context, Goal, Measurement
    from ..loader.index import Index
    from ..views.groups import GroupRow


def latest_vs_target(item: ItemStatus) -> str:
    latest = format_number(item.latest.value) if item.latest else ""
    if item.kind == "milestone" or item.type == "goal":
        return ""
    if item.target and latest:
        return f"{latest} / {item.target}"
    return latest or (f"- / {item.target}" if item.target else "")


def summary_line(summary: Summary, card: Scorecard | None = None) -> str:
    """`status`'s first line, in the words of the report's summary: `As of 2026-11-30: 377
    items (232 KPIs, 145 goals with no KPI): 9 Overdue, ...; 2 due within 30 days; ...`.
    Goals shown whose KPIs the filters left out (`--status behind`) are said to be extra."""
    parts = ", ".join(f"{n} {label(s)}" for s, n in summary.counts)
    what = f"{summary.kpis} KPIs" + (
        f", {summary.goals_without_kpi} goals with no KPI" if summary.goals_without_kpi else ""
    )
    head = f"As of {summary.as_of}: {summary.items} items ({what})"
    extra = []
    if summary.needs_attention:
        extra.append(f"{attention_words(summary)}")
    if summary.never_reported:
        extra.append(f"{summary.never_reported} KPIs never reported")
    if summary.due_soon:
        extra.append(f"{summary.due_soon} due within {summary.due_soon_days} days")
    alone = _goals_without_their_kpis(card) if card else 0
    if alone:
        extra.append(f"also shown: {alone} goals with KPIs, counted through their KPIs")
    return head + (f": {parts}" if parts else "") + "".join(f"; {x}" for x in extra)


def attention_words(summary: Summary) -> str:
    """`17 need attention (9 overdue, 8 reading overdue)`: by the rule that put them there."""
    total = summary.needs_attention
    parts = ", ".join(f"{n} {RULE_OF[c].title.lower()}" for c, n in summary.attention.items() if n)
    return f"{total} need{'s' * (total == 1)} attention ({parts})"


def _goals_without_their_kpis(card: Scorecard) -> int:
    """Goals with KPIs on the card none of whose KPIs is there (the filters left them out)."""
    with_kpis = {i.goal for i in card.items if i.type == "kpi" and i.goal}
    shown: set[str] | None = None
    found = 0
    for g in card.items:
        if g.type == "goal" and not g.counted and g.id not in with_kpis:
            shown = {i.id for i in card.items} if shown is None else shown
            found += not set(g.uses) & shown
    return found


# --- scorecards -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One goal or KPI as a status table shows it, before it is laid out."""

    indent: str
    item: ItemStatus

    @property
    def lead(self) -> str:
        """The indent and the id: never cut."""
        return f"{self.indent}{self.item.id}"

    def cells(self) -> list[Cell]:
        item = self.item
        return [
            (status_label(item.status), LOOKS[item.status].colour),
            progress_bar(item.progress, width=5),
            latest_vs_target(item),
            _due(item),
            item.owner or "",
        ]


Section = tuple[str, Sequence[ItemStatus]]
"""A table's section: its heading ("" for none) and its items, in plan order."""
_MIN_TITLE = 12  # cells of a title kept beside its id before titles go onto lines of their own


def status_table(
    sections: Sequence[Section],
    index: Index,
    width: int,
    lookup: Mapping[str, ItemStatus] | None = None,
) -> Styled:
    """Goals and KPIs grouped plan -> theme -> goal, each plan and theme heading once per
    section. A KPI whose goal is not listed comes under a line naming the goal; a goal's KPIs
    from other goals (`uses:`) follow its own, marked `=` (`lookup`: every item by id).

    Every id is whole at any width. Where one line per item does not fit, the least important
    goes first: the progress column; then each title moves onto a line of its own, below its
    id; then the id too has a line of its own, above the columns; then "Latest / target".
    """
    lookup = lookup if lookup is not None else {}
    blocks: list[Heading | _Entry] = []
    for title, items in sections:
        if title:
            blocks.append(Heading(title, "bold"))
        blocks.extend(_entries(items, index, lookup))
    longest = max((len(printable(b.lead)) for b in blocks if isinstance(b, _Entry)), default=0)
    shapes: list[tuple[ShapeOf, tuple[str, ...]]] = [
        (_one_line, (PROGRESS, LATEST)),
        (_one_line, (LATEST,)),
        (_title_below, (LATEST,)),
        (_id_above, (LATEST,)),
        (_title_below, ()),
        (_id_above, ()),
    ]
    for shape, shown in shapes:
        columns, rows = shape(blocks, longest, shown)
        if layout(columns, [printable_row(r) for r in rows], width).fits:
            break
    return grid(columns, rows, width)


PROGRESS = "progress"
LATEST = "latest"
_STATUS_COLUMNS = [
    (None, Col("Status")),
    (PROGRESS, Col("Progress")),
    (LATEST, Col("Latest / target", max_width=18, min_width=8)),
    (None, Col("Due")),
    (None, Col("Owner")),
]
Shape = tuple[list[Col], list[GridRow]]
ShapeOf = Callable[[Sequence["Heading | _Entry"], int, Sequence[str]], Shape]


def _cells(entry: _Entry, shown: Sequence[str]) -> list[Cell]:
    """The entry's cells for the optional columns `shown` (and those always shown)."""
    return [
        c
        for (name, _), c in zip(_STATUS_COLUMNS, entry.cells(), strict=True)
        if name is None or name in shown
    ]


def _columns(first: Col, shown: Sequence[str]) -> list[Col]:
    return [first, *(col for name, col in _STATUS_COLUMNS if name is None or name in shown)]


def _one_line(blocks: Sequence[Heading | _Entry], longest: int, shown: Sequence[str]) -> Shape:
    """One line per item: its id and title (cut, never the id), then its columns."""
    rows: list[GridRow] = [
        b if isinstance(b, Heading) else [f"{b.lead}  {b.item.title}", *_cells(b, shown)]
        for b in blocks
    ]
    return _columns(Col("Item", min_width=longest + 2 + _MIN_TITLE), shown), rows


def _title_below(blocks: Sequence[Heading | _Entry], longest: int, shown: Sequence[str]) -> Shape:
    """Two lines per item: its id and columns, then its title (cut)."""
    rows: list[GridRow] = []
    for b in blocks:
        if isinstance(b, Heading):
            rows.append(b)
        else:
            rows.append([b.lead, *_cells(b, shown)])
            rows.append(Heading(" " * (len(b.indent) + 2) + b.item.title, ""))
    return _columns(Col("Item"), shown), rows


def _id_above(blocks: Sequence[Heading | _Entry], longest: int, shown: Sequence[str]) -> Shape:
    """Two lines per item: its id and title (the title cut, never the id), then its columns."""
    from rich.cells import cell_len

    rows: list[GridRow] = []
    for b in blocks:
        if isinstance(b, Heading):
            rows.append(b)
        else:
            lead = printable(b.lead)
            rows.append(Heading(f"{lead}  {b.item.title}", "", cell_len(lead)))
            rows.append(["", *_cells(b, shown)])
    return _columns(Col("Item"), shown), rows


def _entries(
    items: Sequence[ItemStatus], index: Index, lookup: Mapping[str, ItemStatus]
) -> list[Heading | _Entry]:
    """The headings and entries of one section."""
    out: list[Heading | _Entry] = []
    listed = {i.id for i in items}
    used: list[str] = []

    def add_used() -> None:
        out.extend(_Entry(USED_MARK, lookup[k]) for k in used if k in lookup)
        used.clear()

    plan_id: object = ()
    theme_id: object = ()
    goal_id: str | None = None
    for item in items:
        if item.type == "goal":
            add_used()
        if item.plan != plan_id:
            plan_id = item.plan
            plan = index.plans.get(item.plan or "")
            out.append(Heading(plan.title if plan else str(item.plan), "bold underline"))
            goal_id = None
        if item.theme != theme_id:
            theme_id = item.theme
            out.append(Heading(f" {index.themes[item.theme].title}"))
            goal_id = None
        if item.type == "goal":
            goal_id = item.id
            out.append(_Entry("  ", item))
            used.extend(item.uses)
            continue
        if item.goal != goal_id and item.goal not in listed:
            goal = lookup.get(item.goal or "")
            if goal is not None:
                lead = f"  {goal.id}"
                out.append(Heading(f"{lead}  {goal.title}", "", len(lead)))
        goal_id = item.goal
        out.append(_Entry("    - ", item))
    add_used()
    return out


def _due(item: ItemStatus) -> str:
    if item.due is None:
        return ""
    return f"{item.due}*" if item.due_from_plan else str(item.due)


def overview_table(card: Scorecard, index: Index, width: int) -> Styled:
    """Items (`summary.units`) by plan, then by sub-group (or theme, where no group owns it)."""
    counted = units(card.items)
    present = {i.status for i in counted}
    shown = [s for s in SEVERITY if s in present]
    columns = [
        Col("Plan / sub-group or theme", max_width=48, min_width=20),
        Col("Items", right=True),
        *(Col(status_label(s), right=True, style=LOOKS[s].colour) for s in shown),
    ]
    parts_of: dict[str, dict[str, list[ItemStatus]]] = {}
    for item in counted:
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
    return grid(columns, rows, width, "Items by plan and sub-group or theme")


def _counts(items: Sequence[ItemStatus], shown: Sequence[Status]) -> list[str]:
    counts = Counter(i.status for i in items)
    return [str(counts[s] or "") for s in shown]


NO_NAMED_LEAD = "no named lead"


def groups_table(rows: Sequence[GroupRow], width: int) -> Styled:
    """Boards, each followed by its sub-groups: chairs, and items owned, by status. Ids and
    status words are never cut: names and chairs wrap onto more lines, and on a narrow screen
    the counts by status go onto lines of their own under each row."""
    from rich.cells import cell_len

    lines = []
    for row in rows:
        parts = [f"{n} {status_label(s)}" for s, n in row.by_status.items() if n]
        name = f"  {row.name}" if row.type == "group" else row.name
        chairs = ", ".join(row.chairs) or ("" if row.type == "other" else NO_NAMED_LEAD)
        lines.append(([name, row.id, chairs, str(row.items)], parts))
    widest = max((cell_len(p) + 1 for _, parts in lines for p in parts), default=0)
    words = max((cell_len(w) for cells, _ in lines for w in cells[2].split()), default=0)
    columns = [
        Col("Board / group", min_width=12, wrap=" "),
        Col("Id"),
        Col("Chairs", min_width=max(words, 6), wrap=" "),
        Col("Items", right=True),
    ]
    wide = [*columns, Col("By status", min_width=widest, wrap=", ")]
    beside: list[GridRow] = [[*cells, ", ".join(parts)] for cells, parts in lines]
    if layout(wide, [printable_row(r) for r in beside], width).fits:
        return grid(wide, beside, width, "Items by board and sub-group")
    below: list[GridRow] = []
    for cells, parts in lines:
        below.append(cells)
        text = "    " + ", ".join(printable(p) for p in parts)
        below.extend(Heading(line, "") for line in wrap_words(text, width, ", ") if parts)
    return grid(columns, below, width, "Items by board and sub-group")


def groups_note(summary: Summary) -> str:
    """What the groups table counts, and why its rows overlap where they do."""
    return (
        f"{summary.items} items in all (KPIs, and goals with no KPI), each counted once: under "
        "its sub-group, else the board that owns it; a board's row includes its sub-groups'."
    )


def summary_view(card: Scorecard, index: Index, width: int) -> list[Styled | str]:
    """`status` on many items: counts by plan and sub-group, the most urgent items, and how to
    see the rest."""
    blocks: list[Styled | str] = [overview_table(card, index, width)]
    every = needs_attention(card.items)
    shown = most_urgent(every, ATTENTION_LIMIT)
    if shown:
        blocks.append(f"Needs attention: the {len(shown)} most urgent of {len(every)} items")
        lookup = card.by_id()
        blocks.append(status_table([("", shown)], index, width, lookup))
        blocks.extend(table_notes(shown, lookup))
    blocks.append(
        f"{len(units(card.items))} items in all: --all shows every row, "
        "--plan/--group/--status narrow them."
    )
    return blocks


PLAN_END_NOTE = "Due dates marked * are the plan's end (the item has none of its own)."
USED_MARK = "    = "
USED_NOTE = (
    "Rows marked = are KPIs defined under another goal that this goal also uses: "
    "recorded and counted there."
)


def table_notes(
    items: Sequence[ItemStatus], lookup: Mapping[str, ItemStatus] | None = None
) -> list[str]:
    """The notes under a status table of `items` (with the KPIs their goals use, from
    `lookup`): what `*` and `=` mean, each only when the table shows it."""
    lookup = lookup or {}
    used = [lookup[k] for i in items for k in i.uses if k in lookup]
    notes = []
    if any(i.due is not None and i.due_from_plan for i in (*items, *used)):
        notes.append(PLAN_END_NOTE)
    if used:
        notes.append(USED_NOTE)
    return notes


def overdue_line(summary: Summary, soon: int, days: int) -> str:
    """`As of 2026-11-30: 9 of 377 items overdue, 2 due within 30 days`."""
    return (
        f"As of {summary.as_of}: {summary.overdue} of {summary.items} items overdue, "
        f"{soon} due within {days} days"
    )


def overdue_sections(
    late: Sequence[ItemStatus], soon: Sequence[ItemStatus], days: int
) -> list[Section]:
    """`overdue`'s table: the overdue items, then those due soon, each under its goal."""
    sections: list[Section] = []
    if late:
        sections.append((f"Overdue ({len(late)})", late))
    if soon:
        sections.append((f"Due within {days} days ({len(soon)})", soon))
    return sections


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
    if item.attention:
        need = item.attention
        lines.append(f"  needs attention: {need.title.lower()}: {need.reason}")
    if item.forecast:
        lines.append(f"  forecast: {forecast_words(item.forecast)}")
    if item.flags:
        lines.append(f"  flags:    {', '.join(item.flags)}")
    if item.due:
        note = " (the plan's end: no due date of its own)" if item.due_from_plan else ""
        text = f' ("{item.due_text}")' if item.due_text else ""
        lines.append(f"  due:      {item.due}{text}{note}")
    if item.progress is not None:
        words = f" ({item.progress_text})" if item.progress_text else ""
        lines.append(f"  progress: {progress_bar(item.progress)}{words}")
    elif item.progress_text:
        lines.append(f"  progress: {item.progress_text}")
    if item.target:
        lines.append(f"  target:   {item.target}")
    owner = index.owners.get(item.owner or "", item.owner)
    chairs = f" (chairs: {', '.join(item.chairs)})" if item.chairs else ""
    lines.append(f"  owner:    {owner}{chairs}")
    lines += cycle_lines(item, index)
    data = model.model_dump(
        mode="json",
        exclude_none=True,
        exclude_defaults=True,
        exclude={"kpis", "measurements", "updates"},
    )
    lines.append("  fields:")
    for key, value in data.items():
        lines.append(f"    {key}: {_flat(value)}")
    measurements = getattr(model, "measurements", [])
    if measurements:
        lines.append("  measurements:")
        for meas in measurements:
            lines.append(f"    {meas.date}  {format_number(meas.value)}{_reading_notes(meas)}")
    kpis = getattr(model, "kpis", [])
    if kpis:
        lines.append("  KPIs: " + ", ".join(k.id for k in kpis))
    return "".join(printable(line) + "\n" for line in lines)


def _reading_notes(meas: Measurement) -> str:
    """What a measurement's line says besides its date and value: provisional, for a period,
    written later, a revision and why, its note."""
    extra = []
    if meas.provisional:
        extra.append("provisional")
    if meas.period:
        extra.append(f"for {meas.period}")
    if meas.written:
        extra.append(f"written {meas.written}")
    if meas.revised:
        extra.append(f"revises the figure above: {meas.revised}")
    said = f" ({'; '.join(extra)})" if extra else ""
    return said + (f"  {meas.note}" if meas.note else "")


def cycle_lines(item: ItemStatus, index: Index) -> list[str]:
    """`show`'s lines on the reporting rhythm and the owner's latest update beside the data."""
    lines = []
    if item.frequency or item.next_reading:
        words = rhythm_words(item.frequency, index.data.config.stale_days)
        lines.append(f"  reported: {words.removeprefix('reported ')}{_reading_due(item)}")
    if item.year_target:
        t = item.year_target
        lines.append(f"  this year's target: {t.text} by {t.date}")
    found = item.update
    if found is None:
        if item.type == "goal" or item.kind != "milestone":
            lines.append("  update:   none from the owner yet")
        return lines
    u = found.update
    person = index.people[u.by].name if u.by in index.people else u.by
    rating = u.rating.value.capitalize()
    said = f"{rating} (confidence {u.confidence.value})" if u.confidence else rating
    lines.append(f"  update:   {u.period}, owner says {said}; by {person} on {u.date}")
    lines.append(f"            {u.summary}")
    for name, text in (("next", u.next_steps), ("risks", u.risks), ("asks", u.asks)):
        if text:
            lines.append(f"            {name}: {text}")
    if found.stale:
        lines.append(f"  STALE UPDATE: the next update was due {found.next_due}")
    if item.disagreement:
        lines.append(f"  DISAGREES: {item.disagreement}")
    return lines


def _reading_due(item: ItemStatus) -> str:
    """When the next reading is due, as `show` says it: "; next reading due 2027-05-01", or
    "; a reading has been due since 2025-04-03 (none yet)"."""
    due = item.next_reading
    if due is None:
        return ""
    if Flag.never_reported in item.flags:
        return f"; the first reading has been due since {due} (none yet)"
    if Flag.stale in item.flags:
        return f"; the next reading has been due since {due}"
    first = " first" if item.latest is None else ""
    since = f", tracked since {item.tracked_since}" if item.tracked_since else ""
    return f"; the{first} reading is due {due}{since}"


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
    if isinstance(value, float):
        return written_number(value)  # as the file writes it: `target: 1000`, not 1000.0
    return str(value)
