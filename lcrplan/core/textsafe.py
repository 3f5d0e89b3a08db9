"""Characters that data must not carry to a terminal, a CI log, CODEOWNERS or a spreadsheet.

One set of characters serves both ends: the models refuse them in text fields (`models.SingleLine`,
`models.MultiLine`), and `printable` shows them as escapes on every terminal and CI-log output,
so text that never met the models (a file name, a stale cache) cannot inject either.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls (newline, carriage return, tab, ESC, NUL...), DEL, C1 controls, the Unicode line
# and paragraph separators, and the bidirectional controls of "Trojan Source" (CVE-2021-42574).
CONTROL_CLASS = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
"""A regular-expression class of them, in a form Python, Rust (pydantic) and JSON Schema read."""
UNSAFE = re.compile(f"[{CONTROL_CLASS}\\ud800-\\udfff]")  # and lone surrogates (bad UTF-8)
# A line a CI runner would obey: `::error ...`, `::add-mask::`, `##[group]` (GitHub Actions).
_COMMAND = re.compile(r"^(\s*)(:(?=:)|#(?=#\[))")
_NAMES = {
    "\x00": "null",
    "\t": "tab",
    "\n": "line feed",
    "\r": "carriage return",
    "\x1b": "escape",
    "\x7f": "delete",
}


def printable(text: object) -> str:
    """`text` safe to print as (part of) one line of a terminal or a CI log.

    Each unsafe character is shown as an escape (`\\x1b`, `\\n`, `\\u202e`) rather than dropped,
    so a reader sees that it was there; a leading `::` or `##[` (a workflow command) starts
    with an escaped character instead.
    """
    text = str(text)
    if text.isascii() and text.isprintable() and not text.lstrip().startswith(("::", "##[")):
        return text  # the usual case, told without a regular expression
    if UNSAFE.search(text):
        text = UNSAFE.sub(_escape, text)
    if _COMMAND.match(text):
        text = _COMMAND.sub(lambda m: m.group(1) + f"\\x{ord(m.group(2)):02x}", text, count=1)
    return text


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in "\t\n\r":
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def describe(char: str) -> str:
    """`U+001B (escape)`, `U+202E (RIGHT-TO-LEFT OVERRIDE)`: a character named for a message."""
    name = _NAMES.get(char) or unicodedata.name(char, "") or "control character"
    return f"U+{ord(char):04X} ({name})"


def first_unsafe(text: str, allow_newline: bool = False) -> str | None:
    """The first character of `text` that a text field may not hold (`\\n` allowed if asked)."""
    for found in UNSAFE.finditer(text):
        if not (allow_newline and found.group() == "\n"):
            return found.group()
    return None
