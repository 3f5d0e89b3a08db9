"""Explain pydantic's validation errors as problems a chair can act on.

Each error becomes one `Problem` at the line and column of the value (or the key) it is about,
with a message in the data's own words and a hint: a did-you-mean for a mistyped key, the
allowed words, or the form a date or number takes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, get_args

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .errors import Problem, did_you_mean
from .models import (
    MULTI_LINE_PATTERN,
    SINGLE_LINE_PATTERN,
    IndicatorKpi,
    MilestoneKpi,
    NumericKpi,
    OngoingKpi,
    Slug,
)
from .textsafe import describe, first_unsafe
from .yamlio import locate_in

if TYPE_CHECKING:
    from .yamlio import Tree

_SCALAR_BRANCHES = {"str", "float", "int", "bool"}


def _branch_type(part: str | int) -> str | None:
    """The type a union-branch tag in a pydantic loc names ('Range', 'float'), else None."""
    if not isinstance(part, str):
        return None
    wrapped = re.fullmatch(r"function-\w+\[.*, (\w+)\]", part)  # a model with a validator
    if wrapped:
        part = wrapped.group(1)
    # field names are lowercase words; pydantic names a union's branches by their type
    return part if part in _SCALAR_BRANCHES or part[:1].isupper() else None


def _branch_at(loc: Sequence[str | int]) -> int | None:
    """Index of the first union-branch tag in a pydantic loc, if any."""
    return next((i for i, part in enumerate(loc) if _branch_type(part)), None)


def meant(errors: Sequence[ErrorDetails]) -> list[ErrorDetails]:
    """Drop the errors of union branches the input was plainly not meant for.

    For `target: float | Range`, `target: lots` fails both as a number and as a range; only
    the number's error helps. A mapping is meant for a model branch, anything else for a
    scalar branch; a union keeps every error when none of its branches fits.
    """

    def fits(err: ErrorDetails) -> bool:
        at = _branch_at(err["loc"])
        if at is None or at != len(err["loc"]) - 1:
            return True
        is_map = isinstance(err["input"], dict)
        tag = str(_branch_type(err["loc"][at]))
        return is_map if tag[:1].isupper() else not is_map and not isinstance(err["input"], list)

    def union_of(err: ErrorDetails) -> tuple[str | int, ...]:
        at = _branch_at(err["loc"])
        return tuple(err["loc"][:at])

    fitting = {union_of(e) for e in errors if fits(e) and _branch_at(e["loc"]) is not None}
    return [e for e in errors if fits(e) or union_of(e) not in fitting]


def schema_problem(
    err: ErrorDetails, tree: Tree | None, rel: str, model_type: type[BaseModel]
) -> Problem:
    """One validation error as a problem at the line of the value (or key) it is about."""
    loc = tuple(err["loc"])
    kind = err["type"]
    field_name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        line, col = locate_in(tree, loc, key=True)
        allowed = _allowed_fields(model_type, loc[:-1])
        hint = did_you_mean(field_name, allowed) or ("allowed: " + ", ".join(sorted(allowed)))
        return Problem(rel, line, col, "error", f"unknown field '{field_name}'", hint)
    line, col = locate_in(tree, loc)
    where = _dotted(loc)
    if kind == "missing":
        return Problem(
            rel,
            line,
            col,
            "error",
            f"missing required field '{field_name}'",
            f"add '{field_name}:' to {_dotted(loc[:-1]) or 'the top level'}",
        )
    message = err["msg"].removeprefix("Value error, ")
    if kind == "finite_number":
        message = "must be a finite number, not .nan or .inf"
    if kind == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", ""))
        line, col = locate_in(tree, (*loc, "kind"))
        return Problem(
            rel,
            line,
            col,
            "error",
            f"{where}: unknown kind '{tag}'",
            did_you_mean(tag, _KPI_KINDS)
            or "kind is one of: numeric, milestone, indicator, ongoing",
        )
    if kind == "union_tag_not_found":
        return Problem(
            rel,
            line,
            col,
            "error",
            f"{where}: missing 'kind'",
            "add kind: numeric, milestone, indicator or ongoing",
        )
    pattern = err.get("ctx", {}).get("pattern")
    if kind == "string_pattern_mismatch" and pattern in _TEXT_HINTS:
        bad = first_unsafe(str(err["input"]), allow_newline=pattern == MULTI_LINE_PATTERN)
        return Problem(
            rel,
            line,
            col,
            "error",
            f"{where}: control character {describe(bad or '?')} is not allowed here",
            _TEXT_HINTS[pattern],
        )
    if kind == "string_pattern_mismatch" and pattern == _SLUG_PATTERN:
        return Problem(
            rel,
            line,
            col,
            "error",
            f"{where}: {err['input']!r} is not a valid id",
            "use lowercase letters, digits and single hyphens, e.g. ci-inv-1",
        )
    if kind == "string_pattern_mismatch" and field_name in _PATTERN_HINTS:
        return Problem(
            rel,
            line,
            col,
            "error",
            f"{where}: {err['input']!r} is not in the expected form",
            _PATTERN_HINTS[field_name],
        )
    if err["input"] is None and kind.endswith("_type"):
        return Problem(
            rel, line, col, "error", f"{where}: no value given", "write a value after the ':'"
        )
    return Problem(rel, line, col, "error", f"{where}: {message}", _hint_for(kind))


_SLUG_PATTERN = get_args(Slug)[1].pattern
_TEXT_HINTS = {
    SINGLE_LINE_PATTERN: "a name or title is one line of plain text: remove it",
    MULTI_LINE_PATTERN: "text may span lines, but holds no other control character: remove it",
}
_PATTERN_HINTS = {
    "lines": 'write a line or a range of lines of the text copy, e.g. "170" or "170-175"',
}
_HINTS = {
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_type": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, with no time of day",
    "float_parsing": "write a plain number such as 1000 or 6750000, with no commas or units",
    "float_type": "write a plain number such as 1000",
    "list_type": "write a list: one '- item' per line, or [a, b]",
    "literal_error": "use one of the allowed words",
    "enum": "use one of the allowed words",
    "int_parsing": "write a whole number such as 30",
    "int_type": "write a whole number such as 30",
    "string_type": "put the text in quotes",
}


def _hint_for(kind: str) -> str:
    return _HINTS.get(kind, "see data/README.md")


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if part in ("numeric", "milestone", "indicator", "ongoing"):
            continue
        if isinstance(part, str) and "[" in part:  # pydantic's names for union branches
            continue
        if _branch_at((part,)) is not None:
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed_fields(model_type: type[BaseModel], loc: Sequence[str | int]) -> set[str]:
    """Field names of the model found at `loc` inside `model_type`."""
    current: Any = model_type
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(part, str) and part in _KPI_KINDS:
            current = _KPI_KINDS[part]
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            continue
        current = _inner_model(fields[part].annotation)
    return set(getattr(current, "model_fields", {}))


_KPI_KINDS: dict[str, type[BaseModel]] = {
    "numeric": NumericKpi,
    "milestone": MilestoneKpi,
    "indicator": IndicatorKpi,
    "ongoing": OngoingKpi,
}


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The first pydantic model inside an annotation such as list[Goal] or Source | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None:
        return _inner_model(origin)
    return None
