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
from ..core.vocabulary import Confidence, GoalState, Rag
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
    usage,
)

if TYPE_CHECKING:
    from ..edits.file_edit import FileEdit
    from ..edits.scaffolding import Placed

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
    from ..api.editing import record as record_reading

    given: dict[str, object] = {"date": _day(date), "note": note, "source": source, "text": text}
    given |= {"replace": replace, "provisional": provisional, "revise": revise}
    _edit(
        record_reading,
        data,
        no_cache,
        dry_run,
        {"kpi_id": "KPI_ID", "value": "VALUE"},
        kpi_id,
        value,
        **given,
    )


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
    from ..api.editing import done as mark_done

    given: dict[str, object] = {"date": _day(date), "note": note, "replace": replace}
    _edit(mark_done, data, no_cache, dry_run, {"kpi_id": "ID"}, kpi_id, **given)


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
    from ..api.editing import set_state as set_goal_state

    _edit(set_goal_state, data, no_cache, dry_run, {"goal_id": "ID"}, goal_id, state, reason=reason)


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
    from ..api.editing import update as add_update

    given: dict[str, object] = {"summary": summary, "by": by, "rag": rag, "confidence": confidence}
    given |= {"next_steps": next_steps, "risks": risks, "asks": asks, "period": period}
    given |= {"date": _day(date), "replace": replace}
    _edit(add_update, data, no_cache, dry_run, {"item_id": "ID"}, item_id, **given)


def _edit(
    use: Callable[..., FileEdit],
    data: Path | None,
    no_cache: bool,
    dry_run: bool,
    hints: dict[str, str],
    *args: object,
    **given: object,
) -> None:
    """Make an edit through the library (`use`: `api.editing.record`...) on the data folder,
    today, and print it; a `BadArgument` is a usage error on the option it is about (`hints`:
    the arguments' metavars)."""
    with usage(**hints):
        change = use(
            data_dir(data), *args, today=today(), dry_run=dry_run, cache=not no_cache, **given
        )
    _show(change, dry_run)


def _day(value: object) -> dt.date | None:
    """`--date` as `parse_date` made it (None: not given)."""
    return value if isinstance(value, dt.date) else None


def _show(change: FileEdit, dry_run: bool) -> None:
    """Print the change's diff, and on stderr what was written (or that nothing changed)."""
    shown = printable(change.rel)
    if not change.changed:
        sys.stderr.write(f"No change: {shown} already says so.\n")
        return
    echo("".join(printable(line) + "\n" for line in change.diff().splitlines()))
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
