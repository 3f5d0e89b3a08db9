"""The site command: the static dashboard, written into a folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from ..core.textsafe import printable
from .app import AsOfOpt, DataOpt, NoCacheOpt, check_output, command, echo, load_data
from .report import MONTH_HELP, NOT_IN_GIT, goalpost_moves, report_period

MAX_WORKERS = 4
"""Processes that share out a large site's pages (templating.render_pages)."""
PAGE_SECONDS = 0.01
"""Rendering time allowed per page, on top of one report's (templates can come with a pull
request, so the site's rendering has a time limit too)."""


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
    from ..core.problems import LcrplanError, cannot_write
    from ..emit.publish import FolderRefused, write_site
    from ..emit.templating import MAX_SECONDS, configured_folder, render_pages, search_path
    from ..loader.load import Warnings
    from ..source.fileio import UnsafePath
    from ..views.site import STYLE, build_site, page_context

    period = report_period(month, as_of)
    loaded = load_data(data, no_cache, Warnings.summary)
    root = loaded.root
    check_output(out, "DIR")
    if out.resolve().is_relative_to(root.resolve()):
        raise typer.BadParameter(
            f"'{out}' is inside the data directory {root}: the site never goes there; write "
            "it elsewhere, e.g. _site",
            param_hint="DIR",
        )
    history = None if no_history else goalpost_moves(loaded)
    reason = "the site was made with --no-history" if no_history else NOT_IN_GIT
    built = build_site(
        loaded.data, loaded.index, loaded.problems, period, history, loaded.policy, reason
    )
    folders, _ = search_path(None, configured_folder(root, loaded.data.config.templates))
    jobs: list[tuple[str, str, Mapping[str, object]]] = [(STYLE, "_style.css.j2", {})]
    jobs += [(p.name, p.template, page_context(p, built.site)) for p in built.pages]
    budget = MAX_SECONDS + PAGE_SECONDS * len(jobs)
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    pages = {
        name: html.encode()
        for name, html in render_pages(jobs, folders, budget, not no_cache, workers)
    }
    try:
        done = write_site(out, pages)
    except (FolderRefused, UnsafePath) as exc:
        raise typer.BadParameter(str(exc), param_hint="DIR") from None
    except OSError as exc:
        kept = "pages already written are whole"
        raise LcrplanError([cannot_write(str(out), exc, "the site", kept)]) from None
    if history is None and not no_history:
        sys.stderr.write(f"lcrplan: {NOT_IN_GIT}: the KPI pages show no target history\n")
    removed = f", {len(done.removed):,} removed" if done.removed else ""
    echo(
        f"{printable(out.as_posix())}: {len(pages):,} pages, {len(done.written):,} written, "
        f"{done.unchanged:,} unchanged{removed}\n"
    )
