"""The data model: what a chair writes in YAML, validated by pydantic at the edge.

Every model forbids unknown keys. Nothing here is computed: statuses, progress and flags are
worked out by `evaluate` at a date and are never stored in YAML. Here: the plans, goals, KPIs,
themes, people and documents, and the files that hold them (`DataSet` is all of them merged).
How a model is declared and validated, and the field types every model shares, are
`model_base`'s; the update cycle's models are `cycle_models`', lcrplan.yaml's `settings`'.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Literal

from .vocabulary import FileKind, GoalState, KpiKind

if TYPE_CHECKING:
    pass
from . import cycle_models, model_base, settings
from .cycle_models import FrequencyField, InterimTarget, OwnerUpdate, Paragraph, Review
from .model_base import (
    Finite,
    FuzzyDate,
    Model,
    MultiLine,
    OneOf,
    SingleLine,
    Slug,
    Source,
    Text,
    _with,
    empty,
    model,
    required,
)
from .settings import Config


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
    chairs: list[Slug] = empty()
    """Ids of people who chair it."""
    parent: Slug | None = None
    """Board it reports to."""
    aliases: list[SingleLine] = empty()
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
    chairs: list[Slug] = empty(min_length=0)
    """Ids of people who chair it; several where the document names several."""
    aliases: list[SingleLine] = empty()
    """Other names the document uses for the group."""
    remit: MultiLine | None = None
    """What it is for, in a sentence or two."""
    source: Source | None = None
    """Where the document describes it."""


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

    code: SingleLine = required(examples=["LCR505", "baseline-meets-target"])
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
    measurements: list[Measurement] = empty()
    """Readings in date order; `lcrplan record` adds one."""
    frequency: FrequencyField | None = None
    """How often it is reported; defaults to its plan's frequency."""
    updates: list[OwnerUpdate] = empty()
    """Its owner's updates, one per period; `lcrplan update` adds one."""
    ignore: list[Suppression] = empty()
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
    interim_targets: list[InterimTarget] = empty()
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
    delivered_by: list[Slug] = empty()
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
    tags: list[Slug] = empty()
    """e.g. immediate-priority, key-ambition."""
    aliases: list[SingleLine] = empty()
    """Other names the document uses for it."""
    note: MultiLine | None = None
    """Anything a reader should know, e.g. how the document's wording was read."""
    source: Source
    """Where the goal comes from."""
    kpis: list[KpiField] = empty()
    """The KPIs that show progress on the goal."""
    updates: list[OwnerUpdate] = empty()
    """Its owner's updates, one per period; `lcrplan update` adds one."""
    ignore: list[Suppression] = empty()
    """Problems this goal is known to have, each with the reason it stays."""
    uses: list[Use] = empty()
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
    aliases: list[SingleLine] = empty()
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

    sources: list[Document] = empty()
    """Documents that plans, goals and KPIs cite."""
    people: list[Person] = empty()
    """People who chair or own things."""
    boards: list[Board] = empty()
    """Boards and other bodies."""
    groups: list[Group] = empty()
    """Sub-groups of boards."""


@model
class PlanFile(Model):
    """A file holding one plan's header."""

    plan: Plan
    """The plan's header."""
    context: list[Context] = empty()
    """Background the document states about the whole plan, tracked by no goal or KPI."""


@model
class ThemeFile(Model):
    """A file holding one theme (focus area, sub-group, section) and its goals."""

    theme: Theme
    """The theme."""
    goals: list[Goal] = empty()
    """The theme's goals, each with its KPIs."""
    context: list[Context] = empty()
    """Background the document states in this theme's section, tracked by no goal or KPI."""


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
    documents: list[Document] = empty()
    people: list[Person] = empty()
    boards: list[Board] = empty()
    groups: list[Group] = empty()
    plans: list[Plan] = empty()
    themes: list[ThemeFile] = empty()
    context: list[Context] = empty()
    """Every context entry of every plan and theme file, in file order."""


MODULES = (model_base, cycle_models, settings, sys.modules[__name__])
"""The modules that define the models: the cache's fingerprint hashes them, the codec numbers
their classes, the schema reads the docstrings under their fields."""
