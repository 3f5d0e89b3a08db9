"""Edits to the data, one item at a time: a reading, a milestone done, a goal's state, an owner's
update. Each finds the file that defines the item, makes the change in it (keeping everything
else byte for byte), checks the data set with the new text, and replaces the file, all under
the file's lock; each returns the file's text before and after (`FileEdit`: `.changed`,
`.diff()`).

`today` is the day the edit is made: a date given must not be after it. `dry_run`: check the
change and return it without writing. `cache`: find the item through the data folder's cache
of ids, and keep it up to date (as the command line does); without it nothing else is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .arguments import BadArgument, past_date

if TYPE_CHECKING:
    from ..core.vocabulary import Confidence, GoalState, ItemType, Rag
    from ..edits.file_edit import FileEdit
    from ..edits.target import Target

Folder = str | os.PathLike[str]


def record(
    folder: Folder,
    kpi_id: str,
    value: str | float,
    *,
    today: dt.date,
    date: dt.date | None = None,
    note: str | None = None,
    source: str | None = None,
    text: str | None = None,
    replace: bool = False,
    provisional: bool = False,
    revise: str | None = None,
    dry_run: bool = False,
    cache: bool = False,
) -> FileEdit:
    """Add a reading of `value` to a KPI on `date` (default `today`); `text`: the figure as
    worded (`£1bn`); `revise`: the reason the figure already recorded on `date` is revised
    (the new one is added after it, dated `today`); `replace`: overwrite a reading already on
    that date."""
    from ..core.vocabulary import ItemType
    from ..edits import file_edit

    target = _target(folder, kpi_id, ItemType.kpi, today, cache)
    when = past_date(date, today)
    if revise is not None and replace:
        raise BadArgument("a revision keeps the figure it revises", "replace")
    try:
        number, worded = file_edit.measured_value(kpi_id, target.kpi.kind, str(value), text)
    except file_edit.Refused as exc:
        raise BadArgument(str(exc), "kpi_id" if exc.about == "id" else exc.about) from None
    entry = {"date": when, "value": number, "text": worded, "note": note, "source": source}
    entry |= {"provisional": True if provisional else None}
    if revise is not None:
        entry |= {"written": today, "revised": revise}
    return _write(
        target,
        lambda t, rel: file_edit.add_measurement(t, rel, kpi_id, entry, replace),
        dry_run,
    )


def done(
    folder: Folder,
    kpi_id: str,
    *,
    today: dt.date,
    date: dt.date | None = None,
    note: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    cache: bool = False,
) -> FileEdit:
    """Mark a milestone KPI done on `date` (default `today`); `replace`: change the date or
    note of a milestone already done."""
    from ..core.vocabulary import ItemType
    from ..edits import file_edit

    target = _target(folder, kpi_id, ItemType.kpi, today, cache)
    try:
        file_edit.refuse_done(kpi_id, target.kpi.kind)
    except file_edit.Refused as exc:
        raise BadArgument(str(exc), "kpi_id") from None
    entry = {"date": past_date(date, today), "note": note}
    return _write(
        target, lambda t, rel: file_edit.mark_done(t, rel, kpi_id, entry, replace), dry_run
    )


def set_state(
    folder: Folder,
    goal_id: str,
    state: GoalState | str,
    *,
    today: dt.date,
    reason: str | None = None,
    dry_run: bool = False,
    cache: bool = False,
) -> FileEdit:
    """Set a goal's state: `active`, `paused` or `dropped` (those two with a `reason`, unless
    the goal has one already)."""
    from ..core.vocabulary import GoalState, ItemType
    from ..edits import file_edit

    new = GoalState(state)
    target = _target(folder, goal_id, ItemType.goal, today, cache)
    if reason and not new.needs_reason:
        raise BadArgument(
            "an active goal has no reason; --reason is for paused or dropped", "reason"
        )
    if new.needs_reason and not (reason or target.goal.state_reason):
        raise BadArgument(
            f'a {new.value} goal needs a reason: add --reason "..." saying why', "reason"
        )
    return _write(
        target, lambda t, rel: file_edit.set_goal_state(t, rel, goal_id, new, reason), dry_run
    )


def update(
    folder: Folder,
    item_id: str,
    *,
    summary: str,
    by: str,
    today: dt.date,
    rag: Rag | str | None = None,
    confidence: Confidence | str | None = None,
    next_steps: str | None = None,
    risks: str | None = None,
    asks: str | None = None,
    period: str | None = None,
    date: dt.date | None = None,
    replace: bool = False,
    dry_run: bool = False,
    cache: bool = False,
) -> FileEdit:
    """Add an owner's update to a goal or KPI: their `rag` rating (or `confidence`) and
    commentary for a `period` (default: the item's reporting period holding `date`), written
    `by` a person (their id, or their name as the data gives it)."""
    from ..core.periods import parse_period, period_of
    from ..core.vocabulary import Confidence, Rag
    from ..edits import file_edit
    from ..evaluate.cadence import frequency_of
    from ..loader.index import UnknownPerson, person_id

    if (rag is None) == (confidence is None):
        raise BadArgument("give --rag or --confidence (one of them)", "rag")
    target = _target(folder, item_id, None, today, cache)
    try:
        by = person_id(target.people, by)
    except UnknownPerson as exc:
        raise BadArgument(str(exc), "by") from None
    when = past_date(date, today)
    if period is None:
        frequency = frequency_of(getattr(target.item, "frequency", None), target.plan)
        label = period_of(when, frequency).label
    else:
        try:
            label = parse_period(period).label
        except ValueError as exc:
            raise BadArgument(str(exc), "period") from None
    entry = {
        "period": label,
        "date": when,
        "by": by,
        "rag": Rag(rag).value if rag else None,
        "confidence": Confidence(confidence).value if confidence else None,
        "summary": summary,
        "next_steps": next_steps,
        "risks": risks,
        "asks": asks,
    }
    return _write(
        target, lambda t, rel: file_edit.add_update(t, rel, item_id, entry, replace), dry_run
    )


def _target(
    folder: Folder, item_id: str, want: ItemType | None, today: dt.date, cache: bool
) -> Target:
    """The KPI or goal (`want`; None: either) to edit; `BadArgument` for an unknown or wrong
    id, `LcrplanError` when the data set has errors."""
    from ..core.vocabulary import ItemType
    from ..edits.target import NotFound, find_target

    try:
        return find_target(Path(folder), item_id, want, today, use_cache=cache)
    except NotFound as exc:
        about = (
            "kpi_id" if want is ItemType.kpi else "goal_id" if want is ItemType.goal else "item_id"
        )
        raise BadArgument(str(exc), about) from None


def _write(target: Target, change_text: Callable[[str, str], str], dry_run: bool) -> FileEdit:
    """Edit the target's file, check the result and (unless `dry_run`) write it."""
    from ..edits import file_edit

    rel = target.rel
    change = file_edit.apply(target.path, rel, lambda t: change_text(t, rel), target.check, dry_run)
    if change.changed and not dry_run:
        target.written()
    return change
