"""The statuses an item can have, worst first, and how each is shown: the one place to change
when a status is added, renamed or split.

A status is always shown as a word with a marker beside it, never by colour alone. Each has two
markers on purpose: the terminal's is plain ASCII (`[!!] Overdue`), because a Windows console
on a legacy code page, a CI log and `grep` all take it; the Markdown report's is a symbol
(`‼ Overdue`), because the report is UTF-8 rendered by GitHub and read in board papers, where a
symbol reads at a glance. No marker is an emoji.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The status of a goal or KPI at a date. Declared worst first: a goal takes the worst
    status of its KPIs, and lists sort by this order (`SEVERITY`)."""

    overdue = "overdue"
    off_track = "off_track"
    worsening = "worsening"
    at_risk = "at_risk"
    no_data = "no_data"
    open = "open"
    flat = "flat"
    ongoing = "ongoing"
    on_track = "on_track"
    improving = "improving"
    done = "done"
    paused = "paused"
    dropped = "dropped"


class Flag(StrEnum):
    """Something worth knowing about an item besides its status, in the order they are listed."""

    overdue = "overdue"
    due_soon = "due_soon"
    stale = "stale"
    no_data = "no_data"
    no_due_date = "no_due_date"
    stale_update = "stale_update"
    """The owner's latest update is older than the item's reporting period."""
    disagrees = "disagrees"
    """The owner's own rating contradicts the computed status (`updates.disagreement`)."""


@dataclass(frozen=True)
class Look:
    """How a status is shown."""

    label: str
    """The word: "Off track"."""
    marker: str
    """The terminal's ASCII marker, shown in brackets: `[x] Off track`."""
    symbol: str
    """The Markdown report's symbol: `✗ Off track`."""
    colour: str
    """rich's style for the terminal ("" for none): extra to the word, never instead of it."""
    gantt: str
    """The Mermaid Gantt tag that styles a timeline bar ("" for none)."""


LOOKS: dict[Status, Look] = {
    Status.overdue: Look("Overdue", "!!", "‼", "bold red", "crit"),
    Status.off_track: Look("Off track", "x", "✗", "red", "crit"),
    Status.worsening: Look("Worsening", "v", "↘", "red", "crit"),
    Status.at_risk: Look("At risk", "~", "△", "yellow", ""),
    Status.no_data: Look("No data", "?", "∅", "dim", ""),
    Status.open: Look("Open", "o", "○", "cyan", ""),
    Status.flat: Look("Flat", "=", "→", "", ""),
    Status.ongoing: Look("Ongoing", ">", "↻", "blue", ""),
    Status.on_track: Look("On track", "+", "✓", "green", "active"),
    Status.improving: Look("Improving", "^", "↗", "green", "active"),
    Status.done: Look("Done", "*", "●", "bold green", "done"),
    Status.paused: Look("Paused", "-", "‖", "dim", ""),
    Status.dropped: Look("Dropped", "-", "✕", "dim", ""),
}

SEVERITY: tuple[Status, ...] = tuple(Status)
"""Every status, worst first."""
FLAG_ORDER: tuple[Flag, ...] = tuple(Flag)
"""Every flag, in the order an item lists them."""

ATTENTION = frozenset({Status.overdue, Status.off_track, Status.worsening, Status.at_risk})
"""Statuses that need attention whatever the date."""
GOOD = frozenset({Status.on_track, Status.improving, Status.done})
"""Done, or moving as the target needs."""
NO_DATA = frozenset({Status.no_data})
"""Nothing measured to judge by yet."""
HELD = frozenset({Status.paused, Status.dropped})
"""Set by a person: the item is not judged."""
CLOSED = frozenset({Status.done, *HELD})
"""Nothing more is expected: never due soon, stale or missing data."""


def look(status: str) -> Look | None:
    """How `status` is shown; None for a word that is not a status (a template can pass any)."""
    try:
        return LOOKS[Status(status)]
    except ValueError:
        return None


def label(status: str) -> str:
    """The status in words ("Off track"); a word that is not a status, as it is."""
    found = look(status)
    return found.label if found else status
