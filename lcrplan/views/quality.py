"""The report's data-quality section: the warnings about the items shown, counted by code, and
the suppressions in force, with how many problems each turned off."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.codes import BY_CODE
from ..core.problems import Problem
from ..core.statuses import Status
from ..evaluate.scorecard import Scorecard
from ..evaluate.summary import units
from ..loader.policy import Policy

if TYPE_CHECKING:
    pass


WARNINGS_SHOWN = 500  # the data-quality list stops here; `lcrplan validate` gives every one


@dataclass(frozen=True, slots=True)
class WarningRow:
    """A validation warning about an item shown, with its code (`lcrplan explain CODE`)."""

    file: str
    line: int
    item: str
    code: str
    message: str
    name: str
    """The code's name: `goal-without-kpi`."""
    where: str
    """`data/lis/vision.yaml:12`."""


@dataclass(frozen=True, slots=True)
class WarningKind:
    """How many warnings of one code the data-quality section counts."""

    code: str
    name: str
    summary: str
    count: int


@dataclass(frozen=True, slots=True)
class SuppressionRow:
    """A rule of lcrplan.yaml or an item's `ignore:` that turns a problem off, with its reason
    and how many problems about the items shown it turned off."""

    code: str
    name: str
    file: str
    label: str
    """`checks[0]` or `goal mb-export-1: ignore[0]`."""
    scope: str
    """What it covers: `plan lis-2020`, `lis/*.yaml`, `the whole data set`, or the item."""
    reason: str
    until: dt.date | None
    count: int


@dataclass(frozen=True, slots=True)
class Quality:
    """The data-quality section: warnings by code and in full, the suppressions in force, and
    two counts."""

    kinds: tuple[WarningKind, ...]
    warnings: tuple[WarningRow, ...]
    total: int
    """Warnings in all; `warnings` lists the first WARNINGS_SHOWN."""
    due_from_plan: int
    never_measured: int
    suppressions: tuple[SuppressionRow, ...] = ()
    suppressed: int = 0
    """Problems about the items shown that suppressions turned off."""


def quality_section(
    problems: Sequence[Problem], card: Scorecard, narrowed: str | None, policy: Policy
) -> Quality:
    """Validation warnings about the items shown, by code, and the suppressions in force."""
    shown = {i.id for i in card.items}
    warnings = [
        WarningRow(
            p.file,
            p.line,
            p.item,
            p.code,
            p.message,
            BY_CODE[p.code].name,
            f"{p.file}:{p.line}" if p.line else p.file,
        )
        for p in problems
        if p.severity != "error" and (not narrowed or p.item in shown)
    ]
    warnings.sort(key=lambda w: (w.code, w.file, w.line, w.message))
    counts = Counter(w.code for w in warnings)
    kinds = tuple(
        WarningKind(code, BY_CODE[code].name, BY_CODE[code].summary, n)
        for code, n in sorted(counts.items())
    )
    suppressed = [x for x in policy.suppressed if not narrowed or x.item in shown]
    per_rule = Counter(id(x.rule) for x in suppressed)
    suppressions = tuple(
        SuppressionRow(
            rule.code,
            BY_CODE[rule.code].name,
            rule.file,
            rule.label,
            _scope(rule.plan, rule.paths, rule.item),
            rule.reason,
            rule.until,
            per_rule[id(rule)],
        )
        for rule in policy.active()
        if rule.severity == "off" and (per_rule[id(rule)] or not narrowed)
    )
    return Quality(
        kinds=kinds,
        warnings=tuple(warnings[:WARNINGS_SHOWN]),
        total=len(warnings),
        due_from_plan=sum(i.due_from_plan for i in card.goals()),
        never_measured=sum(i.status is Status.not_reported for i in units(card.items)),
        suppressions=suppressions,
        suppressed=len(suppressed),
    )


def _scope(plan: str | None, paths: Sequence[str], item: str | None) -> str:
    if item:
        return item
    parts = ([f"plan {plan}"] if plan else []) + [f"files {p}" for p in paths]
    return ", ".join(parts) or "the whole data set"
