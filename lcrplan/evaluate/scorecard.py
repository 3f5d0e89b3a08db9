"""Evaluate a data set at a date: statuses, progress, flags and a one-line reason for each item.

Pure: the date is a parameter, nothing is read from disk or the clock. Measurements dated after
`as_of` are ignored, so any past date can be replayed exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from ..core.model_base import DateSpec
from ..core.models import (
    AnyKpi,
    DataSet,
    Goal,
    IndicatorKpi,
    Measurement,
    MilestoneKpi,
    NumericKpi,
    Plan,
    Range,
)
from ..core.settings import Config
from ..core.statuses import CLOSED, FLAG_ORDER, HELD, SEVERITY, Flag, Status, label
from ..core.vocabulary import MEASURED_KINDS, TARGETED_KINDS, Frequency, ItemType
from ..loader.index import Index, due_at, owner_at
from . import cadence, updates
from .attention import Need, is_due_soon, judge
from .forecast import Forecast, forecast
from .judges import (
    Basis,
    Verdict,
    judge_indicator,
    judge_milestone,
    judge_numeric,
    judge_ongoing,
    readings_until,
    target_text,
)


@dataclass(frozen=True)
class Latest:
    """A KPI's latest reading up to as-of (for a goal: its KPIs' latest)."""

    date: dt.date
    value: float | None
    text: str | None = None
    """The reading as worded ("almost 2% of GDP"), if given."""
    provisional: bool = False
    """The figure may still change."""


@dataclass(slots=True)
class ItemStatus:
    """The computed state of one goal or KPI at `as_of`. Read-only by convention: not frozen,
    because a frozen dataclass sets each of its fields through object.__setattr__, a large
    share of evaluating many KPIs (BENCHMARKS.md). `evaluate` gives the fields up to `flags` by
    position (thirty keywords took six times as long) and sets the others after: keep those
    first fields in their order."""

    id: str
    type: ItemType
    kind: str
    title: str
    plan: str | None
    theme: str
    group: str | None
    owner: str | None
    chairs: tuple[str, ...]
    status: Status
    reason: str
    due: dt.date | None
    due_text: str | None
    due_from_plan: bool
    progress: float | None
    latest: Latest | None
    target: str | None
    unit: str | None
    flags: tuple[Flag, ...]
    goal: str | None = None
    """A KPI's goal: the one it is defined under."""
    counted: bool = True
    """One unit of every count (`summary`): each KPI, once, and each goal with no KPI."""
    uses: tuple[str, ...] = ()
    """A goal's KPIs defined under other goals (`uses:`), rolled up into its status."""
    used_by: tuple[str, ...] = ()
    """A KPI's other goals: those that list it under `uses:`."""
    target_value: float | tuple[float, float] | None = None
    """A numeric KPI's target: a number, or (low, high) for a range."""
    direction: str | None = None
    """A numeric or indicator KPI's better direction: increase | decrease."""
    # The update cycle (issue 17): the item's reporting rhythm and its owner's latest word.
    frequency: Frequency | None = None
    """Its own frequency or its plan's (None: `stale_days` stands in)."""
    next_reading: dt.date | None = None
    """When a measured KPI's next reading is due (`cadence.next_due`)."""
    year_target: cadence.DatedTarget | None = None
    """A numeric KPI's target for the financial year holding as-of."""
    update: updates.LatestUpdate | None = None
    """The owner's latest update at as-of."""
    disagreement: str | None = None
    """How the owner's rating contradicts the status, if it does."""
    basis: Basis | None = None
    """A numeric KPI's baseline and the rates its pace was judged by (charts draw them)."""
    tracked_since: dt.date | None = None
    """A KPI's readings are asked for from this day: the later of its start (its own, its
    goal's, its plan's) and the day tracking of its plan began (`tracking:` in lcrplan.yaml)."""
    forecast: Forecast | None = None
    """A numeric KPI's course at its current pace (readings on two dates at least)."""
    attention: Need | None = None
    """Why it needs attention (`attention.RULES`: the first rule that applies), if it does."""
    kpis_with_target: int = 0
    """A goal's KPIs with a target to make progress towards (numeric and milestone), its own
    and those it uses; indicators and ongoing commitments have none."""
    kpis_reported: int = 0
    """Of those, the ones with a progress (a numeric KPI with a reading, a milestone): its
    `progress` is their average."""
    progress_text: str | None = None
    """A goal's progress in words, saying what it covers: "1 of 2 KPIs reported: 77% there"."""


@dataclass(frozen=True)
class Scorecard:
    """Every goal and KPI evaluated at one date, in document order."""

    as_of: dt.date
    items: tuple[ItemStatus, ...]

    def goals(self) -> list[ItemStatus]:
        return [i for i in self.items if i.type is ItemType.goal]

    def kpis(self) -> list[ItemStatus]:
        return [i for i in self.items if i.type is ItemType.kpi]

    def by_id(self) -> dict[str, ItemStatus]:
        return {i.id: i for i in self.items}


def evaluate(data: DataSet, as_of: dt.date, index: Index | None = None) -> Scorecard:
    """Evaluate every goal and KPI in `data` at the end of the day `as_of` (`index`: the data
    set's index, if the caller has it)."""
    index = index or Index.build(data)
    config = data.config
    inheritance = _Inheritance(index, config)
    used_by: dict[str, list[str]] = {}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            for use in goal.uses:
                used_by.setdefault(use.kpi, []).append(goal.id)
    # KPIs first: a goal may use a KPI defined under a goal further on.
    judged: list[tuple[Goal, _Inherited, list[ItemStatus]]] = []
    kpis: dict[str, ItemStatus] = {}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            inherited = inheritance.goal(goal)
            kpi_items = [_evaluate_kpi(inherited, kpi, goal, as_of, config) for kpi in goal.kpis]
            for k in kpi_items:
                if k.id in used_by:
                    k.used_by = tuple(used_by[k.id])
                kpis[k.id] = k
            judged.append((goal, inherited, kpi_items))
    items: list[ItemStatus] = []
    stale_days = config.stale_days
    for goal, inherited, kpi_items in judged:
        if goal.uses:
            kpi_items_used = [*kpi_items, *(kpis[u.kpi] for u in goal.uses if u.kpi in kpis)]
        else:
            kpi_items_used = kpi_items
        item = _evaluate_goal(inherited, goal, kpi_items_used, as_of, config)
        item.attention = judge(item, as_of, stale_days)
        items.append(item)
        for k in kpi_items:
            k.attention = judge(k, as_of, stale_days)
        items += kpi_items
    return Scorecard(as_of, tuple(items))


def select(
    card: Scorecard,
    plan: str | None = None,
    group: str | None = None,
    owner: str | None = None,
    status: Collection[str] = (),
) -> Scorecard:
    """A scorecard holding only the items that match every filter given."""

    def keep(i: ItemStatus) -> bool:
        return (
            (plan is None or i.plan == plan)
            and (group is None or i.group == group)
            and (owner is None or i.owner == owner)
            and (not status or i.status in status)
        )

    return Scorecard(card.as_of, tuple(i for i in card.items if keep(i)))


def _evaluate_kpi(
    inherited: _Inherited, kpi: AnyKpi, goal: Goal, as_of: dt.date, config: Config
) -> ItemStatus:
    due_spec, from_plan = (kpi.due, False) if kpi.due is not None else inherited.due
    due = due_spec.date if due_spec else None
    history = readings_until(kpi, as_of)
    frequency = (
        inherited.frequency
        if kpi.frequency is None
        else cadence.frequency_of(kpi.frequency, inherited.plan)
    )
    start = kpi.start.date if kpi.start is not None else inherited.start
    if goal.state != "active":
        verdict = Verdict(Status(goal.state), f"goal {goal.state}: {goal.state_reason}")
    elif isinstance(kpi, NumericKpi):
        verdict = judge_numeric(kpi, history, as_of, due, start, config.thresholds)
    elif isinstance(kpi, MilestoneKpi):
        verdict = judge_milestone(kpi, as_of, due)
    elif isinstance(kpi, IndicatorKpi):
        verdict = judge_indicator(kpi, history)
    else:
        verdict = judge_ongoing(history)
    last = history[-1] if history else None
    latest = Latest(last.date, last.value, last.text, last.provisional) if last else None
    tracked = _later(start, inherited.tracked)
    base = kpi.baseline.date if isinstance(kpi, NumericKpi) and kpi.baseline else None
    reading = _next_reading(kpi, _later(tracked, base), latest, verdict.status, frequency, config)
    flags = tuple(_flags(verdict.status, kpi.kind, due, latest, as_of, config, reading))
    owner = kpi.owner or inherited.owner
    cycle = _cycle(kpi.updates, verdict.status, frequency, as_of, config)
    course = _forecast(kpi, history, verdict, due, as_of)
    item = ItemStatus(  # by position, in the order of ItemStatus's first fields (see there)
        kpi.id,
        ItemType.kpi,
        kpi.kind,
        kpi.title,
        inherited.plan_id,
        inherited.theme_id,
        inherited.group,
        owner,
        inherited.chairs if owner == inherited.owner else inherited.chairs_of(owner),
        verdict.status,
        verdict.reason,
        due,
        due_spec.text if due_spec else None,
        from_plan,
        verdict.progress,
        latest,
        target_text(kpi),
        kpi.unit if isinstance(kpi, (NumericKpi, IndicatorKpi)) else None,
        flags + cycle.flags,
    )
    item.goal = goal.id
    item.frequency = frequency
    item.next_reading = reading
    if isinstance(kpi, NumericKpi):
        item.year_target = cadence.year_target(kpi, due, as_of)
    item.update = cycle.update
    item.disagreement = cycle.disagreement
    item.target_value = _target_value(kpi)
    if isinstance(kpi, (NumericKpi, IndicatorKpi)):
        item.direction = kpi.direction
    item.basis = verdict.basis
    item.tracked_since = tracked if kpi.kind != "milestone" else None
    item.forecast = course
    return item


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return max(a, b) if a and b else a or b


def _forecast(
    kpi: AnyKpi,
    history: Sequence[Measurement],
    verdict: Verdict,
    due: dt.date | None,
    as_of: dt.date,
) -> Forecast | None:
    """A numeric KPI's course, from readings on two dates or more; none for a paused or
    dropped goal's."""
    basis = verdict.basis
    if not isinstance(kpi, NumericKpi) or basis is None or basis.base_date is None:
        return None
    if len(history) < 2 or verdict.status in HELD:
        return None
    last = history[-1]
    if last.value is None:
        return None
    return forecast(
        (basis.base_date, basis.base_value),
        (last.date, last.value),
        kpi.met_at,
        due,
        as_of,
        increase=kpi.direction == "increase",
        compound=kpi.method == "cagr",
    )


@dataclass(frozen=True)
class _Cycle:
    """An item's latest owner update at as-of, and the flags it raises."""

    update: updates.LatestUpdate | None = None
    disagreement: str | None = None
    flags: tuple[Flag, ...] = ()


_NO_CYCLE = _Cycle()
"""No update: most items' (one, not one made for each)."""


def _cycle(
    written: Sequence[updates.OwnerUpdate],
    status: Status,
    frequency: Frequency | None,
    as_of: dt.date,
    config: Config,
) -> _Cycle:
    if not written:
        return _NO_CYCLE
    rhythm = frequency if frequency is None or frequency.repeats else None
    found = updates.latest_update(written, as_of, rhythm, config.stale_days)
    if found is None:
        return _NO_CYCLE
    if status in CLOSED:  # nothing more is expected of it: an old update is not stale
        found = dataclasses.replace(found, stale=False)
    differs = updates.disagreement(found.update.rating, status)
    flags = (Flag.stale_update,) * found.stale
    return _Cycle(found, differs, flags + (Flag.disagrees,) * (differs is not None))


def _next_reading(
    kpi: AnyKpi,
    tracked: dt.date | None,
    latest: Latest | None,
    status: Status,
    frequency: Frequency | None,
    config: Config,
) -> dt.date | None:
    """When a live measured KPI's next reading is due: one period after the last reading, and
    never before one period after tracking began (`tracked`: the later of its start and the
    day tracking of its plan began). A one-off figure (`once`) has no next reading."""
    if kpi.kind == "milestone" or status in CLOSED:
        return None
    if frequency is not None and not frequency.repeats:
        return None
    days = config.stale_days
    first = None if tracked is None else cadence.next_due(tracked, frequency, days)
    if latest is None:
        return first
    after = cadence.next_due(latest.date, frequency, days)
    return after if first is None else max(after, first)


def _target_value(kpi: AnyKpi) -> float | tuple[float, float] | None:
    if not isinstance(kpi, NumericKpi):
        return None
    target = kpi.target
    return (target.low, target.high) if isinstance(target, Range) else target


@dataclass(slots=True)
class _Inherited:
    """What a goal's KPIs inherit from it: where it sits, when it is due, who owns it."""

    chairs_of: Callable[[str | None], tuple[str, ...]]
    """The chairs of another owner (a KPI's own)."""
    plan: Plan | None
    plan_id: str | None
    theme_id: str
    group: str | None
    owner: str | None
    chairs: tuple[str, ...]
    due: tuple[DateSpec | None, bool]
    tracked: dt.date | None = None
    """The day tracking of its plan began (lcrplan.yaml), if later than the plan's start."""
    frequency: Frequency | None = None
    """Its plan's frequency (`cadence.frequency_of`)."""
    start: dt.date | None = None
    """When work on it starts: its own start, else its plan's."""


class _Inheritance:
    """Works out each goal's `_Inherited` once, and each owner's chairs once."""

    def __init__(self, index: Index, config: Config) -> None:
        self.index = index
        self.config = config
        self.chairs: dict[str | None, tuple[str, ...]] = {}
        self.tracked: dict[str | None, dt.date | None] = {}
        self.frequencies: dict[str | None, Frequency | None] = {}

    def chairs_of(self, owner: str | None) -> tuple[str, ...]:
        chairs = self.chairs.get(owner)
        if chairs is None:
            chairs = self.chairs[owner] = tuple(self.index.chairs_of(owner))
        return chairs

    def tracked_since(self, plan: str | None) -> dt.date | None:
        if plan not in self.tracked:
            self.tracked[plan] = self.config.tracked_since(plan)
        return self.tracked[plan]

    def goal(self, goal: Goal) -> _Inherited:
        index = self.index
        place = index.goals[goal.id]
        owner = owner_at(place)
        return _Inherited(
            self.chairs_of,
            place.plan,
            place.theme.plan,
            place.theme.id,
            index.group_at(place, owner),
            owner,
            self.chairs_of(owner),
            due_at(place),
            self.tracked_since(place.theme.plan),
            self.frequency(place.plan),
            _start_date(goal, place.plan),
        )

    def frequency(self, plan: Plan | None) -> Frequency | None:
        """A plan's frequency (`cadence.frequency_of`), worked out once per plan."""
        key = plan.id if plan else None
        if key not in self.frequencies:
            self.frequencies[key] = cadence.frequency_of(None, plan)
        return self.frequencies[key]


def _start_date(goal: Goal, plan: Plan | None) -> dt.date | None:
    """A goal's start: its own, else its plan's (a KPI's own start comes first)."""
    for spec in (goal.start, plan.start if plan else None):
        if spec is not None:
            return spec.date
    return None


def _flags(
    status: Status,
    kind: str,
    due: dt.date | None,
    latest: Latest | None,
    as_of: dt.date,
    config: Config,
    reading: dt.date | None = None,
) -> list[Flag]:
    """An item's flags; `reading`: when a KPI's next reading is due (`_next_reading`)."""
    flags = []
    live = status not in CLOSED
    if status is Status.overdue:
        flags.append(Flag.overdue)
    if is_due_soon(status, due, as_of, config.due_soon_days):
        flags.append(Flag.due_soon)
    if live and reading is not None and reading < as_of:
        if latest is not None:
            flags.append(Flag.stale)
        elif kind in MEASURED_KINDS:
            flags.append(Flag.never_reported)
    if due is None and kind not in ("ongoing", "indicator"):
        flags.append(Flag.no_due_date)
    return flags


def _evaluate_goal(
    inherited: _Inherited,
    goal: Goal,
    kpis: Sequence[ItemStatus],
    as_of: dt.date,
    config: Config,
) -> ItemStatus:
    due_spec, from_plan = inherited.due
    due = due_spec.date if due_spec else None
    verdict = rollup(goal, kpis, as_of, due)
    flags = set(_flags(verdict.status, "goal", due, None, as_of, config))
    progress_values: list[float] = []
    targeted = 0
    latest: Latest | None = None  # the KPIs' latest reading (the first, of several that day)
    for k in kpis:  # one pass over the KPIs for every figure taken from them
        if k.progress is not None:
            progress_values.append(k.progress)
        if k.kind in TARGETED_KINDS:
            targeted += 1
        if k.latest and (latest is None or k.latest.date > latest.date):
            latest = k.latest
        flags.update(f for f in k.flags if f in _FROM_KPIS)
        if k.status is Status.overdue:
            flags.add(Flag.kpi_overdue)
    progress = sum(progress_values) / len(progress_values) if progress_values else None
    frequency = inherited.frequency
    cycle = _cycle(goal.updates, verdict.status, frequency, as_of, config)
    flags.update(cycle.flags)
    item = ItemStatus(  # by position, in the order of ItemStatus's first fields (see there)
        goal.id,
        ItemType.goal,
        goal.kind,
        goal.title,
        inherited.plan_id,
        inherited.theme_id,
        inherited.group,
        inherited.owner,
        inherited.chairs,
        verdict.status,
        verdict.reason,
        due,
        due_spec.text if due_spec else None,
        from_plan,
        progress,
        latest,
        None,  # target
        None,  # unit
        tuple(f for f in FLAG_ORDER if f in flags),
    )
    item.counted = not kpis
    item.kpis_with_target = targeted
    item.kpis_reported = len(progress_values)
    item.progress_text = _progress_text(progress, len(progress_values), targeted, verdict.status)
    item.uses = tuple(u.kpi for u in goal.uses)
    item.frequency = frequency
    item.update = cycle.update
    item.disagreement = cycle.disagreement
    return item


def _progress_text(
    progress: float | None, reported: int, targeted: int, status: Status
) -> str | None:
    """A live goal's progress, saying what it covers: "77% there" when every KPI with a target
    has a progress; "1 of 2 KPIs reported: 77% there" when some have none yet; "none of 2 KPIs
    reported yet" when none has; nothing with no KPI with a target (indicators only)."""
    if not targeted or status in HELD:
        return None
    if progress is None:
        return f"none of {targeted} KPIs reported yet" if targeted > 1 else "no reading yet"
    there = f"{progress:.0%} there"
    return there if reported >= targeted else f"{reported} of {targeted} KPIs reported: {there}"


_FROM_KPIS = frozenset({Flag.stale, Flag.never_reported})
"""Flags a goal takes from its KPIs (besides `kpi_overdue`)."""


def rollup(goal: Goal, kpis: Sequence[ItemStatus], as_of: dt.date, due: dt.date | None) -> Verdict:
    """Done when every KPI is done, else the worst KPI status; paused and dropped override.
    A goal is overdue only after its own due date: before it, a KPI past that KPI's date makes
    the goal `behind`. A goal with no KPI has nothing to measure it by (`no_kpi`)."""
    if goal.state != "active":
        return Verdict(Status(goal.state), f"{goal.state} by its owner: {goal.state_reason}")
    if not kpis:
        if due and as_of > due:
            return Verdict(Status.overdue, f"due on {due}, and no KPI records whether it was met")
        return Verdict(Status.no_kpi, "no KPI to measure it by")
    if all(k.status is Status.done for k in kpis):
        return Verdict(Status.done, f"all {len(kpis)} KPIs done", 1.0)
    worst = min(kpis, key=lambda k: SEVERITY.index(k.status))
    if worst.status is Status.overdue and not (due and as_of > due):
        late = [k.id for k in kpis if k.status is Status.overdue]
        shown = ", ".join(late[:3]) + (f" and {len(late) - 3} more" if len(late) > 3 else "")
        itself = f"the goal itself is due on {due}" if due else "the goal itself has no due date"
        verb = "is" if len(late) == 1 else "are"
        return Verdict(
            Status.behind, f"{len(late)} of {len(kpis)} KPIs {verb} overdue ({shown}); {itself}"
        )
    done = sum(k.status is Status.done for k in kpis)
    if len(kpis) == 1:
        return Verdict(worst.status, f"its one KPI, {worst.id}, is {label(worst.status).lower()}")
    return Verdict(
        worst.status,
        f"{done} of {len(kpis)} KPIs done; the worst, {worst.id}, is {label(worst.status).lower()}",
    )


def count_statuses(items: Iterable[ItemStatus]) -> dict[Status, int]:
    """How many items have each status, in severity order, leaving out zeros."""
    counts = Counter(i.status for i in items)
    return {s: counts[s] for s in SEVERITY if counts[s]}
