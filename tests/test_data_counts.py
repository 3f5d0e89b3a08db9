"""What data/ holds, counted against numbers derived by reading the three source documents.

How each number was counted (line numbers are those of the text copies in shared/sources/):
- Music Board (music-board-subgroups-2026-02.txt): 6 sub-groups and 7 chairs in the list on
  lines 11-16 (UNESCO & Music Month has two chairs). Goals: one per objective, priority area or
  project each section names after its remit paragraph: Export 4, AI 4, Education 3, Venues 5,
  Sustainability 9 (4 early priority areas + 4 potential projects + the cultural role of music),
  UNESCO 5 = 30. Milestone KPIs only where a deliverable is named: the AI principles framework,
  the regional promotional initiative and the diesel-free roadmap = 3. No dates in the text.
- Creative Industries (creative-industries-strategy-2025.txt): 5 focus areas (lines 138-142);
  goal headings Investment 3 (150-168), Collaboration 4 (173-176), Skills 4 (181-184),
  Infrastructure 3 (192-208), Risk-taking 4 (213-216) = 18 goals. 19 KPI statements; 7 of them
  join two conditions and are split in two (+7), and "twice" in the showcase goal adds one
  numeric KPI (+1) = 27: 18 milestones, 8 numeric, 1 ongoing ("Continue to invest ..."). Two
  goals carry a date: "By November 2026" (line 164) and "in year 1" (line 213). Context (stated,
  not tracked): the three areas of focus of the differentiation strategy (lines 77-79), the CI
  Purpose (113), the Values (124) and the Funding Opportunities list (218-269) = 6.
- Local Industrial Strategy (local-industrial-strategy-draft-2020-03.txt): 4 transformational
  opportunities (902-910), 5 foundations of productivity (chapter 5), 3 grand challenges
  (chapter 6). Numbered actions: the "N - " headings of chapters 5 and 6, 26 + 15 = 41 (`grep -E
  '^ ?[0-9]+ ?[-–] '` gives 45, less the 4 opportunity headings at 902-910). Lettered sub-actions:
  19 (`grep -E '^ ?[a-h]\\) '`). Outcomes: the bullets under each "By 2040" box, 19 in the
  foundations and 9 in the grand challenges, plus 11 outcome groups for the baseline statistics of
  chapters 3-4 = 39. Headlines: 8 executive-summary "By 2040" statements + one per foundation and
  grand challenge = 16. Statistics quoted as dated measurements: 47 in chapters 1-4 (with "only
  two of these sectors are more productive than average", lines 424-425), 21 in chapter 5 (Places
  8, People 1, Business 5, Ideas 4, Infrastructure 3 with the bus service's "more than 3,000
  people", line 2952), 5 in chapter 6 = 73, counted figure by figure while encoding (figures quoted
  twice in different words are kept twice). Context (stated, not tracked, no better direction or
  no commitment): the £75 million Growth Package "already begun" (line 2084), the £350 million
  innovation pipeline (line 2362), the Anfield case study (lines 1376-1377), Liverpool Central "the
  third busiest station in the north" (lines 2908-2909) and the UK clean economy growing at "four
  times the rate of GDP" (line 3088) = 5. Estimates are neither targets nor context KPIs: NPIC's
  packaging market (lines 1000-1003) and NPR/HS2's effects (lines 835-839) are notes.
"""

from __future__ import annotations

from collections import Counter

import pytest

from lcrplan.load import load

from .conftest import DATA, TODAY


@pytest.fixture(scope="module")
def data():
    return load(DATA, TODAY, use_cache=False).data


def plan_items(data, plan_id):
    themes = [t for t in data.themes if t.theme.plan == plan_id]
    goals = [g for t in themes for g in t.goals]
    kpis = [k for g in goals for k in g.kpis]
    return themes, goals, kpis


def test_music_board(data):
    groups = [g for g in data.groups if g.board == "music-board"]
    assert len(groups) == 6
    chairs = sorted(p.name for p in data.people if any(p.id in g.chairs for g in groups))
    assert chairs == sorted(
        [
            "Jennifer Johnston",
            "Mel Burton",
            "Adrian Bell",
            "Ben Williams",
            "Jade Burns",
            "Francesco Carrasco",
            "Paul Gallagher",
        ]
    )
    unesco = next(g for g in groups if g.id == "mb-unesco")
    assert len(unesco.chairs) == 2
    themes, goals, kpis = plan_items(data, "mb-priorities-2026")
    assert len(themes) == 6
    assert Counter(t.theme.group for t in themes) == Counter(g.id for g in groups)
    assert len(goals) == 30
    assert [k.kind for k in kpis] == ["milestone"] * 3
    tags = Counter(tag for g in goals for tag in g.tags)
    assert tags == {"immediate-priority": 2, "key-ambition": 1}
    assert all(g.due is None for g in goals)


def test_creative_industries(data):
    themes, goals, kpis = plan_items(data, "ci-strategy")
    assert len(themes) == 5
    assert Counter(len(t.goals) for t in themes) == {3: 2, 4: 3}
    assert len(goals) == 18
    assert Counter(k.kind for k in kpis) == {"milestone": 18, "numeric": 8, "ongoing": 1}
    assert sorted(str(g.due.date) for g in goals if g.due) == ["2025-12-31", "2026-11-30"]
    targets = {k.id: k.target for k in kpis if k.kind == "numeric"}
    assert 6750000 in targets.values()
    context = [c.id for c in data.context if c.source.document == "ci-strategy-2025"]
    assert len(context) == 6
    assert {"ci-ctx-purpose", "ci-ctx-values", "ci-ctx-funding"} <= set(context)
    assert any(getattr(t, "low", None) == 5 and t.high == 10 for t in targets.values())
    chair = next(
        p for p in data.people if p.id in next(b for b in data.boards if b.id == "ci-board").chairs
    )
    assert chair.name == "Professor Rachel McLean"


def test_local_industrial_strategy(data):
    themes, goals, kpis = plan_items(data, "lis-2020")
    kinds = Counter(t.theme.kind for t in themes)
    assert kinds["transformational_opportunity"] == 4
    assert kinds["foundation"] == 5
    assert kinds["grand_challenge"] == 3
    by_kind = Counter(g.kind for g in goals)
    assert by_kind["action"] == 41
    assert by_kind["sub_action"] == 19
    assert by_kind["outcome"] == 39
    assert by_kind["headline"] == 16
    assert all(g.parent for g in goals if g.kind == "sub_action")
    indicators = [k for k in kpis if k.kind == "indicator"]
    assert len(indicators) >= 100
    assert all(not hasattr(k, "target") for k in indicators)
    dated_targets = [
        k
        for k in kpis
        if k.kind in ("numeric", "milestone")
        and (k.due is not None or next(g for g in goals if k in g.kpis).due is not None)
    ]
    assert len(dated_targets) >= 20
    statistics = sum(len(k.measurements) for k in kpis)
    assert statistics == 73
    context = {c.id for c in data.context if c.source.document == "lis-draft-2020"}
    assert len(context) == 5
    # Fund and pipeline sizes are not targets counted up from 0: two are context, one a milestone.
    fund_sizes = {75_000_000, 350_000_000, 6_000_000}
    assert not [k.id for k in kpis if k.kind == "numeric" and k.target in fund_sizes]
    assert {
        "lis-fdn-business-environment-kpi-growth-package",
        "lis-fdn-ideas-kpi-innovation-pipeline",
    } <= context
    by_id = {k.id: k for k in kpis}
    assert by_id["lis-fdn-places-kpi-town-centres-fund"].kind == "milestone"
    # Estimates are notes, not targets.
    assert not [k for k in kpis if "packaging-market" in k.id]
    assert "It is estimated that NPIC" in next(g for g in goals if g.id == "lis-opp-idfs-npic").note
    # One series holds one measure: two readings on one date are the same figure worded twice
    # ("4,000 homes were also retrofitted", line 1335; "retrofitted over 4,000 homes", lines
    # 3148-3149), never two measures, as the LSOA decile and "most deprived nationally" were.
    same_date = [k.id for k in kpis if len({m.date for m in k.measurements}) < len(k.measurements)]
    assert same_date == ["lis-fdn-places-out-1-retrofits"]
    net_zero = [
        k
        for k in kpis
        if k.kind == "numeric"
        and k.target == 0
        and k.direction == "decrease"
        and k.due
        and k.due.date.year == 2040
    ]
    assert net_zero, "net zero carbon by 2040 is a dated numeric target"
    assert not any(g.kind == "sub_action" and not g.number for g in goals)
