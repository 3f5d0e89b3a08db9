"""The words the data and the code share for what things are: kinds of KPI, goal states, file
kinds and item types, with the rules that follow from each.

A module of plain enums, light to import (the command line builds its arguments from them
before any model is loaded); `models` uses them in its fields.
"""

from __future__ import annotations

from enum import StrEnum


class KpiKind(StrEnum):
    """How a KPI is judged."""

    numeric = "numeric"
    """A number to reach."""
    milestone = "milestone"
    """Done or not."""
    indicator = "indicator"
    """A direction and no numeric target."""
    ongoing = "ongoing"
    """A commitment with no end."""

    @property
    def marked_done(self) -> bool:
        """The milestone rule: a milestone is marked done, never measured; every other kind is
        measured, never marked done."""
        return self is KpiKind.milestone

    @property
    def measured_in_numbers(self) -> bool:
        """Numeric and indicator KPIs need a number in each measurement; an ongoing one may
        be words."""
        return self in (KpiKind.numeric, KpiKind.indicator)

    @property
    def has_a_due_date(self) -> bool:
        """Whether a KPI of this kind should have a due date (an ongoing commitment or an
        indicator does not end)."""
        return self not in (KpiKind.ongoing, KpiKind.indicator)


MEASURED_KINDS = frozenset({KpiKind.numeric, KpiKind.indicator})
"""The kinds whose readings are figures: with none at all, a KPI has never been reported."""
TARGETED_KINDS = frozenset({KpiKind.numeric, KpiKind.milestone})
"""The kinds with a target to make progress towards (a goal's progress is their average)."""


class GoalState(StrEnum):
    """A goal's state, set by a person; paused and dropped override the computed status."""

    active = "active"
    paused = "paused"
    dropped = "dropped"

    @property
    def needs_reason(self) -> bool:
        """The state-reason rule: a paused or dropped goal says why; an active one has no
        reason."""
        return self is not GoalState.active


class FileKind(StrEnum):
    """Which model a data file follows."""

    directory = "directory"
    plan = "plan"
    theme = "theme"
    config = "config"


class ItemType(StrEnum):
    """What a tracked item is: a goal, or a KPI of a goal."""

    goal = "goal"
    kpi = "kpi"


class Frequency(StrEnum):
    """How often a KPI is reported (a plan can set a default for its KPIs)."""

    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half_yearly"
    """Twice a year: what the Local Industrial Strategy's "bi-annual reviews" mean."""
    annual = "annual"
    biennial = "biennial"
    """Every other year."""
    once = "once"
    """A one-off figure (a past event's result, a fact a document quotes): read once, never
    again, so it is never stale and no further reading falls due."""

    @property
    def months(self) -> int:
        """The length of one reporting period, in months (0 for `once`: it has none)."""
        return _MONTHS[self]

    @property
    def repeats(self) -> bool:
        """Whether readings recur: every frequency but `once`."""
        return self is not Frequency.once

    @property
    def words(self) -> str:
        """As a sentence says it: "reported half-yearly", "read once"."""
        return _WORDS[self]


_MONTHS = {
    Frequency.monthly: 1,
    Frequency.quarterly: 3,
    Frequency.half_yearly: 6,
    Frequency.annual: 12,
    Frequency.biennial: 24,
    Frequency.once: 0,
}
_WORDS = {
    Frequency.monthly: "reported monthly",
    Frequency.quarterly: "reported quarterly",
    Frequency.half_yearly: "reported half-yearly",
    Frequency.annual: "reported yearly",
    Frequency.biennial: "reported every two years",
    Frequency.once: "read once",
}


class Rag(StrEnum):
    """An owner's own rating of a goal or KPI: red, amber or green."""

    red = "red"
    amber = "amber"
    green = "green"


class Confidence(StrEnum):
    """An owner's confidence of delivery, where they give that instead of a RAG rating."""

    low = "low"
    medium = "medium"
    high = "high"

    @property
    def rag(self) -> Rag:
        """The RAG rating it stands for when judged beside the data."""
        return {Confidence.low: Rag.red, Confidence.medium: Rag.amber}.get(self, Rag.green)
