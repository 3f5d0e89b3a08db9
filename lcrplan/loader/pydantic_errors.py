"""Explain pydantic's validation errors as problems a chair can act on.

Each error becomes one `Problem` at the line and column of the value (or the key) it is about,
with a message in the data's own words and a hint: a did-you-mean for a mistyped key, the
allowed words, or the form a date or number takes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..core.formatting import NUMBER_HINT, PERCENT_HINT, clipped, not_a_date
from ..core.model_base import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, SLUG, Model
from ..core.models import IndicatorKpi, MilestoneKpi, NumericKpi, OngoingKpi, item_path
from ..core.problems import Problem, did_you_mean
from ..core.textsafe import describe, first_unsafe
from ..source.yamlio import locate_in

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from ..source.yamlio import Tree

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


def item_label(data: object, loc: Sequence[str | int]) -> tuple[str, str, tuple[str | int, ...]]:
    """`kpi ci-inv-3-people` for the item `loc` lies in (from the file's `data`), its id, and
    the rest of `loc` inside it; ("", "", loc) outside any item. An item without a usable id is
    named by its place, `goals[2].kpis[0]`."""
    found = item_path(loc)
    if found is None:
        return "", "", tuple(loc)
    head, word = found
    raw = data
    for part in head:
        raw = _child(raw, part)
    item_id = raw.get("id") if isinstance(raw, dict) else None
    name = item_id if isinstance(item_id, str) and SLUG.fullmatch(item_id) else None
    label = f"{word} {name}" if name else _dotted(head)
    return label, name or "", tuple(loc[len(head) :])


_AS_MODEL: dict[str, tuple[str, str]] = {
    "unexpected_keyword_argument": ("extra_forbidden", "Extra inputs are not permitted"),
    "missing_keyword_only_argument": ("missing", "Field required"),
    "dataclass_type": ("model_type", "Input should be a valid dictionary or instance of {}"),
}
"""pydantic's words for a model's errors, by the type it gives the same error in a dataclass
(the models are dataclasses): explained the same way."""


def as_model_error(err: ErrorDetails) -> ErrorDetails:
    """The error as pydantic words it for a model."""
    found = _AS_MODEL.get(err["type"])
    if found is None:
        return err
    kind, message = found
    name = str(err.get("ctx", {}).get("class_name", ""))
    return {**err, "type": kind, "msg": message.format(name)}


def _child(node: object, part: str | int) -> object:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def schema_problems(
    errors: Sequence[ErrorDetails],
    tree: Tree | None,
    rel: str,
    model_type: type[Model],
    data: object,
) -> list[Problem]:
    """Each of pydantic's errors as a problem a chair can act on, once: an unknown key that is
    a near miss of a missing required field is one problem, at the key."""
    errors = meant([as_model_error(e) for e in errors])
    missing: dict[tuple[str | int, ...], list[str]] = {}
    for err in errors:
        if err["type"] == "missing":
            missing.setdefault(tuple(err["loc"][:-1]), []).append(str(err["loc"][-1]))
    meant_for: dict[tuple[str | int, ...], str] = {}  # unknown key's loc -> the field it misspells
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and missing.get(loc[:-1]):
            close = difflib.get_close_matches(str(loc[-1]), missing[loc[:-1]], n=1, cutoff=0.6)
            if close:
                meant_for[loc] = close[0]
                missing[loc[:-1]].remove(close[0])
    problems = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc[-1] not in missing.get(loc[:-1], ()):
            continue  # reported as the unknown key that misspells it
        problems.append(schema_problem(err, tree, rel, model_type, data, meant_for.get(loc)))
    return problems


def schema_problem(
    err: ErrorDetails,
    tree: Tree | None,
    rel: str,
    model_type: type[Model],
    data: object = None,
    misspells: str | None = None,
) -> Problem:
    """One validation error as a problem at the line of the value (or key) it is about, naming
    the item and field in the data's words (`kpi ci-inv-3-people: target: ...`)."""
    loc = tuple(err["loc"])
    kind = err["type"]
    field_name = str(loc[-1]) if loc else ""
    label, item, inside = item_label(data, loc)

    def problem(line: int, col: int, code: str, message: str, hint: str) -> Problem:
        return Problem(rel, line, col, code, message, hint, item=item)

    def said(message: str, where: Sequence[str | int] = inside) -> str:
        field = _field(data, loc, where)
        return ": ".join(part for part in (label, field, message) if part)

    if kind == "extra_forbidden":
        line, col = locate_in(tree, loc, key=True)
        allowed = _allowed_fields(model_type, loc[:-1])
        hint = (
            f"did you mean '{misspells}'?"
            if misspells
            else did_you_mean(field_name, allowed) or ("allowed: " + ", ".join(sorted(allowed)))
        )
        return problem(line, col, "LCR201", said(f"unknown field '{field_name}'", ()), hint)
    line, col = locate_in(tree, loc)
    if kind == "missing":
        owner = label or _dotted(loc[:-1]) or "the top level"
        return problem(
            line,
            col,
            "LCR202",
            said(f"missing required field '{field_name}'", inside[:-1]),
            f"add '{field_name}:' to {owner}",
        )
    message = err["msg"].removeprefix("Value error, ")
    value = err["input"]
    if kind == "union_tag_invalid":
        tag = str(err.get("ctx", {}).get("tag", ""))
        line, col = locate_in(tree, (*loc, "kind"))
        return problem(
            line,
            col,
            "LCR206",
            said(f"unknown kind '{tag}'"),
            did_you_mean(tag, _KPI_KINDS)
            or "kind is one of: numeric, milestone, indicator, ongoing",
        )
    if kind == "union_tag_not_found":
        return problem(
            line,
            col,
            "LCR206",
            said("missing 'kind'"),
            "add kind: numeric, milestone, indicator or ongoing",
        )
    pattern = err.get("ctx", {}).get("pattern")
    if kind == "string_pattern_mismatch" and pattern in _TEXT_HINTS:
        bad = first_unsafe(str(value), allow_newline=pattern == MULTI_LINE_PATTERN)
        return problem(
            line,
            col,
            "LCR208",
            said(f"control character {describe(bad or '?')} is not allowed here"),
            _TEXT_HINTS[pattern],
        )
    if kind == "string_pattern_mismatch" and pattern == _SLUG_PATTERN:
        return problem(
            line,
            col,
            "LCR207",
            said(f"{value!r} is not a valid id"),
            "use lowercase letters, digits and single hyphens, e.g. ci-inv-1",
        )
    if kind == "string_pattern_mismatch" and field_name in _PATTERN_HINTS:
        return problem(
            line,
            col,
            "LCR212",
            said(f"{value!r} is not in the expected form"),
            _PATTERN_HINTS[field_name],
        )
    if kind in ("literal_error", "enum") and isinstance(value, str):
        words = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        if words:  # in the words an import uses for the same mistake
            message = f"{clipped(value)!r} is not one of: {', '.join(words)}"
            hint = did_you_mean(value, words) or _hint_for(kind)
            return problem(line, col, "LCR209", said(message), hint)
    if value is None and kind.endswith("_type"):
        return problem(line, col, "LCR203", said("no value given"), "write a value after the ':'")
    if kind in _DATE_ERRORS and isinstance(value, str):
        message, hint = not_a_date(value)
        return problem(line, col, "LCR204", said(message), hint)
    if kind == "finite_number" and not isinstance(value, str):
        return problem(
            line, col, "LCR205", said("must be a finite number, not .nan or .inf"), _hint_for(kind)
        )
    if kind in _NOT_A_NUMBER and isinstance(value, str):
        # a string here is text the YAML reader could not turn into a number: words, or more
        # digits than Python reads (which pydantic then reads as infinity, or refuses)
        what = "a whole number" if kind.startswith("int") else "a plain number"
        shown = repr(clipped(value))
        hint = _hint_for("int_parsing" if kind.startswith("int") else "float_parsing")
        return problem(line, col, "LCR205", said(f"{shown} is not {what}"), hint)
    return problem(line, col, _CODES.get(kind, "LCR203"), said(message), _hint_for(kind))


def _field(data: object, loc: Sequence[str | int], inside: Sequence[str | int]) -> str:
    """The field `inside` an item, dotted: `measurements[0].value`; a date written plainly
    (`due: 2026-11-30`) is named `due`, not `due.date`."""
    field = _dotted(inside)
    if field.endswith(".date"):
        raw = data
        for part in loc[:-1]:
            if _dotted((part,)) or isinstance(part, int):  # not a union branch's name
                raw = _child(raw, part)
        if raw is not None and not isinstance(raw, dict):
            field = field.removesuffix(".date")
    return field


_NOT_A_NUMBER = {"float_parsing", "int_parsing", "int_parsing_size", "finite_number"}
_DATE_ERRORS = {"date_from_datetime_parsing", "date_parsing", "date_type"}
_CODES = {
    "date_from_datetime_inexact": "LCR204",
    "float_type": "LCR205",
    "int_type": "LCR205",
    "int_from_float": "LCR205",
    "literal_error": "LCR209",
    "enum": "LCR209",
    "greater_than": "LCR210",
    "greater_than_equal": "LCR210",
    "less_than": "LCR210",
    "less_than_equal": "LCR210",
    "too_short": "LCR210",
    "too_long": "LCR210",
    "string_too_short": "LCR210",
    "string_too_long": "LCR210",
    "value_error": "LCR211",
    "assertion_error": "LCR211",
}
"""The code of each pydantic error type not given one above; any other is LCR203."""


_SLUG_PATTERN = SLUG.pattern
_TEXT_HINTS = {
    SINGLE_LINE_PATTERN: "a name or title is one line of plain text: remove it",
    MULTI_LINE_PATTERN: "text may span lines, but holds no other control character: remove it",
}
_PATTERN_HINTS = {
    "lines": 'write a line or a range of lines of the text copy, e.g. "170" or "170-175"',
    "github": "write a GitHub user name, or an organisation's team as org/team, e.g. jjohnston",
}
_HINTS = {
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_type": "write dates as YYYY-MM-DD, e.g. 2026-11-30",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, with no time of day",
    "float_parsing": f"{NUMBER_HINT}; {PERCENT_HINT}",
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


def _allowed_fields(model_type: type[Model], loc: Sequence[str | int]) -> set[str]:
    """Field names of the model found at `loc` inside `model_type`."""
    current: Any = model_type
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(part, str) and part in _KPI_KINDS:
            current = _KPI_KINDS[part]
            continue
        fields = current.field_types() if _is_model(current) else {}
        if part not in fields:
            continue
        current = _inner_model(fields[part])
    return set(current.field_types()) if _is_model(current) else set()


_KPI_KINDS: dict[str, type[Model]] = {
    "numeric": NumericKpi,
    "milestone": MilestoneKpi,
    "indicator": IndicatorKpi,
    "ongoing": OngoingKpi,
}


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Model)


def _inner_model(annotation: object) -> type[Model] | None:
    """The first model inside an annotation such as list[Goal] or Source | None."""
    if _is_model(annotation):
        return annotation  # type: ignore[return-value]
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None:
        return _inner_model(origin)
    return None
