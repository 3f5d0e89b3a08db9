"""The forecast's arithmetic (`lcrplan.evaluate.forecast`), for any numbers and dates (hypothesis):
the day a target is reached at the current pace, how late or early that is, and the pace needed
from now; with the cases a board meets: a decrease to 0, no change, a target overshot, two
readings on one day, and one reading only."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lcrplan.evaluate.forecast import (
    DAYS_PER_MONTH,
    course_words,
    forecast,
    forecast_words,
    needed_words,
)

from .conftest import theme_file, write_tree
from .helpers.goals import goal, numeric_kpi

D = dt.date.fromisoformat
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31))
VALUES = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False)
GAPS = st.integers(1, 5000)


def _close(a: float, b: float, scale: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(scale))


@given(DAYS, GAPS, VALUES, VALUES, VALUES, DAYS, st.booleans())
def test_the_day_reached_is_the_first_day_the_line_meets_the_target(
    d0, gap, v0, v1, goal, due, increase
):
    d1 = d0 + dt.timedelta(days=gap)
    found = forecast((d0, v0), (d1, v1), goal, due, d1, increase)
    assert found is not None
    sign = 1 if increase else -1
    per_day = (v1 - v0) / (d1 - d0).days
    assert math.isclose(found.rate, per_day * DAYS_PER_MONTH, rel_tol=1e-9, abs_tol=1e-9)
    if sign * (goal - v1) <= 0:  # met already, or overshot
        assert found.reaches == d1
    elif sign * per_day <= 0:  # no change, or moving away: never at this pace
        assert found.reaches is None
    elif found.reaches is not None:
        days = (found.reaches - d1).days
        assert sign * (v1 + per_day * days - goal) >= -1e-6 * max(1.0, abs(goal))
        assert sign * (v1 + per_day * (days - 1) - goal) < 1e-6 * max(1.0, abs(goal))
    if found.reaches is not None:
        assert found.late_days == (found.reaches - due).days
        assert found.late == (found.reaches > due)
    else:
        assert found.late_days is None


@given(DAYS, GAPS, st.integers(0, 5000), VALUES, VALUES, VALUES, DAYS)
def test_the_pace_needed_from_now_reaches_the_target_on_the_due_day(
    d0, gap, wait, v0, v1, goal, due
):
    d1 = d0 + dt.timedelta(days=gap)
    as_of = d1 + dt.timedelta(days=wait)
    found = forecast((d0, v0), (d1, v1), goal, due, as_of)
    assert found is not None
    if due <= as_of:
        assert found.needed is None and needed_words(found) == ""
    else:
        assert found.needed is not None
        months = (due - as_of).days / DAYS_PER_MONTH
        assert _close(v1 + found.needed * months, goal, goal)
    if due > d0:
        assert found.needed_at_start is not None
        months = (due - d0).days / DAYS_PER_MONTH
        assert _close(v0 + found.needed_at_start * months, goal, goal)
    else:
        assert found.needed_at_start is None


@given(DAYS, GAPS, POSITIVE, st.floats(0.01, 0.99), DAYS)
def test_a_decrease_to_zero_is_reached_when_the_line_crosses_zero(d0, gap, v0, share, due):
    d1 = d0 + dt.timedelta(days=gap)
    v1 = v0 * share
    drop = v0 - v1
    found = forecast((d0, v0), (d1, v1), 0.0, due, d1, increase=False)
    assert found is not None and found.rate < 0
    per_day = -drop / (d1 - d0).days
    days_left = math.ceil(v1 / -per_day - 1e-9)
    if d1.toordinal() + days_left <= dt.date.max.toordinal():
        assert found.reaches == d1 + dt.timedelta(days=days_left)


@given(DAYS, GAPS, VALUES, POSITIVE, DAYS, st.booleans())
def test_no_change_never_reaches_a_target_not_met(d0, gap, value, short, due, increase):
    d1 = d0 + dt.timedelta(days=gap)
    goal = value + short if increase else value - short
    found = forecast((d0, value), (d1, value), goal, due, d1, increase)
    assert found is not None and found.rate == 0 and found.reaches is None
    assert course_words(found) == "at this pace: never (no change)"


@given(DAYS, VALUES, VALUES, VALUES, DAYS)
def test_two_readings_on_one_day_give_no_pace_to_project(day, v0, v1, goal, due):
    assert forecast((day, v0), (day, v1), goal, due, day) is None


@given(DAYS, GAPS, VALUES, VALUES, VALUES, DAYS)
def test_a_pace_backwards_in_time_is_not_a_pace(d0, gap, v0, v1, goal, due):
    d1 = d0 - dt.timedelta(days=gap)
    assert forecast((d0, v0), (d1, v1), goal, due, d0) is None


@given(DAYS, GAPS, POSITIVE, POSITIVE, DAYS)
def test_an_overshot_target_is_reached_on_the_latest_reading(d0, gap, goal, extra, due):
    d1 = d0 + dt.timedelta(days=gap)
    found = forecast((d0, 0.0), (d1, goal + extra), goal, due, d1)
    assert found is not None and found.reaches == d1
    assert forecast_words(found) == "target reached"


@given(DAYS, GAPS, POSITIVE, POSITIVE, POSITIVE, DAYS)
def test_compound_growth_projects_on_the_log_scale(d0, gap, v0, growth, goal, due):
    d1 = d0 + dt.timedelta(days=gap)
    v1 = v0 * (1 + growth / 10)
    found = forecast((d0, v0), (d1, v1), goal, due, d1, compound=True)
    assert found is not None and found.compound
    if goal <= v1:
        assert found.reaches == d1
    elif found.reaches is not None:
        log_rate = (math.log(v1) - math.log(v0)) / (d1 - d0).days
        days = (found.reaches - d1).days
        assert v1 * math.exp(log_rate * days) >= goal * (1 - 1e-9)


@pytest.mark.parametrize(
    ("since", "latest", "goal", "due", "as_of", "words"),
    [
        # 240 by 2026-03-31 from 0 on 2025-12-31: 80 a month, so 760 more take 9.5 months
        (
            ("2025-12-31", 0),
            ("2026-03-31", 240),
            1000,
            "2026-11-30",
            "2026-04-01",
            "at this pace: January 2027, 1 month late; needs 95 a month from here, was 91",
        ),
        (
            ("2025-01-01", 0),
            ("2026-01-01", 120),
            1000,
            "2028-12-31",
            "2026-01-01",
            "at this pace: May 2033, 4 years 4 months late; needs 24 a month from here, was 21",
        ),
        (
            ("2025-01-01", 0),
            ("2026-01-01", 600),
            1000,
            "2028-12-31",
            "2026-01-01",
            "at this pace: September 2026, 2 years 3 months early; needs 11 a month from here, "
            "was 21",
        ),
        (
            ("2026-01-15", 5000),
            ("2027-01-15", 5100),
            0,
            "2040-12-31",
            "2027-02-01",
            "at this pace: never (moving away from the target); needs a fall of 31 a month "
            "from here, was 28",
        ),
    ],
)
def test_forecasts_read_aloud(since, latest, goal, due, as_of, words):
    found = forecast(
        (D(since[0]), since[1]),
        (D(latest[0]), latest[1]),
        goal,
        D(due),
        D(as_of),
        increase=goal >= since[1],
    )
    assert found is not None
    assert forecast_words(found) == words


# --- end to end: a second reading brings a forecast, in JSON and on the chart ------------------

KPI = goal(
    "g",
    kpis=[numeric_kpi("k", baseline="2025-12-31", readings=[("2026-03-31", 240)])],
)


def test_a_second_reading_brings_a_forecast_in_json_and_a_projection_on_the_chart(
    run, data_dir, tmp_path
):
    write_tree(data_dir, {"theme.yaml": theme_file(KPI)})

    def item() -> dict:
        out = run("status", "--data", data_dir, "--as-of", "2026-06-30", "--format", "json")
        assert out.exit_code == 0, out.output
        return next(i for i in json.loads(out.stdout)["items"] if i["id"] == "k")

    assert item()["forecast"] is None  # one reading (and a baseline): no pace to project yet
    recorded = run("record", "k", "400", "--date", "2026-06-30", "--data", data_dir)
    assert recorded.exit_code == 0, recorded.output
    found = item()["forecast"]
    # 400 in the 181 days from 0 on 2025-12-31: 67.3 a month; the 600 left take 272 days more
    assert found == {
        "since": "2025-12-31",
        "latest": "2026-06-30",
        "rate": pytest.approx(67.27, abs=0.01),
        "reaches": "2027-03-29",
        "late_days": 119,
        "needed": pytest.approx(119.36, abs=0.01),  # 600 in the 153 days to 2026-11-30
        "needed_at_start": pytest.approx(91.1, abs=0.1),
        "at_due": pytest.approx(738.12, abs=0.01),
        "compound": False,
        "text": "at this pace: March 2027, 3 months late; needs 120 a month from here, was 91",
    }
    assert item()["attention"]["reason"].endswith(
        "managing 67 a month: at risk; at this pace: March 2027, 3 months late; needs 120 a "
        "month from here, was 91"
    )
    shown = run("show", "k", "--data", data_dir, "--as-of", "2026-06-30").stdout
    assert (
        "  forecast: at this pace: March 2027, 3 months late; needs 120 a month from here, was 91\n"
    ) in shown
    site = tmp_path / "site"
    built = run("site", site, "--data", data_dir, "--as-of", "2026-06-30", "--no-history")
    assert built.exit_code == 0, built.output
    page = (site / "kpi-k.html").read_text(encoding="utf-8")
    assert '<line x1="' in page and 'class="projection"' in page
    assert 'stroke-dasharray="1 4"' in page
    assert 'data-series="projection"' in page  # the dotted line's key, in the legend
    assert "at this pace: March 2027, 3 months late (dotted line)" in page
