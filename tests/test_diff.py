"""`lcrplan diff` end to end on temporary git repositories: what a pull request changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import commit, git, replace_data, theme_file, write_tree
from .helpers.datasets import AFTER, BEFORE
from .helpers.goals import goal, milestone, numeric_kpi

AS_OF = "2026-06-01"

EXPECTED_TEXT = """\
Changes from main to the working tree (statuses as of 2026-06-01)

Goalposts moved (2)
  k1 (KPI): target 1,000 people -> 800 people (lowered)
  g2 (goal): due 2027-06-30 -> 2026-03-31 (456 days earlier)

Statuses changed (4)
  g1 (goal): At risk -> On track: its one KPI, k1, is on track
  k1 (KPI): At risk -> On track: 500 people so far; needs about 35 a month to reach 800 by \
2026-11-30, managing 34 a month: on track
  g2 (goal): Open -> Overdue: its one KPI, k2, is overdue
  k2 (KPI): Open -> Overdue: due on 2026-03-31 and not done: 2 months late

Added (1)
  + g5 (goal): Train young promoters [No KPI]

Removed (1)
  - g4 (goal): Hold a festival [was No KPI]

Renamed (1)
  k3-old -> k3-map (KPI): Map published

Readings, completions and updates (1)
  + k1 2026-03-31: 500
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose branch `main` holds BEFORE in data/, and AFTER in the work tree."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, BEFORE, "before")
    replace_data(root, AFTER)
    return root


def test_diff_text_reports_each_change(run, repo):
    result = run("diff", "main", "--data", repo / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED_TEXT


HOSTILE_TITLE = "1. <b>Bold</b> | *shout* [link](https://x.test) ![img](x) `tick` &amp; #tag ~"


def test_diff_markdown_escapes_like_the_report(run, repo):
    """One Markdown escaper (`text.md_escape`): a title renders literally, as one list item,
    with no HTML, link, image, emphasis or code span."""
    from markdown_it import MarkdownIt

    theme = repo / "data" / "theme.yaml"
    theme.write_text(
        theme.read_text().replace("Train young promoters", HOSTILE_TITLE.replace('"', ""))
    )
    result = run("diff", "main", "-d", repo / "data", "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("- `g5`"))
    rendered = MarkdownIt("commonmark").render(line)
    assert rendered.count("<li>") == 1
    for tag in ("<b>", "<a ", "<img", "<em>", "<strong>", "<code>tick"):
        assert tag not in rendered, (tag, rendered)
    assert "1. &lt;b&gt;Bold&lt;/b&gt; | *shout* [link](https://x.test)" in rendered


def test_diff_between_two_revisions_matches_the_working_tree(run, repo):
    git(repo, "checkout", "-q", "-b", "pr")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "after")
    result = run("diff", "main", "pr", "--data", repo / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    expected = EXPECTED_TEXT.replace("to the working tree", "to pr")
    assert result.stdout == expected


def test_diff_markdown_puts_goalposts_first(run, repo):
    result = run("diff", "main", "-d", repo / "data", "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "## Data changes: `main` → the working tree\n"
        "\n"
        "Statuses as of 2026-06-01.\n"
        "\n"
        "### Goalposts moved (2)\n"
        "\n"
        "**A target, date, baseline or threshold changed: check that the source document "
        "supports each move.**\n"
        "\n"
        "- `k1` (KPI): target 1,000 people → 800 people (lowered)\n"
        "- `g2` (goal): due 2027-06-30 → 2026-03-31 (456 days earlier)\n"
        "\n"
        "### Statuses changed (4)\n"
        "\n"
        "- `g1` (goal): At risk → **On track**: its one KPI, k1, is on track\n"
        "- `k1` (KPI): At risk → **On track**: 500 people so far; needs about 35 a month to "
        "reach 800 by 2026-11-30, managing 34 a month: on track\n"
        "- `g2` (goal): Open → **Overdue**: its one KPI, k2, is overdue\n"
        "- `k2` (KPI): Open → **Overdue**: due on 2026-03-31 and not done: 2 months late\n"
        "\n"
        "### Added (1)\n"
        "\n"
        "- `g5` (goal): Train young promoters \\[No KPI\\]\n"
        "\n"
        "### Removed (1)\n"
        "\n"
        "- `g4` (goal): Hold a festival \\[was No KPI\\]\n"
        "\n"
        "### Renamed (1)\n"
        "\n"
        "- `k3-old` → `k3-map` (KPI): Map published\n"
        "\n"
        "### Readings, completions and updates (1)\n"
        "\n"
        "- `k1` 2026-03-31: 500 (added)\n"
    )


def test_diff_json_lists_every_section(run, repo):
    result = run("diff", "main", "-d", repo / "data", "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    base = git(repo, "rev-parse", "main")
    out = json.loads(result.stdout)
    assert {k: out[k] for k in ("command", "as_of", "filters")} == {
        "command": "diff",
        "as_of": "2026-06-01",
        "filters": {"base": {"rev": "main", "commit": base}, "head": {"rev": None, "commit": None}},
    }
    assert out["summary"] == {
        "goalposts": 2,
        "statuses": 4,
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "measurements": 1,
        "owners": 0,
        "other": 0,
        "notes": [],
    }
    assert out["items"] == [
        {
            "section": "goalposts",
            "id": "k1",
            "type": "kpi",
            "field": "target",
            "old": "1,000 people",
            "new": "800 people",
            "note": "lowered",
        },
        {
            "section": "goalposts",
            "id": "g2",
            "type": "goal",
            "field": "due",
            "old": "2027-06-30",
            "new": "2026-03-31",
            "note": "456 days earlier",
        },
        {
            "section": "statuses",
            "id": "g1",
            "type": "goal",
            "old": "at_risk",
            "new": "on_track",
            "reason": "its one KPI, k1, is on track",
        },
        {
            "section": "statuses",
            "id": "k1",
            "type": "kpi",
            "old": "at_risk",
            "new": "on_track",
            "reason": "500 people so far; needs about 35 a month to reach 800 by 2026-11-30, "
            "managing 34 a month: on track",
        },
        {
            "section": "statuses",
            "id": "g2",
            "type": "goal",
            "old": "open",
            "new": "overdue",
            "reason": "its one KPI, k2, is overdue",
        },
        {
            "section": "statuses",
            "id": "k2",
            "type": "kpi",
            "old": "open",
            "new": "overdue",
            "reason": "due on 2026-03-31 and not done: 2 months late",
        },
        {
            "section": "added",
            "id": "g5",
            "type": "goal",
            "title": "Train young promoters",
            "status": "no_kpi",
        },
        {
            "section": "removed",
            "id": "g4",
            "type": "goal",
            "title": "Hold a festival",
            "status": "no_kpi",
        },
        {
            "section": "renamed",
            "old_id": "k3-old",
            "new_id": "k3-map",
            "type": "kpi",
            "title": "Map published",
        },
        {
            "section": "measurements",
            "kpi": "k1",
            "date": "2026-03-31",
            "change": "added",
            "old": None,
            "new": "500",
            "reason": None,
        },
    ]


DIRECTORY = """
    sources:
      - id: doc
        title: A plan document
    boards:
      - id: board
        name: The Board
        chairs: [ann]
    people:
      - id: ann
        name: Ann Chair
      - id: bob
        name: Bob Chair
    groups:
      - id: grp
        name: A Group
        board: board
        chairs: [ann]
    """
PLAN = """
    plan:
      id: plan
      title: The Plan
      board: board
      start: 2025-01-01
      end: 2028-12-31
      source: {document: doc}
    """
GOALS = goal(kpis=[numeric_kpi(readings=[("2026-01-31", 400), ("2026-02-28", 450)]), milestone()])
GOALS_AFTER = goal(
    fields=["owner: board", "state: paused", "state_reason: Funding under review"],
    kpis=[
        numeric_kpi(title="People reached", readings=[("2026-01-31", 420)]),
        milestone(fields=["done: {date: 2026-04-01}"]),
    ],
)
SECOND = {
    "lcrplan.yaml": "due_soon_days: 30\n",
    "sources.yaml": DIRECTORY,
    "plan.yaml": PLAN,
    "theme.yaml": theme_file(GOALS),
}
SECOND_AFTER = {
    "lcrplan.yaml": "due_soon_days: 30\nthresholds: {on_track: 0.9}\n",
    "sources.yaml": DIRECTORY.replace(
        "chairs: [ann]\n    people", "chairs: [ann, bob]\n    people"
    ),
    "plan.yaml": PLAN.replace("end: 2028-12-31", "end: 2029-12-31"),
    "theme.yaml": theme_file(GOALS_AFTER),
}


def test_diff_reports_owners_states_readings_and_other_edits(run, tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, SECOND)
    replace_data(root, SECOND_AFTER)
    result = run("diff", "main", "--data", root / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Changes from main to the working tree (statuses as of 2026-06-01)\n"
        "\n"
        "Goalposts moved (2)\n"
        "  lcrplan.yaml (settings): thresholds on track 0.95, at risk 0.6 -> on track 0.9, "
        "at risk 0.6\n"
        "  plan (plan): end 2028-12-31 -> 2029-12-31 (365 days later)\n"
        "\n"
        "Statuses changed (3)\n"
        "  g1 (goal): At risk -> Paused: paused by its owner: Funding under review\n"
        "  k1 (KPI): At risk -> Paused: goal paused: Funding under review\n"
        "  k2 (KPI): Open -> Paused: goal paused: Funding under review\n"
        "\n"
        "Readings, completions and updates (3)\n"
        "  ~ k1 2026-01-31: 400 -> 420\n"
        "  - k1 2026-02-28: 450\n"
        "  + k2 2026-04-01: done\n"
        "\n"
        "Owners and states (3)\n"
        "  g1 (goal): owner grp -> board\n"
        "  g1 (goal): state active -> paused (Funding under review)\n"
        "  board (board): chairs ann -> ann, bob\n"
        "\n"
        "Other edits (1)\n"
        '  k1 (KPI): title "People engaged" -> "People reached"\n'
    )


@pytest.fixture
def second(tmp_path: Path) -> Path:
    """A repository whose `main` holds SECOND and whose work tree holds SECOND_AFTER."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    commit(root, SECOND)
    replace_data(root, SECOND_AFTER)
    return root


def test_diff_fails_on_goalposts_only_when_asked(run, second):
    args = ("diff", "main", "--data", second / "data", "--as-of", AS_OF, "--fail-on-goalpost")
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr == "lcrplan: 2 goalpost(s) moved (--fail-on-goalpost)\n"
    replace_data(second, SECOND)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Changes from main to the working tree (statuses as of 2026-06-01)\n"
        "No changes to the data.\n"
    )


def test_diff_of_an_unknown_revision_exits_2(run, second):
    result = run("diff", "no-such-branch", "--data", second / "data")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "lcrplan: unknown revision 'no-such-branch' (branches and tags here: main)\n"
    )
    result = run("diff", "origin/main", "--data", second / "data")
    assert result.exit_code == 2, result.output
    assert result.stderr == (  # not "e.g. origin/main", the name that just failed
        "lcrplan: unknown revision 'origin/main' (this repository has no remote 'origin': "
        "compare with a branch here; branches and tags here: main)\n"
    )
    result = run("diff", "mainn", "--data", second / "data")
    assert result.stderr == "lcrplan: unknown revision 'mainn' (did you mean 'main'?)\n"
    result = run("diff", "--data", second / "data", "--", "--output=/tmp/x")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "lcrplan: unknown revision '--output=/tmp/x' (a revision does not start with '-')\n"
    )


def test_diff_of_an_unknown_head_exits_2(run, second):
    result = run("diff", "main", "nope", "--data", second / "data")
    assert result.exit_code == 2, result.output
    assert "lcrplan: unknown revision 'nope'" in result.stderr


def test_diff_outside_a_git_repository_exits_2(run, tmp_path):
    data = write_tree(tmp_path / "data", SECOND)
    result = run("diff", "main", "--data", data, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"lcrplan: '{data}' is not inside a git repository (lcrplan diff compares "
        "revisions of a data directory kept in git)\n"
    )


def test_diff_without_git_exits_2(run, second, tmp_path):
    result = run("diff", "main", "--data", second / "data", env={"PATH": str(tmp_path)})
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "lcrplan: git is not installed or not on PATH (install git to compare revisions)\n"
    )


def validate_errors(run, data: Path) -> str:
    """What `lcrplan validate --quiet` prints for `data`: the lines diff must print too."""
    result = run("validate", "--quiet", "--no-cache", "--data", data)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_diff_prints_the_problems_of_a_broken_base_and_exits_1(run, tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    broken = SECOND | {"theme.yaml": SECOND["theme.yaml"].replace("title: Venue", "title: [Venue")}
    base = commit(root, broken)
    replace_data(root, SECOND)
    result = run("diff", "main", "--data", root / "data")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    problems = validate_errors(run, write_tree(tmp_path / "copy" / "data", broken))
    assert problems.startswith("data/theme.yaml:25:") and "invalid YAML" in problems
    assert problems.count("\n") == 1
    assert result.stderr == f"lcrplan: the data in main ({base[:12]}) has 1 error(s):\n{problems}"


def test_diff_prints_the_problems_of_the_working_tree_and_exits_1(run, second):
    theme = SECOND_AFTER["theme.yaml"].replace("value: 420", "value: lots")
    (second / "data" / "theme.yaml").write_text(theme, encoding="utf-8")
    result = run("diff", "main", "--data", second / "data")
    assert result.exit_code == 1, result.output
    problems = validate_errors(run, second / "data")
    assert problems.startswith(
        "data/theme.yaml:24:39: error: kpi k1: measurements[0].value: 'lots' is not"
    )
    assert problems.count("\n") == 1
    assert result.stderr == f"lcrplan: the data in the working tree has 1 error(s):\n{problems}"


def test_diff_from_before_the_data_existed_adds_everything(run, tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("A repository\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    write_tree(root / "data", SECOND)
    result = run("diff", "main", "--data", root / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Changes from main to the working tree (statuses as of 2026-06-01)\n"
        "note: data/ holds no data files in main: it is compared as empty\n"
        "\n"
        "Added (10)\n"
        "  + plan (plan): The Plan\n"
        "  + theme (theme): A theme\n"
        "  + g1 (goal): Engage people [At risk]\n"
        "  + k1 (KPI): People engaged [At risk]\n"
        "  + k2 (KPI): Venue opened [Open]\n"
        "  + board (board): The Board\n"
        "  + grp (group): A Group\n"
        "  + ann (person): Ann Chair\n"
        "  + bob (person): Bob Chair\n"
        "  + doc (document): A plan document\n"
    )


def test_diff_json_gives_owners_readings_and_edits_as_values(run, second):
    result = run("diff", "main", "--data", second / "data", "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)

    def section(key: str) -> list[dict]:
        found = [c for c in out["items"] if c["section"] == key]
        assert len(found) == out["summary"][key]
        return [{k: v for k, v in c.items() if k != "section"} for c in found]

    assert section("goalposts")[0] == {
        "id": "lcrplan.yaml",
        "type": "settings",
        "field": "thresholds",
        "old": "on track 0.95, at risk 0.6",
        "new": "on track 0.9, at risk 0.6",
        "note": "",
    }
    assert [{k: v for k, v in c.items() if k != "reason"} for c in section("measurements")] == [
        {"kpi": "k1", "date": "2026-01-31", "change": "changed", "old": "400", "new": "420"},
        {"kpi": "k1", "date": "2026-02-28", "change": "removed", "old": "450", "new": None},
        {"kpi": "k2", "date": "2026-04-01", "change": "added", "old": None, "new": "done"},
    ]
    assert {c["reason"] for c in section("measurements")} == {None}
    assert [(c["id"], c["field"], c["old"], c["new"]) for c in section("owners")] == [
        ("g1", "owner", "grp", "board"),
        ("g1", "state", "active", "paused (Funding under review)"),
        ("board", "chairs", "ann", "ann, bob"),
    ]
    assert section("other") == [
        {
            "id": "k1",
            "type": "kpi",
            "field": "title",
            "old": '"People engaged"',
            "new": '"People reached"',
            "note": "",
        }
    ]
