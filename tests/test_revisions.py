"""Provisional and revised readings end to end: a figure can be marked provisional, a later
entry revises an earlier date's figure with a reason; statuses use the latest figure for each
date, `validate` checks revisions, `record --revise` writes one, and `diff` shows it as a
revision, not a new reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import MINIMAL, commit, git, replace_data, theme_file, write_tree
from .helpers.goals import goal, numeric_kpi

# the readings are written after the KPI's `measurements:` line
KPI = goal(due="2026-12-31", kpis=[numeric_kpi(baseline="2026-01-01", readings=[])]) + "%s\n"
FIRST = "        - {date: 2026-06-30, value: 240, provisional: true}\n"
REVISED = (
    "        - {date: 2026-06-30, value: 480, written: 2026-11-12, "
    "revised: Ticket sales audited; the first count missed the second venue}\n"
)


def tree(root: Path, readings: str) -> Path:
    return write_tree(root, {**MINIMAL, "theme.yaml": theme_file(KPI % readings.rstrip("\n"))})


def item(run, data: Path, as_of: str = "2026-11-30") -> dict:
    result = run("show", "k1", "--data", data, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["items"][0]


def test_a_provisional_figure_counts_and_says_so(run, data_dir):
    found = item(run, tree(data_dir, FIRST))
    assert found["latest"] == {
        "date": "2026-06-30",
        "value": 240,
        "text": None,
        "provisional": True,
    }
    assert found["status"] == "off_track"
    shown = run("show", "k1", "--data", data_dir, "--as-of", "2026-11-30").stdout
    assert "    2026-06-30  240 (provisional)\n" in shown


def test_statuses_use_the_revised_figure_for_its_date(run, data_dir):
    before = item(run, tree(data_dir, FIRST))
    after = item(run, tree(data_dir, FIRST + REVISED))
    assert (before["latest"]["value"], after["latest"]["value"]) == (240, 480)
    assert after["latest"]["provisional"] is False
    assert before["status"] == "off_track" and after["status"] == "on_track"
    assert after["reason"].startswith("480 people so far; ")
    shown = run("show", "k1", "--data", data_dir, "--as-of", "2026-11-30").stdout
    assert (
        "    2026-06-30  480 (written 2026-11-12; revises the figure above: Ticket sales "
        "audited; the first count missed the second venue)\n"
    ) in shown
    assert run("validate", "--data", data_dir).exit_code == 0


@pytest.mark.parametrize(
    ("readings", "message"),
    [
        (
            "        - {date: 2026-06-30, value: 480, written: 2026-11-12, revised: audited}\n",
            "kpi k1: measurement on 2026-06-30 revises nothing: no earlier entry on that date "
            "(give the date of the figure it revises, or remove 'revised:' and 'written:') "
            "[LCR416]",
        ),
        (
            "        - {date: 2026-06-30, value: 240}\n        - {date: 2026-06-30, value: 260}\n",
            "kpi k1: two figures on 2026-06-30 (240, then 260), the later not marked as a "
            "revision (mark it 'revised:' with the reason and 'written:' with the day (lcrplan "
            "record k1 VALUE --date 2026-06-30 --revise REASON), or remove the wrong one) "
            "[LCR417]",
        ),
        (
            "        - {date: 2026-06-30, value: 240}\n"
            "        - {date: 2026-06-30, value: 260, revised: audited}\n",
            "a revision needs 'written:', the day it was revised",
        ),
        (
            "        - {date: 2026-06-30, value: 240, written: 2026-06-01}\n",
            "written 2026-06-01 is before the day the figure is for (2026-06-30)",
        ),
    ],
    ids=["revises nothing", "two figures unmarked", "no written date", "written before"],
)
def test_revisions_are_validated(run, data_dir, readings, message):
    result = run("validate", "--data", tree(data_dir, readings), "--no-source", "--strict")
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_record_revise_adds_a_revision_after_the_figure_it_revises(run, data_dir):
    tree(data_dir, FIRST + "        - {date: 2026-09-30, value: 500}\n")
    args = ("record", "k1", "480", "--date", "2026-06-30", "--data", data_dir)
    result = run(*args, "--revise", "Ticket sales audited")
    assert result.exit_code == 0, result.output
    lines = [x.strip() for x in (data_dir / "theme.yaml").read_text(encoding="utf-8").splitlines()]
    at = lines.index("- {date: 2026-06-30, value: 240, provisional: true}")
    assert lines[at + 1].startswith("- {date: 2026-06-30, value: 480, written: 20")
    assert lines[at + 1].endswith(", revised: Ticket sales audited}")
    assert lines[at + 2] == "- {date: 2026-09-30, value: 500}"
    assert run("validate", "--data", data_dir).exit_code == 0
    nothing = run("record", "k1", "1", "--date", "2026-05-31", "--revise", "x", "--data", data_dir)
    assert nothing.exit_code == 1
    assert "'k1' has no measurement on 2026-05-31 to revise" in nothing.output
    both = run(*args, "--revise", "x", "--replace")
    assert both.exit_code == 2 and "a revision keeps the figure it revises" in both.output


def test_diff_shows_a_revision_as_a_revision_not_a_new_reading(run, tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, {**MINIMAL, "theme.yaml": theme_file(KPI % FIRST.rstrip("\n"))}, "first")
    replace_data(root, {**MINIMAL, "theme.yaml": theme_file(KPI % (FIRST + REVISED).rstrip())})
    args = ("diff", "main", "--data", root / "data", "--as-of", "2026-11-30")
    text = run(*args)
    assert text.exit_code == 0, text.output
    assert (
        "~ k1 2026-06-30: 240 -> 480 (revised: Ticket sales audited; the first count missed "
        "the second venue)"
    ) in text.stdout
    assert "+ k1" not in text.stdout
    (change,) = [
        c
        for c in json.loads(run(*args, "-f", "json").stdout)["items"]
        if c["section"] == "measurements"
    ]
    assert (change["change"], change["old"], change["new"]) == ("revised", "240", "480")
    assert change["reason"].startswith("Ticket sales audited")
