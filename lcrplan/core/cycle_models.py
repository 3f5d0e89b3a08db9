"""The update cycle's models: how often an item is reported, the targets on the way to its own,
owners' updates and reviews.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from .vocabulary import Confidence, Frequency, Rag

if TYPE_CHECKING:
    pass
from .model_base import (
    MULTI_LINE_PATTERN,
    Constraints,
    Finite,
    Model,
    MultiLine,
    SingleLine,
    Slug,
    Source,
    Text,
    model,
)


@model
class FrequencySpec(Model):
    """How often an item is reported, with the document's words and where it says so."""

    every: Frequency
    """monthly, quarterly, half_yearly, annual or biennial."""
    text: SingleLine | None = None
    """The document's own wording, e.g. "Bi-annual reviews of implementation progress"."""
    note: MultiLine | None = None
    """How the wording was read, where it allows several readings."""
    source: Source | None = None
    """Where the document sets the frequency."""


FrequencyField = Annotated[
    Frequency | FrequencySpec,
    Constraints(
        {
            "description": "How often it is reported: a word, or {every, text, note, source} "
            "when a document states it.",
            "examples": ["quarterly", {"every": "annual", "text": "Reported each year"}],
        }
    ),
]


@model
class InterimTarget(Model):
    """A dated value on the way from the baseline to the end target (e.g. one financial
    year's target)."""

    date: dt.date
    """The day the value is due (the end of that day)."""
    value: Finite
    """The value to reach by then."""
    text: SingleLine | None = None
    """The value as worded, e.g. "£3M"."""
    note: MultiLine | None = None
    """How the document's wording was read."""
    source: Source | None = None
    """Where the document sets it."""


PERIOD_PATTERN = r"^(FY)?[0-9]{4}-[0-9]{2}( (Q[1-4]|H[12]))?$"

Period = Annotated[
    str,
    Constraints(
        {
            "description": "The period an update covers: a month (2026-11), a financial year "
            "(2026-27, April to March), its quarter (2026-27 Q3) or half (2026-27 H1), or two "
            "financial years (2026-28).",
            "examples": ["2026-27 Q3", "2026-11"],
        },
        pattern=PERIOD_PATTERN,
    ),
]

Paragraph = Annotated[str, Constraints(min_length=1, pattern=MULTI_LINE_PATTERN)]


@model
class OwnerUpdate(Model):
    """An owner's own account of a goal or KPI for one reporting period, beside the data."""

    period: Period
    """The period it covers; one update per period (`lcrplan update --replace` changes it)."""
    date: dt.date
    """When it was written (not in the future)."""
    by: Slug
    """Id of the person who wrote it."""
    rag: Rag | None = None
    """The owner's own rating: red, amber or green."""
    confidence: Confidence | None = None
    """Or the owner's confidence of delivery: low, medium or high."""
    summary: Paragraph
    """What happened."""
    next_steps: MultiLine | None = None
    """What is next."""
    risks: MultiLine | None = None
    """Risks or issues."""
    asks: MultiLine | None = None
    """What the owner needs from the board."""

    def __post_init__(self) -> None:
        if self.rag is None and self.confidence is None:
            raise ValueError("an update needs 'rag' (red, amber, green) or 'confidence'")

    @property
    def rating(self) -> Rag:
        """The RAG rating, or the one the confidence stands for."""
        if self.rag is not None:
            return self.rag
        assert self.confidence is not None
        return self.confidence.rag


@model
class Review(Model):
    """How a document says its plan will be reviewed, in its own words: a review of the plan
    itself (is it still right?), which sets no date for a KPI's readings, unlike `frequency`."""

    text: Text
    """The document's own wording, e.g. "will be regularly reviewed for potency"."""
    every: Frequency | None = None
    """Only where the document states how often (monthly, quarterly, half_yearly, annual,
    biennial); "regularly" states no interval, so none is given."""
    note: MultiLine | None = None
    """How the wording was read."""
    source: Source
    """Where the document says so."""
