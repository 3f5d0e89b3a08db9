"""Report templates rendered: which template (the data's folder, then the built-in ones), in the
sandbox with its filters, and a template's mistake as a located problem.

Jinja is imported by three modules, each with one job: this one (finding and rendering
templates, one report or a site's pages, shared out between processes for a large site),
`sandbox` (what a template may do, and the limits on time, size and nesting) and
`template_filters` (the Markdown and HTML filters). A Markdown template (`.md.j2`) escapes every
`{{ value }}` for Markdown (`formatting.md_escape`) unless a filter returned `Md` (text that is
already safe Markdown), the way HTML autoescaping treats `Markup`: user text cannot break a
table, start a heading, open a code span or inject HTML. An HTML template (`.html.j2`, and the
`.css.j2` it includes) uses Jinja's own HTML autoescaping, with filters that return `Markup`
only for markup they build themselves (status marks, charts, links to http(s) addresses). Both
run in the same sandbox with the same limits.

A template can come with a pull request, so it gets plain data, never live objects
(`views.records` says what that is), and the sandbox is a second wall: a template calls its own
macros, the filters and globals registered here, and the methods of `sandbox.TEMPLATE_METHODS`,
nothing else. Charts follow the same rule: a KPI's chart reaches a template as the plain
records `trends.Trend` and `trends.Pace` (`ItemRow.trend`, `.pace`), which the `chart`,
`chart_summary` and `chart_rows` filters draw, describe and tabulate. The SVG is drawn in the
filter rather than in the view builder, so only the HTML templates that show a chart pay for
drawing it, and a template can still choose which charts to draw and how to caption them.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    FileSystemBytecodeCache,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2 import TemplateSyntaxError as _SyntaxError
from jinja2.sandbox import SecurityError

from ..core.problems import LcrplanError, Problem
from .sandbox import (  # MAX_SECONDS: the command line's name for it, until it moves
    CLOCK_EVERY,
    MAX_SECONDS,  # noqa: F401
    MAX_TEXT,
    Sandbox,
    TemplateLimit,
    TemplateLoader,
)
from .template_filters import FILTERS, HTML_FILTERS, markdown_finalize

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_TEMPLATE = "monthly.md.j2"
TEMPLATE_SUFFIX = ".md.j2"
HTML_SUFFIX = ".html.j2"


COMPILED_FORMAT = 2
"""Bumped when compiling changes (2: loops report to the time limit), so older compiled
templates in the user's cache are not reused."""


def compiled_cache() -> FileSystemBytecodeCache | None:
    """Where compiled templates are kept between runs: the user's cache folder.

    Never the data folder: compiled templates run as code, and a file there could arrive with
    a pull request. Jinja recompiles a template whose source changed. None when not writable.
    """
    from ..core.version import __version__
    from ..source.fileio import user_cache

    folder = user_cache() / f"templates-{__version__}-{COMPILED_FORMAT}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def environment(search_path: Sequence[Path], cache: bool = False, html: bool = False) -> Sandbox:
    """A sandboxed environment: unknown names fail loudly, every output is escaped (for
    Markdown, or for HTML when `html`), and time, size and nesting are limited."""
    options: dict[str, Any] = {} if html else {"finalize": markdown_finalize}
    env = Sandbox(
        loader=TemplateLoader([str(p) for p in search_path]),
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
    from ..source.yamlio import locate

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
        env: Sandbox,
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


def _render(env: Sandbox, template: Any, context: Mapping[str, Any]) -> str:
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
