"""The one user-facing error type: a problem with a place, a message and a hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .textsafe import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the data, at `file:line:column` (1-based; 0 when unknown)."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # Messages quote the data (keys, values, file names); a newline or control character
        # there must not break the one-line form, nor an undecodable file name the output.
        for name in ("file", "message", "hint"):
            object.__setattr__(self, name, printable(getattr(self, name)))

    def text(self) -> str:
        """`path:line:col: severity: message (hint)`, the form editors make clickable."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.severity}: {self.message}{hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        parts = [f"file={_gh_property(self.file)}"]
        if self.line:
            parts += [f"line={self.line}", f"col={self.column or 1}"]
        body = self.message + (f" ({self.hint})" if self.hint else "")
        return f"::{self.severity} {','.join(parts)}::{_gh_data(body)}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class LcrplanError(Exception):
    """Raised at a stage boundary when the data cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.text() for p in self.problems))


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """A hint naming the nearest choices to a mistyped word, or "" when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=n, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
