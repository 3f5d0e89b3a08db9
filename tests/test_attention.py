"""What needs attention: the real data at 2026-11-30 through the library (every KPI whose first
reading fell due and never came is flagged and counted), then end to end through the command
line: the same counts in every format, the day
tracking of a plan began (a setting in lcrplan.yaml, with its reason), staleness by each KPI's
own rhythm, one-off figures, and the reason each item carries in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

import lcrplan
from lcrplan.evaluate.attention import RULES

from .conftest import DATA, MINIMAL, TODAY, write_tree

AS_OF = "2026-11-30"


def envelope(run, *args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_real_data_chases_every_first_reading_that_never_came():
    day = dt.date.fromisoformat(AS_OF)
    loaded = lcrplan.load(DATA, today=TODAY)
    summary = lcrplan.summary(loaded, as_of=day)
    counted = [i for i in lcrplan.statuses(loaded, as_of=day).items if i.counted]
    kpis = [i for i in counted if i.type == "kpi"]
    never = [i for i in kpis if i.kind in ("numeric", "indicator") and i.latest is None]
    # the never-reported count is the items with no reading: the "not reported" ones and the
    # hydrogen buses, overdue since 2020 with no reading either
    not_reported = [i for i in never if i.status == "not_reported"]
    assert summary.never_reported == len(never) == len(not_reported) + 1
    assert "lis-gc-clean-kpi-hydrogen-buses" in {i.id for i in never}
    due = [i for i in never if i.next_reading and i.next_reading < day]
    assert due, "some first readings are due at 2026-11-30"
    for item in due:  # each carries the flag and is counted in needs attention
        assert "never_reported" in item.flags or item.status == "overdue", item.id
        assert item.attention is not None, item.id
    flagged = [i for i in kpis if "never_reported" in i.flags]
    assert {i.id for i in flagged} <= {i.id for i in never}
    # every counted item that needs attention is counted once, under its first rule
    needing = [i for i in counted if i.attention]
    assert summary.needs_attention == len(needing) == sum(summary.attention.values())
    for rule in RULES:
        listed = [i for i in needing if i.attention and i.attention.concern == rule.concern]
        assert summary.attention[rule.concern] == len(listed)
    # the Creative Industries KPIs, due a first reading since 2025-04-03, are in the list
    skills = next(i for i in kpis if i.id == "ci-skills-1-reach")
    assert skills.attention is not None
    assert (skills.attention.concern, skills.attention.reason, skills.attention.since) == (
        "reading_overdue",
        "never reported: the first reading was due on 2025-04-03; reported every 92 days",
        dt.date(2025, 4, 3),
    )
    # no figure from before tracking began is stale: the 2008 European Capital of Culture
    # figures and the 2016-2020 figures the strategy quotes head no list
    old = [i for i in kpis if i.latest and i.latest.date < dt.date(2020, 12, 31)]
    assert old and not [i.id for i in old if "stale" in i.flags or i.attention]
    assert {i.id for i in old if i.latest and i.latest.date.year == 2008} == {
        "lis-opp-culture-ecoc-activities",
        "lis-opp-culture-ecoc-economic-boost",
        "lis-opp-culture-ecoc-international-visitors",
    }


def test_the_status_line_report_and_csv_give_the_same_attention(run):
    out = envelope(run, "status", "--data", DATA, "--as-of", AS_OF, "--no-cache")
    by_rule = {c: n for c, n in out["summary"]["attention"].items() if n}
    titles = {rule.concern.value: rule.title.lower() for rule in RULES}
    words = ", ".join(f"{n} {titles[c]}" for c, n in by_rule.items())
    table = run("status", "--data", DATA, "--as-of", AS_OF, "--no-cache", env={"COLUMNS": "400"})
    head = " ".join(table.stdout.split("\n\n")[0].split())
    total = out["summary"]["needs_attention"]
    never = out["summary"]["never_reported"]
    assert f"; {total} need attention ({words}); {never} KPIs never reported;" in head
    rows = csv.DictReader(
        io.StringIO(run("status", "--data", DATA, "--as-of", AS_OF, "-f", "csv").stdout)
    )
    concerns = [r["attention_concern"] for r in rows if r["counted"] == "true"]
    assert sum(bool(c) for c in concerns) == total
    # each JSON attention record names its rule's title, and its date as text
    for rule in RULES:
        listed = [i for i in out["items"] if (i["attention"] or {}).get("concern") == rule.concern]
        assert all(i["attention"]["title"] == rule.title for i in listed)
    skills = next(i for i in out["items"] if i["id"] == "ci-skills-1-reach")
    assert skills["attention"] == {
        "concern": "reading_overdue",
        "title": "Reading overdue",
        "reason": "never reported: the first reading was due on 2025-04-03; reported every 92 days",
        "since": "2025-04-03",
    }


TRACKED = {
    **MINIMAL,
    "lcrplan.yaml": """
        tracking:
          - plan: plan
            since: 2026-06-01
            reason: The board first asked for returns in June 2026.
        """,
    "theme.yaml": """
        theme: {id: theme, plan: plan, title: A theme, group: grp, source: {document: doc}}
        goals:
          - id: g
            title: Reach people
            source: {document: doc}
            kpis:
              - id: never
                kind: numeric
                title: People reached
                target: 100
                unit: people
                frequency: quarterly
                source: {document: doc}
              - id: half
                kind: indicator
                title: Employment rate
                direction: increase
                unit: "%"
                frequency: half_yearly
                source: {document: doc}
                measurements:
                  - {date: 2026-09-30, value: 71}
              - id: once
                kind: indicator
                title: Visitors in the year of the festival
                direction: increase
                frequency: once
                source: {document: doc}
                measurements:
                  - {date: 2008-12-31, value: 9700000}
        """,
}


def items_at(run, data: Path, as_of: str) -> dict[str, dict]:
    out = envelope(run, "status", "--data", data, "--as-of", as_of)
    return {i["id"]: i for i in out["items"]}


def test_a_first_reading_is_due_a_period_after_tracking_began_not_the_plans_start(run, tmp_path):
    data = write_tree(tmp_path / "data", TRACKED)  # the plan starts 2020-01-01
    before = items_at(run, data, "2026-08-31")["never"]
    assert before["next_reading"] == "2026-09-01" and before["tracked_since"] == "2026-06-01"
    assert before["flags"] == [] and before["attention"] is None
    after = items_at(run, data, "2026-09-02")["never"]
    assert after["flags"] == ["never_reported"]
    assert after["attention"]["reason"] == (
        "never reported: the first reading was due on 2026-09-01; reported quarterly"
    )
    shown = run("show", "never", "--data", data, "--as-of", "2026-08-31").stdout
    assert (
        "  reported: quarterly; the first reading is due 2026-09-01, tracked since 2026-06-01\n"
    ) in shown
    letter = run("requests", "--period", "2026-09", "--as-of", "2026-09-02", "--data", data)
    assert (
        "| People reached `never` | ∅ Not reported | – / 100 people | since 2026-09-01 (late) |"
        in (letter.stdout)
    )
    form = run(
        "requests", "--period", "2026-09", "--as-of", "2026-09-02", "-f", "csv", "--data", data
    )
    due = {r["id"]: r["due"] for r in csv.DictReader(io.StringIO(form.stdout.lstrip("\ufeff")))}
    assert due["never"] == "2026-09-01"  # never a date before the KPI was tracked
    ics = run("calendar", "--as-of", "2026-09-02", "--data", data).stdout
    assert "DTSTART;VALUE=DATE:20260901" in ics and "2020" not in ics.split("BEGIN:VEVENT", 1)[1]


def test_stale_by_its_own_rhythm_then_readings_overdue(run, tmp_path):
    data = write_tree(tmp_path / "data", TRACKED)
    seven = items_at(run, data, "2027-04-30")["half"]  # due 2027-03-31, half-yearly
    assert seven["flags"] == ["stale"]
    assert seven["attention"] == {
        "concern": "stale",
        "title": "Stale",
        "reason": "no reading for 7 months; reported half-yearly",
        "since": "2027-03-31",
    }
    missed = items_at(run, data, "2027-10-01")["half"]
    assert missed["attention"]["concern"] == "reading_overdue"
    assert missed["attention"]["reason"] == (
        "no reading for 1 year (since 2026-09-30); reported half-yearly, so 2 readings are missing"
    )


@pytest.mark.parametrize("as_of", ["2026-11-30", "2030-01-01"])
def test_a_one_off_figure_is_never_stale_nor_due_again(run, tmp_path, as_of):
    data = write_tree(tmp_path / "data", TRACKED)
    once = items_at(run, data, as_of)["once"]
    assert once["frequency"] == "once"
    assert once["next_reading"] is None and once["flags"] == [] and once["attention"] is None


@pytest.mark.parametrize(
    ("tracking", "message"),
    [
        (
            "tracking:\n  - {plan: plann, since: 2026-06-01, reason: First returns}\n",
            "data/lcrplan.yaml:2:12: error: tracking[0]: unknown plan 'plann' (did you mean "
            "'plan'?) [LCR304]",
        ),
        (
            "tracking:\n  - {plan: plan, since: 2026-06-01}\n",
            "data/lcrplan.yaml:2:5: error: tracking[0]: missing required field 'reason' (add "
            "'reason:' to tracking[0]) [LCR202]",
        ),
        (
            "tracking:\n  - {plan: plan, since: 2026-06-01, reason: A}\n"
            "  - {plan: plan, since: 2026-07-01, reason: B}\n",
            "tracking: plan 'plan' is listed twice",
        ),
    ],
    ids=["unknown plan", "no reason", "twice"],
)
def test_the_tracking_setting_is_validated(run, tmp_path, tracking, message):
    data = write_tree(tmp_path / "data", {**MINIMAL, "lcrplan.yaml": tracking})
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_the_readme_documents_every_rule_in_order():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What needs attention", 1)[1].split("\n### ", 1)[0]
    table = section.split("\n| # |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split(" | ") for line in table.splitlines()[2:]]
    documented = [(int(cells[0].strip("| ")), cells[1], cells[2]) for cells in rows]
    assert documented == [(n, r.title, r.when) for n, r in enumerate(RULES, 1)]
