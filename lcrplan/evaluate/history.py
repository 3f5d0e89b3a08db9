"""When each KPI's goalposts (target, dates, baseline) changed, from the data's git history.

Reads git through `gitio` and every changed file, at each commit, through the loader's own
`validate_file`, so a file is read at every revision as `lcrplan validate` reads it; what counts
as a goalpost, and how it is written, is `diff`'s (`lcrplan diff` shows the same moves).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.models import AnyKpi, DataSet, ThemeFile
from ..core.settings import Limits
from ..core.vocabulary import FileKind
from ..loader.validate import validate_file
from ..source.gitio import Commit, Repo, TooBig, data_log, read_blobs
from .diff import Entity, goalpost_value, goalposts

FIRST = ("target", "due", "baseline", "interim_targets")
"""The goalposts a KPI's first appearance shows (the rest are their defaults, or dates)."""


@dataclass(frozen=True, slots=True)
class Move:
    """One goalpost of a KPI set or moved: in a commit, or in the working tree (no commit)."""

    field: str
    old: str | None
    """None: set for the first time."""
    new: str | None
    note: str
    date: str | None
    """The commit's date, YYYY-MM-DD; None for a change not committed yet."""
    commit: str
    """Its short id ("" when not committed)."""
    subject: str


History = Mapping[str, tuple[Move, ...]]
"""Each KPI's moves, oldest first, by KPI id."""


def goalpost_history(repo: Repo, data: DataSet, limits: Limits) -> dict[str, tuple[Move, ...]]:
    """The moves of every KPI in `data` (the working tree), from the first commit that holds it."""
    commits = data_log(repo)
    oids = sorted({oid for c in commits for _, oid in c.files if oid})
    blobs = dict(zip(oids, read_blobs(repo, oids, limits.max_file_bytes), strict=True))
    found: dict[str, list[Move]] = {}
    current: dict[str, Entity] = {}
    with tempfile.TemporaryDirectory(prefix="lcrplan-history-") as tmp:
        files: dict[str, dict[str, Entity]] = {}
        for commit in commits:
            before = {k: e for rel, _ in commit.files for k, e in files.get(rel, {}).items()}
            for rel, oid in commit.files:
                files[rel] = _kpis(Path(tmp), rel, blobs[oid], limits) if oid else {}
            after = {k: e for rel, _ in commit.files for k, e in files[rel].items()}
            for kpi_id, entity in after.items():
                was = before.get(kpi_id) or current.get(kpi_id)
                found.setdefault(kpi_id, []).extend(_moves(was, entity, commit))
            current.update(after)
            for kpi_id in before.keys() - after.keys():
                current.pop(kpi_id, None)
    now = {k.id: _entity(k) for theme_file in data.themes for k in _each_kpi(theme_file)}
    for kpi_id, entity in now.items():
        found.setdefault(kpi_id, []).extend(_moves(current.get(kpi_id), entity, None))
    return {k: tuple(found[k]) for k in now if found.get(k)}


def _moves(was: Entity | None, now: Entity, commit: Commit | None) -> Iterator[Move]:
    when = (commit.date, commit.id[:12], commit.subject) if commit else (None, "", "")
    if was is None:
        for name in FIRST:
            value = goalpost_value(now.model, name)
            if value is not None:
                yield Move(name, None, value, "first recorded", *when)
        return
    for change in goalposts(was, now):
        yield Move(change.field, change.old, change.new, change.note, *when)


def _kpis(tmp: Path, rel: str, blob: bytes | TooBig, limits: Limits) -> dict[str, Entity]:
    """The KPIs of one file as it was in a commit (none when it is not a theme file, or is
    over the size limit: then never read, nor copied)."""
    if isinstance(blob, TooBig):
        return {}
    path = tmp / "file.yaml"  # the name is not used: `rel` names it in the loader
    path.write_bytes(blob)
    result = validate_file(path, rel, limits)
    if result.kind is not FileKind.theme or not isinstance(result.model, ThemeFile):
        return {}
    return {k.id: _entity(k) for k in _each_kpi(result.model)}


def _each_kpi(theme_file: ThemeFile) -> Iterator[AnyKpi]:
    for goal in theme_file.goals:
        yield from goal.kpis


def _entity(kpi: AnyKpi) -> Entity:
    return Entity(kpi.id, "kpi", kpi.title, kpi)


def moves_of(history: History | None, kpi_id: str) -> Sequence[Move] | None:
    """A KPI's moves; None when there is no history to read (the data is not in git)."""
    return None if history is None else history.get(kpi_id, ())
