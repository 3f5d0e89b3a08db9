"""Shared measures: a KPI defined once under one goal and listed under `uses:` by others is
recorded once, counted once and rolls up into every goal that uses it; mistakes in `uses:` are
located errors, and two KPIs that look like one measure tracked twice get a warning."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

import lcrplan

from .conftest import DATA, MINIMAL, TODAY, theme_file, write_tree

# Line numbers in the expected messages refer to this file, as written by `theme_file`:
#  8  - id: fibre          13  - id: fibre-km     19  - id: spine       24  - kpi: fibre-km
FIBRE = """
- id: fibre
  title: Deliver the core fibre network
  due: 2040-12-31
  source: {document: doc}
  kpis:
    - id: fibre-km
      kind: numeric
      title: Core fibre network length
      target: 220
      unit: km
      source: {document: doc}
"""
SHARED = theme_file(
    FIBRE
    + """\
- id: spine
  title: Improve digital inclusion
  due: 2030-12-31
  source: {document: doc}
  uses:
    - kpi: fibre-km
      source: {document: doc, lines: "12"}
"""
)


def shared_data(tmp_path, text: str = SHARED):
    return write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": text})


def problems(run, data) -> list[str]:
    result = run("validate", "--data", data, "--no-cache")
    return [
        line for line in result.output.splitlines() if ": error: " in line or ": warning: " in line
    ]


def items(run, data, as_of: str) -> dict[str, dict]:
    result = run("status", "--data", data, "--as-of", as_of, "-f", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    return {i["id"]: i for i in json.loads(result.stdout)["items"]}


def test_a_used_kpi_is_valid_and_rolls_up_into_both_goals(tmp_path, run):
    data = shared_data(tmp_path)
    assert problems(run, data) == []
    found = items(run, data, "2026-11-30")
    assert set(found) == {"fibre", "fibre-km", "spine"}  # the KPI is listed once
    assert found["fibre-km"]["status"] == "not_reported"
    assert found["fibre-km"]["used_by"] == ["spine"]
    assert found["spine"]["uses"] == ["fibre-km"]
    assert found["spine"]["status"] == found["fibre"]["status"] == "not_reported"
    assert [i["counted"] for i in found.values()] == [False, True, False]


def test_a_reading_recorded_once_reaches_every_goal_that_uses_it(tmp_path, run):
    data = shared_data(tmp_path)
    result = run("record", "fibre-km", "220", "--date", "2026-03-31", "--data", data)
    assert result.exit_code == 0, result.output
    found = items(run, data, "2026-11-30")
    assert found["fibre-km"]["status"] == "done"
    assert found["fibre"]["status"] == found["spine"]["status"] == "done"
    assert found["spine"]["reason"] == "all 1 KPIs done"


def test_a_used_kpi_past_its_date_makes_the_using_goal_behind(tmp_path, run):
    data = shared_data(tmp_path, SHARED.replace("    due: 2040-12-31\n", "    due: 2021-12-31\n"))
    found = items(run, data, "2026-11-30")
    assert found["fibre-km"]["status"] == "overdue"
    assert found["fibre"]["status"] == "overdue"  # its own date has passed
    assert found["spine"]["status"] == "behind"  # due 2030: not overdue before its own date


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    - kpi: fibre-km\n",
            "    - kpi: fibre-kn\n",
            "data/theme.yaml:24:14: error: goal spine: unknown KPI 'fibre-kn' "
            "(did you mean 'fibre-km'?) [LCR308]",
        ),
        (
            "    - kpi: fibre-km\n",
            "    - kpi: fibre-km\n        source: {document: doc}\n      - kpi: fibre-km\n",
            "data/theme.yaml:26:14: error: goal spine: KPI 'fibre-km' is listed twice under "
            "`uses:` (list each KPI once; the first entry's source can cite more lines) [LCR414]",
        ),
    ],
    ids=["unknown kpi", "listed twice"],
)
def test_mistakes_in_uses_are_located_errors(tmp_path, run, old, new, expected):
    text = SHARED.replace(old, new, 1)
    assert text != SHARED
    found = problems(run, shared_data(tmp_path, text))
    assert found == [expected]


def test_a_goal_using_its_own_kpi_is_an_error(tmp_path, run):
    own = theme_file(FIBRE + "  uses:\n    - kpi: fibre-km\n      source: {document: doc}\n")
    assert problems(run, shared_data(tmp_path, own)) == [
        "data/theme.yaml:20:14: error: goal fibre: uses its own KPI 'fibre-km' (a KPI under "
        "`kpis:` already measures its goal: remove it from `uses:`) [LCR413]"
    ]


def test_two_kpis_tracking_one_measure_get_a_warning(tmp_path, run):
    twice = SHARED.replace(
        '    uses:\n      - kpi: fibre-km\n        source: {document: doc, lines: "12"}\n',
        "    kpis:\n      - id: spine-km\n        kind: numeric\n        title: Fibre spine\n"
        "        target: 220\n        unit: km\n        due: 2040-12-31\n"
        "        source: {document: doc}\n",
    )
    assert twice != SHARED
    assert problems(run, shared_data(tmp_path, twice)) == [
        "data/theme.yaml:24:13: warning: kpi spine-km: may track the same measure as "
        "'fibre-km' (same unit, target and due date: 220 km by 2040-12-31) (if it is one "
        "measure, define it once and list it under `uses:` of the other goal (data/README.md, "
        "Shared measures); if not, make the titles say how they differ) [LCR506]"
    ]


RETIRED = {
    "lis-econ-rd-gdp": "lis-econ-rd-target",
    "lis-fdn-ideas-kpi-rd-gdp": "lis-econ-rd-target",
    "lis-gc-tech-kpi-fibre-spine": "lis-fdn-infrastructure-kpi-fibre-km",
    "lis-gc-clean-kpi-walking-cycling-route": "lis-fdn-infrastructure-kpi-walking-cycling-km",
    "lis-fdn-people-out-1-healthy-life-expectancy": "lis-opp-health-healthy-life-expectancy",
    "lis-fdn-people-out-3-inactivity": "lis-econ-inactivity",
    # issue 23: one figure, one KPI
    "lis-fdn-business-environment-out-1-gva": "lis-econ-gva",
    "lis-fdn-business-environment-kpi-business-density": "lis-econ-business-density",
    "lis-fdn-business-environment-out-2-start-up-rate": "lis-econ-startup-rate",
    "lis-fdn-business-environment-out-2-survival-rate": "lis-econ-survival-3yr",
    "lis-fdn-business-environment-out-3-exporting": "lis-econ-exporters",
    "lis-fdn-places-kpi-visitors": "lis-econ-visitors",
    "lis-fdn-places-kpi-visitor-economy-value": "lis-econ-visitor-spend",
    "lis-fdn-places-out-4-tourism-jobs": "lis-econ-visitor-jobs",
}
USES = {
    "lis-fdn-ideas-kp-4": ["lis-econ-rd-target"],
    "lis-fdn-ideas-act-2": ["lis-econ-rd-target"],
    "lis-gc-tech-act-4": [
        "lis-fdn-infrastructure-kpi-fibre-km",
        "lis-fdn-infrastructure-kpi-fibre-all-las",
    ],
    "lis-gc-clean-act-2": ["lis-fdn-infrastructure-kpi-walking-cycling-km"],
    "lis-fdn-people-out-1": ["lis-opp-health-healthy-life-expectancy"],
    "lis-fdn-people-out-3": ["lis-econ-inactivity"],
    "lis-fdn-business-environment-out-1": ["lis-econ-gva", "lis-econ-business-density"],
    "lis-fdn-business-environment-out-2": ["lis-econ-startup-rate", "lis-econ-survival-3yr"],
    "lis-fdn-business-environment-out-3": ["lis-econ-exporters"],
    "lis-fdn-places-act-3": ["lis-econ-visitors", "lis-econ-visitor-spend"],
    "lis-fdn-places-out-4": ["lis-econ-visitor-jobs"],
}


def test_the_real_data_defines_each_shared_measure_once():
    loaded = lcrplan.load(DATA, today=TODAY)
    index = loaded.index
    assert not [p.text() for p in loaded.problems if p.code in ("LCR506", "LCR507")]
    assert not set(RETIRED) & set(index.kpis), "a retired id is back"
    assert set(RETIRED.values()) <= set(index.kpis)
    uses = {g.goal.id: [u.kpi for u in g.goal.uses] for g in index.goals.values() if g.goal.uses}
    assert uses == USES
    for goal_id, kpi_ids in USES.items():
        place = index.goals[goal_id].goal
        for use in place.uses:  # each use cites its own lines, with words the document states
            assert use.source.lines and use.source.quote, (goal_id, use.kpi)
        assert all(index.kpis[k][1] != goal_id for k in kpi_ids)
    rd = index.kpis["lis-econ-rd-target"][0]
    assert [(m.date, m.value) for m in rd.measurements] == [(dt.date(2020, 3, 1), 2)]
    # one unit per measure: the kept KPI's, whatever the retired one counted in
    units = {k: index.kpis[k][0].unit for k in set(RETIRED.values())}
    assert units["lis-econ-gva"] == "£bn"
    assert units["lis-econ-visitors"] == "visitors a year"
    # a figure a second chapter words again is one reading, where it is first stated; the using
    # goal's entry quotes the second wording
    visitors = index.kpis["lis-econ-visitors"][0]
    assert [(m.date, m.value, m.source.lines) for m in visitors.measurements] == [
        (dt.date(2018, 12, 31), 67_000_000, "486-487")
    ]
    spotlight = next(
        u for u in index.goals["lis-fdn-places-act-3"].goal.uses if u.kpi == visitors.id
    )
    assert spotlight.source.quote == "generating over 67 million visitors a year"


def test_no_two_kpis_in_the_real_data_hold_one_figure():
    """Every reading (value, date, unit family) of the real data belongs to one KPI, unless the
    two KPIs' titles say they measure different things (checked by hand: listed here)."""
    from lcrplan.loader.quality_checks import similar_titles, title_words, unit_family

    loaded = lcrplan.load(DATA, today=dt.date(2026, 11, 30))
    holders: dict[tuple[object, ...], set[str]] = {}
    for kpi, _goal in loaded.index.kpis.values():
        family, scale = unit_family(getattr(kpi, "unit", None) or "")
        for m in kpi.measurements:
            if m.value is not None:
                holders.setdefault((m.date, family, round(m.value * scale, 6)), set()).add(kpi.id)
    shared = {key: ids for key, ids in holders.items() if len(ids) > 1}
    titles = {k: title_words(kpi.title) for k, (kpi, _goal) in loaded.index.kpis.items()}
    for ids in shared.values():
        first, *others = sorted(ids)
        assert not [o for o in others if similar_titles(titles[first], titles[o])], ids
    # the same share on the same day, of different things (and the LSOA decile vs "the most
    # deprived nationally": two measures, data/README.md)
    assert sorted(sorted(ids) for ids in shared.values()) == [
        ["lis-econ-car-commuting", "lis-econ-community-spirit", "lis-econ-housing-band-ab"],
        ["lis-econ-cluster-exporters", "lis-econ-graduates-leaving"],
        ["lis-econ-full-fibre", "lis-econ-rd-target"],
        ["lis-econ-lsoa-most-deprived", "lis-econ-lsoa-most-deprived-nationally"],
    ]


# --- one figure, one KPI: LCR507 ------------------------------------------------------------
# Line numbers in the expected messages refer to this file, as written by `theme_file`:
#  8  - id: econ    13  - id: gva    20  - id: startup    27  - id: outcome    32  - id: rate


def figures(
    title: str = "Start-up rate of businesses",
    unit: str = '"% of all businesses"',
    date: str = "2020-03-01",
    value: str = "16",
) -> str:
    """Two goals: `econ` with GVA (32 £bn) and a start-up rate (16 % on 2020-03-01), and
    `outcome` with one more indicator, `rate`, whose title, unit and reading are given."""
    return f"""
- id: econ
  title: Understand the economy
  due: 2040-12-31
  source: {{document: doc}}
  kpis:
    - id: gva
      kind: indicator
      title: Size of the economy (GVA)
      direction: increase
      unit: "£bn"
      source: {{document: doc}}
      measurements: [{{date: 2020-03-01, value: 32}}]
    - id: startup
      kind: indicator
      title: Business start-up rate
      direction: increase
      unit: "% of active businesses"
      source: {{document: doc}}
      measurements: [{{date: 2020-03-01, value: 16}}]
- id: outcome
  title: Increased entrepreneurial activity
  due: 2040-12-31
  source: {{document: doc}}
  kpis:
    - id: rate
      kind: indicator
      title: {title}
      direction: increase
      unit: {unit}
      source: {{document: doc}}
      measurements: [{{date: {date}, value: {value}}}]
"""


SAME_FIGURE = (
    "data/theme.yaml:32:13: warning: kpi rate: holds the same figure as 'startup' (16 % of "
    "active businesses on 2020-03-01), under a similar title (if it is one measure, keep the "
    "KPI where the document first states it and list it under `uses:` of the other goal "
    "(data/README.md, Shared measures); if not, make the titles say how they differ) [LCR507]"
)


def test_a_figure_held_by_two_kpis_is_flagged_at_the_second(tmp_path, run):
    data = shared_data(tmp_path, theme_file(figures()))
    # LCR506 does not see it: indicators have no target, and the titles and units differ
    assert problems(run, data) == [SAME_FIGURE]
    strict = run("validate", "--data", data, "--no-cache", "--strict", "--format", "json")
    assert strict.exit_code == 1, strict.output
    found = json.loads(strict.stdout)["items"]
    assert [(p["code"], p["severity"], p["line"]) for p in found] == [("LCR507", "warning", 32)]


def test_a_figure_shared_through_uses_is_not_flagged(tmp_path, run):
    shared = figures().split("  kpis:\n    - id: rate")[0] + (
        "  uses:\n    - kpi: startup\n      source: {document: doc}\n"
    )
    data = shared_data(tmp_path, theme_file(shared))
    assert problems(run, data) == []
    assert items(run, data, "2026-11-30")["outcome"]["uses"] == ["startup"]


@pytest.mark.parametrize(
    ("change", "flagged"),
    [
        # the same figure in another unit of its family: £32bn is 32,000,000,000 GBP
        (
            {"title": "GVA in the City Region", "unit": "GBP", "value": "32000000000"},
            "holds the same figure as 'gva' (32 £bn on 2020-03-01), under a similar title",
        ),
        ({"title": "Business start-up rate", "unit": "'%'"}, "as 'startup' (16 % of active"),
        ({"value": "17"}, None),
        ({"date": "2019-03-01"}, None),
        ({"unit": "businesses"}, None),
        ({"title": "Residents in fuel poverty"}, None),
    ],
    ids=[
        "£bn and GBP",
        "a bare %",
        "another value",
        "another date",
        "another unit family",
        "another title",
    ],
)
def test_only_the_same_value_date_unit_family_and_a_similar_title_make_one_figure(
    tmp_path, run, change, flagged
):
    found = problems(run, shared_data(tmp_path, theme_file(figures(**change))))
    if flagged is None:
        assert found == []
    else:
        assert len(found) == 1, found
        assert flagged in found[0] and found[0].endswith("[LCR507]"), found


def test_a_chair_adding_a_third_copy_of_a_real_figure_is_warned_at_its_line(tmp_path, run):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".lcrplan-cache"))
    theme = data / "lis" / "foundation-business-environment.yaml"
    text = theme.read_text(encoding="utf-8")
    anchor = "  - id: lis-fdn-business-environment-kp-3\n"
    planted = (
        "  - id: planted-goal\n"
        "    title: More new businesses\n"
        '    source: {document: lis-draft-2020, lines: "2012"}\n'
        "    kpis:\n"
        "      - id: planted-start-ups\n"
        "        kind: indicator\n"
        "        title: New business start-ups\n"
        "        direction: increase\n"
        '        unit: "% of all businesses"\n'
        '        source: {document: lis-draft-2020, lines: "2012"}\n'
        "        measurements: [{date: 2020-03-01, value: 16}]\n"
    )
    assert anchor in text
    theme.write_text(text.replace(anchor, planted + anchor, 1), encoding="utf-8")
    line = text[: text.index(anchor)].count("\n") + 5
    result = run("validate", "--data", data, "--no-cache", "--as-of", "2026-11-30", "--no-source")
    assert result.exit_code == 0, result.output  # a warning: the chair sees it, CI passes
    assert (
        f"data/lis/foundation-business-environment.yaml:{line}:13: warning: kpi "
        "planted-start-ups: holds the same figure as 'lis-econ-startup-rate' (16 % of active "
        "businesses on 2020-03-01), under a similar title"
    ) in result.output
    assert result.output.count("[LCR507]") == 1
    strict = run("validate", "--data", data, "--no-cache", "--as-of", "2026-11-30", "--strict")
    assert strict.exit_code == 1
