"""Output without colour, as rich prints it, without importing rich's console.

Where rich would print no style at all (NO_COLOR is set, or the output is not a terminal), a
command's tables are written as they are and its lines of prose are wrapped at the width rich
would use, breaking where rich breaks (`wrap`, rich's own rule); importing rich's console and
its text machinery was a sizeable share of a command's start-up (BENCHMARKS.md). Anything this
does not cover (Windows consoles, text with a `[` or `:` that rich could read as markup or an
emoji, a tab) is printed by rich, as before.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

from ..core.textsafe import first_unsafe

_WORD = re.compile(r"\s*\S+\s*")
_ODD = re.compile(r"\[|:\S*?:|\t")
"""What rich reads as more than characters: markup, an emoji code, a tab to expand."""


class PlainConsole:
    """What commands use of rich's console (`width`, `color_system`, `print`) for output
    without colour; `fallback` makes the rich console that prints anything else."""

    color_system = None

    def __init__(self, width: int, out: Any, fallback: Any) -> None:
        self.width = width
        self.out = out
        self.fallback = fallback
        self._rich: Any = None

    def print(self, block: str) -> None:
        if not isinstance(block, str) or _ODD.search(block) or first_unsafe(block) is not None:
            if self._rich is None:
                self._rich = self.fallback()
            self._rich.print(block)
            return
        self.out.write(wrap(block, self.width))


def plain_width(width: int | None, isatty: bool, environ: Mapping[str, str]) -> int | None:
    """The width rich gives output to stdout (`width`: the one asked for, None for the
    terminal's) when it is certain to print it without style, else None (rich decides).

    rich prints no style with NO_COLOR (lcrplan then asks for no colour system) or when the
    output is not a terminal; it counts a terminal as one where TTY_COMPATIBLE=1 or FORCE_COLOR
    says so, and on Windows it measures the console its own way."""
    if sys.platform == "win32" or hasattr(builtins, "get_ipython"):  # a notebook: rich's own
        return None
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible == "0":
        terminal = False
    elif compatible == "1":
        terminal = True
    elif environ.get("FORCE_COLOR") is not None:
        terminal = environ.get("FORCE_COLOR") != ""
    else:
        terminal = isatty
    if terminal and "NO_COLOR" not in environ:
        return None
    if terminal and environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return 80
    if width is not None:
        return width
    for descriptor in (0, 1, 2):
        try:
            found = os.get_terminal_size(descriptor).columns
            break
        except (AttributeError, ValueError, OSError):
            found = None
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        found = int(columns)
    return found or 80


def wrap(text: str, width: int) -> str:
    """`text` as rich prints it `width` cells wide, with no style: each line broken between
    words where it is too long (a word longer than a line is cut across lines), then a newline.
    rich's rule (`rich._wrap.divide_line`, `Text.wrap`), for text with no markup."""
    from rich.cells import cell_len, chop_cells

    out = []
    for line in text.split("\n"):
        breaks: list[int] = []
        offset = 0
        for match in _WORD.finditer(line):
            start, word = match.start(), match.group(0)
            length = cell_len(word.rstrip())
            if width - offset >= length:
                offset += cell_len(word)
            elif length > width:
                pieces = chop_cells(word, width)
                for n, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if n == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            elif offset and start:
                breaks.append(start)
                offset = cell_len(word)
        for a, b in zip([0, *breaks], [*breaks, len(line)], strict=True):
            out.append(_fitted(line[a:b], width))
    return "\n".join(out) + "\n"


def _fitted(piece: str, width: int) -> str:
    """A wrapped line as rich ends it: trailing spaces past the width dropped, then cut to
    the width (rich's `rstrip_end`, then `truncate` with overflow "fold")."""
    from rich.cells import cell_len, set_cell_size

    excess = len(piece) - width
    if excess > 0:
        spaces = len(piece) - len(piece.rstrip())
        piece = piece[: len(piece) - min(spaces, excess)]
    return set_cell_size(piece, width) if cell_len(piece) > width else piece
