"""Render results: problems, scorecards and groups as tables, plain text, JSON or CSV.

Status is never told by colour alone: every status is a word, with a symbol beside it.
Tables are laid out here (`grid`) and coloured by rich: rich's own Table measures and renders
every cell on its own, which was most of a `status` at scale (BENCHMARKS.md). A table is
`Styled` text, which rich colours (`Styled.rich`) and which is printed as it is without colour,
so that plain output never imports rich's console.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .attention import ATTENTION_LIMIT, RULE_OF, most_urgent, needs_attention
from .cadence import rhythm_words
from .codes import BY_CODE
from .errors import Problem, worst_first
from .evaluate import ItemStatus, Scorecard
from .forecast import forecast_words
from .statuses import LOOKS, SEVERITY, Flag, Status, label
from .summary import Summary, units
from .text import format_number, json_text, progress_bar, status_label, written_number
from .textsafe import printable

if TYPE_CHECKING:
    from rich.text import Text

    from .groups import GroupRow
    from .index import Index
    from .models import AnyKpi, Context, Goal, Measurement
    from .policy import Suppressed


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


# --- problems -----------------------------------------------------------------------------


def render_problems(
    problems: Sequence[Problem], fmt: str, source: Callable[[str], list[str] | None] | None = None
) -> str:
    """Problems as compiler-style text (errors first; with `source`, which gives a file's
    lines, each followed by its line and a caret under the column) or GitHub workflow commands
    (JSON: `output`)."""
    ordered = worst_first(problems)
    if fmt == "github":
        return "".join(p.github() + "\n" for p in ordered)
    if source is None:
        return "".join(p.text() + "\n" for p in ordered)
    return "".join(p.text() + "\n" + source_context(p, source(p.file)) for p in ordered)


CONTEXT_WIDTH = 120
"""Characters of a source line shown around the column; a longer line is cut with an ellipsis."""


def source_context(problem: Problem, lines: list[str] | None) -> str:
    """The problem's line of the file, numbered, and a caret under its column (as gcc and
    ruff show them), or "" when the line is unknown."""
    if not lines or not 0 < problem.line <= len(lines):
        return ""
    text = lines[problem.line - 1].rstrip("\r\n")
    col = max(1, min(problem.column or 1, len(text) + 1))
    start = max(0, col - 1 - CONTEXT_WIDTH // 2)
    shown = text[start : start + CONTEXT_WIDTH]
    before = "…" if start else ""
    after = "…" if start + CONTEXT_WIDTH < len(text) else ""
    lead = printable(before + text[start : col - 1])
    # the caret goes under the column: tabs stay tabs, wide characters take two cells
    pad = "".join("\t" if c == "\t" else " " * _char_cells(c) for c in lead)
    word = len(re.match(r"[^\s:,\]}]*", text[col - 1 :]).group(0)) or 1  # type: ignore[union-attr]
    number = str(problem.line)
    gutter = " " * len(number)
    return (
        f" {number} | {printable(before + shown)}{after}\n"
        f" {gutter} | {pad}^{'~' * (min(word, CONTEXT_WIDTH) - 1)}\n"
    )


def _char_cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def problem_summary(
    problems: Sequence[Problem], suppressed: Sequence[Suppressed] = (), listed: bool = True
) -> str:
    """`2 error(s) in 1 file(s), 3 warning(s), 149 known problems accepted in lcrplan.yaml
    (see ...)`; when the warnings were not listed (`listed`), they are counted by code."""
    counts = Counter(p.severity for p in problems)
    files = len({p.file for p in problems if p.severity == "error"})
    errors = counts["error"]
    text = f"{errors} error(s) in {files} file(s)" if errors else "no errors"
    text += f", {counts['warning']} warning(s)"
    if counts["info"]:
        text += f", {counts['info']} info"
    if suppressed:
        text += ", " + accepted_line(suppressed)
    if not listed and counts["warning"]:
        by_code = Counter(p.code for p in problems if p.severity == "warning")
        text += " (warnings: " + ", ".join(
            f"{n} {code} {BY_CODE[code].name}" for code, n in sorted(by_code.items())
        )
        text += "; `lcrplan validate` lists them)"
    return text


SHOW_ACCEPTED = "see `lcrplan validate --show-suppressed`"


def accepted_line(suppressed: Sequence[Suppressed]) -> str:
    """How many known problems were accepted with a reason, and where: in the settings
    (`checks:` of lcrplan.yaml), or on the items themselves (their `ignore:`)."""
    total = len(suppressed)
    on_items = sum(1 for s in suppressed if s.rule.item is not None)
    problems = "known problem" if total == 1 else "known problems"
    where = "in lcrplan.yaml" if not on_items else "in the items they concern"
    if 0 < on_items < total:
        where = "in lcrplan.yaml and in the items they concern"
    return f"{total} {problems} accepted {where} ({SHOW_ACCEPTED})"


def accepted_list(suppressed: Sequence[Suppressed]) -> str:
    """Every known problem accepted with a reason, under the rule or suppression that
    accepted it (where it is written, the code, the reason), in the order they are written."""
    by_rule: dict[int, list[Suppressed]] = {}
    for hidden in suppressed:
        by_rule.setdefault(id(hidden.rule), []).append(hidden)
    out = []
    for found in by_rule.values():
        rule = found[0].rule
        info = BY_CODE[rule.code]
        scope = f", plan {rule.plan}" if rule.plan else ""
        scope += f", files {', '.join(rule.paths)}" if rule.paths else ""
        until = f" until {rule.until}" if rule.until else ""
        count = "1 problem" if len(found) == 1 else f"{len(found)} problems"
        out.append(
            f"{rule.file}: {rule.label}: {rule.code} {info.name}{scope}: {count} accepted{until}"
        )
        out.append(f"  reason: {' '.join(rule.reason.split())}")
        out.extend(f"  {h.file}: {h.message} [{h.code}]" for h in found)
    return "".join(printable(line) + "\n" for line in out)


@dataclass(frozen=True)
class CodeCount:
    """How often one code was found, at each severity, and how often suppressed."""

    code: str
    name: str
    errors: int
    warnings: int
    info: int
    suppressed: int

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "error": self.errors,
            "warning": self.warnings,
            "info": self.info,
            "suppressed": self.suppressed,
        }


def code_counts(problems: Sequence[Problem], suppressed: Iterable[str]) -> list[CodeCount]:
    """Problems counted by code (`suppressed`: the code of each suppressed problem), errors'
    codes first, then by count."""
    found = Counter((p.code, p.severity) for p in problems)
    hidden = Counter(suppressed)
    codes = {p.code for p in problems} | set(hidden)
    rows = [
        CodeCount(
            code,
            BY_CODE[code].name,
            found[(code, "error")],
            found[(code, "warning")],
            found[(code, "info")],
            hidden[code],
        )
        for code in codes
    ]
    return sorted(rows, key=lambda r: (not r.errors, not r.warnings, r.code))


def statistics(rows: Sequence[CodeCount], fmt: str) -> str:
    """`--statistics`: counts per code, as a table or JSON."""
    if fmt == "json":
        return json_text([r.as_dict() for r in rows])
    if not rows:
        return "No problems.\n"
    header = ("code", "name", "error", "warning", "info", "suppressed")
    cells = [header] + [
        (r.code, r.name, *(str(n or "") for n in (r.errors, r.warnings, r.info, r.suppressed)))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        left = [row[i].ljust(widths[i]) for i in range(2)]
        right = [row[i].rjust(widths[i]) for i in range(2, len(header))]
        lines.append("  ".join(left + right).rstrip())
    return "\n".join(lines) + "\n"


# --- scorecards -----------------------------------------------------------------------------


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
    keep: int = 0
    """Leading characters never cut, however narrow the screen (an id): the line runs past the
    screen's edge rather than lose them."""


GridRow = Sequence[Cell] | Heading


@dataclass(frozen=True)
class Layout:
    """Where a `grid`'s columns go: each header's lines and each column's width."""

    headers: list[list[str]]
    widths: list[int]
    fits: bool
    """The columns fit the screen without cutting a cell below a column's floor."""

    @property
    def total(self) -> int:
        return sum(self.widths) + 2 * (len(self.widths) - 1)


def layout(columns: Sequence[Col], rows: Sequence[GridRow], width: int) -> Layout:
    """The widths of `columns` for `rows` on a screen `width` cells wide."""
    from rich.cells import cell_len

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
    return Layout(headers, widths, excess <= 0)


class Line:
    """One line of `Styled` text: its characters, the style of the whole line, and the style of
    each part (start, end, style). Its methods change it as rich's Text methods of the same
    names would, so that `Styled.rich` makes the very Text those would have made."""

    __slots__ = ("text", "style", "spans")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.text = text
        self.style = style
        self.spans: list[tuple[int, int, str]] = []

    def append(self, text: str, style: str | None = None) -> None:
        if text:
            if style:
                self.spans.append((len(self.text), len(self.text) + len(text), style))
            self.text += text

    def rstrip(self) -> None:
        self._set(self.text.rstrip())

    def truncate(self, width: int) -> None:
        """Cut to `width` cells, ending in an ellipsis (rich's `overflow="ellipsis"`)."""
        from rich.cells import cell_len, set_cell_size

        if cell_len(self.text) > width:
            self._set(set_cell_size(self.text, width - 1) + "…")

    def _set(self, text: str) -> None:
        if len(text) < len(self.text):  # rich keeps a span that started before the cut
            size = len(text)
            self.spans = [(a, min(b, size), style) for a, b, style in self.spans if a < size]
        self.text = text


class Styled:
    """Lines of text with styles: a table as `grid` lays it out."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines

    @property
    def plain(self) -> str:
        """The characters, without style."""
        return "\n".join(line.text for line in self.lines)

    def rich(self) -> Text:
        """The lines as one rich Text, for rich to colour."""
        from rich.text import Span, Text

        texts = []
        for line in self.lines:
            text = Text(line.text, style=line.style)
            text.spans = [Span(*span) for span in line.spans]
            texts.append(text)
        return Text("\n", no_wrap=True).join(texts)


def grid(columns: Sequence[Col], rows: Sequence[GridRow], width: int, title: str = "") -> Styled:
    """Columns of text two spaces apart, headers wrapped onto two lines at most, as `Styled`
    text: fast at any size, and the same characters with or without colour."""
    from rich.cells import cell_len

    rows = [_printable_row(r) for r in rows]
    title = printable(title)
    shape = layout(columns, rows, width)
    headers, widths, total = shape.headers, shape.widths, shape.total
    lines: list[tuple[Line, int]] = [(Line(title, "bold"), 0)] if title else []
    tall = max(map(len, headers), default=1)
    for n in range(tall):  # every header ends on the line just above the rows
        cells = [(h[n - tall + len(h)] if n >= tall - len(h) else "", "bold") for h in headers]
        lines.append((_line(columns, widths, cells), 0))
    for row in rows:
        if isinstance(row, Heading):
            text = _fit(row.text, max(total, width), row.keep)
            lines.append((Line(text, row.style), row.keep))
        else:
            lines.extend((line, 0) for line in _lines(columns, widths, row))
    for line, keep in lines:  # a screen too narrow even so: cut, never wrap
        if keep < width and cell_len(line.text) > width:
            line.truncate(width)
    return Styled([line for line, _ in lines])


def _printable_row(row: GridRow) -> GridRow:
    """The row with every text escaped for the terminal (data can hold anything)."""
    if isinstance(row, Heading):
        kept = printable(row.text[: row.keep])
        return Heading(kept + printable(row.text[row.keep :]), row.style, len(kept))
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


def _fit(text: str, width: int, keep: int = 0) -> str:
    """`text` cut to `width` cells, with an ellipsis where it was cut; its first `keep`
    characters are never cut (the text then runs past `width`)."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return text
    kept = cell_len(text[:keep])
    if kept >= width:  # the kept part alone fills the line: it runs past the edge, alone
        return text[:keep].rstrip()
    return set_cell_size(text, width - 1) + "…"


def _lines(columns: Sequence[Col], widths: Sequence[int], cells: Sequence[Cell]) -> list[Line]:
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


def _line(columns: Sequence[Col], widths: Sequence[int], cells: Sequence[Cell]) -> Line:
    """The cells side by side, each cut or padded to its column, two spaces apart (as
    `Line.append` would make them, in one string)."""
    from rich.cells import cell_len

    out = Line()
    parts: list[str] = []
    at = 0
    for c, (col, width) in enumerate(zip(columns, widths, strict=True)):
        cell = cells[c] if c < len(cells) else ""
        text, style = (cell, col.style) if isinstance(cell, str) else cell
        size = cell_len(text)
        if size > width:
            text = _fit(text, width)
            size = cell_len(text)
        piece = " " * (width - size) + text if col.right else text + " " * (width - size)
        if c:
            parts.append("  ")
            at += 2
        if piece and style:
            out.spans.append((at, at + len(piece), style))
        parts.append(piece)
        at += len(piece)
    out.text = "".join(parts)
    out.rstrip()
    return out


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
        if layout(columns, [_printable_row(r) for r in rows], width).fits:
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
    if layout(wide, [_printable_row(r) for r in beside], width).fits:
        return grid(wide, beside, width, "Items by board and sub-group")
    below: list[GridRow] = []
    for cells, parts in lines:
        below.append(cells)
        text = "    " + ", ".join(printable(p) for p in parts)
        below.extend(Heading(line, "") for line in _wrap_words(text, width, ", ") if parts)
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
