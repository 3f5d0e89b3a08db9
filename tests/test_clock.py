"""No command and no test depends on the day it runs. lcrplan reads the clock in one place
(`cli.app.today`, which `LCRPLAN_TODAY` sets; the tests set it in conftest.py), no test reads
it, and a command given its dates says the same whatever the day: moved a year ahead, by
`LCRPLAN_TODAY` or by faketime (the real clock, as `make test-clock` moves it for the whole
suite)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, REPO, TODAY, theme_file, write_tree

LATER = "2027-07-15"
CLOCK_CALLS = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "strftime"),
}
"""Calls that read the date or the time of day (`time.monotonic` and `perf_counter` measure
how long something takes, not when: they are allowed)."""

PLAIN = {"NO_COLOR": "1", "COLUMNS": "200"}
# Every command that judges time, with its dates given, on the real data.
COMMANDS = {
    "status": ["status", "--as-of", "2026-11-21", "--all"],
    "status-json": ["status", "--as-of", "2026-11-21", "--format", "json"],
    "overdue-csv": ["overdue", "--as-of", "2026-11-30", "--format", "csv"],
    "groups": ["groups", "--as-of", "2026-11-30"],
    "show": ["show", "ci-inv-3-people", "--as-of", "2026-11-21"],
    "validate": ["validate", "--as-of", "2026-11-30", "--format", "json"],
    "report": ["report", "--month", "2026-11"],
    "report-html": ["report", "--month", "2026-11", "--format", "html"],
    "requests": ["requests", "--period", "2026-11", "--as-of", "2026-11-20"],
    "requests-csv": ["requests", "--period", "2026-27 Q3", "--as-of", "2026-11-20", "-f", "csv"],
    "calendar": ["calendar", "--as-of", "2026-11-30"],
}


def clock_reads(path: Path) -> list[str]:
    """`function: module.call()` for each call in the file that reads the clock, named by the
    function it is in."""
    found = []

    def visit(node: ast.AST, where: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            where = node.name
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in CLOCK_CALLS:
                found.append(f"{where}: {name}.{node.func.attr}()")
        for child in ast.iter_child_nodes(node):
            visit(child, where)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def test_only_the_command_line_reads_the_clock() -> None:
    reads = {
        path.relative_to(REPO).as_posix(): clock_reads(path)
        for path in sorted((REPO / "lcrplan").rglob("*.py"))
    }
    reads = {name: found for name, found in reads.items() if found}
    assert reads == {
        "lcrplan/cli/app.py": ["today: date.today()"],
        # a file's change time against the time, to tell whether it changed in the last two
        # seconds (then its stat cannot stand for its bytes): no date comes of it
        "lcrplan/source/fileio.py": ["settled: time.time_ns()"],
    }


def test_no_test_reads_the_clock() -> None:
    reads = {
        path.name: clock_reads(path)
        for path in sorted((REPO / "tests").glob("*.py"))
        if path.name not in (Path(__file__).name, "bench_charts.py")  # it looks for dates
    }
    assert {name: found for name, found in reads.items() if found} == {}


def test_the_clock_check_finds_a_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt, time\n"
        "def stamp():\n    return dt.datetime.now(), time.time()\n"
        "def later():\n    return time.monotonic()\n",
        encoding="utf-8",
    )
    assert clock_reads(sample) == ["stamp: datetime.now()", "stamp: time.time()"]


def test_the_tests_run_on_a_fixed_day(run) -> None:
    assert os.environ["LCRPLAN_TODAY"] == TODAY.isoformat()
    result = run("status", "--data", DATA, env=PLAIN)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"As of {TODAY}: ")


def test_lcrplan_today_is_the_day_every_command_takes(run, data_dir: Path) -> None:
    goals = """
        - id: g1
          title: A goal
          source: {document: doc}
          kpis:
            - {id: k1, title: People, kind: numeric, target: 10, unit: people, due: 2027-12-31,
               source: {document: doc}}
        """
    write_tree(data_dir, {"theme.yaml": theme_file(goals)})
    day = {"LCRPLAN_TODAY": "2026-03-15"}
    recorded = run("record", "k1", "4", "--data", data_dir, env=day)
    assert recorded.exit_code == 0, recorded.output
    assert "{date: 2026-03-15, value: 4}" in (data_dir / "theme.yaml").read_text("utf-8")
    future = run("record", "k1", "5", "--date", "2026-03-16", "--data", data_dir, env=day)
    assert future.exit_code == 2
    assert "2026-03-16 is in the future (today is 2026-03-15)" in future.output
    status = run("status", "--data", data_dir, env={**day, **PLAIN})
    assert status.exit_code == 0, status.output
    assert status.stdout.startswith("As of 2026-03-15: ")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("tomorrow", "'tomorrow' is not a date (write dates as YYYY-MM-DD, e.g. 2026-11-30)"),
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days (the last day of"),
        ("2026-11-30T12:00", "'2026-11-30T12:00' is not a date (write dates as YYYY-MM-DD"),
    ],
)
def test_a_bad_lcrplan_today_is_a_usage_error(run, value: str, said: str) -> None:
    result = run("status", "--data", DATA, env={"LCRPLAN_TODAY": value})
    assert result.exit_code == 2, result.output
    assert f"Invalid value for LCRPLAN_TODAY: {said}" in result.output


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_command_given_its_dates_says_the_same_a_year_later(run, args: list[str]) -> None:
    outputs = []
    for day in (TODAY.isoformat(), LATER):
        result = run(*args, "--data", DATA, "--no-cache", env={**PLAIN, "LCRPLAN_TODAY": day})
        assert result.exit_code in (0, 1), result.output
        outputs.append((result.exit_code, result.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].strip()


FAKETIME = shutil.which("faketime")


@pytest.mark.skipif(FAKETIME is None, reason="needs faketime (Debian: apt-get install faketime)")
@pytest.mark.parametrize("name", ["status", "report", "requests", "calendar"])
def test_the_real_clock_a_year_later_changes_nothing(run, tmp_path: Path, name: str) -> None:
    """The same commands in a process whose real clock is 2027-07-15, with no LCRPLAN_TODAY."""
    args = COMMANDS[name]
    expected = run(*args, "--data", DATA, "--no-cache", env=PLAIN)
    assert expected.exit_code == 0, expected.output
    # no LCRPLAN_TODAY; nor the faketime of `make test-clock`, which a nested one does not undo
    unset = ("LCRPLAN_TODAY", "LD_PRELOAD", "DYLD_INSERT_LIBRARIES")
    env = {k: v for k, v in os.environ.items() if k not in unset and "FAKETIME" not in k}
    env |= PLAIN
    moved = subprocess.run(
        [FAKETIME, f"{LATER} 12:00:00", sys.executable, "-m", "lcrplan", *args]
        + ["--data", str(DATA), "--no-cache"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
    )
    assert moved.returncode == 0, moved.stderr.decode()
    assert moved.stdout.decode("utf-8").replace("\r\n", "\n") == expected.stdout  # as click reads
    day = "import datetime; print(datetime.date.today())"
    clock = subprocess.run(
        [FAKETIME, f"{LATER} 12:00:00", sys.executable, "-c", day],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert clock.stdout.strip() == LATER  # the real clock was moved
