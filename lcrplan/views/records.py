"""The plain records templates get in place of the models and the scorecard: the view boundary.

A template can come with a pull request, and CI renders it with a write token, so a template
is given data, never objects that can do things: a pydantic model carries class methods such as
`parse_raw` (which unpickles) and `parse_file` (which reads any file), and the scorecard, the
index and the loaded data set reach every model. Every value a template reaches is one of:

- str, int, float, bool, None, `datetime.date`;
- a tuple of those, or a read-only mapping (`types.MappingProxyType`) of them;
- a frozen, slotted dataclass whose fields are those: the records here, the report's
  (`report`, `rows`, `gantt`, `month`, `quality`; its `periods.ReportPeriod`), the site's (`site`)
  and the charts' (`trends.Trend`, `Pace`, `Point`, `Trajectory`). None has a method a
  template can call, except `Links`' page names (below).

Statuses, kinds, types and ratings are plain strings (`"on_track"`, `"kpi"`, `"red"`), not the
enums the evaluation uses. The functions here are the one place a model or an evaluated item
becomes its record; `report.build_report` and `site.build_site` call them as they build their
content. The sandbox (`templating`) is the second wall: it lets a template call only the
methods on its allow-list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from ..core.cycle_models import OwnerUpdate
from ..core.model_base import DateSpec, Source
from ..core.models import AnyKpi, Board, Document, Goal, Group, MilestoneKpi, Person, Plan, Theme
from ..evaluate.attention import Need
from ..evaluate.cadence import DatedTarget
from ..evaluate.forecast import Forecast
from ..evaluate.scorecard import ItemStatus, Latest
from ..evaluate.summary import Summary
from ..evaluate.updates import LatestUpdate

K = TypeVar("K")
V = TypeVar("V")


def frozen_mapping(pairs: Mapping[K, V] | Iterable[tuple[K, V]]) -> Mapping[K, V]:
    """A read-only mapping (a template can look values up, never change them)."""
    return MappingProxyType(dict(pairs))


def _text(value: object) -> str | None:
    """An enum's value, or any text, as a plain str; None stays None."""
    return None if value is None else str(value)


# --- what the documents say --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateView:
    """A date as the tracker uses it, with the document's own wording if it gives one."""

    date: dt.date
    text: str | None


@dataclass(frozen=True, slots=True)
class SourceView:
    """Where a document sets something: the document's id, section, lines, page and words."""

    document: str
    section: str | None
    lines: str | None
    page: int | None
    quote: str | None


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A source document."""

    id: str
    title: str
    publisher: str | None
    date: DateView | None
    url: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan: who owns it, when it runs, and what it is."""

    id: str
    title: str
    board: str
    start: DateView
    end: DateView | None
    status: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class ThemeView:
    """A theme of a plan (focus area, workstream, section) and who leads it."""

    id: str
    plan: str
    title: str
    kind: str
    group: str | None
    owner: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class GoalView:
    """A goal's own words: its state and the text a goal page shows."""

    id: str
    title: str
    kind: str
    number: str | None
    state: str
    """`active`, `paused` or `dropped`."""
    state_reason: str | None
    description: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class DoneView:
    """When a milestone was done, and the note recorded with it."""

    date: dt.date
    note: str | None


@dataclass(frozen=True, slots=True)
class KpiView:
    """A KPI's own words: what the document says and the note a KPI page shows."""

    id: str
    title: str
    kind: str
    """`numeric`, `milestone`, `indicator` or `ongoing`."""
    text: str | None
    note: str | None
    unit: str | None
    done: DoneView | None
    """A milestone's completion; None for other kinds and for milestones not done."""


@dataclass(frozen=True, slots=True)
class OwnerView:
    """A board, sub-group or person as its page shows it (fields a kind lacks are None)."""

    id: str
    name: str
    kind: str
    """`board`, `authority`, ... for a board; `task_and_finish`, ... for a group; `person`."""
    role: str | None
    organisation: str | None
    remit: str | None


def date_view(spec: DateSpec) -> DateView:
    return DateView(spec.date, spec.text)


def source_view(source: Source) -> SourceView:
    return SourceView(source.document, source.section, source.lines, source.page, source.quote)


def document_view(document: Document) -> DocumentView:
    date = date_view(document.date) if document.date else None
    return DocumentView(
        document.id, document.title, document.publisher, date, document.url, document.status
    )


def plan_view(plan: Plan) -> PlanView:
    end = date_view(plan.end) if plan.end else None
    return PlanView(
        plan.id,
        plan.title,
        plan.board,
        date_view(plan.start),
        end,
        plan.status,
        plan.description,
    )


def theme_view(theme: Theme) -> ThemeView:
    return ThemeView(
        theme.id,
        theme.plan,
        theme.title,
        str(theme.kind),
        theme.group,
        theme.owner,
        theme.description,
    )


def goal_view(goal: Goal) -> GoalView:
    return GoalView(
        goal.id,
        goal.title,
        str(goal.kind),
        goal.number,
        str(goal.state),
        goal.state_reason,
        goal.description,
        goal.note,
    )


def kpi_view(kpi: AnyKpi) -> KpiView:
    done = None
    if isinstance(kpi, MilestoneKpi) and kpi.done is not None:
        done = DoneView(kpi.done.date, kpi.done.note)
    unit = getattr(kpi, "unit", None)
    return KpiView(kpi.id, kpi.title, str(kpi.kind), kpi.text, kpi.note, unit, done)


def owner_view(body: Board | Group | Person) -> OwnerView:
    if isinstance(body, Person):
        return OwnerView(body.id, body.name, "person", body.role, body.organisation, None)
    return OwnerView(body.id, body.name, str(body.kind), None, None, body.remit)


# --- what the evaluation found -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LatestView:
    """A KPI's latest reading up to as-of (for a goal: its KPIs' latest)."""

    date: dt.date
    value: float | None
    text: str | None


@dataclass(frozen=True, slots=True)
class TargetView:
    """A value due on a day: this financial year's target, or the end target."""

    date: dt.date
    value: float
    text: str
    final: bool
    """The end target itself (due this year), not an interim one."""


@dataclass(frozen=True, slots=True)
class UpdateView:
    """An owner's account of an item for one reporting period."""

    period: str
    date: dt.date
    by: str
    """The id of the person who wrote it."""
    rating: str
    """`red`, `amber` or `green`: the owner's rating, or the one their confidence stands for."""
    rag: str | None
    confidence: str | None
    """`low`, `medium` or `high`, where the owner gave that instead of a rating."""
    summary: str
    next_steps: str | None
    risks: str | None
    asks: str | None


@dataclass(frozen=True, slots=True)
class LatestUpdateView:
    """An item's latest update at as-of, and whether it is older than its period."""

    update: UpdateView
    stale: bool
    next_due: dt.date


@dataclass(frozen=True, slots=True)
class ItemView:
    """A goal or KPI as evaluated at as-of (`evaluate.ItemStatus`), as plain values."""

    id: str
    type: str
    """`goal` or `kpi`."""
    kind: str
    """A KPI's kind (`numeric`, `milestone`, `indicator`, `ongoing`); a goal's (`goal`, ...)."""
    title: str
    plan: str | None
    theme: str
    group: str | None
    owner: str | None
    chairs: tuple[str, ...]
    status: str
    """`on_track`, `overdue`, ...: the `status` filter shows it as a word and a mark."""
    reason: str
    due: dt.date | None
    due_text: str | None
    due_from_plan: bool
    progress: float | None
    latest: LatestView | None
    target: str | None
    unit: str | None
    flags: tuple[str, ...]
    goal: str | None
    counted: bool
    uses: tuple[str, ...]
    used_by: tuple[str, ...]
    target_value: float | tuple[float, float] | None
    direction: str | None
    frequency: str | None
    next_reading: dt.date | None
    year_target: TargetView | None
    update: LatestUpdateView | None
    disagreement: str | None
    tracked_since: dt.date | None
    """When its plan's tracking began (`tracking:` in lcrplan.yaml), where that is later than
    the plan's start: no reading is chased from before it."""
    forecast: ForecastView | None
    attention: AttentionView | None
    """Why it needs attention (the first rule of `attention.RULES` that applies), or None."""
    kpis_with_target: int
    """A goal's KPIs that have a target (its progress is over these)."""
    kpis_reported: int
    """Of those, how many have a reading."""
    progress_text: str | None
    """What a goal's progress covers: "1 of 2 KPIs reported: 77% there"."""


@dataclass(frozen=True, slots=True)
class AttentionView:
    """Why an item needs attention (`attention.Need`): the rule, its heading and a sentence."""

    concern: str
    """The rule: `overdue`, `reading_overdue`, `off_track`, `disagrees`, `at_risk`, `due_soon`
    or `stale`."""
    title: str
    reason: str
    since: dt.date | None


@dataclass(frozen=True, slots=True)
class ForecastView:
    """A numeric KPI's course at its current pace (`forecast.Forecast`); rates per month, or %
    a year where `compound`."""

    since: dt.date
    latest: dt.date
    latest_value: float
    rate: float
    reaches: dt.date | None
    due: dt.date | None
    late_days: int | None
    needed: float | None
    needed_at_start: float | None
    at_due: float | None
    compound: bool


ITEM_LEFT_OUT = frozenset({"basis"})
"""`ItemStatus` fields an `ItemView` does not carry: the pace's workings reach templates only
as a chart's `Pace` (`ItemRow.pace`)."""


def latest_view(latest: Latest) -> LatestView:
    return LatestView(latest.date, latest.value, latest.text)


def target_view(target: DatedTarget) -> TargetView:
    return TargetView(target.date, target.value, target.text, target.final)


def update_view(update: OwnerUpdate) -> UpdateView:
    return UpdateView(
        update.period,
        update.date,
        update.by,
        str(update.rating),
        _text(update.rag),
        _text(update.confidence),
        update.summary,
        update.next_steps,
        update.risks,
        update.asks,
    )


def latest_update_view(latest: LatestUpdate) -> LatestUpdateView:
    return LatestUpdateView(update_view(latest.update), latest.stale, latest.next_due)


def item_view(item: ItemStatus) -> ItemView:
    """The item as plain values: statuses, types, kinds and flags as strings."""
    return ItemView(
        id=item.id,
        type=str(item.type),
        kind=str(item.kind),
        title=item.title,
        plan=item.plan,
        theme=item.theme,
        group=item.group,
        owner=item.owner,
        chairs=tuple(item.chairs),
        status=str(item.status),
        reason=item.reason,
        due=item.due,
        due_text=item.due_text,
        due_from_plan=item.due_from_plan,
        progress=item.progress,
        latest=latest_view(item.latest) if item.latest else None,
        target=item.target,
        unit=item.unit,
        flags=tuple(str(f) for f in item.flags),
        goal=item.goal,
        counted=item.counted,
        uses=tuple(item.uses),
        used_by=tuple(item.used_by),
        target_value=item.target_value,
        direction=item.direction,
        frequency=_text(item.frequency),
        next_reading=item.next_reading,
        year_target=target_view(item.year_target) if item.year_target else None,
        update=latest_update_view(item.update) if item.update else None,
        disagreement=item.disagreement,
        tracked_since=item.tracked_since,
        forecast=forecast_view(item.forecast) if item.forecast else None,
        attention=attention_view(item.attention) if item.attention else None,
        kpis_with_target=item.kpis_with_target,
        kpis_reported=item.kpis_reported,
        progress_text=item.progress_text,
    )


def attention_view(need: Need) -> AttentionView:
    return AttentionView(str(need.concern), need.title, need.reason, need.since)


def forecast_view(found: Forecast) -> ForecastView:
    return ForecastView(
        found.since,
        found.latest,
        found.latest_value,
        found.rate,
        found.reaches,
        found.due,
        found.late_days,
        found.needed,
        found.needed_at_start,
        found.at_due,
        found.compound,
    )


@dataclass(frozen=True, slots=True)
class SummaryView:
    """The counts of the items shown (`summary.Summary`), every one over the same items."""

    as_of: dt.date
    items: int
    """KPIs plus goals with no KPI: the unit of every count."""
    kpis: int
    goals_without_kpi: int
    goals: int
    by_status: Mapping[str, int]
    """Items by status: every status, worst first, zeros included."""
    counts: tuple[tuple[str, int], ...]
    """(status, items) worst first, leaving out zeros."""
    overdue: int
    due_soon: int
    due_soon_days: int
    stale: int
    stale_days: int
    not_reported: int
    never_reported: int
    """KPIs that have never had a reading, whatever their status."""
    needs_attention: int
    attention: Mapping[str, int]
    """Items needing attention by rule (`attention.RULES` order), zeros included: they add up
    to `needs_attention`."""
    good: int
    judged: int
    good_share: float | None


def summary_view(summary: Summary) -> SummaryView:
    return SummaryView(
        as_of=summary.as_of,
        items=summary.items,
        kpis=summary.kpis,
        goals_without_kpi=summary.goals_without_kpi,
        goals=summary.goals,
        by_status=frozen_mapping((str(s), n) for s, n in summary.by_status.items()),
        counts=tuple((str(s), n) for s, n in summary.counts),
        overdue=summary.overdue,
        due_soon=summary.due_soon,
        due_soon_days=summary.due_soon_days,
        stale=summary.stale,
        stale_days=summary.stale_days,
        not_reported=summary.not_reported,
        never_reported=summary.never_reported,
        needs_attention=summary.needs_attention,
        attention=frozen_mapping((str(c), n) for c, n in summary.attention.items()),
        good=summary.good,
        judged=summary.judged,
        good_share=summary.good_share,
    )


# --- the site's links ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Links:
    """The file name of each page, so templates link by name and never build a path.

    Its three methods are the only methods of a record a template may call (`templating`'s
    allow-list): each turns ids into a page's name, and reads nothing else."""

    owners: Mapping[str, str]
    """The page of each owner that has one (boards, groups, and the people who own an item)."""

    def item(self, item: ItemView) -> str:
        """`goal-ID.html` or `kpi-ID.html`."""
        return page_name(str(item.type), str(item.id))

    def owner(self, owner_id: str) -> str:
        """`owner-ID.html`, or "" when the owner has no page."""
        return self.owners.get(owner_id, "")

    def plan(self, plan_id: str) -> str:
        """`plan-ID.html`."""
        return page_name("plan", plan_id)


def page_name(kind: str, item_id: str) -> str:
    """The file a page is written to: `kpi-ci-inv-3-people.html`."""
    return f"{kind}-{item_id}.html"
