"""The site command: the static dashboard, written into a folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.textsafe import printable
from .app import AsOfOpt, DataOpt, NoCacheOpt, command, echo, load_data, usage
from .report import MONTH_HELP, report_period


@command("site", "The dashboard: a web page per plan, board, goal and KPI.")
def site(
    out: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder to write the site into: new, empty, or one lcrplan site wrote before.",
        ),
    ],
    data: DataOpt = None,
    month: Annotated[
        str | None, typer.Option("--month", "-m", metavar="YYYY-MM", help=MONTH_HELP)
    ] = None,
    as_of: AsOfOpt = None,
    no_history: Annotated[
        bool,
        typer.Option(
            "--no-history", help="Leave out each KPI's target history (read from git log)."
        ),
    ] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the static dashboard into DIR: a home page, a page per plan, board, sub-group,
    goal and KPI (with its trend chart), linked by relative links, with no script.

    Only pages whose content changed are written, so a re-publish is a small diff.

    \b
    Example: lcrplan site _site --month 2026-11
    """
    from ..api import publishing
    from ..loader.load import Warnings

    period = report_period(month, as_of)
    loaded = load_data(data, no_cache, Warnings.summary)
    with usage(folder="DIR"):
        publishing.site_folder(loaded, out)  # refused before the pages are made
        built = publishing.site(loaded, period, history=not no_history, cache=not no_cache)
        done = publishing.write_site(loaded, built, out)
    if not built.history and not no_history:
        sys.stderr.write(
            f"lcrplan: {publishing.NOT_IN_GIT}: the KPI pages show no target history\n"
        )
    removed = f", {len(done.removed):,} removed" if done.removed else ""
    echo(
        f"{printable(out.as_posix())}: {len(built.pages):,} pages, {len(done.written):,} written, "
        f"{done.unchanged:,} unchanged{removed}\n"
    )
