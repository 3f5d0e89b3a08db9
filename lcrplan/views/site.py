"""The static dashboard's pages: what each shows, worked out from the data, the date and the
report's own content.

Pure: takes the loaded data, the period and the goalpost history; reads no clock and no files,
and imports no template engine. The home page shows the monthly report's summary, attention
lists and plans (`report.build_report`), and every table row is the report's (`rows.Rows`),
so the site and the report give the same numbers for the same date. Like the report's, every
record here holds plain data only (`records`): it is what the page templates get.

Pages sit side by side in one folder, named by kind and id (`kpi-ci-inv-3-people.html`; ids are
lowercase letters, digits and hyphens), and link to each other by those names only, so the site
works from a folder, a zip or any web server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.model_base import Source
from ..core.models import Board, DataSet, Group, Measurement, Person
from ..core.statuses import SEVERITY
from ..core.vocabulary import ItemType
from ..evaluate.history import History, Move, moves_of
from ..evaluate.judges import measurements_until
from ..evaluate.scorecard import ItemStatus, Scorecard, evaluate
from ..evaluate.summary import units
from ..loader.index import Index
from ..loader.policy import Policy
from .records import (
    DocumentView,
    GoalView,
    ItemView,
    KpiView,
    Links,
    OwnerView,
    PlanView,
    SourceView,
    ThemeView,
    document_view,
    frozen_mapping,
    goal_view,
    kpi_view,
    owner_view,
    page_name,
    plan_view,
    source_view,
    theme_view,
)
from .report import PlanSection, Report, build_report
from .rows import ItemRow, Rows, Who, status_counts, who

ATTENTION_MAX = 1000  # rows per list on attention.html; `lcrplan status --all` lists every one
OWNER_MAX = 1000  # goals and KPIs listed on an owner's page; the plan pages list every goal
STYLE = "style.css"


@dataclass(frozen=True, slots=True)
class Site:
    """What every page shares: the data set's title, the date, the plans for the navigation."""

    title: str
    as_of: dt.date
    plans: tuple[PlanView, ...]
    links: Links
    people: Mapping[str, str]
    """Each person's name by id (who wrote an update)."""
    stale_days: int
    no_history: str
    """Why no KPI page shows its target's history, when none does."""
    style: str = STYLE
    attention_max: int = ATTENTION_MAX
    statuses: tuple[str, ...] = tuple(str(s) for s in SEVERITY)
    """Every status, worst first: the key to the shapes."""


@dataclass(frozen=True, slots=True)
class Cite:
    """Where an item comes from: its source, and the document it names (if listed)."""

    source: SourceView
    document: DocumentView | None


@dataclass(frozen=True, slots=True)
class Body:
    """A board, sub-group or person with a page: who it is and what it owns, with counts."""

    who: Who
    kind: str
    """`board`, `sub-group` (any group), or `person`."""
    model: OwnerView
    """Its own fields: `remit` (a board or group), `role` and `organisation` (a person)."""
    parent: Who | None
    groups: tuple[Who, ...]
    plans: tuple[PlanView, ...]
    rows: tuple[ItemRow, ...]
    """Goals and KPIs it owns or whose theme it leads, in plan order (the first OWNER_MAX)."""
    more: int
    """How many more it owns than `rows` lists."""
    counts: tuple[tuple[str, int], ...]
    items: int
    cite: Cite | None


@dataclass(frozen=True, slots=True)
class GoalLine:
    """A goal in a plan's theme table, with how many KPIs it has."""

    row: ItemRow
    kpis: int


@dataclass(frozen=True, slots=True)
class ThemeBlock:
    """One theme of a plan page: who leads it and its goals."""

    theme: ThemeView
    owner: Who
    group: Who | None
    goals: tuple[GoalLine, ...]
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PlanPage:
    """A plan: the report's section for it (owner, counts, timeline), and its goals by theme."""

    section: PlanSection
    themes: tuple[ThemeBlock, ...]
    cite: Cite


@dataclass(frozen=True, slots=True)
class ReadingRow:
    """One measurement as a KPI page's table shows it."""

    date: dt.date
    value: str
    text: str
    note: str
    source: str


@dataclass(frozen=True, slots=True)
class GoalPage:
    """A goal: its status and reason, where it sits, its KPIs and its source."""

    row: ItemRow
    goal: GoalView
    theme: ThemeView
    plan: PlanView | None
    kpis: tuple[ItemRow, ...]
    """Its own KPIs, then those it uses from other goals (marked `used`)."""
    cite: Cite


@dataclass(frozen=True, slots=True)
class KpiPage:
    """A KPI: its status and reason, trend chart, readings, source and goalpost history."""

    row: ItemRow
    kpi: KpiView
    goal: ItemView
    theme: ThemeView
    plan: PlanView | None
    readings: tuple[ReadingRow, ...]
    later: int
    """Readings dated after as-of, left out everywhere."""
    cite: Cite
    history: tuple[Move, ...] | None
    """Its goalposts' moves from git, oldest first; None when the data is not in git."""


@dataclass(frozen=True, slots=True)
class Page:
    """One file of the site: its name, the template that renders it, and what it shows."""

    name: str
    template: str
    title: str
    content: object
    context: Mapping[str, Any] = field(default_factory=lambda: frozen_mapping({}))


def page_context(page: Page, site: Site) -> dict[str, Any]:
    """A page's template context: `site`, `page`, `content` and any extra values (the home
    page's `bodies`)."""
    return {"site": site, "page": page, "content": page.content, **page.context}


@dataclass(frozen=True, slots=True)
class Built:
    """Every page of the site, and what they share."""

    site: Site
    report: Report
    pages: tuple[Page, ...]


def build_site(
    data: DataSet,
    index: Index,
    problems: Sequence[Any],
    period: Any,
    history: History | None = None,
    policy: Policy | None = None,
    no_history: str = "the data is not in a git repository",
) -> Built:
    """Every page for `data` at `period.as_of` (`period`: a `periods.ReportPeriod`; `history`: the
    goalposts' moves from git, None when there are none to show, for the reason `no_history`)."""
    as_of = period.as_of
    card = evaluate(data, as_of, index)
    rows = Rows(index, as_of, card, charts=True)
    report = build_report(data, problems, period, None, None, index, policy, card, rows, False)
    plans = {p.id: plan_view(p) for p in data.plans}
    themes_by_id = {t.theme.id: theme_view(t.theme) for t in data.themes}
    documents = {key: document_view(d) for key, d in index.documents.items()}
    bodies = _bodies(card, index, rows, plans, documents)
    links = Links(frozen_mapping((b.who.id, page_name("owner", b.who.id)) for b in bodies))
    people = frozen_mapping((p.id, p.name) for p in data.people)
    site = Site(
        report.title,
        as_of,
        tuple(plans.values()),
        links,
        people,
        data.config.stale_days,
        no_history,
    )
    pages = [
        Page(
            "index.html",
            "site-home.html.j2",
            report.title,
            report,
            frozen_mapping({"bodies": bodies}),
        ),
        Page("attention.html", "site-attention.html.j2", "Needs attention", report),
    ]
    sections = {s.plan.id: s for s in report.plans}
    themes = _themes(card, index, rows, themes_by_id)
    for plan in data.plans:
        if plan.id in sections:
            content = PlanPage(
                sections[plan.id], themes.get(plan.id, ()), _cite(plan.source, documents)
            )
            pages.append(Page(links.plan(plan.id), "site-plan.html.j2", plan.title, content))
    pages += [
        Page(page_name("owner", b.who.id), "site-owner.html.j2", b.who.name, b) for b in bodies
    ]
    kpis_of: dict[str, list[ItemStatus]] = {}
    for item in card.kpis():
        kpis_of.setdefault(item.goal or "", []).append(item)
    by_id = card.by_id()
    for item in card.items:
        if item.type is ItemType.goal:
            place = index.goals[item.id]
            goal_page = GoalPage(
                rows[item.id],
                goal_view(place.goal),
                themes_by_id[place.theme.id],
                plans[place.plan.id] if place.plan else None,
                (
                    *(rows[k.id] for k in kpis_of.get(item.id, ())),
                    *(replace(rows[k], used=True) for k in item.uses if k in by_id),
                ),
                _cite(place.goal.source, documents),
            )
            pages.append(
                Page(links.item(goal_page.row.item), "site-goal.html.j2", item.title, goal_page)
            )
        else:
            pages.append(
                _kpi_page(item, index, rows, as_of, history, links, plans, themes_by_id, documents)
            )
    return Built(site, report, tuple(pages))


def _kpi_page(
    item: ItemStatus,
    index: Index,
    rows: Rows,
    as_of: dt.date,
    history: History | None,
    links: Links,
    plans: Mapping[str, PlanView],
    themes: Mapping[str, ThemeView],
    documents: Mapping[str, DocumentView],
) -> Page:
    kpi, goal_id = index.kpis[item.id]
    place = index.goals[goal_id]
    shown = measurements_until(kpi, as_of)
    unit = getattr(kpi, "unit", None) or ""
    moves = moves_of(history, item.id)
    content = KpiPage(
        row=rows[item.id],
        kpi=kpi_view(kpi),
        goal=rows.view(goal_id),
        theme=themes[place.theme.id],
        plan=plans[place.plan.id] if place.plan else None,
        readings=tuple(_reading(x, unit, index) for x in shown),
        later=len(kpi.measurements) - len(shown),
        cite=_cite(kpi.source, documents),
        history=None if moves is None else tuple(moves),
    )
    return Page(links.item(content.row.item), "site-kpi.html.j2", item.title, content)


def _reading(x: Measurement, unit: str, index: Index) -> ReadingRow:
    from ..core.formatting import value_text

    value = value_text(x.value, unit) if x.value is not None else ""
    said = [
        *(["provisional"] if x.provisional else []),
        *([f"for {x.period}"] if x.period else []),
        *([f"revised on {x.written}: {x.revised}"] if x.revised and x.written else []),
        *([f"written {x.written}"] if x.written and not x.revised else []),
        *([x.note] if x.note else []),
    ]
    note = "; ".join(said)
    return ReadingRow(x.date, value, x.text or "", note, _source_text(x.source, index))


def _source_text(source: Source | str | None, index: Index) -> str:
    """A measurement's source in words: `Document title, section, lines 12-14`, or as written."""
    if source is None:
        return ""
    if isinstance(source, str):
        return source
    document = index.documents.get(source.document)
    parts = [document.title if document else source.document]
    parts += [source.section] if source.section else []
    parts += [f"lines {source.lines}"] if source.lines else []
    parts += [f"page {source.page}"] if source.page else []
    return ", ".join(parts)


def _cite(source: Source, documents: Mapping[str, DocumentView]) -> Cite:
    return Cite(source_view(source), documents.get(source.document))


def _themes(
    card: Scorecard, index: Index, rows: Rows, themes: Mapping[str, ThemeView]
) -> dict[str, tuple[ThemeBlock, ...]]:
    """Each plan's themes in file order, each with its goals (and their KPIs counted)."""
    counted_ids = {i.id for i in units(card.items)}
    goals: dict[str, list[ItemStatus]] = {}
    kpis: dict[str, int] = {}
    counted: dict[str, list[ItemStatus]] = {}
    for item in card.items:
        if item.type is ItemType.goal:
            goals.setdefault(item.theme, []).append(item)
        else:
            kpis[item.goal or ""] = kpis.get(item.goal or "", 0) + 1
        if item.id in counted_ids:
            counted.setdefault(item.theme, []).append(item)
    found: dict[str, list[ThemeBlock]] = {}
    for theme_file in index.data.themes:
        theme = theme_file.theme
        if theme.id not in goals:
            continue
        owner_id = theme.owner or theme.group or index.plans[theme.plan].board
        block = ThemeBlock(
            themes[theme.id],
            who(owner_id, index),
            who(theme.group, index) if theme.group else None,
            tuple(GoalLine(rows[g.id], kpis.get(g.id, 0)) for g in goals[theme.id]),
            status_counts(counted.get(theme.id, ())),
        )
        found.setdefault(theme.plan, []).append(block)
    return {plan: tuple(blocks) for plan, blocks in found.items()}


def _bodies(
    card: Scorecard,
    index: Index,
    rows: Rows,
    plans: Mapping[str, PlanView],
    documents: Mapping[str, DocumentView],
) -> tuple[Body, ...]:
    """A page's content for every board and group, and for each person who owns an item."""
    counted_ids = {i.id for i in units(card.items)}
    mine: dict[str, list[ItemStatus]] = {}
    for item in card.items:
        for owner in dict.fromkeys(o for o in (item.owner, item.group) if o):
            mine.setdefault(owner, []).append(item)
    data = index.data
    found = []
    bodies: Iterable[Board | Group | Person] = [
        *data.boards,
        *data.groups,
        *(p for p in data.people if p.id in mine),
    ]
    order = {item.id: n for n, item in enumerate(card.items)}
    for body in bodies:
        items = mine.get(body.id, [])
        if isinstance(body, Board):  # a board owns what its sub-groups own, as `groups` counts
            subgroups = [g.id for g in data.groups if g.board == body.id]
            every = {i.id: i for i in [*items, *(i for g in subgroups for i in mine.get(g, []))]}
            items = sorted(every.values(), key=lambda i: order[i.id])
        counted = [i for i in items if i.id in counted_ids]
        found.append(
            Body(
                who=who(body.id, index),
                kind=_kind(body),
                model=owner_view(body),
                parent=_parent(body, index),
                groups=tuple(who(g.id, index) for g in data.groups if g.board == body.id),
                plans=tuple(plans[p.id] for p in data.plans if p.board == body.id),
                rows=tuple(rows[i.id] for i in items[:OWNER_MAX]),
                more=max(0, len(items) - OWNER_MAX),
                counts=status_counts(counted),
                items=len(counted),
                cite=_cite(body.source, documents) if body.source else None,
            )
        )
    return tuple(found)


def _kind(body: Board | Group | Person) -> str:
    if isinstance(body, Board):
        return body.kind
    return "sub-group" if isinstance(body, Group) else "person"


def _parent(body: Board | Group | Person, index: Index) -> Who | None:
    if isinstance(body, Group):
        return who(body.board, index)
    if isinstance(body, Board) and body.parent:
        return who(body.parent, index)
    return None
