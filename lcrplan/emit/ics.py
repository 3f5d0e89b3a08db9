"""Due dates and reporting deadlines as an iCalendar file (RFC 5545) for Outlook and others.

One all-day event per date: each live goal's and KPI's due date, each live measured KPI's next
reading, and each live goal's next owner's update (once it has had one). Every event's UID is
made of the item's id and what falls due (`ci-inv-3-people.reading@lcrplan`), and ids never
change, so importing a newer file moves an event instead of adding a second one. The file
depends only on the data and the as-of date (DTSTAMP is the as-of date), so the same data
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..core.statuses import CLOSED, label
from ..core.vocabulary import ItemType
from ..evaluate.scorecard import ItemStatus, Scorecard
from ..loader.index import Index

DOMAIN = "lcrplan"
PRODID = "-//lcrplan//Liverpool City Region plans//EN"


@dataclass(frozen=True)
class Deadline:
    """Something due on a day: an item's due date, its next reading or its next update."""

    uid: str
    day: dt.date
    summary: str
    description: str
    item: ItemStatus


def deadlines(card: Scorecard, index: Index, owner: str | None = None) -> list[Deadline]:
    """Every deadline of the live items (only `owner`'s when given), by date then UID."""
    found = [
        d
        for item in card.items
        if item.status not in CLOSED and (owner is None or item.owner == owner)
        for d in _deadlines(item, index)
    ]
    return sorted(found, key=lambda d: (d.day, d.uid))


def _deadlines(item: ItemStatus, index: Index) -> Iterator[Deadline]:
    who = index.owners.get(item.owner or "", item.owner or "no owner")
    about = f"{item.title} ({item.id}); owner: {who}; status: {label(item.status)}"
    if item.due is not None and not item.due_from_plan:
        kind = "Goal" if item.type is ItemType.goal else "KPI"
        yield Deadline(_uid(item, "due"), item.due, f"Due: {item.title}", f"{kind} {about}", item)
    if item.next_reading is not None:
        yield Deadline(
            _uid(item, "reading"),
            item.next_reading,
            f"Reading due: {item.title}",
            f"Next reading of {about}",
            item,
        )
    if item.type is ItemType.goal and item.update is not None:
        yield Deadline(
            _uid(item, "update"),
            item.update.next_due,
            f"Update due: {item.title}",
            f"Next owner's update of {about}",
            item,
        )


def _uid(item: ItemStatus, what: str) -> str:
    return f"{item.id}.{what}@{DOMAIN}"


def calendar_bytes(found: list[Deadline], as_of: dt.date, name: str) -> bytes:
    """The deadlines as an iCalendar file."""
    from icalendar import Calendar, Event, vText

    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", vText(name))  # icalendar leaves an X- property's `;` `,` bare
    for d in found:
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.day)
        event.add("dtend", d.day + dt.timedelta(days=1))
        event.add("summary", d.summary)
        event.add("description", d.description)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        cal.add_component(event)
    return bytes(cal.to_ical())
