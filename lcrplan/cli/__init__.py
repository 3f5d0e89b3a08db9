"""The command line: reads argv, the environment and the clock, prints, and picks the exit code.

Exit codes: 0 ok, 1 problems found (invalid data, or --fail/--strict tripped), 2 usage error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import LcrplanError, Problem
from ..textsafe import printable


class _Group(TyperGroup):
    """Turns data problems into located messages and exit 1, and bugs into a short report."""

    def invoke(self, ctx: Any) -> Any:
        # One short-lived run builds many objects and no garbage cycles worth collecting; the
        # cyclic collector only rescans them (a third of a warm `status` at 10,000 KPIs).
        gc.disable()
        try:
            return super().invoke(ctx)
        except LcrplanError as exc:
            _print_problems(exc.problems)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            _stop_quietly()
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


app = typer.Typer(
    cls=_Group,
    name="lcrplan",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        _echo(f"lcrplan {__version__}\n")
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

    Start with `lcrplan status`; `lcrplan validate` checks the files.
    """


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-30"
        ) from None
    from ..models import year_problem

    problem = year_problem(value, day.year)
    if problem:
        raise typer.BadParameter(problem)
    return day


def _parse_text(value: str | None) -> str | None:
    """Text typed on the command line, refused if it holds what no data file may hold."""
    from ..textsafe import describe, first_unsafe

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
        help="Data directory (default: $LCRPLAN_DATA, else the nearest "
        "data/ or folder with lcrplan.yaml).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge status at the end of this day, YYYY-MM-DD (default: today).",
        callback=_parse_date,
        show_default=False,
    ),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Parse every file (and template); use no cache.")
]
FormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]


def today() -> dt.date:
    """Today's date; the only place the clock is read."""
    return dt.date.today()


def _as_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else today()


def _data_dir(data: Path | None) -> Path:
    from ..load import find_data_dir

    return find_data_dir(data, os.environ.get("LCRPLAN_DATA"), Path.cwd())


def _load(data: Path | None, no_cache: bool, strict: bool = False):  # -> Loaded
    from ..load import load_or_raise

    return load_or_raise(_data_dir(data), today(), strict=strict, use_cache=not no_cache)


def _console():  # -> rich.console.Console
    from rich.console import Console
    from rich.text import Text

    class _Console(Console):
        """Writes a table (a laid-out `Text`) straight out when it will not be coloured:
        rich would only split it into lines and segments to print the same characters."""

        def print(self, *objects: Any, **options: Any) -> None:
            plain = self.color_system is None and not options and len(objects) == 1
            if plain and isinstance(objects[0], Text):
                self.file.write(objects[0].plain + "\n")
                return
            super().print(*objects, **options)

    width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120
    console = _Console(
        no_color="NO_COLOR" in os.environ, highlight=False, soft_wrap=False, width=width
    )
    console.on_broken_pipe = _stop_quietly  # type: ignore[method-assign]
    return console


def _stop_quietly() -> None:
    """The reader went away (`lcrplan status | head`): stop without an error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


def _echo(text: str) -> None:
    sys.stdout.write(text)


def check_filter(loaded: Any, **filters: str | None) -> None:
    """Stop with a usage error (exit 2) when --plan, --group or --owner names no such id."""
    from ..errors import did_you_mean
    from ..index import Index

    ix = Index.build(loaded.data)
    known: dict[str, set[str]] = {
        "plan": set(ix.plans),
        "group": set(ix.groups),
        "owner": set(ix.owners),
    }
    for name, value in filters.items():
        if value is not None and value not in known[name]:
            hint = did_you_mean(value, known[name]) or "known: " + ", ".join(sorted(known[name]))
            raise typer.BadParameter(f"unknown {name} '{value}' ({hint})", param_hint=f"--{name}")


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        sys.stderr.write(p.text() + "\n")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        sys.stderr.write(f"lcrplan: {errors} error(s); nothing was done\n")


def main() -> None:
    """Entry point for the `lcrplan` script and `python -m lcrplan`.

    Ends the process without freeing the run's objects one by one: at 10,000 KPIs that
    teardown took a fifth of a second, and the operating system reclaims the memory at once.
    Output is flushed first; every file the commands write is closed (and renamed) before this.
    """
    try:
        app()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):  # sys.exit("message") convention
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 0 if code in (0, None) else code
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code or 0)


# Commands live in modules by what they do; importing them registers them on `app`.
from . import edit, read, report, review  # noqa: E402,F401
