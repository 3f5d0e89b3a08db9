"""Look-ups over a loaded data set: who owns what, which plan a goal belongs to, its due date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ..core.model_base import DateSpec
from ..core.models import (
    AnyKpi,
    Board,
    Context,
    DataSet,
    Document,
    Goal,
    Group,
    Person,
    Plan,
    Theme,
)


@dataclass(frozen=True)
class Unbuilt:
    """An item that failed validation, kept for what it can still tell: its id (so references
    to it are not reported as unknown) and its raw fields (so its own references are checked)."""

    kind: str
    """What it is: goal, kpi, theme, plan, board, group, person, document or context."""
    id: str
    fields: Mapping[str, object]


class GoalPlace(NamedTuple):
    """Where a goal sits. (A named tuple: one is made for every goal on every run.)"""

    goal: Goal
    theme: Theme
    plan: Plan | None


@dataclass
class Index:
    """Items of a `DataSet` by id, with the inherited owner and due date of each goal and KPI."""

    data: DataSet
    plans: dict[str, Plan] = field(default_factory=dict)
    themes: dict[str, Theme] = field(default_factory=dict)
    goals: dict[str, GoalPlace] = field(default_factory=dict)
    kpis: dict[str, tuple[AnyKpi, str]] = field(default_factory=dict)
    """Each KPI and the id of its goal."""
    boards: dict[str, Board] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    context: dict[str, Context] = field(default_factory=dict)
    unbuilt: dict[str, Unbuilt] = field(default_factory=dict)
    """Items of the data set's files that failed validation, by id (see `validate.salvage`)."""

    @classmethod
    def build(cls, data: DataSet, unbuilt: Mapping[str, Unbuilt] | None = None) -> Index:
        """The index of `data`. Build it once per data set and pass it on (`Loaded.index`)."""
        index = cls(data, unbuilt=dict(unbuilt or {}))
        index.plans = {p.id: p for p in data.plans}
        index.boards = {b.id: b for b in data.boards}
        index.groups = {g.id: g for g in data.groups}
        index.people = {p.id: p for p in data.people}
        index.documents = {d.id: d for d in data.documents}
        index.context = {c.id: c for c in data.context}
        for theme_file in data.themes:
            index.themes[theme_file.theme.id] = theme_file.theme
            plan = index.plans.get(theme_file.theme.plan)
            for goal in theme_file.goals:
                index.goals[goal.id] = GoalPlace(goal, theme_file.theme, plan)
                for kpi in goal.kpis:
                    index.kpis[kpi.id] = (kpi, goal.id)
        return index

    def item(self, item_id: str) -> AnyKpi | Goal:
        """The goal or KPI with this id (a KeyError if there is none)."""
        if item_id in self.kpis:
            return self.kpis[item_id][0]
        return self.goals[item_id].goal

    @property
    def owners(self) -> dict[str, str]:
        """Every id that can own something, with its display name."""
        names = {b.id: b.name for b in self.boards.values()}
        names.update({g.id: g.name for g in self.groups.values()})
        names.update({p.id: p.name for p in self.people.values()})
        return names

    def goal_owner(self, goal_id: str) -> str | None:
        return owner_at(self.goals[goal_id])

    def goal_due(self, goal_id: str) -> tuple[DateSpec | None, bool]:
        """The goal's due date, or its plan's end (second value True when it fell back)."""
        return due_at(self.goals[goal_id])

    def kpi_due(self, kpi_id: str) -> tuple[DateSpec | None, bool]:
        kpi, goal_id = self.kpis[kpi_id]
        if kpi.due is not None:
            return kpi.due, False
        return self.goal_due(goal_id)

    def kpi_owner(self, kpi_id: str) -> str | None:
        kpi, goal_id = self.kpis[kpi_id]
        return kpi.owner or self.goal_owner(goal_id)

    def chairs_of(self, owner_id: str | None) -> list[str]:
        """Names of the chairs of a board or group (a person owns for themselves)."""
        if owner_id is None:
            return []
        body = self.groups.get(owner_id) or self.boards.get(owner_id)
        if body is not None:
            return [self.people[c].name for c in body.chairs if c in self.people]
        person = self.people.get(owner_id)
        return [person.name] if person else []

    def group_of(self, goal_id: str) -> str | None:
        return self.group_at(self.goals[goal_id])

    def group_at(self, place: GoalPlace, owner: str | None = None) -> str | None:
        """The sub-group of the goal at `place` (`owner`: its owner, if known)."""
        if place.theme.group:
            return place.theme.group
        owner = owner_at(place) if owner is None else owner
        return owner if owner in self.groups else None


def owner_at(place: GoalPlace) -> str | None:
    """Who owns the goal at `place`: its own owner, else its theme's, its theme's group, its
    plan's board."""
    return (
        place.goal.owner
        or place.theme.owner
        or place.theme.group
        or (place.plan.board if place.plan else None)
    )


def due_at(place: GoalPlace) -> tuple[DateSpec | None, bool]:
    """`Index.goal_due` of the goal at `place`."""
    if place.goal.due is not None:
        return place.goal.due, False
    if place.plan is not None and place.plan.end is not None:
        return place.plan.end, True
    return None, False


class UnknownPerson(ValueError):
    """A person named by something that is neither a person's id nor one person's name."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(f"{message} ({hint})")
        self.message, self.hint = message, hint


def person_id(people: Mapping[str, Person], given: str, where: str = "") -> str:
    """The id of the person `given` names: their id, or their name as the data writes it
    (whatever the case and spacing), with or without its title (`Professor Rachel McLean` or
    `Rachel McLean`). `UnknownPerson` when it names no one, or more than one (listing their
    ids); `where` says where it was given (` in column 'by'`)."""
    from ..core.problems import did_you_mean

    if given in people:
        return given
    key = _name_key(given)
    found = sorted(p.id for p in people.values() if key and key in _name_keys(p.name))
    if len(found) == 1:
        return found[0]
    shown = given if len(given) <= 40 else given[:39] + "…"
    if found:
        raise UnknownPerson(
            f"'{shown}'{where} is the name of {len(found)} people: " + ", ".join(found),
            "give the id of the one you mean",
        )
    near = did_you_mean(given, [*people, *(p.name for p in people.values())])
    known = sorted(people)
    hint = near or "known: " + ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    raise UnknownPerson(f"unknown person '{shown}'{where}", f"give their id or name; {hint}")


TITLES = frozenset(
    {"professor", "prof", "dr", "doctor", "cllr", "councillor", "sir", "dame", "lord", "lady"}
    | {"baroness", "baron", "mr", "mrs", "ms", "miss", "mx", "rev", "revd"}
)
"""Words a name may start with that a person can leave out when naming someone."""


def _name_key(name: str) -> str:
    return " ".join(name.replace(".", " ").casefold().split())


def _name_keys(name: str) -> set[str]:
    """A name as it may be given: as written, and without its titles (`Dr`, `Professor`)."""
    words = _name_key(name).split()
    keys = {" ".join(words)}
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
        keys.add(" ".join(words))
    return keys
