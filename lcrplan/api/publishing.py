"""The monthly report and the dashboard, as text or written to files.

Both are made the same way: the content (`views`: plain records) from the data set and its
period, then rendered through the templates (the data's own `templates:` folder first), so the
same data and dates give the same bytes from the command line or a script.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .arguments import BadArgument, check_folder, check_known, output_file

if TYPE_CHECKING:
    from ..core.periods import ReportPeriod
    from ..evaluate.history import History
    from ..loader.load import Loaded

NOT_IN_GIT = "the data is not in a git repository"
MAX_WORKERS = 4
"""Processes that share out a large site's pages (templating.render_pages)."""
PAGE_SECONDS = 0.01
"""Rendering time allowed per page, on top of one report's (templates can come with a pull
request, so the site's rendering has a time limit too)."""


def goalpost_history(loaded: Loaded) -> History | None:
    """Each KPI's goalpost moves (target, dates, baseline) from the data's git log; None when
    the data is not in a git repository."""
    from ..evaluate.history import goalpost_history as moves
    from ..source.gitio import GitError, find_repo

    try:
        return moves(find_repo(loaded.root), loaded.data, loaded.data.config.limits)
    except GitError:
        return None


def report(
    loaded: Loaded,
    period: ReportPeriod,
    *,
    plan: str | None = None,
    group: str | None = None,
    template: str | None = None,
    html: bool = False,
    history: bool = True,
    cache: bool = False,
) -> str:
    """The monthly report over `period` (`report_period`) as Markdown, or as one HTML page
    (`html`), narrowed to a plan or a sub-group if given. `template`: a template's name (the
    data's templates folder first, then the built-in ones) or the path of a .j2 file.
    `history`: show the goalposts moved in the month, from git. `cache`: keep compiled
    templates in the user's cache folder (never the data folder)."""
    from ..emit.templating import render_report
    from ..views.report import build_report

    check_known(loaded, plan=plan, group=group)
    moves = goalpost_history(loaded) if history else None
    content = build_report(
        loaded.data,
        loaded.problems,
        period,
        plan,
        group,
        loaded.index,
        loaded.policy,
        charts=html,
        history=moves,
        no_history=NOT_IN_GIT if history else "the report was made with --no-history",
    )
    return render_report(content, template, loaded.root, loaded.data.config.templates, cache, html)


def write_report(loaded: Loaded, output: str | Path, text: str, period: ReportPeriod) -> Path:
    """Write a report's `text` to `output` (`{month}` in it becomes the period's YYYY-MM),
    never through a link nor into the data folder; the path written."""
    from ..core.problems import LcrplanError, cannot_write
    from ..source import fileio

    path = output_file(output, period.month, loaded.root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(path, text)
    except (OSError, fileio.UnsafePath) as exc:
        kept = "a report already there is unchanged"
        raise LcrplanError([cannot_write(str(path), exc, "the report", kept)]) from None
    return path


@dataclass(frozen=True)
class BuiltSite:
    """A site as built: each page's name and bytes, and whether the goalpost history was read
    (False: the data is not in a git repository, or `history` was not asked for)."""

    pages: Mapping[str, bytes]
    history: bool


@dataclass(frozen=True)
class Published:
    """What writing a site into its folder did."""

    folder: Path
    pages: int
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    history: bool


def site(
    loaded: Loaded,
    period: ReportPeriod,
    *,
    history: bool = True,
    cache: bool = False,
    workers: int | None = None,
) -> BuiltSite:
    """The dashboard's pages at `period`'s as-of date: a home page, a page per plan, board,
    sub-group, goal and KPI (with its trend chart), and the stylesheet, by file name.
    `workers`: processes to share a large site's pages (default: up to MAX_WORKERS)."""
    from ..emit.sandbox import MAX_SECONDS
    from ..emit.templating import configured_folder, render_pages, search_path
    from ..views.site import STYLE, build_site, page_context

    moves = goalpost_history(loaded) if history else None
    reason = NOT_IN_GIT if history else "the site was made with --no-history"
    built = build_site(
        loaded.data, loaded.index, loaded.problems, period, moves, loaded.policy, reason
    )
    folders, _ = search_path(None, configured_folder(loaded.root, loaded.data.config.templates))
    jobs: list[tuple[str, str, Mapping[str, object]]] = [(STYLE, "_style.css.j2", {})]
    jobs += [(p.name, p.template, page_context(p, built.site)) for p in built.pages]
    budget = MAX_SECONDS + PAGE_SECONDS * len(jobs)
    shared = workers if workers is not None else min(MAX_WORKERS, os.cpu_count() or 1)
    pages = {
        name: html.encode() for name, html in render_pages(jobs, folders, budget, cache, shared)
    }
    return BuiltSite(pages, moves is not None)


def site_folder(loaded: Loaded, folder: str | Path) -> Path:
    """`folder` as a place to write a site: never the data folder nor a place inside it, never
    through a link inside the working directory."""
    out = Path(folder)
    check_folder(out, "folder")
    if out.resolve().is_relative_to(loaded.root.resolve()):
        raise BadArgument(
            f"'{out}' is inside the data directory {loaded.root}: the site never goes there; "
            "write it elsewhere, e.g. _site",
            "folder",
        )
    return out


def write_site(loaded: Loaded, built: BuiltSite, folder: str | Path) -> Published:
    """Write a site's pages into `folder` (new, empty, or one lcrplan wrote before): only the
    pages whose bytes changed, and the pages it no longer makes removed (`site_folder`)."""
    from ..core.problems import LcrplanError, cannot_write
    from ..emit.publish import FolderRefused
    from ..emit.publish import write_site as publish
    from ..source.fileio import UnsafePath

    out = site_folder(loaded, folder)
    try:
        done = publish(out, dict(built.pages))
    except (FolderRefused, UnsafePath) as exc:
        raise BadArgument(str(exc), "folder") from None
    except OSError as exc:
        kept = "pages already written are whole"
        raise LcrplanError([cannot_write(str(out), exc, "the site", kept)]) from None
    return Published(
        out, len(built.pages), done.written, done.unchanged, done.removed, built.history
    )
