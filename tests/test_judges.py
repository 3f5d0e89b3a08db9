"""The status rules as pure functions: a table of cases for each judge and for `rollup`, and
properties that must hold for any numbers and dates (hypothesis).

The same rules are checked end to end through YAML in test_status_rules.py; here each rule is
called directly, so a case names exactly the input it is about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lcrplan.core.models import (
    DataSet,
    Goal,
    IndicatorKpi,
    Measurement,
    MilestoneKpi,
    NumericKpi,
    ThemeFile,
)
from lcrplan.core.settings import Thresholds
from lcrplan.core.statuses import CLOSED, Flag, Status
from lcrplan.core.vocabulary import Frequency
from lcrplan.evaluate.attention import (
    FULL_TABLE_LIMIT,
    PLAIN_LIMIT,
    RULES,
    Concern,
    View,
    judge,
    late_and_due_soon,
    status_view,
)
from lcrplan.evaluate.judges import (
    Verdict,
    judge_indicator,
    judge_milestone,
    judge_numeric,
    judge_ongoing,
)
from lcrplan.evaluate.scorecard import ItemStatus, Latest, evaluate, is_due_soon, rollup

D = dt.date.fromisoformat
SOURCE = {"document": "doc"}
THRESHOLDS = Thresholds()
DUE = D("2025-12-31")


def numeric(
    target: object = 120,
    direction: str = "increase",
    baseline: tuple[float, str] | None = (0, "2025-01-01"),
    method: str = "linear",
) -> NumericKpi:
    fields = {"id": "k", "kind": "numeric", "title": "K", "source": SOURCE, "unit": "people"}
    base = {"value": baseline[0], "date": baseline[1]} if baseline else None
    return NumericKpi.model_validate(
        fields | {"target": target, "direction": direction, "baseline": base, "method": method}
    )


def measured(*readings: tuple[str, float]) -> list[Measurement]:
    return [Measurement(date=D(day), value=value) for day, value in readings]


# --- judge_numeric --------------------------------------------------------------------------

ON_JULY_1 = "2025-07-01"
KPIS = {
    "120 up": numeric(),
    "10 down": numeric(target=10, direction="decrease", baseline=(100, "2025-01-01")),
    "5-10 up": numeric(target={"low": 5, "high": 10}),
    "200 cagr": numeric(target=200, baseline=(100, "2020-01-01"), method="cagr"),
    "net zero": numeric(target=0, direction="decrease", baseline=None),
}
# Each case: its name; the KPI (above), the measurement (day=value) if any, as-of, due (- for
# none), the status and progress expected; then, indented, the reason expected (a long one
# goes on over lines indented further).
NUMERIC_CASES = """
nothing measured yet | 120 up | | 2025-06-01 | 2025-12-31 | not_reported | -
    no reading yet
nothing measured, past due | 120 up | | 2026-01-01 | 2025-12-31 | overdue | -
    due on 2025-12-31 and no reading has been recorded: 1 day late
on pace | 120 up | 2025-07-01=60 | 2025-07-01 | 2025-12-31 | on_track | 0.5
    60 people so far; needs about 10 a month to reach 120 by 2025-12-31, managing 10 a month: on
        track
behind pace, within reach | 120 up | 2025-07-01=45 | 2025-07-01 | 2025-12-31 | at_risk | 0.375
    45 people so far; needs about 10 a month to reach 120 by 2025-12-31, managing 7.6 a month:
        at risk
far behind pace | 120 up | 2025-07-01=30 | 2025-07-01 | 2025-12-31 | off_track | 0.25
    30 people so far; needs about 10 a month to reach 120 by 2025-12-31, managing 5 a month: off
        track
target met | 120 up | 2025-07-01=120 | 2025-07-01 | 2025-12-31 | done | 1.0
    120 people on 2025-07-01: the target of 120 is met
past due, not met | 120 up | 2025-07-01=60 | 2026-01-10 | 2025-12-31 | overdue | 0.5
    due on 2025-12-31 and not met: 60 people, 50% of the way to 120
baseline's day only | 120 up | 2025-01-01=12 | 2025-03-01 | 2025-12-31 | baseline_only | 0.1
    12 people on 2025-01-01; no reading after the baseline (0 on 2025-01-01) yet
no due date, moving the right way | 120 up | 2025-07-01=60 | 2025-07-01 | - | on_track | 0.5
    60 people so far, up from 0; with no due date it is judged by direction only: on track
no due date, not moving | 120 up | 2025-07-01=0 | 2025-07-01 | - | off_track | 0.0
    0 people so far, unchanged; with no due date it is judged by direction only: off track
lower is better, met | 10 down | 2025-07-01=10 | 2025-07-01 | 2025-12-31 | done | 1.0
    10 people on 2025-07-01: the target of 10 is met
a range is met at its near end | 5-10 up | 2025-07-01=5 | 2025-07-01 | 2025-12-31 | done | 1.0
    5 people on 2025-07-01: the target of 5-10 is met
compound growth ahead of pace | 200 cagr | 2025-01-01=150 | 2025-01-01 | 2030-01-01 | on_track | 0.5
    150 people so far; needs growth of about 7.2% a year to reach 200 by 2030-01-01, managing
        8.4% a year: on track
"""


def numeric_cases() -> Iterator[object]:
    """NUMERIC_CASES as (kpi, history, as of, due, expected) parameters."""
    lines: list[str] = []
    for line in NUMERIC_CASES.strip("\n").splitlines():
        if line.startswith("        "):  # a long reason, wrapped
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    for inputs, reason in zip(lines[::2], lines[1::2], strict=True):
        name, kpi, reading, as_of, due, status, progress = (c.strip() for c in inputs.split("|"))
        day, _, value = reading.partition("=")
        history = measured((day, float(value))) if reading else []
        expected = Verdict(
            Status(status), reason.strip(), None if progress == "-" else float(progress)
        )
        dates = (D(as_of), None if due == "-" else D(due))
        yield pytest.param(KPIS[kpi], history, *dates, expected, id=name)


@pytest.mark.parametrize(("kpi", "history", "as_of", "due", "expected"), list(numeric_cases()))
def test_judge_numeric(kpi, history, as_of, due, expected):
    assert judge_numeric(kpi, history, as_of, due, None, THRESHOLDS) == expected


def test_judge_numeric_without_a_baseline_starts_from_zero_at_the_start_date():
    kpi = numeric(baseline=None)
    start = D("2025-01-01")
    verdict = judge_numeric(kpi, measured((ON_JULY_1, 60)), D(ON_JULY_1), DUE, start, THRESHOLDS)
    assert verdict == Verdict(
        Status.on_track,
        "60 people so far (from 0 on 2025-01-01, assumed: no baseline given); needs about 10 "
        "a month to reach 120 by 2025-12-31, managing 10 a month: on track",
        0.5,
    )
    verdict = judge_numeric(kpi, measured((ON_JULY_1, 60)), D(ON_JULY_1), DUE, None, THRESHOLDS)
    assert verdict == Verdict(
        Status.baseline_only,
        "60 people on 2025-07-01; the first reading is the baseline (none given; no start "
        "date), and there is no later one yet",
        0.0,
    )


NET_ZERO_START = D("2025-01-01")


def test_net_zero_never_starts_from_an_assumed_baseline_that_meets_the_target():
    """Decrease to 0 with no baseline: 0 at the start would already meet the target, so the
    first reading is the baseline; one reading of 5,000 is neither on track nor done."""
    kpi = KPIS["net zero"]
    first = measured(("2026-01-15", 5000))
    due = D("2040-12-31")
    verdict = judge_numeric(kpi, first, D("2026-02-01"), due, NET_ZERO_START, THRESHOLDS)
    assert verdict == Verdict(
        Status.baseline_only,
        "5,000 people on 2026-01-15; the first reading is the baseline (none given; 0 would "
        "already meet the target), and there is no later one yet",
        0.0,
    )
    # A year later 4,900: pace from 5,000 on 2026-01-15 towards 0 on 2040-12-31.
    later = measured(("2026-01-15", 5000), ("2027-01-15", 4900))
    verdict = judge_numeric(kpi, later, D("2027-02-01"), due, NET_ZERO_START, THRESHOLDS)
    assert verdict == Verdict(
        Status.off_track,
        "4,900 people so far (from the first reading, 5,000 on 2026-01-15: no baseline given; "
        "0 would already meet the target); needs a fall of about 28 a month to reach 0 by "
        "2040-12-31, falling 8.3 a month: off track",
        0.02,
    )


# --- judge_milestone, judge_indicator, judge_ongoing ------------------------------------------


def milestone(done: str | None = None) -> MilestoneKpi:
    fields = {"id": "m", "kind": "milestone", "title": "M", "source": SOURCE}
    return MilestoneKpi.model_validate(fields | ({"done": {"date": done}} if done else {}))


@pytest.mark.parametrize(
    ("done", "as_of", "due", "expected"),
    [
        ("2025-03-01", "2025-03-01", DUE, Verdict(Status.done, "done on 2025-03-01", 1.0)),
        ("2026-02-01", "2026-02-01", DUE, Verdict(Status.done, "done on 2026-02-01", 1.0)),
        (
            "2025-03-02",
            "2025-03-01",
            DUE,
            Verdict(Status.open, "not done yet; due on 2025-12-31, in 305 days", 0.0),
        ),
        (
            None,
            "2025-12-31",
            DUE,
            Verdict(Status.open, "not done yet; due on 2025-12-31, in 0 days", 0.0),
        ),
        (
            None,
            "2026-01-02",
            DUE,
            Verdict(Status.overdue, "due on 2025-12-31 and not done: 2 days late", 0.0),
        ),
        (None, "2026-01-02", None, Verdict(Status.open, "not done yet; no due date", 0.0)),
    ],
    ids=["done that day", "done late", "done tomorrow", "due today", "late", "no due date"],
)
def test_judge_milestone(done, as_of, due, expected):
    assert judge_milestone(milestone(done), D(as_of), due) == expected


def indicator(direction: str = "increase") -> IndicatorKpi:
    fields = {"id": "i", "kind": "indicator", "title": "I", "source": SOURCE}
    return IndicatorKpi.model_validate(fields | {"direction": direction})


@pytest.mark.parametrize(
    ("direction", "readings", "expected"),
    [
        ("increase", [], Verdict(Status.not_reported, "no reading yet")),
        (
            "increase",
            [("2025-01-01", 10)],
            Verdict(
                Status.baseline_only,
                "10 on 2025-01-01, the only date with a reading: a trend needs a second, on a "
                "later date",
            ),
        ),
        (
            "increase",
            [("2020-03-01", 33.3), ("2020-03-01", 33.3)],
            Verdict(
                Status.baseline_only,
                "33.3 on 2020-03-01, the only date with a reading: a trend needs a second, on "
                "a later date",
            ),
        ),
        (
            "increase",
            [("2025-01-01", 4), ("2025-02-01", 10), ("2025-02-01", 12)],
            Verdict(Status.improving, "12 on 2025-02-01, up from 4 on 2025-01-01: improving"),
        ),
        (
            "increase",
            [("2025-01-01", 10), ("2025-02-01", 12)],
            Verdict(Status.improving, "12 on 2025-02-01, up from 10 on 2025-01-01: improving"),
        ),
        (
            "decrease",
            [("2025-01-01", 10), ("2025-02-01", 12)],
            Verdict(Status.worsening, "12 on 2025-02-01, up from 10 on 2025-01-01: worsening"),
        ),
        (
            "increase",
            [("2025-01-01", 4), ("2025-02-01", 10), ("2025-03-01", 10)],
            Verdict(Status.flat, "10 on 2025-03-01, unchanged since 2025-02-01: flat"),
        ),
    ],
    ids=[
        "none",
        "one",
        "two on one date",
        "the last of a date counts",
        "up, up is better",
        "up, down is better",
        "the last two equal",
    ],
)
def test_judge_indicator(direction, readings, expected):
    assert judge_indicator(indicator(direction), measured(*readings)) == expected


def test_judge_ongoing_is_never_done_nor_overdue():
    assert judge_ongoing([]) == Verdict(Status.ongoing, "continuing; no update recorded yet")
    history = measured(("2025-01-01", 1), ("2025-02-01", 2))
    assert judge_ongoing(history) == Verdict(
        Status.ongoing, "continuing; last update on 2025-02-01"
    )


# --- rollup -------------------------------------------------------------------------------------


def goal(**fields: object) -> Goal:
    return Goal.model_validate({"id": "g", "title": "G", "source": SOURCE} | fields)


def item(item_id: str, status: Status, reason: str = "why") -> ItemStatus:
    """A KPI on a scorecard with this id, status and reason (the rest as `evaluate` made it)."""
    return dataclasses.replace(A_KPI, id=item_id, title=item_id, status=status, reason=reason)


A_KPI = evaluate(
    DataSet(
        themes=[
            ThemeFile.model_validate(
                {
                    "theme": {"id": "t", "plan": "p", "title": "T", "source": SOURCE},
                    "goals": [
                        {
                            "id": "g",
                            "title": "G",
                            "source": SOURCE,
                            "kpis": [
                                {"id": "k", "kind": "ongoing", "title": "K", "source": SOURCE}
                            ],
                        }
                    ],
                }
            )
        ]
    ),
    D("2025-01-01"),
).kpis()[0]


@pytest.mark.parametrize(
    ("fields", "kpis", "as_of", "expected"),
    [
        (
            {"state": "paused", "state_reason": "funding"},
            [item("k1", Status.overdue)],
            "2025-06-01",
            Verdict(Status.paused, "paused by its owner: funding"),
        ),
        ({}, [], "2025-06-01", Verdict(Status.no_kpi, "no KPI to measure it by")),
        (
            {},
            [],
            "2026-01-01",
            Verdict(Status.overdue, "due on 2025-12-31, and no KPI records whether it was met"),
        ),
        (
            {},
            [item("k1", Status.done), item("k2", Status.done)],
            "2025-06-01",
            Verdict(Status.done, "all 2 KPIs done", 1.0),
        ),
        (
            {},
            [
                item("k1", Status.done),
                item("k2", Status.on_track),
                item("k3", Status.at_risk, "slow"),
            ],
            "2025-06-01",
            Verdict(Status.at_risk, "1 of 3 KPIs done; the worst, k3, is at risk"),
        ),
        (
            {},
            [item("k1", Status.not_reported), item("k2", Status.overdue, "late")],
            "2025-06-01",
            Verdict(
                Status.behind, "1 of 2 KPIs is overdue (k2); the goal itself is due on 2025-12-31"
            ),
        ),
        (
            {},
            [item("k1", Status.not_reported), item("k2", Status.overdue, "late")],
            "2026-01-01",
            Verdict(Status.overdue, "0 of 2 KPIs done; the worst, k2, is overdue"),
        ),
    ],
    ids=[
        "held overrides",
        "no KPI",
        "no KPI, past due",
        "all done",
        "worst wins",
        "a KPI overdue, the goal not yet due",
        "a KPI overdue, the goal past due",
    ],
)
def test_rollup(fields, kpis, as_of, expected):
    assert rollup(goal(**fields), kpis, D(as_of), DUE) == expected


# --- properties -------------------------------------------------------------------------------

VALUES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda v: round(v, 3))
DAYS = st.dates(min_value=D("2024-01-01"), max_value=D("2028-12-31"))


@st.composite
def numeric_cases(draw: st.DrawFn) -> tuple[NumericKpi, dt.date, dt.date, dt.date]:
    """A numeric KPI (either direction, a baseline), a measurement day, an as-of day, a due day."""
    direction = draw(st.sampled_from(["increase", "decrease"]))
    base, target = draw(VALUES), draw(VALUES)
    kpi = numeric(target=target, direction=direction, baseline=(base, "2024-01-01"))
    day, due = draw(DAYS), draw(DAYS)
    as_of = draw(st.dates(min_value=day, max_value=D("2029-12-31")))
    return kpi, day, as_of, due


@given(numeric_cases(), VALUES, VALUES)
def test_progress_never_falls_as_the_measured_value_improves(case, first, second):
    kpi, day, as_of, due = case
    worse, better = sorted((first, second), reverse=kpi.direction == "decrease")
    judged = [
        judge_numeric(kpi, [Measurement(date=day, value=v)], as_of, due, None, THRESHOLDS)
        for v in (worse, better)
    ]
    assert judged[0].progress is not None and judged[1].progress is not None
    assert 0.0 <= judged[0].progress <= judged[1].progress <= 1.0


@given(numeric_cases(), VALUES)
def test_done_exactly_when_the_target_is_met(case, value):
    kpi, day, as_of, due = case
    verdict = judge_numeric(kpi, [Measurement(date=day, value=value)], as_of, due, None, THRESHOLDS)
    met = value >= kpi.target if kpi.direction == "increase" else value <= kpi.target
    assert (verdict.status is Status.done) == met
    if met:
        assert verdict.progress == 1.0


@given(numeric_cases(), st.booleans(), VALUES)
def test_a_numeric_kpi_is_never_overdue_on_or_before_its_due_day(case, measured_yet, value):
    kpi, day, as_of, due = case
    assume(as_of <= due)
    history = [Measurement(date=day, value=value)] if measured_yet else []
    assert judge_numeric(kpi, history, as_of, due, None, THRESHOLDS).status is not Status.overdue


@given(st.lists(st.sampled_from(list(Status)), min_size=0, max_size=5), DAYS, DAYS)
def test_a_goal_is_never_overdue_on_or_before_its_own_due_day(kpi_statuses, as_of, due):
    assume(as_of <= due)
    kpis = [item(f"k{n}", status) for n, status in enumerate(kpi_statuses)]
    verdict = rollup(goal(), kpis, as_of, due)
    assert verdict.status is not Status.overdue
    if Status.overdue in kpi_statuses and not set(kpi_statuses) & {Status.paused}:
        assert verdict.status is Status.behind, verdict


@given(DAYS, DAYS, st.one_of(st.none(), DAYS))
def test_a_milestone_is_never_overdue_on_or_before_its_due_day(as_of, due, done):
    assume(as_of <= due)
    kpi = milestone(done.isoformat() if done else None)
    assert judge_milestone(kpi, as_of, due).status is not Status.overdue


@given(st.sampled_from(list(Status)), st.one_of(st.none(), DAYS), DAYS, st.integers(0, 400))
def test_due_soon_means_due_within_the_window_and_not_closed(status, due, as_of, days):
    soon = is_due_soon(status, due, as_of, days)
    within = due is not None and as_of <= due <= as_of + dt.timedelta(days)
    assert soon == (within and status not in CLOSED)


# --- what needs attention ---------------------------------------------------------------------


def flagged(
    item_id: str,
    status: Status,
    *flags: Flag,
    due: str | None = None,
    latest: str | None = None,
    reading: str | None = None,
    disagreement: str | None = None,
) -> ItemStatus:
    found = item(item_id, status)
    found.flags = flags
    found.due = D(due) if due else None
    found.latest = Latest(D(latest), 1.0) if latest else None
    found.next_reading = D(reading) if reading else None
    found.disagreement = disagreement
    return found


AS_OF = D("2026-11-30")
NEVER = {"reading": "2025-04-03"}
TWO_MISSED = {"latest": "2025-09-30", "reading": "2026-01-07"}
ONE_MISSED = {"latest": "2026-07-31", "reading": "2026-10-31"}


@pytest.mark.parametrize(
    ("status", "flags", "fields", "wanted"),
    [
        (Status.overdue, (Flag.due_soon, Flag.never_reported), NEVER, Concern.overdue),
        (Status.not_reported, (Flag.due_soon, Flag.never_reported), NEVER, Concern.reading_overdue),
        (Status.off_track, (Flag.stale,), TWO_MISSED, Concern.reading_overdue),
        (Status.off_track, (Flag.stale,), ONE_MISSED, Concern.off_track),
        (Status.behind, (), {"disagreement": "owner says Green"}, Concern.off_track),
        (Status.worsening, (), {}, Concern.off_track),
        (Status.at_risk, (), {"disagreement": "owner says Red"}, Concern.disagrees),
        (Status.at_risk, (Flag.due_soon,), {"due": "2026-12-10"}, Concern.at_risk),
        (
            Status.open,
            (Flag.due_soon, Flag.stale),
            {"due": "2026-12-10", **ONE_MISSED},
            Concern.due_soon,
        ),
        (Status.on_track, (Flag.stale,), ONE_MISSED, Concern.stale),
        (Status.on_track, (), {}, None),
        (Status.done, (Flag.stale,), ONE_MISSED, None),
        (Status.paused, (Flag.never_reported,), NEVER, None),
    ],
)
def test_each_item_needs_attention_for_the_first_rule_that_applies(status, flags, fields, wanted):
    need = judge(flagged("k", status, *flags, **fields), AS_OF, 92)
    assert (need.concern if need else None) is wanted


def test_the_rules_are_the_documented_order_and_each_reason_is_one_sentence():
    assert [rule.concern for rule in RULES] == list(Concern)
    never = judge(flagged("k", Status.not_reported, Flag.never_reported, **NEVER), AS_OF, 92)
    assert never is not None and never.reason == (
        "never reported: the first reading was due on 2025-04-03; reported every 92 days"
    )
    missed = judge(flagged("k", Status.on_track, Flag.stale, **TWO_MISSED), AS_OF, 92)
    assert missed is not None and missed.reason == (
        "no reading for 1 year 2 months (since 2025-09-30); reported every 92 days, so 4 "
        "readings are missing"
    )
    stale = flagged("k", Status.on_track, Flag.stale, **ONE_MISSED)
    stale.frequency = Frequency.half_yearly
    found = judge(stale, AS_OF, 92)
    assert found is not None and found.reason == "no reading for 4 months; reported half-yearly"


def test_overdue_lists_late_items_then_those_due_within_its_own_window():
    """In plan order (so that they show under their goals), counted items only."""
    as_of = D("2025-06-01")
    goal_with_kpis = flagged("goal", Status.behind, due="2025-06-10")
    goal_with_kpis.counted = False
    items = (
        goal_with_kpis,
        flagged("late-2", Status.overdue, due="2025-05-20"),
        flagged("late-1", Status.overdue, due="2025-05-01"),
        flagged("soon", Status.open, due="2025-06-20"),
        flagged("edge", Status.open, due="2025-06-21"),
        flagged("done", Status.done, due="2025-06-10"),
        flagged("later", Status.open, due="2025-06-22"),
    )
    late, soon = late_and_due_soon(items, as_of, days=20)
    assert [i.id for i in late] == ["late-2", "late-1"]
    assert [i.id for i in soon] == ["soon", "edge"]


def test_status_shows_every_row_until_a_summary_reads_better():
    assert status_view(FULL_TABLE_LIMIT, every_row=False) is View.full
    assert status_view(FULL_TABLE_LIMIT + 1, every_row=False) is View.summary
    assert status_view(PLAIN_LIMIT, every_row=True) is View.full
    assert status_view(PLAIN_LIMIT + 1, every_row=True) is View.plain
