"""The documents are executed: every shell block of README.md, data/README.md and the README
that `lcrplan init` writes runs, command by command and in order, through the real `lcrplan` on
a copy of the repository (a git repository with an `origin`, as a user's clone is), and where a
block shows output (a ```console block: `$ command`, then what it prints) the output must be
what it shows. A command that fails, or prints something else, fails the test; so does a new
block the test cannot run, until it is listed in UNRUNNABLE with the reason. Every `Example:`
line of every command's `--help` runs the same way.

The commands run in bash (`set -o pipefail`), so pipes, `VAR=value` prefixes, redirections and
`&&` mean what they mean to a reader; `...` on a line of its own in shown output stands for
lines left out. The day is the README's (LCRPLAN_TODAY=2026-11-30), and tables are as wide as
on a terminal of 100 columns unless the command says otherwise (`COLUMNS=80 lcrplan ...`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from .conftest import REPO, git

pytestmark = pytest.mark.skipif(
    os.name == "nt" or shutil.which("bash") is None,
    reason="the documents' commands are POSIX shell (bash): CI runs them on Linux and macOS",
)

DOCUMENTS = ("README.md", "data/README.md", "lcrplan/scaffold/README.md")
"""The documents whose commands run: this repository's, its data's, and a data repository's."""
SHELLS = {"sh", "bash", "shell", "console", "powershell", "ps1", "pwsh", "bat", "cmd"}
"""Fenced blocks in these languages hold commands (powershell ones are listed as unrunnable)."""
TODAY = "2026-11-30"
"""The day the documents are written on: their shown output is as of it."""

UNRUNNABLE = {
    "make run": "creates .venv and installs lcrplan: the suite runs inside what it makes",
    "make test": "runs the whole suite, this test included",
    "python dev.py run": "Windows' way to `make run` (PowerShell): CI's Windows job runs it",
    "python dev.py test": "Windows' way to `make test` (PowerShell): CI's Windows job runs it",
    "python dev.py lint": "Windows' way to `make lint` (PowerShell): CI's Windows job runs it",
}
"""Commands shown in the documents that a test cannot run, each with the reason."""
EXIT = {"lcrplan validate --no-source": 1, "lcrplan overdue --within 60 --fail": 1}
"""Commands whose documented outcome is exit 1 (problems found); every other must exit 0."""


@dataclass(frozen=True)
class Command:
    """A command a document shows: where, the command line, and the output it shows (None
    where the block shows none: an `sh` block, or a help example)."""

    doc: str
    line: int
    text: str
    shown: tuple[str, ...] | None = None

    @property
    def key(self) -> str:
        """The command without its trailing comment: how the tables above name it."""
        return re.sub(r"\s+#.*$", "", self.text).strip()


def fenced_blocks(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line of the opening fence, language, lines) of every fenced block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^(\s*)(```+)(\S*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        fence, lang, start = opening.group(2), opening.group(3).lower(), i
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][len(opening.group(1)) :])
            i += 1
        yield start + 1, lang, body
        i += 1


def commands_in(doc: str, text: str | None = None) -> list[Command]:
    """Every command of the document's shell blocks, in order."""
    text = (REPO / doc).read_text(encoding="utf-8") if text is None else text
    found: list[Command] = []
    for line, lang, body in fenced_blocks(text):
        if lang not in SHELLS:
            continue
        if lang == "console":
            found += _console(doc, line, body)
            continue
        for n, raw in enumerate(_joined(body)):
            if raw.strip() and not raw.lstrip().startswith("#"):
                found.append(Command(doc, line + 1 + n, raw.strip()))
    return found


def _joined(lines: list[str]) -> list[str]:
    """Lines with their `\\` continuations joined."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1] + " " + line.strip()
        else:
            out.append(line)
    return out


def _console(doc: str, line: int, body: list[str]) -> list[Command]:
    """A console block: `$ command` lines, each followed by the output it shows."""
    found: list[Command] = []
    text, shown, at = None, [], line
    for n, raw in enumerate(body):
        if raw.startswith("$ "):
            if text is not None:
                found.append(Command(doc, at, text, tuple(shown)))
            text, shown, at = raw[2:].strip(), [], line + 1 + n
        elif text is not None:
            shown.append(raw)
    if text is not None:
        found.append(Command(doc, at, text, tuple(shown)))
    return found


# --- preparations: what the text says happened before a command ---------------------------------


@contextlib.contextmanager
def three_mistakes(repo: Path) -> Iterator[None]:
    """ "after mistyping a key, a date and an owner in one KPI": the KPI the README shows, with
    those mistakes, for the one command; then the file as it was."""
    path = repo / "data" / "creative-industries" / "investment.yaml"
    before = path.read_bytes()
    text = before.decode("utf-8")
    kpi = text.index("      - id: ci-inv-3-people\n")
    start = text.index("        target: 1000\n", kpi)
    direction = "        direction: increase\n"
    after = text.index(direction, kpi) + len(direction)
    mistaken = (
        text[:start]
        + "        traget: 1000\n"
        + text[start + len("        target: 1000\n") : after]
        + "        owner: ci-bord\n        start: 2026-02-30\n"
        + text[after:]
    )
    path.write_text(mistaken, encoding="utf-8")
    try:
        yield
    finally:
        path.write_bytes(before)


@contextlib.contextmanager
def a_return_filled_in(repo: Path) -> Iterator[None]:
    """ "Owners fill in the shaded columns ... and send the file back": the Music Export
    group's return, a reading and an update filled in, as Excel saves it."""
    import openpyxl

    path = repo / "returns" / "2026-11" / "mb-export.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    goal = next(k for k, row in rows.items() if row[header.index("type")].value == "goal")
    update = rows[goal]
    update[header.index("rag")].value = "amber"
    update[header.index("summary")].value = "Met the Music Export Office team"
    update[header.index("by")].value = "Jennifer Johnston"  # a name, as an owner writes it
    book.save(path)
    yield


PREPARE: dict[str, Callable[[Path], contextlib.AbstractContextManager[None]]] = {
    "lcrplan validate --no-source": three_mistakes,
    "lcrplan import returns/2026-11 --dry-run": a_return_filled_in,
}
"""What the text says happened before a command, done by the test."""


# --- running ------------------------------------------------------------------------------------


class Shell:
    """bash in a folder, with lcrplan on PATH, the documents' day, a home of its own (where
    `--install-completion` writes) and a git identity."""

    def __init__(self, cwd: Path, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.cwd = cwd
        self.home = home
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("COLUMNS", "LINES", "LCRPLAN_DATA", "NO_COLOR", "FORCE_COLOR")
        }
        env.update(
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
            HOME=str(home),
            LCRPLAN_TODAY=TODAY,
            COLUMNS="100",  # tables as a terminal 100 columns wide shows them
            PYTHONUNBUFFERED="1",  # stdout and stderr in the order a terminal shows them
            GIT_AUTHOR_NAME="Secretariat",
            GIT_AUTHOR_EMAIL="secretariat@example.org",
            GIT_COMMITTER_NAME="Secretariat",
            GIT_COMMITTER_EMAIL="secretariat@example.org",
            GIT_CONFIG_NOSYSTEM="1",
        )
        self.env = env

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        # A script file, not `bash -c`: bash -c replaces itself with a lone command, and then
        # `--install-completion` looks for the user's shell above it and finds whatever ran the
        # tests (`sh` under make in CI). Run from a file, bash stays the command's parent, as a
        # user's shell is.
        script = self.home / ".command.sh"
        script.write_text(command + "\n", encoding="utf-8")
        return subprocess.run(
            ["bash", "-o", "pipefail", str(script)],
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=300,
        )


def check(command: Command, shell: Shell) -> str | None:
    """Run one command as the document shows it; None if it did what the document says, else
    what went wrong."""
    if command.key in UNRUNNABLE:
        return None
    prepare = PREPARE.get(command.key)
    with prepare(shell.cwd) if prepare else contextlib.nullcontext():
        done = shell.run(command.text)
    where = f"{command.doc}:{command.line}: $ {command.text}"
    expected = EXIT.get(command.key, 0)
    if done.returncode != expected:
        return f"{where}\nexited {done.returncode}, not {expected}:\n{done.stdout}"
    if command.shown is not None and not matches(command.shown, done.stdout.splitlines()):
        shown = "\n".join(command.shown)
        return f"{where}\nprinted:\n{done.stdout}\nwhere the document shows:\n{shown}"
    return None


def matches(shown: tuple[str, ...], printed: list[str]) -> bool:
    """Whether the output printed is what the document shows: line for line (trailing spaces
    aside), a line `...` standing for any lines left out."""
    pattern = "".join(
        "(?:[^\\n]*\\n)*?" if line.strip() == "..." else re.escape(line.rstrip()) + "\\n"
        for line in shown
    )
    text = "".join(line.rstrip() + "\n" for line in printed)
    return re.fullmatch(pattern, text) is not None


def repository(tmp_path: Path) -> Path:
    """A copy of the repository as a user's clone has it: the data, templates, reports and
    workflows, committed on `main` and pushed to an `origin`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    skip = shutil.ignore_patterns(".lcrplan-cache", "__pycache__")
    for name in ("data", "templates", "reports", ".github"):
        shutil.copytree(REPO / name, repo / name, ignore=skip)
    for name in (".gitignore", "README.md"):
        shutil.copy2(REPO / name, repo / name)
    return _published(repo, tmp_path)


def data_repository(tmp_path: Path) -> Path:
    """A data repository as `lcrplan init` makes it, in git, with an `origin`."""
    repo = tmp_path / "plans"
    done = Shell(tmp_path, tmp_path / "home").run(f"lcrplan init {repo.name}")
    assert done.returncode == 0, done.stdout
    return _published(repo, tmp_path)


def _published(repo: Path, tmp_path: Path) -> Path:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The plans")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "-u", "origin", "main")
    return repo


SETUP = {"lcrplan/scaffold/README.md": data_repository}


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_command_in_the_documents_runs_as_written(doc: str, tmp_path: Path) -> None:
    repo = SETUP.get(doc, repository)(tmp_path)
    shell = Shell(repo, tmp_path / "home")
    commands = commands_in(doc)
    assert commands, f"{doc} shows no command"
    failures = [f for f in (check(c, shell) for c in commands) if f]
    assert not failures, "\n\n".join(failures)
    # what lcrplan leaves beside a data file (its lock, a staged copy) is never committed by
    # the `git add data returns` the README shows: the .gitignore keeps it out
    tracked = git(repo, "ls-files").split()
    untracked = git(repo, "ls-files", "--others", "--exclude-standard").split()
    assert not [p for p in [*tracked, *untracked] if p.endswith((".lock", ".tmp"))]


def test_the_tables_name_only_commands_the_documents_show() -> None:
    shown = {c.key for doc in DOCUMENTS for c in commands_in(doc)}
    examples = {c.key for c in help_examples()}
    for table in (UNRUNNABLE, PREPARE):
        assert set(table) <= shown, set(table) - shown
    assert set(EXIT) <= shown | examples, set(EXIT) - shown - examples


def test_a_wrong_command_or_a_drifted_output_fails_the_check(tmp_path: Path) -> None:
    shell = Shell(repository(tmp_path), tmp_path / "home")
    status = next(c for c in commands_in("README.md") if c.key.startswith("lcrplan status --plan"))
    assert check(status, shell) is None  # the block as written passes...
    typo = replace(status, text=status.text.replace("--status", "--stauts"))
    assert "exited 2, not 0" in (check(typo, shell) or "")  # ...a mistyped option fails it
    later = replace(status, text=status.text.replace("2026-11-21", "2026-11-30"))
    assert "where the document shows" in (check(later, shell) or "")  # ...and so does drift
    drifted = replace(status, shown=(status.shown or ())[:-1] + ("Something else.",))
    assert "where the document shows" in (check(drifted, shell) or "")
    new = Command("README.md", 1, "lcrplan-desktop --open")  # a block no test can run
    assert "exited 127" in (check(new, shell) or "")


def test_console_blocks_are_read_as_commands_and_their_output() -> None:
    text = "Intro\n\n```console\n$ lcrplan a\none\n...\n$ lcrplan b\n```\n\n```yaml\nx: 1\n```\n"
    found = commands_in("doc.md", text)
    assert found == [
        Command("doc.md", 4, "lcrplan a", ("one", "...")),
        Command("doc.md", 7, "lcrplan b", ()),
    ]
    assert matches(("one", "...", "four"), ["one", "two", "three", "four"])
    assert matches(("one", "..."), ["one"])
    assert not matches(("one", "four"), ["one", "two", "four"])


# --- the examples in --help ----------------------------------------------------------------------


def help_examples() -> list[Command]:
    """Every `Example:` line of every command's help, in the order the help lists them."""
    from typer.testing import CliRunner

    from lcrplan.cli import app
    from lcrplan.cli.app import PANELS

    runner = CliRunner()
    found = []
    for _, names in PANELS:
        for name in names:
            text = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).output
            for example in re.findall(r"^\s*Example: (lcrplan .+)$", text, re.MULTILINE):
                found.append(Command(f"lcrplan {name} --help", 0, example.strip()))
    return found


def test_every_help_example_runs(tmp_path: Path) -> None:
    examples = help_examples()
    names = {c.text.split()[1] for c in examples}
    from lcrplan.cli.app import PANELS

    assert names == {n for _, group in PANELS for n in group}  # one example at least each
    shell = Shell(repository(tmp_path), tmp_path / "home")
    failures = [f for f in (check(c, shell) for c in examples) if f]
    assert not failures, "\n\n".join(failures)
