"""The library: `import lcrplan` is cheap, its names are found on first use, and the README's
example runs as written, writing nothing into the data folder and giving the numbers the
command line gives."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lcrplan

from .conftest import DATA, REPO


def _example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using lcrplan from Python\n", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    return code


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_readme_example_runs_writes_nothing_and_agrees_with_the_command_line(
    run, tmp_path, monkeypatch
) -> None:
    skip = shutil.ignore_patterns(".lcrplan-cache")
    data = Path(shutil.copytree(DATA, tmp_path / "data", ignore=skip))
    before = _files(data)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_example(), "README.md", "exec"), {})  # noqa: S102
    assert _files(data) == before  # no cache, no lock, nothing
    printed = out.getvalue().splitlines()
    args = ("--data", data, "--as-of", "2026-11-30", "--format", "json", "--no-cache")
    cli = json.loads(run("status", *args).stdout)
    counts = ", ".join(f"{n} {s}" for s, n in cli["summary"]["by_status"].items() if n)
    assert printed[1] == f"{cli['summary']['items']} items: {counts}"
    overdue = [i["id"] for i in cli["items"] if i["status"] == "overdue"]
    assert overdue and printed[2] == "overdue: " + " ".join(overdue)
    assert printed[3].startswith("# ")


def test_import_lcrplan_imports_none_of_the_library_behind_it() -> None:
    heavy = ("lcrplan.", "pydantic", "yaml", "jinja2", "rich")
    code = f"import sys, lcrplan; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(found.stdout.replace("'", '"')) == ["lcrplan.core", "lcrplan.core.version"]


def test_every_public_name_is_there_typed_and_found_once() -> None:
    assert (Path(lcrplan.__file__).parent / "py.typed").is_file()
    for name in lcrplan.__all__:
        assert getattr(lcrplan, name) is getattr(lcrplan, name), name
    assert set(lcrplan.__all__) <= set(dir(lcrplan))
    assert set(lcrplan.__all__) == {"__version__", *lcrplan._HOMES}  # noqa: SLF001
    assert lcrplan.load.__module__ == "lcrplan.api.reading"
    try:
        lcrplan.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name was found")


def test_load_with_no_day_judges_nothing_against_one_and_writes_nothing(tmp_path) -> None:
    """`lcrplan.load("data")` as the issue writes it: no day, no clock read; a reading dated
    after a day given is an error only when a day is given; a cache needs the day."""
    data = tmp_path / "data"
    shutil.copytree(REPO / "lcrplan" / "scaffold" / "data", data)
    skills = data / "example" / "skills.yaml"
    first = '          - {date: 2025-06-30, value: 350, note: "First two cohorts"}\n'
    later = first + "          - {date: 2026-12-20, value: 400}\n"
    skills.write_text(skills.read_text(encoding="utf-8").replace(first, later), encoding="utf-8")
    before = _files(data)
    undated = lcrplan.load(data)
    assert [p.code for p in undated.errors] == []
    dated = lcrplan.load(data, today=dt.date(2026, 11, 30))
    assert [p.code for p in dated.errors] == ["LCR403"]
    assert _files(data) == before
    with pytest.raises(lcrplan.BadArgument) as refused:
        lcrplan.load(data, cache=True)
    assert refused.value.about == "today"
    assert _files(data) == before


def test_statuses_narrow_to_an_owner_and_statuses_as_the_status_command_does(run) -> None:
    day = dt.date(2026, 11, 30)
    loaded = lcrplan.load(DATA, today=day)
    everything = lcrplan.statuses(loaded, as_of=day).items
    owner = next(i.owner for i in everything if i.owner and i.status != "on-track")
    wanted = sorted({i.status for i in everything if i.owner == owner})[:1]
    card = lcrplan.statuses(loaded, as_of=day, owner=owner, status=wanted)
    args = ("--data", DATA, "--as-of", "2026-11-30", "--format", "json", "--no-cache")
    cli = json.loads(run("status", *args, "--owner", owner, "--status", wanted[0]).stdout)
    assert [i.id for i in card.items] == [i["id"] for i in cli["items"]]
    assert card.items and len(card.items) < len(everything)
    with pytest.raises(lcrplan.BadArgument) as refused:
        lcrplan.statuses(loaded, as_of=day, owner="no-such-owner")
    assert refused.value.about == "owner"


def test_an_unknown_goal_is_about_goal_id_and_the_command_line_names_its_argument(
    run, tmp_path
) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    with pytest.raises(lcrplan.BadArgument) as refused:
        lcrplan.set_state(data, "no-such-goal", "paused", today=dt.date(2026, 11, 30), reason="x")
    assert refused.value.about == "goal_id"
    env = {"LCRPLAN_TODAY": "2026-11-30"}
    for argv in (["set-state", "no-such-goal", "paused", "--reason", "x"], ["done", "no-such"]):
        result = run(*argv, "--data", data, env=env)
        assert result.exit_code == 2
        assert "Invalid value for ID: no " in result.output
