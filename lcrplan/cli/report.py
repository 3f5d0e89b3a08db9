"""The report command: a Markdown progress report through Jinja templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import (
    AsOfOpt,
    DataOpt,
    GroupOpt,
    NoCacheOpt,
    PlanOpt,
    check_filter,
    command,
    echo,
    load_data,
    today,
)

if TYPE_CHECKING:
    from ..report import Period

MONTH_HELP = (
    "Report on this month, YYYY-MM, as of its last day; 'previous' is the month before today's "
    "(default: the month so far, as of --as-of or today)."
)
OUTPUT_HELP = (
    "Write the report to FILE instead of stdout, and print FILE's path; {month} in FILE "
    "becomes the report's YYYY-MM."
)


@command()
def report(
    data: DataOpt = None,
    month: Annotated[
        str | None, typer.Option("--month", "-m", metavar="YYYY-MM", help=MONTH_HELP)
    ] = None,
    as_of: AsOfOpt = None,
    plan: PlanOpt = None,
    group: GroupOpt = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            metavar="NAME",
            help="Template name (from the data's templates folder or the built-in ones) or "
            "path to a .j2 file (default: monthly.md.j2).",
        ),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    ] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the monthly progress report in Markdown: summary, attention, changes, every plan.

    Example: lcrplan report --month 2026-11 --output reports/2026-11.md
    """
    from .. import fileio
    from ..errors import LcrplanError, Problem
    from ..load import Warnings
    from ..report import build_report
    from ..templating import render_report

    period = report_period(month, as_of)
    loaded = load_data(data, no_cache, Warnings.summary)  # warnings: the data-quality section
    check_filter(loaded, plan=plan, group=group)
    content = build_report(
        loaded.data, loaded.problems, period, plan, group, loaded.index, loaded.policy
    )
    text = render_report(content, template, loaded.root, loaded.data.config.templates, not no_cache)
    if output is None:
        echo(text)
        return
    path = _output_path(output, period.month, loaded.root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(path, text)
    except (OSError, fileio.UnsafePath) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LcrplanError(
            [
                Problem(
                    str(path),
                    0,
                    0,
                    "LCR712",
                    f"cannot write the report: {message}",
                    "check free disk space and the folder's permissions; a report already "
                    "there is unchanged",
                )
            ]
        ) from None
    echo(f"{path.as_posix()}\n")


def _output_path(output: str, month: str, root: Path) -> Path:
    """The report's file, refused (exit 2) where writing it could harm another file."""
    from .. import fileio

    if not output.strip():
        raise typer.BadParameter("give a file name, e.g. reports/{month}.md", param_hint="--output")
    path = Path(output.replace("{month}", month))
    try:
        fileio.check_target(path)
    except fileio.UnsafePath as exc:
        raise typer.BadParameter(
            f"{exc}: name another file, e.g. reports/{{month}}.md", param_hint="--output"
        ) from None
    if path.resolve().is_relative_to(root.resolve()):
        raise typer.BadParameter(
            f"'{path}' is inside the data directory {root}: a report never goes "
            "there (it could overwrite a data file); write it elsewhere, e.g. reports/",
            param_hint="--output",
        )
    return path


def report_period(month: str | None, as_of: object) -> Period:
    """The period `--month` or `--as-of` names (the month so far by default)."""
    from ..report import day_period, month_period

    if month is not None and as_of is not None:
        raise typer.BadParameter("give --month or --as-of, not both", param_hint="--month")
    if month is None:
        return day_period(as_of if isinstance(as_of, dt.date) else today())
    try:
        return month_period(month, today())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--month") from None
