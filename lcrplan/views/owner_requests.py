"""What each owner must report for a period: readings due, milestones due, goals needing an
update; as a Markdown letter per owner and as the rows of a return form (`forms`).

Pure: takes the scorecard at as-of (`evaluate`) and the period. An item is asked for when:
- a live measured KPI's next reading (`ItemStatus.next_reading`) falls due by the period's
  end: one already past due is marked stale;
- a milestone not done is due by the period's end;
- a live goal has no owner's update yet, or its next update falls due by the period's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..core.formatting import format_number, md_code, md_escape, md_status_label
from ..core.periods import Period
from ..core.statuses import CLOSED
from ..core.vocabulary import ItemType
from ..evaluate.scorecard import ItemStatus, Scorecard
from ..loader.index import Index
from .rows import Who, latest_text, who


class Asked(StrEnum):
    """What an item is asked for."""

    reading = "reading"
    milestone = "milestone"
    update = "update"


@dataclass(frozen=True)
class Request:
    """One item an owner is asked about, and by when."""

    item: ItemStatus
    asked: Asked
    due: dt.date | None
    """When the reading, milestone or update is due (None: a goal never updated)."""
    late: bool
    """Already past due at as-of (a stale reading, an overdue milestone)."""
    latest: str
    """The latest value against the target, as the report shows it."""


@dataclass(frozen=True)
class OwnerRequests:
    """Everything one owner (a board, group or person, with its chairs) must report."""

    owner: Who
    requests: tuple[Request, ...]

    def of(self, asked: Asked) -> list[Request]:
        return [r for r in self.requests if r.asked is asked]


def build_requests(
    card: Scorecard, index: Index, period: Period, owner: str | None = None
) -> tuple[OwnerRequests, ...]:
    """Each owner's requests for `period` (only `owner`'s when given), owners by name."""
    by_owner: dict[str | None, list[Request]] = {}
    for item in card.items:
        if owner is not None and item.owner != owner:
            continue
        found = _request(item, index, period, card.as_of)
        if found is not None:
            by_owner.setdefault(item.owner, []).append(found)
    owners = [OwnerRequests(who(o, index), tuple(rows)) for o, rows in by_owner.items()]
    return tuple(sorted(owners, key=lambda o: (o.owner.name, o.owner.id)))


def _request(item: ItemStatus, index: Index, period: Period, as_of: dt.date) -> Request | None:
    if item.status in CLOSED:
        return None
    if item.type is ItemType.goal:
        due = item.update.next_due if item.update else None
        if due is not None and due > period.end:
            return None
        return Request(item, Asked.update, due, due is not None and due < as_of, "")
    if item.kind == "milestone":
        if item.due is None or item.due > period.end:
            return None
        return Request(item, Asked.milestone, item.due, item.due < as_of, latest_text(item))
    due = item.next_reading
    if due is None or due > period.end:
        return None
    return Request(item, Asked.reading, due, due < as_of, latest_text(item))


# --- the letter ---------------------------------------------------------------------------------

_HEADINGS = {
    Asked.reading: "Readings due",
    Asked.milestone: "Milestones due",
    Asked.update: "Goals needing an update",
}


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One item of the letter: what it is, its status (its key: `overdue`), where it stands
    (`latest` against the target, or a goal's `last_update` period) and when it is due (None:
    now, a goal never updated; `late`: already past due at as-of)."""

    id: str
    title: str
    status: str
    latest: str
    last_update: str
    due: dt.date | None
    late: bool


@dataclass(frozen=True, slots=True)
class AskedFor:
    """One owner's items of one kind: `asked` (`reading`, `milestone` or `update`), its
    heading and rows."""

    asked: str
    heading: str
    rows: tuple[RequestRow, ...]


@dataclass(frozen=True, slots=True)
class OwnerLetter:
    """One owner's part of the letter: the owner and what it is asked for, by kind."""

    owner: Who
    asked: tuple[AskedFor, ...]


@dataclass(frozen=True, slots=True)
class RequestsLetter:
    """The letter asking for a period's returns (`lcrplan requests`): the period's label and
    days, the date it is as of, how many items, and each owner's part."""

    period: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    items: int
    owners: tuple[OwnerLetter, ...]


def requests_letter(
    owners: Sequence[OwnerRequests], period: Period, as_of: dt.date
) -> RequestsLetter:
    """The letter's content: one part per owner, each kind of item asked for in turn."""
    parts = tuple(
        OwnerLetter(
            found.owner,
            tuple(
                AskedFor(str(asked), heading, tuple(_letter_row(r) for r in found.of(asked)))
                for asked, heading in _HEADINGS.items()
                if found.of(asked)
            ),
        )
        for found in owners
    )
    total = sum(len(o.requests) for o in owners)
    return RequestsLetter(period.label, period.start, period.end, as_of, total, parts)


def _letter_row(r: Request) -> RequestRow:
    i = r.item
    last = i.update.update.period if i.update else "none yet"
    return RequestRow(i.id, i.title, str(i.status), r.latest, last, r.due, r.late)


_HEADINGS = {
    Asked.reading: "Readings due",
    Asked.milestone: "Milestones due",
    Asked.update: "Goals needing an update",
}


def _table(asked: Asked, rows: Sequence[Request]) -> list[str]:
    if asked is Asked.update:
        head = "| Goal | Status | Last update | Next update due |\n|---|---|---|---|"
    elif asked is Asked.reading:
        head = "| KPI | Status | Latest / target | Reading due |\n|---|---|---|---|"
    else:
        head = "| Milestone | Status | Latest / target | Due |\n|---|---|---|---|"
    out = head.splitlines()
    for r in rows:
        name = f"{md_escape(r.item.title)} {md_code(r.item.id)}"
        due = _due(r)
        if asked is Asked.update:
            last = r.item.update.update.period if r.item.update else "none yet"
            out.append(f"| {name} | {md_status_label(r.item.status)} | {md_escape(last)} | {due} |")
        else:
            latest = md_escape(r.latest)
            out.append(f"| {name} | {md_status_label(r.item.status)} | {latest} | {due} |")
    return out


def _due(r: Request) -> str:
    if r.due is None:
        return "now"
    if r.late and r.asked is Asked.reading:
        return f"since {r.due} (late)"
    return f"{r.due} (late)" if r.late else str(r.due)


# --- the return form's rows ---------------------------------------------------------------------

PREFILLED = (
    "id",
    "type",
    "kind",
    "title",
    "owner",
    "unit",
    "target",
    "this_year_target",
    "last_value",
    "last_date",
    "due",
    "period",
)
TO_FILL = ("value", "date", "note", "rag", "summary", "next_steps", "risks", "asks", "by")
FORM_COLUMNS = PREFILLED + TO_FILL
"""The return form's columns: what lcrplan fills in, then what the owner does. `lcrplan import`
reads any file with an `id` column and some of the others."""


def form_rows(
    owners: Sequence[OwnerRequests], period: Period
) -> list[tuple[str | float | dt.date | None, ...]]:
    """The return form's rows (FORM_COLUMNS), one per item asked about."""
    rows = []
    for found in owners:
        for r in found.requests:
            i = r.item
            year = i.year_target
            rows.append(
                (
                    i.id,
                    i.type.value,
                    i.kind,
                    i.title,
                    found.owner.name,
                    i.unit,
                    i.target,
                    f"{year.text} by {year.date}" if year else None,
                    i.latest.value if i.latest else None,
                    i.latest.date if i.latest else None,
                    r.due,
                    period.label,
                    *([None] * len(TO_FILL)),
                )
            )
    return rows


def number_text(value: float | None) -> str:
    """A last value as the CSV form writes it: plain digits, no separators."""
    return "" if value is None else format_number(value).replace(",", "")
