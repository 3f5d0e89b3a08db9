"""Carry an edit made in ruamel.yaml's output back onto a file's own lines.

ruamel.yaml rewrites some things it reads (a leading `---`, CRLF line endings, a byte-order
mark, `~` for null, an unusual indentation). So an edit is taken as the line difference between
ruamel's output of the file unchanged (`noop`) and its output after the change (`new`), and that
difference is applied to the original lines (`carry`): everything else stays byte for byte.
Pure text in, text out; also the unified diff that `record`, `done` and `set-state` print.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

LineEdit = tuple[int, int, list[str]]
"""Lines `start` to `end` (exclusive) of ruamel's no-op output, replaced by these lines."""


@dataclass(frozen=True)
class FileText:
    """A file's text split into what ruamel reads and what it would not keep."""

    bom: str
    newline: str
    lines: list[str]
    """The original lines, each with its own line ending."""

    @classmethod
    def of(cls, text: str) -> FileText:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        newline = "\r\n" if body.count("\r\n") * 2 > body.count("\n") else "\n"
        return cls(bom, newline, split_lines(body))

    @property
    def lf(self) -> str:
        """The text as ruamel reads it: no byte-order mark, LF line endings."""
        return "".join(lf(line) for line in self.lines)


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line ending (the last one may have none)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def lf(text: str) -> str:
    """`text` with CRLF line endings made LF."""
    return text.replace("\r\n", "\n")


def unified_diff(rel: str, before: str, after: str) -> str:
    """The unified diff of an edit to file `rel`, with `a/` and `b/` paths as git prints them."""
    old = lf(before).splitlines(keepends=True)
    new = lf(after).splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _filler(line: str) -> bool:
    """A blank or comment-only line, which belongs to what follows it rather than before."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def edits(noop: list[str], new: list[str]) -> list[LineEdit]:
    """The line edits from ruamel's no-op output to its edited one."""
    # An insertion moves up above the blank and comment lines before it (they introduce what
    # follows), and no blank or comment line is removed: comments belong to people.
    out: list[LineEdit] = []
    floor = 0
    opcodes = difflib.SequenceMatcher(None, noop, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        lines = new[j1:j2]
        if tag == "insert":
            while i1 > floor and _filler(noop[i1 - 1]):
                i1 -= 1
            i2 = i1
        else:
            lines = _keep_comments(noop[i1:i2], lines)
        out.append((i1, i2, lines))
        floor = i2
    return out


def _keep_comments(old: list[str], new: list[str]) -> list[str]:
    """`new`, with the blank and comment lines of `old` it lacks kept before or after it."""
    spare = list(new)
    lead: list[str] = []
    tail: list[str] = []
    for i, line in enumerate(old):
        if not _filler(line):
            continue
        if line in spare:
            spare.remove(line)
        elif all(_filler(earlier) for earlier in old[:i]):
            lead.append(line)
        else:
            tail.append(line)
    return lead + new + tail


def carry(src: FileText, noop: list[str], new: list[str]) -> str | None:
    """Apply the edit ruamel made (noop -> new) to the original lines; None if they conflict."""
    orig = [lf(line) for line in src.lines]
    where = {i: i for i in range(len(noop) + 1)} if orig == noop else _alignment(noop, orig)
    lines = list(src.lines)
    for i1, i2, replacement in reversed(edits(noop, new)):
        span = _span(where, i1, i2)
        if span is None:
            return None
        lines[span[0] : span[1]] = [_ending(line, src.newline) for line in replacement]
    for i, line in enumerate(lines[:-1]):
        if not line.endswith("\n"):
            lines[i] = line + src.newline
    return src.bom + "".join(lines)


def _alignment(noop: list[str], orig: list[str]) -> dict[int, int]:
    """Which original line each unchanged line of ruamel's output is (index -> index)."""
    where: dict[int, int] = {len(noop): len(orig)}
    matcher = difflib.SequenceMatcher(None, noop, orig, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            where[a + k] = b + k
    return where


def _span(where: dict[int, int], i1: int, i2: int) -> tuple[int, int] | None:
    """The original lines that ruamel's lines i1 to i2 are, if they are all there in order."""
    if i1 == i2:
        at = where[i1 - 1] + 1 if i1 - 1 in where else where.get(i1)
        return None if at is None else (at, at)
    if any(i not in where for i in range(i1, i2)):
        return None
    if where[i2 - 1] - where[i1] != i2 - 1 - i1:
        return None
    return where[i1], where[i2 - 1] + 1


def _ending(line: str, newline: str) -> str:
    return line[:-1] + newline if line.endswith("\n") else line
