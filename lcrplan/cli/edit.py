"""Commands that write: record, done, set-state; and schema, init."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..textsafe import printable
from .app import DataOpt, NoCacheOpt, app, data_dir, echo, load_data, parse_date, parse_text, today

if TYPE_CHECKING:
    from ..origin import Origin
    from ..recheck import Target

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The day it happened (default: today; never in the future).",
        callback=parse_date,
        show_default=False,
    ),
]
NoteOpt = Annotated[
    str | None,
    typer.Option("--note", help="A short note to keep with it.", callback=parse_text),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Print the change without writing it.")
]


class GoalState(StrEnum):
    active = "active"
    paused = "paused"
    dropped = "dropped"


@app.command()
def record(
    kpi_id: Annotated[str, typer.Argument(metavar="KPI_ID", help="Id of the KPI.")],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The number measured (an ongoing KPI also takes words).",
            callback=parse_text,
        ),
    ],
    date: DateOpt = None,
    note: NoteOpt = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Where the figure comes from.", callback=parse_text),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help='The figure as worded, e.g. "£1bn".', callback=parse_text),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a measurement already on that date.")
    ] = False,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Add a measurement to a KPI in the file that defines it, and print the change.

    Example: lcrplan record ci-inv-3-people 240 --date 2026-03-31 --note "First event"
    """
    from .. import edit

    target = _target(data, no_cache, kpi_id, "kpi")
    when = _past_date(date)
    number, worded = _measured(value, target.item, text)
    entry = {"date": when, "value": number, "text": worded, "note": note, "source": source}
    _write(target, lambda t, rel: edit.add_measurement(t, rel, kpi_id, entry, replace), dry_run)


@app.command()
def done(
    kpi_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a milestone KPI.")],
    date: DateOpt = None,
    note: NoteOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Change the date or note of a milestone already done.")
    ] = False,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Mark a milestone KPI done on a date, and print the change.

    Example: lcrplan done ci-inv-1-brand --date 2026-05-12 --note "Endorsed by the board"
    """
    from .. import edit

    target = _target(data, no_cache, kpi_id, "kpi")
    kpi = target.item
    if kpi.kind != "milestone":
        raise typer.BadParameter(
            f"'{kpi_id}' is {_a(kpi.kind)} KPI; only milestones are marked done "
            f"(record a measurement: lcrplan record {kpi_id} VALUE)",
            param_hint="ID",
        )
    entry = {"date": _past_date(date), "note": note}
    _write(target, lambda t, rel: edit.mark_done(t, rel, kpi_id, entry, replace), dry_run)


@app.command("set-state")
def set_state(
    goal_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a goal.")],
    state: Annotated[GoalState, typer.Argument(help="active, paused or dropped.")],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="Why it is paused or dropped (required for those).",
            callback=parse_text,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Set a goal's state: active, paused or dropped (with a reason), and print the change.

    Example: lcrplan set-state ci-inv-2 paused --reason "Funding under review"
    """
    from .. import edit

    target = _target(data, no_cache, goal_id, "goal")
    goal = target.item
    if state is GoalState.active and reason:
        raise typer.BadParameter(
            "an active goal has no reason; --reason is for paused or dropped", param_hint="--reason"
        )
    if state is not GoalState.active and not (reason or goal.state_reason):
        raise typer.BadParameter(
            f'a {state.value} goal needs a reason: add --reason "..." saying why',
            param_hint="--reason",
        )
    _write(
        target, lambda t, rel: edit.set_goal_state(t, rel, goal_id, state.value, reason), dry_run
    )


def _target(data: Path | None, no_cache: bool, item_id: str, want: str) -> Target:
    """The KPI or goal (`want`) to edit: through the cache's id index when it can be trusted,
    else by loading the data set (which also reports a wrong or unknown id)."""
    from ..models import Goal
    from ..recheck import loaded_target, quick_target

    root = data_dir(data)
    if not no_cache:
        quick = quick_target(root, item_id, today())
        if quick is not None and isinstance(quick.item, Goal) == (want == "goal"):
            return quick
    loaded = load_data(data, no_cache)
    item = _kpi(loaded, item_id) if want == "kpi" else _goal(loaded, item_id)
    return loaded_target(loaded, item_id, item, today(), restamp=not no_cache)


def _kpi(loaded: Any, kpi_id: str) -> Any:
    ix = loaded.index
    if kpi_id in ix.kpis:
        return ix.kpis[kpi_id][0]
    if kpi_id in ix.goals:
        kpis = ", ".join(k.id for k in ix.goals[kpi_id].goal.kpis) or "it has none yet"
        raise typer.BadParameter(
            f"'{kpi_id}' is a goal, not a KPI (its KPIs: {kpis})", param_hint="KPI_ID"
        )
    raise typer.BadParameter(
        f"no KPI with id '{kpi_id}' ({_nearest(kpi_id, ix.kpis)})", param_hint="KPI_ID"
    )


def _goal(loaded: Any, goal_id: str) -> Any:
    ix = loaded.index
    if goal_id in ix.goals:
        return ix.goals[goal_id].goal
    if goal_id in ix.kpis:
        raise typer.BadParameter(
            f"'{goal_id}' is a KPI; state is set on its goal '{ix.kpis[goal_id][1]}'",
            param_hint="ID",
        )
    raise typer.BadParameter(
        f"no goal with id '{goal_id}' ({_nearest(goal_id, ix.goals)})", param_hint="ID"
    )


def _nearest(word: str, known: Any) -> str:
    from ..errors import did_you_mean

    return did_you_mean(word, known) or "lcrplan status --format csv lists every id"


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _past_date(value: Any) -> dt.date:
    when = value if isinstance(value, dt.date) else today()
    if when > today():
        raise typer.BadParameter(
            f"{when} is in the future (today is {today()}): record what has happened",
            param_hint="--date",
        )
    return when


_INTEGER = re.compile(r"[-+]?[0-9]+")


def _number(value: str) -> int | float | None:
    text = value.strip().replace("_", "")
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _measured(value: str, kpi: Any, text: str | None) -> tuple[int | float | None, str | None]:
    """The measurement's `value` and `text` from VALUE, as the KPI's kind allows."""
    if kpi.kind == "milestone":
        raise typer.BadParameter(
            f"'{kpi.id}' is a milestone KPI: it is marked done, not measured "
            f"(run: lcrplan done {kpi.id} --date YYYY-MM-DD)",
            param_hint="KPI_ID",
        )
    number = _number(value)
    if number is not None:
        return number, text
    if kpi.kind in ("numeric", "indicator"):
        raise typer.BadParameter(
            f"'{value}' is not a number, and '{kpi.id}' is {_a(kpi.kind)} KPI: give a plain "
            'number such as 240 or 6750000 (put the wording in --text, e.g. --text "£6.75M")',
            param_hint="VALUE",
        )
    if text is not None:
        raise typer.BadParameter(
            "give either a number as VALUE or the wording in --text, not both", param_hint="VALUE"
        )
    return None, value


def _write(target: Target, change_text: Callable[[str, str], str], dry_run: bool) -> None:
    """Edit the target's file, check the result, write it and print the diff."""
    from .. import edit

    rel = target.rel
    change = edit.apply(target.path, rel, lambda t: change_text(t, rel), target.check, dry_run)
    if not change.changed:
        sys.stderr.write(f"No change: {rel} already says so.\n")
        return
    if not dry_run:
        target.written()
    echo("".join(printable(line) + "\n" for line in change.diff().splitlines()))
    sys.stderr.write(f"Dry run: {rel} not written.\n" if dry_run else f"Wrote {rel}.\n")


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write <kind>.schema.json files into this folder (default: print them all as "
            "one JSON object by kind).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Export the JSON Schemas of the data files (directory, plan, theme, config) for editors.

    Example: lcrplan schema --output data/schema
    """
    from .. import fileio
    from .. import schema as sch

    if output is None:
        echo(sch.render(sch.schemas()))
        return
    try:
        written = sch.write(output)
    except (OSError, fileio.UnsafePath) as exc:
        raise _cannot_write(output, exc) from None
    for path, changed in written:
        echo(f"{'wrote' if changed else 'unchanged'} {path}\n")


def _cannot_write(path: Path, exc: Exception) -> Exception:
    from ..errors import LcrplanError, Problem

    message = f"cannot write: {getattr(exc, 'strerror', None) or exc}"
    return LcrplanError(
        [Problem(str(path), 0, 0, "error", message, "check the path and its permissions")]
    )


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to create.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Add the missing files to a folder that is not empty."),
    ] = False,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            metavar="GIT_URL@REF",
            help="Where the new repository's CI installs lcrplan from: its git repository at a "
            "full commit id or version tag (default: where this lcrplan was installed from).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a data repository: settings, an example plan, schemas, workflows and pre-commit.

    The workflows and pre-commit hook install lcrplan pinned to an exact commit, never by a bare
    package name.

    Example: lcrplan init lcr-plans --source git+https://github.com/OWNER/lcrplan@v0.1.0
    """
    from ..origin import installed_origin, parse_origin

    try:
        origin = parse_origin(source) if source is not None else installed_origin()
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--source") from None
    if directory.exists() and not directory.is_dir():
        raise typer.BadParameter(f"{directory} is a file, not a folder", param_hint="DIR")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise typer.BadParameter(
            f"{directory} is not empty: choose a new folder, or pass --force to add only the "
            "files that are missing (existing files are never overwritten)",
            param_hint="DIR",
        )
    created, problems = _create_missing(directory, origin)
    if problems:
        sys.stderr.writelines(line + "\n" for line in problems)
        sys.stderr.write(f"lcrplan: created {created} file(s); the rest above were not written\n")
        raise typer.Exit(1)
    echo(
        f"\nNext: cd {directory} && lcrplan validate && lcrplan status\n"
        "Edit data/example/ (or copy it per plan); see the comments in each file.\n"
    )
    if origin is None:
        echo(
            "\nNot pinned: this lcrplan was not installed from a git repository, so the "
            "workflows\nwill stop until .github/lcrplan-requirements.txt and "
            ".pre-commit-config.yaml name\nlcrplan's repository at an exact commit (or run "
            "init again with --source).\n"
        )


def _create_missing(directory: Path, origin: Origin | None) -> tuple[int, list[str]]:
    """Create each scaffold file that is missing; (how many, a line per file not written).

    A folder given to --force can hold committed links: nothing is written through one, and a
    file that exists (or is a link) is kept as it is.
    """
    from .. import fileio

    created = 0
    links: set[Path] = set()
    failed: list[str] = []
    for rel, content in sorted(scaffold_files(origin).items()):
        path = directory / rel
        link = fileio.first_link(path, directory) if directory.is_dir() else None
        if link == path or os.path.lexists(path):
            why = "a symbolic link: not followed" if link == path else "exists"
            echo(f"kept     {path} ({why})\n")
        elif link is not None:
            links.add(link)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fileio.create_new(path, content)
            except OSError as exc:
                failed.append(f"{path}: cannot write: {exc.strerror or exc}")
                continue
            created += 1
            echo(f"created  {path}\n")
    notes = [
        f"{link}: not followed: a symbolic link (nothing written under it)"
        for link in sorted(links)
    ]
    return created, notes + failed


def scaffold_files(origin: Origin | None = None) -> dict[str, bytes]:
    """Every file `init` writes, by path inside the new folder, pinned to `origin` where known."""
    from importlib import resources

    from .. import schema as sch
    from ..origin import pin_scaffold

    package = resources.files("lcrplan")
    files = dict(_tree(package / "scaffold", ""))
    for rel, text in pin_scaffold(files, origin).items():
        files[rel] = text.encode("utf-8")
    templates = package / "templates"
    if templates.is_dir():
        files.update(_tree(templates, "templates/"))
    for name, text in sch.rendered().items():
        files[f"data/schema/{name}"] = text.encode("utf-8")
    return files


def _tree(folder: Any, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            out.extend(_tree(entry, f"{prefix}{entry.name}/"))
        else:
            out.append((prefix + entry.name, entry.read_bytes()))
    return out
