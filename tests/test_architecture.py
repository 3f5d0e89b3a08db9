"""Every module is in a stage of the pipeline, a package; a package imports only the packages
below it; there is no import cycle between modules (imports inside functions and under
TYPE_CHECKING count); each library has one home."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lcrplan"

# The stages of the pipeline, bottom first, each a package, and the packages its modules may
# import besides their own: data/*.yaml -> source (files, YAML, git) -> loader (a validated data
# set) -> evaluate (the scorecard at a date) -> views (plain records) -> emit (bytes out);
# edits change data files; api is the library's use cases, cli the command line over them.
# Nothing imports a package above it, so the table is a partial order (checked below).
LAYERS = {
    "core": "",
    "source": "core",
    "loader": "core source",
    "evaluate": "core source loader",
    "views": "core source loader evaluate",
    "emit": "core source loader evaluate views",
    "edits": "core source loader evaluate emit",
    "api": "core source loader evaluate views emit edits",
    "cli": "core source loader evaluate views emit edits api",
}
MAY_IMPORT = {package: set(below.split()) for package, below in LAYERS.items()}
# The package itself (`lcrplan`: its version and the public API, reached lazily) and
# `python -m lcrplan`.
TOP = {"__init__": {"core", "api"}, "__main__": {"cli"}}

# Which modules may import a library.
HOMES = {
    "yaml": {"source.yamlio", "source.yaml_problems"},
    "ruamel": {"source.yamlio", "edits.file_edit"},
    "jinja2": {"emit.templating", "emit.sandbox", "emit.template_filters"},
    "openpyxl": {"source.sheets", "source.sheet_checks"},
    "icalendar": {"emit.ics"},
    "typer": {"cli", "cli.*"},
    "click": {"cli", "cli.*"},
    "rich": {"emit.grid", "emit.terminal", "cli.app", "cli.plain"},
    # pydantic validates where data comes in; a run from the cache never imports it
    "pydantic": {"core.validation", "core.model_base", "loader.validate", "emit.json_csv"},
    "pydantic_core": {"core.model_base", "loader.pydantic_errors", "core.formatting"},
}


def at_home(name: str, homes: set[str]) -> bool:
    """Whether module `name` is one of `homes` (`cli.*`: any module of the package `cli`)."""
    return name in homes or any(h.endswith(".*") and name.startswith(h[:-1]) for h in homes)


# Secretariat laptops run Windows: none of these may be on any command's path.
POSIX_ONLY = {"fcntl", "resource", "pwd", "grp", "termios", "tty", "pty", "posix", "crypt", "nis"}
POSIX_ONLY |= {"syslog", "spwd", "readline", "curses"}


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """`cli/app.py` -> `cli.app`; a package is its folder's name (`cli`), the top one `__init__`."""
    parts = list(path.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def find_modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every Python module of the package by name (the scaffold data folder holds none)."""
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def imports(path: Path, package: Path = PACKAGE) -> tuple[set[str], set[str]]:
    """(lcrplan modules, top-level libraries) that the module imports anywhere in its code: at
    the top, inside functions, and under TYPE_CHECKING."""
    known = find_modules(package)
    here = module_name(path, package)
    inside = list(path.relative_to(package).parent.parts)  # the package `.` stands for
    own: set[str] = set()
    libraries: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            libraries.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = inside[: len(inside) - (node.level - 1)]
            base += node.module.split(".") if node.module else []
            for alias in node.names:
                submodule = ".".join([*base, alias.name])
                own.add(submodule if submodule in known else ".".join(base) or "__init__")
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top == "lcrplan":
                own.add(node.module.removeprefix("lcrplan").lstrip(".") or "__init__")
            else:
                libraries.add(top)
    own.discard(here)
    return own, libraries


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module and the lcrplan modules it imports."""
    return {name: imports(path, package)[0] for name, path in find_modules(package).items()}


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the modules on it (each found once, from a depth-first walk)."""
    found: list[list[str]] = []
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> Iterator[list[str]]:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                yield [*stack[stack.index(nxt) :], nxt]
            elif nxt not in state:
                yield from visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            found.extend(visit(node))
    return found


def package_of(name: str) -> str:
    """The stage a module belongs to: its package, or the one a module still flat joins."""
    if name in TOP:
        return name
    return name.split(".")[0]


SOURCES = sorted(find_modules().items())


def test_the_layers_are_a_partial_order():
    """No package may import one that may import it, however indirectly."""
    assert cycles(MAY_IMPORT) == []
    assert {package_of(name) for name, _ in SOURCES} - TOP.keys() <= set(MAY_IMPORT)


def test_every_module_is_in_a_stage():
    for name, _ in SOURCES:
        assert package_of(name) in MAY_IMPORT.keys() | TOP.keys(), f"{name}: in no stage"


@pytest.mark.parametrize(("name", "path"), SOURCES, ids=[name for name, _ in SOURCES])
def test_imports_only_packages_below_its_own(name, path):
    own, _ = imports(path)
    mine = package_of(name)
    allowed = TOP.get(mine) or MAY_IMPORT[mine] | {mine}
    wrong = sorted(m for m in own if package_of(m) not in allowed)
    assert wrong == [], f"{name} ({mine}) imports {wrong}; {mine} may import {sorted(allowed)}"


def test_no_import_cycle():
    edges = graph()
    assert cycles(edges) == []


def test_the_cycle_check_finds_cycles_through_lazy_imports(tmp_path):
    """The checks above must be able to fail: a cycle made only by an import inside a
    function, in a copy of a tiny package, is found."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def later():\n    from .sub.c import thing\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("from ..a import x\n")
    edges = graph(package)
    assert edges["a"] == {"b"} and edges["b"] == {"sub.c"} and edges["sub.c"] == {"a"}
    assert cycles(edges) == [["a", "b", "sub.c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize(("name", "path"), SOURCES, ids=[name for name, _ in SOURCES])
def test_libraries_stay_in_their_home(name, path):
    _, libraries = imports(path)
    for library, homes in HOMES.items():
        if library in libraries:
            assert at_home(name, homes), f"{name} imports {library}; only {sorted(homes)} may"


@pytest.mark.parametrize(("name", "path"), SOURCES, ids=[name for name, _ in SOURCES])
def test_no_posix_only_module_is_imported(name, path):
    _, libraries = imports(path)
    assert not libraries & POSIX_ONLY, f"{name} imports {libraries & POSIX_ONLY}"


def test_no_two_modules_define_the_same_public_class():
    """A public class name means one thing across the package (a reader, a template's author,
    a type checker's message): no two modules define it."""
    where: dict[str, list[str]] = {}
    for name, path in SOURCES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where.setdefault(node.name, []).append(name)
    twice = {cls: sorted(modules) for cls, modules in where.items() if len(modules) > 1}
    assert twice == {}


def test_no_test_module_imports_another():
    """Tests share their helpers through conftest.py and tests/helpers/, never by importing
    another test module (a test module's names are its tests' own)."""
    tests = Path(__file__).resolve().parent
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                last = node.module.split(".")[-1]
                if last.startswith("test_"):
                    found.append(f"{path.relative_to(tests)} imports {node.module}")
            elif isinstance(node, ast.Import):
                found += [
                    f"{path.relative_to(tests)} imports {a.name}"
                    for a in node.names
                    if a.name.split(".")[-1].startswith("test_")
                ]
    assert found == []
