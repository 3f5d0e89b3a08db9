"""Every module has a place in the pipeline, dependencies point down it, there is no import cycle
(imports inside functions and under TYPE_CHECKING count), and each library has one home."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lcrplan"

# Each module of lcrplan and the lcrplan modules it may import, stage by stage down the pipeline
# (data/*.yaml -> load -> evaluate -> render; cli on top). A new module fails the test until it
# is placed here; `__init__` is the package itself (its version).
PLACES = {
    # foundations: no lcrplan import, or only each other
    "__init__": "",
    "textsafe": "",
    "fileio": "",
    "kinds": "",
    "statuses": "",
    "linediff": "",
    "codes": "",
    "errors": "codes textsafe",
    "text": "statuses",
    "models": "kinds textsafe validation",
    "validation": "",
    # reading: YAML, schemas, look-ups, git
    "yamlio": "errors",
    "index": "errors models",
    "schema": "fileio kinds models text",
    "gitio": "textsafe",
    "history": "diff gitio kinds load models",
    # load: files -> validated data set, with every problem placed
    "explain": "errors models text textsafe yamlio",
    "checks": "cadence errors index models text",
    "policy": "codes errors models",
    "codec": "models",
    "cache": "__init__ codec fileio kinds models",
    "forks": "",
    "load": (
        "cache checks codec codes errors explain fileio forks index kinds models policy textsafe "
        "validation yamlio"
    ),
    # evaluate: data set + date -> scorecard (pure)
    "cadence": "kinds models statuses text",
    "forecast": "cadence text",
    "attention": "cadence forecast kinds statuses",
    "updates": "cadence kinds models statuses",
    "evaluate": "attention cadence forecast index kinds models statuses text updates",
    "summary": "attention evaluate kinds models statuses",
    # render: scorecard -> tables, JSON, CSV, Markdown
    "groups": "evaluate index models statuses summary text",
    "drawing": "statuses",
    "charts": "drawing statuses text",
    "timeline": "charts drawing statuses",
    "render": (
        "attention cadence codes errors evaluate forecast groups index models policy statuses "
        "summary text textsafe"
    ),
    "sarif": "__init__ codes errors policy text",
    "trends": "cadence charts evaluate forecast models",
    # views: the plain records templates get in place of models and evaluated items
    "views": "attention cadence evaluate forecast models summary updates",
    "report": (
        "attention cadence charts codes errors evaluate forecast history index kinds models "
        "policy "
        "statuses summary text trends views"
    ),
    "templating": "__init__ charts drawing errors fileio statuses text timeline views yamlio",
    "site": "charts evaluate history index kinds models policy report statuses summary views",
    "publish": "fileio",
    "diff": "evaluate index models statuses text textsafe",
    "output": (
        "__init__ attention diff errors evaluate forecast groups kinds models statuses summary text"
    ),
    "codeowners": "index models textsafe",
    "requests": "cadence evaluate index kinds report statuses text",
    "sheets": "errors text",
    "ics": "evaluate index kinds statuses",
    # writing: edits checked before they replace a file, and `init`
    "recheck": "cache errors index kinds load models",
    "edit": "cadence errors fileio kinds linediff load recheck text yamlio",
    "scaffolding": "fileio schema",
    "returns": "cadence edit errors index kinds load models sheets text textsafe",
    "journal": "edit errors fileio",
    # the command line: argv, environment, clock, printing, exit codes
    "cli.app": "__init__ cli.coercion cli.plain errors fileio load models render text textsafe",
    "cli.read": (
        "attention cli.app codes errors evaluate groups journal load models output render sarif "
        "statuses summary"
    ),
    "cli.edit": (
        "cadence cli.app edit errors fileio index kinds output recheck scaffolding schema textsafe"
    ),
    "cli.report": "cli.app errors fileio gitio history load report templating textsafe",
    "cli.review": ("cli.app codeowners diff errors evaluate gitio load models output textsafe"),
    "cli.cycle": "cadence cli.app cli.edit cli.report edit errors evaluate fileio ics journal "
    "output recheck requests returns sheets textsafe",
    "cli.site": (
        "cli.app cli.report errors fileio gitio history load publish site templating textsafe"
    ),
    "cli.coercion": "",
    "cli.plain": "textsafe",
    "cli": "cli.app cli.cycle cli.edit cli.read cli.report cli.review cli.site",
    "__main__": "cli",
}
ALLOWED = {name: set(modules.split()) for name, modules in PLACES.items()}

# Which modules may import a library.
HOMES = {
    "yaml": {"yamlio"},
    "ruamel": {"yamlio", "edit"},
    "jinja2": {"templating"},
    "openpyxl": {"sheets"},
    "icalendar": {"ics"},
    "typer": {name for name in PLACES if name.split(".")[0] == "cli"},
    "click": {name for name in PLACES if name.split(".")[0] == "cli"},
    "rich": {"render", "cli.app", "cli.plain"},
    # pydantic validates where data comes in; a run from the cache never imports it
    "pydantic": {"validation", "models", "load", "output"},
    "pydantic_core": {"models", "explain", "text"},
}

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


SOURCES = sorted(find_modules().items())


def test_every_module_has_a_place_in_the_pipeline():
    names = set(find_modules())
    assert names - ALLOWED.keys() == set(), "new modules: add each to ALLOWED with its imports"
    assert ALLOWED.keys() - names == set(), "modules gone: remove them from ALLOWED"


@pytest.mark.parametrize(("name", "path"), SOURCES, ids=[name for name, _ in SOURCES])
def test_imports_only_what_its_place_allows(name, path):
    own, _ = imports(path)
    assert own <= ALLOWED[name], f"{name} imports {sorted(own - ALLOWED[name])}; see ALLOWED"


def test_no_import_cycle():
    assert cycles(graph()) == []


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
            assert name in homes, f"{name} imports {library}; only {sorted(homes)} may"


@pytest.mark.parametrize(("name", "path"), SOURCES, ids=[name for name, _ in SOURCES])
def test_no_posix_only_module_is_imported(name, path):
    _, libraries = imports(path)
    assert not libraries & POSIX_ONLY, f"{name} imports {libraries & POSIX_ONLY}"


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
