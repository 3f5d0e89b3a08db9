"""Checks of the data set as a whole. `CHECKS` is the checklist: each yields located findings.

A finding is `(item_id, path_inside_item, severity, message, hint)`; the loader turns the item id
and path into `file:line:col` (`load.run_checks`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping

from .cadence import parse_period
from .errors import NearestWords, Severity
from .index import Index
from .models import AnyKpi, DataSet, Goal, IndicatorKpi, MilestoneKpi, NumericKpi, Source

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
            for kpi in goal.kpis:
                yield from ref(kpi.id, ("owner",), "owner", kpi.owner, owners)
                yield from source(kpi.id, (), kpi.source)
                for j, meas in enumerate(kpi.measurements):
                    yield from source(kpi.id, ("measurements", j), meas.source)
    for entry in data.context:
        yield from source(entry.id, (), entry.source)


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
            if not goal.kpis:
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


def check_cycle(data: DataSet, index: Index, today: dt.date) -> Iterator[Finding]:
    """Owners' updates (a known person, a period, not in the future, one per period) and
    interim targets (between the start and the due date, one per day, in date order)."""
    people: NearestWords | None = None
    for theme_file in data.themes:
        for goal in theme_file.goals:
            items: list[Goal | AnyKpi] = [goal, *goal.kpis]
            for item in items:
                for j, update in enumerate(item.updates):
                    if update.by not in index.people:
                        people = people or NearestWords(index.people)
                        message, hint = _unknown("person", update.by, index.people, people)
                        yield item.id, ("updates", j, "by"), "error", message, hint
                yield from _update_findings(item, today)
            for kpi in goal.kpis:
                if isinstance(kpi, NumericKpi) and kpi.interim_targets:
                    yield from _interim_findings(kpi, index)


def _update_findings(item: Goal | AnyKpi, today: dt.date) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for j, update in enumerate(item.updates):
        try:
            period = parse_period(update.period).label
        except ValueError as exc:
            yield item.id, ("updates", j, "period"), "error", str(exc), "see data/README.md"
            continue
        if update.date > today:
            yield (
                item.id,
                ("updates", j, "date"),
                "error",
                f"update dated {update.date}, after today ({today})",
                "an update is dated the day it was written",
            )
        if period in first:
            yield (
                item.id,
                ("updates", j, "period"),
                "error",
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
            yield (
                kpi.id,
                where,
                "error",
                f"interim target dated {day}, not before the due date {due.date}",
                "an interim target lies on the way: the end target is 'target' and 'due'",
            )
        elif start is not None and day <= start:
            yield (
                kpi.id,
                where,
                "error",
                f"interim target dated {day}, not after the start {start}",
                "an interim target lies between the baseline (or start) and the due date",
            )
        if day in dates[:j]:
            yield kpi.id, where, "error", f"two interim targets dated {day}", "keep one per day"
    if dates != sorted(dates):
        j = next(i for i in range(1, len(dates)) if dates[i] < dates[i - 1])
        yield (
            kpi.id,
            ("interim_targets", j, "date"),
            "warning",
            f"interim target dated {dates[j]} comes after one dated {dates[j - 1]}",
            "keep interim targets in date order",
        )


CHECKS: list[Callable[[DataSet, Index, dt.date], Iterator[Finding]]] = [
    check_references,
    check_dates,
    check_smart,
    check_cycle,
]
