"""A table of bad inputs: each is reported once, at its file, line and column, in the exact words
a chair will read; no command ever answers bad data with a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lcrplan.cli import app

from .conftest import MINIMAL, TODAY, symlink, write_tree
from .helpers.bad_inputs import (
    BAD,
    EMPTY_HINT,
    PLAN,
    REVIEW,
    THEME,
    YAML_HINT_COLON,
    case,
    edit,
    problems_in,
)


@pytest.mark.parametrize("files, expected", BAD)
def test_bad_input_is_reported_at_its_place(tmp_path: Path, run, files, expected) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME, **files})
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    today = TODAY.isoformat()
    assert problems_in(result.output) == [e.replace("{today}", today) for e in expected]
    assert "Traceback" not in result.output


GOOD = [
    case("utf8-bom", {"theme.yaml": b"\xef\xbb\xbf" + THEME.encode()}),
    case("crlf-line-endings", {"theme.yaml": THEME.replace("\n", "\r\n").encode()}),
    case("non-yaml-files-are-ignored", {"notes.txt": "[", "logo.png": b"\x89PNG\x00\xff"}),
    case("hidden-and-schema-folders-are-skipped", {".git/x.yaml": "[", "schema/x.yaml": "["}),
    case("plan-review-in-words-only", {"plan.yaml": PLAN + REVIEW}),
    case(
        "plan-review-with-its-interval",
        {"plan.yaml": PLAN + REVIEW.replace("}\n", "}\n    every: annual\n")},
    ),
]


@pytest.mark.parametrize("files, expected", GOOD)
def test_valid_variants_pass(tmp_path: Path, run, files, expected) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME, **files})
    result = run("validate", "--data", data)
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == expected


# --- the folder itself ---------------------------------------------------------------------------


def test_a_folder_with_no_yaml(tmp_path: Path, run) -> None:
    write_tree(tmp_path / "data", {"notes.txt": "plans to come"})
    result = run("validate", "--data", tmp_path / "data")
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data: error: no YAML files found (a data directory holds *.yaml files; see "
        "data/README.md) [LCR116]"
    ]


def test_a_data_directory_that_does_not_exist(tmp_path: Path, run) -> None:
    result = run("validate", "--data", tmp_path / "nowhere")
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        f"{tmp_path / 'nowhere'}: error: data directory does not exist "
        "(check --data or LCRPLAN_DATA) [LCR116]"
    ]


@pytest.mark.skipif(os.name != "posix", reason="chmod(0) makes a file unreadable on POSIX only")
def test_an_unreadable_file(tmp_path: Path, run, monkeypatch) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME})
    secret = data / "theme.yaml"
    secret.chmod(0)
    if (
        getattr(os, "geteuid", lambda: -1)() == 0
    ):  # root reads anything: make the read fail as it would for a user
        from lcrplan.loader import validate

        def open_(path, *args, **kwargs):
            if os.path.basename(path) == "theme.yaml":
                raise PermissionError(13, "Permission denied")
            return open(path, *args, **kwargs)

        monkeypatch.setattr(validate, "open", open_, raising=False)
    try:
        result = run("validate", "--data", data, "--no-cache")
    finally:
        secret.chmod(0o644)
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/theme.yaml: error: cannot read file: Permission denied (check the file's "
        "permissions) [LCR113]"
    ]


def test_symbolic_links_that_loop_or_dangle_are_errors(tmp_path: Path, run) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME})
    symlink(data / "self.yaml", "self.yaml")
    symlink(data / "ping.yaml", "pong.yaml")
    symlink(data / "pong.yaml", "ping.yaml")
    symlink(data / "gone.yaml", "deleted.yaml")
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    hint = "broken or looping symbolic link (remove the link) [LCR113]"
    assert problems_in(result.output) == [
        f"data/gone.yaml: error: {hint}",
        f"data/ping.yaml: error: {hint}",
        f"data/pong.yaml: error: {hint}",
        f"data/self.yaml: error: {hint}",
    ]


def test_links_outside_the_data_directory_are_skipped_with_a_warning(tmp_path: Path, run) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME})
    write_tree(tmp_path / "elsewhere", {"secret.yaml": "[unparsable"})
    symlink(data / "outside.yaml", tmp_path / "elsewhere" / "secret.yaml")
    symlink(data / "outside-folder", tmp_path / "elsewhere")
    result = run("validate", "--data", data)
    assert result.exit_code == 0, result.output
    skipped = (
        "skipped: link points outside the data directory (copy the file into the data directory) "
        "[LCR115]"
    )
    assert problems_in(result.output) == [
        f"data/outside-folder: warning: {skipped}",
        f"data/outside.yaml: warning: {skipped}",
    ]


def test_a_link_inside_the_data_directory_is_named_by_its_own_path(tmp_path: Path, run) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME})
    symlink(data / "copy.yaml", "theme.yaml")
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert (
        "data/theme.yaml:2:7: error: theme theme: duplicate id, first used at data/copy.yaml:2:7"
    ) in (result.output)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_yaml_is_skipped_not_read(tmp_path: Path, run) -> None:
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THEME})
    os.mkfifo(data / "pipe.yaml")  # reading it would block for ever
    result = run("validate", "--data", data)
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == [
        "data/pipe.yaml: warning: skipped: not a regular file (replace it with a plain YAML "
        "file) [LCR115]"
    ]


# --- several broken files at once ----------------------------------------------------------------


def test_every_problem_in_every_file_in_one_run(tmp_path: Path, run) -> None:
    data = write_tree(
        tmp_path / "data",
        {
            **MINIMAL,
            "theme.yaml": edit("target: 100", "traget: 100"),
            "broken.yaml": "theme: [unclosed\n",
            "music/empty.yaml": "",
            "music/other.yaml": edit("group: grp", "group: gpr", edit("id: kpi-1", "id: kpi-2"))
            .replace("id: theme", "id: theme-2")
            .replace("id: goal-1", "id: goal-2"),
            "lcrplan.yaml": "stale_days: 0\n",
        },
    )
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/broken.yaml:1:8: error: invalid YAML: '[' is not closed (close it with ']', or put "
        "',' between its items; the parser stopped at line 2, column 1) [LCR101]",
        "data/lcrplan.yaml:1:13: error: stale_days: Input should be greater than or equal to 1 "
        "(see data/README.md) [LCR210]",
        f"data/music/empty.yaml:1:1: error: file is empty ({EMPTY_HINT}) [LCR111]",
        "data/music/other.yaml:5:10: error: theme theme-2: unknown group 'gpr' (did you mean "
        "'grp'?) [LCR306]",
        "data/theme.yaml:16:9: error: kpi kpi-1: unknown field 'traget' (did you mean "
        "'target'?) [LCR201]",
    ]
    assert result.output.rstrip().endswith("5 error(s) in 5 file(s), 0 warning(s)")


def test_a_broken_directory_file_is_not_buried_under_unknown_references(
    tmp_path: Path, run
) -> None:
    # sources.yaml defines the documents, people, boards and groups every other file cites: while
    # it cannot be read those references cannot be judged, but references to plans still can.
    broken = MINIMAL["sources.yaml"].replace("title: A plan document", "title: Plan: the document")
    data = write_tree(
        tmp_path / "data",
        {**MINIMAL, "sources.yaml": broken, "theme.yaml": edit("plan: plan", "plan: plna")},
    )
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/sources.yaml:3:16: error: invalid YAML: mapping values are not allowed in this "
        f"context ({YAML_HINT_COLON}) [LCR101]",
        "data/theme.yaml:3:9: error: theme theme: unknown plan 'plna' (did you mean 'plan'?) "
        "[LCR304]",
    ]


# --- no command answers bad data with a traceback -------------------------------------------------

READING_COMMANDS = [
    ("validate",),
    ("status",),
    ("overdue",),
    ("groups",),
    ("show", "kpi-1"),
    ("report",),
]

BROKEN_TREES = {
    "syntax-and-schema": {
        **MINIMAL,
        "theme.yaml": edit("target: 100", "target: lots"),
        "more.yaml": "theme: {id: x\n",
    },
    "hostile": {
        **MINIMAL,
        "theme.yaml": THEME,
        "deep.yaml": "a: " + "[" * 5000 + "\n",
        "tag.yaml": "x: !!python/object/apply:os.system ['true']\n",
    },
    "references": {**MINIMAL, "theme.yaml": edit("group: grp", "group: nobody")},
    "no-yaml": {"readme.txt": "nothing here"},
}


def _command_names() -> set[str]:
    return {c.name or c.callback.__name__ for c in app.registered_commands}


@pytest.mark.parametrize("tree", sorted(BROKEN_TREES))
@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_report_broken_data_and_exit_1(tmp_path: Path, run, command, tree) -> None:
    if command[0] not in _command_names():
        pytest.skip(f"no '{command[0]}' command yet")
    data = write_tree(tmp_path / "data", BROKEN_TREES[tree])
    result = run(*command, "--data", data)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    assert problems_in(result.output), result.output
    for line in problems_in(result.output):
        assert line.startswith("data"), line


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: c[0])
def test_reading_commands_on_a_missing_data_directory(tmp_path: Path, run, command) -> None:
    if command[0] not in _command_names():
        pytest.skip(f"no '{command[0]}' command yet")
    result = run(*command, "--data", tmp_path / "nowhere")
    assert result.exit_code == 1, result.output
    assert "data directory does not exist" in result.output
    assert "internal error" not in result.output


def test_compound_growth_over_a_short_span_does_not_crash(tmp_path: Path, run) -> None:
    # Valid data: a thousandfold cagr target due two days after its baseline: 1000 ** 182 a year.
    theme = edit("due: 2027-12-31", "due: 2025-01-03")
    theme = edit("target: 100", "target: 1000\n        method: cagr", theme)
    theme = edit("{value: 0, date: 2025-01-01}", "{value: 1, date: 2025-01-01}", theme)
    theme = edit("{date: 2026-01-31, value: 10}", "{date: 2025-01-02, value: 2}", theme)
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme})
    assert run("validate", "--data", data).exit_code == 0
    result = run("status", "--data", data, "--as-of", "2025-01-02")
    assert result.exit_code == 0, result.output
