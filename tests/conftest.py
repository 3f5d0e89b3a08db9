"""Shared test helpers: write a data tree into tmp_path, run the CLI as a user would."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from lcrplan.cli import app

pytest_plugins = ("tests.helpers.browser",)  # the `browser` fixture (real Chromium)

settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("long", max_examples=10_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# No test depends on the day it runs: every command reads "today" from LCRPLAN_TODAY, set here
# for the whole run (and for the commands tests start in subprocesses). `make test-clock` sets it,
# and the real clock, to a year ahead, and the suite must still pass: a test whose expectations
# depend on the day gives its dates (--as-of, --month, --date) or sets LCRPLAN_TODAY itself.
os.environ.setdefault("LCRPLAN_TODAY", "2026-11-30")
TODAY = dt.date.fromisoformat(os.environ["LCRPLAN_TODAY"])
"""The day the commands take as today in this run."""

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SOURCES = REPO.parent / "shared" / "sources"

MINIMAL = {
    "lcrplan.yaml": "due_soon_days: 30\nstale_days: 92\n",
    "sources.yaml": """
        sources:
          - id: doc
            title: A plan document
        boards:
          - id: board
            name: The Board
            chairs: [chair]
        people:
          - id: chair
            name: Ann Chair
        groups:
          - id: grp
            name: A Group
            board: board
            chairs: [chair]
        """,
    "plan.yaml": """
        plan:
          id: plan
          title: The Plan
          board: board
          start: 2020-01-01
          end: 2028-12-31
          source: {document: doc}
        """,
}


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> YAML text, dedented) under `root`; return `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def symlink(link: Path, target: str | Path, target_is_directory: bool = False) -> None:
    """Make `link` point to `target`, or skip the test where the system refuses symbolic links
    (Windows without Developer Mode or the right: WinError 1314)."""
    try:
        link.symlink_to(target, target_is_directory=target_is_directory)
    except (OSError, NotImplementedError) as exc:
        pytest.skip(f"this system does not let the tests create symbolic links: {exc}")


def git(repo: Path, *args: str, stdin: str | None = None, date: str | None = None) -> str:
    """Run git in `repo` with a fixed identity (and `date` as the author's and committer's
    date, where given); `stdin` is its input; return its output, stripped. The one git helper
    of the tests."""
    config = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    config += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
    done = subprocess.run(
        ["git", *config, "-C", str(repo), *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str | bytes], message: str = "data") -> str:
    """Replace repo/data with `files`, commit everything, return the commit id."""
    replace_data(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def replace_data(repo: Path, files: dict[str, str | bytes]) -> Path:
    """Make repo/data hold exactly `files`."""
    data = repo / "data"
    if data.exists():
        for path in sorted(data.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    return write_tree(data, files)


def count_parses(monkeypatch) -> list[str]:
    """The files the YAML reader parses from now on (their relative names, in order)."""
    from lcrplan.source import yamlio

    parsed: list[str] = []
    real = yamlio.parse

    def spy(text, rel, *limits):
        parsed.append(rel)
        return real(text, rel, *limits)

    monkeypatch.setattr(yamlio, "parse", spy)
    return parsed


def theme_file(goals_yaml: str, theme_id: str = "theme") -> str:
    """A theme file in plan `plan` holding the given (dedented) goals list."""
    body = textwrap.indent(textwrap.dedent(goals_yaml).strip("\n"), "  ")
    return (
        f"theme:\n  id: {theme_id}\n  plan: plan\n  title: A theme\n  group: grp\n"
        f"  source: {{document: doc}}\ngoals:\n{body}\n"
    )


@pytest.fixture(autouse=True, scope="session")
def user_cache(tmp_path_factory) -> Path:
    """The user's cache folder (compiled templates) is a temporary one for the whole run."""
    folder = tmp_path_factory.mktemp("user-cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid minimal data directory at tmp_path/data (a board, a group, a plan)."""
    return write_tree(tmp_path / "data", MINIMAL)


class Run:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):
        return self.runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture
def run() -> Run:
    """Invoke the real CLI in-process: `run("status", "--data", d)`."""
    return Run()


@pytest.fixture(scope="session")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The file names inside a wheel built from a copy of this source tree: built once a
    session, for every test of what ships."""
    import shutil
    import sys
    import zipfile

    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    skip = shutil.ignore_patterns("__pycache__", ".lcrplan-cache")
    shutil.copytree(REPO / "lcrplan", src / "lcrplan", symlinks=True, ignore=skip)
    shutil.copytree(REPO / "templates", src / "templates")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation"]
        + ["-q", "-w", str(tmp / "dist")],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = (tmp / "dist").glob("lcrplan-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())
