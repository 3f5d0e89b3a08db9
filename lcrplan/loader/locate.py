"""Problems placed at their file, line and column (`Locator`), and the cross-file checks run over
a data set with each finding placed (`run_checks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..core.codes import BY_CODE, Severity
from ..core.models import (
    DataSet,
    item_path,
)
from ..core.problems import Problem
from .index import Index

if TYPE_CHECKING:
    from ..source.yamlio import Tree
    from .findings import Finding
from .validate import Loc, Origin, read_text


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


def checked(
    data: DataSet,
    index: Index,
    origins: Mapping[str, Origin],
    today: dt.date | None,
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
    today: dt.date | None,
    warnings: bool = True,
    unsure: Set[str] = frozenset(),
    only: str | None = None,
    checks: Sequence[Callable[[DataSet, Index, dt.date | None], Iterator[Finding]]] | None = None,
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
