"""Commands that write: record, done, set-state; and schema, init."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.textsafe import printable
from ..core.vocabulary import Confidence, GoalState, ItemType, Rag
from .app import (
    DataOpt,
    NoCacheOpt,
    check_output,
    command,
    data_dir,
    echo,
    parse_date,
    parse_text,
    today,
)

if TYPE_CHECKING:
    from ..edits.scaffolding import Placed
    from ..edits.target import Target

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
    typer.Option(
        "--note", metavar="TEXT", help="A short note to keep with it.", callback=parse_text
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", "-n", help="Print the change without writing it.")
]


@command("record", "Add a reading to a KPI.")
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
        typer.Option(
            "--source", metavar="TEXT", help="Where the figure comes from.", callback=parse_text
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text", metavar="TEXT", help='The figure as worded, e.g. "£1bn".', callback=parse_text
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a measurement already on that date.")
    ] = False,
    provisional: Annotated[
        bool,
        typer.Option(
            "--provisional", help="The figure may still change (a first estimate, unaudited)."
        ),
    ] = False,
    revise: Annotated[
        str | None,
        typer.Option(
            "--revise",
            metavar="REASON",
            help="Revise the figure already recorded on --date, saying why: the new value is "
            "added after it, dated when it was revised (today), and statuses use it.",
            callback=parse_text,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Add a measurement to a KPI in the file that defines it, and print the change.

    \b
    Example: lcrplan record ci-inv-3-people 240 --date 2026-03-31 --note "First event"
    """
    from ..edits import file_edit as edit

    target = _target(data, no_cache, kpi_id, ItemType.kpi)
    when = _past_date(date)
    if revise is not None and replace:
        raise typer.BadParameter("a revision keeps the figure it revises", param_hint="--replace")
    try:
        number, worded = edit.measured_value(kpi_id, target.kpi.kind, value, text)
    except edit.Refused as exc:
        raise typer.BadParameter(str(exc), param_hint=_ARGUMENTS[exc.about]) from None
    entry = {"date": when, "value": number, "text": worded, "note": note, "source": source}
    entry |= {"provisional": True if provisional else None}
    if revise is not None:
        entry |= {"written": today(), "revised": revise}
    _write(target, lambda t, rel: edit.add_measurement(t, rel, kpi_id, entry, replace), dry_run)


@command("done", "Mark a milestone done.")
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

    \b
    Example: lcrplan done ci-inv-1-brand --date 2026-05-12 --note "Endorsed by the board"
    """
    from ..edits import file_edit as edit

    target = _target(data, no_cache, kpi_id, ItemType.kpi)
    try:
        edit.refuse_done(kpi_id, target.kpi.kind)
    except edit.Refused as exc:
        raise typer.BadParameter(str(exc), param_hint="ID") from None
    entry = {"date": _past_date(date), "note": note}
    _write(target, lambda t, rel: edit.mark_done(t, rel, kpi_id, entry, replace), dry_run)


@command("set-state", "Pause, drop or resume a goal, with the reason.")
def set_state(
    goal_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a goal.")],
    state: Annotated[GoalState, typer.Argument(metavar="STATE", help="active, paused or dropped.")],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why it is paused or dropped (required for those).",
            callback=parse_text,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Set a goal's state: active, paused or dropped (with a reason), and print the change.

    \b
    Example: lcrplan set-state ci-inv-2 paused --reason "Funding under review"
    """
    from ..edits import file_edit as edit

    target = _target(data, no_cache, goal_id, ItemType.goal)
    goal = target.goal
    if reason and not state.needs_reason:
        raise typer.BadParameter(
            "an active goal has no reason; --reason is for paused or dropped", param_hint="--reason"
        )
    if state.needs_reason and not (reason or goal.state_reason):
        raise typer.BadParameter(
            f'a {state.value} goal needs a reason: add --reason "..." saying why',
            param_hint="--reason",
        )
    _write(target, lambda t, rel: edit.set_goal_state(t, rel, goal_id, state, reason), dry_run)


@command("update", "Add an owner's RAG rating and commentary for a period.")
def update(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a goal or KPI.")],
    summary: Annotated[
        str,
        typer.Option(
            "--summary", metavar="TEXT", help="What happened (required).", callback=parse_text
        ),
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="PERSON",
            help="Who writes it: their id, or their name as the data gives it.",
            callback=parse_text,
        ),
    ],
    rag: Annotated[
        Rag | None, typer.Option("--rag", help="The owner's own rating: red, amber or green.")
    ] = None,
    confidence: Annotated[
        Confidence | None,
        typer.Option("--confidence", help="Or confidence of delivery: low, medium or high."),
    ] = None,
    next_steps: Annotated[
        str | None,
        typer.Option("--next", metavar="TEXT", help="What is next.", callback=parse_text),
    ] = None,
    risks: Annotated[
        str | None,
        typer.Option("--risks", metavar="TEXT", help="Risks or issues.", callback=parse_text),
    ] = None,
    asks: Annotated[
        str | None,
        typer.Option(
            "--asks",
            metavar="TEXT",
            help="What the owner needs from the board.",
            callback=parse_text,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The period it covers: 2026-11, 2026-27 Q3, 2026-27 H1, 2026-27 (default: "
            "the item's reporting period holding --date).",
            show_default=False,
        ),
    ] = None,
    date: DateOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the update already given for the period.")
    ] = False,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Add an owner's update to a goal or KPI: their RAG rating and commentary for a period,
    shown beside the computed status. Prints the change.

    \b
    Example: lcrplan update ci-inv-3 --rag amber --summary "Venue booked" --by rachel-mclean
    """
    from ..core.periods import parse_period, period_of
    from ..edits import file_edit as edit
    from ..evaluate.cadence import frequency_of

    if (rag is None) == (confidence is None):
        raise typer.BadParameter("give --rag or --confidence (one of them)", param_hint="--rag")
    from ..loader.index import UnknownPerson, person_id

    target = _target(data, no_cache, item_id, None)
    try:
        by = person_id(target.people, by)
    except UnknownPerson as exc:
        raise typer.BadParameter(str(exc), param_hint="--by") from None
    when = _past_date(date)
    if period is None:
        label = period_of(
            when, frequency_of(getattr(target.item, "frequency", None), target.plan)
        ).label
    else:
        try:
            label = parse_period(period).label
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--period") from None
    entry = {
        "period": label,
        "date": when,
        "by": by,
        "rag": rag.value if rag else None,
        "confidence": confidence.value if confidence else None,
        "summary": summary,
        "next_steps": next_steps,
        "risks": risks,
        "asks": asks,
    }
    _write(target, lambda t, rel: edit.add_update(t, rel, item_id, entry, replace), dry_run)


_ARGUMENTS = {"id": "KPI_ID", "value": "VALUE"}


def _target(data: Path | None, no_cache: bool, item_id: str, want: ItemType | None) -> Target:
    """The KPI or goal (`want`; None: either) to edit; an unknown or wrong id is a usage
    error."""
    from ..edits.target import NotFound, find_target

    try:
        return find_target(data_dir(data), item_id, want, today(), use_cache=not no_cache)
    except NotFound as exc:
        param = "KPI_ID" if want is ItemType.kpi else "ID"
        raise typer.BadParameter(str(exc), param_hint=param) from None


def _past_date(value: object) -> dt.date:
    """`--date` as `parse_date` made it (default today), refused when in the future."""
    when = value if isinstance(value, dt.date) else today()
    if when > today():
        raise typer.BadParameter(
            f"{when} is in the future (today is {today()}): record what has happened",
            param_hint="--date",
        )
    return when


def _write(target: Target, change_text: Callable[[str, str], str], dry_run: bool) -> None:
    """Edit the target's file, check the result, write it and print the diff."""
    from ..edits import file_edit as edit

    rel = target.rel
    change = edit.apply(target.path, rel, lambda t: change_text(t, rel), target.check, dry_run)
    if not change.changed:
        sys.stderr.write(f"No change: {printable(rel)} already says so.\n")
        return
    if not dry_run:
        target.written()
    echo("".join(printable(line) + "\n" for line in change.diff().splitlines()))
    shown = printable(rel)
    sys.stderr.write(f"Dry run: {shown} not written.\n" if dry_run else f"Wrote {shown}.\n")


class SchemaOf(StrEnum):
    data = "data"
    output = "output"


@command("schema", "JSON Schemas of the data files (for editors) or the output.")
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write the schemas into this folder as files: <kind>.schema.json, or "
            "output.schema.json (default: print them).",
            file_okay=False,
        ),
    ] = None,
    of: Annotated[
        SchemaOf,
        typer.Option(
            "--for",
            help="data: the data files (directory, plan, theme, config), for editors; output: "
            "what every --format json prints, for the tools that read it.",
        ),
    ] = SchemaOf.data,
) -> None:
    """Export JSON Schemas: of the data files, for editors, or of the --format json output.

    \b
    Example: lcrplan schema --output data/schema
    Example: lcrplan schema --for output --output docs
    """
    from ..emit import schema as sch
    from ..source import fileio

    if of is SchemaOf.output:
        from ..emit.json_csv import SCHEMA_FILE
        from ..emit.json_csv import schema as output_schema

        text = sch.render(output_schema())
        if output is None:
            echo(text)
            return
        files = {SCHEMA_FILE: text}
    else:
        if output is None:
            echo(sch.render(sch.schemas()))
            return
        files = sch.rendered()
    check_output(output, "--output")
    try:
        written = sch.write(output, files)
    except (OSError, fileio.UnsafePath) as exc:
        raise _cannot_write(output, exc) from None
    for path, changed in written:
        echo(f"{'wrote' if changed else 'unchanged'} {printable(path)}\n")


def _cannot_write(path: Path, exc: Exception) -> Exception:
    from ..core.problems import LcrplanError, cannot_write

    return LcrplanError([cannot_write(str(path), exc)])


@command("init", "Create a new data repository, with an example plan.")
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

    \b
    Example: lcrplan init lcr-plans --source git+https://github.com/OWNER/lcrplan@v0.1.0
    """
    from ..edits.scaffolding import create_missing, installed_pin, parse_pin

    try:
        pin = parse_pin(source) if source is not None else installed_pin()
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--source") from None
    check_output(directory, "DIR")  # links inside it: create_missing
    if directory.exists() and not directory.is_dir():
        raise typer.BadParameter(f"{directory} is a file, not a folder", param_hint="DIR")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise typer.BadParameter(
            f"{directory} is not empty: choose a new folder, or pass --force to add only the "
            "files that are missing (existing files are never overwritten)",
            param_hint="DIR",
        )
    created, problems = _report_placed(create_missing(directory, pin))
    if problems:
        sys.stderr.writelines(printable(line) + "\n" for line in problems)
        sys.stderr.write(f"lcrplan: created {created} file(s); the rest above were not written\n")
        raise typer.Exit(1)
    echo(
        f"\nNext: cd {printable(directory)} && lcrplan validate && lcrplan status\n"
        "Edit data/example/ (or copy it per plan); see the comments in each file.\n"
    )
    if pin is None:
        echo(
            "\nNot pinned: this lcrplan was not installed from a git repository, so the "
            "workflows\nwill stop until .github/lcrplan-requirements.txt and "
            ".pre-commit-config.yaml name\nlcrplan's repository at an exact commit (or run "
            "init again with --source).\n"
        )


def _report_placed(placed: list[Placed]) -> tuple[int, list[str]]:
    """Print each file created or kept; (how many were created, a line per file not written)."""
    from ..edits.scaffolding import Outcome

    kept = {Outcome.exists: "exists", Outcome.link: "a symbolic link: not followed"}
    links: set[Path] = set()
    failed: list[str] = []
    for file in placed:
        if file.outcome is Outcome.created:
            echo(f"created  {printable(file.path)}\n")
        elif file.outcome in kept:
            echo(f"kept     {printable(file.path)} ({kept[file.outcome]})\n")
        elif file.link is not None:
            links.add(file.link)
        else:
            failed.append(f"{file.path}: cannot write: {file.error}")
    notes = [
        f"{link}: not followed: a symbolic link (nothing written under it)"
        for link in sorted(links)
    ]
    created = sum(file.outcome is Outcome.created for file in placed)
    return created, notes + failed
