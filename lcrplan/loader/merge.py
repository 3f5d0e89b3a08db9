"""Files to one data set: the directory, the plans and their themes merged in document order, with
the origin of every item (its file and place) and the items whose problems are suppressed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.models import (
    Board,
    Context,
    DataSet,
    DirectoryFile,
    Document,
    Group,
    Person,
    Plan,
    PlanFile,
    ThemeFile,
)
from ..core.problems import Problem
from ..core.settings import Config
from .index import Unbuilt

if TYPE_CHECKING:
    pass
from .locate import Found, Locator
from .validate import FileResult, Loc, Origin


def _document_order(theme_file: ThemeFile) -> tuple[str, int, int]:
    """Themes of one document in the order the document gives them (by their first line)."""
    source = theme_file.theme.source
    first = int(source.lines.split("-")[0]) if source.lines else 0
    return (source.document, 0 if source.lines else 1, first)


def merge(
    results: Sequence[FileResult], config: Config, located: Locator, trusted: bool = False
) -> tuple[DataSet, Mapping[str, Origin], list[Problem], dict[str, Unbuilt]]:
    """Combine valid files (and what validates of the others) into one data set, recording
    where each id was written (a repeated id is an error, placed by `located`), and the items
    that failed validation. `trusted`: the files are the ones that last passed every check (so
    no id is repeated), and where each id is written is worked out only if asked for."""
    unbuilt: dict[str, Unbuilt] = {}
    problems: list[Problem] = []
    parts = _Parts()
    for result in results:
        model = result.model
        for _word, _loc, thing in result.unbuilt or ():
            unbuilt.setdefault(thing.id, thing)
        if isinstance(model, DirectoryFile):
            parts.documents += model.sources
            parts.people += model.people
            parts.boards += model.boards
            parts.groups += model.groups
        elif isinstance(model, PlanFile):
            parts.plans.append(model.plan)
        elif isinstance(model, ThemeFile):
            parts.themes.append(model)
        if isinstance(model, (PlanFile, ThemeFile)):
            parts.context += model.context
    parts.themes.sort(key=_document_order)
    data = DataSet(config=config, **vars(parts))
    if trusted:
        return data, Origins(results), problems, unbuilt
    origins: dict[str, Origin] = {}
    for item_id, origin in _placed(results, origins):
        first = origins[item_id]
        where = located.problem(first, ("id",), "LCR401", "", "")
        found = Found(
            origin,
            ("id",),
            "LCR401",
            f"duplicate id, first used at {where.where}",
            "ids must be unique across the data set: choose another id",
            item_id,
        )
        problems.append(located.place(found))
    return data, origins, problems, unbuilt


def suppressing(data: DataSet) -> set[str]:
    """The goals and KPIs with suppressions of their own (`ignore:`)."""
    found = set()
    for theme_file in data.themes:
        for goal in theme_file.goals:
            if goal.ignore:
                found.add(goal.id)
            found.update(kpi.id for kpi in goal.kpis if kpi.ignore)
    return found


def _placed(
    results: Sequence[FileResult], origins: dict[str, Origin], only: Set[str] | None = None
) -> list[tuple[str, Origin]]:
    """Record where each item is written in `origins` (the first place of an id; `only`:
    of these ids alone), in the order of the files; the ids found again, with their second
    place."""
    again: list[tuple[str, Origin]] = []
    new = tuple.__new__  # an Origin per item: made without its Python constructor

    def add(item_id: str, rel: str, loc: Loc) -> None:
        if only is not None and item_id not in only:
            return
        origin = new(Origin, (rel, loc))
        if origins.setdefault(item_id, origin) is not origin:
            again.append((item_id, origin))

    for result in results:
        model = result.model
        rel = result.rel
        places = result.places  # only a salvaged file's items moved
        for _word, place, thing in result.unbuilt or ():
            add(thing.id, rel, place)
        if isinstance(model, DirectoryFile):
            listed: tuple[tuple[str, Sequence[Document | Person | Board | Group]], ...] = (
                ("sources", model.sources),
                ("people", model.people),
                ("boards", model.boards),
                ("groups", model.groups),
            )
            for key, items in listed:
                for i, item in enumerate(items):
                    add(item.id, rel, places.get((key, i), (key, i)))
        elif isinstance(model, PlanFile):
            add(model.plan.id, rel, ("plan",))
        elif isinstance(model, ThemeFile):
            add(model.theme.id, rel, ("theme",))
            for g, goal in enumerate(model.goals):
                loc: Loc = ("goals", g)
                add(goal.id, rel, places.get(loc, loc) if places else loc)
                for k, kpi in enumerate(goal.kpis):
                    loc = ("goals", g, "kpis", k)
                    add(kpi.id, rel, places.get(loc, loc) if places else loc)
        if isinstance(model, (PlanFile, ThemeFile)):
            for c, entry in enumerate(model.context):
                add(entry.id, rel, places.get(("context", c), ("context", c)))
    return again


class Origins(Mapping[str, Origin]):
    """Where each id is written, worked out on first use (a run on unchanged files may never
    ask); the first place of an id wins, as in `merge`."""

    def __init__(self, results: Sequence[FileResult]) -> None:
        self._results = results
        self._found: dict[str, Origin] | None = None
        self._some: dict[str, Origin] = {}

    def _all(self) -> dict[str, Origin]:
        if self._found is None:
            self._found = {}
            _placed(self._results, self._found)
        return self._found

    def prefetch(self, ids: Set[str]) -> None:
        """Work out where `ids` are written now, and no other: the few a run asks for."""
        if self._found is None:
            some: dict[str, Origin] = {}
            _placed(self._results, some, ids)
            self._some = some

    def __getitem__(self, item_id: str) -> Origin:
        found = self._some.get(item_id) if self._found is None else None
        return found if found is not None else self._all()[item_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


@dataclass
class _Parts:
    """What `merge` collects from the files: the data set's lists, by field."""

    documents: list[Document] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    boards: list[Board] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    themes: list[ThemeFile] = field(default_factory=list)
    context: list[Context] = field(default_factory=list)
