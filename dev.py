"""The project's everyday commands, with or without make: `make run` and `make test` call this,
and on Windows, where Git Bash has no make, run it with any Python 3.11 or newer:

    python dev.py run        create .venv, install from the lock, run `lcrplan status` on data/
    python dev.py test       install, then run the whole test suite
    python dev.py test-fast  the suite without the tests marked slow
    python dev.py lint       ruff check, ruff format --check, mypy
    python dev.py install    create .venv and install from the lock (only when it changed)

(`py -3 dev.py test` with the Python launcher.) Arguments after the command go to pytest:
`python dev.py test tests/test_cli.py -x`. `-n` prints the commands without running them.
Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
LOCK = Path("requirements") / "dev.txt"
PIP = [str(PYTHON), "-m", "pip", "--disable-pip-version-check"]
DRY_RUN = False


def call(*args: str | Path) -> None:
    """Run a command in the project folder; stop with its exit code if it fails."""
    words = [str(a) for a in args]
    if DRY_RUN:
        print(shlex.join(words))
        return
    code = subprocess.call(words, cwd=ROOT)
    if code:
        sys.exit(code)


def install(*_: str) -> None:
    """`.venv` with the locked packages and lcrplan (editable); again only when the lock or
    pyproject.toml changed since."""
    inputs = [ROOT / "pyproject.toml", ROOT / LOCK]
    fresh = STAMP.exists() and all(STAMP.stat().st_mtime >= p.stat().st_mtime for p in inputs)
    if fresh and not DRY_RUN:
        return
    if DRY_RUN or not PYTHON.exists():
        call(sys.executable, "-m", "venv", VENV)
    call(*PIP, "install", "--quiet", "--quiet", "--require-hashes", "--no-deps", "-r", LOCK)
    call(*PIP, "install", "--quiet", "--no-deps", "--no-build-isolation", "--editable", ".")
    call(PYTHON, "-m", "compileall", "-q", "lcrplan")  # reused where PYTHONDONTWRITEBYTECODE
    if not DRY_RUN:
        STAMP.touch()


def run(*_: str) -> None:
    install()
    call(PYTHON, "-m", "lcrplan", "status", "--data", "data")


def test(*args: str) -> None:
    install()
    call(PYTHON, "-m", "pytest", "-q", *args)


def test_fast(*args: str) -> None:
    install()
    call(PYTHON, "-m", "pytest", "-q", "-m", "not slow", *args)


def lint(*_: str) -> None:
    install()
    call(PYTHON, "-m", "ruff", "check", "lcrplan", "tests", "dev.py")
    call(PYTHON, "-m", "ruff", "format", "--check", "lcrplan", "tests", "dev.py")
    call(PYTHON, "-m", "mypy", "lcrplan")


COMMANDS: dict[str, Callable[..., None]] = {
    "install": install,
    "run": run,
    "test": test,
    "test-fast": test_fast,
    "lint": lint,
}


def main(argv: Sequence[str]) -> int:
    global DRY_RUN
    args = list(argv)
    if args[:1] == ["-n"]:
        DRY_RUN = True
        args = args[1:]
    if not args or args[0] not in COMMANDS:
        sys.stderr.write(f"usage: python dev.py [-n] {{{','.join(COMMANDS)}}} [ARGS...]\n")
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 (whichever Python runs this may be older)
        sys.stderr.write(f"dev.py: lcrplan needs Python 3.11 or newer, not {sys.version}\n")
        return 1
    COMMANDS[args[0]](*args[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
