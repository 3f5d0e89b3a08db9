"""What `--format json` prints, as typed records: one envelope for every command that prints
data (`{"lcrplan", "command", "as_of", "filters", "summary", "items"}`: `status`, `overdue`,
`groups`, `show`, `validate`, `diff`), its filters, its summaries and its items. Values are
typed: dates are `YYYY-MM-DD` strings, a target is a number or `{low, high}`, the latest reading
is `{date, value, text}`, and human wording sits in separate `*_text` fields. `json_csv` builds
them and generates the JSON Schema from them, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.statuses import Flag, Status
from ..evaluate import diff
from ..evaluate.attention import Concern
from ..evaluate.diff import Side
from ..evaluate.summary import Summary
from ..views.groups import GroupRow
from .problems import ProblemItem, ProblemSummary

Command = Literal["status", "overdue", "groups", "show", "validate", "diff"]


@dataclass(frozen=True)
class Reading:
    """A reading: its date, its number (none for words only) and its wording."""

    date: dt.date
    value: float | None
    text: str | None
    provisional: bool
    """The figure may still change (a first estimate)."""


@dataclass(frozen=True)
class AttentionItem:
    """Why an item needs attention: the first rule of `lcrplan.evaluate.attention.RULES` that
    applies (README, "What needs attention")."""

    concern: Concern
    title: str
    """The rule's heading: "Reading overdue"."""
    reason: str
    """One sentence: "never reported: the first reading was due on 2025-04-03; reported every
    92 days"."""
    since: dt.date | None
    """When it fell due (a due date, a reading's due date), where the rule has one."""


@dataclass(frozen=True)
class ForecastItem:
    """A numeric KPI's course at its current pace (readings on two dates at least). Rates are
    per month, or % a year when `compound`; a fall is negative."""

    since: dt.date
    """Where the pace is measured from: the baseline the status was judged from."""
    latest: dt.date
    """The latest reading, where the projection starts."""
    rate: float
    """The pace kept from `since` to `latest`."""
    reaches: dt.date | None
    """The day the target is reached at this pace (`latest` when it is met); null when it
    never is at this pace."""
    late_days: int | None
    """`reaches` minus the due date: positive late, negative early."""
    needed: float | None
    """The pace needed from the as-of date to reach the target by the due date; null once
    due."""
    needed_at_start: float | None
    """The pace the target needed from `since` to the due date."""
    at_due: float | None
    """The value on the due date at this pace (where the projection line ends)."""
    compound: bool
    text: str
    """In words: "at this pace: March 2031, 2 years 3 months late; needs 15 a month from here,
    was 10"."""


@dataclass(frozen=True)
class YearTarget:
    """A numeric KPI's target for the financial year holding the as-of date."""

    date: dt.date
    value: float
    text: str


@dataclass(frozen=True)
class UpdateItem:
    """The owner's latest update at the as-of date, beside the computed status."""

    period: str
    date: dt.date
    by: str
    rating: Literal["red", "amber", "green"]
    """The owner's RAG rating, or the one their confidence stands for."""
    rag: Literal["red", "amber", "green"] | None
    confidence: Literal["low", "medium", "high"] | None
    summary: str
    next_steps: str | None
    risks: str | None
    asks: str | None
    stale: bool
    """Older than the item's reporting period: the next update was due `next_due`."""
    next_due: dt.date


@dataclass(frozen=True)
class TargetRange:
    """A target range: met at its low end when increasing, its high end when decreasing."""

    low: float
    high: float


@dataclass(frozen=True)
class Item:
    """A goal or KPI at the as-of date."""

    id: str
    type: Literal["goal", "kpi"]
    kind: str
    title: str
    plan: str | None
    theme: str
    group: str | None
    goal: str | None
    """A KPI's goal: the one it is defined under."""
    owner: str | None
    chairs: list[str]
    """Names of the owner's chairs; empty when none is named."""
    status: Status
    status_text: str
    """The status in words: "Not reported"."""
    reason: str
    counted: bool
    """Counted in `summary` (each KPI once, goals with no KPI); a goal with KPIs is not."""
    due: dt.date | None
    due_text: str | None
    """The due date as the document words it: "By November 2026"."""
    due_from_plan: bool
    """The due date is the plan's end: the item has none of its own."""
    progress: float | None
    """From 0 to 1, to 4 decimal places."""
    latest: Reading | None
    target: float | TargetRange | None
    """A numeric KPI's target."""
    target_text: str | None
    """The target in words: "1,000 people", "done", "higher is better"."""
    unit: str | None
    direction: Literal["increase", "decrease"] | None
    flags: list[Flag]
    uses: list[str]
    """A goal's KPIs defined under other goals."""
    used_by: list[str]
    """A KPI's other goals, which list it under `uses:`."""
    frequency: str | None
    """How often it is reported (its own, else its plan's); null: `stale_days` stands in."""
    next_reading: dt.date | None
    """When a measured KPI's next reading is due."""
    year_target: YearTarget | None
    update: UpdateItem | None
    disagreement: str | None
    """How the owner's rating contradicts the status: "owner says Green; data says Overdue"."""
    attention: AttentionItem | None
    """Why it needs attention; null when nothing does."""
    tracked_since: dt.date | None
    """A measured KPI's readings are asked for from this day: the later of its start and the
    day tracking of its plan began (`tracking:` in lcrplan.yaml)."""
    forecast: ForecastItem | None
    progress_text: str | None
    """A goal's progress in words, saying what it covers: "1 of 2 KPIs reported: 77% there"."""
    kpis_with_target: int | None
    """A goal's KPIs with a target (numeric, milestone; its own and those it uses); null for a
    KPI."""
    kpis_reported: int | None
    """Of those, the ones with a progress: the goal's `progress` is their average."""


@dataclass(frozen=True)
class ShownItem(Item):
    """`show`: the item with its fields as written in the data file."""

    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ShownContext:
    """`show` of a context entry: background a document states, never counted."""

    id: str
    type: Literal["context"]
    fields: dict[str, Any]


@dataclass(frozen=True)
class FieldEdit(diff.FieldChange):
    """A field changed: a goalpost (target, date, baseline, threshold), an owner or state, or
    another field; `old` and `new` are null when too long to show."""

    section: Literal["goalposts", "owners", "other"] = field(kw_only=True)


@dataclass(frozen=True)
class StatusMove(diff.StatusChange):
    """A status that differs between the two sides, both judged at `as_of`."""

    section: Literal["statuses"] = field(kw_only=True)


@dataclass(frozen=True)
class Presence(diff.PresenceChange):
    """An item added (its status after) or removed (its status before)."""

    section: Literal["added", "removed"] = field(kw_only=True)


@dataclass(frozen=True)
class Renamed(diff.Rename):
    """The same item (title, wording and source) under a new id."""

    section: Literal["renamed"] = field(kw_only=True)


@dataclass(frozen=True)
class ReadingEdit(diff.ReadingChange):
    """A measurement, or a milestone's done date, added, changed or removed."""

    section: Literal["measurements"] = field(kw_only=True)


Change = FieldEdit | StatusMove | Presence | Renamed | ReadingEdit
CHANGE_RECORDS: dict[type, type] = {
    diff.FieldChange: FieldEdit,
    diff.StatusChange: StatusMove,
    diff.PresenceChange: Presence,
    diff.Rename: Renamed,
    diff.ReadingChange: ReadingEdit,
}


@dataclass(frozen=True)
class ChangeSummary:
    """How many changes each section holds, and notes about the comparison."""

    goalposts: int
    statuses: int
    added: int
    removed: int
    renamed: int
    measurements: int
    owners: int
    other: int
    notes: list[str]


@dataclass(frozen=True)
class StatusFilters:
    plan: str | None = None
    group: str | None = None
    owner: str | None = None
    status: list[Status] = field(default_factory=list)


@dataclass(frozen=True)
class OverdueFilters:
    plan: str | None
    group: str | None
    within: int
    """Items due within this many days are listed after the overdue ones."""


@dataclass(frozen=True)
class NoFilters:
    pass


@dataclass(frozen=True)
class ShowFilters:
    id: str


@dataclass(frozen=True)
class ValidateFilters:
    errors_only: bool
    """`--quiet`: warnings left out of `items` (still counted in `summary`)."""


@dataclass(frozen=True)
class DiffFilters:
    base: Side
    head: Side


@dataclass(frozen=True)
class StatusOutput:
    """`status --format json`: the items the filters select, and their summary."""

    lcrplan: str
    command: Literal["status"]
    as_of: dt.date
    filters: StatusFilters
    summary: Summary
    items: list[Item]


@dataclass(frozen=True)
class OverdueOutput:
    """`overdue --format json`: overdue items, then those due soon; the summary is of every
    item the filters select, as the table's first line says."""

    lcrplan: str
    command: Literal["overdue"]
    as_of: dt.date
    filters: OverdueFilters
    summary: Summary
    items: list[Item]


@dataclass(frozen=True)
class GroupsOutput:
    """`groups --format json`: the boards and sub-groups; each item counted once (a board's
    row includes its sub-groups')."""

    lcrplan: str
    command: Literal["groups"]
    as_of: dt.date
    filters: NoFilters
    summary: Summary
    items: list[GroupRow]


@dataclass(frozen=True)
class ShowOutput:
    """`show --format json`: one item; the summary counts it (a goal: its KPIs)."""

    lcrplan: str
    command: Literal["show"]
    as_of: dt.date
    filters: ShowFilters
    summary: Summary
    items: list[ShownItem | ShownContext]


@dataclass(frozen=True)
class ValidateOutput:
    """`validate --format json`: every problem; `as_of` is the date measurements are checked
    against (today)."""

    lcrplan: str
    command: Literal["validate"]
    as_of: dt.date
    filters: ValidateFilters
    summary: ProblemSummary
    items: list[ProblemItem]


@dataclass(frozen=True)
class DiffOutput:
    """`diff --format json`: every change, goalposts first; statuses judged at `as_of`."""

    lcrplan: str
    command: Literal["diff"]
    as_of: dt.date
    filters: DiffFilters
    summary: ChangeSummary
    items: list[Change]


Output = StatusOutput | OverdueOutput | GroupsOutput | ShowOutput | ValidateOutput | DiffOutput
