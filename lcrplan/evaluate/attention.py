"""What needs attention, and why, in one table of rules (`RULES`): every command, the report and
the site take an item's concern and its reason from here, and `summary` counts them.

An item needs attention for the first rule that applies, in this order (README, "What needs
attention"):

1. overdue: a deliverable (or a goal with no KPI) past its own due date, not met;
2. reading overdue: a KPI never reported though its first reading fell due (one period after
   the later of its start and the day tracking of its plan began), or two readings or more
   missed since its last;
3. off track: behind the pace its target needs, worsening, or a goal behind a KPI's date;
4. owner and data disagree: the owner says green and the data says overdue, off track or
   worsening, or red and the data says on track, improving or done;
5. at risk: behind pace but within reach;
6. due soon: due within `due_soon_days`;
7. stale: the next reading fell due by the KPI's own rhythm and has not come.

A one-off figure (`frequency: once`) is never stale and no reading of it falls due; a context
entry is not an item at all. The reason is one sentence a board member can read aloud.

Pure and low in the pipeline: `evaluate` calls `judge` on each item it builds (through the
`Judged` protocol, so this module needs nothing of `evaluate`), and the lists below take any
items that carry `attention`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..core.statuses import CLOSED, Flag, Status
from ..core.vocabulary import Frequency
from .cadence import missed, rhythm_words, span_words
from .forecast import Forecast, forecast_words

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

FULL_TABLE_LIMIT = 150
"""`status` shows every item up to this many; above it, a summary and the most urgent."""
ATTENTION_LIMIT = 25
"""Rows of the summary's "needs attention" table."""
PLAIN_LIMIT = FULL_TABLE_LIMIT * 4
"""`status --all` above this many items prints a plain text table: the coloured one is laid out
row by row, and a screenful past this is for searching, not reading."""


class Concern(StrEnum):
    """Why an item needs attention, in the order the rules are tried."""

    overdue = "overdue"
    reading_overdue = "reading_overdue"
    off_track = "off_track"
    disagrees = "disagrees"
    at_risk = "at_risk"
    due_soon = "due_soon"
    stale = "stale"


@dataclass(frozen=True, slots=True)
class Need:
    """Why one item needs attention: the first rule that applies, in a sentence."""

    concern: Concern
    reason: str
    """One sentence: "never reported: the first reading was due on 2025-04-03; reported
    every 92 days"."""
    since: dt.date | None = None
    """When it fell due (a due date, a reading's due date), where that orders a list."""

    @property
    def title(self) -> str:
        """The rule's heading: "Reading overdue"."""
        return RULE_OF[self.concern].title


class Dated(Protocol):
    @property
    def date(self) -> dt.date: ...


class Judged(Protocol):
    """What the rules read of an evaluated goal or KPI (`evaluate.ItemStatus`)."""

    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def reason(self) -> str: ...
    @property
    def flags(self) -> tuple[Flag, ...]: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def latest(self) -> Dated | None: ...
    @property
    def next_reading(self) -> dt.date | None: ...
    @property
    def frequency(self) -> Frequency | None: ...
    @property
    def disagreement(self) -> str | None: ...
    @property
    def forecast(self) -> Forecast | None: ...
    @property
    def progress(self) -> float | None: ...


class Attended(Protocol):
    """An item that carries its `Need` (`evaluate.ItemStatus` once judged)."""

    @property
    def id(self) -> str: ...
    @property
    def counted(self) -> bool: ...
    @property
    def attention(self) -> Need | None: ...
    @property
    def progress(self) -> float | None: ...
    @property
    def due(self) -> dt.date | None: ...


@dataclass(frozen=True)
class AttentionRule:
    """One rule of what needs attention: when it applies, its heading, how its list is
    ordered, and the sentence it gives an item."""

    concern: Concern
    title: str
    """The heading of its list: "Reading overdue"."""
    when: str
    """When it applies, in words (the README's table)."""
    order: str
    """How its list is ordered, in words."""
    reason: Callable[[Judged, dt.date, int], Need | None]
    """The item's `Need` when the rule applies (item, as-of, `stale_days`), else None."""
    key: Callable[[Attended], SupportsRichComparison]
    """Sorts its list."""


def _overdue(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if item.status is not Status.overdue:
        return None
    return Need(Concern.overdue, _sentence(item.reason), item.due)


def _reading_overdue(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    due = item.next_reading
    if due is None or due >= as_of or item.status in CLOSED:
        return None
    rhythm = rhythm_words(item.frequency, stale_days)
    if Flag.never_reported in item.flags:
        text = f"never reported: the first reading was due on {due}; {rhythm}"
        if Flag.due_soon in item.flags and item.due is not None:  # said here, listed once
            text += f"; the target itself is due on {item.due}, {_when(item.due, as_of)}"
        return Need(Concern.reading_overdue, text, due)
    latest = item.latest
    count = missed(due, as_of, item.frequency, stale_days)
    if latest is None or count < 2:
        return None
    text = (
        f"no reading for {span_words(latest.date, as_of)} (since {latest.date}); {rhythm}, "
        f"so {count} readings are missing"
    )
    return Need(Concern.reading_overdue, text, due)


_OFF = frozenset({Status.behind, Status.off_track, Status.worsening})


def _off_track(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if item.status not in _OFF:
        return None
    return Need(Concern.off_track, _with_course(item), item.due)


def _disagrees(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if item.disagreement is None:
        return None
    return Need(Concern.disagrees, item.disagreement, None)


def _at_risk(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if item.status is not Status.at_risk:
        return None
    return Need(Concern.at_risk, _with_course(item), item.due)


def _due_soon(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if Flag.due_soon not in item.flags or item.due is None:
        return None
    text = f"due on {item.due}, {_when(item.due, as_of)}"
    if item.kind == "milestone":
        text += ", not done yet"
    elif item.type == "kpi":
        text += f"; {_sentence(item.reason)}"
    return Need(Concern.due_soon, text, item.due)


def _when(due: dt.date, as_of: dt.date) -> str:
    left = (due - as_of).days
    return "today" if left == 0 else f"in {left} day{'s' * (left != 1)}"


def _stale(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    if Flag.stale not in item.flags or item.latest is None:
        return None
    rhythm = rhythm_words(item.frequency, stale_days)
    text = f"no reading for {span_words(item.latest.date, as_of)}; {rhythm}"
    return Need(Concern.stale, text, item.next_reading)


def _sentence(reason: str) -> str:
    return reason.rstrip(". ")


def _with_course(item: Judged) -> str:
    """The status reason, and where a numeric KPI is heading when the reason does not say."""
    text = _sentence(item.reason)
    if item.forecast is not None and "at this pace" not in text:
        text += f"; {forecast_words(item.forecast)}"
    return text


def _by_since(item: Attended) -> tuple[int, str]:
    need = item.attention
    since = need.since if need and need.since else dt.date.max
    return since.toordinal(), item.id


def _by_progress(item: Attended) -> tuple[float, str]:
    return item.progress if item.progress is not None else 2.0, item.id


def _latest_due_first(item: Attended) -> tuple[int, str]:
    return -(item.due.toordinal() if item.due else 0), item.id


RULES: tuple[AttentionRule, ...] = (
    AttentionRule(
        Concern.overdue,
        "Overdue",
        "a deliverable (a milestone, a numeric target, a goal with no KPI) is past its own due "
        "date and not met",
        "most recently due first",
        _overdue,
        _latest_due_first,
    ),
    AttentionRule(
        Concern.reading_overdue,
        "Reading overdue",
        "a KPI has never been reported though its first reading fell due (one reporting period "
        "after the later of its start and the day tracking of its plan began), or two readings "
        "or more are missing since its last",
        "longest overdue first",
        _reading_overdue,
        _by_since,
    ),
    AttentionRule(
        Concern.off_track,
        "Behind or off track",
        "a KPI is behind the pace its target needs (off track), worsening, or a goal not yet due "
        "has a KPI past that KPI's due date (behind)",
        "least progress first",
        _off_track,
        _by_progress,
    ),
    AttentionRule(
        Concern.disagrees,
        "Owner and data disagree",
        "the owner's latest update says green while the data says overdue, off track or "
        "worsening, or red while it says on track, improving or done",
        "in plan order",
        _disagrees,
        lambda item: 0,
    ),
    AttentionRule(
        Concern.at_risk,
        "At risk",
        "a KPI is behind the pace its target needs but within reach",
        "least progress first",
        _at_risk,
        _by_progress,
    ),
    AttentionRule(
        Concern.due_soon,
        "Due soon",
        "due within `due_soon_days` (30) of the as-of date, not yet met",
        "soonest first",
        _due_soon,
        lambda item: ((item.due or dt.date.max).toordinal(), item.id),
    ),
    AttentionRule(
        Concern.stale,
        "Stale",
        "a KPI's next reading fell due by its own rhythm (`frequency`, else `stale_days`) and "
        "has not come; a one-off figure (`frequency: once`) never is",
        "longest overdue first",
        _stale,
        _by_since,
    ),
)
RULE_OF = {rule.concern: rule for rule in RULES}


def judge(item: Judged, as_of: dt.date, stale_days: int) -> Need | None:
    """The first rule that applies to `item` at `as_of`, or None: nothing needs attention."""
    if item.status in CLOSED:
        return None
    for rule in RULES:
        found = rule.reason(item, as_of, stale_days)
        if found is not None:
            return found
    return None


def is_due_soon(status: Status, due: dt.date | None, as_of: dt.date, days: int) -> bool:
    """The due-soon rule: an item not closed (done, paused, dropped) that is due from `as_of`
    to `days` days after it."""
    return status not in CLOSED and due is not None and as_of <= due <= as_of + dt.timedelta(days)


# --- lists of items --------------------------------------------------------------------------

A = TypeVar("A", bound=Attended)


def needs_attention(items: Iterable[A]) -> list[A]:
    """The items that need attention, each once, in plan order. Items are counted as `summary`
    counts them: goals with KPIs are not."""
    return [i for i in items if i.counted and i.attention is not None]


def by_concern(items: Iterable[A]) -> dict[Concern, list[A]]:
    """Every concern (in rule order) with its items, each list in its rule's order."""
    lists: dict[Concern, list[A]] = {rule.concern: [] for rule in RULES}
    for item in needs_attention(items):
        assert item.attention is not None
        lists[item.attention.concern].append(item)
    return {c: sorted(found, key=RULE_OF[c].key) for c, found in lists.items()}


def most_urgent(items: Sequence[A], limit: int) -> list[A]:
    """The `limit` most urgent of `items` (by rule, then each rule's order), still in plan
    order."""
    order = [i for found in by_concern(items).values() for i in found]
    chosen = {i.id for i in order[:limit]}
    return [i for i in items if i.id in chosen]


class Due(Protocol):
    @property
    def counted(self) -> bool: ...
    @property
    def status(self) -> Status: ...
    @property
    def due(self) -> dt.date | None: ...


D = TypeVar("D", bound=Due)


def late_and_due_soon(items: Sequence[D], as_of: dt.date, days: int) -> tuple[list[D], list[D]]:
    """What `overdue` lists: the items past their own due date, then those due within `days`
    days (the due-soon rule with a window of its own), each in plan order so that they can be
    shown under their goals. Items are counted as `summary` counts them (a goal with KPIs is
    listed through its KPIs, never as overdue before its own date)."""
    counted = [i for i in items if i.counted]
    late = [i for i in counted if i.status is Status.overdue]
    soon = [
        i
        for i in counted
        if i.status is not Status.overdue and is_due_soon(i.status, i.due, as_of, days)
    ]
    return late, soon


class View(StrEnum):
    """How `status` shows a scorecard in the terminal."""

    full = "full"
    """Every item in the table."""
    summary = "summary"
    """Counts by plan and sub-group, then the most urgent items."""
    plain = "plain"
    """Every item, as a plain text table (`--all` on very many)."""


def status_view(items: int, every_row: bool) -> View:
    """The view for a scorecard of `items` items (`every_row`: `--all` was given)."""
    if every_row and items > PLAIN_LIMIT:
        return View.plain
    if every_row or items <= FULL_TABLE_LIMIT:
        return View.full
    return View.summary
