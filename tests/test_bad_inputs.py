"""A table of bad inputs: each is reported once, at its file, line and column, in the exact words
a chair will read; no command ever answers bad data with a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lcrplan.cli import app

from .conftest import MINIMAL, TODAY, symlink, theme_file, write_tree

# Line numbers in the expected messages refer to this file, as written by `theme_file`:
#  8  - id: goal-1          13  - id: kpi-1          16  target: 100        19  source: ...
#  9    title: A goal       14    kind: numeric      17  unit: "people"     20  measurements:
# 10    due: 2027-12-31     15    title: People ...  18  baseline: {...}    21  - {date: ...}
THEME = theme_file(
    """
    - id: goal-1
      title: A goal
      due: 2027-12-31
      source: {document: doc}
      kpis:
        - id: kpi-1
          kind: numeric
          title: People reached
          target: 100
          unit: "people"
          baseline: {value: 0, date: 2025-01-01}
          source: {document: doc}
          measurements:
            - {date: 2026-01-31, value: 10}
    """
)


PLAN = (
    "plan:\n  id: plan\n  title: The Plan\n  board: board\n  start: 2020-01-01\n"
    "  end: 2028-12-31\n  source: {document: doc}\n"
)
REVIEW = (
    '  review:\n    text: "The Action Plan will be regularly reviewed"\n'
    '    source: {document: doc, lines: "3"}\n'
)


def edit(old: str, new: str, text: str = THEME) -> str:
    """`text` with its one occurrence of `old` replaced (the test fails if `old` is missing)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


def case(id_: str, files: dict[str, str | bytes], *expected: str):
    return pytest.param(files, list(expected), id=id_)


YAML_HINT_COLON = (
    "a ':' inside a value needs the whole value in quotes, or the line is mis-indented"
)
INDENT_HINT = "check this line's indentation against the lines above"
TAB_HINT = "YAML indents with spaces, not tabs: replace the tab with spaces"
NUMBER_HINT = "write a plain number such as 1000 or 6750000, with no commas or units"
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-30"
EMPTY_HINT = "add content as data/README.md describes, or delete the file"
FINITE = "must be a finite number, not .nan or .inf (see data/README.md)"

BAD = [
    # --- YAML syntax ---------------------------------------------------------------------------
    case(
        "unclosed-quote-mid-file",
        {"theme.yaml": edit("title: People reached", 'title: "People reached')},
        "data/theme.yaml:15:16: error: invalid YAML: unclosed quote (the quoted text that opens "
        "here runs on to line 17: add its closing quote) [LCR101]",
    ),
    case(
        "unclosed-quote-at-end",
        {"theme.yaml": THEME + '  - id: goal-2\n    title: "Unfinished\n'},
        "data/theme.yaml:23:12: error: invalid YAML: unclosed quote (the quote that opens here "
        "is never closed) [LCR101]",
    ),
    case(
        "unclosed-bracket",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis", "source: {document: doc\n    kpis"
            )
        },
        "data/theme.yaml:11:13: error: invalid YAML: '{' is not closed (close it with '}', or "
        "put ',' between its items; the parser stopped at line 12, column 9) [LCR101]",
    ),
    case(
        "bad-indentation",
        {"theme.yaml": edit("        target: 100", "       target: 100")},
        "data/theme.yaml:16:8: error: invalid YAML: did not find expected '-' indicator (check "
        "this line's indentation against the lines above) [LCR101]",
    ),
    case(
        "bad-indentation-deeper",
        {"theme.yaml": edit("        target: 100", "          target: 100")},
        "data/theme.yaml:16:17: error: invalid YAML: mapping values are not allowed in this "
        "context (a ':' inside a value needs the whole value in quotes, or the line is "
        "mis-indented) [LCR101]",
    ),
    case(
        "tab-indentation",
        {"theme.yaml": edit("        target: 100", "\ttarget: 100")},
        "data/theme.yaml:16:1: error: invalid YAML: a tab character in the indentation (YAML "
        "indents with spaces, not tabs: replace the tab with spaces) [LCR101]",
    ),
    case(
        "stray-colon",
        {"theme.yaml": edit("title: People reached", "title: People reached: adults")},
        "data/theme.yaml:15:30: error: invalid YAML: mapping values are not allowed in this "
        "context (a ':' inside a value needs the whole value in quotes, or the line is "
        "mis-indented) [LCR101]",
    ),
    case(
        "reserved-character",
        {"theme.yaml": edit("title: People reached", "title: @people")},
        "data/theme.yaml:15:16: error: invalid YAML: a value cannot start with '@' (put the "
        "whole value in quotes) [LCR101]",
    ),
    case(
        "key-without-colon",
        {"theme.yaml": edit("        target: 100", "        target")},
        "data/theme.yaml:16:9: error: invalid YAML: could not find expected ':' (a key needs ':' "
        "after it, or a line above is mis-indented) [LCR101]",
    ),
    case(
        "text-after-a-quoted-value",
        {"theme.yaml": edit('unit: "people"', 'unit: "people" reached')},
        "data/theme.yaml:17:24: error: invalid YAML: did not find expected key (text follows a "
        "finished value on this line: quote the whole value, or remove it) [LCR101]",
    ),
    case(
        "second-document",
        {"theme.yaml": THEME + "---\nx: 1\n"},
        "data/theme.yaml:22:1: error: invalid YAML: a second document starts here (a data file "
        "holds one document: remove the '---' line and what follows it) [LCR101]",
    ),
    case(
        "control-character",
        {"theme.yaml": edit("A goal", "A\x07goal")},
        "data/theme.yaml:9:13: error: invalid YAML: character U+0007 is not allowed (delete it: "
        "data files hold text only; was binary data pasted in?) [LCR101]",
    ),
    case(
        "duplicate-key",
        {"theme.yaml": edit("        target: 100\n", "        target: 100\n        target: 120\n")},
        "data/theme.yaml:17:9: error: duplicate key 'target', first defined at line 16 (keep one "
        "of them) [LCR102]",
    ),
    case(
        "alias",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n        measurements",
                "source: *src\n        measurements",
                edit("source: {document: doc}\n    kpis", "source: &src {document: doc}\n    kpis"),
            )
        },
        "data/theme.yaml:19:17: error: aliases (*name) are not allowed (write the value out in "
        "full) [LCR103]",
    ),
    # --- schema ----------------------------------------------------------------------------------
    case(
        "unknown-field",
        {"theme.yaml": edit("    due: 2027", "    desription: x\n    due: 2027")},
        "data/theme.yaml:10:5: error: goal goal-1: unknown field 'desription' (did you mean "
        "'description'?) [LCR201]",
    ),
    case(
        "unknown-field-of-required",
        {"theme.yaml": edit("target: 100", "traget: 100")},
        "data/theme.yaml:16:9: error: kpi kpi-1: unknown field 'traget' (did you mean 'target'?) "
        "[LCR201]",
    ),
    case(
        "key-with-a-newline-stays-on-one-line",
        {"theme.yaml": edit("    due: 2027", '    "de\\nscription": x\n    due: 2027')},
        "data/theme.yaml:10:5: error: goal goal-1: unknown field 'de\\nscription' (did you mean "
        "'description'?) [LCR201]",
    ),
    case(
        "wrong-type",
        {"theme.yaml": edit("    title: A goal\n", "    title: A goal\n    aliases: {a: b}\n")},
        "data/theme.yaml:10:14: error: goal goal-1: aliases: Input should be a valid list (write "
        "a list: one '- item' per line, or [a, b]) [LCR203]",
    ),
    case(
        "empty-value",
        {"theme.yaml": edit("title: People reached", "title:")},
        "data/theme.yaml:15:15: error: kpi kpi-1: title: no value given (write a value after the "
        "':') [LCR203]",
    ),
    case(
        "unknown-kpi-kind",
        {"theme.yaml": edit("kind: numeric", "kind: numerc")},
        "data/theme.yaml:14:15: error: kpi kpi-1: unknown kind 'numerc' (did you mean "
        "'numeric'?) [LCR206]",
    ),
    case(
        "reference-that-is-not-an-id",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis", "source: {document: Doc 1}\n    kpis"
            )
        },
        "data/theme.yaml:11:24: error: goal goal-1: source.document: 'Doc 1' is not a valid id "
        "(use lowercase letters, digits and single hyphens, e.g. ci-inv-1) [LCR207]",
    ),
    case(
        "source-lines-not-a-range",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis",
                "source: {document: doc, lines: p. 4}\n    kpis",
            )
        },
        "data/theme.yaml:11:36: error: goal goal-1: source.lines: 'p. 4' is not in the expected "
        'form (write a line or a range of lines of the text copy, e.g. "170" or "170-175") '
        "[LCR212]",
    ),
    case(
        "measurement-without-value",
        {"theme.yaml": edit("{date: 2026-01-31, value: 10}", "{date: 2026-01-31}")},
        "data/theme.yaml:21:13: error: kpi kpi-1: measurement on 2026-01-31 has no value (a "
        "numeric KPI needs 'value:' with a number) [LCR406]",
    ),
    case(
        "impossible-date",
        {"theme.yaml": edit("due: 2027-12-31", "due: 2026-13-45")},
        "data/theme.yaml:10:10: error: goal goal-1: due: 2026-13-45 is not a date: there is no "
        "month 13 (months run from 01 to 12) [LCR204]",
    ),
    case(
        "number-given-text",
        {"theme.yaml": edit("target: 100", "target: 1,000")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: '1,000' is not a plain number (write a "
        "plain number such as 1000 or 6750000, with no commas or units) [LCR205]",
    ),
    case(
        "number-too-long-for-python",
        {"theme.yaml": edit("target: 100", "target: " + "9" * 5000)},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: '" + "9" * 40 + "… (5,000 characters)' "
        "is not a plain number (write a plain number such as 1000 or 6750000, with no commas or "
        "units) [LCR205]",
    ),
    case(
        "nan",
        {"theme.yaml": edit("target: 100", "target: .nan")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: must be a finite number, not .nan or "
        ".inf (see data/README.md) [LCR205]",
    ),
    case(
        "inf",
        {"theme.yaml": edit("value: 10}", "value: .inf}")},
        "data/theme.yaml:21:39: error: kpi kpi-1: measurements[0].value: must be a finite "
        "number, not .nan or .inf (see data/README.md) [LCR205]",
    ),
    case(
        "negative-day-count",
        {"lcrplan.yaml": "due_soon_days: -5\n"},
        "data/lcrplan.yaml:1:16: error: due_soon_days: Input should be greater than or equal to "
        "0 (see data/README.md) [LCR210]",
    ),
    case(
        "threshold-out-of-range",
        {"lcrplan.yaml": "thresholds: {on_track: 1.5, at_risk: -0.1}\n"},
        "data/lcrplan.yaml:1:24: error: thresholds.on_track: Input should be less than or equal "
        "to 1 (see data/README.md) [LCR210]",
        "data/lcrplan.yaml:1:38: error: thresholds.at_risk: Input should be greater than or "
        "equal to 0 (see data/README.md) [LCR210]",
    ),
    case(
        "threshold-nan",
        {"lcrplan.yaml": "thresholds: {on_track: .nan}\n"},
        "data/lcrplan.yaml:1:24: error: thresholds.on_track: Input should be less than or equal "
        "to 1 (see data/README.md) [LCR210]",
    ),
    case(
        "thresholds-crossed",
        {"lcrplan.yaml": "thresholds: {on_track: 0.5, at_risk: 0.7}\n"},
        "data/lcrplan.yaml:1:13: error: thresholds: at_risk 0.7 is above on_track 0.5 (see "
        "data/README.md) [LCR211]",
    ),
    case(
        "negative-limit",
        {"lcrplan.yaml": "limits: {max_depth: -1}\n"},
        "data/lcrplan.yaml:1:21: error: limits.max_depth: Input should be greater than or equal "
        "to 1 (see data/README.md) [LCR210]",
    ),
    case(
        "range-low-above-high",
        {"theme.yaml": edit("target: 100", "target: {low: 10, high: 5}")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: low 10 is above high 5 (see "
        "data/README.md) [LCR211]",
    ),
    case(
        "plan-review-every-not-a-frequency",
        {"plan.yaml": PLAN + REVIEW.replace("}\n", "}\n    every: fortnightly\n")},
        "data/plan.yaml:11:12: error: plan plan: review.every: Input should be 'monthly', "
        "'quarterly', 'half_yearly', 'annual', 'biennial' or 'once' (use one of the allowed "
        "words) [LCR209]",
    ),
    case(
        "plan-review-without-its-source",
        {"plan.yaml": PLAN + REVIEW.replace('    source: {document: doc, lines: "3"}\n', "")},
        "data/plan.yaml:9:5: error: plan plan: review: missing required field 'source' (add "
        "'source:' to plan plan) [LCR202]",
    ),
    # --- the data set as a whole -------------------------------------------------------------
    case(
        "id-used-twice",
        {"other.yaml": edit("id: goal-1", "id: goal-2", edit("id: theme", "id: theme-2"))},
        "data/theme.yaml:13:13: error: kpi kpi-1: duplicate id, first used at "
        "data/other.yaml:13:13 (ids must be unique across the data set: choose another id) "
        "[LCR401]",
    ),
    case(
        "unknown-reference",
        {"theme.yaml": edit("group: grp", "group: gpr")},
        "data/theme.yaml:5:10: error: theme theme: unknown group 'gpr' (did you mean 'grp'?) "
        "[LCR306]",
    ),
    case(
        "due-before-start",
        {"theme.yaml": edit("    due: 2027-12-31", "    start: 2028-01-01\n    due: 2027-12-31")},
        "data/theme.yaml:11:10: error: goal goal-1: due 2027-12-31 is before start 2028-01-01 "
        "(check the years of start and due) [LCR402]",
    ),
    case(
        "baseline-after-measurement",
        {"theme.yaml": edit("date: 2025-01-01}", "date: 2026-06-30}")},
        "data/theme.yaml:18:36: error: kpi kpi-1: baseline dated 2026-06-30 is after a "
        "measurement dated 2026-01-31 (the baseline is where progress starts: date it on or "
        "before the first measurement) [LCR405]",
    ),
    case(
        "measurement-in-the-future",
        {"theme.yaml": edit("date: 2026-01-31", "date: 2999-01-31")},
        "data/theme.yaml:21:20: error: kpi kpi-1: measurement dated 2999-01-31, after today "
        "({today}) (is the year mistyped? measurements record what has happened) [LCR403]",
    ),
    # --- whole files -------------------------------------------------------------------------
    case(
        "empty-file",
        {"theme.yaml": ""},
        "data/theme.yaml:1:1: error: file is empty (add content as data/README.md describes, or "
        "delete the file) [LCR111]",
    ),
    case(
        "only-a-comment",
        {"theme.yaml": "# goals to come\n"},
        "data/theme.yaml:1:1: error: file holds only comments, no data (add content as "
        "data/README.md describes, or delete the file) [LCR111]",
    ),
    case(
        "truncated-file",
        {"theme.yaml": THEME[: THEME.index("unit:")]},
        "data/theme.yaml:13:9: error: kpi kpi-1: missing required field 'source' (add 'source:' "
        "to kpi kpi-1) [LCR202]",
        "data/theme.yaml:13:9: error: kpi kpi-1: missing required field 'unit' (add 'unit:' to "
        "kpi kpi-1) [LCR202]",
    ),
    case(
        "truncated-mid-quote",
        {"theme.yaml": THEME[: THEME.index('"people"') + 4]},
        "data/theme.yaml:17:15: error: invalid YAML: unclosed quote (the quote that opens here "
        "is never closed) [LCR101]",
    ),
    case(
        "top-level-list",
        {"theme.yaml": "- a\n- b\n"},
        "data/theme.yaml:1:1: error: expected a mapping of keys at the top, got a list (start "
        "the file with a key such as 'theme:' or 'boards:') [LCR112]",
    ),
    case(
        "not-utf8",
        {"theme.yaml": edit("A goal", "A caf\u00e9 goal").encode("latin-1")},
        "data/theme.yaml:9:17: error: file is not UTF-8 (byte 0xe9) (save the file with UTF-8 "
        "encoding) [LCR110]",
    ),
    case(
        "bom-and-crlf-keep-lines-right",
        {
            "theme.yaml": b"\xef\xbb\xbf"
            + edit("group: grp", "group: gpr").encode().replace(b"\n", b"\r\n")
        },
        "data/theme.yaml:5:10: error: theme theme: unknown group 'gpr' (did you mean 'grp'?) "
        "[LCR306]",
    ),
]


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
        from lcrplan import load as load_module

        def open_(path, *args, **kwargs):
            if os.path.basename(path) == "theme.yaml":
                raise PermissionError(13, "Permission denied")
            return open(path, *args, **kwargs)

        monkeypatch.setattr(load_module, "open", open_, raising=False)
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
