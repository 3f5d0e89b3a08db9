"""Every problem lcrplan reports has a code: `LCR` and three digits, a short kebab-case name and
a default severity, with a page saying what it means, why it matters, an example and the fix.

The codes are grouped by the hundred: 1xx the files and their YAML, 2xx fields and values,
3xx references to ids, 4xx consistency between fields and files, 5xx data quality (the
SMART gaps), 6xx configuration and suppressions, 7xx templates and edits. A code is never
reused for another meaning. `lcrplan explain CODE` prints a page; `docs/codes.md` is made
from the registry (`lcrplan explain --all --format markdown`) and a test keeps it in step.

The registry is data: `codes.json` beside this module, each code with its page, in the order
the handbook lists them. It is read once, when a code is first looked up (`BY_CODE`, `ALL`),
so a command that reports no problem never reads it.

A *locked* code is an error that leaves data the tracker cannot use (a file it cannot read, a
field it cannot understand, an id that points nowhere): its severity cannot be configured and
it cannot be suppressed. Any other code can be set to `error`, `warning`, `info` or `off` in
`lcrplan.yaml`, or suppressed on one item with a reason (see data/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, overload

Severity = Literal["error", "warning", "info"]
Level = Literal["error", "warning", "info", "off"]
"""What configuration may set a code to: a severity, or off."""
LEVELS: tuple[Level, ...] = ("error", "warning", "info", "off")
RANK = {"error": 0, "warning": 1, "info": 2, "off": 3}
"""Errors first: the order output lists problems in, and "lower" means further down it."""


@dataclass(frozen=True)
class Code:
    """One kind of problem, with its documentation."""

    code: str
    name: str
    level: Level
    """The default severity (or off: reported only when configuration turns it on)."""
    summary: str
    why: str
    example: str
    """YAML (or a situation) that gives the problem, and the message it gives."""
    fix: str
    locked: bool = False

    @property
    def category(self) -> str:
        return CATEGORIES[self.code[3]]


CATEGORIES = {
    "1": "Files and YAML",
    "2": "Fields and values",
    "3": "References",
    "4": "Consistency",
    "5": "Data quality",
    "6": "Configuration and suppressions",
    "7": "Templates and edits",
}


REGISTRY = Path(__file__).with_name("codes.json")


@cache
def _registry() -> tuple[Code, ...]:
    """Every code, read from REGISTRY once (json imported only then: `--help` needs no code)."""
    import json

    with REGISTRY.open(encoding="utf-8") as file:
        return tuple(Code(**entry) for entry in json.load(file))


@cache
def _index(key: str) -> dict[str, Code]:
    return {getattr(code, key): code for code in _registry()}


class _All(Sequence[Code]):
    """Every code in the handbook's order, read on first use."""

    @overload
    def __getitem__(self, index: int) -> Code: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Code]: ...
    def __getitem__(self, index: int | slice) -> Code | Sequence[Code]:
        return _registry()[index]

    def __len__(self) -> int:
        return len(_registry())


class _By(Mapping[str, Code]):
    """The codes by one of their fields (`code` or `name`), read on first use."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, word: str) -> Code:
        return _index(self.key)[word]

    def __iter__(self) -> Iterator[str]:
        return iter(_index(self.key))

    def __len__(self) -> int:
        return len(_index(self.key))


ALL: Sequence[Code] = _All()
BY_CODE: Mapping[str, Code] = _By("code")
BY_NAME: Mapping[str, Code] = _By("name")


def lookup(word: str) -> Code | None:
    """The code named by `word`: a code (`LCR501`, any case) or a name (`goal-without-kpi`)."""
    return BY_CODE.get(word.strip().upper()) or BY_NAME.get(word.strip().lower())


def severity_of(code: str) -> Severity:
    """The default severity of a code that is reported by default."""
    level = BY_CODE[code].level
    assert level != "off", f"{code} is off by default"
    return level


def describe(code: str) -> str:
    """`LCR501 (goal-without-kpi)`: how messages name a code."""
    return f"{code} ({BY_CODE[code].name})"


def page(code: Code) -> str:
    """One code's page as plain text (`lcrplan explain CODE`)."""
    default = "off (turn it on in lcrplan.yaml)" if code.level == "off" else code.level
    locked = "; cannot be configured or suppressed" if code.locked else ""
    example = "\n".join("    " + line for line in code.example.splitlines())
    return (
        f"{code.code} {code.name} ({code.category.lower()}; default: {default}{locked})\n\n"
        f"{code.summary}\n\nWhy it matters: {code.why}\n\nExample:\n{example}\n\n"
        f"Fix: {code.fix}\n"
    )


def handbook() -> str:
    """Every code's page as one Markdown document (docs/codes.md)."""
    out = [
        "# Problem codes\n",
        "Every problem `lcrplan validate` reports ends with its code, e.g. `[LCR501]`. "
        "This page is made from `lcrplan/core/codes.json` by `make docs` (`lcrplan explain --all "
        "--format markdown`); `lcrplan explain CODE` prints one entry. How to change a "
        "code's severity or suppress a problem with a reason: "
        "[data/README.md](../data/README.md#problems-severities-and-suppressions).\n",
        "*Locked* codes are errors that leave data the tracker cannot use: they cannot be "
        "configured or suppressed.\n",
        "| code | name | default | summary |",
        "|---|---|---|---|",
    ]
    for code in ALL:
        lock = " (locked)" if code.locked else ""
        out.append(
            f"| [{code.code}](#{code.code.lower()}) | {code.name} | {code.level}{lock} "
            f"| {code.summary.replace('|', '/')} |"
        )
    category = ""
    for code in ALL:
        if code.category != category:
            category = code.category
            out.append(f"\n## {category}\n")
        lock = "; locked" if code.locked else ""
        out.append(
            f"### {code.code}\n\n`{code.name}`, default **{code.level}**{lock}.\n\n"
            f"{code.summary}\n\n**Why it matters.** {code.why}\n\n"
            f"**Example.**\n\n```yaml\n{code.example}\n```\n\n**Fix.** {code.fix}\n"
        )
    return "\n".join(out) + "\n"
