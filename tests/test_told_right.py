"""The story a board reads, end to end through the command line: revisions listed in the month
they were made, a goal's progress said with what it covers, timeline bars labelled by their own
status, boards counting their sub-groups' items on the site, and provisional points drawn
hollow."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from lcrplan.emit.charts import legend, summary, table_rows, trend_chart
from lcrplan.views.trends import Point, Trajectory, Trend

from .conftest import DATA, theme_file, write_tree

GOALS = """
- id: g-two
  title: Two measures
  due: 2026-12-31
  source: {document: doc}
  kpis:
    - id: k-counted
      kind: numeric
      title: Counted
      target: 100
      unit: people
      baseline: {value: 0, date: 2026-01-01}
      source: {document: doc}
      measurements:
        - {date: 2026-06-30, value: 40, provisional: true}
        - {date: 2026-06-30, value: 77, written: 2026-11-12, revised: Late returns added}
    - id: k-silent
      kind: numeric
      title: Never counted
      target: 50
      unit: events
      source: {document: doc}
- id: g-late
  title: A late launch
  due: 2026-12-31
  source: {document: doc}
  kpis:
    - id: k-launch
      kind: milestone
      title: Launched
      due: 2026-09-30
      source: {document: doc}
"""


def report(run, data: Path, month: str) -> str:
    result = run("report", "--data", data, "--month", month)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_report_lists_revisions_in_the_month_they_were_made(run, data_dir):
    write_tree(data_dir, {"theme.yaml": theme_file(GOALS)})
    november = report(run, data_dir, "2026-11")
    section = november.split("### Revisions made this month (1)", 1)[1].split("\n### ", 1)[0]
    assert (
        "| 2026-11-12 | Counted `k-counted` | 2026-06-30 | 40 people | 77 people | Late returns "
        "added |"
    ) in section
    assert "statuses use the corrected figure" in section
    # the revision is not a new reading: June's list has the figure, November's has none
    assert "No measurement is dated in this period." in november
    assert "### Revisions made this month (0)" in report(run, data_dir, "2026-10")
    html = run("report", "--data", data_dir, "--month", "2026-11", "--format", "html").stdout
    assert "<h3>Revisions made this month (1)</h3>" in html and "Late returns added" in html


def test_a_goals_progress_says_what_it_covers(run, data_dir):
    write_tree(data_dir, {"theme.yaml": theme_file(GOALS)})
    out = run("status", "--data", data_dir, "--as-of", "2026-11-30", "--format", "json")
    goal = next(i for i in json.loads(out.stdout)["items"] if i["id"] == "g-two")
    assert goal["status"] == "not_reported"  # the worst of its KPIs: one has no reading
    assert (goal["kpis_with_target"], goal["kpis_reported"]) == (2, 1)
    assert goal["progress"] == 0.77 and goal["progress_text"] == "1 of 2 KPIs reported: 77% there"
    row = next(line for line in report(run, data_dir, "2026-11").splitlines() if "`g-two`" in line)
    assert "77% 1 of 2 KPIs reported |" in row
    shown = run("show", "g-two", "--data", data_dir, "--as-of", "2026-11-30").stdout
    assert "  progress: ########--  77% (1 of 2 KPIs reported: 77% there)\n" in shown


def test_timeline_bars_are_labelled_by_their_own_status(run, data_dir):
    write_tree(data_dir, {"theme.yaml": theme_file(GOALS)})
    text = report(run, data_dir, "2026-11")
    bars = re.findall(r"^    (\w[\w ]*) - (.*?) :", text, re.M)
    # the two goals share their dates but not their status: each bar names one of its own
    assert ("Not reported", "Two measures") in bars and ("Behind", "A late launch") in bars
    assert not [label for _, label in bars if "more" in label]


def test_a_board_counts_and_lists_its_sub_groups_items_on_the_site(run, tmp_path):
    groups = run("groups", "--data", DATA, "--as-of", "2026-11-30", "--format", "json")
    rows = {r["id"]: r for r in json.loads(groups.stdout)["items"]}
    assert rows["music-board"]["items"] == 30
    site = tmp_path / "site"
    built = run("site", site, "--data", DATA, "--as-of", "2026-11-30", "--no-history")
    assert built.exit_code == 0, built.output
    page = (site / "owner-music-board.html").read_text(encoding="utf-8")
    assert "Nothing in the plans is owned by" not in page
    assert re.search(r"<dt>Items</dt><dd>30 items: ", page)
    sub_groups = [g for g in rows.values() if g["board"] == "music-board"]
    for group in sub_groups:  # each sub-group's items are on the board's page
        sub_page = (site / f"owner-{group['id']}.html").read_text(encoding="utf-8")
        listed = set(re.findall(r'href="((?:goal|kpi)-[a-z0-9-]+\.html)"', sub_page))
        assert listed and listed <= set(re.findall(r'href="((?:goal|kpi)-[a-z0-9-]+\.html)"', page))
    home = (site / "index.html").read_text(encoding="utf-8")
    row = next(
        line
        for line in home.splitlines()
        if line.startswith('<tr><th scope="row"><a href="owner-music-board.html"')
    )
    assert 'class="n">30</td>' in row


def test_provisional_readings_are_drawn_hollow_and_said_so():
    day = dt.date(2026, 6, 30)
    trend = Trend(
        "k",
        "K",
        dt.date(2026, 11, 30),
        "on_track",
        (Point(day - dt.timedelta(days=90), 20.0), Point(day, 40.0, provisional=True)),
        "people",
        target=Trajectory(100, 100, dt.date(2026, 12, 31), dt.date(2026, 1, 1)),
    )
    svg = trend_chart(trend)
    # the earlier reading is a filled dot; the latest, provisional, is its status's shape drawn
    # thinner (a check mark) and listed in the legend as provisional
    assert '<circle cx="' in svg and 'stroke-width="1.8"' in svg  # the check mark, thinner
    assert "Provisional: may still change" in legend(trend)
    assert summary(trend).startswith("2 readings (1 provisional, drawn hollow); ")
    assert [r.value for r in table_rows(trend)] == ["20 people", "40 people (provisional)"]
    solid = Trend(*[getattr(trend, f) for f in ("kpi_id", "title", "as_of", "status")])
    assert 'fill="#ffffff" stroke=' not in trend_chart(solid)
    assert "Provisional" not in legend(solid)
    hollow = Trend(
        "k", "K", dt.date(2026, 11, 30), "done", (Point(day, 40.0, provisional=True),), "people"
    )
    assert 'fill="#ffffff" stroke="#1a6b28"' in trend_chart(hollow)  # a filled shape, outlined
