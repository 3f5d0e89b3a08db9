"""Which problems are reported, and at which severity: each code's default (`codes.py`), the
rules in `lcrplan.yaml` (`checks:`), and the suppressions written on goals and KPIs
(`ignore:`). Every rule and suppression gives a reason; one past its `until` date is an error
and stops applying, so a temporary exception cannot become permanent silently.

A suppression on an item wins over the rules; among the rules the last that matches wins.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ..core.codes import BY_CODE, BY_NAME, Level, describe, lookup
from ..core.models import AnyKpi, DataSet, Goal, Suppression
from ..core.problems import NearestWords
from ..core.settings import CheckRule

Loc = tuple[str | int, ...]


class RuleProblem(NamedTuple):
    """A problem with a rule or suppression itself, at `loc` in `file` (placed by the loader)."""

    file: str
    loc: Loc
    item: str
    code: str
    message: str
    hint: str


@dataclass(eq=False)
class Rule:
    """A rule of `checks:` or a suppression of an item's `ignore:`, as it applies."""

    file: str
    loc: Loc
    """Where it is written: `("checks", 2)`, or the item's place and `("ignore", 0)`."""
    label: str
    """How messages name it: `checks[2]`, `goal mb-export-1: ignore[0]`."""
    code: str
    severity: Level
    reason: str
    until: dt.date | None = None
    plan: str | None = None
    paths: tuple[str, ...] = ()
    item: str | None = None
    """The item a suppression is written on (None for a rule of `checks:`)."""
    used: int = 0
    """How many problems it decided."""

    def matches(self, code: str, file: str, item: str, plan: str | None) -> bool:
        if code != self.code:
            return False
        if self.item is not None:
            return item == self.item
        if self.plan is not None and plan != self.plan:
            return False
        inside = file.partition("/")[2]  # names are data/...: patterns are from inside data/
        return not self.paths or any(fnmatch.fnmatchcase(inside, p) for p in self.paths)


@dataclass
class Suppressed:
    """A problem a rule or suppression turned off: counted, and listed with its reason."""

    code: str
    file: str
    item: str
    message: str
    rule: Rule


@dataclass
class Policy:
    """The rules and suppressions that apply, and what they have suppressed so far."""

    rules: list[Rule] = field(default_factory=list)
    ignores: dict[tuple[str, str], Rule] = field(default_factory=dict)
    """Suppressions by (item id, code)."""
    plans: dict[str, str] = field(default_factory=dict)
    """The plan of every plan, theme, goal and KPI id."""
    suppressed: list[Suppressed] = field(default_factory=list)
    _by_code: dict[str, list[Rule]] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)

    def _rules_for(self, code: str) -> list[Rule]:
        """The rules for `code`, in the order written (indexed again if rules were added):
        each problem is weighed against its code's few rules, not all of them."""
        if self._indexed != len(self.rules):
            self._by_code = {}
            for rule in self.rules:
                self._by_code.setdefault(rule.code, []).append(rule)
            self._indexed = len(self.rules)
        return self._by_code.get(code, [])

    def decide(self, code: str, file: str, item: str = "") -> tuple[Level, Rule | None]:
        """The level of a problem with `code` about `item` in `file`, and the rule that set it
        (None: the code's default)."""
        info = BY_CODE[code]
        if info.locked:
            return info.level, None
        rule = self.ignores.get((item, code)) if item else None
        if rule is None:
            plan = self.plans.get(item)
            rule = next(
                (r for r in reversed(self._rules_for(code)) if r.matches(code, file, item, plan)),
                None,
            )
        if rule is None:
            return info.level, None
        rule.used += 1
        return rule.severity, rule

    def suppress(self, code: str, file: str, item: str, message: str, rule: Rule | None) -> None:
        """Count a problem turned off by `rule` (one off by default is not counted)."""
        if rule is not None:
            self.suppressed.append(Suppressed(code, file, item, message, rule))

    def active(self) -> list[Rule]:
        """Every rule and suppression that applies, in the order they are written."""
        return [*self.rules, *self.ignores.values()]

    def unused(self) -> Iterator[RuleProblem]:
        """A warning for each rule or suppression that decided no problem."""
        for rule in self.active():
            if rule.used:
                continue
            level, _ = self.decide("LCR605", rule.file, rule.item or "")
            if level == "off":
                continue
            where = "problem" if rule.item else f"problem{' in these files' if rule.paths else ''}"
            yield RuleProblem(
                rule.file,
                rule.loc,
                rule.item or "",
                "LCR605",
                f"{rule.label}: {describe(rule.code)} suppresses nothing"
                if rule.severity == "off"
                else f"{rule.label}: {describe(rule.code)} matches no {where}",
                "remove it: what it was written for is gone",
            )


def build(
    data: DataSet, config_file: str, origins: Mapping[str, tuple[str, Loc]], today: dt.date | None
) -> tuple[Policy, list[RuleProblem]]:
    """The policy of a data set, and the problems of its rules and suppressions (`origins`:
    the file and place each item is written at, by id)."""
    policy = Policy()
    problems: list[RuleProblem] = []
    with_ignores: list[tuple[str, Goal | AnyKpi]] = []
    for plan in data.plans:
        policy.plans[plan.id] = plan.id
    item_plans = policy.plans
    for theme_file in data.themes:
        plan_id = theme_file.theme.plan
        item_plans[theme_file.theme.id] = plan_id
        for goal in theme_file.goals:
            item_plans[goal.id] = plan_id
            if goal.ignore:
                with_ignores.append(("goal", goal))
            for kpi in goal.kpis:
                item_plans[kpi.id] = plan_id
                if kpi.ignore:
                    with_ignores.append(("kpi", kpi))
    for i, check in enumerate(data.config.checks):
        rule = _rule(check, config_file, ("checks", i), f"checks[{i}]", None, today, problems)
        if rule is not None and rule.plan is not None and rule.plan not in policy.plans:
            near = NearestWords(p.id for p in data.plans)
            problems.append(
                RuleProblem(
                    config_file,
                    (*rule.loc, "plan"),
                    "",
                    "LCR304",
                    f"checks[{i}]: unknown plan '{rule.plan}'",
                    near.hint(rule.plan) or "the rule applies to items of the plan with this id",
                )
            )
            rule = None
        if rule is not None:
            policy.rules.append(rule)
    plans = {p.id for p in data.plans}
    for i, entry in enumerate(data.config.tracking):
        if entry.plan not in plans:
            near = NearestWords(sorted(plans))
            problems.append(
                RuleProblem(
                    config_file,
                    ("tracking", i, "plan"),
                    "",
                    "LCR304",
                    f"tracking[{i}]: unknown plan '{entry.plan}'",
                    near.hint(entry.plan) or "give the id of a plan this tracker follows",
                )
            )
    for word, item in with_ignores:
        file, loc = origins[item.id]
        for j, suppression in enumerate(item.ignore):
            label = f"{word} {item.id}: ignore[{j}]"
            rule = _rule(suppression, file, (*loc, "ignore", j), label, item.id, today, problems)
            if rule is not None:
                policy.ignores[(item.id, rule.code)] = rule
    return policy, problems


def _rule(
    written: CheckRule | Suppression,
    file: str,
    loc: Loc,
    label: str,
    item: str | None,
    today: dt.date | None,
    problems: list[RuleProblem],
) -> Rule | None:
    """The rule `written` at `loc`, or None (with its problem added) when it cannot apply."""
    found = lookup(written.code)
    item_id = item or ""
    if found is None:
        near = NearestWords([*BY_CODE, *BY_NAME]).hint(written.code.strip(), n=1)
        problems.append(
            RuleProblem(
                file,
                (*loc, "code"),
                item_id,
                "LCR601",
                f"{label}: unknown code '{written.code}'",
                near or "lcrplan explain --all lists every code",
            )
        )
        return None
    named = describe(found.code)
    if found.locked:
        problems.append(
            RuleProblem(
                file,
                (*loc, "code"),
                item_id,
                "LCR604",
                f"{label}: {named} cannot be configured or suppressed",
                "it is an error that leaves data the tracker cannot use: fix the problem instead",
            )
        )
        return None
    reason = (written.reason or "").strip()
    if not reason:
        problems.append(
            RuleProblem(
                file,
                loc,
                item_id,
                "LCR602",
                f"{label}: {named} gives no reason",
                "add 'reason:', a sentence a reader can check against the document",
            )
        )
        return None
    if written.until is not None and today is not None and written.until < today:
        problems.append(
            RuleProblem(
                file,
                (*loc, "until"),
                item_id,
                "LCR603",
                f"{label}: {named} expired on {written.until}",
                "fix what it suppressed, or give a new 'until' if the reason still holds",
            )
        )
        return None
    if isinstance(written, CheckRule):
        return Rule(
            file,
            loc,
            label,
            found.code,
            written.severity,
            reason,
            written.until,
            written.plan,
            tuple(written.paths),
        )
    return Rule(file, loc, label, found.code, "off", reason, written.until, item=item)
