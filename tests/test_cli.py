"""The reading commands end to end: formats agree, exit codes, help, finding the data."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lcrplan.cli import app
from lcrplan.core.statuses import label

from .conftest import REPO, theme_file, write_tree
from .synth import generate

GOALS = """
- id: g-late
  title: Late launch
  owner: board
  source: {document: doc}
  due: 2023-03-31
  kpis:
    - id: k-late
      kind: milestone
      title: Launched
      source: {document: doc}
- id: g-people
  title: Engage people
  owner: grp
  source: {document: doc}
  due: 2023-12-31
  kpis:
    - id: k-people
      kind: numeric
      title: People engaged
      target: 120
      unit: people
      baseline: {value: 0, date: 2023-01-01}
      source: {document: doc}
      measurements:
        - {date: 2023-07-01, value: 30, note: first event}
"""


@pytest.fixture
def tracker(data_dir):
    write_tree(data_dir, {"theme.yaml": theme_file(GOALS)})
    return data_dir


def test_every_command_has_help_with_an_example(run):
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"validate", "status", "overdue", "groups", "show", "explain"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0, result.output
        assert "Example:" in result.output, name


def test_the_help_lists_commands_by_task_everyday_first_none_cut(run):
    from lcrplan.cli.app import PANELS

    result = run("--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    sections = re.findall(r"^(\S[^\n]*):\n((?:  [^\n]*\n)+)", result.output, re.MULTILINE)
    listed = {title: re.findall(r"^  (\S+)  ", body, re.MULTILINE) for title, body in sections}
    panels = [title for title in listed if title not in ("Usage", "Options")]
    assert panels == [title for title, _ in PANELS]
    assert panels[0] == "Look at progress" and listed[panels[0]][0] == "status"
    everything = [name for title in panels for name in listed[title]]
    registered = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert sorted(everything) == sorted(registered)  # each command once, under one heading
    lines = [ln for title, body in sections if title in panels for ln in body.splitlines()]
    assert not [ln for ln in lines if ln.rstrip().endswith(("...", "…"))], lines
    assert "--install-completion" in result.output


def test_lcrplan_alone_prints_the_help_as_lines(run):
    alone = run()
    assert alone.output.startswith("Usage: lcrplan [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\\n" not in alone.output and "\nLook at progress:\n  status " in alone.output


def test_every_example_in_help_stands_on_its_own_line(run):
    for name in ("schema", "report", "status"):
        text = run(name, "--help", env={"COLUMNS": "80"}).output
        examples = [ln for ln in text.splitlines() if "Example:" in ln]
        assert examples and all(ln.strip().startswith("Example: lcrplan ") for ln in examples)
        assert all(ln.count("Example:") == 1 for ln in examples), examples


def test_version_is_a_command_too(run):
    from lcrplan import __version__

    assert run("version").output == run("--version").output == f"lcrplan {__version__}\n"


def test_the_footnote_for_a_star_comes_only_with_a_star(run, tracker):
    from lcrplan.emit.terminal import PLAN_END_NOTE

    args = ("status", "--data", tracker, "--as-of", "2023-07-15", "--no-cache")
    late = run(*args, "--status", "overdue", env={"NO_COLOR": "1"}).stdout
    assert "k-late" in late and not re.search(r"\d\*", late)
    assert PLAN_END_NOTE not in late  # no date marked *: nothing to explain
    open_goal = """
    - id: g-open
      title: Open goal with no due date of its own
      source: {document: doc}
      kpis:
        - id: k-open
          kind: milestone
          title: Opened
          source: {document: doc}
    """
    write_tree(tracker, {"more.yaml": theme_file(open_goal, "theme-2")})
    shown = run(*args, "--status", "open", env={"NO_COLOR": "1"}).stdout
    assert re.search(r"k-open .* 2028-12-31\*", shown)
    assert shown.rstrip().endswith(PLAN_END_NOTE)


def test_show_prints_numbers_as_the_file_writes_them(run):
    shown = run("show", "ci-inv-3-people", "--data", REPO / "data", "--as-of", "2026-11-21")
    assert shown.exit_code == 0, shown.output
    assert "\n    target: 1000\n" in shown.stdout  # as investment.yaml has it
    assert "1000.0" not in shown.stdout


def test_status_formats_give_the_same_facts(run, tracker):
    args = ("status", "--data", tracker, "--as-of", "2023-07-15", "--no-cache")
    out = json.loads(run(*args, "--format", "json").stdout)
    as_json = out["items"]
    as_csv = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    table = run(*args, "--format", "table", env={"NO_COLOR": "1"}).stdout
    assert [(i["id"], i["status"]) for i in as_json] == [(r["id"], r["status"]) for r in as_csv]
    assert [i["id"] for i in as_json] == ["g-late", "k-late", "g-people", "k-people"]
    expected = {
        "g-late": "overdue",
        "k-late": "overdue",
        "g-people": "off_track",
        "k-people": "off_track",
    }
    assert {i["id"]: i["status"] for i in as_json} == expected
    people = next(i for i in as_json if i["id"] == "k-people")
    assert people["latest"] == {
        "date": "2023-07-01",
        "value": 30,
        "text": None,
        "provisional": False,
    }
    assert people["target"] == 120 and people["target_text"] == "120 people"
    assert people["unit"] == "people" and people["direction"] == "increase"
    assert people["status_text"] == "Off track"
    assert people["owner"] == "grp"
    row = next(r for r in as_csv if r["id"] == "k-people")
    assert (row["target"], row["latest_value"], row["latest_date"]) == ("120", "30", "2023-07-01")
    assert out["summary"]["items"] == 2 and out["summary"]["by_status"]["overdue"] == 1
    assert "[!!] Overdue" in table and "[x] Off track" in table
    assert "\x1b[" not in table
    assert table.splitlines()[0] == (
        "As of 2023-07-15: 2 items (2 KPIs): 1 Overdue, 1 Off track; 2 need attention (1 overdue, "
        "1 behind or off track)"
    )


def test_status_filters(run, tracker):
    base = ("status", "--data", tracker, "--as-of", "2023-07-15", "--format", "json")
    only = json.loads(run(*base, "--status", "overdue").stdout)
    assert {i["id"] for i in only["items"]} == {"g-late", "k-late"}
    assert only["filters"]["status"] == ["overdue"]
    for spelled in ("Overdue", "OVERDUE", " overdue "):  # as the table prints it, any case
        again = json.loads(run(*base, "--status", spelled).stdout)
        assert again["items"] == only["items"], spelled
    words = json.loads(run(*base, "-s", "Off track", "-s", "off-track").stdout)
    assert {i["id"] for i in words["items"]} == {"g-people", "k-people"}
    owned = json.loads(run(*base, "--owner", "grp").stdout)
    assert {i["id"] for i in owned["items"]} == {"g-people", "k-people"}
    result = run(*base, "--plan", "plam")
    assert result.exit_code == 2
    assert "unknown plan 'plam' (did you mean 'plan'?)" in result.output
    late = run(*base, "--status", "late")
    assert late.exit_code == 2
    assert "unknown status 'late' (one of: overdue, behind, off_track," in late.output


def test_overdue_lists_late_then_due_soon_and_fail_gates(run, tracker):
    args = ("overdue", "--data", tracker, "--as-of", "2023-12-10", "--format", "json")
    result = run(*args)
    assert result.exit_code == 0
    # Items as every count has them: the KPIs (their goals are not counted again)
    out = json.loads(result.stdout)
    assert [i["id"] for i in out["items"]] == ["k-late", "k-people"]
    assert out["filters"] == {"plan": None, "group": None, "within": 30}
    assert (out["summary"]["items"], out["summary"]["overdue"]) == (2, 1)
    assert run(*args, "--fail").exit_code == 1
    narrow = json.loads(run(*args, "--within", "5").stdout)
    assert [i["id"] for i in narrow["items"]] == ["k-late"]
    early = run("overdue", "--data", tracker, "--as-of", "2023-01-15", "--fail")
    assert early.exit_code == 0
    assert early.stdout.startswith("As of 2023-01-15: 0 of 2 items overdue, 0 due within 30 days")


def test_groups_counts_items_with_chairs(run, tracker):
    base = ("groups", "--data", tracker, "--as-of", "2023-07-15")
    rows = json.loads(run(*base, "--format", "json").stdout)["items"]
    group = next(r for r in rows if r["id"] == "grp")
    assert group["chairs"] == ["Ann Chair"]
    assert group["items"] == 2
    assert {s: n for s, n in group["by_status"].items() if n} == {"overdue": 1, "off_track": 1}
    as_csv = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").stdout)))
    assert [r["id"] for r in as_csv] == [r["id"] for r in rows]
    table = run(*base, env={"NO_COLOR": "1"}).stdout
    assert "Ann Chair" in table and "1 [!!] Overdue" in table


@pytest.mark.parametrize("columns", ["60", "120"])
def test_groups_table_fits_the_screen_and_wraps_rather_than_cuts(run, tmp_path, columns):
    """Laid out by the same grid as `status`: long names, chairs and counts wrap onto more lines
    when the screen is narrow; no count is cut."""
    data = generate(tmp_path / "data", 600)
    args = ("groups", "--data", data, "--as-of", "2026-01-15")
    table = run(*args, env={"NO_COLOR": "1", "COLUMNS": columns}).stdout
    assert table.startswith("Items by board and sub-group\n")
    assert max(map(len, table.splitlines())) <= int(columns)
    assert "…" not in table
    rows = json.loads(run(*args, "--format", "json").stdout)["items"]
    shown = " ".join(table.split())
    for row in rows:
        for status, n in row["by_status"].items():
            assert not n or (f"{n} [" in shown and label(status) in shown)


def test_show_gives_fields_reason_and_source(run, tracker):
    result = run("show", "k-people", "--data", tracker, "--as-of", "2023-07-15")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "People engaged (k-people)" in out
    assert (
        "reason:   30 people so far; needs about 10 a month to reach 120 by 2023-12-31, managing "
        "5 a month: off track\n"
    ) in out
    assert "source: {document: doc}" in out
    assert "2023-07-01  30  first event" in out
    assert "owner:    A Group (chairs: Ann Chair)" in out
    missing = run("show", "k-peeple", "--data", tracker)
    assert missing.exit_code == 2
    assert "no goal or KPI with id 'k-peeple' (did you mean 'k-people' or 'g-people'?)" in (
        missing.output
    )


def test_usage_errors_exit_2(run, tracker):
    assert run("status", "--data", tracker, "--as-of", "2023-02-30").exit_code == 2
    assert run("status", "--data", tracker, "--format", "xml").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_invalid_data_stops_status_with_located_problems(run, tracker):
    (tracker / "theme.yaml").write_text(
        (tracker / "theme.yaml").read_text().replace("target: 120", "traget: 120")
    )
    for command in ("status", "overdue", "groups"):
        result = run(command, "--data", tracker)
        assert result.exit_code == 1
        assert result.output.splitlines()[:1] == [
            "data/theme.yaml:27:9: error: kpi k-people: unknown field 'traget' "
            "(did you mean 'target'?) [LCR201]",
        ]


def test_validate_formats(run, tracker):
    (tracker / "theme.yaml").write_text(
        (tracker / "theme.yaml").read_text().replace("owner: grp", "owner: gpr")
    )
    text = run("validate", "--data", tracker)
    assert text.exit_code == 1
    line = (
        "data/theme.yaml:20:12: error: goal g-people: unknown owner 'gpr' (did you mean 'grp'?) "
        "[LCR301]"
    )
    assert line in text.stdout
    github = run("validate", "--data", tracker, "--format", "github").stdout
    assert (
        "::error file=data/theme.yaml,line=20,col=12,title=LCR301 unknown-owner::goal g-people: "
        "unknown owner 'gpr' (did you mean "
    ) in (github)
    out = json.loads(run("validate", "--data", tracker, "--format", "json").stdout)
    problems = out["items"]
    assert out["summary"] == {
        "errors": 1,
        "warnings": 0,
        "info": 0,
        "files_with_errors": 1,
        "suppressed": 0,
    }
    assert {
        "file": "data/theme.yaml",
        "line": 20,
        "column": 12,
        "severity": "error",
        "code": "LCR301",
        "message": "goal g-people: unknown owner 'gpr'",
        "hint": "did you mean 'grp'?",
        "item": "g-people",
    } in problems


def test_strict_fails_on_warnings(run, tracker):
    (tracker / "extra.yaml").write_text(
        theme_file("- id: lonely\n  title: No KPI\n  source: {document: doc}\n", "theme-2")
    )
    assert run("validate", "--data", tracker).exit_code == 0
    strict = run("validate", "--data", tracker, "--strict")
    assert strict.exit_code == 1
    assert (
        "data/extra.yaml:9:12: warning: goal lonely: has no KPI "
        "(add a KPI so progress can be measured) [LCR501]"
    ) in strict.stdout.splitlines()


def test_data_dir_from_env_and_from_parent_folders(run, tracker, monkeypatch):
    result = run("status", "--format", "json", env={"LCRPLAN_DATA": str(tracker)})
    assert result.exit_code == 0 and "k-people" in result.stdout
    nested = tracker.parent / "some" / "where"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    monkeypatch.delenv("LCRPLAN_DATA", raising=False)
    result = run("status", "--format", "json")
    assert result.exit_code == 0 and "k-people" in result.stdout


def test_python_dash_m_and_console_script(tracker):
    env = {**os.environ, "NO_COLOR": "1"}
    module = subprocess.run(
        [sys.executable, "-m", "lcrplan", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert module.returncode == 0 and "status" in module.stdout
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lcrplan",
            "status",
            "--data",
            str(tracker),
            "--as-of",
            "2023-07-15",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "k-people" in out.stdout


def test_the_process_prints_everything_and_keeps_exit_codes(run, tmp_path):
    """`main` ends the process with os._exit: output must be flushed and codes kept."""
    data = generate(tmp_path / "data", 300)
    args = ["status", "--all", "--format", "csv", "--data", str(data), "--as-of", "2026-01-15"]
    whole = subprocess.run([sys.executable, "-m", "lcrplan", *args], capture_output=True)
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.decode() == run(*args).stdout
    assert len(whole.stdout.splitlines()) == 401  # header + 300 KPIs + 100 goals
    bad = subprocess.run(
        [sys.executable, "-m", "lcrplan", "status", "--data", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "data directory does not exist" in bad.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "lcrplan", "status", "--bogus"], capture_output=True, text=True
    )
    assert usage.returncode == 2 and "No such option" in usage.stderr


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_reader_that_stops_early_is_not_an_error(tracker, fmt):
    cmd = (
        f"{sys.executable} -m lcrplan status --all --format {fmt} --data {tracker} "
        "--as-of 2023-07-15 | head -c 10"
    )
    out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr


def test_far_dates_are_usage_errors_not_crashes(run, tracker):
    for args in (("--as-of", "9999-12-31"), ("--as-of", "0001-01-01")):
        result = run("status", "--data", tracker, *args)
        assert result.exit_code == 2
        assert "out of range: use a year from 1900 to 9000" in result.output
    assert run("overdue", "--data", tracker, "--within", "99999").exit_code == 2
    assert run("overdue", "--data", tracker, "--as-of", "9000-12-31").exit_code == 0


@pytest.mark.parametrize("columns", ["60", "120"])
def test_tables_fit_the_screen_and_keep_their_words(run, tmp_path, columns):
    data = generate(tmp_path / "data", 600)  # over the full-table limit: summary + attention
    args = ("status", "--data", data, "--as-of", "2026-01-15")
    out = run(*args, env={"NO_COLOR": "1", "COLUMNS": columns}).stdout.splitlines()
    top = out.index("Items by plan and sub-group or theme")  # after the summary (prose)
    assert max(len(line) for line in out[top:]) <= int(columns)
    header = out[top + 1 : top + 3]  # labels wrap onto two lines: a symbol and words
    if columns == "120":
        words = " ".join(header).split()
        assert {"[x]", "[v]", "[~]", "[o]", "[=]", "[>]", "[+]", "[^]", "[*]"} <= set(words)
        assert "Items    track  Worsening" in header[1]
        plan_row = next(line for line in out if line.startswith("Synthetic plan 0 "))
        items = int(plan_row.split()[3])
        # right-aligned: each count ends where its header ends
        assert header[1].index("Items") + len("Items") == plan_row.index(str(items)) + len(
            str(items)
        )
    attention = out.index(next(line for line in out if line.startswith("Needs attention")))
    header = [line.split()[:2] for line in out[attention + 1 : attention + 3]]
    assert ["Item", "Status"] in header
    assert any("[x] Off track" in line for line in out[attention:])


def test_table_colour_is_extra_to_the_words(run, tracker):
    args = ("status", "--data", tracker, "--as-of", "2023-07-15")
    plain = run(*args, env={"NO_COLOR": "1"}).stdout
    coloured = run(*args, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"}).stdout
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "[!!] Overdue" in plain and "[x] Off track" in plain


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_printed_by_the_console_script(flag):
    from lcrplan import __version__

    script = Path(sys.executable).parent / "lcrplan"
    done = subprocess.run([str(script), flag], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"lcrplan {__version__}\n"


# --- the library entry point and the console script (issue 13, item 1) ---------------------------


def test_run_returns_the_exit_code_without_exiting(capsys, tracker):
    from lcrplan.cli import run

    hook = sys.excepthook
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("lcrplan ")
    assert run(["status", "--data", str(tracker), "--as-of", "2023-07-15", "--fail"]) == 2
    assert run(["overdue", "--data", str(tracker), "--as-of", "2023-07-15", "--fail"]) == 1
    assert run(["status", "--data", str(tracker / "nowhere")]) == 1
    assert sys.excepthook is hook, "typer's exception hook was left installed"
    from lcrplan.cli.app import RETAINED

    assert RETAINED.get() is None, "only main() keeps loaded data alive"


def test_in_process_runs_leave_the_garbage_collector_on(run, tracker):
    from lcrplan.cli import run as run_argv

    assert run("status", "--data", tracker, "--as-of", "2023-07-15").exit_code == 0
    assert gc.isenabled()
    assert run_argv(["status", "--data", str(tracker), "--as-of", "2023-07-15"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:  # nor does it switch the collector on behind the back of a caller that turned it off
        assert run_argv(["validate", "--data", str(tracker)]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_bug_is_a_short_internal_error_with_exit_3(run, tracker, monkeypatch):
    from lcrplan.evaluate import scorecard as evaluate

    def broken(*args, **kwargs):
        raise RuntimeError("the \x1b[2J bug")

    monkeypatch.setattr(evaluate, "evaluate", broken)
    result = run("status", "--data", tracker, "--as-of", "2023-07-15")
    assert result.exit_code == 3
    assert result.stderr == (
        "lcrplan: internal error: RuntimeError: the \\x1b[2J bug\n"
        "Please report it; set LCRPLAN_DEBUG=1 to see the traceback.\n"
    )
    with pytest.raises(RuntimeError, match="bug"):
        run("status", "--data", tracker, env={"LCRPLAN_DEBUG": "1"})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fast", ["1", "0"])
@pytest.mark.parametrize("unbuffered", ["1", ""])  # fails inside the command, or at the end
def test_output_that_cannot_be_written_is_an_error_not_a_traceback(tracker, fast, unbuffered):
    args = [sys.executable, "-m", "lcrplan", "status", "--all", "--format", "csv"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*args, "--data", str(tracker)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "LCRPLAN_FAST_EXIT": fast, "PYTHONUNBUFFERED": unbuffered},
        )
    assert done.returncode == 1
    assert done.stderr == "lcrplan: cannot write the output: No space left on device\n"


def test_without_fast_exit_the_process_ends_the_usual_way(tracker, tmp_path):
    marker = tmp_path / "atexit-ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
        "from lcrplan.cli import main\n"
        "sys.argv = ['lcrplan', 'status', '--data', sys.argv[1], '--as-of', '2023-07-15']\n"
        "main()\n"
    )
    argv = [sys.executable, "-c", code, str(tracker)]
    usual = subprocess.run(
        argv, capture_output=True, text=True, env={**os.environ, "LCRPLAN_FAST_EXIT": "0"}
    )
    assert usual.returncode == 0, usual.stderr
    assert "k-people" in usual.stdout and marker.exists()
    marker.unlink()
    fast = subprocess.run(argv, capture_output=True, text=True)
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == usual.stdout and not marker.exists()
