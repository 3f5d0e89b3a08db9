"""Compare two data sets, judged at one date: what a pull request changes, in tracker terms.

Pure: both sides are values (data sets and their scorecards); nothing here reads files or runs
git. Goalposts (targets, due dates, baselines, pace thresholds) come first in every rendering,
because moving one is what a reviewer most needs to see.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..core.cycle_models import FrequencySpec, InterimTarget
from ..core.formatting import format_number
from ..core.model_base import DateSpec, Model
from ..core.models import Baseline, Board, DataSet, Goal, Group, KpiBase, Measurement, Plan
from ..core.settings import Thresholds
from ..core.statuses import Status
from ..loader.index import Index
from .judges import target_text
from .scorecard import ItemStatus, Scorecard

TYPE_LABELS = {
    "settings": "settings",
    "plan": "plan",
    "theme": "theme",
    "goal": "goal",
    "kpi": "KPI",
    "board": "board",
    "group": "group",
    "person": "person",
    "document": "document",
}
# Fields each section reports itself; "other edits" lists what is left.
GOALPOST_FIELDS = {
    "settings": ("thresholds",),
    "plan": ("start", "end", "frequency"),
    "goal": ("start", "due"),
    "kpi": (
        "start",
        "due",
        "target",
        "direction",
        "baseline",
        "method",
        "interim_targets",
        "frequency",
    ),
}
COVERED = {
    "plan": {"board"},
    "goal": {"owner", "state", "state_reason", "kpis", "updates"},
    "kpi": {"owner", "measurements", "done", "unit", "updates"},
    "board": {"chairs"},
    "group": {"chairs"},
}
SHORT = 60
SETTINGS_ID = "lcrplan.yaml"  # not a valid item id, so it cannot clash with one


@dataclass(frozen=True)
class Entity:
    """One thing in a data set with an id (the settings too): its type, title and model."""

    id: str
    type: str
    title: str
    model: Model


@dataclass(frozen=True)
class PresenceChange:
    """An item added or removed, with its status (after if added, before if removed)."""

    id: str
    type: str
    title: str
    status: Status | None = None


@dataclass(frozen=True)
class Rename:
    """The same item (same title, wording and source) under a new id."""

    old_id: str
    new_id: str
    type: str
    title: str


@dataclass(frozen=True)
class FieldChange:
    """One field of one item before and after; both None when too long to show."""

    id: str
    type: str
    field: str
    old: str | None  # other edits give values as JSON text: "People engaged" keeps its quotes
    new: str | None
    note: str = ""


@dataclass(frozen=True)
class ReadingChange:
    """A measurement (or a milestone's done date) added, changed or removed."""

    kpi: str
    date: str
    change: str  # added | changed | removed | revised
    old: str | None
    new: str | None
    reason: str | None = None
    """A revision's reason: the figure on that date it replaces is `old`."""


@dataclass(frozen=True)
class StatusChange:
    """A goal or KPI whose status at the as-of date differs between the two sides."""

    id: str
    type: str
    old: Status
    new: Status
    reason: str


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the revision as named and its commit (None: the working tree)."""

    rev: str | None
    commit: str | None = None

    @property
    def label(self) -> str:
        return self.rev or "the working tree"


Difference = FieldChange | StatusChange | PresenceChange | Rename | ReadingChange
"""One line of a diff."""


@dataclass(frozen=True)
class Changes:
    """Everything that differs between two data sets, by section."""

    as_of: dt.date
    goalposts: tuple[FieldChange, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    added: tuple[PresenceChange, ...] = ()
    removed: tuple[PresenceChange, ...] = ()
    renamed: tuple[Rename, ...] = ()
    measurements: tuple[ReadingChange, ...] = ()
    owners: tuple[FieldChange, ...] = ()
    other: tuple[FieldChange, ...] = ()
    notes: tuple[str, ...] = ()

    def sections(self) -> list[tuple[str, str, tuple[Difference, ...]]]:
        """(key, heading, entries) in reading order, goalposts first."""
        return [
            ("goalposts", "Goalposts moved", self.goalposts),
            ("statuses", "Statuses changed", self.statuses),
            ("added", "Added", self.added),
            ("removed", "Removed", self.removed),
            ("renamed", "Renamed", self.renamed),
            ("measurements", "Readings, completions and updates", self.measurements),
            ("owners", "Owners and states", self.owners),
            ("other", "Other edits", self.other),
        ]

    @property
    def empty(self) -> bool:
        return not any(entries for _, _, entries in self.sections())


# --- comparing ------------------------------------------------------------------------------


def entities(data: DataSet) -> dict[str, Entity]:
    """Every item by id: settings, plans, themes with goals and KPIs, then the directory."""
    found = [Entity(SETTINGS_ID, "settings", "settings", data.config)]
    found += [Entity(p.id, "plan", p.title, p) for p in data.plans]
    for theme_file in data.themes:
        theme = theme_file.theme
        found.append(Entity(theme.id, "theme", theme.title, theme))
        for goal in theme_file.goals:
            found.append(Entity(goal.id, "goal", goal.title, goal))
            found += [Entity(k.id, "kpi", k.title, k) for k in goal.kpis]
    found += [Entity(b.id, "board", b.name, b) for b in data.boards]
    found += [Entity(g.id, "group", g.name, g) for g in data.groups]
    found += [Entity(p.id, "person", p.name, p) for p in data.people]
    found += [Entity(d.id, "document", d.title, d) for d in data.documents]
    return {e.id: e for e in found}


def compare(
    old: DataSet,
    new: DataSet,
    old_card: Scorecard,
    new_card: Scorecard,
    notes: Sequence[str] = (),
) -> Changes:
    """What changed from `old` to `new`; both scorecards are judged at the same date."""
    before, after = entities(old), entities(new)
    gone = [e for i, e in before.items() if i not in after or after[i].type != e.type]
    came = [e for i, e in after.items() if i not in before or before[i].type != e.type]
    renames = match_renames(gone, came)
    renamed_from = {new_id: old_id for old_id, new_id in renames.items()}
    new_ids = {e.id for e in came} - renamed_from.keys()
    pairs = [(before[renamed_from.get(i, i)], e) for i, e in after.items() if i not in new_ids]
    indexes = (Index.build(old), Index.build(new))
    cards = (old_card.by_id(), new_card.by_id())
    return Changes(
        as_of=new_card.as_of,
        goalposts=tuple(c for a, b in pairs for c in goalposts(a, b)),
        statuses=tuple(c for a, b in pairs for c in status_changes(a, b, *cards)),
        added=tuple(_item(e, cards[1]) for e in came if e.id not in renamed_from),
        removed=tuple(_item(e, cards[0]) for e in gone if e.id not in renames),
        renamed=tuple(Rename(o, n, after[n].type, after[n].title) for o, n in renames.items()),
        measurements=tuple(c for a, b in pairs for c in reading_changes(a, b)),
        owners=tuple(c for a, b in pairs for c in owner_changes(a, b, *indexes)),
        other=tuple(c for a, b in pairs for c in other_changes(a, b)),
        notes=tuple(notes),
    )


def _signature(entry: Entity) -> tuple[str, str, str | None, str]:
    model = entry.model
    wording = getattr(model, "text", None) or getattr(model, "description", None)
    source = getattr(model, "source", None)
    dumped = source.model_dump(mode="json") if isinstance(source, Model) else source
    return (entry.type, entry.title, wording, json.dumps(dumped, sort_keys=True))


def match_renames(gone: Sequence[Entity], came: Sequence[Entity]) -> dict[str, str]:
    """Old id -> new id for items whose type, title, wording and source match exactly one other."""
    by_sig: dict[tuple[str, str, str | None, str], tuple[list[str], list[str]]] = {}
    for side, found in enumerate((gone, came)):
        for entry in found:
            by_sig.setdefault(_signature(entry), ([], []))[side].append(entry.id)
    return {olds[0]: news[0] for olds, news in by_sig.values() if len(olds) == 1 and len(news) == 1}


def _item(entry: Entity, card: Mapping[str, ItemStatus]) -> PresenceChange:
    status = card[entry.id].status if entry.id in card else None
    return PresenceChange(entry.id, entry.type, entry.title, status)


def goalposts(a: Entity, b: Entity) -> Iterator[FieldChange]:
    """Targets, due and start dates, baselines and pace thresholds that moved."""
    for name in GOALPOST_FIELDS.get(b.type, ()):
        old, new = goalpost_value(a.model, name), goalpost_value(b.model, name)
        if old != new:
            yield FieldChange(b.id, b.type, name, old, new, _move(a.model, b.model, name))


def goalpost_value(model: Model, name: str) -> str | None:
    """A goalpost field of an item as a diff shows it: `1,000 people`, `2026-11-30`."""
    value = getattr(model, name, None)
    if name == "target":
        return target_text(model) if isinstance(model, KpiBase) else None
    if isinstance(value, Thresholds):
        return f"on track {value.on_track:g}, at risk {value.at_risk:g}"
    if isinstance(value, DateSpec):
        return value.date.isoformat()
    if isinstance(value, Baseline):
        return f"{format_number(value.value)} on {value.date}"
    if isinstance(value, FrequencySpec):
        return value.every.value
    if isinstance(value, list) and all(isinstance(t, InterimTarget) for t in value):
        return "; ".join(f"{format_number(t.value)} by {t.date}" for t in value) or None
    return None if value is None else str(value)


def _move(old: Model, new: Model, name: str) -> str:
    """How far a goalpost moved: days later or earlier, a target raised or lowered."""
    a, b = getattr(old, name, None), getattr(new, name, None)
    if isinstance(a, DateSpec) and isinstance(b, DateSpec):
        days = (b.date - a.date).days
        unit = "day" if abs(days) == 1 else "days"
        return f"{abs(days)} {unit} {'later' if days > 0 else 'earlier'}" if days else ""
    if isinstance(a, float) and isinstance(b, float) and a != b:
        return "raised" if b > a else "lowered"
    if name in ("due", "end") and b is None and a is not None:
        return "falls back to the plan's end" if name == "due" else "no end date"
    if name == "due" and a is None and b is not None:
        return "had none of its own"
    return ""


def status_changes(
    a: Entity, b: Entity, before: Mapping[str, ItemStatus], after: Mapping[str, ItemStatus]
) -> Iterator[StatusChange]:
    """A goal or KPI judged differently at the same date."""
    old, new = before.get(a.id), after.get(b.id)
    if old is not None and new is not None and old.status != new.status:
        yield StatusChange(b.id, b.type, old.status, new.status, new.reason)


def reading_changes(a: Entity, b: Entity) -> Iterator[ReadingChange]:
    """Measurements, done dates and owners' updates added, changed or removed on a KPI (a
    goal's updates too)."""
    if not (isinstance(a.model, KpiBase | Goal) and isinstance(b.model, KpiBase | Goal)):
        return
    old, new = _readings(a.model), _readings(b.model)
    revises = _revised(b.model)
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        if was == now:
            continue
        if was is None and key in revises:  # a revision: not a new reading
            replaced, reason = revises[key]
            yield ReadingChange(b.id, key[0], "revised", replaced, now[0] if now else None, reason)
            continue
        change = "added" if was is None else "removed" if now is None else "changed"
        yield ReadingChange(b.id, key[0], change, *_shown(was, now))


def _readings(kpi: KpiBase | Goal) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(date, kind, n) -> (what it says, its full record) for each measurement, done date and
    owner's update."""
    found: dict[tuple[str, str, int], tuple[str, str]] = {}
    seen: Counter[str] = Counter()
    for meas in getattr(kpi, "measurements", ()):
        day = meas.date.isoformat()
        found[(day, "m", seen[day])] = (_reading(meas), meas.model_dump_json())
        seen[day] += 1
    for update in kpi.updates:
        day = update.date.isoformat()
        said = f"{update.period} update: {update.rating.value}"
        found[(day, "u", seen[day])] = (said, update.model_dump_json())
        seen[day] += 1
    done = getattr(kpi, "done", None)
    if done is not None:
        found[(done.date.isoformat(), "done", 0)] = ("done", done.model_dump_json())
    return found


def _revised(kpi: KpiBase | Goal) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(date, "m", n) -> (the figure it replaces, why) for each revision among the
    measurements (keyed as `_readings` keys them)."""
    found: dict[tuple[str, str, int], tuple[str, str]] = {}
    seen: Counter[str] = Counter()
    last: dict[str, Measurement] = {}
    for meas in getattr(kpi, "measurements", ()):
        day = meas.date.isoformat()
        before = last.get(day)
        if meas.revised is not None and before is not None:
            found[(day, "m", seen[day])] = (_reading(before), meas.revised)
        last[day] = meas
        seen[day] += 1
    return found


def _reading(meas: Measurement) -> str:
    """The value, else the wording (a measurement's text can be a whole quote)."""
    if meas.value is not None:
        return format_number(meas.value)
    return _short(meas.text) or "no value"


def _shown(
    was: tuple[str, str] | None, now: tuple[str, str] | None
) -> tuple[str | None, str | None]:
    old, new = (was[0] if was else None), (now[0] if now else None)
    if was and now and old == new:
        new = f"{new} (details edited)"
    return old, new


def owner_changes(a: Entity, b: Entity, old_ix: Index, new_ix: Index) -> Iterator[FieldChange]:
    """Owners, chairs and goal states that changed."""
    was, now = a.model, b.model
    if isinstance(was, Goal) and isinstance(now, Goal):
        yield from _field(b, "owner", old_ix.goal_owner(a.id), new_ix.goal_owner(b.id))
        yield from _field(b, "state", _state(was), _state(now))
    elif isinstance(was, KpiBase) and isinstance(now, KpiBase) and (was.owner or now.owner):
        yield from _field(b, "owner", old_ix.kpi_owner(a.id), new_ix.kpi_owner(b.id))
    elif isinstance(was, Plan) and isinstance(now, Plan):
        yield from _field(b, "board", was.board, now.board)
    elif isinstance(was, Board | Group) and isinstance(now, Board | Group):
        old, new = ", ".join(was.chairs), ", ".join(now.chairs)
        yield from _field(b, "chairs", old or None, new or None)


def _state(goal: Goal) -> str:
    return goal.state + (f" ({goal.state_reason})" if goal.state_reason else "")


def _field(b: Entity, name: str, old: str | None, new: str | None) -> Iterator[FieldChange]:
    if old != new:
        yield FieldChange(b.id, b.type, name, old, new)


def other_changes(a: Entity, b: Entity) -> Iterator[FieldChange]:
    """Every other field that changed: titles, wording, sources, tags."""
    skip = {"id", *GOALPOST_FIELDS.get(b.type, ()), *COVERED.get(b.type, ())}
    old, new = a.model.model_dump(mode="json"), b.model.model_dump(mode="json")
    for name in [*new, *(k for k in old if k not in new)]:
        old_value, new_value = old.get(name), new.get(name)
        if name in skip or old_value == new_value:
            continue
        was, now = _short(old_value), _short(new_value)
        if (was is None) != (old_value is None) or (now is None) != (new_value is None):
            yield FieldChange(b.id, b.type, name, None, None, "too long to show")
        else:
            yield FieldChange(b.id, b.type, name, was, now)


def _short(value: object) -> str | None:
    """The value as JSON when it is short enough to read in one line, else None."""
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHORT and "\\n" not in text else None
