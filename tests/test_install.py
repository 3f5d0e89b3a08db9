"""Installing: a lock that pins every package by version and hash, a Makefile whose targets all
exist, and the environment under test is the locked one (so `make test` means the same thing on
every machine, any day)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from .conftest import REPO

LOCKS = {name: REPO / "requirements" / f"{name}.txt" for name in ("runtime", "dev", "release")}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ;[^\\]*)? \\$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lock: Path) -> dict[str, str]:
    """Package -> version for every requirement in a lock file, checking each carries hashes."""
    lines = lock.read_text(encoding="utf-8").splitlines()
    pins: dict[str, str] = {}
    for number, line in enumerate(lines):
        if not line or line.startswith((" ", "#")):
            continue
        match = PIN.match(line)
        assert match, f"{lock.name}:{number + 1}: not an exact pin: {line}"
        assert lines[number + 1].strip().startswith("--hash=sha256:"), f"{lock.name}: {line}"
        pins[_canonical(match[1])] = match[2]
    return pins


def _requirement_names(specs: list[str]) -> set[str]:
    return {_canonical(re.split(r"[<>=!~;\[ ]", spec, maxsplit=1)[0]) for spec in specs}


PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(
    ("lock", "extras"), [("runtime", ()), ("dev", ("dev", "xlsx")), ("release", ("release",))]
)
def test_each_lock_pins_every_requirement_with_hashes(lock: str, extras: tuple[str, ...]) -> None:
    pins = _pins(LOCKS[lock])
    wanted = _requirement_names(PROJECT["dependencies"])
    for extra in extras:  # the dev lock holds the xlsx extra, so the tests run it
        wanted |= _requirement_names(PROJECT["optional-dependencies"][extra])
    assert wanted <= set(pins), f"not in {lock}.txt: {sorted(wanted - set(pins))}"


def test_the_locks_agree_on_every_package_they_share() -> None:
    runtime, dev, release = (_pins(LOCKS[name]) for name in ("runtime", "dev", "release"))
    for other in (dev, release):
        assert {n: v for n, v in other.items() if n in runtime} == runtime


def test_the_tests_run_on_the_locked_versions() -> None:
    # `make install` installs requirements/dev.txt; this catches a venv installed another way
    # (the weekly job runs the suite on the newest releases, with LCRPLAN_UNLOCKED=1).
    if os.environ.get("LCRPLAN_UNLOCKED"):
        pytest.skip("running against the newest releases on purpose (make test-newest)")
    pins = _pins(LOCKS["dev"])
    for name in sorted(_requirement_names(PROJECT["dependencies"])):
        assert metadata.version(name) == pins[name], name


def test_the_security_floor_on_jinja_is_stated() -> None:
    (jinja,) = [d for d in PROJECT["dependencies"] if d.lower().startswith("jinja2")]
    assert ">=3.1.6" in jinja  # 3.1.5: sandbox escape through attr("format"), CVE-2025-27516
    assert tuple(map(int, _pins(LOCKS["runtime"])["jinja2"].split("."))) >= (3, 1, 6)


def _makefile_targets() -> tuple[list[str], set[str]]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    (phony,) = re.findall(r"^\.PHONY:(.*)$", text, re.M)
    defined = set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))
    return phony.split(), defined


def test_every_phony_target_exists_and_runs_dry() -> None:
    phony, defined = _makefile_targets()
    assert not set(phony) - defined, "declared in .PHONY but missing"
    for target in phony:
        dry = subprocess.run(
            ["make", "-n", target], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert dry.returncode == 0, f"make -n {target}: {dry.stderr}"


def test_install_uses_the_lock_and_nothing_unpinned() -> None:
    """What `make install` and `python dev.py install` run (`-n`: print, do not run)."""
    assert (
        subprocess.run(
            ["make", "--no-print-directory", "-n", "install", "PYTHON=python3"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "python3 dev.py install"
    )
    dry = subprocess.run(
        [sys.executable, "dev.py", "-n", "install"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = dry.stdout.splitlines()
    assert lines[0].endswith(" -m venv " + str(REPO / ".venv"))
    pip_lines = [line for line in lines if " -m pip " in line]
    assert len(pip_lines) == 2, dry.stdout
    for line in pip_lines:
        assert "--no-deps" in line and "--upgrade" not in line, line
        locked = "--require-hashes" in line and "-r requirements/dev.txt" in line
        assert locked or line.endswith("--editable ."), line


def test_ci_runs_the_readme_commands() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script and "make lint" in script
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make run" in readme
