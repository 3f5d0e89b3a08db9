"""The monthly report's content: everything a template shows, worked out from data and dates.

Pure: takes the loaded data, the period and the filters; reads no clock and no files, and
imports no template engine. Every list is in a stable order, so the same data and dates give the
same report. Every count is of items as `summary` defines them (KPIs, each once, and goals with
no KPI); a goal with KPIs takes the worst of their statuses and is not counted again.

The records here are what templates get, so each holds plain data only: a model or an evaluated
item becomes its record in `records` as the report is built (see `records` for why). Its parts
have modules of their own: the rows of its tables (`rows`), each plan's timeline (`gantt`), what
happened in the month (`month`) and the data-quality section (`quality`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..core.models import DataSet, ThemeFile

# The command line still takes the period from here.
from ..core.periods import ReportPeriod, day_period, financial_year, fy_start_year, month_period  # noqa: F401
from ..core.problems import Problem
from ..core.settings import Config
from ..core.statuses import HELD, SEVERITY
from ..core.vocabulary import ItemType
from ..evaluate.attention import RULES, Concern, by_concern
from ..evaluate.scorecard import ItemStatus, Scorecard, evaluate, select
from ..evaluate.summary import summarize, units
from ..loader.index import Index
from ..loader.policy import Policy
from .gantt import Gantt, plan_gantt
from .month import (
    Recorded,
    Revision,
    SinceLast,
    StatusChangeRow,
    completions_recorded,
    readings_recorded,
    revisions_made,
    since_last,
    status_changes,
)
from .quality import Quality, quality_section
from .records import (
    DocumentView,
    ItemView,
    PlanView,
    SummaryView,
    TargetView,
    ThemeView,
    UpdateView,
    document_view,
    plan_view,
    summary_view,
    target_view,
    theme_view,
    update_view,
)
from .rows import ItemRow, Rows, Who, status_counts, who

if TYPE_CHECKING:
    from ..evaluate.history import Move

ATTENTION_SHOWN = 10  # rows per attention list before the rest fold into <details>
DECISIONS_SHOWN = 10  # the things a board is asked to decide, on the report's first page
PLAN_ATTENTION_SHOWN = 5  # of a plan's items that need attention, in its own section
MONTH_SHOWN = 25  # rows per "this month" list before the rest fold
DETAIL_ROWS = 1500  # above this many goals and KPIs, plan sections give counts, not item tables


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
class ThemeSection:
    """One theme (focus area, sub-group workstream, section) and its table."""

    theme: ThemeView
    owner: Who
    group: Who | None
    rows: tuple[ItemRow, ...]
    counts: tuple[tuple[str, int], ...]


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
    period: ReportPeriod
    filters: tuple[tuple[str, str], ...]
    plans: tuple[PlanSection, ...]
    groups: tuple[Who, ...]
    summary: SummaryView
    attention: tuple[Attention, ...]
    owners: tuple[OwnerLoad, ...]
    measurements: tuple[Recorded, ...]
    completions: tuple[Recorded, ...]
    revisions: tuple[Revision, ...]
    changes: tuple[StatusChangeRow, ...]
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
    period: ReportPeriod,
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
    measurements = readings_recorded(data, card, period, rows)
    completions = completions_recorded(data, card, period, rows)
    changes = status_changes(counted, before, rows)
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
        revisions=revisions_made(data, card, period, rows),
        changes=changes,
        quality=quality_section(problems, card, plan or group, policy or Policy()),
        sources=_sources(data, card, index),
        settings=Settings(config.due_soon_days, config.stale_days, ATTENTION_SHOWN, MONTH_SHOWN),
        detail=detail,
        updates=_updates(card, index, rows),
        year_targets=_year_targets(card, rows),
        financial_year=financial_year(fy_start_year(period.as_of)).label,
        decisions=_decisions(attention),
        since=since_last(
            changes, measurements, completions, card, rows, period, history, no_history
        )
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
                gantt=plan_gantt(plan, plan_themes, items, index, card.as_of),
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


def _groups(card: Scorecard, index: Index) -> tuple[Who, ...]:
    names = index.owners
    ids = sorted({i.group for i in card.items if i.group}, key=lambda g: (names.get(g, g), g))
    return tuple(who(g, index) for g in ids)


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
