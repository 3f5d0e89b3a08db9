"""Commands for reviewing pull requests: diff, codeowners."""

from __future__ import annotations

import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.textsafe import printable
from .app import (
    AsOfOpt,
    DataOpt,
    NoCacheOpt,
    as_of_date,
    command,
    data_dir,
    echo,
    load_data,
    today,
)

if TYPE_CHECKING:
    from ..core.models import DataSet
    from ..core.problems import Problem
    from ..evaluate.diff import Side


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@command("diff", "What changed between two git revisions, goalposts first.")
def diff(
    base: Annotated[
        str, typer.Argument(metavar="BASE", help="Git revision to compare from, e.g. origin/main.")
    ],
    head: Annotated[
        str | None,
        typer.Argument(
            metavar="HEAD", help="Git revision to compare to (default: the working tree)."
        ),
    ] = None,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat.text,
    fail_on_goalpost: Annotated[
        bool,
        typer.Option("--fail-on-goalpost", help="Exit 1 when a target or date has moved."),
    ] = False,
) -> None:
    """Show what changed in the data between two git revisions, goalposts moved first.

    Both sides are judged at the same date, so status changes come from the edits alone.

    \b
    Example: lcrplan diff origin/main --format markdown
    """
    from ..evaluate.diff import compare
    from ..evaluate.scorecard import evaluate
    from ..source.gitio import GitError

    root = data_dir(data)
    when = as_of_date(as_of)
    try:
        sides = _sides(root, base, head)
        loaded = [_load_side(root, side) for side in sides]
    except GitError as exc:
        sys.stderr.write(f"lcrplan: {exc}\n")
        raise typer.Exit(2) from None
    _stop_on_errors(sides, loaded)
    (old, old_notes), (new, new_notes) = ((d, n) for d, _, n in loaded)
    changes = compare(old, new, evaluate(old, when), evaluate(new, when), old_notes + new_notes)
    if fmt is DiffFormat.json:
        from ..emit import json_csv as output

        summary, found = output.changes(changes)
        filters = output.DiffFilters(sides[0], sides[1])
        echo(output.to_json(output.envelope("diff", when, filters, summary, found)))
    else:
        from ..emit.changes import changes_markdown, changes_text
        from ..emit.templating import configured_folder, search_path
        from ..views.changes import changes_view

        view = changes_view(changes, sides[0], sides[1])
        if fmt is DiffFormat.markdown:
            folders, _ = search_path(None, configured_folder(root, new.config.templates))
            echo(changes_markdown(view, folders))
        else:
            echo(changes_text(view))
    if fail_on_goalpost and changes.goalposts:
        sys.stderr.write(
            f"lcrplan: {len(changes.goalposts)} goalpost(s) moved (--fail-on-goalpost)\n"
        )
        raise typer.Exit(1)


def _sides(root: Path, base: str, head: str | None) -> list[Side]:
    """Both revisions resolved to commits (HEAD None: the working tree)."""
    from ..evaluate.diff import Side
    from ..source.gitio import find_repo, resolve

    repo = find_repo(root)
    sides = [Side(base, resolve(repo, base))]
    sides.append(Side(head, resolve(repo, head)) if head is not None else Side(None))
    return sides


def _load_side(root: Path, side: Side) -> tuple[DataSet, list[Problem], list[str]]:
    """(data set, errors, notes) of one side; a side without data files is an empty data set."""
    from ..core.models import DataSet
    from ..loader.discover import list_files
    from ..loader.load import load
    from ..loader.validate import too_big
    from ..source.gitio import export_data, find_repo

    name = root.resolve().name
    empty = f"{name}/ holds no data files in {side.label}: it is compared as empty"
    if side.commit is None:
        if not list_files(root)[0]:
            return DataSet(), [], [empty]
        loaded = load(root, today(), use_cache=False)
        return loaded.data, loaded.errors, []
    limit = _size_limit(root)
    with tempfile.TemporaryDirectory(prefix="lcrplan-diff-") as tmp:
        copy = Path(tmp) / name
        exported = export_data(find_repo(root), side.commit, copy, limit)
        if not exported.files:
            return DataSet(), [], [empty]
        loaded = load(copy, today(), use_cache=False)
        unread = [too_big(f"{name}/{rel}", size, limit) for rel, size in exported.too_big]
        return loaded.data, loaded.errors + unread, []


def _size_limit(root: Path) -> int:
    """The largest data file to read from git: `limits.max_file_bytes` of the data directory
    as it is on disk (a blob over it is neither read nor copied out)."""
    from ..core.settings import Config, Limits
    from ..loader.discover import CONFIG_NAME
    from ..loader.validate import validate_file

    config = validate_file(root / CONFIG_NAME, CONFIG_NAME, Limits()).model
    return (config.limits if isinstance(config, Config) else Limits()).max_file_bytes


def _stop_on_errors(
    sides: list[Side], loaded: list[tuple[DataSet, list[Problem], list[str]]]
) -> None:
    """Print each side's errors under a line naming the side, then exit 1 if there were any."""
    for side, (_, errors, _) in zip(sides, loaded, strict=True):
        if errors:
            commit = f" ({side.commit[:12]})" if side.commit else ""
            sys.stderr.write(
                f"lcrplan: the data in {printable(side.label)}{commit} has {len(errors)} "
                "error(s):\n"
            )
            sys.stderr.writelines(p.text() + "\n" for p in errors)
    if any(errors for _, errors, _ in loaded):
        raise typer.Exit(1)


@command("codeowners", "A CODEOWNERS file: chairs review their own files.")
def codeowners(data: DataOpt = None, no_cache: NoCacheOpt = False) -> None:
    """Print a CODEOWNERS file: each data file is reviewed by its owners' chairs on GitHub.

    Chairs are mapped through the optional `github:` field of each person; files whose owners
    have no handle are listed as comments, so the gap shows.

    \b
    Example: lcrplan codeowners > .github/CODEOWNERS
    """
    from ..views.codeowners import render_codeowners

    loaded = load_data(data, no_cache)
    files = [(f.rel, f.model) for f in loaded.files if f.model is not None]
    echo(render_codeowners(files, loaded.data, loaded.root.resolve().name))
