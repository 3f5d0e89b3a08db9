"""Load a data directory: files -> validated `DataSet`, or every problem with its file:line:col.

Stages: find the directory, list its YAML files, read each one (cached when unchanged), validate
each against its file kind, then check the data set as a whole (ids, references, dates) and add
data-quality warnings. `today` is passed in; nothing here reads the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..core.codes import BY_CODE, Severity
from ..core.models import (
    FILE_KINDS,
    ITEMS,
    Board,
    Config,
    Context,
    DataSet,
    DirectoryFile,
    Document,
    Group,
    Limits,
    Model,
    Person,
    Plan,
    PlanFile,
    ThemeFile,
    item_path,
)
from ..core.problems import LcrplanError, Problem, errors_in
from ..core.textsafe import describe, first_unsafe
from ..core.vocabulary import FileKind
from ..source.fileio import Stamp, settled
from .index import Index, Unbuilt
from .policy import Policy
from .policy import build as build_policy

if TYPE_CHECKING:
    from ..source.cache import Cache
    from ..source.yamlio import Tree
    from .checks import Finding

CONFIG_NAME = "lcrplan.yaml"
SKIP_DIRS = {"schema", "node_modules", "__pycache__"}
YAML_SUFFIXES = (".yaml", ".yml")


def find_data_dir(given: Path | None, env: str | None, cwd: Path) -> Path:
    """`--data DIR`, else `$LCRPLAN_DATA`, else the nearest `data/` or `lcrplan.yaml` upwards."""
    if given is not None:
        return given
    if env:
        return Path(env)
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / "data" / CONFIG_NAME).is_file() or (folder / "data").is_dir():
            return folder / "data"
    raise LcrplanError(
        [
            Problem(
                str(cwd),
                0,
                0,
                "LCR116",
                "no data directory found",
                "run inside a folder holding data/ or lcrplan.yaml, or pass --data DIR",
            )
        ]
    )


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


@dataclass
class Loaded:
    """A validated data set with the origin of every item and every problem found."""

    root: Path
    data: DataSet
    files: list[FileResult]
    origins: Mapping[str, Origin]
    problems: list[Problem]
    built_index: Index | None = None
    """The index the checks used, if they ran (see `index`)."""
    policy: Policy = field(default_factory=Policy)
    """The rules and suppressions that applied, and what they suppressed."""

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    @property
    def index(self) -> Index:
        """The data set's items by id (built once, on first need)."""
        if self.built_index is None:
            self.built_index = Index.build(self.data)
        return self.built_index

    def file_of(self, item_id: str) -> Path:
        """The file that defines `item_id`."""
        return self.root.parent / self.origins[item_id].file


def display_root(root: Path) -> Path:
    """Problems name files relative to the data directory's parent, e.g. data/music/x.yaml."""
    return root.resolve().parent


def list_files(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Every YAML file under `root` (sorted) with the name problems give it (see `_rel`),
    skipping hidden folders; links stay inside root."""
    problems: list[Problem] = []
    base = display_root(root)
    if not root.exists():
        raise LcrplanError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "LCR116",
                    "data directory does not exist",
                    "check --data or LCRPLAN_DATA",
                )
            ]
        )
    if not root.is_dir():
        raise LcrplanError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "LCR116",
                    "not a directory",
                    "--data must name a folder of YAML files",
                )
            ]
        )
    real_root = root.resolve()
    seen_dirs: set[Path] = set()

    def walk(folder: Path, prefix: str) -> Iterator[tuple[str, str]]:
        """(path, rel) of each YAML file; rel is built from the names as found (not resolved)."""
        real = folder.resolve()
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Problem(
                    prefix.rstrip("/"),
                    0,
                    0,
                    "LCR113",
                    f"cannot read folder: {exc.strerror}",
                    "check its permissions",
                )
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            bad = first_unsafe(entry.name)
            if bad is not None and (entry.name.endswith(YAML_SUFFIXES) or entry.is_dir()):
                problems.append(_bad_name(rel, bad))  # it would reach CODEOWNERS and CI logs
                continue
            if entry.is_symlink():
                try:
                    target = Path(entry.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR113",
                            "broken or looping symbolic link",
                            "remove the link",
                        )
                    )
                    continue
                if not target.is_relative_to(real_root):
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR115",
                            "skipped: link points outside the data directory",
                            "copy the file into the data directory",
                        )
                    )
                    continue
            if entry.is_dir():
                if entry.name not in SKIP_DIRS:
                    yield from walk(Path(entry.path), rel + "/")
            elif entry.name.endswith(YAML_SUFFIXES):
                if entry.is_file():
                    yield entry.path, rel  # a str: a Path per file adds up over many files
                else:  # a pipe or device would block or never end
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR115",
                            "skipped: not a regular file",
                            "replace it with a plain YAML file",
                        )
                    )

    found = list(walk(root, real_root.name + "/"))
    if not found:
        problems.append(
            Problem(
                _rel(root, base),
                0,
                0,
                "LCR116",
                "no YAML files found",
                "a data directory holds *.yaml files; see data/README.md",
            )
        )
    return found, problems


def _bad_name(rel: str, char: str) -> Problem:
    what = (
        "is not valid UTF-8"
        if "\ud800" <= char <= "\udfff"
        else f"has a control character {describe(char)}"
    )
    return Problem(
        rel, 0, 0, "LCR114", f"file name {what}", "rename it: a name is one line of plain text"
    )


def _rel(path: Path, base: Path) -> str:
    """The path as found in the tree (a link's own name, not its target's), from `base`."""
    try:
        real = path.resolve() if path.name in ("", "..") else _resolved(path.parent) / path.name
        return real.relative_to(base).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


@functools.lru_cache(maxsize=1024)
def _resolved(folder: Path) -> Path:
    """A folder's real path: resolved once for all the files in it."""
    return folder.resolve()


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


class Warnings(Enum):
    """Which data-quality warnings `load` reports, and whether at their line."""

    none = "none"
    """Errors only: for commands that stop at an error. Checks that passed last time on the
    same files are not run again."""
    located = "located"
    """Every warning at its line and column (`validate`)."""
    summary = "summary"
    """Every warning, at its line while they are in at most LOCATE_FILES files (the report):
    a position costs one more parse of the file, worth it for a readable list, not for
    thousands of files."""


LOCATE_FILES = 200


def load(
    root: Path,
    today: dt.date,
    use_cache: bool = True,
    warnings: Warnings = Warnings.located,
) -> Loaded:
    """Load and check every file under `root`; problems are collected, never raised."""
    found, problems = list_files(root)
    base = display_root(root)
    config_path = root / CONFIG_NAME
    config = Config()
    limits = Limits()
    cache = None
    if use_cache:
        from ..source.cache import Cache

        cache = Cache.open(root)
    slots: list[FileResult | None] = []  # in the order found; None: not in the cache
    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk validation creates no cycles, only objects the collector would rescan
    try:
        found.sort(key=lambda f: f[0] != str(config_path))  # the config first: it sets limits
        for path, rel in found:
            cached = cache.get(path, rel) if cache else None
            slots.append(
                None if cached is None else FileResult(path, rel, cached.kind, cached.model)
            )
        if slots and slots[0] is not None and isinstance(slots[0].model, Config):
            limits = slots[0].model.limits
        todo = [n for n, slot in enumerate(slots) if slot is None]
        settings = str(config_path) if todo and todo[0] == 0 else None  # to be read first
        parsed = _validate_all([found[n] for n in todo], limits, cache, settings)
        for n, result in zip(todo, parsed, strict=True):
            slots[n] = result
    finally:
        if gc_was_enabled:
            gc.enable()
    results = [slot for slot in slots if slot is not None]
    config = next((r.model for r in reversed(results) if isinstance(r.model, Config)), config)
    if cache:
        cache.retain({r.rel for r in results})
    for result in results:
        problems.extend(result.problems)
    # What the checks found in these very files, and where, as kept beside the cache (for a
    # command that reports warnings; None when a file has a problem: not all are cached).
    keeping = cache is not None and not problems
    kept = (
        cache.checked() if cache is not None and keeping and warnings is not Warnings.none else None
    )
    locator = Locator(base, places=kept.places if kept is not None else None)
    trusted = cache is not None and not problems and cache.unchanged_and_clean()
    data, origins, merge_problems, unbuilt = merge(results, config, locator, trusted)
    problems.extend(merge_problems)
    config_rel = next((r.rel for r in results if isinstance(r.model, Config)), CONFIG_NAME)
    if isinstance(origins, _Origins):  # the policy asks where the items with suppressions are
        origins.prefetch(_suppressing(data))
    policy, rule_problems = build_policy(data, config_rel, origins, today)
    for rule_problem in rule_problems:
        where = Origin(rule_problem.file, ())
        problems.append(
            locator.problem(
                where,
                rule_problem.loc,
                rule_problem.code,
                rule_problem.message,
                rule_problem.hint,
                item=rule_problem.item,
            )
        )
    problems = _decided(problems, policy)
    # Unchanged files that passed the cross-file checks last time pass them again (a finding
    # depends only on the data and today; an expiring suppression, the one thing that can
    # fail a later day, is judged above, every run).
    skip_checks = (
        cache is not None
        and warnings is Warnings.none
        and not problems
        and cache.unchanged_and_clean()
    )
    index = None if skip_checks else Index.build(data, unbuilt)
    unsure = _kinds_defined_by_failed(results, limits)
    keeping = keeping and not problems and not unsure
    undated = kept.findings if kept is not None and keeping else None
    findings: list[Found] = []
    if index is not None:
        findings, by_check = _checked(data, index, origins, today, undated)
        if unsure:
            from .checks import REFERENCE_KINDS

            findings = [f for f in findings if REFERENCE_KINDS.get(f.code) not in unsure]
        if warnings is Warnings.none:
            findings = [f for f in findings if BY_CODE[f.code].level == "error"]
    decided: list[tuple[Found, Severity]] = []
    partial = set().union(*(r.partial for r in results))
    for finding in findings:
        if finding.item in partial and BY_CODE[finding.code].level != "error":
            continue
        level, rule = policy.decide(finding.code, finding.origin.file, finding.item)
        if level == "off":
            policy.suppress(finding.code, finding.origin.file, finding.item, finding.said, rule)
        elif level == "error" or warnings is not Warnings.none:
            decided.append((finding, level))
    if warnings is not Warnings.none and index is not None:
        for unused in policy.unused():
            problems.append(
                locator.problem(
                    Origin(unused.file, ()),
                    unused.loc,
                    unused.code,
                    unused.message,
                    unused.hint,
                    item=unused.item,
                )
            )
    spread = {f.origin.file for f, level in decided if level != "error"}
    located = warnings is Warnings.located or len(spread) <= LOCATE_FILES
    for finding, level in decided:
        if located or level == "error":
            problems.append(locator.place(finding, level))
        else:
            origin = finding.origin
            problems.append(
                Problem(
                    origin.file, 0, 0, finding.code, finding.said, finding.hint, level, finding.item
                )
            )
    if cache:
        clean = not errors_in(problems)
        if clean and not skip_checks:
            cache.mark_clean()
        cache.save()
        if keeping and index is not None and (undated is None or locator.added):
            cache.keep_checks(by_check, locator.places)
        if clean:  # the plans, goals and KPIs: where an edit or a plan's theme goes
            cache.save_ids(
                lambda: {i: o.file for i, o in origins.items() if o.loc[:1] in _EDITABLE}
            )
    return Loaded(root, data, results, origins, sorted(set(problems)), index, policy)


_EDITABLE = (("plan",), ("goals",))

FORK_FROM = 64
"""Files to parse from which they are shared out between forked processes (`forks`), where
the system forks: parsing is most of a first run, and each file is parsed on its own."""


def _validated(path: str, rel: str, limits: Limits, cache: Cache | None) -> FileResult:
    """`validate_file`, and the model kept in the cache if it is clean."""
    result = validate_file(path, rel, limits)
    if cache and result.kind and result.model is not None and not result.problems:
        cache.put(rel, result.stamp, result.kind, result.model)
    return result


def _validate_all(
    files: list[tuple[str, str]], limits: Limits, cache: Cache | None, settings: str | None
) -> list[FileResult]:
    """Each file validated (`_validated`), in order; `settings`: the first file is the settings
    file at that path, whose limits apply to the others.

    Many files are shared out between processes (`forks`): this one validates the settings,
    builds pydantic's validators (each process inherits them) and takes a share; each forked
    process validates its share and sends back the clean files' models packed (`codec`), and a
    file with a problem is validated again here, so that its problems are found as always."""
    from . import forks

    count = forks.workers()
    if count < 2 or len(files) < FORK_FROM:
        return _in_turn(files, limits, cache, settings)
    from ..core.validation import adapter
    from ..source.codec import Codec

    done: dict[int, FileResult] = {}
    if settings is not None:
        done[0] = _validated(*files[0], limits, cache)
        if isinstance(done[0].model, Config):
            limits = done[0].model.limits
    for model_type in FILE_KINDS.values():  # built once, for every process
        adapter(model_type)
    codec = cache.codec if cache else Codec()
    rest = [n for n in range(len(files)) if n not in done]
    mine, *theirs = forks.split(rest, [_size(files[n][0]) for n in rest], count)

    def work(share: list[int]) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for n in share:
            result = validate_file(*files[n], limits)
            stamp = result.stamp
            if result.kind is None or result.model is None or result.problems or stamp is None:
                out.append((n,))
                continue
            packed = codec.pack(result.model)
            out.append((n, result.kind.value, stamp.size, stamp.sha256, stamp.seen, packed))
        return out

    forked = forks.Forked(work, theirs)
    for n in mine:
        done[n] = _validated(*files[n], limits, cache)
    for share in forked.results():
        for n, *rest_of in share:
            path, rel = files[n]
            if not rest_of:
                done[n] = _validated(path, rel, limits, cache)
                continue
            kind, size, sha256, seen, packed = rest_of
            result = FileResult(path, rel, FileKind(kind), codec.unpack(packed))
            result.stamp = Stamp(size, sha256, seen)
            if cache:
                cache.put(rel, result.stamp, result.kind, result.model)  # type: ignore[arg-type]
            done[n] = result
    return [done[n] for n in range(len(files))]


def _in_turn(
    files: list[tuple[str, str]], limits: Limits, cache: Cache | None, settings: str | None
) -> list[FileResult]:
    """Each file validated in this process, in order (the settings first, if `settings`)."""
    done: list[FileResult] = []
    for path, rel in files:
        done.append(_validated(path, rel, limits, cache))
        if settings is not None and len(done) == 1 and isinstance(done[0].model, Config):
            limits = done[0].model.limits
    return done


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _decided(problems: Sequence[Problem], policy: Policy) -> list[Problem]:
    """`problems` at the severity the policy gives each; those it turns off are counted."""
    kept = []
    for problem in problems:
        level, rule = policy.decide(problem.code, problem.file, problem.item)
        if level == "off":
            policy.suppress(problem.code, problem.file, problem.item, problem.message, rule)
        elif level == problem.severity:
            kept.append(problem)
        else:
            kept.append(dataclasses.replace(problem, severity=level))
    return kept


_DEFINES = {
    "sources": {"document"},
    "people": {"person", "owner"},
    "boards": {"board", "owner"},
    "groups": {"group", "owner"},
    "plan": {"plan"},
    "theme": {"goal", "KPI"},
    "goals": {"goal", "KPI"},
}
_TOP_KEY = re.compile(r"^(" + "|".join(_DEFINES) + r")[ \t]*:", re.M)


def _kinds_defined_by_failed(results: Sequence[FileResult], limits: Limits) -> set[str]:
    """Kinds of id that files which failed to load may define (from their top-level keys).

    A reference to an id of such a kind cannot be judged: one stray ':' in sources.yaml would
    otherwise add an "unknown document" error at every citation in the data set.
    """
    kinds: set[str] = set()
    for result in results:
        if result.model is not None or result.unbuilt is not None or result.kind is FileKind.config:
            continue
        text, _ = read_text(result.path, result.rel, limits.max_file_bytes)
        if text is None:
            return set().union(*_DEFINES.values())
        for key in _TOP_KEY.findall(text):
            kinds |= _DEFINES[key]
    return kinds


def load_or_raise(
    root: Path, today: dt.date, use_cache: bool = True, warnings: Warnings = Warnings.none
) -> Loaded:
    """`load`, raising `LcrplanError` when there are errors."""
    loaded = load(root, today, use_cache, warnings)
    if loaded.errors:
        raise LcrplanError(loaded.errors)
    return loaded


class Locator:
    """Finds the line and column of a YAML path in a data file, composing each file at most once.

    `read_from` names files whose text is read from another path (an edit's candidate text).
    """

    def __init__(
        self,
        base: Path,
        read_from: Mapping[str, Path] | None = None,
        places: dict[tuple[str, Loc], tuple[int, int]] | None = None,
    ) -> None:
        self.base = base
        self.read_from = dict(read_from or {})
        self.trees: dict[str, Tree | None] = {}
        self.places = {} if places is None else places
        """The line and column of each (file, path) found so far, or kept from a run before
        on these very files (`cache.Cache.checked`): a file is composed only for a new one."""
        self.added = False
        """Whether a place was found here, that `places` did not have."""

    def problem(
        self,
        origin: Origin,
        tail: Loc,
        code: str,
        message: str,
        hint: str,
        severity: Severity | None = None,
        item: str = "",
    ) -> Problem:
        """A problem at `tail` inside the item written at `origin`."""
        key = (origin.file, origin.loc + tail)
        found = self.places.get(key)
        if found is None:
            from ..source.yamlio import compose, locate_in

            if origin.file not in self.trees:
                path = self.read_from.get(origin.file, self.base / origin.file)
                text, _ = read_text(path, origin.file)
                self.trees[origin.file] = compose(text or "")
            found = self.places[key] = locate_in(self.trees[origin.file], key[1])
            self.added = True
        line, col = found
        return Problem(origin.file, line, col, code, message, hint, severity, item)

    def place(self, found: Found, severity: Severity | None = None) -> Problem:
        """The problem a check found, at its line and column."""
        return self.problem(
            found.origin, found.tail, found.code, found.said, found.hint, severity, found.item
        )


class Found(NamedTuple):
    """What a check found, at the origin of its item: not yet given a line and column."""

    origin: Origin
    tail: Loc
    code: str
    message: str
    hint: str
    item: str = ""

    @property
    def said(self) -> str:
        """The message after the item it is about, in the data's words: `goal x: has no KPI`."""
        found = item_path(self.origin.loc)
        return f"{found[1]} {self.item}: {self.message}" if found and self.item else self.message


def _checked(
    data: DataSet,
    index: Index,
    origins: Mapping[str, Origin],
    today: dt.date,
    undated: Mapping[str, Sequence[tuple[Any, ...]]] | None,
) -> tuple[list[Found], dict[str, list[Found]]]:
    """`run_checks` (every finding, warnings too), and the findings of the checks that do not
    depend on today by check; those are taken from `undated` (kept beside the cache for these
    very files) when given, rather than found again."""
    from .checks import CHECKS, DATED

    found: list[Found] = []
    by_check: dict[str, list[Found]] = {}
    for check in CHECKS:
        name = check.__name__
        if undated is not None and name not in DATED:
            these = [Found(Origin(f, loc), *rest) for f, loc, *rest in undated.get(name, ())]
        else:
            these = run_checks(data, index, origins, today, checks=[check])
        if name not in DATED:
            by_check[name] = these
        found += these
    return found, by_check


def run_checks(
    data: DataSet,
    index: Index,
    origins: Mapping[str, Origin],
    today: dt.date,
    warnings: bool = True,
    unsure: Set[str] = frozenset(),
    only: str | None = None,
    checks: Sequence[Callable[[DataSet, Index, dt.date], Iterator[Finding]]] | None = None,
) -> list[Found]:
    """Run the checklist (`checks.CHECKS`, or the `checks` given) on a merged data set
    (`index`: its index).

    `warnings=False`: only codes that are errors by default. `unsure`: kinds of id whose unknown
    references are not judged, because a file that may define them failed to load. `only`:
    just the findings about items written in that file.
    """
    from .checks import CHECKS, REFERENCE_KINDS  # not imported by a run that skips them

    found = []
    for check in CHECKS if checks is None else checks:
        for item_id, tail, code, message, hint in check(data, index, today):
            if not warnings and BY_CODE[code].level != "error":
                continue
            if unsure and REFERENCE_KINDS.get(code) in unsure:
                continue
            origin = origins[item_id]
            if only is None or origin.file == only:
                found.append(Found(origin, tail, code, message, hint, item_id))
    return found


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
        return data, _Origins(results), problems, unbuilt
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


def _suppressing(data: DataSet) -> set[str]:
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


class _Origins(Mapping[str, Origin]):
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
