"""A command imports only what it uses (the floor of every command, BENCHMARKS.md): `--help`
needs neither pydantic nor rich nor Jinja; `status` on cached files needs no pydantic (the
cache holds the models, typer's options are converted without it), no YAML reader, and, when
its output has no colour, no rich console. Structural checks in a fresh process; no timing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .synth import generate

HEAVY = ("pydantic", "pydantic_core", "rich.console", "rich.text", "jinja2", "yaml", "ruamel")
HEAVY += (
    "openpyxl",
    "icalendar",
    "lcrplan.core.validation",
    "lcrplan.source.yamlio",
    "lcrplan.loader.checks",
)


def imported(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy modules a fresh `lcrplan ARGS` process imported (its exit code must be 0)."""
    report = tmp_path / "modules.txt"
    code = (
        "import sys\nfrom lcrplan.cli import run\ncode = run(sys.argv[2:])\n"
        "open(sys.argv[1], 'w').write('\\n'.join(sys.modules))\nsys.exit(code)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(report), *args],
        capture_output=True,
        text=True,
        env={**_env(), **(env or {})},
        check=False,
    )
    assert found.returncode == 0, found.stderr
    names = set(report.read_text().splitlines())
    return {name for name in HEAVY if name in names}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}


def test_help_imports_no_pydantic_rich_or_jinja(tmp_path):
    assert imported(tmp_path, "--help") == set()  # the commands under their task headings
    assert imported(tmp_path, "status", "--help") == set()
    assert imported(tmp_path, "version") == set()
    assert imported(tmp_path, "--version") == set()


@pytest.mark.skipif(sys.platform == "win32", reason="rich measures Windows consoles itself")
def test_a_cached_status_imports_no_pydantic_no_yaml_reader_and_no_rich_console(tmp_path):
    data = generate(tmp_path / "data", 12)
    args = ("status", "--data", str(data), "--as-of", "2026-01-15")
    cold = imported(tmp_path, *args, env={"NO_COLOR": "1"})
    assert {"pydantic", "yaml", "lcrplan.loader.checks"} <= cold
    assert imported(tmp_path, *args, env={"NO_COLOR": "1"}) == set()
    assert imported(tmp_path, *args) == set()  # not a terminal: no colour either
    assert imported(tmp_path, "overdue", *args[1:], env={"NO_COLOR": "1"}) == set()


def test_a_cached_status_as_json_needs_only_pydantics_core(tmp_path):
    data = generate(tmp_path / "data", 12)
    args = ("status", "--data", str(data), "--as-of", "2026-01-15", "--format", "json")
    imported(tmp_path, *args)
    assert imported(tmp_path, *args) == {"pydantic_core"}  # its JSON writer
