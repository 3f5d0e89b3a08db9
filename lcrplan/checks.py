"""Checks of the data set as a whole. `CHECKS` is the checklist: each yields located findings.

A finding is `(item_id, path_inside_item, severity, message, hint)`; the loader turns the item id
and path into `file:line:col` (`load.run_checks`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping

from .errors import NearestWords, Severity
from .index import Index
from .models import AnyKpi, DataSet, Goal, IndicatorKpi, MilestoneKpi, NumericKpi, Range, Source
from .text import format_number

Finding = tuple[str, tuple[str | int, ...], Severity, str, str]


def unknown_kind(message: str) -> str | None:
    """The kind of id an "unknown <kind> '<id>'" finding is about, else None."""
    found = re.match(r"unknown (\w+) '", message)
    return found.group(1) if found else None


def _unknown(
    kind: str, ref: str, known: Mapping[str, object], near: NearestWords
) -> tuple[str, str]:
    if not known:
        return f"unknown {kind} '{ref}'", f"no {kind} is defined yet: see data/README.md"
    hint = near.hint(ref) or (
        f"known {kind} ids: " + ", ".join(near.words[:8]) + (" ..." if len(known) > 8 else "")
    )
    return f"unknown {kind} '{ref}'", hint


def check_references(data: DataSet, index: Index, today: dt.date) -> Iterator[Finding]:
    """Every owner, board, group, plan, parent, chair and document named must exist."""
    owners = index.owners
    nearest: dict[str, NearestWords] = {}  # one index per kind of id, built on first need

    def ref(
        item_id: str,
        tail: tuple[str | int, ...],
        kind: str,
        value: str | None,
        known: Mapping[str, object],
    ) -> Iterator[Finding]:
        if value is not None and value not in known:
            near = nearest.get(kind) or nearest.setdefault(kind, NearestWords(known))
            message, hint = _unknown(kind, value, known, near)
            yield item_id, tail, "error", message, hint

    def source(item_id: str, tail: tuple[str | int, ...], src: object) -> Iterator[Finding]:
        if isinstance(src, Source):
            yield from ref(
                item_id, (*tail, "source", "document"), "document", src.document, index.documents
            )

    for board in data.boards:
        yield from ref(board.id, ("parent",), "board", board.parent, index.boards)
        for i, chair in enumerate(board.chairs):
            yield from ref(board.id, ("chairs", i), "person", chair, index.people)
        yield from source(board.id, (), board.source)
    for group in data.groups:
        yield from ref(group.id, ("board",), "board", group.board, index.boards)
        for i, chair in enumerate(group.chairs):
            yield from ref(group.id, ("chairs", i), "person", chair, index.people)
        yield from source(group.id, (), group.source)
    for person in data.people:
        yield from source(person.id, (), person.source)
    for plan in data.plans:
        yield from ref(plan.id, ("board",), "board", plan.board, index.boards)
        yield from source(plan.id, (), plan.source)
    for theme_file in data.themes:
        theme = theme_file.theme
        yield from ref(theme.id, ("plan",), "plan", theme.plan, index.plans)
        yield from ref(theme.id, ("group",), "group", theme.group, index.groups)
        yield from ref(theme.id, ("owner",), "owner", theme.owner, owners)
        yield from source(theme.id, (), theme.source)
        for goal in theme_file.goals:
            yield from ref(goal.id, ("owner",), "owner", goal.owner, owners)
            yield from ref(goal.id, ("parent",), "goal", goal.parent, index.goals)
            for i, body in enumerate(goal.delivered_by):
                yield from ref(goal.id, ("delivered_by", i), "owner", body, owners)
            yield from source(goal.id, (), goal.source)
            yield from _uses(goal, index, ref, source)
            for kpi in goal.kpis:
                yield from ref(kpi.id, ("owner",), "owner", kpi.owner, owners)
                yield from source(kpi.id, (), kpi.source)
                for j, meas in enumerate(kpi.measurements):
                    yield from source(kpi.id, ("measurements", j), meas.source)
    for entry in data.context:
        yield from source(entry.id, (), entry.source)


def _uses(
    goal: Goal,
    index: Index,
    ref: Callable[..., Iterator[Finding]],
    source: Callable[[str, tuple[str | int, ...], object], Iterator[Finding]],
) -> Iterator[Finding]:
    """A goal's `uses:` names KPIs defined under other goals, each once."""
    seen: set[str] = set()
    for i, use in enumerate(goal.uses):
        at: tuple[str | int, ...] = ("uses", i)
        yield from source(goal.id, at, use.source)
        defined = index.kpis.get(use.kpi)
        if defined is None:
            yield from ref(goal.id, (*at, "kpi"), "KPI", use.kpi, index.kpis)
        elif defined[1] == goal.id:
            yield (
                goal.id,
                (*at, "kpi"),
                "error",
                f"goal '{goal.id}' uses its own KPI '{use.kpi}'",
                "a KPI under `kpis:` already measures its goal: remove it from `uses:`",
            )
        if use.kpi in seen:
            yield (
                goal.id,
                (*at, "kpi"),
                "error",
                f"KPI '{use.kpi}' is listed twice under `uses:`",
                "list each KPI once; the first entry's source can cite more lines",
            )
        seen.add(use.kpi)


def check_dates(data: DataSet, index: Index, today: dt.date) -> Iterator[Finding]:
    """Due after start; baselines before measurements; nothing measured or done in the future."""
    for plan in data.plans:
        if plan.end and plan.end.date < plan.start.date:
            yield (
                plan.id,
                ("end",),
                "error",
                f"plan ends ({plan.end.date}) before it starts ({plan.start.date})",
                "check the years of start and end",
            )
    for theme_file in data.themes:
        for goal in theme_file.goals:
            if goal.due and goal.start and goal.due.date < goal.start.date:
                yield (
                    goal.id,
                    ("due",),
                    "error",
                    f"due {goal.due.date} is before start {goal.start.date}",
                    "check the years of start and due",
                )
            for kpi in goal.kpis:
                yield from _kpi_dates(kpi, today)


def _kpi_dates(kpi: AnyKpi, today: dt.date) -> Iterator[Finding]:
    if kpi.due and kpi.start and kpi.due.date < kpi.start.date:
        yield (
            kpi.id,
            ("due",),
            "error",
            f"due {kpi.due.date} is before start {kpi.start.date}",
            "check the years of start and due",
        )
    dates = [meas.date for meas in kpi.measurements]
    for j, day in enumerate(dates):
        if day > today:
            yield (
                kpi.id,
                ("measurements", j, "date"),
                "error",
                f"measurement dated {day}, after today ({today})",
                "is the year mistyped? measurements record what has happened",
            )
    if dates != sorted(dates):
        j = next(i for i in range(1, len(dates)) if dates[i] < dates[i - 1])
        yield (
            kpi.id,
            ("measurements", j, "date"),
            "warning",
            f"measurement dated {dates[j]} comes after one dated {dates[j - 1]}",
            "keep measurements in date order",
        )
    if isinstance(kpi, NumericKpi) and kpi.baseline and dates and kpi.baseline.date > min(dates):
        yield (
            kpi.id,
            ("baseline", "date"),
            "error",
            f"baseline dated {kpi.baseline.date} is after a measurement dated {min(dates)}",
            "the baseline is where progress starts: date it on or before the first measurement",
        )
    if isinstance(kpi, (NumericKpi, IndicatorKpi)):
        for j, meas in enumerate(kpi.measurements):
            if meas.value is None:
                yield (
                    kpi.id,
                    ("measurements", j),
                    "error",
                    f"measurement on {meas.date} has no value",
                    f"{'an' if kpi.kind == 'indicator' else 'a'} {kpi.kind} KPI needs 'value:' "
                    "with a number",
                )
    if isinstance(kpi, MilestoneKpi) and kpi.done and kpi.done.date > today:
        yield (
            kpi.id,
            ("done", "date"),
            "error",
            f"marked done on {kpi.done.date}, after today ({today})",
            "is the year mistyped?",
        )


SMART_GAPS = ("KPI", "target", "due date", "owner")
_SMART_GAP = re.compile(r"^(?:goal|KPI) '([a-z0-9-]+)' has no (" + "|".join(SMART_GAPS) + ")$")


def smart_gap(message: str) -> tuple[str, str] | None:
    """(item id, what it lacks) for a data-quality warning made by `check_smart`, else None."""
    found = _SMART_GAP.match(message)
    return (found.group(1), found.group(2)) if found else None


def _gap(what: str, item_id: str, gap: str, at: str, hint: str) -> Finding:
    return item_id, (at,), "warning", f"{what} '{item_id}' has no {gap}", hint


def check_smart(data: DataSet, index: Index, today: dt.date) -> Iterator[Finding]:
    """Data-quality warnings: goals should be Specific, Measurable and Time-bound, with an owner."""
    for theme_file in data.themes:
        for goal in theme_file.goals:
            if goal.state == "dropped":
                continue
            if not goal.kpis and not goal.uses:
                yield _gap("goal", goal.id, "KPI", "title", "add a KPI so progress can be measured")
            due, _fell_back = index.goal_due(goal.id)
            if due is None and not any(k.due for k in goal.kpis):
                yield _gap(
                    "goal",
                    goal.id,
                    "due date",
                    "title",
                    "add 'due:'; the plan has no end date to fall back on",
                )
            if index.goal_owner(goal.id) is None:
                yield _gap(
                    "goal",
                    goal.id,
                    "owner",
                    "title",
                    "add 'owner:' with a board, group or person id",
                )
            for kpi in goal.kpis:
                if isinstance(kpi, IndicatorKpi):
                    yield _gap(
                        "KPI",
                        kpi.id,
                        "target",
                        "kind",
                        "an indicator only says which way is better; add a numeric KPI "
                        "when a target is agreed",
                    )


SHARED_HINT = (
    "if it is one measure, define it once and list it under `uses:` of the other goal "
    "(data/README.md, Shared measures); if not, make the titles say how they differ"
)


def check_shared_measures(data: DataSet, index: Index, today: dt.date) -> Iterator[Finding]:
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
                        yield (
                            kpi.id,
                            ("id",),
                            "warning",
                            f"KPI '{kpi.id}' may track the same measure as '{seen}' ({why})",
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


CHECKS: list[Callable[[DataSet, Index, dt.date], Iterator[Finding]]] = [
    check_references,
    check_dates,
    check_smart,
    check_shared_measures,
]
