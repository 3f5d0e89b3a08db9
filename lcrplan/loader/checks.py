"""Checks of the data set as a whole. `CHECKS` is the checklist: each yields located findings.

A finding is `(item_id, path_inside_item, code, message, hint)`: the code (`codes.py`) says
what it is and its default severity; the loader turns the item id and path into
`file:line:col` and names the item before the message (`locate.run_checks`), and configuration
may change the severity (`policy`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..core.formatting import format_number
from ..core.model_base import SLUG, DateRule, DateSpec, Source
from ..core.models import DataSet, IndicatorKpi, Measurement, MilestoneKpi, NumericKpi
from ..core.problems import NearestWords
from .findings import Finding, Tail
from .index import Index
from .quality_checks import (
    board_parents,
    check_baselines,
    check_cycle,
    check_shared_figures,
    check_shared_measures,
    check_smart,
    goal_parents,
    parent_cycles,
)

REFERENCE_CODES = {
    "owner": "LCR301",
    "document": "LCR302",
    "goal": "LCR303",
    "plan": "LCR304",
    "board": "LCR305",
    "group": "LCR306",
    "person": "LCR307",
    "kpi": "LCR308",
}
"""The code of an unknown reference to each kind of id."""

REFERENCE_KINDS = {code: kind for kind, code in REFERENCE_CODES.items()}

_CITES = (("source", "document"), "document")

REFERENCES: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "board": ((("parent",), "board"), (("chairs", "*"), "person"), _CITES),
    "group": ((("board",), "board"), (("chairs", "*"), "person"), _CITES),
    "person": (_CITES,),
    "document": (),
    "plan": ((("board",), "board"), _CITES),
    "theme": ((("plan",), "plan"), (("group",), "group"), (("owner",), "owner"), _CITES),
    "goal": (
        (("owner",), "owner"),
        (("parent",), "goal"),
        (("delivered_by", "*"), "owner"),
        (("updates", "*", "by"), "person"),
        (("uses", "*", "kpi"), "kpi"),
        (("uses", "*", "source", "document"), "document"),
        _CITES,
    ),
    "kpi": (
        (("owner",), "owner"),
        (("updates", "*", "by"), "person"),
        _CITES,
        (("measurements", "*", "source", "document"), "document"),
        (("baseline", "source", "document"), "document"),
        (("done", "source", "document"), "document"),
    ),
    "context": (_CITES,),
}
"""Each kind of item, the fields that name another item ('*': each entry of a list), and the
kind of id each names. The one list both the built items and the raw fields of items that
failed validation are checked against."""


def _field(obj: object, name: str) -> object:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _walk(obj: object, path: tuple[str, ...], tail: Tail = ()) -> Iterator[tuple[Tail, object]]:
    """(tail, value) of every value at `path` inside `obj`, a model or a raw mapping."""
    if not path:
        yield tail, obj
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, entry in enumerate(obj if isinstance(obj, (list, tuple)) else ()):
            yield from _walk(entry, rest, (*tail, i))
        return
    value = _field(obj, head)
    if value is not None:
        yield from _walk(value, rest, (*tail, head))


def items_of(data: DataSet) -> Iterator[tuple[str, object]]:
    """(kind, item) of every item in the data set."""
    yield from (("document", d) for d in data.documents)
    yield from (("person", p) for p in data.people)
    yield from (("board", b) for b in data.boards)
    yield from (("group", g) for g in data.groups)
    yield from (("plan", p) for p in data.plans)
    for theme_file in data.themes:
        yield "theme", theme_file.theme
        for goal in theme_file.goals:
            yield "goal", goal
            yield from (("kpi", k) for k in goal.kpis)
    yield from (("context", c) for c in data.context)


def check_references(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Every owner, board, group, plan, parent, chair and document named must exist, in the
    items that were built and in those that failed validation (`index.unbuilt`)."""
    known: dict[str, Mapping[str, object]] = {
        "owner": index.owners,
        "document": index.documents,
        "goal": index.goals,
        "plan": index.plans,
        "board": index.boards,
        "group": index.groups,
        "person": index.people,
        "kpi": index.kpis,
    }
    if index.unbuilt:
        also: dict[str, dict[str, object]] = {}
        for thing in index.unbuilt.values():
            for kind in ("owner", thing.kind) if thing.kind in _OWNERS else (thing.kind,):
                also.setdefault(kind, {})[thing.id] = thing
        known = {kind: {**ids, **also.get(kind, {})} for kind, ids in known.items()}
    nearest: dict[str, NearestWords] = {}  # one index per kind of id, built on first need
    items = [(kind, _field(item, "id"), item) for kind, item in items_of(data)]
    items += [(u.kind, u.id, u.fields) for u in index.unbuilt.values()]
    # Each path is read across all the items of its kind at once; only a path that holds an
    # unknown id somewhere is walked item by item, for the places of the unknown ones.
    by_kind: dict[str, list[object]] = {}
    for kind, _, item in items:
        by_kind.setdefault(kind, []).append(item)
    suspect = {
        (kind, path)
        for kind, found in by_kind.items()
        for path, ref_kind in REFERENCES.get(kind, ())
        if not all(type(v) is str and v in known[ref_kind] for v in _values(found, path))
    }
    if not suspect:
        return
    for kind, item_id, item in items:
        for path, ref_kind in REFERENCES.get(kind, ()):
            if (kind, path) not in suspect:
                continue
            ids = known[ref_kind]
            for tail, value in _walk(item, path):
                if not isinstance(value, str) or value in ids or not isinstance(item_id, str):
                    continue
                if not SLUG.fullmatch(value):  # raw data: its schema error says so
                    continue
                near = nearest.get(ref_kind) or nearest.setdefault(ref_kind, NearestWords(ids))
                message, hint = _unknown(ref_kind, value, ids, near)
                yield Finding(item_id, tail, REFERENCE_CODES[ref_kind], message, hint)


def _values(objs: list[object], path: tuple[str, ...]) -> list[object]:
    """The values `_walk` finds at `path` in each of `objs`, without their tails: one loop per
    step of the path rather than a generator per value."""
    found = objs
    for head in path:
        if head == "*":
            found = [e for o in found if isinstance(o, (list, tuple)) for e in o]
        else:
            found = [
                v
                for o in found
                if (v := o.get(head) if isinstance(o, dict) else getattr(o, head, None)) is not None
            ]
        if not found:
            break
    return found


_OWNERS = {"board", "group", "person"}


def _unknown(
    kind: str, ref: str, known: Mapping[str, object], near: NearestWords
) -> tuple[str, str]:
    kind = "KPI" if kind == "kpi" else kind
    if not known:
        return f"unknown {kind} '{ref}'", f"no {kind} is defined yet: see data/README.md"
    hint = near.hint(ref) or (
        f"known {kind} ids: " + ", ".join(near.words[:8]) + (" ..." if len(known) > 8 else "")
    )
    return f"unknown {kind} '{ref}'", hint


def check_uses(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """A goal's `uses:` names KPIs defined under other goals, each once (an unknown id is a
    reference, checked with the others)."""
    for theme_file in data.themes:
        for goal in theme_file.goals:
            seen: set[str] = set()
            for i, use in enumerate(goal.uses):
                defined = index.kpis.get(use.kpi)
                if defined is not None and defined[1] == goal.id:
                    yield Finding(
                        goal.id,
                        ("uses", i, "kpi"),
                        "LCR413",
                        f"uses its own KPI '{use.kpi}'",
                        "a KPI under `kpis:` already measures its goal: remove it from `uses:`",
                    )
                if use.kpi in seen:
                    yield Finding(
                        goal.id,
                        ("uses", i, "kpi"),
                        "LCR414",
                        f"KPI '{use.kpi}' is listed twice under `uses:`",
                        "list each KPI once; the first entry's source can cite more lines",
                    )
                seen.add(use.kpi)


def check_dates(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """Due after start; baselines before measurements; nothing measured or done in the future."""
    for plan in data.plans:
        if plan.end and plan.end.date < plan.start.date:
            yield Finding(
                plan.id,
                ("end",),
                "LCR402",
                f"ends {plan.end.date}, before it starts ({plan.start.date})",
                "check the years of start and end",
            )
    for theme_file in data.themes:
        for goal in theme_file.goals:
            yield from _due_after_start(goal)
            for kpi in goal.kpis:
                yield from _due_after_start(kpi)
                yield from _kpi_dates(kpi, today)


def _due_after_start(item: object) -> Iterator[Finding]:
    due, start = getattr(item, "due", None), getattr(item, "start", None)
    if due and start and due.date < start.date:
        yield Finding(
            str(getattr(item, "id", "")),
            ("due",),
            "LCR402",
            f"due {due.date} is before start {start.date}",
            "check the years of start and due",
        )


def _kpi_dates(kpi: object, today: dt.date | None) -> Iterator[Finding]:
    kpi_id: str = getattr(kpi, "id", "")
    dates = [meas.date for meas in getattr(kpi, "measurements", ())]
    for j, day in enumerate(dates):
        if today is not None and day > today:
            yield Finding(
                kpi_id,
                ("measurements", j, "date"),
                "LCR403",
                f"measurement dated {day}, after today ({today})",
                "is the year mistyped? measurements record what has happened",
            )
    if dates != sorted(dates):
        j = next(i for i in range(1, len(dates)) if dates[i] < dates[i - 1])
        yield Finding(
            kpi_id,
            ("measurements", j, "date"),
            "LCR404",
            f"measurement dated {dates[j]} comes after one dated {dates[j - 1]}",
            "keep measurements in date order",
        )
    if isinstance(kpi, NumericKpi) and kpi.baseline and dates and kpi.baseline.date > min(dates):
        yield Finding(
            kpi_id,
            ("baseline", "date"),
            "LCR405",
            f"baseline dated {kpi.baseline.date} is after a measurement dated {min(dates)}",
            "the baseline is where progress starts: date it on or before the first measurement",
        )
    if isinstance(kpi, (NumericKpi, IndicatorKpi)):
        for j, meas in enumerate(kpi.measurements):
            if meas.value is None:
                yield Finding(
                    kpi_id,
                    ("measurements", j),
                    "LCR406",
                    f"measurement on {meas.date} has no value",
                    f"{'an' if kpi.kind == 'indicator' else 'a'} {kpi.kind} KPI needs 'value:' "
                    "with a number",
                )
    yield from _revisions(kpi_id, getattr(kpi, "measurements", ()))
    if isinstance(kpi, MilestoneKpi) and kpi.done and today is not None and kpi.done.date > today:
        yield Finding(
            kpi_id,
            ("done", "date"),
            "LCR403",
            f"marked done on {kpi.done.date}, after today ({today})",
            "is the year mistyped?",
        )


def _revisions(kpi_id: str, measurements: Sequence[Measurement]) -> Iterator[Finding]:
    """A revision revises an earlier entry on its date; two different figures on one date
    say which is the revision."""
    last: dict[dt.date, Measurement] = {}
    for j, meas in enumerate(measurements):
        before = last.get(meas.date)
        if meas.revised is not None and before is None:
            yield Finding(
                kpi_id,
                ("measurements", j, "revised"),
                "LCR416",
                f"measurement on {meas.date} revises nothing: no earlier entry on that date",
                "give the date of the figure it revises, or remove 'revised:' and 'written:'",
            )
        elif meas.revised is None and before is not None and before.value != meas.value:
            shown = f"{format_number(before.value)}, then {format_number(meas.value)}"
            yield Finding(
                kpi_id,
                ("measurements", j, "date"),
                "LCR417",
                f"two figures on {meas.date} ({shown}), the later not marked as a revision",
                "mark it 'revised:' with the reason and 'written:' with the day "
                f"(lcrplan record {kpi_id} VALUE --date {meas.date} --revise REASON), or remove "
                "the wrong one",
            )
        last[meas.date] = meas


def check_sources(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """No figure is dated after the document it cites was written."""
    for kpi, _goal in index.kpis.values():
        dated: list[tuple[Tail, str, dt.date, object]] = [
            (("measurements", j, "date"), "measurement", m.date, m.source)
            for j, m in enumerate(kpi.measurements)
        ]
        if isinstance(kpi, NumericKpi) and kpi.baseline:
            dated.append((("baseline", "date"), "baseline", kpi.baseline.date, kpi.baseline.source))
        if isinstance(kpi, MilestoneKpi) and kpi.done:
            dated.append((("done", "date"), "completion", kpi.done.date, kpi.done.source))
        for tail, what, day, source in dated:
            document = index.documents.get(source.document) if isinstance(source, Source) else None
            if document is None or document.date is None:
                continue
            written = latest_day(document.date)
            if day > written:
                yield Finding(
                    kpi.id,
                    tail,
                    "LCR407",
                    f"{what} dated {day} is after its source '{document.id}' "
                    f"(dated {document.date.text or document.date.date})",
                    "is the year mistyped, or is another document the source?",
                )


def latest_day(spec: DateSpec) -> dt.date:
    """The last day a date given at a coarser precision can mean: "March 2020" (a month's
    start) can be any day of March."""
    day = spec.date
    if spec.rule is DateRule.month_start:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if spec.rule is DateRule.year_start:
        return day.replace(month=12, day=31)
    return day


_PARENT_HINTS = {
    "goal": "a goal's parent is the goal it belongs to: name another goal, or remove `parent`",
    "board": "a board's parent is the board it reports to: name another board, or remove `parent`",
}


def check_parents(data: DataSet, index: Index, today: dt.date | None) -> Iterator[Finding]:
    """A chain of `parent`s (of goals, of boards) ends: no item is its own ancestor. Each
    circle is one error, at its member that comes first in the files, naming every member."""
    for kind, parents in (("goal", goal_parents(data)), ("board", board_parents(data))):
        for cycle in parent_cycles(parents):
            first = cycle[0]
            if len(cycle) == 1:
                message = "is its own parent"
            else:
                message = f"its parents lead back to it: {' -> '.join([*cycle, first])}"
            yield Finding(first, ("parent",), "LCR415", message, _PARENT_HINTS[kind])


DATED = frozenset({"check_dates", "check_cycle"})
"""The checks whose findings depend on today (a reading or update dated after it): run on
every load. The others' findings depend on the files alone, and are kept beside the cache for
as long as the files are unchanged (`cache.Cache.findings`)."""

CHECKS: list[Callable[[DataSet, Index, dt.date | None], Iterator[Finding]]] = [
    check_references,
    check_dates,
    check_sources,
    check_smart,
    check_uses,
    check_baselines,
    check_cycle,
    check_parents,
    check_shared_measures,
    check_shared_figures,
]
