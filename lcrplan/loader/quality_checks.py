"""The data-quality checks (warnings): SMART goals and KPIs, baselines, the update cycle (interim
targets, owners' updates), one measure kept by more than one KPI, and figures the documents
share.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping

from ..core.formatting import format_number
from ..core.models import (
    AnyKpi,
    DataSet,
    Goal,
    IndicatorKpi,
    NumericKpi,
    Range,
)
from ..core.periods import parse_period
from .findings import Finding, Tail
from .index import Index


def goal_parents(data: DataSet) -> dict[str, str | None]:
    """Each goal's `parent`, in the order of the files."""
    return {goal.id: goal.parent for theme_file in data.themes for goal in theme_file.goals}


def board_parents(data: DataSet) -> dict[str, str | None]:
    """Each board's `parent`, in the order of the files."""
    return {board.id: board.parent for board in data.boards}


def parent_cycles(parents: Mapping[str, str | None]) -> list[list[str]]:
    """Every circle in a chain of parents (item -> its parent), each listed from its member
    that comes first in `parents`, in the order of the chain."""
    order = {item: i for i, item in enumerate(parents)}
    done: set[str] = set()
    cycles = []
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        item: str | None = start
        while item is not None and item in parents and item not in done:
            if item in on_path:
                cycle = path[path.index(item) :]
                low = min(range(len(cycle)), key=lambda i: order[cycle[i]])
                cycles.append(cycle[low:] + cycle[:low])
                break
            path.append(item)
            on_path.add(item)
            item = parents[item]
        done.update(path)
    return cycles


def check_smart(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Data-quality warnings: goals should be Specific, Measurable and Time-bound, with an owner.

    A goal with sub-goals (goals naming it as `parent`) is measured through them, and a vision
    states an ambition the plan's goals measure: neither needs a KPI of its own."""
    goals = goal_parents(data)
    circling = {goal_id for cycle in parent_cycles(goals) for goal_id in cycle}
    # a sub-goal in a circle of parents measures nothing: its goal is still unmeasured
    parents = {parent for goal_id, parent in goals.items() if parent and goal_id not in circling}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            if goal.state == "dropped":
                continue
            measured = goal.kpis or goal.uses
            if not measured and goal.id not in parents and goal.kind != "vision":
                yield Finding(
                    goal.id,
                    ("title",),
                    "LCR501",
                    "has no KPI",
                    "add a KPI so progress can be measured",
                )
            due, _fell_back = index.goal_due(goal.id)
            if due is None and not any(k.due for k in goal.kpis):
                yield Finding(
                    goal.id,
                    ("title",),
                    "LCR502",
                    "has no due date",
                    "add 'due:'; the plan has no end date to fall back on",
                )
            if index.goal_owner(goal.id) is None:
                yield Finding(
                    goal.id,
                    ("title",),
                    "LCR503",
                    "has no owner",
                    "add 'owner:' with a board, group or person id",
                )
            for kpi in goal.kpis:
                if isinstance(kpi, IndicatorKpi):
                    yield Finding(
                        kpi.id,
                        ("kind",),
                        "LCR504",
                        "has no target",
                        "an indicator only says which way is better; add a numeric KPI "
                        "when a target is agreed",
                    )


def check_baselines(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """A numeric KPI must not start out met: its baseline (or the implied 0) short of its target."""
    for kpi, _goal in index.kpis.values():
        if not isinstance(kpi, NumericKpi):
            continue
        base = kpi.baseline.value if kpi.baseline else 0.0
        if not kpi.meets(base):
            continue
        target = format_number(kpi.met_at)
        if kpi.baseline:
            message = f"the baseline {format_number(base)} already meets the target {target}"
            tail: Tail = ("baseline", "value")
        else:
            message = f"with no baseline, the implied 0 already meets the target {target}"
            tail = ("target",)
        yield Finding(
            kpi.id,
            tail,
            "LCR505",
            message,
            "give a 'baseline:' with the value progress starts from, or check the direction",
        )


def check_cycle(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Owners' updates (a period, not in the future, one per period; `by` is a reference, checked
    with the others) and interim targets (between the start and the due date, one per day, in
    date order)."""
    for theme_file in data.themes:
        for goal in theme_file.goals:
            items: list[Goal | AnyKpi] = [goal, *goal.kpis]
            for item in items:
                yield from _update_findings(item, today)
            for kpi in goal.kpis:
                if isinstance(kpi, NumericKpi) and kpi.interim_targets:
                    yield from _interim_findings(kpi, index)


def _update_findings(item: Goal | AnyKpi, today: dt.date | None) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for j, update in enumerate(item.updates):
        try:
            period = parse_period(update.period).label
        except ValueError as exc:
            yield Finding(
                item.id, ("updates", j, "period"), "LCR203", str(exc), "see data/README.md"
            )
            continue
        if today is not None and update.date > today:
            yield Finding(
                item.id,
                ("updates", j, "date"),
                "LCR408",
                f"update dated {update.date}, after today ({today})",
                "an update is dated the day it was written",
            )
        if period in first:
            yield Finding(
                item.id,
                ("updates", j, "period"),
                "LCR409",
                f"a second update for {period} (the first is update {first[period] + 1})",
                f"one update per period: change the first (lcrplan update {item.id} --period "
                f'"{period}" --replace ...) and remove this one',
            )
        first.setdefault(period, j)


def _interim_findings(kpi: NumericKpi, index: Index) -> Iterator[Finding]:
    due, _ = index.kpi_due(kpi.id)
    start = kpi.baseline.date if kpi.baseline else (kpi.start.date if kpi.start else None)
    dates = [t.date for t in kpi.interim_targets]
    for j, day in enumerate(dates):
        where = ("interim_targets", j, "date")
        if due is not None and day >= due.date:
            yield Finding(
                kpi.id,
                where,
                "LCR410",
                f"interim target dated {day}, not before the due date {due.date}",
                "an interim target lies on the way: the end target is 'target' and 'due'",
            )
        elif start is not None and day <= start:
            yield Finding(
                kpi.id,
                where,
                "LCR410",
                f"interim target dated {day}, not after the start {start}",
                "an interim target lies between the baseline (or start) and the due date",
            )
        if day in dates[:j]:
            yield Finding(
                kpi.id, where, "LCR411", f"two interim targets dated {day}", "keep one per day"
            )
    if dates != sorted(dates):
        j = next(i for i in range(1, len(dates)) if dates[i] < dates[i - 1])
        yield Finding(
            kpi.id,
            ("interim_targets", j, "date"),
            "LCR412",
            f"interim target dated {dates[j]} comes after one dated {dates[j - 1]}",
            "keep interim targets in date order",
        )


SHARED_HINT = (
    "if it is one measure, define it once and list it under `uses:` of the other goal "
    "(data/README.md, Shared measures); if not, make the titles say how they differ"
)


def check_shared_measures(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Two KPIs that look like one measure tracked twice: numeric KPIs with the same unit,
    target and due date; or KPIs of two goals with the same kind, title and unit, or quoting the
    same words of the same document (KPIs of one goal often quote one sentence that lists
    them). A figure recorded on one would leave the other unreported, and every count would
    hold it twice."""
    first: dict[tuple[object, ...], tuple[str, str]] = {}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            for kpi in goal.kpis:
                for key, across, why in _measure_keys(kpi, index):
                    seen, seen_goal = first.setdefault(key, (kpi.id, goal.id))
                    if seen != kpi.id and (seen_goal != goal.id or not across):
                        yield Finding(
                            kpi.id,
                            ("id",),
                            "LCR506",
                            f"may track the same measure as '{seen}' ({why})",
                            SHARED_HINT,
                        )
                        break


def _measure_keys(kpi: AnyKpi, index: Index) -> Iterator[tuple[tuple[object, ...], bool, str]]:
    """What makes two KPIs look like one measure: (key, whether only KPIs of two different
    goals count, the words that say so)."""
    if isinstance(kpi, NumericKpi):
        due = index.kpi_due(kpi.id)[0]
        when = due.date if due else None
        target = kpi.target
        value, shown = (
            ((target.low, target.high), f"{format_number(target.low)}-{format_number(target.high)}")
            if isinstance(target, Range)
            else (target, format_number(target))
        )
        yield (
            ("target", kpi.unit.casefold(), value, kpi.direction, when),
            False,
            f"same unit, target and due date: {shown} {kpi.unit} by {when or 'no date'}",
        )
    quote = " ".join((kpi.source.quote or "").split()).casefold()
    if quote:
        yield (("quote", kpi.source.document, quote), True, "same quoted source text")
    unit = getattr(kpi, "unit", None) or ""
    title = " ".join(kpi.title.split()).casefold()
    yield (("title", kpi.kind, title, unit.casefold()), True, "same kind, title and unit")


FIGURE_HINT = (
    "if it is one measure, keep the KPI where the document first states it and list it under "
    "`uses:` of the other goal (data/README.md, Shared measures); if not, make the titles say "
    "how they differ"
)


def check_shared_figures(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Two KPIs with similar titles holding the same figure: a reading of the same value on the
    same date in units of one family (`16 % of active businesses` and `16 % of all businesses`;
    `32 £bn` and `32,000,000,000 GBP`). The second in reading order is flagged, naming the first;
    each KPI at most once (an id used twice is LCR401's, not this)."""
    seen: dict[tuple[dt.date, str, float], list[tuple[str, frozenset[str], float, str]]] = {}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            for kpi in goal.kpis:
                unit = getattr(kpi, "unit", None) or ""
                family, scale = unit_family(unit)
                words = title_words(kpi.title)
                keys = {
                    (m.date, family, float(f"{m.value * scale:.9g}")): m.value
                    for m in kpi.measurements
                    if m.value is not None
                }
                found = next(
                    (
                        (key, other)
                        for key in keys
                        for other in seen.get(key, ())
                        if other[0] != kpi.id and similar_titles(words, other[1])
                    ),
                    None,
                )
                if found is not None:
                    (day, _, _), (first, _, value, first_unit) = found
                    shown = " ".join(filter(None, (format_number(value), first_unit)))
                    yield Finding(
                        kpi.id,
                        ("id",),
                        "LCR507",
                        f"holds the same figure as '{first}' ({shown} on {day}), under a "
                        "similar title",
                        FIGURE_HINT,
                    )
                for key, value in keys.items():
                    seen.setdefault(key, []).append((kpi.id, words, value, unit))


_MONEY = re.compile(r"^(?:£|gbp\b)\s*(bn|billion|m|million|k|thousand)?\b")

_MONEY_SCALE = {"bn": 1e9, "billion": 1e9, "m": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3}


@functools.lru_cache(maxsize=1024)  # a data set has a few units, each on many KPIs
def unit_family(unit: str) -> tuple[str, float]:
    """The family a unit belongs to and the factor that turns its values into the family's
    base: every share is `%`; money is `£` in pounds (`£bn` x 1e9, `GBP` x 1); any other unit is
    its first word without a plural `s` (`visitors a year` -> `visitor`)."""
    text = " ".join(unit.casefold().split())
    if text.startswith(("%", "per cent", "percent")):
        return "%", 1.0
    money = _MONEY.match(text)
    if money:
        return "£", _MONEY_SCALE.get(money.group(1) or "", 1.0)
    return _singular(text.split(" ", 1)[0]), 1.0


def _singular(word: str) -> str:
    """The word without a plural `s` (`visitors`, `ups`; not `business`): enough to compare."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 2 else word


_WORD = re.compile(r"[a-z0-9]+")

_FILLER = frozenset(
    {
        *("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on"),
        *("or", "per", "than", "that", "the", "their", "to", "with"),
        *("lcr", "city", "region", "number"),
    }
)


def title_words(title: str) -> frozenset[str]:
    """The words of a title that say what it measures: lower case, without a plural `s`,
    without filler (`the`, `of`, `City Region`)."""
    words = map(_singular, _WORD.findall(title.lower()))
    return frozenset(w for w in words if w not in _FILLER)


def similar_titles(one: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two titles (as `title_words`) name one thing: one holds all the other's words, or
    they share at least half of their words together."""
    if not one or not other:
        return one == other
    return one <= other or other <= one or 2 * len(one & other) >= len(one | other)
