"""Issue 21, items 2 to 13: every path read or written is the one meant, and every crafted
input is a located error.

One test (or a small table of them) per attack, named after it; each was reproduced on the code
before its fix and fails there. SECURITY.md gives the threat model.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from .conftest import MINIMAL, REPO, theme_file, write_tree

AS_OF = "2026-11-30"


# --- 13. X-WR-CALNAME ------------------------------------------------------------------------


def test_a_title_with_semicolons_and_commas_cannot_add_calendar_parameters(
    run, data_dir, tmp_path
) -> None:
    title = r"Plans; X-EVIL=1, two\three"
    write_tree(data_dir, {"lcrplan.yaml": MINIMAL["lcrplan.yaml"] + f"title: '{title}'\n"})
    out = tmp_path / "plans.ics"
    result = run("calendar", "--as-of", AS_OF, "--data", data_dir, "--output", out)
    assert result.exit_code == 0, result.output
    # RFC 5545, 3.3.11: a TEXT value escapes backslash, semicolon and comma
    assert b"\r\nX-WR-CALNAME:Plans\\; X-EVIL=1\\, two\\\\three\r\n" in out.read_bytes()


# --- data shared by the tests below ------------------------------------------------------------

GOALS = """
    - id: g1
      title: Engage people
      due: 2027-11-30
      source: {document: doc, lines: "12"}
      kpis:
        - id: k1
          kind: numeric
          title: People engaged
          target: 1000
          unit: people
          baseline: {value: 0, date: 2025-01-01}
          source: {document: doc}
          measurements:
            - {date: 2026-01-31, value: 400}
        - id: m1
          kind: milestone
          title: Venue opened
          due: 2027-06-30
          source: {document: doc}
    """


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A valid data directory at tmp_path/data: goal g1 with numeric KPI k1 and milestone m1."""
    return write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme_file(GOALS)})


def _edit(data: Path, old: str, new: str) -> None:
    theme = data / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert old in text
    theme.write_text(text.replace(old, new, 1), encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    config = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    config += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    done = subprocess.run(
        ["git", *config, "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _return(tmp_path: Path, text: str, name: str = "return.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 7. a number of more digits than Python reads ----------------------------------------------

HUGE = "9" * 5000


def test_a_5000_digit_reading_on_the_command_line_is_not_a_number(run, data) -> None:
    result = run("record", "k1", HUGE, "--date", "2026-02-01", "--data", data)
    assert result.exit_code == 2, result.output
    assert f"'{'9' * 40}… (5,000 characters)' is not a number" in result.stderr


def test_a_5000_digit_value_in_a_data_file_is_not_a_number_not_nan_or_inf(run, data) -> None:
    _edit(data, "value: 400}", f"value: {HUGE}}}")
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(
        "data/theme.yaml:21:39: error: kpi k1: measurements[0].value: "
        f"'{'9' * 40}… (5,000 characters)' is not a plain number (write a plain number such as "
        "1000 or 6750000, with no commas or units) [LCR205]\n"
    ), result.stdout
    assert ".nan" not in result.stdout


def test_a_5000_digit_setting_is_not_a_whole_number(run, data) -> None:
    write_tree(data, {"lcrplan.yaml": f"due_soon_days: {HUGE}\n"})
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert "due_soon_days: '99999" in result.stdout
    assert "is not a whole number (write a whole number such as 30) [LCR205]" in result.stdout


def test_a_5000_digit_cell_in_a_return_is_not_a_number(run, data, tmp_path) -> None:
    form = _return(tmp_path, f"id,value,date\nk1,{HUGE},2026-09-30\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:2: error: column 'value': '99999" in result.stderr
    assert "(5,000 characters)' is not a number" in result.stderr


# --- 12. digits of other scripts -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["５", "٥٠", "१०", "1٠"])
def test_a_reading_in_other_scripts_digits_is_not_a_number(run, data, value) -> None:
    result = run("record", "k1", value, "--date", "2026-02-01", "--data", data)
    assert result.exit_code == 2, result.output
    assert f"'{value}' is not a number" in result.stderr
    assert "value: 400}" in (data / "theme.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("k1,٥٠,2026-09-30", 2, "column 'value': '٥٠' is not a number"),
        ("k1,50,٣٠/٠٩/٢٠٢٦", 3, "'٣٠/٠٩/٢٠٢٦' in column 'date' is not a date"),
        ("k1,50,３０/09/2026", 3, "'３０/09/2026' in column 'date' is not a date"),
    ],
)
def test_a_return_in_other_scripts_digits_is_refused(
    run, data, tmp_path, row, column, message
) -> None:
    form = _return(tmp_path, f"id,value,date\n{row}\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:{column}: error: {message}" in result.stderr


def test_an_update_period_in_other_scripts_digits_is_refused(run, data, tmp_path) -> None:
    form = _return(tmp_path, "id,rag,summary,by,period\ng1,green,Fine,chair,２０２６-11\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:5: error: " in result.stderr
    assert "'２０２６-11' is not a period" in result.stderr


def test_a_month_in_other_scripts_digits_is_a_usage_error(run, data) -> None:
    result = run("report", "--month", "٢٠٢٦-١١", "--data", data)
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('lines: "12"', 'lines: "١٢"', "source.lines: '١٢' is not in the expected form"),
        ("value: 400}", 'value: "４00"}', "'４00' is not a plain number"),
        ("target: 1000", "target: ５", "'５' is not a plain number"),
    ],
)
def test_a_data_file_in_other_scripts_digits_is_an_error(run, data, old, new, message) -> None:
    _edit(data, old, new)
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert message in result.stdout


# --- 11. control characters in command-line arguments ----------------------------------------


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["explain", "\x1b]0;x\a"], "\\x1b]0;x\\x07"),
        (["status", "--owner", "\x1b]8;;http://evil\a"], "\\x1b]8;;http://evil\\x07"),
        (["record", "a\nb", "5"], "a\\nb"),
        (["show", "a\rb\u202e"], "a\\rb\\u202e"),
        (["record", "k1", "5", "--date", "2026-01-01\x1b[2J"], "2026-01-01\\x1b[2J"),
        (["diff", "main\x1b[2J"], "main\\x1b[2J"),
    ],
)
def test_control_characters_in_arguments_are_escaped_in_error_messages(
    run, data, args, shown
) -> None:
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "plans")
    if args[0] != "explain":
        args = [*args, "--data", str(data)]
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert shown in result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07\r\u202e"), result.stderr
    assert "a\nb" not in result.stderr


def test_a_written_files_name_is_escaped_when_printed(run, data, tmp_path) -> None:
    out = tmp_path / "r\x1b]0;x\a.md"
    result = run("report", "--data", data, "--as-of", AS_OF, "--output", out)
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert "r\\x1b]0;x\\x07.md" in result.stdout
    assert "\x1b" not in result.stdout


# --- 9. cycles of parents --------------------------------------------------------------------

LONE_GOALS = """
    - id: g1
      title: Engage people
      source: {document: doc}
    - id: g2
      title: Engage more people
      source: {document: doc}
    - id: g3
      title: Engage everyone
      source: {document: doc}
    """


def _goals_with_parents(data_dir: Path, parents: dict[str, str]) -> None:
    text = theme_file(LONE_GOALS)
    for goal, parent in parents.items():
        text = text.replace(f"  - id: {goal}\n", f"  - id: {goal}\n    parent: {parent}\n")
    write_tree(data_dir, {"theme.yaml": text})


def test_a_goal_that_is_its_own_parent_is_an_error_and_still_unmeasured(run, data_dir) -> None:
    _goals_with_parents(data_dir, {"g1": "g1"})
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "data/theme.yaml:9:13: error: goal g1: is its own parent (a goal's parent is the goal "
        "it belongs to: name another goal, or remove `parent`) [LCR415]"
    )
    assert "data/theme.yaml:10:12: warning: goal g1: has no KPI" in result.stdout  # not silenced


def test_two_goals_that_are_each_others_parent_are_one_error_naming_both(run, data_dir) -> None:
    _goals_with_parents(data_dir, {"g1": "g2", "g2": "g1", "g3": "g1"})
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "data/theme.yaml:9:13: error: goal g1: its parents lead back to it: g1 -> g2 -> g1 "
        "(a goal's parent is the goal it belongs to: name another goal, or remove `parent`) "
        "[LCR415]"
    ]


def _boards(data_dir: Path, parents: str) -> None:
    sources = textwrap.dedent(MINIMAL["sources.yaml"]).lstrip("\n")
    one = "    chairs: [chair]\npeople:"
    assert one in sources
    write_tree(data_dir, {"sources.yaml": sources.replace(one, parents + "people:")})


def test_a_board_in_a_cycle_of_parents_is_an_error(run, data_dir) -> None:
    board = "    chairs: [chair]\n    parent: other\n"
    _boards(data_dir, board + "  - id: other\n    name: Other\n    parent: board\n")
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    assert (
        "data/sources.yaml:8:13: error: board board: its parents lead back to it: board -> other "
        "-> board (a board's parent is the board it reports to: name another board, or remove "
        "`parent`) [LCR415]\n"
    ) in result.stdout
    _boards(data_dir, "    chairs: [chair]\n    parent: board\n")
    alone = run("validate", "--data", data_dir, "--no-source")
    assert alone.exit_code == 1, alone.output
    assert "data/sources.yaml:8:13: error: board board: is its own parent" in alone.stdout


# --- 6. what a killed import leaves behind -----------------------------------------------------


class Crash(BaseException):
    """The process dying part-way (nothing catches it, as nothing catches a kill)."""


def test_staged_copies_a_killed_import_left_are_removed_by_the_next_write(
    run, data, tmp_path
) -> None:
    # kill -9 after staging, before the journal: mkstemp's names, and no finally ran
    stale = [data / ".theme.yaml.k1ll3d_x.tmp", data / ".theme.yaml.0a1b2c3d.tmp"]
    for path in stale:
        path.write_text("half an import\n")
    other = data / ".theme.yaml.x.abcdefgh.tmp"  # another file's (theme.yaml.x) staged copy
    other.write_text("not ours\n")
    form = _return(tmp_path, "id,value,date\nk1,500,2026-09-30\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in stale)
    assert other.exists()
    stale[0].write_text("left by a killed record\n")
    result = run("record", "k1", "600", "--date", "2026-10-31", "--data", data)
    assert result.exit_code == 0, result.output
    assert not stale[0].exists()


def test_validate_says_an_import_is_unfinished_until_the_next_import(
    run, data, tmp_path, monkeypatch
) -> None:
    from lcrplan import journal

    other = GOALS.replace("id: g1", "id: g2").replace("id: k1", "id: k2").replace("m1", "m2")
    write_tree(data, {"other.yaml": theme_file(other, "other")})
    form = _return(tmp_path, "id,value,date\nk1,500,2026-09-30\nk2,5,2026-09-30\n")
    real_replace = os.replace

    def crash_on_second(src, dst):
        if str(dst).endswith("other.yaml"):
            raise Crash
        real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", crash_on_second)
    with pytest.raises(Crash):
        run("import", form, "--data", data)
    monkeypatch.setattr(journal.os, "replace", real_replace)
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    message = (
        "error: an import into this file was interrupted and is unfinished (run lcrplan import "
        "again with the same returns to finish it) [LCR716]"
    )
    assert f"data/other.yaml: {message}" in result.stdout
    assert f"data/theme.yaml: {message}" in result.stdout
    again = run("import", form, "--data", data)
    assert again.exit_code == 0, again.output
    assert run("validate", "--data", data).exit_code == 0


@pytest.mark.parametrize("name", [".theme.yaml.k1ll3d_x.tmp", ".theme.yaml.lock"])
def test_what_a_killed_writer_leaves_is_git_ignored(run, tmp_path, name) -> None:
    ignored = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "--no-index", "-q", f"data/x/{name}"],
        check=False,
    )
    assert ignored.returncode == 0, f"this repository's .gitignore must ignore {name}"
    target = tmp_path / "new"
    assert run("init", target).exit_code == 0
    git(target, "init", "-q")
    (target / "data" / "example" / name).write_text("")
    assert name not in git(target, "status", "--porcelain", "--untracked-files=all")


# --- 2. writes through a link in a parent folder -----------------------------------------------


@pytest.fixture
def repo_with_link(tmp_path: Path, data: Path, monkeypatch) -> tuple[Path, Path]:
    """The working directory is tmp_path (holding data/); `elsewhere` is outside it, and the
    link `out -> elsewhere` is the kind a pull request can commit."""
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path, elsewhere


OUTPUTS = {
    "report": ["report", "--month", "2026-11", "--output", "out/{month}.md"],
    "report-html": ["report", "--month", "2026-11", "--format", "html", "--output", "out/r.html"],
    "report-deeper": ["report", "--month", "2026-11", "--output", "out/a/b/{month}.md"],
    "requests-forms": ["requests", "--period", "2026-11", "--as-of", AS_OF, "--forms", "out/f"],
    "requests-output": ["requests", "--period", "2026-11", "--as-of", AS_OF, "-o", "out/r.md"],
    "calendar": ["calendar", "--as-of", AS_OF, "--output", "out/plans.ics"],
    "schema": ["schema", "--output", "out/schema"],
    "site": ["site", "out/site", "--month", "2026-11", "--no-history"],
    "init": ["init", "out/new"],
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_committed_link_in_a_parent_folder_takes_no_write_outside(
    run, repo_with_link, command
) -> None:
    _, elsewhere = repo_with_link
    args = OUTPUTS[command]
    if args[0] not in ("schema", "init"):
        args = [*args, "--data", "data"]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "'out' is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_link_named_on_the_command_line_is_followed(run, repo_with_link) -> None:
    _, elsewhere = repo_with_link
    result = run("schema", "--output", "out")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "theme.schema.json").is_file()
    forms = run("requests", "--period", "2026-11", "--as-of", AS_OF, "--forms", "out", "-d", "data")
    assert forms.exit_code == 0, forms.output
    assert (elsewhere / "requests.md").is_file()


def test_a_link_above_the_working_directory_is_followed(run, data, tmp_path, monkeypatch) -> None:
    real = tmp_path / "real"
    (real / "work").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)  # as /tmp on macOS
    monkeypatch.chdir(tmp_path / "linked" / "work")
    out = tmp_path / "linked" / "work" / "reports" / "r.md"
    result = run("report", "--month", "2026-11", "--output", out, "--data", data)
    assert result.exit_code == 0, result.output
    assert (real / "work" / "reports" / "r.md").is_file()
