"""Checking an edit before it is written: the goal or KPI it is about, the file that defines it,
and the check its new text must pass.

An edited file must still validate on its own, and the data set with it must still pass its
checks (`locate.run_checks`). With a fully loaded data set that is the whole set again
(`loaded_target`); through the cache's id index it is the file against the few small files it
depends on, counting only the errors the edit adds (`quick_target`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model_base import Model
from ..core.models import AnyKpi, DirectoryFile, Goal, Person, Plan, PlanFile, ThemeFile
from ..core.problems import Problem, did_you_mean
from ..core.settings import Config, Limits
from ..core.vocabulary import FileKind, ItemType
from ..loader.discover import display_root
from ..loader.index import Index
from ..loader.load import Loaded, load_or_raise
from ..loader.locate import Locator, run_checks
from ..loader.merge import merge
from ..loader.validate import FileResult, validate_file

Check = Callable[[Path], list[Problem]]
"""The errors a candidate text (at a temporary path) would bring to the data set."""


@dataclass
class Target:
    """The goal or KPI an edit is about, the file defining it, and the check its new text must
    pass; `written` is called once the file has been replaced."""

    item: AnyKpi | Goal
    path: Path
    rel: str
    check: Check
    written: Callable[[], None] = lambda: None
    plan: Plan | None = None
    """The item's plan, where it was read (its default frequency)."""
    people: Mapping[str, Person] = field(default_factory=dict)
    """Everyone the data names, by id (who may write an update)."""

    @property
    def kpi(self) -> AnyKpi:
        """The item, found as a KPI (`find_target(..., ItemType.kpi)`)."""
        if isinstance(self.item, Goal):
            raise TypeError(f"'{self.item.id}' is a goal")
        return self.item

    @property
    def goal(self) -> Goal:
        """The item, found as a goal (`find_target(..., ItemType.goal)`)."""
        if not isinstance(self.item, Goal):
            raise TypeError(f"'{self.item.id}' is a KPI")
        return self.item


class NotFound(LookupError):
    """No goal or KPI of the kind wanted has this id; the message says what there is instead."""


def find_target(
    root: Path, item_id: str, want: ItemType | None, today: dt.date, use_cache: bool = True
) -> Target:
    """The goal or KPI (`want`; None: either) to edit, and its check: through the cache's id
    index when it can be trusted (`quick_target`), else by loading the data set, whose errors
    are raised as for any command (`loaded_target`)."""
    if use_cache:
        quick = quick_target(root, item_id, today)
        if quick is not None and (
            want is None or isinstance(quick.item, Goal) == (want is ItemType.goal)
        ):
            return quick
    loaded = load_or_raise(root, today, use_cache)
    if want is None:
        item = _any(loaded, item_id)
    else:
        item = _kpi(loaded, item_id) if want is ItemType.kpi else _goal(loaded, item_id)
    return loaded_target(loaded, item_id, item, today, restamp=use_cache)


def _any(loaded: Loaded, item_id: str) -> AnyKpi | Goal:
    index = loaded.index
    if item_id in index.kpis or item_id in index.goals:
        return index.item(item_id)
    hint = _nearest(item_id, [*index.goals, *index.kpis])
    raise NotFound(f"no goal or KPI with id '{item_id}' ({hint})")


def _kpi(loaded: Loaded, kpi_id: str) -> AnyKpi:
    index = loaded.index
    if kpi_id in index.kpis:
        return index.kpis[kpi_id][0]
    if kpi_id in index.goals:
        kpis = ", ".join(k.id for k in index.goals[kpi_id].goal.kpis) or "it has none yet"
        raise NotFound(f"'{kpi_id}' is a goal, not a KPI (its KPIs: {kpis})")
    raise NotFound(f"no KPI with id '{kpi_id}' ({_nearest(kpi_id, index.kpis)})")


def _goal(loaded: Loaded, goal_id: str) -> Goal:
    index = loaded.index
    if goal_id in index.goals:
        return index.goals[goal_id].goal
    if goal_id in index.kpis:
        raise NotFound(f"'{goal_id}' is a KPI; state is set on its goal '{index.kpis[goal_id][1]}'")
    raise NotFound(f"no goal with id '{goal_id}' ({_nearest(goal_id, index.goals)})")


def _nearest(word: str, known: Iterable[str]) -> str:
    return did_you_mean(word, known) or "lcrplan status --format csv lists every id"


def candidate_check(loaded: Loaded, rel: str, today: dt.date) -> Check:
    """A check of the whole data set as it would be with file `rel` read from another path."""
    base = display_root(loaded.root)

    def check(candidate: Path) -> list[Problem]:
        result = validate_file(candidate, rel, loaded.data.config.limits)
        if result.problems:
            return result.problems
        files = [result if f.rel == rel else f for f in loaded.files]
        return _set_errors(files, loaded.data.config, base, today, {rel: candidate})

    return check


def candidates_check(
    loaded: Loaded, today: dt.date
) -> Callable[[Mapping[str, Path]], list[Problem]]:
    """A check of the whole data set as it would be with several files read from other paths
    (name -> path): every one validated, then the set checked once."""
    base = display_root(loaded.root)
    limits = loaded.data.config.limits

    def check(candidates: Mapping[str, Path]) -> list[Problem]:
        results = {rel: validate_file(path, rel, limits) for rel, path in candidates.items()}
        problems = [p for r in results.values() for p in r.problems]
        if problems:
            return problems
        files = [results.get(f.rel, f) for f in loaded.files]
        return _set_errors(files, loaded.data.config, base, today, dict(candidates))

    return check


def loaded_target(
    loaded: Loaded, item_id: str, item: AnyKpi | Goal, today: dt.date, restamp: bool = True
) -> Target:
    """The target in a fully loaded data set: its new text is checked with the whole set.
    `restamp`: after the write, update the cache's id index (see `quick_target`)."""
    from ..source.cache import Ids

    rel = loaded.origins[item_id].file
    path = loaded.file_of(item_id)

    def written() -> None:  # the set passed its checks with this file: keep the index usable
        ids = Ids.open(loaded.root) if restamp else None
        if ids is not None and rel in ids.files:
            ids.restamp(path, rel)

    goal_id = item_id if isinstance(item, Goal) else loaded.index.kpis[item_id][1]
    plan = loaded.index.goals[goal_id].plan
    check = candidate_check(loaded, rel, today)
    return Target(item, path, rel, check, written, plan, loaded.index.people)


def quick_target(root: Path, item_id: str, today: dt.date) -> Target | None:
    """The goal or KPI found through the cache's id index, without loading the data set.

    The index was written when the data set passed every check; its file must be unchanged
    since (same size and times). An edit to that theme file can then only add findings about
    its own items: the edited text is checked against the small files as they are now (config,
    directory, the theme's plan), and the errors it adds over the file as it stands are
    reported. (Findings that need the files left unread, such as an unknown `parent` goal, are
    the same before and after, so cancel out.) What it reads does not grow with the data set.
    Otherwise None: the caller loads everything and uses `candidate_check`.
    """
    from ..source.cache import Ids

    ids = Ids.open(root)
    if ids is None or item_id not in ids.items:
        return None
    rel = ids.items[item_id]
    base = display_root(root)
    path = base / rel
    if not ids.unchanged(path, rel):
        return None
    config, limits = Config(), Limits()
    context: list[FileResult] = []
    for name in sorted(ids.files, key=lambda f: ids.kind(f) is not FileKind.config):
        if ids.kind(name) in (FileKind.config, FileKind.directory):
            result = validate_file(base / name, name, limits)
            if result.problems or result.model is None:
                return None
            if isinstance(result.model, Config):
                config, limits = result.model, result.model.limits
            context.append(result)
    current = validate_file(path, rel, limits)
    item = _item_in(current.model, item_id)
    if current.problems or item is None or not isinstance(current.model, ThemeFile):
        return None
    plan_file = ids.items.get(current.model.theme.plan)  # its plan: dates and the board
    plan_model = None
    if plan_file is not None:
        plan = validate_file(base / plan_file, plan_file, limits)
        if plan.problems:
            return None
        context.append(plan)
        plan_model = plan.model.plan if isinstance(plan.model, PlanFile) else None

    def key(p: Problem) -> tuple[str, str, str]:
        return (p.file, p.message, p.hint)

    before = Counter(map(key, _set_errors([*context, current], config, base, today, {}, rel)))

    def check(candidate: Path) -> list[Problem]:
        result = validate_file(candidate, rel, limits)
        if result.problems:
            return result.problems
        after = _set_errors([*context, result], config, base, today, {rel: candidate}, rel)
        seen: Counter[tuple[str, str, str]] = Counter()
        added = []
        for problem in after:
            seen[key(problem)] += 1
            if seen[key(problem)] > before[key(problem)]:
                added.append(problem)
        return added

    people = {
        person.id: person
        for found in context
        if isinstance(found.model, DirectoryFile)
        for person in found.model.people
    }
    return Target(item, path, rel, check, lambda: ids.restamp(path, rel), plan_model, people)


def _item_in(model: Model | None, item_id: str) -> AnyKpi | Goal | None:
    """The goal or KPI `item_id` in a theme file's model, or None."""
    for goal in getattr(model, "goals", ()):
        if goal.id == item_id:
            return goal
        for kpi in goal.kpis:
            if kpi.id == item_id:
                return kpi
    return None


def _set_errors(
    files: Sequence[FileResult],
    config: Config,
    base: Path,
    today: dt.date,
    read_from: dict[str, Path],
    only: str | None = None,
) -> list[Problem]:
    """Errors of the data set made of `files` (duplicate ids and every check), located; with
    `only`, just those about items of that file. `read_from` maps a file to where its text is."""
    locator = Locator(base, read_from)
    data, origins, problems, unbuilt = merge(files, config, locator)
    index = Index.build(data, unbuilt)
    found = run_checks(data, index, origins, today, warnings=False, only=only)
    return problems + [locator.place(finding) for finding in found]
