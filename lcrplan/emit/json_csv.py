"""`--format json` and `--format csv`: the records of `records` built from evaluated items,
the envelope as JSON, CSV as the flattened item, and the JSON Schema of it all (generated from
the records, so the two cannot drift apart).

A CSV row is the JSON item flattened (`latest.date` -> `latest_date`, `target.low` ->
`target_low`, lists joined with `; `, booleans `true`/`false`), in a fixed column order, with
numbers as numbers; every text cell goes through `formatting.csv_text`'s formula guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from typing import Any

from ..core.formatting import csv_text, json_text
from ..core.models import AnyKpi, Context, Goal
from ..core.statuses import SEVERITY, label
from ..core.version import __version__
from ..core.vocabulary import ItemType
from ..evaluate.diff import Changes
from ..evaluate.forecast import forecast_words
from ..evaluate.scorecard import ItemStatus
from .problems import problem_record as problem  # noqa: F401  (the command line's name)
from .problems import summary_record as problem_summary  # noqa: F401
from .records import (  # noqa: F401  (the command line's names for them)
    CHANGE_RECORDS,
    AttentionItem,
    Change,
    ChangeSummary,
    Command,
    DiffFilters,
    DiffOutput,
    ForecastItem,
    GroupsOutput,
    Item,
    NoFilters,
    Output,
    OverdueFilters,
    OverdueOutput,
    Reading,
    ShowFilters,
    ShownContext,
    ShownItem,
    ShowOutput,
    StatusFilters,
    StatusOutput,
    TargetRange,
    UpdateItem,
    ValidateFilters,
    ValidateOutput,
    YearTarget,
)

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
        out.extend(CHANGE_RECORDS[type(entry)](**asdict(entry), section=key) for entry in entries)
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

    from ..evaluate import summary
    from . import problems, records

    documented = ConfigDict(use_attribute_docstrings=True, extra="forbid")
    mine = {records.__name__, problems.__name__, summary.__name__}
    for module in (vars(records), vars(problems), vars(summary)):
        for value in list(module.values()):
            ours = getattr(value, "__module__", "") in mine
            if ours and isinstance(value, type) and hasattr(value, "__dataclass_fields__"):
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
