"""The update cycle (issue 17): reporting frequencies and periods, interim targets, owners'
updates beside the data, and `lcrplan update`. Through the CLI on data in tmp_path, with the
rules' own functions called directly where a table of cases says more."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from lcrplan.core.periods import add_months, parse_period, period_of
from lcrplan.core.vocabulary import Frequency
from lcrplan.evaluate.cadence import required

from .conftest import theme_file, write_tree
from .helpers.goals import goal, numeric_kpi

AS_OF = dt.date(2026, 11, 30)  # in 2026-27 Q3


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-11", "2026-11", "2026-11-01", "2026-11-30"),
        ("2026-27", "2026-27", "2026-04-01", "2027-03-31"),
        ("2026-27 Q1", "2026-27 Q1", "2026-04-01", "2026-06-30"),
        ("2026-27 Q3", "2026-27 Q3", "2026-10-01", "2026-12-31"),
        ("2026-27 Q4", "2026-27 Q4", "2027-01-01", "2027-03-31"),
        ("2026-27 H2", "2026-27 H2", "2026-10-01", "2027-03-31"),
        ("2026-28", "2026-28", "2026-04-01", "2028-03-31"),
        ("FY2011-12", "FY2011-12", "2011-04-01", "2012-03-31"),
        ("1999-00 Q4", "1999-00 Q4", "2000-01-01", "2000-03-31"),
    ],
)
def test_periods_are_months_or_financial_year_parts(text, label, start, end) -> None:
    period = parse_period(text)
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-29", "2026-27 H3", "2026-28 Q1", "Q3 2026"])
def test_a_period_that_is_not_one_says_what_to_write(text) -> None:
    with pytest.raises(ValueError, match="quarter \\(2026-27 Q3\\)"):
        parse_period(text)


@pytest.mark.parametrize(
    ("frequency", "label"),
    [
        (None, "2026-11"),
        (Frequency.monthly, "2026-11"),
        (Frequency.quarterly, "2026-27 Q3"),
        (Frequency.half_yearly, "2026-27 H2"),
        (Frequency.annual, "2026-27"),
        (Frequency.biennial, "2026-28"),
    ],
)
def test_the_period_of_a_day_follows_the_frequency(frequency, label) -> None:
    assert period_of(dt.date(2026, 11, 20), frequency).label == label
    assert period_of(dt.date(2027, 2, 1), Frequency.quarterly).label == "2026-27 Q4"


def test_a_month_end_stays_a_month_end() -> None:
    assert add_months(dt.date(2026, 9, 30), 3) == dt.date(2026, 12, 31)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 12) == dt.date(2027, 1, 15)


def test_the_trajectory_runs_through_each_point() -> None:
    points = [(dt.date(2026, 1, 1), 0.0), (dt.date(2026, 1, 11), 10.0), (dt.date(2026, 1, 21), 0)]
    assert [required(points, dt.date(2026, 1, d)) for d in (1, 6, 11, 16, 21, 30)] == [
        0,
        5,
        10,
        5,
        0,
        0,
    ]


# --- frequencies: due for a reading and stale follow each KPI's own -----------------------------

RHYTHM = """
    - id: g
      title: G
      source: {document: doc}
      kpis:
        - id: k-quarterly
          kind: numeric
          title: Read every quarter
          target: 100
          unit: things
          frequency: quarterly
          baseline: {value: 0, date: 2025-04-01}
          source: {document: doc}
          measurements:
            - {date: 2026-08-22, value: 40}
        - id: k-annual
          kind: numeric
          title: Read every year
          target: 100
          unit: things
          frequency: {every: annual, text: "reported each year"}
          baseline: {value: 0, date: 2025-04-01}
          source: {document: doc}
          measurements:
            - {date: 2026-08-22, value: 40}
        - id: k-default
          kind: ongoing
          title: No frequency of its own
          source: {document: doc}
          measurements:
            - {date: 2026-08-22, text: meets monthly}
    """


def _items(run, data: Path, as_of: dt.date) -> dict[str, dict]:
    result = run("status", "--format", "json", "--as-of", as_of, "--data", data)
    assert result.exit_code == 0, result.output
    return {i["id"]: i for i in json.loads(result.stdout)["items"]}


def test_a_quarterly_kpi_100_days_old_is_stale_and_an_annual_one_is_not(run, data_dir) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(RHYTHM)})
    assert (AS_OF - dt.date(2026, 8, 22)).days == 100
    items = _items(run, data_dir, AS_OF)
    assert items["k-quarterly"]["frequency"] == "quarterly"
    assert items["k-quarterly"]["next_reading"] == "2026-11-22"
    assert "stale" in items["k-quarterly"]["flags"]
    assert items["k-annual"]["next_reading"] == "2027-08-22"
    assert "stale" not in items["k-annual"]["flags"]
    # no frequency: stale_days (92) stands in for one period, as before frequencies existed
    assert items["k-default"]["frequency"] is None
    assert items["k-default"]["next_reading"] == "2026-11-22"
    assert "stale" in items["k-default"]["flags"]


def test_a_plan_sets_the_default_frequency(run, data_dir) -> None:
    plan = (data_dir / "plan.yaml").read_text() + "  frequency: annual\n"
    write_tree(data_dir, {"plan.yaml": plan, "theme.yaml": theme_file(RHYTHM)})
    items = _items(run, data_dir, AS_OF)
    assert items["k-default"]["frequency"] == "annual"
    assert "stale" not in items["k-default"]["flags"]
    assert items["k-quarterly"]["frequency"] == "quarterly"  # its own wins
    assert items["g"]["frequency"] == "annual"


# --- interim targets: pace follows the line through them -----------------------------------------

INTERIM = """
    - id: g
      title: G
      source: {document: doc}
      kpis:
        - id: k
          kind: numeric
          title: With an interim target
          target: 100
          unit: homes
          due: 2029-03-31
          baseline: {value: 0, date: 2024-03-31}
          interim_targets:
            - {date: 2026-03-31, value: 60, text: "60 homes"}  # interim
          source: {document: doc}
          measurements:
            - {date: 2026-03-31, value: 45}
    """


def test_an_interim_target_not_met_on_its_date_is_behind_though_the_line_is_on_track(
    run, data_dir
) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(INTERIM)})
    on_the_day = _items(run, data_dir, dt.date(2026, 3, 31))["k"]
    assert on_the_day["status"] == "at_risk"  # 45 of the 60 the line asks for today: 75%
    assert on_the_day["reason"] == (
        "45 homes on 2026-03-31; the interim target of 60 is due that day: at risk"
    )
    day_after = _items(run, data_dir, dt.date(2026, 4, 1))["k"]
    assert day_after["status"] == "off_track"
    assert day_after["reason"] == (
        "45 homes on 2026-03-31, short of the interim target of 60 by 2026-03-31: off track"
    )
    # the straight line to 2029 alone would call 45 on 2026-03-31 on track (40 needed)
    plain = "\n".join(x for x in INTERIM.splitlines() if "interim_t" not in x and "# i" not in x)
    assert "interim_targets" not in plain
    write_tree(data_dir, {"theme.yaml": theme_file(plain)})
    assert _items(run, data_dir, dt.date(2026, 4, 1))["k"]["status"] == "on_track"


def test_this_years_target_is_named_in_show_and_json(run, data_dir) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(INTERIM)})
    item = _items(run, data_dir, dt.date(2025, 11, 30))["k"]
    assert item["year_target"] == {"date": "2026-03-31", "value": 60, "text": "60 homes"}
    shown = run("show", "k", "--as-of", "2025-11-30", "--data", data_dir)
    assert "  this year's target: 60 homes by 2026-03-31\n" in shown.stdout
    later = _items(run, data_dir, dt.date(2028, 5, 1))["k"]["year_target"]
    assert later == {"date": "2029-03-31", "value": 100, "text": "100 homes"}


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("[{date: 2029-06-30, value: 90}]", "interim target dated 2029-06-30, not before the due"),
        ("[{date: 2024-01-01, value: 1}]", "interim target dated 2024-01-01, not after the start"),
        (
            "[{date: 2026-03-31, value: 1}, {date: 2026-03-31, value: 2}]",
            "two interim targets dated 2026-03-31",
        ),
    ],
)
def test_misplaced_interim_targets_are_located_errors(run, data_dir, targets, message) -> None:
    text = INTERIM.replace(
        '\n            - {date: 2026-03-31, value: 60, text: "60 homes"}', " " + targets
    )
    write_tree(data_dir, {"theme.yaml": theme_file(text)})
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1, result.output
    assert "data/theme.yaml:19:" in result.stdout and message in result.stdout


# --- owners' updates: recorded with `lcrplan update`, judged beside the data ---------------------

_CENTRE = """
    # the goal
    - id: g
      title: Open the centre
      due: 2026-06-30   # overdue by the end of 2026
      source: {document: doc}
      kpis:
        - id: k-open
          kind: milestone
          title: Centre open
          source: {document: doc}
"""
_TRAINING = goal(
    "g2",
    title="Train people",
    due=None,
    kpis=[
        numeric_kpi(
            "k-trained",
            title="People trained",
            target=100,
            baseline="2020-01-01",
            readings=[("2026-10-01", 90)],
        )
    ],
)
LATE = _CENTRE + textwrap.indent(_TRAINING, "    ")


def test_update_adds_an_update_round_trip_and_reimport_changes_nothing(run, data_dir) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(LATE)})
    before = (data_dir / "theme.yaml").read_text()
    args = ["g", "--rag", "green", "--summary", "Builders on site", "--by", "chair"]
    result = run("update", *args, "--date", "2026-11-01", "--data", data_dir)
    assert result.exit_code == 0, result.output
    after = (data_dir / "theme.yaml").read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == [
        "    updates:",
        "      - period: 2026-11",
        "        date: 2026-11-01",
        "        by: chair",
        "        rag: green",
        "        summary: Builders on site",
    ]
    assert "# the goal" in after and "due: 2026-06-30   # overdue by the end of 2026" in after
    assert after.index("updates:") < after.index("kpis:")  # above the goal's KPIs
    assert run("validate", "--data", data_dir).exit_code == 0
    again = run("update", *args, "--date", "2026-11-01", "--data", data_dir)
    assert again.exit_code == 0 and "No change" in again.stderr
    assert (data_dir / "theme.yaml").read_text() == after


def test_one_update_per_period_unless_replaced(run, data_dir) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(LATE)})
    base = ["k-trained", "--by", "chair", "--period", "2026-27 Q3", "--date", "2026-11-01"]
    assert run("update", *base, "--rag", "amber", "--summary", "On course", "--data", data_dir)
    second = run("update", *base, "--rag", "red", "--summary", "Slipping", "--data", data_dir)
    assert second.exit_code == 1, second.output
    assert "already has an update for 2026-27 Q3 (pass --replace" in second.stderr
    replaced = run(
        "update", *base, "--rag", "red", "--summary", "Slipping", "--replace", "--data", data_dir
    )
    assert replaced.exit_code == 0, replaced.output
    assert "-            rag: amber\n" in replaced.stdout
    assert "+            rag: red\n" in replaced.stdout
    text = (data_dir / "theme.yaml").read_text()
    assert text.count("period: 2026-27 Q3") == 1 and text.index("updates:") > text.index("90}")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--rag", "green", "--by", "chiar"], 2, "unknown person 'chiar' (give their id or"),
        (["--rag", "green", "--by", "chair", "--date", "2999-01-01"], 2, "is in the future"),
        (["--rag", "purple", "--by", "chair"], 2, "'purple' is not one of"),
        (["--by", "chair"], 2, "give --rag or --confidence"),
        (["--rag", "red", "--by", "chair", "--period", "Q3"], 2, "is not a period"),
        (["--rag", "red", "--by", "chair", "--id"], 2, "No such option"),
    ],
)
def test_update_refuses_what_record_would(run, data_dir, args, code, message) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(LATE)})
    before = (data_dir / "theme.yaml").read_bytes()
    result = run("update", "g", "--summary", "S", *args, "--data", data_dir)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())
    assert (data_dir / "theme.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ("{period: 2026-11, date: 2026-11-01, by: nobody, rag: red, summary: S}", "unknown person"),
        ("{period: 2026-11, date: 2026-11-01, by: chair, summary: S}", "needs 'rag'"),
        ("{period: 2026-14, date: 2026-11-01, by: chair, rag: red, summary: S}", "not a period"),
        ("{period: 2026-11, date: 2026-11-01, by: chair, rag: pink, summary: S}", "rag"),
    ],
)
def test_an_update_written_by_hand_is_validated(run, data_dir, update, message) -> None:
    text = LATE.replace(
        "      source: {document: doc}\n      kpis:",
        f"      source: {{document: doc}}\n      updates: [{update}]\n      kpis:",
        1,
    )
    write_tree(data_dir, {"theme.yaml": theme_file(text)})
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1, result.output
    assert "data/theme.yaml:" in result.stdout and message in result.stdout


def test_two_updates_for_one_period_are_an_error(run, data_dir) -> None:
    same = "{period: 2026-27 Q3, date: 2026-11-01, by: chair, rag: red, summary: S}"
    also = "{period: 2026-27 Q3, date: 2026-11-01, by: chair, rag: red, summary: T}"
    text = LATE.replace(
        "      source: {document: doc}\n      kpis:",
        f"      source: {{document: doc}}\n      updates: [{same}, {also}]\n      kpis:",
        1,
    )
    write_tree(data_dir, {"theme.yaml": theme_file(text)})
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1, result.output
    assert "a second update for 2026-27 Q3 (the first is update 1)" in result.stdout


def test_owner_says_green_data_says_overdue_is_flagged_in_show_json_and_report(
    run, data_dir, tmp_path
) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(LATE)})
    for item, rag in (("g", "green"), ("k-trained", "red")):
        args = ["--rag", rag, "--summary", "Fine", "--by", "chair", "--date", "2026-11-01"]
        assert run("update", item, *args, "--data", data_dir).exit_code == 0
    items = _items(run, data_dir, AS_OF)
    assert items["g"]["status"] == "overdue"
    assert items["g"]["disagreement"] == "owner says Green; data says Overdue"
    assert "disagrees" in items["g"]["flags"]
    assert items["g"]["update"]["rag"] == "green" and items["g"]["update"]["stale"] is False
    assert items["k-trained"]["status"] == "on_track"
    assert items["k-trained"]["disagreement"] == "owner says Red; data says On track"
    shown = run("show", "g", "--as-of", AS_OF, "--data", data_dir).stdout
    assert "  update:   2026-11, owner says Green; by Ann Chair on 2026-11-01\n" in shown
    assert "  DISAGREES: owner says Green; data says Overdue\n" in shown
    report = run("report", "--as-of", AS_OF, "--data", data_dir).stdout
    section = report.split("## Owners' updates and this year's targets", 1)[1]
    assert "**2** disagree with the data" in section
    row = next(line for line in section.splitlines() if "`g`" in line)
    assert "‼ Overdue | **Disagrees:** Green | 2026-11 | Fine |" in row
    # three months on, the update is older than its period (no frequency: stale_days)
    later = _items(run, data_dir, dt.date(2027, 2, 15))["g"]
    assert later["update"]["stale"] is True and "stale_update" in later["flags"]
