"""The monthly report's content: everything a template shows, worked out from data and dates.

Pure: takes the loaded data, the period and the filters; reads no clock and no files, and
imports no template engine. Every list is in a stable order, so the same data and dates give the
same report. Every count is of items as `summary` defines them (KPIs, each once, and goals with
no KPI); a goal with KPIs takes the worst of their statuses and is not counted again.

The records here are what templates get, so each holds plain data only: a model or an evaluated
item becomes its record in `views` as the report is built (see `views` for why).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .attention import RULES, Concern, by_concern
from .cadence import financial_year, fy_start_year
from .charts import Pace, Trend
from .codes import BY_CODE
from .errors import Problem
from .evaluate import (
    ItemStatus,
    Scorecard,
    count_statuses,
    evaluate,
    readings_until,
    select,
)
from .forecast import forecast_words
from .index import Index
from .kinds import ItemType
from .models import (
    AnyKpi,
    Config,
    DataSet,
    Goal,
    Measurement,
    MilestoneKpi,
    Plan,
    ThemeFile,
    year_problem,
)
from .policy import Policy
from .statuses import GOOD, HELD, SEVERITY, Status
from .summary import summarize, units
from .text import format_number
from .trends import pace_of, trend_of
from .views import (
    DocumentView,
    ItemView,
    PlanView,
    SummaryView,
    TargetView,
    ThemeView,
    UpdateView,
    document_view,
    item_view,
    plan_view,
    summary_view,
    target_view,
    theme_view,
    update_view,
)

if TYPE_CHECKING:
    from .history import Move

ATTENTION_SHOWN = 10  # rows per attention list before the rest fold into <details>
DECISIONS_SHOWN = 10  # the things a board is asked to decide, on the report's first page
PLAN_ATTENTION_SHOWN = 5  # of a plan's items that need attention, in its own section
MONTH_SHOWN = 25  # rows per "this month" list before the rest fold
GANTT_BARS = 30  # a plan with more bars than this is drawn one bar per theme
DETAIL_ROWS = 1500  # above this many goals and KPIs, plan sections give counts, not item tables
WARNINGS_SHOWN = 500  # the data-quality list stops here; `lcrplan validate` gives every one
WORDED_MAX = 24  # a measurement's wording longer than this is a sentence: show the number
MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """What a report covers: from `start` (the 1st) to the end of `as_of`."""

    start: dt.date
    as_of: dt.date
    whole_month: bool

    @property
    def previous(self) -> dt.date:
        """The end of the month before: the date statuses are compared with."""
        return self.start - dt.timedelta(days=1)

    @property
    def month(self) -> str:
        """`2026-11`."""
        return f"{self.as_of:%Y-%m}"


def month_period(text: str, today: dt.date) -> Period:
    """`2026-11`, or `previous` (the month before today's), as of that month's last day."""
    if text == "previous":
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    else:
        found = MONTH_PATTERN.match(text)
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month: use YYYY-MM, e.g. 2026-11, or 'previous'")
        problem = year_problem(text, int(found.group(1)))
        if problem:
            raise ValueError(problem)
        start = dt.date(int(found.group(1)), int(found.group(2)), 1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(start, following - dt.timedelta(days=1), True)


def day_period(as_of: dt.date) -> Period:
    """The month so far: from the 1st of `as_of`'s month to `as_of`."""
    following = (as_of.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return Period(as_of.replace(day=1), as_of, as_of == following - dt.timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Who:
    """An owner (board, group or person) with the names of its chairs."""

    id: str
    name: str
    chairs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One goal or KPI as a table shows it."""

    item: ItemView
    owner: Who
    goal: str
    latest: str
    progress: float | None
    history: tuple[float, ...]
    late_days: int | None
    last_update: dt.date | None
    used: bool = False
    """A KPI shown under a goal that uses it (`uses:`), not the goal it is defined under."""
    trend: Trend | None = None
    """A numeric KPI's or an indicator's readings and target, for its chart (HTML)."""
    pace: Pace | None = None
    """The rates its pace was judged by, for the chart's summary."""
    progress_note: str = ""
    """What a goal's progress covers when not every KPI has one: "1 of 2 KPIs reported"."""
    forecast: str = ""
    """Where a numeric KPI is heading: "at this pace: May 2033, 4 years 4 months late; needs
    24 a month from here, was 21"."""
    travel: Travel | None = None
    """Which way its last two readings moved, and whether that is better (KPIs with two)."""


@dataclass(frozen=True, slots=True)
class Travel:
    """The direction of travel of a KPI: its last two readings (on different dates) compared,
    as an arrow for the way the value moved and a word for what that means for the target."""

    arrow: str
    """`↑`, `↓` or `→`."""
    word: str
    """`Better`, `Worse` or `No change`."""
    key: str
    """`better`, `worse` or `same`."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One of the things a board is asked to decide: an item from the attention lists, taken in
    their order, with who to ask, what is asked and since when."""

    row: ItemRow
    concern: str
    """The attention list it comes from (`Attention.key`)."""
    ask: str
    """What the board is asked: the owner's own ask from their latest update, or what the
    list it is on asks for."""
    by_owner: bool
    """The ask is the owner's, from their update."""
    when: dt.date | None
    when_text: str
    """What `when` is: `overdue since`, `due`, `no update since`, `latest reading`."""


@dataclass(frozen=True, slots=True)
class Moved:
    """A KPI's goalpost moved in the period (from git: `history`)."""

    item: ItemView
    field: str
    old: str | None
    new: str | None
    date: str
    commit: str


@dataclass(frozen=True, slots=True)
class SinceLast:
    """What changed since the end of the month before, in four lines a chair reads aloud."""

    overdue: tuple[StatusMove, ...]
    """Items overdue now that were not."""
    back: tuple[StatusMove, ...]
    """Items done, on track or improving now that were not."""
    worse: tuple[StatusMove, ...]
    """Other items whose status is worse than it was."""
    readings: int
    """Readings dated in the period, and the KPIs they are of."""
    kpis_read: int
    completions: int
    goalposts: tuple[Moved, ...] | None
    """Targets and dates changed in the period, from git; None when not known (`no_goalposts`
    says why)."""
    no_goalposts: str


@dataclass(frozen=True, slots=True)
class Attention:
    """One list of items that need attention, worst or most urgent first."""

    key: str
    """The concern's name: `overdue`, `off_track`, `at_risk`, `due_soon` or `stale`."""
    title: str
    why: str
    rows: tuple[ItemRow, ...]


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    """How many items needing attention one owner has, by list."""

    owner: Who
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Recorded:
    """A measurement or a completion dated inside the period."""

    date: dt.date
    item: ItemView
    goal: str
    value: str
    note: str


@dataclass(frozen=True, slots=True)
class Revision:
    """A figure revised in the period: the date it is for, what it was and is, and why."""

    written: dt.date
    """When it was revised."""
    date: dt.date
    """The day the figure is for."""
    item: ItemView
    was: str
    now: str
    reason: str


@dataclass(frozen=True, slots=True)
class StatusMove:
    """An item whose status differs from the end of the month before."""

    item: ItemView
    was: str
    now: str


@dataclass(frozen=True, slots=True)
class ThemeSection:
    """One theme (focus area, sub-group workstream, section) and its table."""

    theme: ThemeView
    owner: Who
    group: Who | None
    rows: tuple[ItemRow, ...]
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a Gantt chart: one item, or several that share a theme, start and due date."""

    label: str
    status: str
    start: dt.date
    end: dt.date
    items: int
    item: ItemView | None = None
    """The item, when the bar is one item (a timeline links to it)."""
    theme: str = ""
    """The theme's id (a bar of several items links to its theme)."""


@dataclass(frozen=True, slots=True)
class Gantt:
    """A plan's timeline: dated goals and KPIs by theme, and how many goals it leaves out."""

    by_theme: bool
    sections: tuple[tuple[str, tuple[Bar, ...]], ...]
    start: dt.date
    end: dt.date
    bars: int
    items: int
    undated: int


@dataclass(frozen=True, slots=True)
class Part:
    """A sub-group (or a theme no group owns) of a plan, counted: the large-report view."""

    name: str
    owner: Who
    items: int
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PlanSection:
    """One plan: its owner, timeline, counts and themes (or parts, in a large report)."""

    plan: PlanView
    board: Who
    themes: tuple[ThemeSection, ...]
    counts: tuple[tuple[str, int], ...]
    items: int
    gantt: Gantt
    parts: tuple[Part, ...] = ()
    summary: SummaryView | None = None
    """The plan's own counts, as the report's summary counts the whole."""
    attention: tuple[ItemRow, ...] = ()
    """Its items that need attention, in the attention lists' order (the first few)."""


@dataclass(frozen=True, slots=True)
class Warning:
    """A validation warning about an item shown, with its code (`lcrplan explain CODE`)."""

    file: str
    line: int
    item: str
    code: str
    message: str
    name: str
    """The code's name: `goal-without-kpi`."""
    where: str
    """`data/lis/vision.yaml:12`."""


@dataclass(frozen=True, slots=True)
class Kind:
    """How many warnings of one code the data-quality section counts."""

    code: str
    name: str
    summary: str
    count: int


@dataclass(frozen=True, slots=True)
class Suppression:
    """A rule of lcrplan.yaml or an item's `ignore:` that turns a problem off, with its reason
    and how many problems about the items shown it turned off."""

    code: str
    name: str
    file: str
    label: str
    """`checks[0]` or `goal mb-export-1: ignore[0]`."""
    scope: str
    """What it covers: `plan lis-2020`, `lis/*.yaml`, `the whole data set`, or the item."""
    reason: str
    until: dt.date | None
    count: int


@dataclass(frozen=True, slots=True)
class Quality:
    """The data-quality section: warnings by code and in full, the suppressions in force, and
    two counts."""

    kinds: tuple[Kind, ...]
    warnings: tuple[Warning, ...]
    total: int
    """Warnings in all; `warnings` lists the first WARNINGS_SHOWN."""
    due_from_plan: int
    never_measured: int
    suppressions: tuple[Suppression, ...] = ()
    suppressed: int = 0
    """Problems about the items shown that suppressions turned off."""


@dataclass(frozen=True, slots=True)
class Cited:
    """A source document and how many of the items shown cite it."""

    document: DocumentView
    items: int


@dataclass(frozen=True, slots=True)
class Settings:
    """The numbers the report's wording depends on."""

    due_soon_days: int
    stale_days: int
    attention_shown: int
    month_shown: int


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the monthly template shows."""

    title: str
    period: Period
    filters: tuple[tuple[str, str], ...]
    plans: tuple[PlanSection, ...]
    groups: tuple[Who, ...]
    summary: SummaryView
    attention: tuple[Attention, ...]
    owners: tuple[OwnerLoad, ...]
    measurements: tuple[Recorded, ...]
    completions: tuple[Recorded, ...]
    revisions: tuple[Revision, ...]
    changes: tuple[StatusMove, ...]
    quality: Quality
    sources: tuple[Cited, ...]
    settings: Settings
    detail: bool
    """False when the report is too large for item tables (see DETAIL_ROWS)."""
    # The update cycle (issue 17): owners' judgement beside the data, and this year's targets.
    updates: tuple[UpdateRow, ...] = ()
    year_targets: tuple[TargetRow, ...] = ()
    financial_year: str = ""
    """The financial year holding the report's date: `2026-27`."""
    decisions: tuple[Decision, ...] = ()
    """The first DECISIONS_SHOWN items of the attention lists, in their order."""
    since: SinceLast | None = None
    """What changed since the month before (None when the report did not compare)."""
    statuses: tuple[str, ...] = tuple(str(s) for s in SEVERITY)
    """Every status, worst first: the key to the shapes."""


@dataclass(frozen=True, slots=True)
class UpdateRow:
    """An item's latest owner update beside its computed status."""

    item: ItemView
    owner: Who
    by: str
    """The name of the person who wrote it."""
    update: UpdateView
    stale: bool
    disagreement: str | None


@dataclass(frozen=True, slots=True)
class TargetRow:
    """A KPI with a target dated in this financial year."""

    item: ItemView
    target: TargetView
    latest: str
    owner: Who


def build_report(
    data: DataSet,
    problems: Sequence[Problem],
    period: Period,
    plan: str | None = None,
    group: str | None = None,
    index: Index | None = None,
    policy: Policy | None = None,
    card: Scorecard | None = None,
    rows: Rows | None = None,
    since: bool = True,
    charts: bool = False,
    history: Mapping[str, Sequence[Move]] | None = None,
    no_history: str = "the data is not in a git repository",
) -> Report:
    """The report's content for `data` over `period`, narrowed to a plan or group if given
    (`index`: the data set's index, if the caller has it; `policy`: the suppressions that
    applied when the problems were found; `card` and `rows`: the whole data set evaluated at
    `period.as_of` and its table rows, if the caller has them; `since`: work out the status
    changes since the month before, which needs a second evaluation; `charts`: each KPI row
    carries its trend, for a report that draws charts; `history`: each KPI's goalpost moves
    from git, or None when not known, for the reason `no_history`)."""
    index = index or Index.build(data)
    card = select(card or evaluate(data, period.as_of, index), plan, group)
    before = select(evaluate(data, period.previous, index), plan, group).by_id() if since else {}
    counted = units(card.items)
    detail = len(card.items) <= DETAIL_ROWS
    rows = rows if rows is not None else Rows(index, period.as_of, card, charts)
    config = data.config
    attention = _attention(counted, rows, config)
    measurements = _measurements(data, card, period, rows)
    completions = _completions(data, card, period, rows)
    changes = _changes(counted, before, rows)
    return Report(
        title=config.title or "Plans",
        period=period,
        filters=tuple((k, v) for k, v in (("plan", plan), ("group", group)) if v),
        plans=_plans(card, index, rows, detail, config, attention),
        groups=_groups(card, index),
        summary=summary_view(summarize(card, config)),
        attention=attention,
        owners=_owners(attention),
        measurements=measurements,
        completions=completions,
        revisions=_revisions(data, card, period, rows),
        changes=changes,
        quality=_quality(problems, card, plan or group, policy or Policy()),
        sources=_sources(data, card, index),
        settings=Settings(config.due_soon_days, config.stale_days, ATTENTION_SHOWN, MONTH_SHOWN),
        detail=detail,
        updates=_updates(card, index, rows),
        year_targets=_year_targets(card, rows),
        financial_year=financial_year(fy_start_year(period.as_of)).label,
        decisions=_decisions(attention),
        since=_since(changes, measurements, completions, card, rows, period, history, no_history)
        if since
        else None,
    )


_ASKS = {
    "overdue": ("Agree a new date, or record it done or dropped", "overdue since"),
    "reading_overdue": ("Ask its owner for the reading that is due", "reading due since"),
    "off_track": ("Agree how to recover the pace its target needs", "latest reading"),
    "disagrees": ("Settle which is right: the owner's rating or the data", "owner's update"),
    "at_risk": ("Confirm what will bring it back to the pace its target needs", "latest reading"),
    "due_soon": ("Confirm it will be met by its due date", "due"),
    "stale": ("Ask its owner for the reading that is due", "reading due since"),
}
"""What a board is asked about an item on each attention list (unless its owner asked
something themselves), and what the date beside it is."""
_DEFAULT_ASK = ("Decide what to do about it", "since")


def _decisions(attention: Sequence[Attention]) -> tuple[Decision, ...]:
    """The first DECISIONS_SHOWN items of the attention lists, taken in the lists' order."""
    found: list[Decision] = []
    for listed in attention:
        for row in listed.rows:
            if len(found) == DECISIONS_SHOWN:
                return tuple(found)
            found.append(_decision(listed.key, row))
    return tuple(found)


def _decision(key: str, row: ItemRow) -> Decision:
    """What the board is asked about `row` (on the `key` list), and since when: the date the
    attention rule gives (a due date, a reading's due date), else the latest reading's or the
    owner's update's."""
    item = row.item
    asks = item.update.update.asks if item.update else None
    ask, when_text = _ASKS.get(key, _DEFAULT_ASK)
    when = item.attention.since if item.attention else None
    if when is None and key == "disagrees" and item.update:
        when = item.update.update.date
    elif when is None and item.latest is not None:
        when, when_text = item.latest.date, "latest reading"
    elif when is None and item.due is not None:
        when, when_text = item.due, "due"
    return Decision(row, key, " ".join(asks.split()) if asks else ask, bool(asks), when, when_text)


def _since(
    changes: Sequence[StatusMove],
    measurements: Sequence[Recorded],
    completions: Sequence[Recorded],
    card: Scorecard,
    rows: Rows,
    period: Period,
    history: Mapping[str, Sequence[Move]] | None,
    no_history: str,
) -> SinceLast:
    """What changed since the end of the month before: the status moves sorted into newly
    overdue, back on track and worse; the readings and completions dated in the period; the
    goalposts moved in it (from git)."""
    good = {str(s) for s in GOOD}
    order = [str(s) for s in SEVERITY]
    overdue = tuple(c for c in changes if c.now == "overdue" and c.was != "overdue")
    back = tuple(c for c in changes if c.now in good and c.was not in good)
    worse = tuple(
        c
        for c in changes
        if c not in overdue and c not in back and order.index(c.now) < order.index(c.was)
    )
    moved = None
    if history is not None:
        start, end = period.start.isoformat(), period.as_of.isoformat()
        moved = tuple(
            Moved(rows.view(i.id), m.field, m.old, m.new, m.date, m.commit)
            for i in card.kpis()
            for m in history.get(i.id, ())
            if m.old is not None and m.date is not None and start <= m.date <= end
        )
    return SinceLast(
        overdue=overdue,
        back=back,
        worse=worse,
        readings=len(measurements),
        kpis_read=len({r.item.id for r in measurements}),
        completions=len(completions),
        goalposts=moved,
        no_goalposts="" if history is not None else no_history,
    )


def _updates(card: Scorecard, index: Index, rows: Rows) -> tuple[UpdateRow, ...]:
    """Every goal and KPI with an owner's update at as-of: disagreements first, then stale
    updates, then the rest, each in plan order."""
    found = []
    for item in card.items:
        if item.update is None:
            continue
        update = item.update.update
        person = index.people.get(update.by)
        found.append(
            UpdateRow(
                rows.view(item.id),
                who(item.owner, index),
                person.name if person else update.by,
                update_view(update),
                item.update.stale,
                item.disagreement,
            )
        )
    rank = {row.item.id: n for n, row in enumerate(found)}
    return tuple(
        sorted(found, key=lambda r: (r.disagreement is None, not r.stale, rank[r.item.id]))
    )


def _year_targets(card: Scorecard, rows: Rows) -> tuple[TargetRow, ...]:
    """KPIs with a target dated in this financial year, soonest first."""
    found = [
        TargetRow(rows.view(i.id), target_view(i.year_target), rows[i.id].latest, rows[i.id].owner)
        for i in card.kpis()
        if i.year_target is not None and i.status not in HELD
    ]
    return tuple(sorted(found, key=lambda r: (r.target.date, r.item.id)))


def who(owner_id: str | None, index: Index) -> Who:
    """An owner's name and chairs; "no owner" when nobody is named."""
    if owner_id is None:
        return Who("", "no owner", ())
    body = index.people.get(owner_id) or index.groups.get(owner_id) or index.boards.get(owner_id)
    return Who(owner_id, body.name if body else owner_id, tuple(index.chairs_of(owner_id)))


def latest_text(item: ItemStatus, worded: str | None = None, target: str | None = None) -> str:
    """`950 / 1,000 people`, `£1.8M / £5M`, `done`, `updated 2026-11-03`; blank for goals."""
    if item.type is ItemType.goal:
        return ""
    if item.kind == "milestone":
        return "done" if item.status is Status.done else "not done"
    value = format_number(item.latest.value) if item.latest else ""
    if value and item.unit and not worded:
        value = f"{value} {item.unit}" if item.kind != "numeric" else value
    value = worded or value
    if item.target and item.kind == "numeric":
        return f"{value or '–'} / {target or item.target}"
    if item.latest and not value:
        return f"updated {item.latest.date}"
    return value


def _worded(item: ItemStatus, index: Index) -> tuple[str | None, str | None]:
    """The latest measurement's and the target's own wording ("£1.8M", "£5M"), if short."""
    if item.type is not ItemType.kpi:
        return None, None
    kpi = index.kpis[item.id][0]
    target = getattr(kpi, "target_text", None)
    target = target if target and len(target) <= WORDED_MAX else None
    if target and re.fullmatch(r"[\d,.\s–-]+", target):  # a bare "1,000" needs its unit
        target = f"{target} {getattr(kpi, 'unit', '')}".strip()
    if item.latest is None:
        return None, target
    texts = [x.text for x in kpi.measurements if x.date == item.latest.date and x.text]
    return (texts[-1] if texts and len(texts[-1]) <= WORDED_MAX else None), target


class Rows(dict[str, "ItemRow"]):
    """Table rows by item id, each built when first asked for: a large report shows few."""

    def __init__(self, index: Index, as_of: dt.date, card: Scorecard, charts: bool = False) -> None:
        super().__init__()
        self.index, self.as_of, self.by_id, self.charts = index, as_of, card.by_id(), charts
        self.views: dict[str, ItemView] = {}

    def __missing__(self, item_id: str) -> ItemRow:
        item = self.by_id[item_id]
        row = self[item_id] = _row(item, self.view(item_id), self.index, self.as_of, self.charts)
        return row

    def view(self, item_id: str) -> ItemView:
        """The item as templates see it (`views.item_view`), built once however often shown."""
        found = self.views.get(item_id)
        if found is None:
            found = self.views[item_id] = item_view(self.by_id[item_id])
        return found


def _row(
    item: ItemStatus, view: ItemView, index: Index, as_of: dt.date, charts: bool = False
) -> ItemRow:
    """A goal's or KPI's table row; with `charts`, a KPI's trend and pace too (HTML draws them)."""
    shows_bar = item.type is ItemType.goal or item.kind == "numeric"
    late = (as_of - item.due).days if item.status is Status.overdue and item.due else None
    kpi = charts and item.type is ItemType.kpi
    trend = trend_of(item, index.kpis[item.id][0], as_of) if kpi else None
    kpi_model = index.kpis[item.id][0] if item.type is ItemType.kpi else None
    note = ""
    if item.progress_text and item.kpis_reported < item.kpis_with_target:
        shown, of = item.kpis_reported, item.kpis_with_target
        note = f"{shown} of {of} KPIs reported" if shown else "no KPI reported yet"
    return ItemRow(
        item=view,
        owner=who(item.owner, index),
        goal=index.goals[item.goal].goal.title if item.goal else "",
        latest=latest_text(item, *_worded(item, index)),
        progress=item.progress if shows_bar else None,
        history=_values(item, index, as_of),
        late_days=late,
        last_update=item.latest.date if item.latest else None,
        trend=trend,
        pace=pace_of(item) if trend else None,
        progress_note=note,
        forecast=forecast_words(item.forecast) if item.forecast else "",
        travel=_travel(kpi_model, as_of, item.direction) if kpi_model else None,
    )


_TRAVEL = {
    ("up", "increase"): Travel("↑", "Better", "better"),
    ("down", "decrease"): Travel("↓", "Better", "better"),
    ("up", "decrease"): Travel("↑", "Worse", "worse"),
    ("down", "increase"): Travel("↓", "Worse", "worse"),
}
_STILL = Travel("→", "No change", "same")


def _travel(kpi: AnyKpi, as_of: dt.date, direction: str | None) -> Travel | None:
    """The last reading against the one before it on an earlier date: better, worse or the
    same, in the KPI's direction; None with readings on fewer than two dates."""
    values = [x.value for x in readings_until(kpi, as_of) if x.value is not None]
    if len(values) < 2:
        return None
    before, last = values[-2:]
    if last == before:
        return _STILL
    return _TRAVEL[("up" if last > before else "down", direction or "increase")]


def _values(item: ItemStatus, index: Index, as_of: dt.date) -> tuple[float, ...]:
    """A KPI's measured values up to as-of, oldest first, one per date (for its sparkline)."""
    if item.type is not ItemType.kpi:
        return ()
    kpi = index.kpis[item.id][0]
    return tuple(x.value for x in readings_until(kpi, as_of) if x.value is not None)


def status_counts(items: Iterable[ItemStatus]) -> tuple[tuple[str, int], ...]:
    """(status, count) in severity order, leaving out zeros."""
    return tuple((str(status), n) for status, n in count_statuses(items).items())


def _attention(
    counted: Sequence[ItemStatus], rows: dict[str, ItemRow], config: Config
) -> tuple[Attention, ...]:
    """One list per rule of `attention.RULES` (each item under the first that applies), in
    the rule's order."""
    lists = by_concern(counted)
    return tuple(
        Attention(
            str(rule.concern),
            _title(rule.concern, rule.title, config),
            rule.order,
            tuple(rows[i.id] for i in lists[rule.concern]),
        )
        for rule in RULES
    )


def _title(concern: Concern, title: str, config: Config) -> str:
    if concern is Concern.due_soon:
        return f"Due within {config.due_soon_days} days"
    return title


def _owners(attention: Sequence[Attention]) -> tuple[OwnerLoad, ...]:
    """Who to ask: each owner's count in every attention list, busiest first."""
    counts: dict[Who, list[int]] = {}
    for n, group in enumerate(attention):
        for row in group.rows:
            counts.setdefault(row.owner, [0] * len(attention))[n] += 1
    loads = [OwnerLoad(o, tuple(c), sum(c)) for o, c in counts.items()]
    return tuple(sorted(loads, key=lambda x: (-x.total, x.owner.name, x.owner.id)))


def _kpis_in(data: DataSet, card: Scorecard) -> Iterable[tuple[Goal, AnyKpi]]:
    wanted = {i.id for i in card.kpis()}
    for theme_file in data.themes:
        for goal in theme_file.goals:
            yield from ((goal, k) for k in goal.kpis if k.id in wanted)


def _measurements(
    data: DataSet, card: Scorecard, period: Period, rows: Rows
) -> tuple[Recorded, ...]:
    """Readings dated in the period (whenever they were written), revisions left out: those
    are listed by the day they were made (`_revisions`)."""
    found = []
    for goal, kpi in _kpis_in(data, card):
        for x in kpi.measurements:
            if x.revised is None and period.start <= x.date <= period.as_of:
                value = x.text or _with_unit(x.value, getattr(kpi, "unit", None))
                found.append(Recorded(x.date, rows.view(kpi.id), goal.title, value, x.note or ""))
    return tuple(sorted(found, key=lambda r: (r.date, r.item.id)))


def _revisions(data: DataSet, card: Scorecard, period: Period, rows: Rows) -> tuple[Revision, ...]:
    """Figures revised in the period (by the day the revision was written), oldest first."""
    found = []
    for _goal, kpi in _kpis_in(data, card):
        unit = getattr(kpi, "unit", None)
        last: dict[dt.date, Measurement] = {}
        for x in kpi.measurements:
            before = last.get(x.date)
            last[x.date] = x
            if before is None or x.revised is None or x.written is None:
                continue
            if period.start <= x.written <= period.as_of:
                was, now = (m.text or _with_unit(m.value, unit) for m in (before, x))
                found.append(Revision(x.written, x.date, rows.view(kpi.id), was, now, x.revised))
    return tuple(sorted(found, key=lambda r: (r.written, r.item.id, r.date)))


def _with_unit(value: float | None, unit: str | None) -> str:
    text = format_number(value)
    return f"{text} {unit}" if text and unit else text


def _completions(
    data: DataSet, card: Scorecard, period: Period, rows: Rows
) -> tuple[Recorded, ...]:
    found = [
        Recorded(kpi.done.date, rows.view(kpi.id), goal.title, "done", kpi.done.note or "")
        for goal, kpi in _kpis_in(data, card)
        if isinstance(kpi, MilestoneKpi)
        and kpi.done
        and period.start <= kpi.done.date <= period.as_of
    ]
    return tuple(sorted(found, key=lambda r: (r.date, r.item.id)))


def _changes(
    counted: Sequence[ItemStatus], before: dict[str, ItemStatus], rows: Rows
) -> tuple[StatusMove, ...]:
    """Items whose status moved since the previous month's end, worst new status first."""
    changed = [
        StatusMove(rows.view(i.id), str(before[i.id].status), str(i.status))
        for i in counted
        if i.id in before and before[i.id].status != i.status
    ]
    return tuple(sorted(changed, key=lambda c: (SEVERITY.index(c.now), c.item.id)))


def _plans(
    card: Scorecard,
    index: Index,
    rows: Rows,
    detail: bool,
    config: Config,
    attention: Sequence[Attention],
) -> tuple[PlanSection, ...]:
    counted = {i.id for i in units(card.items)}
    by_plan: dict[str | None, list[ItemStatus]] = {}
    by_theme: dict[str, list[ItemStatus]] = {}
    for item in card.items:
        by_plan.setdefault(item.plan, []).append(item)
        by_theme.setdefault(item.theme, []).append(item)
    themes_of: dict[str, list[ThemeFile]] = {}
    for theme_file in index.data.themes:
        themes_of.setdefault(theme_file.theme.plan, []).append(theme_file)
    sections = []
    for plan in index.data.plans:
        items = by_plan.get(plan.id, [])
        if not items:
            continue
        plan_themes = themes_of.get(plan.id, [])
        themes = tuple(
            _theme(theme_file, by_theme[theme_file.theme.id], rows, index, counted, detail)
            for theme_file in plan_themes
            if theme_file.theme.id in by_theme
        )
        parts = () if detail else _parts(themes, index)
        themes = themes if detail else ()
        mine = [i for i in items if i.id in counted]
        sections.append(
            PlanSection(
                plan=plan_view(plan),
                board=who(plan.board, index),
                themes=themes,
                counts=status_counts(mine),
                items=len(mine),
                gantt=_gantt(plan, plan_themes, items, index, card.as_of),
                parts=parts,
                summary=summary_view(summarize(select(card, plan.id, None), config)),
                attention=tuple(
                    row for listed in attention for row in listed.rows if row.item.plan == plan.id
                )[:PLAN_ATTENTION_SHOWN],
            )
        )
    return tuple(sections)


def _parts(themes: Sequence[ThemeSection], index: Index) -> tuple[Part, ...]:
    """Themes merged by the sub-group that owns them (a theme with no group stands alone)."""
    merged: dict[str, list[ThemeSection]] = {}
    for ts in themes:
        merged.setdefault(ts.theme.group or ts.theme.id, []).append(ts)
    parts = []
    for key, group in merged.items():
        counts: Counter[str] = Counter()
        for ts in group:
            counts.update(dict(ts.counts))
        first = group[0]
        name = index.groups[key].name if key in index.groups else first.theme.title
        parts.append(
            Part(
                name,
                first.group or first.owner,
                sum(counts.values()),
                tuple((str(st), counts[st]) for st in SEVERITY if counts[st]),
            )
        )
    return tuple(parts)


def _theme(
    theme_file: ThemeFile,
    items: list[ItemStatus],
    rows: Rows,
    index: Index,
    counted: set[str],
    detail: bool,
) -> ThemeSection:
    theme = theme_file.theme
    group = who(theme.group, index) if theme.group else None
    owner_id = theme.owner or theme.group or index.plans[theme.plan].board
    return ThemeSection(
        theme=theme_view(theme),
        owner=who(owner_id, index),
        group=group,
        rows=_theme_rows(items, rows) if detail else (),
        counts=status_counts(i for i in items if i.id in counted),
    )


def _theme_rows(items: Sequence[ItemStatus], rows: Rows) -> tuple[ItemRow, ...]:
    """Each goal, its KPIs, then the KPIs it uses from other goals (marked `used`)."""
    shown: list[ItemRow] = []
    used: list[str] = []
    for item in [*items, None]:
        if item is None or item.type is ItemType.goal:
            shown.extend(replace(rows[k], used=True) for k in used if k in rows.by_id)
            used = []
        if item is not None:
            shown.append(rows[item.id])
            used.extend(item.uses)
    return tuple(shown)


def _gantt(
    plan: Plan,
    themes: Sequence[ThemeFile],
    items: Sequence[ItemStatus],
    index: Index,
    as_of: dt.date,
) -> Gantt:
    """Goals and KPIs with a due date of their own, from start to due, by theme.

    Items sharing a theme, start and due date share a bar; a plan still above `GANTT_BARS`
    bars gets one bar per theme. Goals due only at the plan's end carry no date and are counted.
    """
    goals = {i.id: i for i in items if i.type is ItemType.goal}
    dated = [
        (i.theme, _span(i, goals, plan, index), i) for i in items if _has_own_due(i, goals, index)
    ]
    sections: list[tuple[str, tuple[Bar, ...]]] = []
    by_theme = len({(t, span, i.status) for t, span, i in dated}) > GANTT_BARS
    by_id: dict[str, list[tuple[tuple[dt.date, dt.date], ItemStatus]]] = {}
    for t, span, i in dated:
        by_id.setdefault(t, []).append((span, i))
    for theme_file in themes:
        mine = by_id.get(theme_file.theme.id, [])
        bars: tuple[Bar, ...]
        if mine:
            theme_id = theme_file.theme.id
            if by_theme:
                label = f"{theme_file.theme.title}: {_plural(len(mine))}"
                bars = (_merged(mine, theme_id, label),)
            else:
                bars = tuple(_merged(g, theme_id) for g in _by_span(mine).values())
            sections.append((theme_file.theme.title, bars))
    shown = [b for _, bars in sections for b in bars]
    return Gantt(
        by_theme=by_theme,
        sections=tuple(sections),
        start=min([as_of, *(b.start for b in shown)]),
        end=max([as_of, *(b.end for b in shown)]),
        bars=len(shown),
        items=len(dated),
        undated=sum(g.due is None or g.due_from_plan for g in goals.values()),
    )


def _has_own_due(item: ItemStatus, goals: dict[str, ItemStatus], index: Index) -> bool:
    if item.due is None or item.due_from_plan:
        return False
    if item.type is ItemType.goal:
        return True
    own = index.kpis[item.id][0].due
    goal = goals.get(item.goal or "")
    return own is not None and (goal is None or goal.due_from_plan or goal.due != own.date)


def _span(
    item: ItemStatus, goals: dict[str, ItemStatus], plan: Plan, index: Index
) -> tuple[dt.date, dt.date]:
    goal = index.goals[item.goal or item.id].goal
    own = index.kpis[item.id][0].start if item.type is ItemType.kpi else None
    start = (own or goal.start or plan.start).date
    end = item.due or start
    return min(start, end), end


def _by_span(
    dated: Sequence[tuple[tuple[dt.date, dt.date], ItemStatus]],
) -> dict[tuple[dt.date, dt.date, int], list[tuple[tuple[dt.date, dt.date], ItemStatus]]]:
    """Items with the same dates and the same status share a bar: a bar's label names an item
    whose status is the bar's own."""
    groups: dict[tuple[dt.date, dt.date, int], list] = {}
    for span, item in sorted(dated, key=lambda x: x[0]):
        groups.setdefault((*span, SEVERITY.index(item.status)), []).append((span, item))
    return groups


def _plural(count: int) -> str:
    return f"{count} item{'s' * (count != 1)}"


def _merged(
    group: Sequence[tuple[tuple[dt.date, dt.date], ItemStatus]],
    theme: str,
    label: str = "",
) -> Bar:
    """One bar for items drawn together: the first one's title, the worst status; one item's
    bar links to the item, several items' to their theme."""
    items = [i for _, i in group]
    worst = min(items, key=lambda i: SEVERITY.index(i.status)).status
    if not label:
        more = f" and {len(items) - 1} more" if len(items) > 1 else ""
        label = items[0].title + more
    start = min(span[0] for span, _ in group)
    end = max(span[1] for span, _ in group)
    one = item_view(items[0]) if len(items) == 1 else None
    return Bar(label, str(worst), start, end, len(items), one, theme)


def _groups(card: Scorecard, index: Index) -> tuple[Who, ...]:
    names = index.owners
    ids = sorted({i.group for i in card.items if i.group}, key=lambda g: (names.get(g, g), g))
    return tuple(who(g, index) for g in ids)


def _quality(
    problems: Sequence[Problem], card: Scorecard, narrowed: str | None, policy: Policy
) -> Quality:
    """Validation warnings about the items shown, by code, and the suppressions in force."""
    shown = {i.id for i in card.items}
    warnings = [
        Warning(
            p.file,
            p.line,
            p.item,
            p.code,
            p.message,
            BY_CODE[p.code].name,
            f"{p.file}:{p.line}" if p.line else p.file,
        )
        for p in problems
        if p.severity != "error" and (not narrowed or p.item in shown)
    ]
    warnings.sort(key=lambda w: (w.code, w.file, w.line, w.message))
    counts = Counter(w.code for w in warnings)
    kinds = tuple(
        Kind(code, BY_CODE[code].name, BY_CODE[code].summary, n)
        for code, n in sorted(counts.items())
    )
    suppressed = [x for x in policy.suppressed if not narrowed or x.item in shown]
    per_rule = Counter(id(x.rule) for x in suppressed)
    suppressions = tuple(
        Suppression(
            rule.code,
            BY_CODE[rule.code].name,
            rule.file,
            rule.label,
            _scope(rule.plan, rule.paths, rule.item),
            rule.reason,
            rule.until,
            per_rule[id(rule)],
        )
        for rule in policy.active()
        if rule.severity == "off" and (per_rule[id(rule)] or not narrowed)
    )
    return Quality(
        kinds=kinds,
        warnings=tuple(warnings[:WARNINGS_SHOWN]),
        total=len(warnings),
        due_from_plan=sum(i.due_from_plan for i in card.goals()),
        never_measured=sum(i.status is Status.not_reported for i in units(card.items)),
        suppressions=suppressions,
        suppressed=len(suppressed),
    )


def _scope(plan: str | None, paths: Sequence[str], item: str | None) -> str:
    if item:
        return item
    parts = ([f"plan {plan}"] if plan else []) + [f"files {p}" for p in paths]
    return ", ".join(parts) or "the whole data set"


def _sources(data: DataSet, card: Scorecard, index: Index) -> tuple[Cited, ...]:
    """Documents cited by the plans, themes, goals and KPIs shown, most cited first."""
    shown = {i.id for i in card.items}
    cited: Counter[str] = Counter()
    plans = {i.plan for i in card.items}
    themes = {i.theme for i in card.items}
    for plan in data.plans:
        if plan.id in plans:
            cited[plan.source.document] += 1
    for theme_file in data.themes:
        if theme_file.theme.id in themes:
            cited[theme_file.theme.source.document] += 1
        for goal in theme_file.goals:
            for thing in (goal, *goal.kpis):
                if thing.id in shown:
                    cited[thing.source.document] += 1
    found = [
        Cited(document_view(index.documents[d]), n)
        for d, n in cited.items()
        if d in index.documents
    ]
    return tuple(sorted(found, key=lambda c: (-c.items, c.document.title, c.document.id)))
