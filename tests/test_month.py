"""One month of the update cycle end to end, as the README walks through it, on a copy of the
real data in a git repository: requests and forms, returns filled in by a script (synthetic
values: they live here, never in data/), import on a branch, the pull request's diff, the merge,
and the report."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from .conftest import DATA, git

MONTH = "2026-11"
AS_OF = "2026-11-20"
# What the Creative Industries Board "returns" (synthetic: test fixtures only).
RETURNED = {
    "ci-inv-3-people": {"value": "240", "date": "2026-11-10", "note": "Ticket sales, first event"},
    "ci-risk-1-incubator": {"value": "done", "date": "2026-11-12", "note": "Launched"},
    "ci-inv-3": {
        "rag": "green",
        "summary": "Venue booked and tickets on sale",
        "next_steps": "Announce the headliner",
        "asks": "Two sponsors",
    },
}


def _fill(form: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(form.read_text(encoding="utf-8").lstrip("\ufeff"))))
    for row in rows:
        row.update(RETURNED.get(row["id"], {}))
        if row["rag"]:
            row["by"] = "rachel-mclean"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    form.write_text(out.getvalue(), encoding="utf-8")


def test_one_month_of_returns_from_requests_to_report(run, tmp_path: Path) -> None:
    repo = tmp_path / "plans"
    shutil.copytree(DATA, repo / "data", ignore=shutil.ignore_patterns(".lcrplan-cache"))
    (repo / ".gitignore").write_text(".lcrplan-cache/\n.*.lock\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the plans")
    data = repo / "data"

    # 1. ask: requests and a return form per owner, on a branch
    git(repo, "switch", "-q", "-c", f"returns/{MONTH}")
    forms = repo / "returns" / MONTH
    asked = run("requests", "--period", MONTH, "--forms", forms, "--as-of", AS_OF, "--data", data)
    assert asked.exit_code == 0, asked.output
    letter = (forms / "requests.md").read_text(encoding="utf-8")
    assert "## Creative Industries Board (chair: Professor Rachel McLean) `ci-board`" in letter
    assert {"ci-board.csv", "ci-board.xlsx", "requests.md"} <= {p.name for p in forms.iterdir()}
    form = forms / "ci-board.csv"
    ids = {row["id"] for row in csv.DictReader(io.StringIO(form.read_text("utf-8-sig")))}
    assert set(RETURNED) <= ids

    # 2. the owner's return comes back; import it on the branch
    _fill(form)
    before = {p: p.read_bytes() for p in data.rglob("*.yaml")}
    on_the_day = {"LCRPLAN_TODAY": AS_OF}  # the owner's update is dated the day it is imported
    imported = run("import", form, "--data", data, env=on_the_day)
    assert imported.exit_code == 0, imported.output
    assert "Recorded 1 reading(s), 1 milestone(s) done, 1 update(s) in 2 file(s)" in (
        imported.stderr
    )
    changed = sorted(p.name for p, text in before.items() if p.read_bytes() != text)
    assert changed == ["investment.yaml", "risk-taking.yaml"]
    assert run("validate", "--data", data, env=on_the_day).exit_code == 0
    assert run("import", form, "--data", data, env=on_the_day).stderr.startswith("No change")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Returns for {MONTH}")

    # 3. the pull request's diff: new readings and the update, no goalpost moved
    diff = run("diff", "main", f"returns/{MONTH}", "--as-of", AS_OF, "--data", data)
    assert diff.exit_code == 0, diff.output
    assert "Goalposts moved" not in diff.stdout
    assert "+ ci-inv-3-people 2026-11-10: 240" in diff.stdout
    assert "+ ci-risk-1-incubator 2026-11-12: done" in diff.stdout
    assert f"+ ci-inv-3 {AS_OF}: {MONTH} update: green" in diff.stdout

    # 4. merge, and the month's report shows the updates beside the data
    git(repo, "switch", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", f"returns/{MONTH}", "-m", "Merge returns")
    report = run("report", "--month", MONTH, "--data", data)
    assert report.exit_code == 0, report.output
    text = report.stdout
    assert (
        "| 2026-11-10 | People engaged by a cornerstone event `ci-inv-3-people` | 240 people |"
        in (text)
    )
    section = text.split("## Owners' updates and this year's targets", 1)[1].split("\n## ")[0]
    row = next(line for line in section.splitlines() if "`ci-inv-3`" in line)
    assert "**Disagrees:** Green" in row and "Venue booked and tickets on sale" in row
    assert "Professor Rachel McLean" in row
    shown = run("show", "ci-inv-3", "--as-of", "2026-11-30", "--data", data).stdout
    assert "  DISAGREES: owner says Green; data says " in shown


def test_a_return_for_november_imported_in_december_is_novembers(
    run, tmp_path: Path, monkeypatch
) -> None:
    """The monthly workflow reports on the 1st, and owners return late: an update and a reading
    for 2026-11 written on 2026-12-04 belong to November, in its report and at its end."""
    monkeypatch.setenv("LCRPLAN_TODAY", "2026-12-04")  # the day the return is imported and after
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".lcrplan-cache"))
    forms = tmp_path / "returns"
    asked = run("requests", "--period", MONTH, "--forms", forms, "--as-of", AS_OF, "--data", data)
    assert asked.exit_code == 0, asked.output
    letter = (forms / "requests.md").read_text(encoding="utf-8")
    assert "leave the date blank for a figure for the whole period" in letter
    assert "recorded for 2026-11, on 2026-11-30" in letter
    form = forms / "ci-board.csv"
    rows = list(csv.DictReader(io.StringIO(form.read_text(encoding="utf-8").lstrip("\ufeff"))))
    late = {
        "ci-inv-3-people": {"value": "260"},  # no date: the figure is for the month
        "ci-inv-3": {"rag": "amber", "summary": "Tickets selling slowly", "by": "rachel-mclean"},
    }
    for row in rows:
        row.update(late.get(row["id"], {}))
    assert {r["period"] for r in rows if r["id"] in late} == {"'" + MONTH}  # kept as text
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    form.write_text(out.getvalue(), encoding="utf-8")

    imported = run("import", form, "--date", "2026-12-04", "--data", data)
    assert imported.exit_code == 0, imported.output
    assert "+          - {date: 2026-11-30, value: 260, period: 2026-11, written: 2026-12-04}" in (
        imported.stdout
    )
    assert "+      - period: 2026-11\n+        date: 2026-12-04\n" in imported.stdout

    report = run("report", "--month", MONTH, "--data", data)
    assert report.exit_code == 0, report.output
    assert (
        "| 2026-11-30 | People engaged by a cornerstone event `ci-inv-3-people` | 260 people |"
        in (report.stdout)
    )
    updates = report.stdout.split("## Owners' updates and this year's targets", 1)[1]
    row = next(line for line in updates.splitlines() if "`ci-inv-3`" in line)
    assert "Amber" in row and "Tickets selling slowly" in row and "2026-12-04" in row

    shown = run("show", "ci-inv-3", "--as-of", "2026-11-30", "--data", data)
    assert shown.exit_code == 0, shown.output
    assert "  update:   2026-11, owner says Amber; by Professor Rachel McLean on 2026-12-04\n" in (
        shown.stdout
    )
    kpi = run(
        "show", "ci-inv-3-people", "--as-of", "2026-11-30", "--format", "json", "--data", data
    )
    (item,) = json.loads(kpi.stdout)["items"]
    assert item["latest"]["date"] == "2026-11-30" and item["latest"]["value"] == 260
    # the month before knows nothing of it: it is for November, not October
    before = run("show", "ci-inv-3", "--as-of", "2026-10-31", "--data", data).stdout
    assert "none from the owner yet" in before
