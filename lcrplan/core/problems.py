"""The one user-facing error type: a problem with a place, a message and a hint."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from .codes import BY_CODE, RANK, Severity, severity_of
from .textsafe import printable


@dataclass(frozen=True, order=True, init=False)
class Problem:
    """Something wrong in the data, at `file:line:column` (1-based; 0 when unknown), with its
    code (`codes.py`). The severity is the code's default unless configuration set another."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str
    severity: Severity
    item: str
    """The id of the item the problem is about ("" for a file or a field outside any item)."""
    place: str
    """Where in the file, when that is not a line and column: a cell of a returned form as its
    reader names it (`Return!U5`, `5:value`; `sheets.cell_position`)."""

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity | None = None,
        item: str = "",
        place: str = "",
    ) -> None:
        # Messages quote the data (keys, values, file names); a newline or control character
        # there must not break the one-line form, nor an undecodable file name the output.
        set_ = object.__setattr__
        set_(self, "file", printable(file))
        set_(self, "line", line)
        set_(self, "column", column)
        set_(self, "code", code)
        set_(self, "message", printable(message))
        set_(self, "hint", printable(hint))
        set_(self, "severity", severity or severity_of(code))
        set_(self, "item", item)
        set_(self, "place", printable(place))

    @property
    def where(self) -> str:
        """`path:line:col` (or `path:place`), or the path alone when the line is unknown."""
        if self.place:
            return f"{self.file}:{self.place}"
        return f"{self.file}:{self.line}:{self.column or 1}" if self.line else self.file

    def text(self) -> str:
        """`path:line:col: severity: message (hint) [LCR123]`: the form editors make clickable,
        with the code last, as compilers put their warning flags."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.where}: {self.severity}: {self.message}{hint} [{self.code}]"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        parts = [f"file={_gh_property(self.file)}"]
        if self.line:
            parts += [f"line={self.line}", f"col={self.column or 1}"]
        parts.append(f"title={_gh_property(self.code + ' ' + BY_CODE[self.code].name)}")
        body = self.message + (f" ({self.hint})" if self.hint else "")
        command = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        return f"::{command} {','.join(parts)}::{_gh_data(body)}"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class LcrplanError(Exception):
    """Raised at a stage boundary when the data cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.text() for p in self.problems))


WRITE_ADVICE = "check free disk space and the folder's permissions"


def cannot_write(
    where: str, error: BaseException, what: str = "the file", kept: str = "nothing was changed"
) -> Problem:
    """LCR712 for a file that could not be written: the reason the system (or `fileio`) gave,
    what to do about it (an `advice` the error carries, else `WRITE_ADVICE`), and what was
    kept as it was."""
    reason = getattr(error, "strerror", None) or str(error)
    advice = getattr(error, "advice", WRITE_ADVICE)
    return Problem(where, 0, 0, "LCR712", f"cannot write {what}: {reason}", f"{advice}; {kept}")


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def worst_first(problems: Iterable[Problem]) -> list[Problem]:
    """Errors, then warnings, then information; each by file and place."""
    return sorted(problems, key=lambda p: (RANK[p.severity], p))


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """A hint naming the nearest choices to a mistyped word, or "" when nothing is close."""
    return NearestWords(choices).hint(word, n)


class NearestWords:
    """The known words nearest to a mistyped one, at a cost that does not grow with their number.

    Up to SMALL words, difflib compares the word with each. Beyond, it compares only the
    CANDIDATES that share the most three-character pieces with the word, found through an
    index built once: 4,000 unknown references among 4,000 ids would otherwise be 16 million
    comparisons (a denial of service by one pull request). A candidate list misses a match
    only if the match shares fewer pieces with the word than CANDIDATES other words do.
    """

    SMALL = 200
    LONGEST = 200  # ids are at most 80 characters; a longer word's pieces would cost its length
    CANDIDATES = 24
    SCAN = 4_000  # index entries read per lookup, rarest pieces first

    def __init__(self, choices: Iterable[str]) -> None:
        self.words = sorted(set(choices))
        self.index: dict[str, list[int]] = {}
        if len(self.words) > self.SMALL:
            for i, known in enumerate(self.words):
                for piece in _pieces(known):
                    self.index.setdefault(piece, []).append(i)

    def nearest(self, word: str, n: int = 3) -> list[str]:
        """Up to `n` known words close to `word` (difflib's ratio of 0.6 or more), best first;
        none for a word longer than LONGEST, which no id is near."""
        if len(word) > self.LONGEST:
            return []
        pool = self._candidates(word) if self.index else self.words
        return difflib.get_close_matches(word, pool, n=n, cutoff=0.6)

    def hint(self, word: str, n: int = 3) -> str:
        close = self.nearest(word, n)
        if not close:
            return ""
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"

    def _candidates(self, word: str) -> list[str]:
        """The known words sharing the most pieces with `word`, reading the rarest pieces'
        entries first, up to SCAN of them (a piece every word has tells nothing)."""
        shared: Counter[int] = Counter()
        read = 0
        for piece in sorted(_pieces(word), key=lambda p: (len(self.index.get(p, ())), p)):
            found = self.index.get(piece, [])
            if read and read + len(found) > self.SCAN:
                break
            shared.update(found)
            read += len(found)
        size = len(word)
        # difflib's ratio is 2 * matches / total length: 0.6 needs the lengths within 3:7
        near = (self.words[i] for i, _ in shared.most_common())
        fits = (w for w in near if 3 * max(size, len(w)) <= 7 * min(size, len(w)))
        return list(islice(fits, self.CANDIDATES))


def _pieces(word: str) -> set[str]:
    """The word's three-character pieces, its ends marked, so 'ab' still has some."""
    marked = f"\x00{word}\x00"
    return {marked[i : i + 3] for i in range(len(marked) - 2)}
