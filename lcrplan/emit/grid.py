"""Tables on a terminal: columns of text two spaces apart, laid out to the screen's width
(`layout`, `grid`). Headers wrap onto two lines at most; a column shrinks to its floor, then a
cell too wide goes on over more lines where its column may wrap, or is cut with an ellipsis;
never a cell of an id. A table is `Styled` text, which rich colours (`Styled.rich`) and which
is printed as it is without colour, so that plain output never imports rich's console; rich's
own Table measures and renders every cell on its own, which was most of a `status` at scale
(BENCHMARKS.md).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.textsafe import printable

if TYPE_CHECKING:
    from rich.text import Text


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

    rows = [printable_row(r) for r in rows]
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


def printable_row(row: GridRow) -> GridRow:
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
            pieces.append([(part, style) for part in wrap_words(text, width, col.wrap)])
    tall = max(map(len, pieces))
    return [
        _line(columns, widths, [p[n] if n < len(p) else "" for p in pieces]) for n in range(tall)
    ]


def _longest_piece(text: str, separator: str) -> int:
    """The width of the widest line `wrap_words` can make of `text` (each piece on its own)."""
    from rich.cells import cell_len

    return max(map(cell_len, wrap_words(text, 0, separator)))


def wrap_words(text: str, width: int, separator: str) -> list[str]:
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
