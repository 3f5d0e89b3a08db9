"""Shared measures: a KPI defined once under one goal and listed under `uses:` by others is
recorded once, counted once and rolls up into every goal that uses it; mistakes in `uses:` are
located errors, and two KPIs that look like one measure tracked twice get a warning."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lcrplan.load import load

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
}


def test_the_real_data_defines_each_shared_measure_once():
    loaded = load(DATA, TODAY, use_cache=False)
    index = loaded.index
    assert not [p.text() for p in loaded.problems if "same measure" in p.message]
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
