"""The report command: a Markdown progress report through Jinja templates."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.textsafe import printable
from .app import (
    AsOfOpt,
    DataOpt,
    GroupOpt,
    NoCacheOpt,
    PlanOpt,
    command,
    echo,
    load_data,
    today,
    usage,
)

if TYPE_CHECKING:
    from ..core.periods import ReportPeriod

MONTH_HELP = (
    "Report on this month, YYYY-MM, as of its last day; 'previous' is the month before today's "
    "(default: the month so far, as of --as-of or today)."
)
OUTPUT_HELP = (
    "Write the report to FILE instead of stdout, and print FILE's path; {month} in FILE "
    "becomes the report's YYYY-MM."
)


class ReportFormat(StrEnum):
    markdown = "markdown"
    html = "html"


@command("report", "The monthly progress report, in Markdown or HTML.")
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
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown (for GitHub) or html (one self-contained file for board papers: "
            "print, PDF, Word) (default: markdown, or the --template's kind).",
        ),
    ] = None,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history",
            help="Leave out the goalposts moved this month (read from git log).",
        ),
    ] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the monthly progress report: a first page for the board (counts, each plan's
    bar, what needs a decision, what changed), contents, every plan, then an appendix.

    Markdown by default; --format html gives the same content as one self-contained web page
    (inline styles and SVG charts, no script, prints on A4 with page numbers).

    \b
    Example: lcrplan report --month 2026-11 --output reports/2026-11.md
    Example: lcrplan report --month 2026-11 --format html --output reports/2026-11.html
    """
    from ..api.publishing import report as make_report
    from ..api.publishing import write_report
    from ..emit.templating import is_html
    from ..loader.load import Warnings

    html = fmt is ReportFormat.html or (fmt is None and template is not None and is_html(template))
    if template is not None and fmt is not None and is_html(template) != html:
        raise typer.BadParameter(
            f"'{template}' is {'an HTML' if is_html(template) else 'a Markdown'} template; "
            f"give --format {'html' if is_html(template) else 'markdown'} or another template",
            param_hint="--format",
        )
    period = report_period(month, as_of)
    loaded = load_data(data, no_cache, Warnings.summary)  # warnings: the data-quality section
    with usage():
        text = make_report(
            loaded,
            period,
            plan=plan,
            group=group,
            template=template,
            html=html,
            history=not no_history,
            cache=not no_cache,
        )
        if output is None:
            echo(text)
            return
        path = write_report(loaded, output, text, period)
    echo(f"{printable(path.as_posix())}\n")


def report_period(month: str | None, as_of: object) -> ReportPeriod:
    """The period `--month` or `--as-of` names (the month so far by default)."""
    from ..api.arguments import report_period as named_period

    day = as_of if isinstance(as_of, dt.date) else None
    with usage():
        if month is None:
            return named_period(None, day or today())
        return named_period(month, day, None if day else today())
