"""Owners' updates beside the data: the latest update at a date, whether it is stale, and
whether the owner's rating disagrees with the computed status.

Pure: the date is a parameter. The disagreement rule is the one a board most needs to see:
- the owner says green while the data says overdue, off track or worsening;
- the owner says red while the data says on track, improving or done.
Amber never disagrees. A confidence stands for a rating (low red, medium amber, high green).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.cycle_models import OwnerUpdate
from ..core.periods import parse_period
from ..core.statuses import Status, label
from ..core.vocabulary import Frequency, Rag
from .cadence import is_stale, next_due

GREEN_BUT = frozenset({Status.overdue, Status.off_track, Status.worsening})
"""Computed statuses that contradict an owner's green."""
RED_BUT = frozenset({Status.on_track, Status.improving, Status.done})
"""Computed statuses that contradict an owner's red."""


@dataclass(frozen=True)
class LatestUpdate:
    """An item's latest update at a date, and whether it is older than its period."""

    update: OwnerUpdate
    stale: bool
    next_due: dt.date
    """When the next update is due."""

    def as_dict(self) -> dict[str, object]:
        fields = self.update.model_dump(mode="json", exclude_none=True)
        return fields | {"rating": self.update.rating.value, "stale": self.stale}


def counts_from(update: OwnerUpdate) -> dt.date:
    """The day an update counts from: the day it was written, or the end of the period it is
    for when it was written after that (an update for 2026-11 written on 2026-12-04 is
    November's, in November's report and at `--as-of 2026-11-30`)."""
    try:
        end = parse_period(update.period).end
    except ValueError:  # reported by validation; judging must not fail on it
        return update.date
    return min(update.date, end)


def latest(updates: Sequence[OwnerUpdate], as_of: dt.date) -> OwnerUpdate | None:
    """The update for the latest period that counts by `as_of` (`counts_from`); of two for
    one period, the one written later."""
    shown = [u for u in updates if counts_from(u) <= as_of]
    if not shown:
        return None
    return max(shown, key=lambda u: (_period_start(u.period), u.date))


def _period_start(text: str) -> dt.date:
    try:
        return parse_period(text).start
    except ValueError:  # reported by validation; ordering must not fail on it
        return dt.date.min


def latest_update(
    updates: Sequence[OwnerUpdate], as_of: dt.date, frequency: Frequency | None, stale_days: int
) -> LatestUpdate | None:
    """The latest update at `as_of`, judged stale by the item's frequency (`cadence`), from
    the day it counts from."""
    found = latest(updates, as_of)
    if found is None:
        return None
    since = counts_from(found)
    return LatestUpdate(
        found,
        is_stale(since, as_of, frequency, stale_days),
        next_due(since, frequency, stale_days),
    )


def disagreement(rating: Rag, status: Status) -> str | None:
    """`owner says Green; data says Overdue` when the rating contradicts the status, else None."""
    if (rating is Rag.green and status in GREEN_BUT) or (rating is Rag.red and status in RED_BUT):
        return f"owner says {rating.value.capitalize()}; data says {label(status)}"
    return None
