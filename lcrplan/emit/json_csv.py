"""What `--format json` and `--format csv` print: one envelope for every command that prints
data, typed items, CSV as the flattened item, and the JSON Schema of it all.

Every JSON output is one object: `{"lcrplan", "command", "as_of", "filters", "summary", "items"}`
(`status`, `overdue`, `groups`, `show`, `validate`, `diff`). Values are typed: dates are
`YYYY-MM-DD` strings, a target is a number or `{low, high}`, the latest reading is `{date,
value, text}`, and human wording sits in separate `*_text` fields. The records below are the
output; `schema()` is generated from them, so the two cannot drift apart.

A CSV row is the JSON item flattened (`latest.date` -> `latest_date`, `target.low` ->
`target_low`, lists joined with `; `, booleans `true`/`false`), in a fixed column order, with
numbers as numbers; every text cell goes through `text.csv_text`'s formula guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from .. import diff
from ..attention import Concern
from ..core.formatting import csv_text, json_text
from ..core.statuses import SEVERITY, Flag, Status, label
from ..core.version import __version__
from ..core.vocabulary import ItemType
from ..diff import Changes, Side
from ..evaluate import ItemStatus
from ..forecast import forecast_words
from ..models import AnyKpi, Context, Goal
from ..summary import Summary
from ..views.groups import GroupRow
from .problems import ProblemItem, ProblemSummary
from .problems import problem_record as problem  # noqa: F401  (the command line's name)
from .problems import summary_record as problem_summary  # noqa: F401

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
    """Why an item needs attention: the first rule of `lcrplan.attention.RULES` that applies
    (README, "What needs attention")."""

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
class Presence(diff.Item):
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
_CHANGES: dict[type, type] = {
    diff.FieldChange: FieldEdit,
    diff.StatusChange: StatusMove,
    diff.Item: Presence,
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


# --- building the records ---------------------------------------------------------------------


def item(status: ItemStatus) -> Item:
    """An evaluated goal or KPI as the output has it."""
    return Item(**_item_fields(status))


def _item_fields(i: ItemStatus) -> dict[str, Any]:
    target = i.target_value
    return {
        "id": i.id,
        "type": i.type.value,
        "kind": i.kind,
        "title": i.title,
        "plan": i.plan,
        "theme": i.theme,
        "group": i.group,
        "goal": i.goal,
        "owner": i.owner,
        "chairs": list(i.chairs),
        "status": i.status,
        "status_text": label(i.status),
        "reason": i.reason,
        "counted": i.counted,
        "due": i.due,
        "due_text": i.due_text,
        "due_from_plan": i.due_from_plan,
        "progress": None if i.progress is None else round(i.progress, 4),
        "latest": _reading(i),
        "target": TargetRange(*target) if isinstance(target, tuple) else target,
        "target_text": i.target,
        "unit": i.unit,
        "direction": i.direction,
        "flags": list(i.flags),
        "uses": list(i.uses),
        "used_by": list(i.used_by),
        "frequency": i.frequency,
        "next_reading": i.next_reading,
        "year_target": None
        if i.year_target is None
        else YearTarget(i.year_target.date, i.year_target.value, i.year_target.text),
        "update": _update(i),
        "disagreement": i.disagreement,
        "attention": _attention(i),
        "tracked_since": i.tracked_since,
        "forecast": _forecast(i),
        "progress_text": i.progress_text,
        "kpis_with_target": i.kpis_with_target if i.type is ItemType.goal else None,
        "kpis_reported": i.kpis_reported if i.type is ItemType.goal else None,
    }


def _attention(i: ItemStatus) -> AttentionItem | None:
    need = i.attention
    return (
        None if need is None else AttentionItem(need.concern, need.title, need.reason, need.since)
    )


def _forecast(i: ItemStatus) -> ForecastItem | None:
    found = i.forecast
    if found is None:
        return None
    return ForecastItem(
        found.since,
        found.latest,
        found.rate,
        found.reaches,
        found.late_days,
        found.needed,
        found.needed_at_start,
        found.at_due,
        found.compound,
        forecast_words(found),
    )


def _update(i: ItemStatus) -> UpdateItem | None:
    if i.update is None:
        return None
    u = i.update.update
    return UpdateItem(
        u.period,
        u.date,
        u.by,
        u.rating.value,
        u.rag.value if u.rag else None,
        u.confidence.value if u.confidence else None,
        u.summary,
        u.next_steps,
        u.risks,
        u.asks,
        i.update.stale,
        i.update.next_due,
    )


def _reading(i: ItemStatus) -> Reading | None:
    latest = i.latest
    if latest is None:
        return None
    return Reading(latest.date, latest.value, latest.text, latest.provisional)


def shown(status: ItemStatus, model: AnyKpi | Goal) -> ShownItem:
    """`show`'s item: the evaluated item and its fields as written."""
    written = model.model_dump(mode="json", exclude_none=True)
    return ShownItem(**_item_fields(status), fields=written)


def shown_context(entry: Context) -> ShownContext:
    return ShownContext(entry.id, "context", entry.model_dump(mode="json", exclude_none=True))


def changes(found: Changes) -> tuple[ChangeSummary, list[Change]]:
    """A diff's sections as one list of changes, and how many each section holds."""
    out: list[Change] = []
    sizes: dict[str, int] = {}
    for key, _, entries in found.sections():
        sizes[key] = len(entries)
        out.extend(_CHANGES[type(entry)](**asdict(entry), section=key) for entry in entries)
    return ChangeSummary(**sizes, notes=list(found.notes)), out


def envelope(
    command: Command, as_of: dt.date, filters: object, summary: object, items: Sequence[object]
) -> Output:
    """The one object a command prints with `--format json`."""
    kind = _OUTPUTS[command]
    return kind(__version__, command, as_of, filters, summary, list(items))  # type: ignore[arg-type]


_OUTPUTS: dict[str, type[Any]] = {
    "status": StatusOutput,
    "overdue": OverdueOutput,
    "groups": GroupsOutput,
    "show": ShowOutput,
    "validate": ValidateOutput,
    "diff": DiffOutput,
}


def to_json(output: Output) -> str:
    """The envelope as indented JSON with a final newline (`pydantic_core.to_json`)."""
    return json_text(output)


# --- CSV -----------------------------------------------------------------------------------------

ITEM_COLUMNS = [
    "id",
    "type",
    "kind",
    "title",
    "plan",
    "theme",
    "group",
    "goal",
    "owner",
    "chairs",
    "status",
    "status_text",
    "reason",
    "counted",
    "due",
    "due_text",
    "due_from_plan",
    "progress",
    "latest_date",
    "latest_value",
    "latest_text",
    "target",
    "target_low",
    "target_high",
    "target_text",
    "unit",
    "direction",
    "flags",
    "uses",
    "used_by",
    "frequency",
    "next_reading",
    "year_target_date",
    "year_target_value",
    "year_target_text",
    *(f"update_{f.name}" for f in fields(UpdateItem)),
    "disagreement",
    *(f"attention_{f.name}" for f in fields(AttentionItem)),
    "tracked_since",
    *(f"forecast_{f.name}" for f in fields(ForecastItem)),
    "progress_text",
    "kpis_with_target",
    "kpis_reported",
    "latest_provisional",
]
"""`status` and `overdue` CSV: the JSON item flattened, in this order (the columns added
since 0.1 at the end, so a sheet reading columns by position still reads the first ones)."""
GROUP_COLUMNS = [
    "type",
    "id",
    "name",
    "board",
    "chairs",
    "items",
    *(f"by_status_{s}" for s in SEVERITY),
]
"""`groups` CSV: the JSON row flattened, in this order."""
NUMBERS = {"progress", "latest_value", "target", "target_low", "target_high", "items"}
NUMBERS |= {"year_target_value", "kpis_with_target", "kpis_reported", "forecast_late_days"}
NUMBERS |= {f"forecast_{k}" for k in ("rate", "needed", "needed_at_start", "at_due")}
NUMBERS |= {f"by_status_{s}" for s in SEVERITY}


_NESTED = {
    "latest": ("date", "value", "text", "provisional"),
    "attention": tuple(f.name for f in fields(AttentionItem)),
    "forecast": tuple(f.name for f in fields(ForecastItem)),
    "year_target": tuple(f.name for f in fields(YearTarget)),
    "update": tuple(f.name for f in fields(UpdateItem)),
}
"""Item fields that hold a record (or null): flattened to one column per field of it."""


def flat(record: object) -> dict[str, object]:
    """A record as one level of columns: `latest.date` -> `latest_date`, `target` -> `target`
    (a number) or `target_low` and `target_high` (a range), `by_status.done` ->
    `by_status_done`; lists joined by `; `; booleans `true`/`false`; dates `YYYY-MM-DD`."""
    out: dict[str, object] = {}
    for f in fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if f.name == "target":
            ranged = isinstance(value, TargetRange)
            out["target"] = None if ranged else value
            out["target_low"] = value.low if ranged else None
            out["target_high"] = value.high if ranged else None
        elif f.name in _NESTED:
            for key in _NESTED[f.name]:
                out[f"{f.name}_{key}"] = _cell(getattr(value, key) if value else None)
        elif isinstance(value, dict):
            out |= {f"{f.name}_{k}": _cell(v) for k, v in value.items()}
        else:
            out[f.name] = _cell(value)
    return out


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # 1000, not 1000.0: the number a spreadsheet shows
    return value


def to_csv(records: Iterable[object], columns: Sequence[str]) -> str:
    """Records as CSV with these columns, numbers as numbers, no cell a formula."""
    rows = []
    for record in records:
        values = flat(record)
        rows.append([_number(values.get(c)) if c in NUMBERS else values.get(c) for c in columns])
    return csv_text(columns, rows, numeric=NUMBERS & set(columns))


def _number(value: object) -> object:
    return _cell(value) if isinstance(value, float) else value


# --- the JSON Schema -----------------------------------------------------------------------------

SCHEMA_FILE = "output.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of every `--format json` output, generated from the records above (each
    field described by the docstring under it)."""
    from pydantic import ConfigDict, TypeAdapter

    from .. import summary

    documented = ConfigDict(use_attribute_docstrings=True, extra="forbid")
    for module in (globals(), vars(summary)):
        for value in list(module.values()):
            mine = getattr(value, "__module__", "") in (__name__, summary.__name__)
            if mine and isinstance(value, type) and hasattr(value, "__dataclass_fields__"):
                value.__pydantic_config__ = documented  # type: ignore[attr-defined]
    body = TypeAdapter(Output).json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "lcrplan --format json output",
        "description": SCHEMA_DESCRIPTION,
        **body,
    }


SCHEMA_DESCRIPTION = (
    "What `lcrplan status`, `overdue`, `groups`, `show`, `validate` and `diff` print with "
    "`--format json`: one object, {lcrplan, command, as_of, filters, summary, items}. Every "
    "count in `summary` is of items: each KPI once, and each goal with no KPI. Dates are "
    "YYYY-MM-DD; a target is a number or {low, high}; wording is in `*_text` fields."
)
