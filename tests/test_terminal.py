"""Terminal tables people can use at 80 columns and below: an id (what a user copies to run
`show` or `record`) is never cut; the least important columns go first; NO_COLOR means no
style at all; help names values as a user types them."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lcrplan.cli import app

from .conftest import DATA

AS_OF = "2026-11-30"


def real(run, *args: str, columns: str) -> str:
    env = {"NO_COLOR": "1", "COLUMNS": columns}
    result = run(*args, "--data", DATA, "--as-of", AS_OF, "--no-cache", env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def ids_of(run, *args: str) -> list[str]:
    result = run(*args, "--data", DATA, "--as-of", AS_OF, "--no-cache", "--format", "json")
    return [i["id"] for i in json.loads(result.stdout)["items"]]


def assert_whole(out: str, ids: list[str], columns: int) -> None:
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", out))
    missing = [i for i in ids if i not in words]
    assert not missing, missing
    for line in out.splitlines():
        if len(line) > columns:  # only an id longer than the screen may run past its edge
            assert re.fullmatch(r" *(?:[-=] )?([a-z0-9-]+)", line), line
            assert line.split()[-1] in ids, line


@pytest.mark.parametrize("columns", ["80", "60"])
def test_every_id_in_status_appears_whole(run, columns):
    out = real(run, "status", "--all", columns=columns)
    ids = ids_of(run, "status")
    assert_whole(out, ids, int(columns))
    lines = out.splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("Item"))
    header = " ".join(lines[first : first + 3])
    assert "Due" in header and "Owner" in header  # what goes is progress, then titles' room


@pytest.mark.parametrize("columns", ["80", "60"])
def test_every_id_in_overdue_appears_whole_under_its_goal(run, columns):
    out = real(run, "overdue", columns=columns)
    listed = ids_of(run, "overdue")
    goals = ["ci-risk-1", "lis-gc-clean-act-2", "lis-fdn-infrastructure-act-1", "ci-inv-3"]
    assert_whole(out, listed + goals, int(columns))
    lines = out.splitlines()
    header = " ".join(lines[:5])
    assert "Due" in header and "Owner" in header
    plans = [line for line in lines if line == "Creative Industries Strategy & Action Plan"]
    assert len(plans) == 2  # once under "Overdue", once under "Due within 30 days"
    goal = lines.index(next(line for line in lines if line.startswith("  ci-risk-1  ")))
    assert lines[goal + 1].startswith("    - ci-risk-1-")


@pytest.mark.parametrize("columns", ["80", "60"])
def test_every_id_in_groups_appears_whole_and_no_status_word_is_cut(run, columns):
    out = real(run, "groups", columns=columns)
    assert_whole(out, [i for i in ids_of(run, "groups") if i], int(columns))
    assert "…" not in out
    assert max(map(len, out.splitlines())) <= int(columns)
    assert "65 [.] Baseline only" in out and "no named lead" in out


def test_no_color_means_no_style_at_all_not_even_bold(run):
    args = ("status", "--data", DATA, "--as-of", AS_OF, "--plan", "ci-strategy", "--no-cache")
    forced = {"FORCE_COLOR": "1", "TERM": "xterm-256color"}
    styled = run(*args, env=forced).stdout
    assert "\x1b[1m" in styled  # bold headers on a terminal
    plain = run(*args, env={**forced, "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == plain


def test_help_names_values_as_a_user_types_them(run):
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for name in names:
        text = run(name, "--help").output
        assert not re.search(r"<(str|path|int|float)\b|list\[", text), (name, text)
    status = " ".join(run("status", "--help").output.split())
    assert "--as-of DATE" in status and "--plan ID" in status and "--status STATUS" in status
    assert "overdue, behind, off_track, worsening, at_risk, not_reported," in status
    assert "--month YYYY-MM" in run("report", "--help").output
    assert "--within DAYS" in run("overdue", "--help").output
    assert re.search(r"^  ID +Id of a goal", run("show", "--help").output, re.M)


# Output without colour is written without rich's console (lcrplan/cli/plain.py): the same
# characters rich prints, checked against rich itself.

_WORDS = st.text(alphabet="abcdefghij ,.()-;'%…界", min_size=0, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=0, max_size=30), st.integers(1, 60), st.booleans())
def test_prose_without_colour_wraps_where_rich_wraps_it(words, width, newline):
    from rich.console import Console

    from lcrplan.cli.plain import wrap

    text = (" \n" if newline else " ").join(words)
    console = Console(width=width, color_system=None, highlight=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(text)
    assert wrap(text, width) == captured.get()


@pytest.mark.parametrize("isatty", [False, True])
@pytest.mark.parametrize(
    "env",
    [
        {},
        {"NO_COLOR": "1"},
        {"COLUMNS": "57"},
        {"NO_COLOR": "1", "COLUMNS": "57"},
        {"COLUMNS": "wide"},
        {"FORCE_COLOR": "1", "NO_COLOR": "1"},
        {"FORCE_COLOR": ""},
        {"TTY_COMPATIBLE": "0"},
        {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "TERM": "dumb"},
        {"NO_COLOR": "1", "TERM": "dumb"},
    ],
)
def test_output_without_colour_is_as_wide_as_rich_makes_it(monkeypatch, env, isatty):
    """Where the console without rich is used, rich would have printed no style, at that
    width."""
    module = importlib.import_module("lcrplan.cli.app")
    for name in ("NO_COLOR", "COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(module, "_isatty", lambda: isatty)
    monkeypatch.setattr(module.sys.stdout, "isatty", lambda: isatty, raising=False)
    made = module.make_console()
    width = None if isatty or "COLUMNS" in env else 120
    rich = module._rich_console(width)
    if isinstance(made, module.PlainConsole):
        assert rich.color_system is None
        assert made.width == rich.width
    else:
        assert made.color_system == rich.color_system
