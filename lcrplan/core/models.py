"""The data model: what a chair writes in YAML, validated by pydantic at the edge.

Every model forbids unknown keys. Nothing here is computed: statuses, progress and flags are
worked out by `evaluate` at a date and are never stored in YAML.

The models are plain slotted dataclasses, so a command that reads them from the cache imports
no pydantic and builds each object in a few attribute stores. pydantic validates them where
data comes in (`Model.model_validate`, through `validation`), reading the rules from the
markers in this module's types (`Constraints`, `Before`, `OneOf`) and from each field's
metadata; it is imported only then. Models are read-only: the type checker treats them as
frozen (`model`), while at run time they are not, because a frozen dataclass sets each field
through `object.__setattr__`, several times slower to build (BENCHMARKS.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import field
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

from .textsafe import CONTROL_CLASS
from .vocabulary import Confidence, FileKind, Frequency, GoalState, KpiKind, Rag

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


def _empty(**rules: Any) -> Any:
    """An empty list as a field's default, made for each instance (the schema says
    `default: []`)."""
    return field(default_factory=list, metadata={"json_schema_extra": {"default": []}, **rules})


def _with(default: Any = None, **rules: Any) -> Any:
    """A field's default with pydantic's rules for it (`examples`, `ge`, `pattern`...)."""
    return field(default=default, metadata=rules)


def _required(**rules: Any) -> Any:
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


@model
class Document(Model):
    """A source document that plans, goals and KPIs cite."""

    id: Slug
    title: Text
    """The document's title."""
    publisher: SingleLine | None = None
    """Who published it."""
    date: FuzzyDate | None = None
    """When it was published."""
    file: SingleLine | None = None
    """Name of the plain-text copy, e.g. music-board-subgroups-2026-02.txt."""
    url: SingleLine | None = None
    """Where it can be read online."""
    status: SingleLine | None = None
    """e.g. "draft"."""


@model
class Person(Model):
    """Someone who chairs or owns something."""

    id: Slug
    name: Text
    """Name exactly as the document spells it."""
    role: SingleLine | None = None
    """e.g. "Chair"."""
    organisation: SingleLine | None = None
    """The organisation they work for."""
    github: str | None = _with(pattern=r"^@?[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?$")
    """GitHub handle (or org/team), used by `lcrplan codeowners`."""
    source: Source | None = None
    """Where the document names them."""


@model
class Board(Model):
    """A board or body that owns plans and goals (a board, the Combined Authority, government)."""

    id: Slug
    name: Text
    """The board's name as the document gives it."""
    kind: Literal["board", "authority", "government", "partnership", "organisation"] = "board"
    """What sort of body it is."""
    chairs: list[Slug] = _empty()
    """Ids of people who chair it."""
    parent: Slug | None = None
    """Board it reports to."""
    aliases: list[SingleLine] = _empty()
    """Other names the documents use for it."""
    remit: MultiLine | None = None
    """What it is for, in a sentence or two."""
    source: Source | None = None
    """Where the document describes it."""


@model
class Group(Model):
    """A sub-group of a board (for example a task-and-finish group)."""

    id: Slug
    name: Text
    """The group's name as the document gives it."""
    board: Slug
    """Id of the board it belongs to."""
    kind: Literal["task_and_finish", "working_group", "sub_group"] = "task_and_finish"
    """What sort of group it is."""
    chairs: list[Slug] = _empty(min_length=0)
    """Ids of people who chair it; several where the document names several."""
    aliases: list[SingleLine] = _empty()
    """Other names the document uses for the group."""
    remit: MultiLine | None = None
    """What it is for, in a sentence or two."""
    source: Source | None = None
    """Where the document describes it."""


# --- the update cycle: how often an item is reported, the targets on the way, owners' updates ---


@model
class FrequencySpec(Model):
    """How often an item is reported, with the document's words and where it says so."""

    every: Frequency
    """monthly, quarterly, half_yearly, annual or biennial."""
    text: SingleLine | None = None
    """The document's own wording, e.g. "Bi-annual reviews of implementation progress"."""
    note: MultiLine | None = None
    """How the wording was read, where it allows several readings."""
    source: Source | None = None
    """Where the document sets the frequency."""


FrequencyField = Annotated[
    Frequency | FrequencySpec,
    Constraints(
        {
            "description": "How often it is reported: a word, or {every, text, note, source} "
            "when a document states it.",
            "examples": ["quarterly", {"every": "annual", "text": "Reported each year"}],
        }
    ),
]


@model
class InterimTarget(Model):
    """A dated value on the way from the baseline to the end target (e.g. one financial
    year's target)."""

    date: dt.date
    """The day the value is due (the end of that day)."""
    value: Finite
    """The value to reach by then."""
    text: SingleLine | None = None
    """The value as worded, e.g. "£3M"."""
    note: MultiLine | None = None
    """How the document's wording was read."""
    source: Source | None = None
    """Where the document sets it."""


PERIOD_PATTERN = r"^(FY)?[0-9]{4}-[0-9]{2}( (Q[1-4]|H[12]))?$"
Period = Annotated[
    str,
    Constraints(
        {
            "description": "The period an update covers: a month (2026-11), a financial year "
            "(2026-27, April to March), its quarter (2026-27 Q3) or half (2026-27 H1), or two "
            "financial years (2026-28).",
            "examples": ["2026-27 Q3", "2026-11"],
        },
        pattern=PERIOD_PATTERN,
    ),
]
Paragraph = Annotated[str, Constraints(min_length=1, pattern=MULTI_LINE_PATTERN)]


@model
class OwnerUpdate(Model):
    """An owner's own account of a goal or KPI for one reporting period, beside the data."""

    period: Period
    """The period it covers; one update per period (`lcrplan update --replace` changes it)."""
    date: dt.date
    """When it was written (not in the future)."""
    by: Slug
    """Id of the person who wrote it."""
    rag: Rag | None = None
    """The owner's own rating: red, amber or green."""
    confidence: Confidence | None = None
    """Or the owner's confidence of delivery: low, medium or high."""
    summary: Paragraph
    """What happened."""
    next_steps: MultiLine | None = None
    """What is next."""
    risks: MultiLine | None = None
    """Risks or issues."""
    asks: MultiLine | None = None
    """What the owner needs from the board."""

    def __post_init__(self) -> None:
        if self.rag is None and self.confidence is None:
            raise ValueError("an update needs 'rag' (red, amber, green) or 'confidence'")

    @property
    def rating(self) -> Rag:
        """The RAG rating, or the one the confidence stands for."""
        if self.rag is not None:
            return self.rag
        assert self.confidence is not None
        return self.confidence.rag


@model
class Review(Model):
    """How a document says its plan will be reviewed, in its own words: a review of the plan
    itself (is it still right?), which sets no date for a KPI's readings, unlike `frequency`."""

    text: Text
    """The document's own wording, e.g. "will be regularly reviewed for potency"."""
    every: Frequency | None = None
    """Only where the document states how often (monthly, quarterly, half_yearly, annual,
    biennial); "regularly" states no interval, so none is given."""
    note: MultiLine | None = None
    """How the wording was read."""
    source: Source
    """Where the document says so."""


@model
class Plan(Model):
    """A strategy or action plan."""

    id: Slug
    title: Text
    """The plan's title."""
    board: Slug
    """Id of the board that owns the plan."""
    start: FuzzyDate
    """When the plan starts."""
    end: FuzzyDate | None = None
    """When the plan ends; goals with no due date fall back to it."""
    status: SingleLine | None = None
    """e.g. "draft"."""
    description: MultiLine | None = None
    """What the plan is for, in a few sentences."""
    source: Source
    """Where the plan is set out."""
    frequency: FrequencyField | None = None
    """How often its KPIs are reported, unless a KPI says otherwise (default: `stale_days`
    in lcrplan.yaml judges staleness instead)."""
    review: Review | None = None
    """How the document says the plan itself will be reviewed, with its source."""


@model
class Measurement(Model):
    """One reading of a KPI at a date."""

    date: dt.date
    """The day the figure applies to (not in the future); for a return's reading given no
    date, the end of the period it is for."""
    value: Finite | None = None
    """The number measured (required for numeric and indicator KPIs)."""
    text: SingleLine | None = None
    """The wording the figure was given in, e.g. "£1bn"."""
    period: SingleLine | None = None
    """What the figure covers when it is not a point in time, e.g. "2017/18", or the
    reporting period a return gave it for, e.g. "2026-11"."""
    note: MultiLine | None = None
    """Anything a reader should know about the figure."""
    source: Source | SingleLine | None = None
    """Where the figure comes from: {document, ...} or free text."""
    provisional: bool = False
    """The figure may still change (a first estimate, unaudited): charts draw it hollow."""
    written: dt.date | None = None
    """When it was recorded, where that is not `date` (a return imported after its period);
    required with `revised`."""
    revised: Paragraph | None = None
    """Why this entry replaces the one above it on the same `date`: a revision. Statuses use
    the last entry for each date; the report lists revisions by `written`."""

    def __post_init__(self) -> None:
        if self.revised is not None and self.written is None:
            raise ValueError("a revision needs 'written:', the day it was revised")
        if self.written is not None and self.written < self.date:
            raise ValueError(
                f"written {self.written} is before the day the figure is for ({self.date})"
            )


@model
class Baseline(Model):
    """The starting value that pace is measured from."""

    value: Finite
    """The starting value."""
    date: dt.date
    """The day the starting value applies to."""
    text: SingleLine | None = None
    """The starting value as worded."""
    source: Source | None = None
    """Where the starting value comes from."""


@model
class Range(Model):
    """A target range such as "5 - 10"."""

    low: Finite
    """Lower end of the range."""
    high: Finite
    """Upper end of the range."""

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")


@model
class Done(Model):
    """When a milestone was achieved."""

    date: dt.date
    """The day it was achieved (not in the future)."""
    note: MultiLine | None = None
    """How or by whom it was achieved."""
    source: Source | SingleLine | None = None
    """Evidence that it was achieved: {document, ...} or free text."""


@model
class Suppression(Model):
    """A problem this item is known to have, and why it stays: `lcrplan validate` counts it
    instead of reporting it, and the monthly report lists it with its reason."""

    code: SingleLine = _required(examples=["LCR505", "baseline-meets-target"])
    """The problem's code or name (`lcrplan explain --all` lists them)."""
    reason: MultiLine | None = None
    """Why the problem stays: a statement a reader can check against the document (required)."""
    until: dt.date | None = None
    """From the day after this, the suppression is an error and the problem shows again."""


@model
class KpiBase(Model):
    id: Slug
    title: Text
    """Short name shown in tables."""
    text: MultiLine | None = None
    """The KPI as the document words it."""
    owner: Slug | None = None
    """Board, group or person; defaults to the goal's owner."""
    start: FuzzyDate | None = None
    """When work towards it starts."""
    due: FuzzyDate | None = None
    """Defaults to the goal's due date, then the plan's end."""
    note: MultiLine | None = None
    """Anything a reader should know, e.g. how the document's wording was read."""
    source: Source
    """Where the KPI comes from."""
    measurements: list[Measurement] = _empty()
    """Readings in date order; `lcrplan record` adds one."""
    frequency: FrequencyField | None = None
    """How often it is reported; defaults to its plan's frequency."""
    updates: list[OwnerUpdate] = _empty()
    """Its owner's updates, one per period; `lcrplan update` adds one."""
    ignore: list[Suppression] = _empty()
    """Problems this KPI is known to have, each with the reason it stays."""


@model
class NumericKpi(KpiBase):
    """A KPI with a number to reach."""

    kind: Literal[KpiKind.numeric]
    """numeric: a number to reach."""
    target: Finite | Range
    """A number, or {low, high} for a range (met at its low end when increasing)."""
    unit: Text
    """e.g. people, GBP, events."""
    direction: Literal["increase", "decrease"] = "increase"
    """Which way is better."""
    baseline: Baseline | None = None
    """Where progress starts; 0 at the plan start when not given."""
    method: Literal["linear", "cagr"] = "linear"
    """How pace is judged: straight line, or compound annual growth (needs a positive baseline)."""
    target_text: SingleLine | None = None
    """The target as worded, e.g. "£6.75M"."""
    interim_targets: list[InterimTarget] = _empty()
    """Dated values on the way to the target, in date order; pace follows the line through
    them."""

    def __post_init__(self) -> None:
        if self.method == "cagr" and (self.baseline is None or self.baseline.value <= 0):
            raise ValueError("method 'cagr' needs a baseline with a positive value")

    @property
    def met_at(self) -> float:
        """The value at which the target counts as met: a range is met at its near end."""
        if isinstance(self.target, Range):
            return self.target.low if self.direction == "increase" else self.target.high
        return self.target

    def meets(self, value: float) -> bool:
        """Whether `value` meets the target, in the target's direction."""
        sign = 1 if self.direction == "increase" else -1
        return sign * (value - self.met_at) >= 0


@model
class MilestoneKpi(KpiBase):
    """A KPI that is either done or not."""

    kind: Literal[KpiKind.milestone]
    """milestone: done or not."""
    done: Done | None = None
    """Set when achieved: {date, note}."""


@model
class IndicatorKpi(KpiBase):
    """A KPI with a direction but no numeric target (e.g. GVA per head as % of UK)."""

    kind: Literal[KpiKind.indicator]
    """indicator: a direction and no numeric target."""
    direction: Literal["increase", "decrease"]
    """Which way is better."""
    unit: SingleLine | None = None
    """e.g. "% of UK"."""
    measured_by: MultiLine | None = None
    """What the document says the outcome is measured by."""


@model
class OngoingKpi(KpiBase):
    """A commitment with no end: never done, never overdue; only staleness applies."""

    kind: Literal[KpiKind.ongoing]
    """ongoing: a commitment with no end."""


AnyKpi = NumericKpi | MilestoneKpi | IndicatorKpi | OngoingKpi
"""A KPI of any kind."""
KpiField = Annotated[AnyKpi, OneOf("kind")]
"""A KPI in a goal's `kpis:`: its `kind` says which model it follows."""


@model
class Use(Model):
    """A KPI defined under another goal that measures this goal too: one measure, defined and
    recorded once where it is defined, counted once there, and rolled up into this goal."""

    kpi: Slug
    """Id of the KPI, defined under another goal's `kpis:`."""
    source: Source
    """Where the document states that this goal is measured by it."""


GoalKind = Literal[
    "goal",
    "objective",
    "priority",
    "project",
    "vision",
    "headline",
    "key_priority",
    "action",
    "sub_action",
    "outcome",
    "target",
]


@model
class Goal(Model):
    """Something a plan commits to, with the KPIs that show progress on it."""

    id: Slug
    title: Text
    """Short name shown in tables."""
    kind: GoalKind = "goal"
    """What the document calls it."""
    number: SingleLine | None = None
    """Numbering in the document, e.g. "3" or "3b"."""
    description: MultiLine | None = None
    """The goal as the document describes it."""
    owner: Slug | None = None
    """Board, group or person responsible."""
    delivered_by: list[Slug] = _empty()
    """Bodies that deliver it, where the document names several."""
    parent: Slug | None = None
    """Goal this one belongs to (a sub-action's action)."""
    start: FuzzyDate | None = None
    """When work on it starts."""
    due: FuzzyDate | None = None
    """When it is due; defaults to the plan's end."""
    state: Literal[GoalState.active, GoalState.paused, GoalState.dropped] = GoalState.active
    """Set by a person; paused and dropped override the computed status."""
    state_reason: MultiLine | None = None
    """Why the goal is paused or dropped (required for those states)."""
    tags: list[Slug] = _empty()
    """e.g. immediate-priority, key-ambition."""
    aliases: list[SingleLine] = _empty()
    """Other names the document uses for it."""
    note: MultiLine | None = None
    """Anything a reader should know, e.g. how the document's wording was read."""
    source: Source
    """Where the goal comes from."""
    kpis: list[KpiField] = _empty()
    """The KPIs that show progress on the goal."""
    updates: list[OwnerUpdate] = _empty()
    """Its owner's updates, one per period; `lcrplan update` adds one."""
    ignore: list[Suppression] = _empty()
    """Problems this goal is known to have, each with the reason it stays."""
    uses: list[Use] = _empty()
    """KPIs defined under other goals that measure this one too (one measure, defined once)."""

    def __post_init__(self) -> None:
        if self.state.needs_reason and not self.state_reason:
            raise ValueError(f"state '{self.state}' needs a state_reason saying why")


@model
class Theme(Model):
    """A focus area, sub-group workstream or section inside a plan."""

    id: Slug
    plan: Slug
    title: Text
    """The theme's title as the document gives it."""
    kind: Literal[
        "focus_area",
        "workstream",
        "section",
        "vision",
        "transformational_opportunity",
        "foundation",
        "grand_challenge",
    ] = "focus_area"
    """What the document calls it."""
    group: Slug | None = None
    """Sub-group that owns this theme's goals."""
    owner: Slug | None = None
    """Default owner for goals that name none."""
    aliases: list[SingleLine] = _empty()
    """Other names the document uses for it."""
    description: MultiLine | None = None
    """What the theme covers, in a few sentences."""
    source: Source
    """Where the theme is set out."""


@model
class Context(Model):
    """Something a document states that is background, not an item to track: a fact, a figure
    about a case study, a list of funding sources. Never counted, never given a status."""

    id: Slug
    title: Text
    """Short name shown in lists."""
    text: MultiLine
    """What the document says, in its own words as far as possible."""
    source: Source
    """Where the document says it."""


@model
class DirectoryFile(Model):
    """A file of documents, people, boards and groups."""

    sources: list[Document] = _empty()
    """Documents that plans, goals and KPIs cite."""
    people: list[Person] = _empty()
    """People who chair or own things."""
    boards: list[Board] = _empty()
    """Boards and other bodies."""
    groups: list[Group] = _empty()
    """Sub-groups of boards."""


@model
class PlanFile(Model):
    """A file holding one plan's header."""

    plan: Plan
    """The plan's header."""
    context: list[Context] = _empty()
    """Background the document states about the whole plan, tracked by no goal or KPI."""


@model
class ThemeFile(Model):
    """A file holding one theme (focus area, sub-group, section) and its goals."""

    theme: Theme
    """The theme."""
    goals: list[Goal] = _empty()
    """The theme's goals, each with its KPIs."""
    context: list[Context] = _empty()
    """Background the document states in this theme's section, tracked by no goal or KPI."""


@model
class Thresholds(Model):
    """Pace ratios (achieved / required) that separate the numeric statuses."""

    on_track: float = _with(0.95, ge=0, le=1)
    """Pace at or above which a numeric KPI is on track."""
    at_risk: float = _with(0.6, ge=0, le=1)
    """Pace at or above which it is at risk (off track below)."""

    def __post_init__(self) -> None:
        if self.at_risk > self.on_track:
            raise ValueError(f"at_risk {self.at_risk:g} is above on_track {self.on_track:g}")


@model
class Limits(Model):
    """Guards applied before YAML reaches the parser."""

    max_file_bytes: int = _with(5_000_000, ge=1)
    """Largest YAML file read, in bytes."""
    max_depth: int = _with(64, ge=1, le=500)
    """Deepest nesting of lists and mappings allowed (at most 500: libyaml refuses 1,000 itself)."""
    max_list_items: int = _with(100_000, ge=1)
    """Longest list allowed."""


@model
class CheckRule(Model):
    """A severity for one code, for the whole data set or the part named by `plan` and `paths`.
    Rules are read in order and the last that matches a problem decides."""

    code: SingleLine = _required(examples=["LCR501", "goal-without-kpi"])
    """The code or name of the problem (`lcrplan explain --all` lists them)."""
    severity: Literal["error", "warning", "info", "off"]
    """What the problem becomes: off suppresses it (counted, and listed in the report)."""
    plan: Slug | None = None
    """Only problems about items of this plan."""
    paths: list[SingleLine] = _empty()
    """Only problems in files matching one of these patterns, relative to the data folder
    (`lis/*.yaml`; `*` matches across folders)."""
    reason: MultiLine | None = None
    """Why: a statement a reader can check against the documents (required)."""
    until: dt.date | None = None
    """From the day after this, the rule is an error and no longer applies."""


@model
class Tracking(Model):
    """When this tracker began following a plan: no reading is asked for before then."""

    plan: Slug
    """Id of the plan."""
    since: dt.date
    """The day tracking began. A KPI's first reading falls due one reporting period after
    the later of this and its start (its own, its goal's, its plan's)."""
    reason: Paragraph
    """Why this day: a statement a reader can check."""


@model
class Config(Model):
    """Settings in `lcrplan.yaml` at the top of the data directory."""

    due_soon_days: int = _with(30, ge=0, le=3660)
    """Items due within this many days count as due soon."""
    stale_days: int = _with(92, ge=1, le=3660)
    """A KPI with no measurement for this many days is stale."""
    thresholds: Thresholds = Thresholds()
    """Pace ratios that separate on track, at risk and off track."""
    limits: Limits = Limits()
    """Guards applied before YAML reaches the parser."""
    templates: SingleLine | None = None
    """Directory of report templates that override or add to the built-in ones."""
    title: SingleLine | None = None
    """Shown at the top of reports."""
    checks: list[CheckRule] = _empty()
    """Severities of problem codes, with the reason for each (`lcrplan explain CODE`)."""
    tracking: list[Tracking] = _empty()
    """When tracking of each plan began, with the reason (a plan not listed: its start)."""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.tracking:
            if entry.plan in seen:
                raise ValueError(f"tracking: plan '{entry.plan}' is listed twice")
            seen.add(entry.plan)

    def tracked_since(self, plan: str | None) -> dt.date | None:
        """The day tracking of `plan` began, if lcrplan.yaml says."""
        return next((t.since for t in self.tracking if t.plan == plan), None)


ITEMS: dict[tuple[str | int, ...], str] = {
    ("theme",): "theme",
    ("plan",): "plan",
    ("goals", 0): "goal",
    ("goals", 0, "kpis", 0): "kpi",
    ("context", 0): "context",
    ("sources", 0): "document",
    ("people", 0): "person",
    ("boards", 0): "board",
    ("groups", 0): "group",
    ("checks", 0): "rule",
    ("tracking", 0): "tracking",
}
"""Where items are written in a file (0 standing for any list index), and what each is called."""


def item_path(loc: Sequence[str | int]) -> tuple[tuple[str | int, ...], str] | None:
    """The path of the innermost item `loc` lies in, and the item's word (`kpi`), if any."""
    best = None
    for size in range(1, min(len(loc), 4) + 1):
        head = tuple(loc[:size])
        shape = tuple(0 if isinstance(part, int) else part for part in head)
        if shape in ITEMS:
            best = (head, ITEMS[shape])
    return best


FILE_KINDS: dict[FileKind, type[Model]] = {
    FileKind.directory: DirectoryFile,
    FileKind.plan: PlanFile,
    FileKind.theme: ThemeFile,
    FileKind.config: Config,
}


@model
class DataSet(Model):
    """Everything loaded from a data directory."""

    config: Config = Config()
    documents: list[Document] = _empty()
    people: list[Person] = _empty()
    boards: list[Board] = _empty()
    groups: list[Group] = _empty()
    plans: list[Plan] = _empty()
    themes: list[ThemeFile] = _empty()
    context: list[Context] = _empty()
    """Every context entry of every plan and theme file, in file order."""
