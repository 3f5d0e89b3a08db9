"""The sandbox every template renders in: Jinja's, plus an allow-list of the methods a template
may call and limits on time, size and nesting, each a template error at the line that went past
it. A template can come with a pull request, and CI renders it with a write token.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from jinja2 import (
    FileSystemLoader,
    TemplateNotFound,
    TemplateRuntimeError,
    nodes,
)
from jinja2.environment import TemplateModule
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner, Namespace

from ..views.records import Links

MAX_ITEMS = 10_000
"""Items one `range()` may give."""


MAX_TEXT = 10_000_000
"""Characters (or items) of any one value a template builds, and of the whole report."""


MAX_SECONDS = 30.0
"""Time a report may take to render (see BENCHMARKS.md for what real ones take)."""


MAX_DEPTH = 100
"""Calls (macros) nested inside calls."""


CLOCK_EVERY = 32
"""Steps (attribute look-ups, calls, loop items, output chunks) between looks at the clock."""


MAX_POWER_BITS = 1_000_000
"""Bits of the result of `**` on whole numbers (7 ** 100000000 would compute for minutes)."""


class TemplateLimit(TemplateRuntimeError):
    """A template went past one of the limits above."""


class TemplateRefused(TemplateRuntimeError):
    """A template (or an include) names a file that is not a template of the template folders."""


class TemplateLoader(FileSystemLoader):
    """Templates from the search folders only: every path is resolved (links followed), and a
    file outside its folder, hidden, or not a `.j2` file is refused. A committed link
    `templates/env -> /proc/self/environ` would otherwise print CI's environment."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..'
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if candidate.is_file():
                break
        else:
            raise TemplateNotFound(template)
        real = candidate.resolve()
        if not real.is_relative_to(Path(folder).resolve()):
            raise TemplateRefused(
                f"template '{template}' resolves to a file outside the template folders"
            )
        if any(part.startswith(".") for part in real.relative_to(Path(folder).resolve()).parts):
            raise TemplateRefused(f"template '{template}' is a hidden file, not a template")
        if real.suffix != ".j2":
            raise TemplateRefused(f"template '{template}' is not a .j2 file, so not a template")
        source = real.read_text(encoding=self.encoding)
        mtime = real.stat().st_mtime

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(candidate), uptodate


class _Namespace(Namespace):
    """`namespace()`, whose attributes cannot grow past MAX_TEXT (doubling a string in a loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_size(value)
        super().__setitem__(name, value)


def _check_size(value: Any) -> None:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_TEXT:
        raise _over(value, len(value))


def _over(value: Any, size: int) -> TemplateLimit:
    what, unit = ("text", "characters") if isinstance(value, str) else ("a list", "items")
    return TemplateLimit(f"{what} of {size:,} {unit} is over the limit of {MAX_TEXT:,}")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


ANY_NAME = frozenset({"*"})


TEMPLATE_METHODS: tuple[tuple[tuple[type, ...], frozenset[str]], ...] = (
    # data: a few text methods, looking values up in a mapping, the site's page names
    (
        (str,),
        frozenset({"upper", "lower", "title", "capitalize", "strip", "startswith", "endswith"}),
    ),
    ((dict, MappingProxyType), frozenset({"items", "keys", "values", "get"})),
    ((Links,), frozenset({"item", "owner", "plan"})),
    # the template's own: its macros and blocks, what it set in a namespace, loop helpers
    ((TemplateModule, TemplateReference, Namespace), ANY_NAME),
    ((LoopContext,), frozenset({"cycle", "changed"})),
    ((Cycler,), frozenset({"next", "reset"})),
)
"""The methods a template may call, by the type of the object they belong to (its
subclasses too: Markup and Md are str): every other callable attribute is refused.

Templates get plain data (`views.records`), so this is the second wall: were a live object to
reach a template again, none of its methods would run. Nothing here reads a file, runs a
command, builds an object or changes a value; `format` is left out (it reaches attributes), and
so are methods whose result can grow far past their input (`replace`, `join`, `split`): the
filters of the same names do that work within the template limits' checks."""


def may_call_method(owner: object, name: str) -> bool:
    """Whether a template may call `owner.name` (TEMPLATE_METHODS)."""
    return any(
        isinstance(owner, kinds) and (names is ANY_NAME or name in names)
        for kinds, names in TEMPLATE_METHODS
    )


def _callable_name(obj: object) -> str:
    """`'parse_raw' of 'Plan'`: what a template tried to call, without its value."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", None) or type(obj).__name__
    if owner is None or isinstance(owner, ModuleType):
        return f"'{name}'"
    kind = owner.__name__ if isinstance(owner, type) else type(owner).__name__
    return f"'{name}' of '{kind}'"


_TEMPLATE_CALLABLES = (Macro, BlockReference, LoopContext, Joiner, Undefined)
"""Callables a template makes itself (macros, `caller`, blocks, a recursive loop, `joiner()`),
and Undefined, whose call raises the error that says what was missing."""


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which keeps templates from Python's internals, plus limits on time,
    size and nesting: each is a template error at the line that went past it. A template may
    call its own macros, the registered globals and filters, and the methods of
    TEMPLATE_METHODS, nothing else."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.deadline = math.inf
        self.seconds = MAX_SECONDS
        self.depth = 0
        self.ticks = 0
        self.globals.update(range=self._range, namespace=_Namespace)
        del self.globals["lipsum"]  # lipsum(n=10**9) runs in one call, past any check
        self.filters[PACED] = self._paced
        self._safe: dict[tuple[type, str], bool] = {}

    def start(self, seconds: float | None = None) -> None:
        """Start the clock for one rendering (or for a site's pages) of at most `seconds`
        (default: MAX_SECONDS)."""
        self.seconds = MAX_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.depth = 0

    def tick(self) -> None:
        """Check the clock every CLOCK_EVERY calls (each call is a step of the template's
        work, so none can run long between two looks)."""
        self.ticks += 1
        if not self.ticks % CLOCK_EVERY and time.monotonic() > self.deadline:
            raise TemplateLimit(f"rendering took over {self.seconds:g} seconds")

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.tick()
        if not self.may_call(obj):
            raise SecurityError(f"calling {_callable_name(obj)} is unsafe")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise TemplateLimit(f"calls nested deeper than {MAX_DEPTH}")
            result = super().call(context, obj, *args, **kwargs)
        finally:
            self.depth -= 1
        _check_size(result)
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def may_call(self, obj: Any) -> bool:
        """Whether a template may call `obj`: a registered global, a callable the template
        made (a macro), or a method on TEMPLATE_METHODS' list; never anything else, such as a
        model's class method or a function that reached the data."""
        if isinstance(obj, _TEMPLATE_CALLABLES):
            return True
        owner = getattr(obj, "__self__", None)
        if owner is not None and not isinstance(owner, ModuleType) and owner is not self:
            return may_call_method(owner, getattr(obj, "__name__", ""))
        return any(obj is value for value in self.globals.values())

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, kept per type and name: it depends on nothing else (a leading
        underscore, or `is_internal_attribute`, whose every test is on the object's type),
        and asking it was most of the time a site's thousands of pages took to render. A
        callable attribute must be on TEMPLATE_METHODS' list too."""
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe and (not callable(value) or may_call_method(obj, attr))

    def wrap_str_format(self, value: Any) -> None:
        """Never: Jinja would hand out `str.format` and `format_map` wrapped in its own checks,
        before asking `is_safe_attribute`; neither is on TEMPLATE_METHODS' list (the `format`
        filter formats with `%`, which reaches no attribute)."""
        return None

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**" and _whole(left) and _whole(right) and abs(left) > 1:
            if right * left.bit_length() > MAX_POWER_BITS:
                raise TemplateLimit("a number that large is over the limit")
        elif operator == "*" and (_whole(left) or _whole(right)):
            count, seq = (left, right) if _whole(left) else (right, left)
            if isinstance(seq, (str, list, tuple)) and count * len(seq) > MAX_TEXT:
                raise _over(seq, count * len(seq))  # before Python builds it
        result = super().call_binop(context, operator, left, right)
        _check_size(result)
        return result

    def _range(self, *args: int) -> range:
        found = range(*args)
        if len(found) > MAX_ITEMS:
            raise TemplateLimit(
                f"range() of {len(found):,} items is over the limit of {MAX_ITEMS:,}"
            )
        return found

    def _paced(self, iterable: Any) -> Iterator[Any]:
        """A loop's items, checking the clock as they go: a loop calls nothing of its own."""
        tick = self.tick
        for item in iterable:
            tick()
            yield item

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, PACED, [], [], None, None, lineno=loop.lineno)
        return tree


PACED = "_lcrplan_paced"
