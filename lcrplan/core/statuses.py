"""The statuses an item can have, worst first, and how each is shown: the one place to change
when a status is added, renamed or split.

A status is always shown as a word with a marker beside it, never by colour alone. Each has two
markers on purpose: the terminal's is plain ASCII (`[!!] Overdue`), because a Windows console
on a legacy code page, a CI log and `grep` all take it; the Markdown report's is a symbol
(`‼ Overdue`), because the report is UTF-8 rendered by GitHub and read in board papers, where a
symbol reads at a glance. No marker is an emoji.

Pages and charts (HTML, SVG) draw each status as a shape of its own, defined here beside the
word: `Shape` is its outline in a 14-unit box centred on 0,0, filled or stroked, and its tone
(bad, warn, good, neutral) picks a colour the chart code owns. No two statuses share a shape,
so a page printed in black and white still tells them apart, and the word always stands beside.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The status of a goal or KPI at a date. Declared worst first: a goal takes the worst
    status of its KPIs, and lists sort by this order (`SEVERITY`)."""

    overdue = "overdue"
    """Past its own due date and not met."""
    behind = "behind"
    """A goal not yet due with a KPI past that KPI's due date: never called overdue early."""
    off_track = "off_track"
    worsening = "worsening"
    at_risk = "at_risk"
    not_reported = "not_reported"
    """A KPI with no reading at all."""
    baseline_only = "baseline_only"
    """A KPI with readings on one date only, or none after its baseline: no pace or trend yet."""
    open = "open"
    flat = "flat"
    ongoing = "ongoing"
    on_track = "on_track"
    improving = "improving"
    done = "done"
    no_kpi = "no_kpi"
    """A goal with no KPI of its own or used: nothing to measure it by (not missing data)."""
    paused = "paused"
    dropped = "dropped"


class Flag(StrEnum):
    """Something worth knowing about an item besides its status, in the order they are listed."""

    overdue = "overdue"
    kpi_overdue = "kpi_overdue"
    """A goal with at least one KPI past its due date (its reason says how many)."""
    due_soon = "due_soon"
    never_reported = "never_reported"
    """A KPI with no reading at all, though its first reading fell due (`next_reading`)."""
    stale = "stale"
    """A KPI whose next reading fell due and has not come (by its own `frequency`)."""
    no_due_date = "no_due_date"
    stale_update = "stale_update"
    """The owner's latest update is older than the item's reporting period."""
    disagrees = "disagrees"
    """The owner's own rating contradicts the computed status (`updates.disagreement`)."""


@dataclass(frozen=True)
class Shape:
    """A status's mark as SVG: a path in a 14-unit box centred on 0,0 (-7 to 7 each way)."""

    path: str
    stroke: float = 0.0
    """0: the path is filled; otherwise it is drawn as a line this wide (unfilled)."""
    tone: str = "neutral"
    """`bad`, `warn`, `good` or `neutral`: the colour family, never the only sign."""


# Each echoes the Markdown symbol: an octagon (stop) for overdue, a check for on track.
_OCTAGON = "M-3-6.5H3L6.5-3V3L3 6.5H-3L-6.5 3V-3Z"
_RING = "M-5.5 0a5.5 5.5 0 1 0 11 0a5.5 5.5 0 1 0-11 0"
SHAPES: dict[Status, Shape] = {
    Status.overdue: Shape(_OCTAGON, tone="bad"),
    Status.behind: Shape("M-6.5 0L5.5-6.5V6.5Z", tone="bad"),
    Status.off_track: Shape("M-5-5L5 5M5-5L-5 5", 3.5, "bad"),
    Status.worsening: Shape("M-5.5-5.5L5 5M5.5-1V5.5H-1", 2.5, "bad"),
    Status.at_risk: Shape("M0-6.5L6.75 5.5H-6.75Z", tone="warn"),
    Status.not_reported: Shape("M-4.5 0a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0-9 0M-6 6L6-6", 2),
    Status.baseline_only: Shape("M-6.5-2.25h13v4.5h-13z"),
    Status.open: Shape(_RING, 2.5),
    Status.flat: Shape("M-6.5 0H5.5M1.5-4.5L6 0L1.5 4.5", 2.5),
    Status.ongoing: Shape("M4.8 2.2A5.2 5.2 0 1 1 3.9-3.4M5.6-6.6L4.2-3.1L0.6-4.2", 2.25),
    Status.on_track: Shape("M-5.5 0.5L-1.75 4.5L5.5-4.5", 3, "good"),
    Status.improving: Shape("M-5.5 5.5L5-5M-1-5.5H5.5V1", 2.5, "good"),
    Status.done: Shape("M-6.25 0a6.25 6.25 0 1 0 12.5 0a6.25 6.25 0 1 0-12.5 0", tone="good"),
    Status.no_kpi: Shape("M0-6.5L6.5 0L0 6.5L-6.5 0Z", 2),
    Status.paused: Shape("M-5.5-6h4v12h-4zM1.5-6h4v12h-4z"),
    Status.dropped: Shape("M-5.5-5.5h11v11h-11zM-5.5 5.5L5.5-5.5", 1.75),
}
"""Every status's shape: sixteen outlines, no two alike."""
UNKNOWN_SHAPE = Shape("M-5-5h10v10h-10z")
"""A square, for a word that is not a status (a template can pass any)."""


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
    Status.behind: Look("Behind", "<", "◁", "red", "crit"),
    Status.off_track: Look("Off track", "x", "✗", "red", "crit"),
    Status.worsening: Look("Worsening", "v", "↘", "red", "crit"),
    Status.at_risk: Look("At risk", "~", "△", "yellow", ""),
    Status.not_reported: Look("Not reported", "?", "∅", "dim", ""),
    Status.baseline_only: Look("Baseline only", ".", "◦", "", ""),
    Status.open: Look("Open", "o", "○", "cyan", ""),
    Status.flat: Look("Flat", "=", "→", "", ""),
    Status.ongoing: Look("Ongoing", ">", "↻", "blue", ""),
    Status.on_track: Look("On track", "+", "✓", "green", "active"),
    Status.improving: Look("Improving", "^", "↗", "green", "active"),
    Status.done: Look("Done", "*", "●", "bold green", "done"),
    Status.no_kpi: Look("No KPI", "/", "◇", "dim", ""),
    Status.paused: Look("Paused", "-", "‖", "dim", ""),
    Status.dropped: Look("Dropped", "-", "✕", "dim", ""),
}
_LOOKS_BY_WORD: dict[str, Look] = {status.value: look for status, look in LOOKS.items()}
"""The same, by the status's word (a template passes plain text)."""

SEVERITY: tuple[Status, ...] = tuple(Status)
"""Every status, worst first."""
FLAG_ORDER: tuple[Flag, ...] = tuple(Flag)
"""Every flag, in the order an item lists them."""

GOOD = frozenset({Status.on_track, Status.improving, Status.done})
"""Done, or moving as the target needs."""
HELD = frozenset({Status.paused, Status.dropped})
"""Set by a person: the item is not judged."""
CLOSED = frozenset({Status.done, *HELD})
"""Nothing more is expected: never due soon, stale or missing data."""


def look(status: str) -> Look | None:
    """How `status` is shown; None for a word that is not a status (a template can pass any)."""
    return _LOOKS_BY_WORD.get(status)


def shape(status: str) -> Shape:
    """How `status` is drawn (`UNKNOWN_SHAPE` for a word that is not a status)."""
    found = _SHAPES_BY_WORD.get(status)
    return found if found is not None else UNKNOWN_SHAPE


_SHAPES_BY_WORD: dict[str, Shape] = {status.value: found for status, found in SHAPES.items()}


def label(status: str) -> str:
    """The status in words ("Off track"); a word that is not a status, as it is."""
    found = look(status)
    return found.label if found else status


def parse_status(text: str) -> Status | None:
    """The status a user typed, in any case, as its key or its word (`on_track`, `On track`,
    `on-track`); None if it is none."""
    key = "_".join(text.replace("-", " ").replace("_", " ").split()).casefold()
    try:
        return Status(key)
    except ValueError:
        return None
