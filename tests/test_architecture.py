"""Dependencies point down the pipeline, and each third-party library has one home."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lcrplan"

# Which modules may import a library (anything under lcrplan/cli counts as "cli").
HOMES = {
    "yaml": {"yamlio"},
    "ruamel": {"yamlio", "edit"},
    "jinja2": {"templating"},
    "typer": {"cli"},
    "click": {"cli"},
}
# Stages that must not import later stages (or the CLI).
NOT_UPWARDS = {
    "errors": {"models", "load", "evaluate", "render", "cli", "yamlio"},
    "models": {"load", "evaluate", "render", "cli", "yamlio"},
    "yamlio": {"load", "evaluate", "render", "cli", "models"},
    "load": {"evaluate", "render", "cli", "report", "templating"},
    "evaluate": {"load", "render", "cli", "yamlio", "report", "templating"},
    "render": {"load", "cli", "yamlio"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    return "cli" if rel.parts[0] == "cli" else rel.parts[0]


def imports(path: Path) -> set[str]:
    """Top-level names of everything the module imports (lcrplan modules without the prefix)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: lcrplan's own modules
                base = (node.module or "").split(".")[0]
                names = [base] if base else [a.name for a in node.names]
                found.update(f"lcrplan.{n}" for n in names)
            elif node.module:
                found.add(node.module.split(".")[0])
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_libraries_stay_in_their_home(path):
    name = module_name(path)
    for library, homes in HOMES.items():
        if library in imports(path):
            assert name in homes, f"{name} imports {library}; only {sorted(homes)} may"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stages_do_not_import_later_stages(path):
    name = module_name(path)
    own = {i.removeprefix("lcrplan.") for i in imports(path) if i.startswith("lcrplan.")}
    assert not own & NOT_UPWARDS.get(name, set()), f"{name} imports {own & NOT_UPWARDS[name]}"
    if name not in ("cli", "__main__"):
        assert "cli" not in own, f"{name} imports the CLI"


# Secretariat laptops run Windows: none of these may be on any command's path.
POSIX_ONLY = {"fcntl", "resource", "pwd", "grp", "termios", "tty", "pty", "posix", "crypt", "nis"}
POSIX_ONLY |= {"syslog", "spwd", "readline", "curses"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_posix_only_module_is_imported(path):
    assert not imports(path) & POSIX_ONLY, f"{path.name} imports {imports(path) & POSIX_ONLY}"
