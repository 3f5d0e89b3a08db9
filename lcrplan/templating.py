"""Report templates: a sandboxed Jinja environment, its template folders, escaping filters.

The only module that imports jinja2. A Markdown template (`.md.j2`) escapes every `{{ value }}`
for Markdown (`text.md_escape`) unless a filter returned `Md` (text that is already safe
Markdown), the way HTML autoescaping treats `Markup`: user text cannot break a table, start a
heading, open a code span or inject HTML. An HTML template (`.html.j2`, and the `.css.j2` it
includes) uses Jinja's own HTML autoescaping, with filters that return `Markup` only for markup
they build themselves (status marks, charts, links to http(s) addresses). Both run in the same
sandbox with the same limits.

A template can come with a pull request, so it gets plain data, never live objects (`views`
says what that is), and the sandbox is a second wall: a template calls its own macros, the
filters and globals registered here, and the methods of TEMPLATE_METHODS, nothing else.
Charts follow the same rule: a KPI's chart reaches a template as the plain records `charts.Trend`
and `charts.Pace` (`ItemRow.trend`, `.pace`), which the `chart`, `chart_summary` and
`chart_rows` filters draw, describe and tabulate. The SVG is drawn in the filter rather than in
the view builder, so only the HTML templates that show a chart pay for drawing it, and a
template can still choose which charts to draw and how to caption them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateRuntimeError,
    nodes,
    pass_environment,
)
from jinja2 import TemplateSyntaxError as _SyntaxError
from jinja2.environment import TemplateModule
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup, escape

from . import charts, drawing, timeline
from .errors import LcrplanError, Problem
from .statuses import label, look, shape
from .text import (
    MARKDOWN_BAR,
    Md,
    format_number,
    md_code,
    md_escape,
    md_status_label,
    one_line,
    progress_bar,
    visible,
)
from .views import Links

BUILTIN_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = "monthly.md.j2"
TEMPLATE_SUFFIX = ".md.j2"
HTML_SUFFIX = ".html.j2"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SPARKS = "▁▂▃▄▅▆▇█"


def md_one_line(value: object) -> str:
    """The text on one line, without invisible characters (the `one_line` filter)."""
    return one_line(visible(value))


def md_raw(value: object) -> Md:
    """Trust a template's own text as Markdown (never use on data)."""
    return Md("" if value is None else str(value))


def md_join(values: Iterable[object], sep: str = ", ") -> Md:
    """Escape each value and join them with the template's separator."""
    return Md(str(sep).join(md_escape(v) for v in values))


_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]`|\\\"']+$")


def md_link(text: object, url: object) -> Md:
    """`[text](url)` for an http(s) address; other schemes are not linked."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return Md(f"[{md_escape(text)}]({url})")
    return md_escape(text)


def md_progress_bar(progress: float | None, width: int = 10) -> Md:
    """`███░░░░░░░ 30%` in text; blank when progress is unknown."""
    return Md(progress_bar(progress, width, MARKDOWN_BAR, pad=0))


def sparkline(values: Sequence[float] | None, width: int = 12) -> Md:
    """The last `width` values as unicode blocks, lowest ▁ to highest █; blank below two."""
    points = [float(v) for v in (values or ())][-width:]
    if len(points) < 2:
        return Md("")
    low, high = min(points), max(points)
    if high == low:
        return Md(SPARKS[3] * len(points))
    if not math.isfinite(high - low):  # 1e308 and -1e308: their halves are 1e308 apart
        points, low, high = [v / 2 for v in points], low / 2, high / 2
    top = len(SPARKS) - 1
    return Md("".join(SPARKS[round((v - low) / (high - low) * top)] for v in points))


def format_date(value: dt.date | None, style: str = "iso") -> str:
    """A date as `iso` 2026-11-30, `long` 30 November 2026, `short` 30 Nov 2026, `month`."""
    if value is None:
        return ""
    month = MONTHS[value.month - 1]
    formats = {
        "iso": value.isoformat(),
        "long": f"{value.day} {month} {value.year}",
        "short": f"{value.day} {month[:3]} {value.year}",
        "month": f"{month} {value.year}",
    }
    if style not in formats:
        raise ValueError(f"unknown date style {style!r} (one of: {', '.join(formats)})")
    return formats[style]


def status_word(status: str) -> Md:
    """`On track`: the status in words alone (for chart labels)."""
    return md_escape(label(status))


def gantt_tag(status: str) -> Md:
    """The Mermaid Gantt tag (`crit, `, `done, `, `active, `) that styles a bar; may be blank."""
    found = look(status)
    return Md(f"{found.gantt}, " if found and found.gantt else "")


_MERMAID_UNSAFE = re.compile(r"[^\w\s.,'’‘()/+£€-]")


def mermaid_text(value: object, limit: int = 60) -> Md:
    """A label Mermaid cannot misread: no quotes, colons, semicolons, #, % or angle brackets."""
    text = md_one_line(str(value).replace("&", " and ").replace(":", " -"))
    text = md_one_line(_MERMAID_UNSAFE.sub(" ", text)) or "untitled"
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return Md(text)


def duration(days: int | None) -> str:
    """`15 days`, `11 months`, `5.9 years`: how long, at the precision a reader needs."""
    if days is None:
        return ""
    if days < 60:
        return plural(days, "day")
    if days < 730:
        return plural(round(days / (365.25 / 12)), "month")
    return f"{days / 365.25:.1f} years"


def percent(value: float | None) -> str:
    """`45%`, with a decimal near 0% and 100% (`0.3%`); blank when unknown."""
    if value is None:
        return ""
    return f"{value:.1%}" if 0 < value < 0.01 or 0.99 < value < 1 else f"{value:.0%}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """`1 item`, `3 items`, `2 KPIs`."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def md_status_cells(counts: Iterable[tuple[str, int]], width: int = 20) -> Md:
    """A stacked status bar in text: `width` status symbols, each status given cells in
    proportion to its count (at least one when it has any), worst first (the Markdown report's
    bar per plan; the counts in words always stand beside it)."""
    shares = allocate([(status, n) for status, n in counts if n > 0], width)
    return Md("".join(md_status_symbol(status) * cells for status, cells in shares))


def md_status_symbol(status: str) -> str:
    found = look(status)
    return found.symbol if found else "?"


def allocate(counts: Sequence[tuple[str, int]], width: int) -> list[tuple[str, int]]:
    """`width` cells shared out in proportion to `counts` by largest remainder, each count
    above zero getting at least one cell (ties go to the worse status, listed first)."""
    total = sum(n for _, n in counts)
    if not total or not counts:
        return []
    width = max(width, len(counts))
    cells = [1] * len(counts)
    spare = width - len(counts)
    exact = [n / total * spare for _, n in counts]
    for k, share in enumerate(exact):
        cells[k] += int(share)
    left = width - sum(cells)
    order = sorted(range(len(counts)), key=lambda k: (-(exact[k] - int(exact[k])), k))
    for k in order[:left]:
        cells[k] += 1
    return [(status, c) for (status, _), c in zip(counts, cells, strict=True)]


_NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")


def md_anchor(heading: object) -> Md:
    """The link GitHub and GitLab give a heading with this text: `#needs-attention` (lower
    case, punctuation dropped, spaces as hyphens)."""
    text = one_line(visible(heading)).lower()
    return Md("#" + _NOT_IN_ANCHOR.sub("", text).replace(" ", "-"))


FILTERS = {
    "md": md_escape,
    "anchor": md_anchor,
    "status_cells": md_status_cells,
    "raw": md_raw,
    "join": md_join,
    "code": md_code,
    "link": md_link,
    "bar": md_progress_bar,
    "sparkline": sparkline,
    "date": format_date,
    "status": md_status_label,
    "status_word": status_word,
    "gantt_tag": gantt_tag,
    "mermaid": mermaid_text,
    "num": format_number,
    "pct": percent,
    "duration": duration,
    "plural": plural,
    "one_line": md_one_line,
}


# --- HTML ------------------------------------------------------------------------------------


def html_link(text: object, url: object) -> Markup:
    """`<a href>` to an http(s) address; any other scheme (javascript:, data:) is shown as text."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return Markup('<a href="{}">{}</a>').format(url, text)
    return escape(text)


def html_status(status: str) -> Markup:
    """The status's shape and its word: `<span class="status">(shape) Off track</span>`."""
    return Markup('<span class="status">{}{}</span>').format(
        Markup(drawing.status_mark(status)), label(status)
    )


def html_bar(progress: float | None) -> Markup:
    """A progress bar (drawn with a border, so it prints) and the share in words."""
    if progress is None:
        return Markup("")
    share = max(0.0, min(1.0, float(progress)))
    return Markup(
        '<span class="nw"><span class="bar" aria-hidden="true"><span style="width:{:.0f}%">'
        "</span></span> {:.0%}</span>"
    ).format(share * 100, share)


def html_code(value: object) -> Markup:
    """An id or a file name as code."""
    text = one_line(visible(value))
    return Markup("<code>{}</code>").format(text) if text else Markup("")


def html_paragraphs(value: object) -> Markup:
    """Text with blank lines as paragraphs, each on one line, its dates kept whole (`dated`)."""
    paragraphs = [one_line(visible(p)) for p in re.split(r"\n\s*\n", str(value or ""))]
    return Markup("").join(Markup("<p>{}</p>").format(html_dated(p)) for p in paragraphs if p)


_ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


def html_dated(value: object) -> Markup:
    """Text (escaped) with each date in it (2026-11-30) as a `<time>`, which never wraps: a
    reason, a chart's summary, a note. "2026-11-" on one line and "30" on the next reads as
    another date."""
    text = escape(one_line(visible(value)))
    return Markup(_ISO_DATE.sub(lambda m: f"<time>{m.group()}</time>", str(text)))


def html_gantt(gantt: Any, as_of: dt.date, title: str, links: Links | None = None) -> Markup:
    """A plan's timeline as SVG Gantt charts (`timeline`), one per theme under the theme's
    name, each bar linked: on the site to its item's page (or its theme on the plan's page),
    in the one-file report to its row in the appendix."""
    hrefs = []
    for _, bars in gantt.sections:
        for bar in bars:
            if bar.item is not None:
                hrefs.append(links.item(bar.item) if links else f"#item-{bar.item.id}")
            else:
                hrefs.append(f"#theme-{bar.theme}" if bar.theme else "")
    svgs = timeline.gantt_charts(gantt, as_of, hrefs, str(title))
    parts = []
    for (section, bars), (wide, narrow) in zip(gantt.sections, svgs, strict=True):
        theme = bars[0].theme if bars else ""
        name = Markup('<a href="#theme-{}">{}</a>').format(theme, section) if theme else section
        parts.append(
            Markup('<p class="gtheme">{}</p>\n{}\n{}').format(name, Markup(wide), Markup(narrow))
        )
    return Markup('<div class="timeline">\n{}\n</div>').format(Markup("\n").join(parts))


def html_spark(values: Sequence[float] | None) -> Markup:
    """A KPI's readings as a small line (hidden from screen readers; its direction of travel
    is said in words beside it); blank below two readings."""
    return Markup(drawing.sparkline(values or ()))


def html_status_bar(counts: Iterable[tuple[str, int]]) -> Markup:
    """A stacked bar of items by status: a segment per status as wide as its share, with its
    shape and count where they fit. Hidden from screen readers: the counts in words always
    stand beside it, and print keeps its colours."""
    pairs = [(str(status), int(n)) for status, n in counts if n]
    cells = "".join(
        f'<span class="seg tone-{shape(status).tone}" style="flex-grow:{n}">'
        f"{drawing.status_mark(status)}<span>{n:,}</span></span>"
        for status, n in pairs
    )
    return Markup(f'<div class="sbar" aria-hidden="true">{cells}</div>')


def html_mark(status: str) -> Markup:
    """A status's shape alone, hidden from screen readers: its word must stand beside it."""
    return Markup(drawing.status_mark(str(status)))


def html_tone(status: str) -> str:
    """The colour family of a status's shape: `bad`, `warn`, `good` or `neutral`."""
    return shape(str(status)).tone


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string, every character but letters, digits and spaces escaped
    (`\\3c `), for a stylesheet's `content:` (a page's running header): nothing in it can end
    the string or the stylesheet."""
    text = one_line(visible(value))
    body = "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{body}"')


def html_chart(trend: charts.Trend, pace: charts.Pace | None = None) -> Markup:
    """A KPI's trend as inline SVG and its legend, the list of every series drawn (`charts`
    escapes every text from the data inside them)."""
    return Markup(charts.trend_chart(trend, pace) + "\n" + charts.legend(trend))


@pass_environment
def html_rows(env: Environment, items: Iterable[object], *fields: str) -> Markup:
    """Table body rows, one per item, a cell per field (an attribute of the item, as text on
    one line; blank for None): the first is the row's header, a field named `NAME:n` is a
    number cell. Many rows are built here rather than cell by cell in the template; each
    attribute is read through the sandbox, as `item.NAME` in the template would be."""
    names = [f.removesuffix(":n") for f in fields]
    read = env.getattr
    opens = [
        '<th scope="row">' if n == 0 else '<td class="n">' if f.endswith(":n") else "<td>"
        for n, f in enumerate(fields)
    ]
    closes = ["</th>" if n == 0 else "</td>" for n in range(len(fields))]
    out = []
    for item in items:
        cells = "".join(
            f"{start}{html_dated(value) if value is not None else ''}{end}"
            for start, value, end in zip(
                opens, (_defined(read(item, name)) for name in names), closes, strict=True
            )
        )
        out.append(f"<tr>{cells}</tr>\n")
    return Markup("".join(out))


def _defined(value: object) -> object:
    """The value; an undefined one (a missing or refused attribute) raises its error."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def html_one_line(value: object) -> str:
    """The text on one line, without invisible characters (autoescape escapes it)."""
    return md_one_line(value)


HTML_FILTERS = {
    "gantt": html_gantt,
    "spark": html_spark,
    "status_bar": html_status_bar,
    "tone": html_tone,
    "mark": html_mark,
    "css_string": css_string,
    "link": html_link,
    "status": html_status,
    "status_word": label,
    "bar": html_bar,
    "code": html_code,
    "paragraphs": html_paragraphs,
    "dated": html_dated,
    "chart": html_chart,
    "chart_summary": charts.summary,
    "chart_rows": charts.table_rows,
    "chart_id": charts.chart_id,
    "rows": html_rows,
    "value": charts.value_text,
    "date": format_date,
    "num": format_number,
    "pct": percent,
    "duration": duration,
    "plural": plural,
    "one_line": html_one_line,
}


def _finalize(value: object) -> Markup:
    # Markup tells Jinja's (HTML) autoescape to leave the Markdown alone; autoescape stays on so
    # that macros and blocks return Markup and are not escaped a second time.
    return Markup(value if isinstance(value, (Md, Markup)) else md_escape(value))


COMPILED_FORMAT = 2
"""Bumped when compiling changes (2: loops report to the time limit), so older compiled
templates in the user's cache are not reused."""


def compiled_cache() -> FileSystemBytecodeCache | None:
    """Where compiled templates are kept between runs: the user's cache folder.

    Never the data folder: compiled templates run as code, and a file there could arrive with
    a pull request. Jinja recompiles a template whose source changed. None when not writable.
    """
    from . import __version__
    from .fileio import user_cache

    folder = user_cache() / f"templates-{__version__}-{COMPILED_FORMAT}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


# --- limits: a template comes with a pull request, and CI renders it -------------------------

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


class _Loader(FileSystemLoader):
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

Templates get plain data (`views`), so this is the second wall: were a live object to reach a
template again, none of its methods would run. Nothing here reads a file, runs a command, builds
an object or changes a value; `format` is left out (it reaches attributes), and so are methods
whose result can grow far past their input (`replace`, `join`, `split`): the filters of the same
names do that work within the template limits' checks."""


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


class _Sandbox(SandboxedEnvironment):
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


def environment(search_path: Sequence[Path], cache: bool = False, html: bool = False) -> _Sandbox:
    """A sandboxed environment: unknown names fail loudly, every output is escaped (for
    Markdown, or for HTML when `html`), and time, size and nesting are limited."""
    options: dict[str, Any] = {} if html else {"finalize": _finalize}
    env = _Sandbox(
        loader=_Loader([str(p) for p in search_path]),
        bytecode_cache=compiled_cache() if cache else None,
        undefined=StrictUndefined,
        auto_reload=False,  # a run renders what it read: no stat() per include per page
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters.update(HTML_FILTERS if html else FILTERS)
    return env


def is_html(name: str) -> bool:
    """Whether a template renders HTML (`.html.j2`) rather than Markdown."""
    return name.endswith(HTML_SUFFIX)


def configured_folder(root: Path, configured: str | None) -> Path | None:
    """The folder `templates:` in lcrplan.yaml names (relative to the data folder `root`).

    It must be a folder inside the data repository, the data folder's parent: lcrplan.yaml
    comes with pull requests too, and `templates: /` would make any file a template.
    """
    if not configured:
        return None
    folder = root / configured
    base = root.resolve().parent
    if not folder.resolve().is_relative_to(base):
        message = f"templates folder '{configured}' is outside the data repository ({base})"
        hint = "name a folder inside it, relative to the data folder, e.g. ../templates"
    elif not folder.is_dir():
        message = f"templates folder '{configured}' does not exist"
        hint = "the path is relative to the data directory; create it or remove 'templates:'"
    else:
        return folder
    from .yamlio import locate

    config = root / "lcrplan.yaml"
    line, col = locate(config.read_text(encoding="utf-8-sig"), ("templates",))
    rel = f"{root.resolve().name}/{config.name}"
    raise LcrplanError([Problem(rel, line, col, "LCR703", message, hint)])


def render_report(
    report: object,
    template: str | None,
    root: Path,
    configured: str | None,
    cache: bool = True,
    html: bool = False,
) -> str:
    """The report rendered with `template`: a name looked up in the data's template folder
    (`configured`: the `templates:` setting, relative to the data folder `root`), then the
    built-in ones, or the path of a .j2 file (default: monthly.md.j2, or monthly.html.j2 when
    `html`)."""
    suffix = HTML_SUFFIX if html else TEMPLATE_SUFFIX
    folders, name = search_path(template, configured_folder(root, configured), suffix)
    return render_template(name, folders, {"report": report}, cache)


def search_path(
    template: str | None, override_dir: Path | None, suffix: str = TEMPLATE_SUFFIX
) -> tuple[list[Path], str]:
    """Folders to look in (a given file's, the data's `templates`, the built-in) and the name
    (a bare name gets `suffix`)."""
    folders = [override_dir] if override_dir is not None else []
    name = template or "monthly" + suffix
    given = Path(name)
    if template and (given.suffix == ".j2" or len(given.parts) > 1) and given.is_file():
        return [given.resolve().parent, *folders, BUILTIN_DIR], given.name
    if not name.endswith(".j2"):
        name += suffix
    return [*folders, BUILTIN_DIR], name


def render_template(
    name: str, folders: Sequence[Path], context: Mapping[str, Any], cache: bool = True
) -> str:
    """Render a template to tidy Markdown or HTML (by its name: `is_html`); a template mistake
    becomes a located `LcrplanError`.

    `cache`: reuse templates compiled by an earlier run (`compiled_cache`)."""
    env = environment(folders, cache, is_html(name))
    env.start()
    with _Located(name, folders):
        return tidy(_render(env, env.get_template(name), context))


Job = tuple[str, str, Mapping[str, Any]]
"""A page to render: its name, its template's name, the template's context."""

PARALLEL_FROM = 2000
"""Pages from which a site is rendered by several processes, where the system can fork them."""


def render_pages(
    pages: Sequence[Job],
    folders: Sequence[Path],
    budget: float,
    cache: bool = True,
    workers: int = 1,
) -> list[tuple[str, str]]:
    """(name, HTML) of each page (name, template, context), in order, rendered within `budget`
    seconds in all; a template mistake becomes a located `LcrplanError`.

    With `workers` above 1, at least PARALLEL_FROM pages, and a system that forks processes
    (Linux), the pages are shared out between that many processes: each inherits the contexts
    and the compiled templates, and renders every `workers`-th page. The pages are the same."""
    env = environment(folders, cache, html=True)
    env.start(budget)
    templates: dict[str, Any] = {}
    for name in dict.fromkeys(name for _, name, _ in pages):
        with _Located(name, folders):
            templates[name] = env.get_template(name)
    run = _Run(env, templates, pages, folders)
    if workers > 1 and len(pages) >= PARALLEL_FROM and _can_fork():
        return run.forked(workers)
    return [
        (page, html) for page, html in zip((p for p, _, _ in pages), run.share(0, 1), strict=True)
    ]


def _can_fork() -> bool:
    """Forking copies the process as it is, which only Linux does safely and cheaply."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class _Run:
    """One rendering of many pages, in this process or shared out to forked ones."""

    current: _Run | None = None
    """The run a forked process works for (it inherits this; nothing is sent to it)."""

    def __init__(
        self,
        env: _Sandbox,
        templates: dict[str, Any],
        pages: Sequence[Job],
        folders: Sequence[Path],
    ) -> None:
        self.env, self.templates, self.pages, self.folders = env, templates, pages, folders

    def share(self, first: int, step: int) -> list[str]:
        """Every `step`-th page from `first`, rendered."""
        out = []
        for _, name, context in self.pages[first::step]:
            with _Located(name, self.folders):
                out.append(tidy(_render(self.env, self.templates[name], context)))
        return out

    def forked(self, workers: int) -> list[tuple[str, str]]:
        import multiprocessing

        _Run.current = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                shares = pool.map(_render_share, [(k, workers) for k in range(workers)])
        finally:
            _Run.current = None
        htmls: list[str] = [""] * len(self.pages)
        for k, share in enumerate(shares):
            if isinstance(share, LcrplanError):
                raise share
            htmls[k::workers] = share
        return [(page, html) for (page, _, _), html in zip(self.pages, htmls, strict=True)]


def _render_share(share: tuple[int, int]) -> list[str] | LcrplanError:
    """In a forked process: its share of the current run's pages, or the error it met."""
    run = _Run.current
    assert run is not None
    try:
        return run.share(*share)
    except LcrplanError as exc:
        return _Portable(exc.problems)


class _Portable(LcrplanError):
    """An `LcrplanError` that survives pickling back from a forked process."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Portable, (self.problems,))


class _Located:
    """Turns a template's mistake, or a limit reached, into a located `LcrplanError` as it
    leaves the block; never swallows an error."""

    def __init__(self, name: str, folders: Sequence[Path]) -> None:
        self.name, self.folders = name, folders

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if exc is not None:
            found = _template_problem(exc, self.name, self.folders)
            if found is not None:
                raise found from None


def _template_problem(
    exc: BaseException, name: str, folders: Sequence[Path]
) -> LcrplanError | None:
    """The located problem a rendering error stands for; None for anything else (a bug)."""
    if isinstance(exc, TemplateNotFound):
        return _not_found(exc, folders)
    if isinstance(exc, _SyntaxError):
        where = exc.filename or exc.name or name
        return _problem(where, exc.lineno, f"template syntax error: {exc.message}", code="LCR701")
    if isinstance(exc, TemplateLimit):
        where, line = _template_frame(exc, name)
        return _problem(where, line, f"template limit: {exc}", LIMIT_HINT, "LCR702")
    if isinstance(exc, SecurityError):
        where, line = _template_frame(exc, name)
        return _problem(where, line, f"template error: {exc}", UNSAFE_HINT, "LCR701")
    if isinstance(exc, TemplateError | TypeError | ValueError | AttributeError | ArithmeticError):
        where, line = _template_frame(exc, name)
        kind = "template error" if isinstance(exc, TemplateError) else "bad value in template"
        return _problem(where, line, f"{kind}: {exc}", code="LCR701")
    if isinstance(exc, RecursionError | MemoryError):
        where, line = _template_frame(exc, name)
        what = "recursion too deep" if isinstance(exc, RecursionError) else "out of memory"
        return _problem(where, line, f"template limit: {what}", LIMIT_HINT, "LCR702")
    return None


UNSAFE_HINT = (
    "a template gets plain data and may call only its own macros, the filters and a few text "
    'and mapping methods: README.md, "What a template sees", lists them'
)
LIMIT_HINT = (
    "a report template can come with a pull request, so it runs with limits on time, size and "
    "nesting: see SECURITY.md"
)


def _render(env: _Sandbox, template: Any, context: Mapping[str, Any]) -> str:
    """The template's output, stopped at the output limit or the time limit at the line where
    it got there (the error is raised inside the template's own code); the clock runs from
    `env.start()`."""
    chunks: list[str] = []
    size = 0
    stream = template.generate(context)
    for count, chunk in enumerate(stream, 1):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_TEXT:
            limit = f"the report is over the limit of {MAX_TEXT:,} characters"
            stream.throw(TemplateLimit(limit))
        if not count % CLOCK_EVERY and time.monotonic() > env.deadline:
            stream.throw(TemplateLimit(f"rendering took over {env.seconds:g} seconds"))
    return "".join(chunks)


def _problem(
    where: str, line: int, message: str, hint: str = "", code: str = "LCR701"
) -> LcrplanError:
    hint = hint or (
        'fix the template; README.md, "What a template sees", lists the names available to it'
    )
    return LcrplanError([Problem(_shown(where), line, 0, code, message, hint)])


def _not_found(exc: TemplateNotFound, folders: Sequence[Path]) -> LcrplanError:
    found = sorted({p.name for f in folders if f.is_dir() for p in f.glob("*.j2")})
    return LcrplanError(
        [
            Problem(
                str(exc.name or "template"),
                0,
                0,
                "LCR703",
                f"template '{exc.name}' not found in {', '.join(_shown(str(f)) for f in folders)}",
                "known templates: " + (", ".join(found) or "none"),
            )
        ]
    )


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line in the traceback (Jinja maps frames to templates)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return name, 0
    return frames[-1].filename, frames[-1].lineno or 0


def _shown(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, exactly one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n") + "\n"
