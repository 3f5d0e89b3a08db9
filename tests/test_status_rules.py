"""Status rules at their boundary dates, end to end through `lcrplan status --format json`."""

from __future__ import annotations

import json

import pytest

from .conftest import theme_file, write_tree

MILESTONE = """
- id: g
  title: Launch
  source: {document: doc}
  due: 2023-11-30
  kpis:
    - id: k
      kind: milestone
      title: Launched
      source: {document: doc}
      %s
"""


def statuses(run, data, as_of: str) -> dict[str, dict]:
    result = run("status", "--data", data, "--as-of", as_of, "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)["items"]}


def with_goals(data_dir, goals: str):
    write_tree(data_dir, {"theme.yaml": theme_file(goals)})
    return data_dir


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2023-11-29", "open"), ("2023-11-30", "open"), ("2023-12-01", "overdue")],
)
def test_milestone_is_overdue_only_after_its_due_day(run, data_dir, as_of, expected):
    with_goals(data_dir, MILESTONE % "")
    item = statuses(run, data_dir, as_of)["k"]
    assert item["status"] == expected
    assert ("overdue" in item["flags"]) == (expected == "overdue")


@pytest.mark.parametrize(("as_of", "expected"), [("2023-11-14", "open"), ("2023-11-15", "done")])
def test_milestone_is_done_from_the_day_it_was_done(run, data_dir, as_of, expected):
    with_goals(data_dir, MILESTONE % "done: {date: 2023-11-15, note: launched}")
    assert statuses(run, data_dir, as_of)["k"]["status"] == expected


def test_milestone_done_late_is_done_not_overdue(run, data_dir):
    with_goals(data_dir, MILESTONE % "done: {date: 2023-12-10}")
    items = statuses(run, data_dir, "2023-12-20")
    assert items["k"]["status"] == "done"
    assert items["g"]["status"] == "done"


NUMERIC = """
- id: g
  title: Engage people
  source: {document: doc}
  due: 2023-12-31
  kpis:
    - id: k
      kind: numeric
      title: People engaged
      target: %s
      unit: people
      direction: %s
      baseline: {value: %s, date: 2023-01-01}
      source: {document: doc}
      measurements:
        - {date: 2023-07-01, value: %s}
"""


# Baseline 0 on 2023-01-01, target 120 by 2023-12-31 (364 days); measured on 2023-07-01 (181
# days). Pace R = (v / 181) / (120 / 364): on track from v = 56.7, at risk from v = 35.8.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (57, "on_track"),
        (56, "at_risk"),
        (36, "at_risk"),
        (35, "off_track"),
        (-1, "off_track"),
        (119, "on_track"),
        (120, "done"),
    ],
)
def test_numeric_pace_thresholds(run, data_dir, value, expected):
    with_goals(data_dir, NUMERIC % (120, "increase", 0, value))
    item = statuses(run, data_dir, "2023-07-15")["k"]
    assert item["status"] == expected, item["reason"]
    assert item["latest"] == {
        "date": "2023-07-01",
        "value": value,
        "text": None,
        "provisional": False,
    }


def test_numeric_reason_names_the_rates(run, data_dir):
    with_goals(data_dir, NUMERIC % (120, "increase", 0, 30))
    item = statuses(run, data_dir, "2023-07-15")["k"]
    assert item["reason"] == (
        "30 people so far; needs about 10 a month to reach 120 by 2023-12-31, managing 5 a "
        "month: off track"
    )
    assert item["progress"] == 0.25


# Decreasing from 100 to 40: needs -60 in 364 days; on 2023-07-01 a value of 71 is R = 0.976.
@pytest.mark.parametrize(
    ("value", "expected"), [(71, "on_track"), (80, "at_risk"), (110, "off_track"), (40, "done")]
)
def test_numeric_decrease(run, data_dir, value, expected):
    with_goals(data_dir, NUMERIC % (40, "decrease", 100, value))
    assert statuses(run, data_dir, "2023-07-15")["k"]["status"] == expected


@pytest.mark.parametrize(("value", "expected"), [(5, "done"), (4, "on_track")])
def test_range_target_is_met_at_its_low_end(run, data_dir, value, expected):
    with_goals(data_dir, NUMERIC % ("{low: 5, high: 10}", "increase", 0, value))
    item = statuses(run, data_dir, "2023-07-15")["k"]
    assert item["status"] == expected
    assert item["target"] == {"low": 5, "high": 10}
    assert item["target_text"] == "5-10 people"


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2023-12-31", "on_track"), ("2024-01-01", "overdue")]
)
def test_numeric_unmet_after_due_is_overdue(run, data_dir, as_of, expected):
    with_goals(data_dir, NUMERIC % (120, "increase", 0, 100))
    assert statuses(run, data_dir, as_of)["k"]["status"] == expected


def test_measurements_after_as_of_are_ignored(run, data_dir):
    with_goals(data_dir, NUMERIC % (120, "increase", 0, 120))
    before = statuses(run, data_dir, "2023-06-30")["k"]
    assert before["status"] == "not_reported"
    assert before["latest"] is None
    assert statuses(run, data_dir, "2023-07-01")["k"]["status"] == "done"


def test_baseline_defaults_to_zero_at_plan_start(run, data_dir):
    goals = (NUMERIC % (120, "increase", 0, 60)).replace(
        "      baseline: {value: 0, date: 2023-01-01}\n", ""
    )
    with_goals(data_dir, goals.replace("due: 2023-12-31", "due: 2028-12-31"))
    # Plan starts 2020-01-01: 60 in 1277 days against 120 in 3287 days is R = 1.29.
    assert statuses(run, data_dir, "2023-07-15")["k"]["status"] == "on_track"


def test_compound_growth_method(run, data_dir):
    goals = """
    - id: g
      title: Grow
      source: {document: doc}
      due: 2025-01-01
      kpis:
        - id: k
          kind: numeric
          title: Firms
          target: 121
          unit: firms
          method: cagr
          baseline: {value: 100, date: 2023-01-01}
          source: {document: doc}
          measurements:
            - {date: 2024-01-01, value: %s}
    """
    # 10% a year is needed; 10% achieved is on track, 6% is at risk (R = 0.6), 5% off track.
    for value, expected in ((110, "on_track"), (106.1, "at_risk"), (105, "off_track")):
        with_goals(data_dir, goals % value)
        assert statuses(run, data_dir, "2024-01-02")["k"]["status"] == expected, value


INDICATOR = """
- id: g
  title: Productivity
  source: {document: doc}
  kpis:
    - id: k
      kind: indicator
      title: GVA per head
      direction: %s
      source: {document: doc}
      measurements:
        - {date: 2017-12-31, value: 74.5}
        - {date: 2018-12-31, value: %s}
"""


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        ("increase", 75, "improving"),
        ("increase", 74, "worsening"),
        ("increase", 74.5, "flat"),
        ("decrease", 74, "improving"),
    ],
)
def test_indicator_trend_from_last_two(run, data_dir, direction, value, expected):
    with_goals(data_dir, INDICATOR % (direction, value))
    item = statuses(run, data_dir, "2040-01-01")["k"]
    assert item["status"] == expected
    assert "overdue" not in item["flags"]


def test_indicator_with_one_measurement_is_baseline_only_not_no_data(run, data_dir):
    with_goals(data_dir, INDICATOR % ("increase", 80))
    item = statuses(run, data_dir, "2018-06-30")["k"]
    assert item["status"] == "baseline_only"
    assert item["latest"]["date"] == "2017-12-31"
    assert item["latest"]["value"] == 74.5
    assert "74.5 on 2017-12-31" in item["reason"]


def test_two_readings_on_one_date_give_no_trend(run, data_dir):
    with_goals(data_dir, (INDICATOR % ("increase", 33.3)).replace("2018-12-31", "2017-12-31"))
    item = statuses(run, data_dir, "2018-06-30")["k"]
    assert item["status"] == "baseline_only", item["reason"]


def test_an_indicator_with_no_reading_is_not_reported(run, data_dir):
    goals = INDICATOR.split("      measurements:")[0] % "increase"
    with_goals(data_dir, goals)
    assert statuses(run, data_dir, "2018-06-30")["k"]["status"] == "not_reported"


NET_ZERO = """
- id: g
  title: Net zero carbon
  source: {document: doc}
  due: 2040-12-31
  kpis:
    - id: k
      kind: numeric
      title: Carbon emissions
      target: 0
      unit: tonnes
      direction: decrease
      source: {document: doc}
      measurements:
        - {date: 2026-01-15, value: 5000}
"""


def test_net_zero_with_no_baseline_is_not_on_track_from_its_first_reading(run, data_dir):
    with_goals(data_dir, NET_ZERO)
    items = statuses(run, data_dir, "2026-11-30")
    assert items["k"]["status"] == "baseline_only", items["k"]["reason"]
    assert "the first reading is the baseline" in items["k"]["reason"]
    assert items["g"]["status"] not in ("on_track", "done")


A_GOAL_DUE_IN_2040 = """
- id: g
  title: Clean growth by 2040
  source: {document: doc}
  due: 2040-12-31
  kpis:
    - id: k1
      kind: milestone
      title: Hydrogen trials
      due: 2020-12-31
      source: {document: doc}
    - id: k2
      kind: milestone
      title: Later milestone
      source: {document: doc}
"""


def test_a_goal_due_in_2040_with_an_overdue_kpi_is_behind_not_overdue(run, data_dir):
    with_goals(data_dir, A_GOAL_DUE_IN_2040)
    items = statuses(run, data_dir, "2026-11-30")
    assert items["k1"]["status"] == "overdue"
    assert items["g"]["status"] == "behind"
    assert items["g"]["reason"] == (
        "1 of 2 KPIs is overdue (k1); the goal itself is due on 2040-12-31"
    )
    assert "kpi_overdue" in items["g"]["flags"]
    assert "overdue" not in items["g"]["flags"]
    result = run("overdue", "--data", data_dir, "--as-of", "2026-11-30", "-f", "json")
    assert result.exit_code == 0, result.output
    assert [i["id"] for i in json.loads(result.stdout)["items"]] == ["k1"]


ONGOING = """
- id: g
  title: Keep supporting leadership
  source: {document: doc}
  kpis:
    - id: k
      kind: ongoing
      title: Invest in leadership support
      source: {document: doc}
      measurements:
        - {date: 2023-01-31, note: funded Gather}
"""


@pytest.mark.parametrize(("as_of", "stale"), [("2023-05-03", False), ("2023-05-04", True)])
def test_ongoing_is_never_overdue_only_stale(run, data_dir, as_of, stale):
    with_goals(data_dir, ONGOING)
    item = statuses(run, data_dir, as_of)["k"]
    assert item["status"] == "ongoing"
    assert ("stale" in item["flags"]) == stale  # 92 days after 2023-01-31 is 2023-05-03
    assert statuses(run, data_dir, "2031-01-01")["k"]["status"] == "ongoing"


@pytest.mark.parametrize(("as_of", "soon"), [("2023-10-30", False), ("2023-10-31", True)])
def test_due_soon_window(run, data_dir, as_of, soon):
    with_goals(data_dir, MILESTONE % "")
    assert ("due_soon" in statuses(run, data_dir, as_of)["k"]["flags"]) == soon


def test_goal_rolls_up_the_worst_kpi_and_state_overrides(run, data_dir):
    goals = (NUMERIC % (120, "increase", 0, 20)) + (
        "    - id: k2\n      kind: milestone\n      title: Done thing\n"
        "      source: {document: doc}\n      done: {date: 2023-02-01}\n"
    )
    with_goals(data_dir, goals)
    items = statuses(run, data_dir, "2023-07-15")
    assert items["g"]["status"] == "off_track"
    assert items["g"]["reason"] == "1 of 2 KPIs done; the worst, k, is off track"
    paused = goals.replace(
        "  due: 2023-12-31\n",
        "  due: 2023-12-31\n  state: paused\n  state_reason: waiting for funding\n",
        1,
    )
    with_goals(data_dir, paused)
    items = statuses(run, data_dir, "2023-07-15")
    assert items["g"]["status"] == "paused"
    assert items["k"]["status"] == "paused"
    assert "waiting for funding" in items["g"]["reason"]


def test_goal_without_kpi_and_past_due_is_overdue(run, data_dir):
    with_goals(data_dir, "- id: g\n  title: T\n  source: {document: doc}\n  due: 2020-12-31\n")
    assert statuses(run, data_dir, "2023-01-01")["g"]["status"] == "overdue"
    assert statuses(run, data_dir, "2020-12-31")["g"]["status"] == "no_kpi"


def test_goal_without_due_falls_back_to_plan_end(run, data_dir):
    with_goals(data_dir, MILESTONE.replace("  due: 2023-11-30\n", "") % "")
    item = statuses(run, data_dir, "2023-01-01")["g"]
    assert item["due"] == "2028-12-31"
    assert item["due_from_plan"] is True
