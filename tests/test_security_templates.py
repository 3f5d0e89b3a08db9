"""Issue 21, item 1: a template runs arbitrary code.

A template comes with a pull request (`templates: ../templates` in lcrplan.yaml is enough), and
CI renders it with a write token. Templates used to get pydantic models, whose deprecated class
methods `parse_raw(..., content_type="application/pickle", allow_pickle=True)` unpickle (a
shell command ran as the user) and `parse_file` reads any file. The attack tests put that
payload in every template the report and the site render; the walks check what every template
context holds: plain data only, and no callable a template may call but the allow-list's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import inspect
import os
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from jinja2.runtime import Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from lcrplan.core.formatting import Md
from lcrplan.emit import templating
from lcrplan.views import report as report_module

from .conftest import DATA, REPO, git, write_tree

FIXTURE = REPO / "tests" / "fixtures" / "report"
AS_OF = "2026-11-30"

REPORT_TEMPLATES = ["monthly.md.j2", "monthly.html.j2"]
SITE_TEMPLATES = [
    "site-home.html.j2",
    "site-attention.html.j2",
    "site-plan.html.j2",
    "site-owner.html.j2",
    "site-goal.html.j2",
    "site-kpi.html.j2",
]

# How each template reached a pydantic model before templates got plain data: the two
# routes (`report.plans[].plan`, `site.plans[]`), and each site page's own content.
ROUTES = [
    ("monthly.md.j2", "report.plans[0].plan"),
    ("monthly.html.j2", "report.plans[0].plan"),
    *((name, "site.plans[0]") for name in SITE_TEMPLATES),
    ("site-home.html.j2", "content.plans[0].plan"),
    ("site-attention.html.j2", "content.plans[0].plan"),
    ("site-plan.html.j2", "content.section.plan"),
    ("site-owner.html.j2", "content.model"),
    ("site-goal.html.j2", "content.goal"),
    ("site-kpi.html.j2", "content.kpi"),
]


# --- the attack: the payload in every template ---------------------------------------

_OPENED: list[str] | None = None
"""Files opened while a test watches (`_watch_opens`); None when none does."""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _OPENED is not None and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # a hook cannot be removed: it records only while a test watches


@contextlib.contextmanager
def files_opened() -> Iterator[list[str]]:
    """Every file the code opens inside the block."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


def _repo(tmp_path: Path, monkeypatch, template: str, source: str) -> Path:
    """The fixture data at tmp_path/data, with `templates: ../templates` holding `template`;
    tmp_path is the current folder (template errors name files relative to it)."""
    monkeypatch.chdir(tmp_path)
    data = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    config = data / "lcrplan.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "templates: ../templates\n")
    write_tree(tmp_path / "templates", {template: source})
    return data


def _page(template: str, line: str) -> str:
    """`line` as the second line of `template`: a site page fills the frame's block."""
    if template.startswith("site-"):
        return f'{{% extends "_page.html.j2" %}}{{% block main %}}\n{line}\n{{% endblock %}}\n'
    return f"Report\n{line}\n"


def _render(run, data: Path, template: str, tmp_path: Path):
    if template.startswith("site-"):
        return run("site", tmp_path / "site", "--data", data, "--as-of", AS_OF, "--no-cache")
    fmt = "html" if templating.is_html(template) else "markdown"
    return run("report", "--data", data, "--as-of", AS_OF, "--format", fmt, "--no-cache")


@pytest.mark.parametrize(("template", "route"), ROUTES)
def test_template_calling_a_models_parse_raw_with_a_pickle_runs_no_command(
    run, tmp_path, monkeypatch, template, route
) -> None:
    marker = tmp_path / "pwned"
    pickle = f"cos\\nsystem\\n(S'echo pwned > {marker.as_posix()}'\\ntR."
    payload = (
        f'{{{{ {route}.parse_raw("{pickle}", content_type="application/pickle", '
        "allow_pickle=True) }}"
    )
    data = _repo(tmp_path, monkeypatch, template, _page(template, payload))
    result = _render(run, data, template, tmp_path)
    assert not marker.exists(), "the template ran a shell command"
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"templates/{template}:2:"), result.stderr
    assert "error: template error: " in result.stderr
    assert "parse_raw" in result.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("template", "route"), ROUTES)
def test_template_calling_a_models_parse_file_reads_no_file(
    run, tmp_path, monkeypatch, template, route
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "ghs_secret"}\n')
    payload = f'{{{{ {route}.parse_file("{secret.as_posix()}") }}}}'
    data = _repo(tmp_path, monkeypatch, template, _page(template, payload))
    with files_opened() as opened:
        result = _render(run, data, template, tmp_path)
    assert opened, "the watch saw no file opened"
    assert str(secret) not in opened, "the template read a file"
    assert "ghs_secret" not in result.output
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"templates/{template}:2:"), result.stderr
    assert "parse_file" in result.stderr


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ('{{ "{0.__class__}".format(report) }}', "'format' of 'str'"),
        ("{{ report.title|attr('format') }}", "'format' of 'str'"),
        ('{{ report.title.split(" ") }}', "'split' of 'str'"),
        ("{{ report.plans.index(report.plans[0]) }}", "'index' of 'tuple'"),
        ("{{ report.summary.by_status.copy() }}", "'copy' of 'mappingproxy'"),
        ("{{ report.period.as_of.replace(year=1) }}", "'replace' of 'date'"),
        ("{{ report.plans[0].plan.start.date.fromisoformat('2026-01-01') }}", "'fromisoformat'"),
        ("{{ (report.plans[0]|attr('__class__')) }}", "'__class__'"),
    ],
)
def test_template_calling_a_method_off_the_allow_list_is_refused(
    run, tmp_path, monkeypatch, source, refused
) -> None:
    data = _repo(tmp_path, monkeypatch, "monthly.md.j2", f"Report\n{source}\n")
    result = _render(run, data, "monthly.md.j2", tmp_path)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("templates/monthly.md.j2:2:"), result.stderr
    assert refused in result.stderr


def test_a_function_that_reached_the_data_is_not_called(tmp_path) -> None:
    """The second wall: were a function to reach a template's data (a mapping's value, which
    no attribute check sees), calling it is refused; the allow-list's methods still run."""
    env = templating.environment([tmp_path])
    env.start()
    data = {"open": open, "run": subprocess.run, "text": "Abc"}
    with pytest.raises(SecurityError, match="calling 'open' is unsafe"):
        env.from_string("{{ d['open']('x') }}").render(d=data)
    with pytest.raises(SecurityError, match="calling 'run' is unsafe"):
        env.from_string("{{ d.run(['true']) }}").render(d=data)
    assert env.from_string("{{ d.get('text').upper() }}").render(d=data) == "ABC"


def test_the_rows_filter_reads_attributes_through_the_sandbox(tmp_path) -> None:
    """`rows` reads each cell's attribute by a name the template gives: as the sandbox would."""
    from lcrplan.views.records import DateView

    env = templating.environment([tmp_path], html=True)
    env.start()
    rows = (DateView(dt.date(2026, 11, 30), "end of November"),)
    assert env.from_string('{{ r|rows("date", "text") }}').render(r=rows) == (
        '<tr><th scope="row"><time>2026-11-30</time></th><td>end of November</td></tr>\n'
    )
    for name in ("__class__", "__init__", "__slots__"):
        with pytest.raises(SecurityError, match=f"'{name}' of 'DateView'"):
            env.from_string(f'{{{{ r|rows("date", "{name}") }}}}').render(r=rows)


def test_the_templates_own_callables_still_work(tmp_path) -> None:
    """Macros, `caller`, blocks and `super()`, loop helpers, `cycler`, `joiner`, `namespace`,
    `range` and `dict`: the template's own, so still callable."""
    write_tree(tmp_path, {"base.md.j2": "{% block b %}base{% endblock %}|{{ self.b() }}"})
    source = (
        '{% extends "base.md.j2" %}{% block b %}'
        "{% macro m(x) %}[{{ caller(x) }}]{% endmacro %}{% call(v) m(1) %}{{ v }}{% endcall %}"
        '{% for i in range(3) %}{{ loop.cycle("a", "b") }}{% endfor %}'
        '{% set c = cycler(1, 2) %}{{ c.next() }}{{ c.next() }}{% set j = joiner(",") %}'
        "{{ j() }}x{{ j() }}y{% set ns = namespace(n=1) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}"
        '{{ dict(a=1).get("a") }}{{ super() }}{% endblock %}'
    )
    write_tree(tmp_path, {"child.md.j2": source})
    out = templating.render_template("child.md.j2", [tmp_path], {}, cache=False)
    assert out == "[1]aba12x,y21base|[1]aba12x,y21base\n"


# --- what every template context holds ---------------------------------------------------------

PLAIN = (str, int, float, bool, type(None), dt.date, dt.timedelta, Markup, Md)
"""Values a template may hold (a date's `resolution` is a timedelta; Markup and Md are the
escaped text the filters return)."""
VIEW_MODULES = {
    *(f"lcrplan.views.{name}" for name in ("records", "report", "rows", "gantt", "quality")),
    *(f"lcrplan.views.{name}" for name in ("month", "site", "trends", "changes")),
    "lcrplan.views.owner_requests",
    "lcrplan.core.periods",
    "lcrplan.evaluate.history",
}
"""Where the records templates get are defined (`history.Move`: a goalpost's move, in words;
`periods.ReportPeriod`: what a report covers)."""
LIVE_MODULES = (
    "pydantic",
    "lcrplan.core.models",
    "lcrplan.loader.load",
    "lcrplan.loader.index",
    "lcrplan.evaluate.scorecard",
)

TEXT_METHODS = {"upper", "lower", "title", "capitalize", "strip", "startswith", "endswith"}
CALLABLE = {
    "str": TEXT_METHODS,
    "Markup": TEXT_METHODS,
    "Md": TEXT_METHODS,
    "mappingproxy": {"items", "keys", "values", "get"},
    "Links": {"item", "owner", "plan"},
}
"""Every method a template may call on the data it is given, by type, written out here so the
test does not take the sandbox's word for it."""


def _children(obj: object) -> Iterator[tuple[str, object]]:
    if isinstance(obj, tuple):
        yield from ((f"[{n}]", v) for n, v in enumerate(obj))
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            yield f"[{key!r}].key", key
            yield f"[{key!r}]", value
    elif dataclasses.is_dataclass(obj):
        yield from ((f".{f.name}", getattr(obj, f.name)) for f in dataclasses.fields(obj))


def _record_problem(kind: type) -> str | None:
    """Why a record type may not reach a template, or None."""
    params = getattr(kind, "__dataclass_params__", None)
    if kind.__module__ not in VIEW_MODULES:
        return f"a record from {kind.__module__}, not a view module"
    if params is None or not params.frozen or "__slots__" not in vars(kind):
        return "a record that is not a frozen dataclass with slots"
    for klass in kind.__mro__[:-1]:
        for name, value in vars(klass).items():
            method = inspect.isroutine(value) or isinstance(value, (classmethod, staticmethod))
            if method and not name.startswith("_") and name not in CALLABLE.get(kind.__name__, ()):
                return f"a record with a method, {name}"
    return None


def walk(context: Mapping[str, object], env: Any) -> list[str]:
    """Every problem with what `context` lets a template reach: an object that is not plain
    data or a view record, or a callable a template may call that CALLABLE does not list.

    Follows fields, items and keys, and every attribute the sandbox lets through (a date's
    `year`, a period's `previous`); checks each type's attributes once."""
    problems: list[str] = []
    seen: set[int] = set()
    checked: set[type] = set()
    stack: list[tuple[str, object]] = list(context.items())
    while stack:
        path, obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        kind = type(obj)
        if isinstance(obj, enum.Enum) or kind.__module__.startswith(LIVE_MODULES):
            problems.append(f"{path}: a {kind.__module__}.{kind.__qualname__}")
            continue
        if kind in (tuple, MappingProxyType) or kind in PLAIN:
            pass
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            why = _record_problem(kind)
            if why:
                problems.append(f"{path}: {kind.__qualname__} is {why}")
        else:
            problems.append(f"{path}: a {kind.__module__}.{kind.__qualname__}, not plain data")
            continue
        stack.extend((path + step, child) for step, child in _children(obj))
        if kind in checked:
            continue
        checked.add(kind)
        for name in dir(obj):
            if name.startswith("_"):
                continue
            value = env.getattr(obj, name)
            if isinstance(value, Undefined):
                continue
            if callable(value):
                if name not in CALLABLE.get(kind.__name__, set()):
                    problems.append(f"{path}.{name}: a template may call it")
            else:
                stack.append((f"{path}.{name}", value))
    return problems


@pytest.fixture
def contexts(monkeypatch) -> dict[str, list[Mapping[str, object]]]:
    """The context of every template rendered from now on, by template name."""
    found: dict[str, list[Mapping[str, object]]] = {}
    real = templating._render

    def spy(env, template, context):
        found.setdefault(template.name, []).append(context)
        return real(env, template, context)

    monkeypatch.setattr(templating, "_render", spy)
    return found


def _fixture_in_git(tmp_path: Path) -> Path:
    """The fixture data in a git repository whose history moved a KPI's target (so a KPI page
    shows goalpost moves)."""
    repo = tmp_path / "repo"
    data = Path(shutil.copytree(FIXTURE, repo / "data"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First data")
    growth = data / "alpha" / "growth.yaml"
    text = growth.read_text(encoding="utf-8")
    growth.write_text(text.replace("target: 1000\n", "target: 1200\n", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Raise the jobs target")
    return data


def _check_every_context(
    run, data: Path, out: Path, contexts: dict[str, list[Mapping[str, object]]], *narrow: str
) -> None:
    for fmt in ("markdown", "html"):
        result = run("report", "--data", data, "--as-of", AS_OF, "--format", fmt, *narrow)
        assert result.exit_code == 0, result.output
    result = run("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert set(REPORT_TEMPLATES + SITE_TEMPLATES) <= contexts.keys()
    env = templating.environment([templating.BUILTIN_DIR], html=True)
    env.start(seconds=600)
    for name, rendered in sorted(contexts.items()):
        for context in rendered:
            problems = walk(context, env)
            assert not problems, f"{name}: " + "\n".join(sorted(problems)[:20])


def test_every_template_context_of_the_fixture_is_plain_data(run, tmp_path, contexts) -> None:
    data = _fixture_in_git(tmp_path)
    _check_every_context(run, data, tmp_path / "site", contexts)
    kpi_pages = [c["content"] for c in contexts["site-kpi.html.j2"]]
    assert any(page.history for page in kpi_pages), "no KPI page showed a goalpost move"
    assert any(c["report"].updates for c in contexts["monthly.md.j2"])


def test_every_template_context_of_a_narrowed_large_report_is_plain_data(
    run, tmp_path, contexts, monkeypatch
) -> None:
    monkeypatch.setattr(report_module, "DETAIL_ROWS", 1)  # plans give counts by part
    data = Path(shutil.copytree(FIXTURE, tmp_path / "data"))
    _check_every_context(run, data, tmp_path / "site", contexts, "--plan", "alpha")
    assert all(c["report"].filters for c in contexts["monthly.md.j2"])
    assert any(p.parts for c in contexts["monthly.md.j2"] for p in c["report"].plans)


def test_every_template_context_of_the_real_data_is_plain_data(run, tmp_path, contexts) -> None:
    data = Path(shutil.copytree(DATA, tmp_path / "data"))
    _check_every_context(run, data, tmp_path / "site", contexts)


def test_the_diff_and_the_letter_get_plain_data(run, tmp_path, contexts) -> None:
    """The diff's Markdown and the requests letter are templates too (`changes.md.j2`,
    `requests.md.j2`), and what they get is plain data."""
    data = _fixture_in_git(tmp_path)
    result = run("diff", "HEAD~1", "--data", data, "--as-of", AS_OF, "--format", "markdown")
    assert result.exit_code == 0, result.output
    result = run("requests", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert {"changes.md.j2", "requests.md.j2"} <= contexts.keys()
    assert any(s.lines for c in contexts["changes.md.j2"] for s in c["changes"].sections)
    assert any(o.asked for c in contexts["requests.md.j2"] for o in c["letter"].owners)
    env = templating.environment([templating.BUILTIN_DIR], html=False)
    env.start(seconds=600)
    for name in ("changes.md.j2", "requests.md.j2"):
        for context in contexts[name]:
            problems = walk(context, env)
            assert not problems, f"{name}: " + "\n".join(sorted(problems)[:20])


def test_the_walk_finds_a_model_a_method_and_a_mutable_value() -> None:
    """The walk itself can fail: what templates got before this issue is found."""
    from lcrplan.core.models import Plan

    plan = Plan.model_validate(
        {"id": "p", "title": "P", "board": "b", "start": "2020-01-01", "source": {"document": "d"}}
    )

    @dataclasses.dataclass(frozen=True)
    class Loose:
        plan: object

        def run(self) -> None: ...

    for env in (templating.environment([templating.BUILTIN_DIR]), SandboxedEnvironment()):
        problems = walk({"a": (plan,), "b": Loose(None), "c": [1], "d": {"x": 1}}, env)
        assert any(p.startswith("a[0]: a lcrplan.core.models.Plan") for p in problems), problems
        assert any("Loose is a record from" in p for p in problems), problems
        assert any(p.startswith("c: a builtins.list") for p in problems), problems
        assert any(p.startswith("d: a builtins.dict") for p in problems), problems
    # Jinja's own sandbox would let a template call the record's method
    assert any(p.startswith("b.run: a template may call it") for p in problems), problems

    @dataclasses.dataclass(frozen=True, slots=True)
    class Tight:
        plan: object

        def run(self) -> None: ...

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys.modules[__name__], "VIEW_MODULES", {__name__})
        problems = walk({"b": Loose(None), "t": Tight(None)}, SandboxedEnvironment())
    assert any("Loose is a record that is not a frozen dataclass with slots" in p for p in problems)
    assert any("Tight is a record with a method, run" in p for p in problems), problems


def test_every_item_field_reaches_templates_or_is_left_out_on_purpose() -> None:
    """A field added to `evaluate.ItemStatus` must be added to `views.ItemView` (as plain
    data), or to `views.ITEM_LEFT_OUT` with the reason."""
    from lcrplan.evaluate.scorecard import ItemStatus
    from lcrplan.views.records import ITEM_LEFT_OUT, ItemView

    item = {f.name for f in dataclasses.fields(ItemStatus)}
    view = {f.name for f in dataclasses.fields(ItemView)}
    assert item - ITEM_LEFT_OUT == view


# --- the README lists what templates get -------------------------------------------------------


def _records() -> dict[str, type]:
    """Every record a template context can hold, by the name README gives it."""
    from lcrplan.views import changes, owner_requests, report, site

    roots = [report.Report, site.Site, site.Page, site.PlanPage, site.Body, site.GoalPage]
    roots += [changes.ChangesView, owner_requests.RequestsLetter]
    found: dict[str, type] = {}
    stack: list[object] = [*roots, site.KpiPage]
    while stack:
        hint = stack.pop()
        if typing.get_origin(hint) is not None:
            stack.extend(typing.get_args(hint))
        elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
            name = hint.__name__
            if name not in found:
                found[name] = hint
                stack.extend(typing.get_type_hints(hint).values())
    return found


def test_the_readme_lists_every_name_and_field_a_template_gets() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### What a template sees\n", 1)[1].split("\n## ", 1)[0]
    items = re.split(r"\n(?=- )", section.replace("\n  ", " "))
    listed = {}
    for item in items:
        found = re.match(r"- \*\*(.+?)\*\*: (.*)", item, re.S)
        if found:
            listed[found.group(1)] = set(re.findall(r"`(\w+)", found.group(2)))
    records = _records()
    assert listed.keys() == records.keys()
    for name, kind in records.items():
        names = {f.name for f in dataclasses.fields(kind)}
        names |= {n for n, v in vars(kind).items() if isinstance(v, property)}
        names |= CALLABLE.get(kind.__name__, set())
        assert listed[name] == names, name
