"""Problems out, in each format `validate` prints, from one count: compiler-style text (each
problem followed by its source line and a caret), GitHub workflow commands, a SARIF 2.1.0 log,
and the JSON records of the output envelope; the summary line, the counts by code
(`--statistics`) and the problems accepted with a reason.

SARIF is the format GitHub code scanning reads: each problem is shown on its line in a pull
request's Files tab, and followed across runs by its fingerprint (code, file and item, not the
line, which moves with every edit). It is written by hand: SARIF is a JSON document, and the one
part that needs care (a stable fingerprint) is ours to define. Suppressed problems are included
with the reason, as SARIF's `suppressions`, so code scanning shows them as dismissed rather than
forgetting them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from ..core.codes import ALL, BY_CODE, Code
from ..core.formatting import json_text
from ..core.problems import Problem, worst_first
from ..core.textsafe import printable
from ..core.version import __version__

if TYPE_CHECKING:
    from ..loader.policy import Suppressed


@dataclass(frozen=True)
class Tally:
    """How many problems of each severity, and how many files have an error."""

    errors: int
    warnings: int
    info: int
    files_with_errors: int


def tally(problems: Iterable[Problem]) -> Tally:
    """The one count of problems every format and summary gives."""
    counts: Counter[str] = Counter()
    files: set[str] = set()
    for p in problems:
        counts[p.severity] += 1
        if p.severity == "error":
            files.add(p.file)
    return Tally(counts["error"], counts["warning"], counts["info"], len(files))


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
    counts = tally(problems)
    errors, files = counts.errors, counts.files_with_errors
    text = f"{errors} error(s) in {files} file(s)" if errors else "no errors"
    text += f", {counts.warnings} warning(s)"
    if counts.info:
        text += f", {counts.info} info"
    if suppressed:
        text += ", " + accepted_line(suppressed)
    if not listed and counts.warnings:
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


# --- JSON records --------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemItem:
    """A validation problem at `file:line:column` (0 when unknown), with its code
    (`lcrplan explain CODE`) and the id of the item it is about ("" for a file)."""

    file: str
    line: int
    column: int
    severity: Literal["error", "warning", "info"]
    code: str
    message: str
    hint: str
    item: str


@dataclass(frozen=True)
class ProblemSummary:
    errors: int
    warnings: int
    info: int
    files_with_errors: int
    suppressed: int


def problem_record(p: Problem) -> ProblemItem:
    return ProblemItem(p.file, p.line, p.column, p.severity, p.code, p.message, p.hint, p.item)


def summary_record(problems: Sequence[Problem], suppressed: int = 0) -> ProblemSummary:
    """How many problems of each severity, files with errors, and problems suppressed."""
    counted = tally(problems)
    return ProblemSummary(
        counted.errors, counted.warnings, counted.info, counted.files_with_errors, suppressed
    )


# --- SARIF ---------------------------------------------------------------------------------

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "off": "none"}


def sarif_log(problems: Sequence[Problem], suppressed: Sequence[Suppressed] = ()) -> str:
    """A SARIF log of one run of lcrplan: every code as a rule, every problem as a result."""
    index = {code.code: i for i, code in enumerate(ALL)}
    results = [_result(p, index) for p in worst_first(problems)]
    for hidden in suppressed:
        rule = hidden.rule
        result = _result(
            Problem(hidden.file, 0, 0, hidden.code, hidden.message, "", "warning", hidden.item),
            index,
        )
        result["level"] = LEVELS[BY_CODE[hidden.code].level]
        result["suppressions"] = [
            {
                "kind": "inSource" if rule.item else "external",
                "status": "accepted",
                "justification": rule.reason,
            }
        ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lcrplan",
                        "version": __version__,
                        "rules": [_rule(code) for code in ALL],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json_text(log)


def _rule(code: Code) -> dict[str, object]:
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.why},
        "help": {
            "text": f"{code.fix}\n\nExample:\n{code.example}",
            "markdown": f"{code.fix}\n\nExample:\n\n```yaml\n{code.example}\n```",
        },
        "defaultConfiguration": {"level": LEVELS[code.level], "enabled": code.level != "off"},
        "properties": {"category": code.category, "locked": code.locked},
    }


def _result(problem: Problem, index: dict[str, int]) -> dict[str, object]:
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(problem.file)}}
    if problem.line:
        location["region"] = {"startLine": problem.line, "startColumn": problem.column or 1}
    subject = problem.item or problem.message
    fingerprint = hashlib.sha256(f"{problem.code}\0{problem.file}\0{subject}".encode()).hexdigest()
    return {
        "ruleId": problem.code,
        "ruleIndex": index[problem.code],
        "level": LEVELS[problem.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"lcrplanItem/v1": fingerprint},
    }


def _uri(file: str) -> str:
    """A file's name as a URI reference: relative names stay relative (to the checkout)."""
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        return "file://" + quote(str(path))
    return quote(str(path))
