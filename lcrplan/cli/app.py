"""The Typer application and what its commands share: options, the clock, loading, printing.

Every command module (`read`, `edit`, `report`, `review`) registers its commands on `app`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from ..core.problems import LcrplanError, Problem
from ..core.textsafe import printable
from .coercion import lighten
from .plain import PlainConsole, plain_width

if TYPE_CHECKING:
    from rich.console import Console

    from ..emit.terminal import Styled
    from ..loader.load import Loaded, Warnings


class _Group(TyperGroup):
    """Turns data problems into located messages and exit 1, and bugs into a short report;
    usage errors quote arguments with their control characters escaped."""

    def get_params(self, ctx: Any) -> list[Any]:
        return lighten(super().get_params(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _CLICK_ERROR as exc:
            raise _escaped(exc) from None

    def invoke(self, ctx: Any) -> Any:  # typer types `ctx` with its private `_click` module
        try:
            return super().invoke(ctx)
        except _CLICK_ERROR as exc:
            raise _escaped(exc) from None
        except LcrplanError as exc:
            print_problems(exc.problems)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # the reader went away (`lcrplan status | head`): not an error; `main` quiets stdout
            raise typer.Exit(0) from None
        except OutputError as exc:
            sys.stderr.write(f"lcrplan: cannot write the output: {exc}\n")
            raise typer.Exit(1) from None
        except Exception as exc:
            # usage errors and exits belong to typer; anything else is a bug, not a user error
            if type(exc).__module__.startswith(("typer", "click")) or os.environ.get(
                "LCRPLAN_DEBUG"
            ):
                raise
            sys.stderr.write(
                f"lcrplan: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
                "Please report it; set LCRPLAN_DEBUG=1 to see the traceback.\n"
            )
            raise typer.Exit(3) from None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The commands under their task's heading (`PANELS`), everyday tasks first: typer
        draws `rich_help_panel` only in its rich help, which this plain help does not use."""
        for panel, names in PANELS:
            rows = []
            for name in names:
                found = self.get_command(ctx, name)
                if found is not None and not found.hidden:
                    rows.append((name, found.get_short_help_str()))
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)


_CLICK_ERROR: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)
"""Every usage error: click's, or (typer 0.26 and later) that of typer's own copy of click."""


def _escaped(exc: Exception) -> Exception:
    """The usage error with every argument it quotes made safe for a terminal (an escape
    sequence typed or pasted into an argument must not reach the screen as one). `lcrplan`
    alone is a usage error whose message is the help itself: lcrplan's own lines, kept."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        return exc
    for name in ("message", "ui_filename"):  # ui_filename: a FileError's file, as typed
        if isinstance(getattr(exc, name, None), str):
            setattr(exc, name, printable(getattr(exc, name)))
    return exc


class Command(TyperCommand):
    """Help names each value as a user types it (`--as-of DATE`, `ID`), never by its Python
    type: typer shows an argument as `ID <str>`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return lighten(super().get_params(ctx))

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name, words = record
                arguments.append((_TYPE_SUFFIX.sub("", name), words))
            else:
                options.append(record)
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


_TYPE_SUFFIX = re.compile(r" <(?:str|path|int|float|list\[\w+\])>$", re.I)


app = typer.Typer(
    cls=_Group,
    name="lcrplan",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion: bash, zsh, fish, PowerShell
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Look at progress", ("status", "overdue", "show", "groups")),
    ("Check the data", ("validate", "explain", "diff")),
    ("Record progress", ("record", "done", "update", "set-state")),
    ("The monthly cycle", ("requests", "import", "calendar")),
    ("Publish", ("report", "site")),
    ("Set up", ("init", "schema", "codeowners", "version")),
)
"""The help's headings, by task, everyday tasks first; each command under one of them."""
_PANEL_OF = {name: panel for panel, names in PANELS for name in names}


def command(name: str, short_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the command `name` on `app`, under its heading of `PANELS`, with `short_help`
    as its line in `lcrplan --help` (click would cut the docstring's first sentence with
    "..."); its own help is written by `Command`."""
    return app.command(name, cls=Command, short_help=short_help, rich_help_panel=_PANEL_OF[name])


def _print_version(value: bool) -> None:
    if value:
        from ..core.version import __version__

        echo(f"lcrplan {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Track the goals and KPIs of the Liverpool City Region plans, kept as YAML files.

    Start with `lcrplan status`; `lcrplan validate` checks the files; `lcrplan COMMAND --help`
    explains each command with an example. Tab completion of commands and options:
    `lcrplan --install-completion` (bash, zsh, fish or PowerShell; then open a new shell).
    """


@command("version", "Print the version (as lcrplan --version does).")
def version() -> None:
    """Print the version of lcrplan, as `lcrplan --version` does.

    \b
    Example: lcrplan version
    """
    _print_version(True)


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        from ..core.formatting import not_a_date

        message, hint = not_a_date(value)
        raise typer.BadParameter(f"{message} ({hint})") from None
    from ..core.model_base import year_problem

    problem = year_problem(value, day.year)
    if problem:
        raise typer.BadParameter(problem)
    return day


def parse_text(value: str | None) -> str | None:
    """Text typed on the command line, refused if it holds what no data file may hold."""
    from ..core.textsafe import describe, first_unsafe

    bad = None if value is None else first_unsafe(value)
    if bad is None:
        return value
    if "\ud800" <= bad <= "\udfff":
        raise typer.BadParameter("is not valid UTF-8: check the terminal's encoding")
    raise typer.BadParameter(
        f"has a control character {describe(bad)}: text is one line of plain characters"
    )


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        metavar="DIR",
        help="Data directory (default: $LCRPLAN_DATA, else the nearest "
        "data/ or folder with lcrplan.yaml).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge status at the end of this day, YYYY-MM-DD (default: today).",
        callback=parse_date,
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Parse every file (and template); use no cache.")
]
FormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]
PlanOpt = Annotated[str | None, typer.Option(metavar="ID", help="Only this plan id.")]
GroupOpt = Annotated[str | None, typer.Option(metavar="ID", help="Only this sub-group id.")]


TODAY_VARIABLE = "LCRPLAN_TODAY"


def today() -> dt.date:
    """Today's date: the only place lcrplan reads the clock. `LCRPLAN_TODAY=YYYY-MM-DD` sets
    it (the tests do, so that no test depends on the day it runs)."""
    fixed = os.environ.get(TODAY_VARIABLE)
    if not fixed:
        return dt.date.today()
    try:
        day = parse_date(fixed)
    except typer.BadParameter as exc:
        raise typer.BadParameter(exc.message, param_hint=TODAY_VARIABLE) from None
    assert day is not None
    return day


def as_of_date(value: object) -> dt.date:
    """`--as-of` as `parse_date` made it, else today."""
    return value if isinstance(value, dt.date) else today()


def check_output(folder: Path, param: str) -> None:
    """Stop with a usage error (exit 2) when writing into `folder` would go through a symbolic
    link inside the working directory (`fileio.check_folders`). Every command that writes
    where it is told checks the folder here first."""
    from ..api.arguments import check_folder

    with usage(**{param: param}):
        check_folder(folder, param)


@contextlib.contextmanager
def usage(**hints: str) -> Iterator[None]:
    """The library's `BadArgument` as a usage error (exit 2) on the option it is about:
    `--name` for the argument `name` (`as_of`: `--as-of`), or what `hints` names for it (an
    argument's metavar: `kpi_id="KPI_ID"`)."""
    from ..api.arguments import BadArgument

    try:
        yield
    except BadArgument as exc:
        hint = hints.get(exc.about) or "--" + exc.about.replace("_", "-")
        raise typer.BadParameter(exc.message, param_hint=hint) from None


def data_dir(data: Path | None) -> Path:
    from ..loader.discover import find_data_dir

    return find_data_dir(data, os.environ.get("LCRPLAN_DATA"), Path.cwd())


RETAINED: ContextVar[list[object] | None] = ContextVar("lcrplan_retained", default=None)
"""Set by `main` alone: what a command loads is kept here until the process ends, so that it
is never freed object by object (the work `os._exit` saves)."""


def load_data(data: Path | None, no_cache: bool, warnings: Warnings | None = None) -> Loaded:
    """The data set, or its errors (exit 1); `warnings`: which to keep (default none)."""
    from ..loader.load import Warnings, load_or_raise

    return retain(load_or_raise(data_dir(data), today(), not no_cache, warnings or Warnings.none))


_T = TypeVar("_T")


def retain(value: _T) -> _T:
    """`value`, kept until the process ends when `main` runs it (`RETAINED`): a command's
    large results (the data set, a scorecard) are never freed object by object."""
    retained = RETAINED.get()
    if retained is not None:
        retained.append(value)
    return value


def make_console() -> Console | PlainConsole:
    """rich's console on stdout: styled on a terminal unless NO_COLOR (which turns off every
    style, bold too, as no-color.org asks: rich's own `no_color` keeps bold), 120 columns
    when stdout is not a terminal (and COLUMNS is not set). Where rich would print no style,
    a console that prints the same characters without importing rich's (`cli.plain`)."""
    isatty = _isatty()
    width = None if isatty or "COLUMNS" in os.environ else 120
    plain = plain_width(width, isatty, os.environ)
    if plain is not None:
        return PlainConsole(plain, STDOUT, lambda: _rich_console(width))
    return _rich_console(width)


def _isatty() -> bool:
    try:
        return bool(sys.stdout.isatty())
    except (AttributeError, ValueError):
        return False


def _rich_console(width: int | None) -> Console:
    from rich.console import Console

    plain = "NO_COLOR" in os.environ
    console = Console(
        file=STDOUT,  # type: ignore[arg-type]
        color_system=None if plain else "auto",
        no_color=plain,
        highlight=False,
        soft_wrap=False,
        width=width,
    )
    console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return console


def print_blocks(console: Console | PlainConsole, *blocks: Styled | str) -> None:
    """Print each block: a line of prose, or a table laid out by `emit.grid` (`Styled`).
    Uncoloured, a table is written as it is: rich would only split it into lines and segments
    to print the same characters."""
    for block in blocks:
        if isinstance(block, str):
            console.print(block)
        elif console.color_system is None:
            echo(block.plain + "\n")
        else:
            console.print(block.rich())


def _reader_gone() -> None:
    """rich met a closed pipe: handled where every BrokenPipeError is (`_Group.invoke`), instead
    of rich's default, which redirects the process's stdout and exits."""
    raise BrokenPipeError


class OutputError(Exception):
    """Standard output could not be written (a full disk, a closed terminal): not a bug."""


class _Stdout:
    """`sys.stdout` as commands write to it, directly or through rich: a write that fails is an
    `OutputError` (a closed pipe stays a BrokenPipeError).

    Whatever the stream's encoding, what goes to a file or a pipe is UTF-8 (a report, a letter,
    JSON: on Windows, Python 3.11 encodes redirected output with the ANSI code page, cp1252,
    which has no `‼`); a terminal that cannot show a symbol gets its ASCII form instead
    (`formatting.for_terminal`)."""

    def write(self, text: str) -> int:
        try:
            return _write(sys.stdout, text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or exc) from None

    def flush(self) -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)


STDOUT = _Stdout()


def _write(stream: Any, text: str) -> int:
    """Write `text` to `stream` as UTF-8 when it goes to a file or a pipe, and as the terminal
    can show it when it goes to a terminal."""
    encoding = getattr(stream, "encoding", None)
    if not encoding or _is_utf8(encoding):
        return int(stream.write(text))
    if stream.isatty():
        from ..core.formatting import for_terminal

        return int(stream.write(for_terminal(text, encoding)))
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (io.StringIO) has no encoding to get wrong
        return int(stream.write(text))
    stream.flush()  # what was written as text first goes out first
    buffer.write(text.encode("utf-8"))
    return len(text)


@functools.cache
def _is_utf8(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def echo(text: str) -> None:
    STDOUT.write(text)


def print_problems(problems: list[Problem]) -> None:
    from ..core.problems import worst_first

    for p in worst_first(problems):
        sys.stderr.write(p.text() + "\n")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        sys.stderr.write(f"lcrplan: {errors} error(s); nothing was done\n")
