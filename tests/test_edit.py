"""Commands that write: record, done, set-state. Every write is checked through the CLI on copies
in tmp_path: what the diff shows, what stays byte for byte, and what is refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lcrplan.edits import file_edit
from lcrplan.source import fileio
from lcrplan.source.yamlio import RoundTrip, parse

from .conftest import DATA, MINIMAL, TODAY, count_parses, git, write_tree

# Comments everywhere, blank lines, quoting, flow and block items, `~`, an underscore number.
COMMENTED = """\
# yaml-language-server: $schema=../schema/theme.schema.json
# A theme file full of comments.
theme:
  id: theme
  plan: plan
  title: A theme   # trailing comment
  group: grp
  source: {document: doc}

goals:
  # --- first goal ---
  - id: g1
    title: "Goal one"     # quoted
    source: {document: doc}
    kpis:
      - id: k-flow
        kind: numeric
        title: 'Flow KPI'
        target: 1_000       # underscore number
        unit: people
        source: {document: doc}
        measurements:
          - {date: 2025-01-31, value: 10}   # first
          # a comment between
          - {date: 2025-03-31, value: 30, note: "third, with comma"}

          # --- next KPI ---
      - id: k-block
        kind: indicator
        title: Block KPI
        direction: increase
        source:
          document: doc
        measurements:
          - date: 2025-01-31
            value: 1.5
            note: >-
              a folded
              note

        # comment after the block KPI
      - id: k-none
        kind: numeric
        title: No measurements yet
        target: {low: 5, high: 10}
        unit: events
        source: {document: doc}
        # comment that ends k-none
      - id: k-milestone
        kind: milestone
        title: A milestone
        # before source
        source: {document: doc}
      - id: k-ongoing
        kind: ongoing
        title: Keeps going
        source: {document: doc}

  # --- second goal ---
  - id: g2
    title: Goal two
    state: paused
    state_reason: Waiting for funding   # why
    # comment after the reason

    note: ~
    source: {document: doc}
"""


@pytest.fixture(params=["fresh", "indexed"])
def repo(request, tmp_path: Path, run) -> Path:
    """A git repository holding a valid data set whose theme file is COMMENTED.

    "indexed": a `status` has run first, so edits find their file through the cache's id
    index and check it against the small files only (`recheck.quick_target`); "fresh": edits load
    the whole data set. Every test of editing runs both ways and must see the same result.
    """
    root = tmp_path / "repo"
    write_tree(root / "data", {**MINIMAL, "theme/theme.yaml": COMMENTED})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    if request.param == "indexed":
        assert run("status", "--data", root / "data").exit_code == 0
        assert (root / "data" / ".lcrplan-cache" / "ids.json").is_file()
    return root


def _changes(root: Path) -> list[str]:
    """The changed lines of `git diff` (each starting with + or -), without headers."""
    diff = git(root, "diff", "-U0")
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _theme(repo: Path) -> Path:
    return repo / "data" / "theme" / "theme.yaml"


def _beside(path: Path) -> list[str]:
    """The names in `path`'s folder but its lock file, which stays after a write (filelock keeps
    it, so every waiter locks the same file; it is hidden, never read, and git-ignored)."""
    return sorted(p.name for p in path.parent.iterdir() if p != fileio.lock_path(path))


@pytest.mark.parametrize(
    ("args", "added", "after"),
    [
        (  # last in a flow list, above the comment that introduces the next KPI
            ["k-flow", "40", "--date", "2025-04-30"],
            ["+          - {date: 2025-04-30, value: 40}"],
            '          - {date: 2025-03-31, value: 30, note: "third, with comma"}',
        ),
        (  # between two dates, above the comment that introduces the later one
            ["k-flow", "20", "--date", "2025-02-28", "--note", "two: 2"],
            ['+          - {date: 2025-02-28, value: 20, note: "two: 2"}'],
            "          - {date: 2025-01-31, value: 10}   # first",
        ),
        (  # first of all
            ["k-flow", "5", "--date", "2024-12-31"],
            ["+          - {date: 2024-12-31, value: 5}"],
            "        measurements:",
        ),
        (  # block items get a block item, above the comment after the KPI
            ["k-block", "2.25", "--date", "2025-06-30", "--source", "ONS"],
            [
                "+          - date: 2025-06-30",
                "+            value: 2.25",
                "+            source: ONS",
            ],
            "              note",
        ),
        (  # no measurements yet: the list is added at the end of the KPI, above its comment
            ["k-none", "7", "--date", "2025-05-01"],
            ["+        measurements:", "+          - {date: 2025-05-01, value: 7}"],
            "        source: {document: doc}",
        ),
        (  # an ongoing KPI may be measured in words
            ["k-ongoing", "Met quarterly", "--date", "2025-05-01"],
            ["+        measurements:", "+          - {date: 2025-05-01, text: Met quarterly}"],
            "        source: {document: doc}",
        ),
    ],
)
def test_record_adds_only_lines(run, repo: Path, args, added, after) -> None:
    result = run("record", *args, "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == added
    lines = _theme(repo).read_text().splitlines()
    assert lines[lines.index(added[0][1:]) - 1] == after
    assert result.stdout.startswith("--- a/data/theme/theme.yaml\n+++ b/data/theme/theme.yaml\n")
    assert [line for line in result.stdout.splitlines() if line.startswith("+ ")] == [
        a for a in added if a.startswith("+ ")
    ]
    assert run("validate", "--data", repo / "data").exit_code == 0


def test_record_keeps_measurements_in_date_order(run, repo: Path) -> None:
    for value, day in [("40", "2025-04-30"), ("5", "2024-12-31"), ("20", "2025-02-28")]:
        result = run("record", "k-flow", value, "--date", day, "--data", repo / "data")
        assert result.exit_code == 0, result.output
    theme = parse(_theme(repo).read_text(), "t").data
    dates = [m["date"] for m in theme["goals"][0]["kpis"][0]["measurements"]]
    assert dates == sorted(dates) and len(dates) == 5
    assert all(line.startswith("+") for line in _changes(repo))


def test_done_adds_one_line(run, repo: Path) -> None:
    result = run(
        "done", "k-milestone", "--date", "2025-05-12", "--note", "Endorsed", "--data", repo / "data"
    )
    assert result.exit_code == 0, result.output
    assert _changes(repo) == ["+        done: {date: 2025-05-12, note: Endorsed}"]
    lines = _theme(repo).read_text().splitlines()
    assert lines[lines.index("        done: {date: 2025-05-12, note: Endorsed}") - 1] == (
        "        title: A milestone"
    )


def test_done_twice_needs_replace(run, repo: Path) -> None:
    assert (
        run("done", "k-milestone", "--date", "2025-05-12", "--data", repo / "data").exit_code == 0
    )
    again = run("done", "k-milestone", "--date", "2025-05-13", "--data", repo / "data")
    assert again.exit_code == 1
    assert "already marked done on 2025-05-12" in again.stderr
    assert "--replace" in again.stderr
    replaced = run(
        "done", "k-milestone", "--date", "2025-05-13", "--replace", "--data", repo / "data"
    )
    assert replaced.exit_code == 0, replaced.output
    assert _changes(repo) == ["+        done: {date: 2025-05-13}"]


def test_set_state_paused_adds_state_and_reason(run, repo: Path) -> None:
    result = run("set-state", "g1", "paused", "--reason", "Funding review", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == ["+    state: paused", "+    state_reason: Funding review"]


def test_set_state_active_drops_reason_and_keeps_comments(run, repo: Path) -> None:
    result = run("set-state", "g2", "active", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == [
        "-    state: paused",
        "-    state_reason: Waiting for funding   # why",
        "+    state: active",
    ]
    assert "    # comment after the reason\n\n    note: ~\n" in _theme(repo).read_text()


def test_set_state_keeps_an_existing_reason(run, repo: Path) -> None:
    result = run("set-state", "g2", "dropped", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == ["-    state: paused", "+    state: dropped"]


def test_set_state_to_the_same_state_writes_nothing(run, repo: Path) -> None:
    result = run("set-state", "g1", "active", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert "No change" in result.stderr
    assert _changes(repo) == []


def test_replace_overwrites_the_measurement_on_that_date(run, repo: Path) -> None:
    result = run(
        "record", "k-flow", "11", "--date", "2025-01-31", "--replace", "--data", repo / "data"
    )
    assert result.exit_code == 0, result.output
    assert _changes(repo) == [
        "-          - {date: 2025-01-31, value: 10}   # first",
        "+          - {date: 2025-01-31, value: 11}   # first",
    ]


def test_dry_run_prints_the_diff_and_writes_nothing(run, repo: Path) -> None:
    before = _theme(repo).read_bytes()
    result = run(
        "record", "k-flow", "40", "--date", "2025-04-30", "--dry-run", "--data", repo / "data"
    )
    assert result.exit_code == 0, result.output
    assert "+          - {date: 2025-04-30, value: 40}\n" in result.stdout
    assert "not written" in result.stderr
    assert _theme(repo).read_bytes() == before
    assert _beside(_theme(repo)) == ["theme.yaml"]


def test_record_touches_only_the_kpis_file(run, repo: Path) -> None:
    data = repo / "data"
    files = [p for p in data.rglob("*") if p.is_file() and ".lcrplan-cache" not in p.parts]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    assert run("record", "k-flow", "40", "--date", "2025-04-30", "--data", data).exit_code == 0
    changed = [p for p in files if (p.read_bytes(), p.stat().st_mtime_ns) != before[p]]
    assert changed == [_theme(repo)]
    after = {p for p in data.rglob("*") if p.is_file() and ".lcrplan-cache" not in p.parts}
    assert after - {fileio.lock_path(_theme(repo))} == set(files)  # no temporary file left


# --- rejected input: a clear message, the right exit code, nothing written --------------------

FUTURE = (TODAY + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["record", "k-flow", "lots"],
            2,
            "'lots' is not a plain number ('k-flow' is a numeric KPI",
        ),
        (["record", "k-flow", "1,000"], 2, "write a plain number such as 1000 or 6750000, with no"),
        (["record", "k-flow", "40%"], 2, "a percentage is its number of percent: 40 for 40%"),
        (["record", "k-block", "nan"], 2, "is an indicator KPI"),
        (["record", "k-milestone", "1"], 2, "is a milestone KPI: it is marked done"),
        (["record", "k-flow", "1", "--date", FUTURE], 2, "is in the future"),
        (["record", "k-flow", "1", "--date", "31/01/2025"], 2, "write dates as YYYY-MM-DD"),
        (["record", "k-flow", "1", "--date", "2025-02-29"], 2, "February 2025 has 28 days"),
        (
            ["record", "k-flow", "1", "--date", "2025-01-31"],
            1,
            "data/theme/theme.yaml:23:20: error: 'k-flow' already has a measurement on "
            "2025-01-31 (pass --replace to overwrite it",
        ),
        (["record", "k-flwo", "1"], 2, "no KPI with id 'k-flwo' (did you mean 'k-flow'"),
        (["record", "g1", "1"], 2, "'g1' is a goal, not a KPI (its KPIs: k-flow, k-block"),
        (["record", "k-ongoing", "words", "--text", "more"], 2, "not both"),
        (["done", "k-flow"], 2, "'k-flow' is a numeric KPI; only milestones are marked done"),
        (["done", "k-milestone", "--date", FUTURE], 2, "is in the future"),
        (["done", "k-milestne"], 2, "did you mean 'k-milestone'"),
        (["set-state", "g1", "paused"], 2, "a paused goal needs a reason"),
        (["set-state", "g1", "active", "--reason", "x"], 2, "an active goal has no reason"),
        (["set-state", "g1", "resting"], 2, "'resting' is not one of"),
        (
            ["set-state", "k-flow", "paused", "--reason", "x"],
            2,
            "is a KPI; state is set on its goal 'g1'",
        ),
        (["set-state", "g22", "active"], 2, "no goal with id 'g22' (did you mean 'g2'"),
    ],
)
def test_rejected_input_writes_nothing(run, repo: Path, args, code, message) -> None:
    before = _theme(repo).read_bytes()
    result = run(*args, "--data", repo / "data")
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output
    assert _theme(repo).read_bytes() == before


@pytest.mark.parametrize("indexed", [False, True])
def test_an_edit_that_breaks_the_data_set_is_refused(run, data_dir: Path, indexed) -> None:
    theme = """
        - id: g
          title: G
          source: {document: doc}
          kpis:
            - id: k
              kind: numeric
              title: K
              target: 10
              unit: things
              baseline: {value: 1, date: 2025-06-01}
              source: {document: doc}
        """
    from .conftest import theme_file

    write_tree(data_dir, {"theme.yaml": theme_file(theme)})
    if indexed:
        assert run("status", "--data", data_dir).exit_code == 0
    before = (data_dir / "theme.yaml").read_bytes()
    result = run("record", "k", "3", "--date", "2025-01-01", "--data", data_dir)
    assert result.exit_code == 1, result.output
    assert (
        "data/theme.yaml:17:36: error: kpi k: baseline dated 2025-06-01 is after a measurement "
        "dated "
        "2025-01-01" in result.stderr
    )
    assert (data_dir / "theme.yaml").read_bytes() == before
    assert not list(data_dir.glob(".theme.yaml.*.tmp"))  # no temporary file left


# --- byte-exactness: the house style, CRLF, a leading ---, a byte-order mark -------------------


@pytest.mark.parametrize(
    "path", sorted(DATA.rglob("*.yaml")), ids=lambda p: p.relative_to(DATA).as_posix()
)
def test_noop_round_trip_is_byte_identical_on_data(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rt = RoundTrip()
    assert rt.dump(rt.load(text)) == text
    assert file_edit.rewrite(text, "x", lambda tree, where: None) == text


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n")),
        ("document-start", lambda t: "---\n" + t),
        ("bom-crlf-start", lambda t: "\ufeff---\r\n" + t.replace("\n", "\r\n")),
        ("no-final-newline", lambda t: t.rstrip("\n")),
    ],
)
def test_unusual_files_keep_their_form(run, repo: Path, name, transform) -> None:
    theme = _theme(repo)
    theme.write_bytes(transform(COMMENTED).encode("utf-8"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", name)
    result = run("record", "k-flow", "40", "--date", "2025-04-30", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == ["+          - {date: 2025-04-30, value: 40}"]
    raw = theme.read_bytes()
    crlf = "crlf" in name
    assert (raw.count(b"\r\n") == raw.count(b"\n")) if crlf else b"\r" not in raw
    assert raw.startswith(transform(COMMENTED).encode("utf-8")[:12])


def test_other_indentation_is_kept(run, data_dir: Path) -> None:
    text = (
        "theme:\n    id: theme\n    plan: plan\n    title: T\n    source: {document: doc}\n"
        "goals:\n-   id: g\n    title: G\n    source: {document: doc}\n    kpis:\n"
        "    -   id: k\n        kind: numeric\n        title: K\n        target: 10\n"
        "        unit: things\n        source: {document: doc}\n        measurements:\n"
        "        -   date: 2025-01-01\n            value: 1\n"
    )
    write_tree(data_dir, {"theme.yaml": text})
    result = run("record", "k", "2", "--date", "2025-02-01", "--data", data_dir)
    assert result.exit_code == 0, result.output
    expected = text + "        -   date: 2025-02-01\n            value: 2\n"
    assert (data_dir / "theme.yaml").read_text() == expected


# --- failures while writing, locks and concurrency -----------------------------------------------


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_crash_before_the_replace_leaves_the_file_as_it_was(
    run, repo: Path, monkeypatch, error
) -> None:
    before = _theme(repo).read_bytes()

    def crash(src, dst):
        raise error

    monkeypatch.setattr(os, "replace", crash)
    result = run("record", "k-flow", "40", "--date", "2025-04-30", "--data", repo / "data")
    assert result.exit_code != 0
    if isinstance(error, OSError):
        assert result.exit_code == 1
        assert "cannot write the file: No space left on device" in result.stderr
    assert _theme(repo).read_bytes() == before
    assert _beside(_theme(repo)) == ["theme.yaml"]


def test_a_held_lock_makes_a_writer_wait_then_give_up(run, repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(file_edit, "LOCK_TIMEOUT", 0.3)
    path = _theme(repo).resolve()
    with file_edit.locked(path, "theme.yaml"):
        result = run("record", "k-flow", "40", "--date", "2025-04-30", "--data", repo / "data")
    assert result.exit_code == 1, result.output
    assert (
        "theme.yaml: error: cannot write the file: another lcrplan command has been writing it"
        " for too long (wait for it to finish and run the command again; nothing was changed)"
        " [LCR712]"
    ) in result.stderr, result.stderr
    assert _changes(repo) == []


def test_a_lock_file_left_by_a_killed_writer_does_not_block(run, repo: Path) -> None:
    stale = fileio.lock_path(_theme(repo).resolve())
    stale.write_text("")  # the kernel released the killed writer's lock; its file remains
    result = run("record", "k-flow", "40", "--date", "2025-04-30", "--data", repo / "data")
    assert result.exit_code == 0, result.output
    assert _changes(repo) == ["+          - {date: 2025-04-30, value: 40}"]


def test_text_is_quoted_where_plain_would_change_its_meaning(run, repo: Path) -> None:
    for day, note in [("2025-04-30", "yes"), ("2025-05-31", "2025-01-01"), ("2025-06-30", "ok")]:
        args = ["k-flow", "1", "--date", day, "--note", note, "--data", repo / "data"]
        assert run("record", *args).exit_code == 0
    assert _changes(repo) == [
        '+          - {date: 2025-04-30, value: 1, note: "yes"}',
        '+          - {date: 2025-05-31, value: 1, note: "2025-01-01"}',
        "+          - {date: 2025-06-30, value: 1, note: ok}",
    ]


@pytest.mark.slow
def test_concurrent_records_all_land(run, repo: Path) -> None:
    days = [dt.date(2024, 6, 1) + dt.timedelta(days=i) for i in range(20)]
    env = {**os.environ, "LCRPLAN_DEBUG": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "lcrplan", "record", "k-flow", str(i), "--date", str(day)],
            cwd=repo,
            env={**env, "LCRPLAN_DATA": str(repo / "data")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, day in enumerate(days)
    ]
    outputs = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    assert all(code == 0 for code, _, _ in outputs), outputs
    theme = parse(_theme(repo).read_text(), "t").data
    measured = theme["goals"][0]["kpis"][0]["measurements"]
    assert {m["date"] for m in measured} >= set(days)
    assert [m["date"] for m in measured] == sorted(m["date"] for m in measured)
    assert len(measured) == 22
    assert all(line.startswith("+") for line in _changes(repo))
    assert run("validate", "--data", repo / "data").exit_code == 0
    assert _beside(_theme(repo)) == ["theme.yaml"]


def test_every_writing_command_has_an_example() -> None:
    from typer.testing import CliRunner

    from lcrplan.cli import app

    for name in ("record", "done", "set-state", "schema", "init"):
        result = CliRunner().invoke(app, [name, "--help"])
        assert result.exit_code == 0
        assert "Example: lcrplan " + name in result.output


def test_the_readme_example_prints_what_the_readme_shows(run, tmp_path: Path) -> None:
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Editing and pull requests", 1)[1]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    command, *shown = block.splitlines()
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".lcrplan-cache"))
    args = shlex.split(command.removeprefix("$ lcrplan "))
    result = run(*args, "--data", data)
    assert result.exit_code == 0, result.output
    assert (result.stdout + result.stderr).splitlines() == shown


# --- edits through the cache's id index ---------------------------------------------------------


def test_an_indexed_edit_reads_its_file_and_the_small_files_only(run, tmp_path, monkeypatch):
    from .synth import generate

    data = generate(tmp_path / "data", 60)  # 20 theme files
    assert run("status", "--data", data).exit_code == 0
    parsed = count_parses(monkeypatch)
    args = ("--date", "2026-01-10", "--data", data)
    assert run("record", "syn-g3-k0", "7", *args).exit_code == 0
    themes = {rel for rel in parsed if "theme-" in rel}
    assert themes == {"data/plan-0/theme-00003.yaml"}  # read, then its new text checked
    assert {"data/directory.yaml", "data/lcrplan.yaml", "data/plan-0/plan.yaml"} <= set(parsed)

    parsed.clear()  # the write restamped the index: the next edit is quick too
    assert run("record", "syn-g5-k0", "8", *args).exit_code == 0
    assert {rel for rel in parsed if "theme-" in rel} == {"data/plan-0/theme-00005.yaml"}

    parsed.clear()  # another theme file edited by hand does not matter to this edit
    other = data / "plan-0" / "theme-00009.yaml"
    other.write_text(other.read_text() + "# edited by hand\n")
    assert run("record", "syn-g5-k1", "9", *args).exit_code == 0
    assert {rel for rel in parsed if "theme-" in rel} == {"data/plan-0/theme-00005.yaml"}

    parsed.clear()  # its own file changed behind the index's back: load everything instead
    mine = data / "plan-0" / "theme-00005.yaml"
    mine.write_text(mine.read_text() + "# edited by hand\n")
    assert run("record", "syn-g5-k2", "10", *args).exit_code == 0
    assert len({rel for rel in parsed if "theme-" in rel}) >= 2
    assert run("validate", "--data", data).exit_code == 0
    shown = json.loads(run("show", "syn-g3-k0", "--data", data, "--format", "json").stdout)
    assert shown["items"][0]["latest"] == {
        "date": "2026-01-10",
        "value": 7,
        "text": None,
        "provisional": False,
    }


def test_an_indexed_edit_is_not_fooled_by_references_to_other_files(
    run, data_dir: Path, monkeypatch
):
    from .conftest import theme_file

    first = "- {id: ga, title: A, source: {document: doc}}\n"
    second = """
        - id: gb
          title: B
          parent: ga
          source: {document: doc}
          kpis:
            - {id: kb, kind: indicator, title: K, direction: increase, source: {document: doc}}
        """
    write_tree(data_dir, {"a.yaml": theme_file(first, "ta"), "b.yaml": theme_file(second, "tb")})
    assert run("status", "--data", data_dir).exit_code == 0
    parsed = count_parses(monkeypatch)
    assert run("record", "kb", "3", "--date", "2025-01-01", "--data", data_dir).exit_code == 0
    assert "data/a.yaml" not in parsed  # gb's parent ga is in a file the edit did not read
    result = run("record", "kb", "4", "--date", FUTURE, "--data", data_dir)
    assert result.exit_code == 2 and "is in the future" in result.output


def test_an_edit_with_no_cache_writes_no_cache(run, data_dir: Path) -> None:
    from .conftest import theme_file

    theme = "- id: g\n  title: G\n  source: {document: doc}\n  kpis:\n"
    theme += "    - {id: k, kind: ongoing, title: K, source: {document: doc}}\n"
    write_tree(data_dir, {"theme.yaml": theme_file(theme)})
    result = run("record", "k", "met", "--date", "2025-01-01", "--data", data_dir, "--no-cache")
    assert result.exit_code == 0, result.output
    assert not (data_dir / ".lcrplan-cache").exists()
