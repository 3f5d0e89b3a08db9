"""Load a data directory: files -> validated `DataSet`, or every problem with its file:line:col.

Stages: find the directory, list its YAML files, read each one (cached when unchanged), validate
each against its file kind, then check the data set as a whole (ids, references, dates) and add
data-quality warnings. `today` is passed in; nothing here reads the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.codes import BY_CODE, Severity
from ..core.models import FILE_KINDS, DataSet
from ..core.problems import LcrplanError, Problem, errors_in
from ..core.settings import Config, Limits
from ..core.vocabulary import FileKind
from ..source.fileio import Stamp
from .index import Index
from .policy import Policy
from .policy import build as build_policy

if TYPE_CHECKING:
    from ..source.cache import Cache
from .discover import CONFIG_NAME, display_root, list_files
from .locate import Found, Locator, checked
from .merge import Origins, merge, suppressing
from .validate import FileResult, Origin, read_text, validate_file


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
    today: dt.date | None,
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
    if isinstance(origins, Origins):  # the policy asks where the items with suppressions are
        origins.prefetch(suppressing(data))
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
        findings, by_check = checked(data, index, origins, today, undated)
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
    root: Path, today: dt.date | None, use_cache: bool = True, warnings: Warnings = Warnings.none
) -> Loaded:
    """`load`, raising `LcrplanError` when there are errors."""
    loaded = load(root, today, use_cache, warnings)
    if loaded.errors:
        raise LcrplanError(loaded.errors)
    return loaded
