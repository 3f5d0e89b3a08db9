"""What a pull request changes, as `lcrplan diff` shows it: the comparison's sections (goalposts
first) and each change as the pieces of its line, in plain records (the Markdown template's
context, and the plain text's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..evaluate.diff import (
    TYPE_LABELS,
    Changes,
    Difference,
    FieldChange,
    PresenceChange,
    ReadingChange,
    Rename,
    Side,
    StatusChange,
)


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One change: its `kind` (`status`, `item`, `rename`, `reading` or `field`), the item it
    is about (`id`, `type` as words: `KPI`, `goal`) and what its line says."""

    kind: str
    id: str
    type: str
    title: str = ""
    old: str | None = None
    """The value, status (its key: `on_track`) or id before; None for a value too long to
    show (a field) or absent (a reading added)."""
    new: str | None = None
    field: str = ""
    """The field changed: a name of the data's schema (`target`, `interim_targets`)."""
    note: str = ""
    """How far a goalpost moved: `456 days earlier`, `lowered`."""
    reason: str = ""
    """Why a status changed, or why a figure was revised."""
    added: bool = False
    """An item added (else removed)."""
    status: str = ""
    """An item's status key: after, if added; before, if removed."""
    date: str = ""
    """A reading's date."""
    change: str = ""
    """A reading's change: `added`, `changed`, `removed` or `revised`."""


@dataclass(frozen=True, slots=True)
class ChangeSection:
    """A section of the changes: its `key` (`goalposts`, `statuses`, `added`, `removed`,
    `renamed`, `measurements`, `owners`, `other`), heading and lines."""

    key: str
    heading: str
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True, slots=True)
class ChangesView:
    """Everything `lcrplan diff` shows: the two sides (`base`, `head`: a revision's name, or
    `the working tree`; `head_named`: HEAD is a revision), the date both are judged at, notes
    and the sections, goalposts first (empty ones included)."""

    base: str
    head: str
    head_named: bool
    as_of: dt.date
    notes: tuple[str, ...]
    empty: bool
    sections: tuple[ChangeSection, ...]


def changes_view(changes: Changes, base: Side, head: Side) -> ChangesView:
    """The changes between `base` and `head` as plain records."""
    return ChangesView(
        base=base.label,
        head=head.label,
        head_named=head.rev is not None,
        as_of=changes.as_of,
        notes=changes.notes,
        empty=changes.empty,
        sections=tuple(
            ChangeSection(key, heading, tuple(change_line(key, c) for c in found))
            for key, heading, found in changes.sections()
        ),
    )


def change_line(key: str, change: Difference) -> ChangeLine:
    """One change of the section `key` as a line's pieces."""
    if isinstance(change, StatusChange):
        kind = TYPE_LABELS[change.type]
        return ChangeLine(
            "status",
            change.id,
            kind,
            old=str(change.old),
            new=str(change.new),
            reason=change.reason,
        )
    if isinstance(change, PresenceChange):
        status = str(change.status) if change.status else ""
        return ChangeLine(
            "item",
            change.id,
            TYPE_LABELS[change.type],
            change.title,
            added=key == "added",
            status=status,
        )
    if isinstance(change, Rename):
        kind = TYPE_LABELS[change.type]
        return ChangeLine("rename", change.new_id, kind, change.title, change.old_id, change.new_id)
    if isinstance(change, ReadingChange):
        return ChangeLine(
            "reading",
            change.kpi,
            TYPE_LABELS["kpi"],
            old=change.old,
            new=change.new,
            reason=change.reason or "",
            date=change.date,
            change=change.change,
        )
    assert isinstance(change, FieldChange)
    return ChangeLine(
        "field",
        change.id,
        TYPE_LABELS[change.type],
        old=change.old,
        new=change.new,
        field=change.field,
        note=change.note,
    )
