"""One data file read and validated on its own: its bytes read within the limits (stamped, so the
cache knows them again), parsed, checked against its file kind's model, and what validates of a
file that does not kept (`salvage`), so a broken item hides neither its neighbours nor itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core.model_base import Model
from ..core.models import FILE_KINDS, ITEMS, item_path
from ..core.problems import Problem
from ..core.settings import Limits
from ..core.vocabulary import FileKind
from ..source.fileio import Stamp, settled
from .index import Unbuilt

if TYPE_CHECKING:
    pass
from .discover import CONFIG_NAME

Loc = tuple[str | int, ...]
"""A path inside a YAML document: keys and list indexes, e.g. ("goals", 0, "kpis", 2)."""


class Origin(NamedTuple):
    """Where an item was written: its file (relative path) and its path inside the YAML.
    (A named tuple: one is made for every item on every run.)"""

    file: str
    loc: Loc


@dataclass
class FileResult:
    """One file, read and validated on its own."""

    path: str | Path
    rel: str
    kind: FileKind | None = None
    """None when the file could not be read far enough to tell."""
    model: Model | None = None
    problems: list[Problem] = field(default_factory=list)
    stamp: Stamp | None = None
    """The stamp of the bytes that were read (None: not read whole)."""
    unbuilt: list[tuple[str, Loc, Unbuilt]] | None = None
    """When the file failed validation: its items that did not (word, place, item); the model
    holds the rest. None when the file validated, or could not be read far enough to try."""
    places: dict[Loc, Loc] = field(default_factory=dict)
    """Where items of a salvaged model are written in the file, where the two differ."""
    partial: set[str] = field(default_factory=set)
    """Goals of a salvaged model that lost a KPI which failed validation: only errors are
    reported about them (a goal is not "without a KPI" because its KPI is broken)."""

    def place(self, loc: Loc) -> Loc:
        """Where the item at `loc` in the model is written in the file."""
        return self.places.get(loc, loc)


def read_text(
    path: str | Path, rel: str, max_bytes: int | None = None
) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is allowed), or a located problem.

    Never reads more than `max_bytes` (and one byte to know it is over): a huge file is refused
    without being held in memory.
    """
    text, problems, _ = read_stamped(path, rel, max_bytes)
    return text, problems


def read_stamped(
    path: str | Path, rel: str, max_bytes: int | None = None
) -> tuple[str | None, list[Problem], Stamp | None]:
    """`read_text`, with the stamp of the very bytes read (so a file replaced meanwhile is not
    mistaken for them); None when the file is over the limit and was not read whole."""
    try:
        with open(path, "rb") as stream:
            before = os.fstat(stream.fileno())
            raw = stream.read(-1 if max_bytes is None else max_bytes + 1)
            after = os.fstat(stream.fileno())
    except OSError as exc:
        return (
            None,
            [
                Problem(
                    rel,
                    0,
                    0,
                    "LCR113",
                    f"cannot read file: {exc.strerror}",
                    "check the file's permissions",
                )
            ],
            None,
        )
    if max_bytes is not None and len(raw) > max_bytes:
        return None, [too_big(rel, max(after.st_size, len(raw)), max_bytes)], None
    stamp = Stamp.of(raw, settled(before, after))
    try:
        return raw.decode("utf-8-sig"), [], stamp
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return (
            None,
            [
                Problem(
                    rel,
                    line,
                    col,
                    "LCR110",
                    f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save the file with UTF-8 encoding",
                )
            ],
            stamp,
        )


def too_big(rel: str, size: int, max_bytes: int) -> Problem:
    """The problem of a file over the size limit, unread (LCR107)."""
    return Problem(
        rel,
        1,
        1,
        "LCR107",
        f"file is {size:,} bytes, over the limit of {max_bytes:,}",
        "split it into smaller files, or raise limits.max_file_bytes in lcrplan.yaml",
    )


def file_kind(rel: str, data: object) -> FileKind:
    """Which model a file follows, from its name and top-level keys."""
    if Path(rel).name == CONFIG_NAME:
        return FileKind.config
    if isinstance(data, dict):
        if "theme" in data or "goals" in data:
            return FileKind.theme
        if "plan" in data:
            return FileKind.plan
    return FileKind.directory


def validate_file(path: str | Path, rel: str, limits: Limits) -> FileResult:
    """Read, parse and validate one file against its kind's model."""
    from pydantic import ValidationError  # with the YAML reader: not needed on a cached run

    from ..source.yamlio import compose, parse
    from .pydantic_errors import schema_problems

    result = FileResult(path, rel)
    text, problems, result.stamp = read_stamped(path, rel, limits.max_file_bytes)
    if text is None:
        result.problems = problems
        return result
    parsed = parse(text, rel, limits.max_file_bytes, limits.max_depth, limits.max_list_items)
    result.problems = parsed.problems
    if parsed.problems:
        return result
    if parsed.data is None:
        result.problems.append(
            Problem(
                rel,
                1,
                1,
                "LCR111",
                _empty_message(text),
                "add content as data/README.md describes, or delete the file",
            )
        )
        return result
    result.kind = file_kind(rel, parsed.data)
    if not isinstance(parsed.data, dict):
        result.problems.append(
            Problem(
                rel,
                1,
                1,
                "LCR112",
                f"expected a mapping of keys at the top, got a {_type_name(parsed.data)}",
                "start the file with a key such as 'theme:' or 'boards:'",
            )
        )
        return result
    model_type = FILE_KINDS[result.kind]
    try:
        result.model = model_type.model_validate(parsed.data)
    except ValidationError as exc:
        tree = compose(text)  # once per file: a file can have thousands of errors
        errors = exc.errors()
        result.problems = schema_problems(errors, tree, rel, model_type, parsed.data)
        salvage(result, parsed.data, model_type, [tuple(e["loc"]) for e in errors])
    return result


_LISTS = ("goals", "context", "sources", "people", "boards", "groups", "checks")


def salvage(
    result: FileResult, data: dict[str, object], model_type: type[Model], bad: list[Loc]
) -> None:
    """Keep what validates of a file that does not: its model without the items that have
    errors (and without broken top-level keys), and those items' ids and raw fields, so that
    one broken goal or KPI hides neither its neighbours' references nor its own."""
    broken: set[Loc] = set()
    for loc in bad:
        found = item_path(loc)
        broken.add(found[0] if found else loc[:1])
    pruned: dict[str, object] = {}
    from pydantic import ValidationError

    unbuilt: list[tuple[str, Loc, object]] = []
    for key, value in data.items():
        if (key,) in broken:
            unbuilt.append((ITEMS.get((key,), ""), (key,), value))
            continue
        if key == "goals" and isinstance(value, list):
            result.partial |= {
                str(goal.get("id"))
                for g, goal in enumerate(value)
                if isinstance(goal, dict)
                and any(b[:2] == ("goals", g) and len(b) == 4 for b in broken)
            }
        if key not in _LISTS or not isinstance(value, list):
            pruned[key] = value
            continue
        kept: list[object] = []
        for i, entry in enumerate(value):
            if (key, i) in broken:
                unbuilt.append((ITEMS[(key, 0)], (key, i), entry))
                if key == "goals" and isinstance(entry, dict):
                    kpis = entry.get("kpis")
                    for k, kpi in enumerate(kpis if isinstance(kpis, list) else ()):
                        unbuilt.append(("kpi", (key, i, "kpis", k), kpi))
                continue
            result.places[(key, len(kept))] = (key, i)
            if key == "goals" and isinstance(entry, dict) and isinstance(entry.get("kpis"), list):
                entry = _kept_kpis(entry, i, len(kept), broken, result.places, unbuilt)
            kept.append(entry)
        pruned[key] = kept
    try:
        result.model = model_type.model_validate(pruned)
    except ValidationError:  # a required part (the theme, the plan) is what failed
        result.model, result.places = None, {}
        unbuilt = list(_every_item(data))
    result.unbuilt = [
        (word, loc, Unbuilt(word, raw["id"], raw))
        for word, loc, raw in unbuilt
        if word and isinstance(raw, dict) and isinstance(raw.get("id"), str)
    ]


def _kept_kpis(
    goal: dict[str, object],
    g: int,
    new_g: int,
    broken: set[Loc],
    places: dict[Loc, Loc],
    unbuilt: list[tuple[str, Loc, object]],
) -> dict[str, object]:
    kpis = goal["kpis"]
    assert isinstance(kpis, list)
    kept: list[object] = []
    for k, kpi in enumerate(kpis):
        if ("goals", g, "kpis", k) in broken:
            unbuilt.append(("kpi", ("goals", g, "kpis", k), kpi))
            continue
        places[("goals", new_g, "kpis", len(kept))] = ("goals", g, "kpis", k)
        kept.append(kpi)
    return {**goal, "kpis": kept}


def _every_item(data: dict[str, object]) -> Iterator[tuple[str, Loc, object]]:
    for key, value in data.items():
        if (key,) in ITEMS:
            yield ITEMS[(key,)], (key,), value
        if key in _LISTS and isinstance(value, list):
            for i, entry in enumerate(value):
                yield ITEMS[(key, 0)], (key, i), entry
                kpis = entry.get("kpis") if key == "goals" and isinstance(entry, dict) else None
                for k, kpi in enumerate(kpis if isinstance(kpis, list) else ()):
                    yield "kpi", (key, i, "kpis", k), kpi


def _empty_message(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "file is empty"
    if all(line.startswith("#") for line in lines):
        return "file holds only comments, no data"
    return "file holds no data"


def _type_name(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
