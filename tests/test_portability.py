"""Any OS, as far as this machine can test it: output that a Windows console's code page cannot
encode, files Windows holds open, names Windows keeps for devices, its cache folder and its
case-insensitive paths, symbolic links it refuses, and the two commands without make."""

from __future__ import annotations

import csv
import errno
import io
import ntpath
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lcrplan.cli import run as run_lcrplan
from lcrplan.edits import journal
from lcrplan.source import fileio

from .conftest import DATA, REPO, symlink, theme_file, write_tree

PLAIN = {"NO_COLOR": "1", "COLUMNS": "200"}
# Every command that prints, with what it needs; on the real data, whose report and letters
# hold symbols cp1252 lacks (‼ ○ ◇ ∅ ↳).
PRINTING = {
    "report": ["report", "--month", "2026-11"],
    "report-html": ["report", "--month", "2026-11", "--format", "html"],
    "requests": ["requests", "--period", "2026-11", "--as-of", "2026-11-20"],
    "requests-csv": ["requests", "--as-of", "2026-11-20", "--format", "csv"],
    "status": ["status", "--as-of", "2026-11-21"],
    "status-json": ["status", "--as-of", "2026-11-21", "--format", "json"],
    "show": ["show", "ci-inv-3-people", "--as-of", "2026-11-21"],
    "calendar": ["calendar", "--as-of", "2026-11-30"],
    "overdue": ["overdue", "--as-of", "2026-11-30"],
    "groups": ["groups", "--as-of", "2026-11-30"],
    "validate": ["validate", "--as-of", "2026-11-30", "--no-source"],
    "codeowners": ["codeowners"],
}
NO_DATA = {
    "explain": ["explain", "LCR301"],
    "explain-all": ["explain", "--all", "--format", "markdown"],
    "schema": ["schema"],
}


def _args(name: str) -> list[str]:
    return PRINTING[name] + ["--data", str(DATA)] if name in PRINTING else NO_DATA[name]


# --- output: UTF-8 to files and pipes, what a terminal can show ---------------------------------


@pytest.mark.parametrize("name", [*PRINTING, *NO_DATA])
def test_output_to_a_file_is_utf8_whatever_the_console_encoding(run, name: str) -> None:
    """Python 3.11 on Windows encodes redirected output with the ANSI code page (cp1252)."""
    expected = run(*_args(name), env=PLAIN)
    assert expected.exit_code in (0, 1), expected.output
    env = {**os.environ, **PLAIN, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run(
        [sys.executable, "-m", "lcrplan", *_args(name)], capture_output=True, env=env
    )
    assert done.returncode == expected.exit_code, done.stderr.decode("cp1252", "replace")
    assert b"internal error" not in done.stderr
    text = done.stdout.decode("utf-8").replace("\r\n", "\n")  # as click's runner reads it
    assert text == expected.stdout


def test_the_cp1252_check_is_not_vacuous(run) -> None:
    report = run(*_args("report")).stdout
    letter = run(*_args("requests")).stdout
    with pytest.raises(UnicodeEncodeError):
        report.encode("cp1252")
    with pytest.raises(UnicodeEncodeError):
        letter.encode("cp1252")


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_terminal_that_cannot_show_a_symbol_gets_its_ascii_form(
    monkeypatch, encoding: str
) -> None:
    raw = io.BytesIO()
    terminal = _Terminal(raw, encoding=encoding, errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("NO_COLOR", "1")
    assert run_lcrplan(_args("report")) == 0
    terminal.flush()
    shown = raw.getvalue().decode(encoding)
    assert "## Needs attention" in shown
    for marker in ("[!!] Overdue", "[o] Open", "[/] No KPI", "[?] Not reported"):  # ‼ ○ ◇ ∅
        assert marker in shown, marker


def test_a_terminal_that_can_show_symbols_gets_them(monkeypatch) -> None:
    raw = io.BytesIO()
    terminal = _Terminal(raw, encoding="utf-8", errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", terminal)
    assert run_lcrplan(_args("report")) == 0
    terminal.flush()
    assert "‼ Overdue" in raw.getvalue().decode("utf-8")


def test_ascii_fallbacks_cover_every_status_symbol() -> None:
    from lcrplan.core.formatting import for_terminal
    from lcrplan.core.statuses import LOOKS

    for look in LOOKS.values():
        assert for_terminal(f"{look.symbol} {look.label}", "ascii") == (
            f"[{look.marker}] {look.label}"
        )
    assert for_terminal("███░░ 60% ▁▄█ ↳ “quoted” – £", "cp1252") == (
        "###-- 60% _-# -> “quoted” – £"
    )
    assert for_terminal("café 中", "ascii") == "caf? ?"


# --- writing files Windows holds open ------------------------------------------------------------


def _held_open(times: int, monkeypatch) -> tuple[list[float], list[str]]:
    """os.replace refused `times` times as Windows refuses a file open elsewhere (winerror 32),
    then done; the pauses slept and the targets tried are recorded."""
    real = os.replace
    pauses: list[float] = []
    tried: list[str] = []

    def replace(src, dst):
        tried.append(str(dst))
        if len(tried) <= times:
            exc = PermissionError(errno.EACCES, "The process cannot access the file")
            exc.winerror = 32  # type: ignore[attr-defined]
            raise exc
        real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(fileio.time, "sleep", pauses.append)
    return pauses, tried


def test_a_replace_refused_for_a_moment_is_tried_again(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    pauses, tried = _held_open(2, monkeypatch)
    fileio.write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert pauses == [0.05, 0.1] and len(tried) == 3


def test_a_replace_refused_for_another_reason_is_not_tried_again(
    tmp_path: Path, monkeypatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(fileio.time, "sleep", pauses.append)

    def refused(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fileio.os, "replace", refused)
    with pytest.raises(PermissionError) as caught:
        fileio.write_atomic(tmp_path / "report.md", "new")
    assert not isinstance(caught.value, fileio.HeldOpen) and pauses == []
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_a_report_onto_a_file_held_open_is_a_clear_lcr712(run, tmp_path: Path, monkeypatch):
    out = tmp_path / "2026-11.md"
    out.write_text("the report as it was\n", encoding="utf-8")
    pauses, _ = _held_open(100, monkeypatch)
    result = run("report", "--month", "2026-11", "--data", DATA, "--output", out)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"{out}: error: cannot write the report: another program holds the file open (close it "
        "where it is open (an editor, Excel, OneDrive or a virus scan may hold it) and run the "
        "command again; a report already there is unchanged) [LCR712]\n"
    )
    assert pauses == list(fileio.RETRY_PAUSES)
    assert out.read_text(encoding="utf-8") == "the report as it was\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11.md"]


# --- import: every write error is LCR712, nothing half-written -----------------------------------

GOALS = """
    - id: g1
      title: A goal
      source: {document: doc}
      kpis:
        - {id: k1, kind: numeric, title: People, target: 100, unit: people,
           baseline: {value: 0, date: 2025-01-01}, source: {document: doc}}
    """
OTHER = """
    - id: h1
      title: Another goal
      source: {document: doc}
      kpis:
        - {id: m1, kind: indicator, title: A share, direction: increase, unit: "%",
           source: {document: doc}}
    """
RETURN = "id,value,date\nk1,20,2026-09-30\nm1,4,2026-09-30\n"


@pytest.fixture
def two_files(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    write_tree(data_dir, {"a/theme.yaml": theme_file(GOALS, "ta")})
    write_tree(data_dir, {"b/theme.yaml": theme_file(OTHER, "tb")})
    form = tmp_path / "return.csv"
    form.write_text(RETURN, encoding="utf-8")
    return data_dir, form


def _snapshot(data: Path) -> dict[str, bytes]:
    """Every file in the data folder but the lock files (which stay, empty, after a write)."""
    files = sorted(p for p in data.rglob("*") if p.is_file() and not p.name.endswith(".lock"))
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in files}


def test_import_into_a_folder_it_cannot_write_is_lcr712_and_changes_nothing(
    run, two_files, monkeypatch
) -> None:
    data, form = two_files
    assert run("validate", "--data", data).exit_code == 0  # the cache is written now
    folder = data / "b"
    if os.name == "posix" and os.geteuid() != 0:
        folder.chmod(0o555)  # the files stay writable; the folder takes no new file
    else:  # root (or Windows) writes anyway: refuse as the system would
        real = fileio.tempfile.mkstemp

        def mkstemp(*args, dir=None, **kwargs):
            if Path(dir).resolve() == folder.resolve():
                raise PermissionError(errno.EACCES, "Permission denied", str(dir))
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(fileio.tempfile, "mkstemp", mkstemp)
    before = _snapshot(data)
    try:
        result = run("import", form, "--data", data)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.stderr
    assert (
        "data/b/theme.yaml: error: cannot write the file: Permission denied (check free disk "
        in (result.stderr)
    )
    assert "no data file was changed) [LCR712]" in result.stderr
    assert _snapshot(data) == before  # no file changed, no temporary or lock file added
    assert not journal.journal_path(data).exists()


def test_import_stopped_by_a_file_held_open_is_finished_by_the_next(
    run, two_files, monkeypatch
) -> None:
    data, form = two_files
    before = _snapshot(data)
    real = os.replace

    def replace(src, dst):  # b/theme.yaml is open in an editor
        if Path(dst) == (data / "b" / "theme.yaml").resolve():
            exc = PermissionError(errno.EACCES, "Access is denied")
            exc.winerror = 5  # type: ignore[attr-defined]
            raise exc
        real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(fileio.time, "sleep", lambda seconds: None)
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert (
        "data/b/theme.yaml: error: cannot write the file: another program holds the file open "
        in result.stderr
    )
    assert "the import stopped part-way: run `lcrplan import` again to finish it)" in (
        result.stderr
    )
    middle = _snapshot(data)
    assert b"value: 20" in middle["a/theme.yaml"]
    assert middle["b/theme.yaml"] == before["b/theme.yaml"]
    monkeypatch.setattr(fileio.os, "replace", real)  # the editor is closed
    again = run("import", form, "--data", data)
    assert again.exit_code == 0, again.output
    assert "Finished an interrupted import: wrote data/b/theme.yaml." in again.stderr
    assert b"value: 4" in (data / "b" / "theme.yaml").read_bytes()
    assert not journal.journal_path(data).exists()


def test_record_onto_a_file_held_open_is_lcr712(run, two_files, monkeypatch) -> None:
    data, _ = two_files
    before = (data / "a" / "theme.yaml").read_bytes()
    _held_open(100, monkeypatch)
    result = run("record", "k1", "30", "--date", "2026-10-31", "--data", data)
    assert result.exit_code == 1, result.output
    assert "data/a/theme.yaml: error: cannot write the file: another program holds the file " in (
        result.stderr
    )
    assert (data / "a" / "theme.yaml").read_bytes() == before


# --- names and folders ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "name"),
    [("con", "con_"), ("nul", "nul_"), ("com1", "com1_"), ("lpt9", "lpt9_"), ("aux", "aux_")]
    + [("prn", "prn_"), ("com10", "com10"), ("console", "console"), ("ci-board", "ci-board")],
)
def test_names_windows_keeps_for_devices_get_a_safe_file_name(stem: str, name: str) -> None:
    assert fileio.portable_name(stem) == name
    assert fileio.portable_name(stem.upper()) == name.upper()


DEVICES = """
    boards:
      - {id: board, name: The Board, chairs: [chair]}
    people:
      - {id: chair, name: Ann Chair}
    groups:
      - {id: con, name: Console Group, board: board, chairs: [chair]}
      - {id: nul, name: Null Group, board: board, chairs: [chair]}
    sources:
      - {id: doc, title: A plan document}
    """


def test_return_forms_for_owners_named_like_devices_are_safe_files(run, data_dir, tmp_path):
    goals = GOALS.replace("baseline:", "frequency: monthly, baseline:")  # k1 asked for monthly
    con = theme_file(goals, "t-con").replace("group: grp", "group: con")
    nul = theme_file(goals.replace("1", "2"), "t-nul").replace("group: grp", "group: nul")
    write_tree(data_dir, {"sources.yaml": DEVICES, "con.yaml": con, "nul.yaml": nul})
    forms = tmp_path / "forms"
    args = ("--period", "2026-11", "--as-of", "2026-11-30", "--forms", forms)
    result = run("requests", *args, "--data", data_dir)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in forms.iterdir())
    assert {"con_.csv", "nul_.csv", "requests.md"} <= set(names)
    assert not {"con.csv", "nul.csv", "con.xlsx", "nul.xlsx"} & set(names)
    rows = list(csv.DictReader(io.StringIO((forms / "con_.csv").read_text("utf-8-sig"))))
    assert "k1" in [row["id"] for row in rows]


def test_the_user_cache_is_the_systems_own(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", lambda: tmp_path / "home")
    monkeypatch.setattr(sys, "platform", "linux")
    assert fileio.user_cache() == tmp_path / "home" / ".cache" / "lcrplan"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert fileio.user_cache() == tmp_path / "home" / "Library" / "Caches" / "lcrplan"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert fileio.user_cache() == tmp_path / "Local" / "lcrplan" / "Cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "chosen"))
    assert fileio.user_cache() == tmp_path / "chosen" / "lcrplan"  # set by the user: anywhere


def test_the_journal_of_a_folder_is_one_whatever_its_case_on_windows(monkeypatch, tmp_path):
    upper, lower = tmp_path / "Plans" / "Data", tmp_path / "plans" / "data"
    if os.name == "posix":
        assert journal.journal_path(upper) != journal.journal_path(lower)  # two folders here
    monkeypatch.setattr(os.path, "normcase", ntpath.normcase)
    assert journal.journal_path(upper) == journal.journal_path(lower)
    assert journal.journal_path(upper).parent == fileio.user_cache() / "imports"


def test_symlink_skips_where_the_system_refuses_links(monkeypatch, tmp_path: Path) -> None:
    def refused(self, target, target_is_directory=False):
        raise OSError(22, "A required privilege is not held by the client", None, 1314)

    monkeypatch.setattr(Path, "symlink_to", refused)
    with pytest.raises(pytest.skip.Exception, match="does not let the tests create symbolic"):
        symlink(tmp_path / "link", tmp_path / "target")


# --- the two commands without make ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("test", "-m pytest -q tests/test_cli.py -x"),
        ("test-fast", "-m pytest -q -m 'not slow' tests/test_cli.py -x"),
    ],
)
def test_dev_py_runs_the_suite_as_make_does(command: str, expected: str) -> None:
    dry = subprocess.run(
        [sys.executable, "dev.py", "-n", command, "tests/test_cli.py", "-x"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert dry.stdout.splitlines()[-1].endswith(expected)


def test_dev_py_says_how_to_use_it() -> None:
    done = subprocess.run([sys.executable, "dev.py", "tests"], cwd=REPO, capture_output=True)
    assert done.returncode == 2
    assert b"usage: python dev.py [-n] {install,run,test,test-fast,lint}" in done.stderr


def test_make_calls_dev_py_for_the_everyday_targets() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("install", "run", "test", "test-fast", "lint"):
        recipe = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        assert recipe.strip() == f"$(PYTHON) dev.py {target}", target


MAKE = shutil.which("make")
NO_MAKE = MAKE is None or os.name != "posix"  # the stand-in programs are shell scripts


@pytest.mark.skipif(NO_MAKE, reason="needs make, and a POSIX shell for the stand-ins")
@pytest.mark.parametrize(
    ("present", "chosen"),
    [
        (["python3", "python", "py"], "python3"),
        (["python", "py"], "python"),
        (["py"], "py -3"),
        (["stub-python3", "py"], "py -3"),
    ],
)
def test_make_finds_python_as_python3_python_or_py(tmp_path: Path, present, chosen) -> None:
    """`stub-python3`: Windows' Store stub, on PATH as python3 but running no Python."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in present:
        if name == "stub-python3":
            (bin_dir / "python3").write_text("#!/bin/sh\nexit 9009\n")
            (bin_dir / "python3").chmod(0o755)
        elif name == "py":  # the launcher: `py -3 ARGS` runs Python 3
            (bin_dir / "py").write_text(f'#!/bin/sh\nshift\nexec "{sys.executable}" "$@"\n')
            (bin_dir / "py").chmod(0o755)
        else:
            symlink(bin_dir / name, sys.executable)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}  # make runs /bin/sh itself
    dry = subprocess.run(
        [str(MAKE), "-n", "install"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == f"{chosen} dev.py install"


@pytest.mark.skipif(NO_MAKE, reason="needs make, and a POSIX shell for the stand-ins")
def test_make_without_a_python_says_what_to_do(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    dry = subprocess.run(
        [str(MAKE), "-n", "test"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert dry.returncode != 0
    assert "no Python 3.11 or newer found as python3, python or py -3" in dry.stderr
