"""How a model is declared and validated, and the field types every model shares.

The models are plain slotted dataclasses, so a command that reads them from the cache imports
no pydantic and builds each object in a few attribute stores. pydantic validates them where
data comes in (`Model.model_validate`, through `validation`), reading the rules from the
markers in the field types (`Constraints`, `Before`, `OneOf`) and from each field's metadata;
it is imported only then. Models are read-only: the type checker treats them as frozen
(`model`), while at run time they are not, because a frozen dataclass sets each field through
`object.__setattr__`, several times slower to build (BENCHMARKS.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Callable
from dataclasses import field
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar, dataclass_transform

from .textsafe import CONTROL_CLASS

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema


_T = TypeVar("_T")


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(field,))
def model(cls: type[_T]) -> type[_T]:
    """A model class: a dataclass with slots and keyword arguments, equal and hashable by its
    fields; frozen to the type checker (see the module's docstring). Its `__init__`, `__eq__`,
    `__hash__` and `__repr__` are `Model`'s, which read the fields: dataclasses would compile
    each for each class, doubling the cost of importing this module on every command."""
    made = dataclasses.dataclass(slots=True, kw_only=True, init=False, repr=False, eq=False)(cls)
    made._names = tuple(f.name for f in dataclasses.fields(made))  # type: ignore[attr-defined, arg-type]
    return made


class Constraints:
    """Rules for pydantic-core's schema of a type (`pattern`, `max_length`,
    `allow_inf_nan`...) and words for its JSON Schema (`description`, `examples`)."""

    __slots__ = ("rules", "words")

    def __init__(self, words: dict[str, Any] | None = None, **rules: Any) -> None:
        self.rules = rules
        self.words = words or {}

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema: dict[str, Any] = dict(handler(source))
        schema.update(self.rules)
        return schema  # type: ignore[return-value]

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {**handler(schema), **self.words}


class Before:
    """A function that turns raw input into what the type validates (`_as_spec`)."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[object], object]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.function, handler(source))


class OneOf:
    """A union told apart by one field (a KPI by its `kind`)."""

    __slots__ = ("name", "words")

    def __init__(self, name: str, words: dict[str, Any] | None = None) -> None:
        self.name = name
        self.words = words or {}

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic import Discriminator

        return handler.generate_schema(Annotated[source, Discriminator(self.name)])


SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    Constraints(
        {
            "description": "Stable identifier: lowercase letters, digits and single hyphens.",
            "examples": ["ci-inv-1"],
        },
        pattern=SLUG_PATTERN,
        max_length=80,
    ),
]

SLUG = re.compile(SLUG_PATTERN)
"""What an id looks like: raw data (of an item that failed validation) is judged by it."""

# Text from a pull request reaches terminals, CI logs, CODEOWNERS and spreadsheets, so text
# fields refuse control characters (newline, ESC, NUL...) and bidi overrides; multi-line fields
# (descriptions, notes, quotes) allow the newline alone. Checked by pydantic-core's own regex
# engine rather than a Python validator per string (see `Finite` below for why).
SINGLE_LINE_PATTERN = f"^[^{CONTROL_CLASS}]*$"

MULTI_LINE_PATTERN = "^[^" + CONTROL_CLASS.replace(r"\x00-\x1f", r"\x00-\x09\x0b-\x1f") + "]*$"

SingleLine = Annotated[str, Constraints(pattern=SINGLE_LINE_PATTERN)]

MultiLine = Annotated[str, Constraints(pattern=MULTI_LINE_PATTERN)]

Text = Annotated[str, Constraints(min_length=1, strip_whitespace=True, pattern=SINGLE_LINE_PATTERN)]


def empty(**rules: Any) -> Any:
    """An empty list as a field's default, made for each instance (the schema says
    `default: []`)."""
    return field(default_factory=list, metadata={"json_schema_extra": {"default": []}, **rules})


def _with(default: Any = None, **rules: Any) -> Any:
    """A field's default with pydantic's rules for it (`examples`, `ge`, `pattern`...)."""
    return field(default=default, metadata=rules)


def required(**rules: Any) -> Any:
    """A required field with pydantic's rules for it."""
    return field(metadata=rules)


class Model:
    """Base for every YAML model: unknown keys are errors, values are not changed once loaded.

    The methods named as pydantic's (`model_validate`, `model_dump`...) do what pydantic's do,
    through `validation`, which builds each model's validator on first use."""

    __slots__ = ()
    # Read by pydantic when it validates a model; field docstrings become schema descriptions
    # in `emit/schema.py`: reading them at import would slow every command's start-up.
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}
    _names: ClassVar[tuple[str, ...]] = ()
    """The fields, in order (`model`)."""

    def __init__(self, **values: Any) -> None:
        """As a dataclass's: every field by keyword, defaults filled in, then `__post_init__`."""
        for spec in dataclasses.fields(self):  # type: ignore[arg-type]
            if spec.name in values:
                value = values.pop(spec.name)
            elif spec.default_factory is not dataclasses.MISSING:
                value = spec.default_factory()
            elif spec.default is not dataclasses.MISSING:
                value = spec.default
            else:
                raise TypeError(f"{type(self).__name__}() is missing the field '{spec.name}'")
            setattr(self, spec.name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() has no field '{next(iter(values))}'")
        check = getattr(self, "__post_init__", None)
        if check is not None:
            check()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names)
        return f"{type(self).__qualname__}({fields})"

    @classmethod
    def model_validate(cls, data: object) -> Any:
        """`data` (parsed YAML) as this model, or pydantic's ValidationError."""
        from .validation import adapter

        return adapter(cls).validate_python(data)

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        from .validation import adapter

        return adapter(cls).json_schema()

    def model_dump(self, **options: Any) -> Any:
        """Plain data as pydantic dumps it (`mode="json"`, `exclude_none`...)."""
        from .validation import adapter

        return adapter(type(self)).dump_python(self, **options)

    def model_dump_json(self, **options: Any) -> str:
        from .validation import adapter

        return adapter(type(self)).dump_json(self, **options).decode()

    def model_copy(self, update: dict[str, Any] | None = None) -> Any:
        """A copy with the fields in `update` replaced (not validated)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        """Each field's type, by name, in order."""
        return _field_types(cls)


def _field_types(model: type[Model]) -> dict[str, Any]:
    found = _FIELD_TYPES.get(model)
    if found is None:
        hints = typing.get_type_hints(model)
        found = {f.name: hints[f.name] for f in dataclasses.fields(model)}  # type: ignore[arg-type]
        _FIELD_TYPES[model] = found
    return found


_FIELD_TYPES: dict[type[Model], dict[str, Any]] = {}

# A number that is not .nan or .inf, checked by pydantic-core itself: a Python validator called
# for every measurement would dominate validation (BENCHMARKS.md).
Finite = Annotated[float, Constraints(allow_inf_nan=False)]

YEARS = (1900, 9000)
"""The years a command can be asked about (--as-of, --month): far enough from the ends of
Python's dates that a month, a due-soon window or a plan year on either side still exists."""


def year_problem(text: str, year: int) -> str | None:
    """A message when `year` is outside YEARS, else None."""
    first, last = YEARS
    if first <= year <= last:
        return None
    return f"'{text}' is out of range: use a year from {first} to {last}"


class DateRule(StrEnum):
    """How a document's wording became the date the tracker uses."""

    exact = "exact"  # the document gives the day
    month_start = "month_start"  # a start given as a month: its first day
    year_start = "year_start"  # a start given as a year: 1 January
    month_end = "month_end"  # "By November 2026" -> 2026-11-30
    quarter_end = "quarter_end"  # "Q3 2026" -> 2026-09-30
    year_end = "year_end"  # "by 2030" -> 2030-12-31
    late_year = "late_year"  # "late 2020" -> 2020-12-31
    early_year = "early_year"  # "early 2021" -> 2021-06-30 (end of the first half)
    decade_end = "decade_end"  # "the 2030s" -> 2039-12-31
    plan_year = "plan_year"  # "in year 1" of a plan -> the end of that plan year
    plan_end = "plan_end"  # no date in the text: the plan's end


@model
class DateSpec(Model):
    """A date at the precision a document gives, with the rule that fixed the tracker's date."""

    date: dt.date
    """The date the tracker uses (for a due date, the end of that day)."""
    text: SingleLine | None = None
    """The document's own wording, e.g. "By November 2026"."""
    rule: DateRule = DateRule.exact
    """How `text` became `date`."""
    note: MultiLine | None = None
    """Why this reading was chosen, where the wording allows several."""


def _as_spec(value: object) -> object:
    if isinstance(value, (dt.date, str)) and not isinstance(value, dt.datetime):
        return {"date": value}
    return value


FuzzyDate = Annotated[
    DateSpec,
    Before(_as_spec),
    Constraints(
        {
            "description": "A date (YYYY-MM-DD) or {date, text, rule, note} when the document "
            "is vaguer.",
            "examples": [
                "2026-11-30",
                {"date": "2026-11-30", "text": "By November 2026", "rule": "month_end"},
            ],
        }
    ),
]


@model
class Source(Model):
    """Where an item comes from: a document, its section, lines of the text copy, a quote."""

    document: Slug
    """Id of a document listed under `sources:`."""
    section: SingleLine | None = None
    """Section or heading in the document."""
    lines: str | None = _with(pattern=r"^[0-9]+(-[0-9]+)?$")
    """Line or line range in the text copy, e.g. "170-175"."""
    page: int | None = None
    """Page number in the printed document."""
    quote: MultiLine | None = None
    """Verbatim words from the document that the item rests on."""
