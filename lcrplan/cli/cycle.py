"""The update cycle's commands: requests (what each owner owes, and return forms), import
(returns back, all or nothing), calendar (deadlines for Outlook)."""

from __future__ import annotations

import datetime as dt
import sys
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
    parse_date,
    today,
    usage,
)
from .edit import DryRunOpt

if TYPE_CHECKING:
    from ..loader.load import Loaded

OwnerOpt = Annotated[
    str | None, typer.Option(metavar="ID", help="Only this owner (board, group or person) id.")
]


class RequestFormat(StrEnum):
    markdown = "markdown"
    csv = "csv"
    xlsx = "xlsx"


@command("requests", "What each owner must report for a period, with forms.")
def requests(
    period: Annotated[
        str | None,
        typer.Option(
            metavar="PERIOD",
            help="The period to report for: 2026-11, 2026-27 Q3, 2026-27 H1, 2026-27 (default: "
            "the month holding --as-of).",
            show_default=False,
        ),
    ] = None,
    owner: OwnerOpt = None,
    fmt: Annotated[
        RequestFormat,
        typer.Option("--format", "-f", help="markdown (the letter), or the return form."),
    ] = RequestFormat.markdown,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (xlsx needs one)."),
    ] = None,
    forms: Annotated[
        Path | None,
        typer.Option(
            "--forms",
            metavar="DIR",
            help="Write requests.md and one return form per owner (OWNER.csv, and OWNER.xlsx "
            "when openpyxl is installed) into DIR.",
            file_okay=False,
        ),
    ] = None,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Say what each owner must report for a period: readings due (and stale), milestones
    due, goals needing an update; as Markdown to send, and as return forms to fill in.

    \b
    Example: lcrplan requests --period "2026-27 Q3" --forms returns/2026-27-q3
    """
    from ..api import cycle as use

    when = as_of_date(as_of)
    with usage():
        chosen = use.period(period, when)
    loaded = load_data(data, no_cache)
    with usage():
        owners = use.requests(loaded, as_of=when, period=chosen, owner=owner)
        if forms is not None:
            placed = use.write_forms(loaded, forms, owners, chosen, when)
            echo("".join(f"{printable(path.as_posix())}\n" for path in placed))
            return
        content: str | bytes
        if fmt is RequestFormat.markdown:
            content = use.letter(loaded, owners, chosen, when)
        elif fmt is RequestFormat.csv:
            content = use.form_csv(owners, chosen)
        else:
            if output is None:
                raise typer.BadParameter(
                    "XLSX is a file: give --output FILE.xlsx", param_hint="--output"
                )
            content = use.form_xlsx(owners, chosen, when)
    _emit(loaded, content, output)


def _emit(loaded: Loaded, content: str | bytes, output: Path | None) -> None:
    """`content` on stdout, or written to `output` (checked as a report's file is) and its path
    printed."""
    from ..api.cycle import write_file

    if output is None:
        echo(content if isinstance(content, str) else content.decode("utf-8"))
        return
    with usage():
        path = write_file(loaded, output, content, "output")
    echo(f"{printable(path.as_posix())}\n")


@command("import", "Record the returned forms, all or nothing.")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE_OR_DIR",
            help="Returns: CSV or XLSX files, or a folder of them (other files are skipped).",
            show_default=False,
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Overwrite a measurement on the same date, a done date, or an update for the "
            "same period that says something else.",
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="PERSON",
            help="Who wrote updates whose 'by' is blank: an id, or a name as the data gives it.",
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            metavar="PERIOD",
            help="The period of updates whose 'period' is blank.",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day the returns were written (default: today; never in the future): the "
            "date of updates whose row gives none. A reading whose row gives no date is for "
            "the end of its period.",
            callback=parse_date,
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Record every row of returned forms at once: readings, milestones done, owners'
    updates. Each row is checked as record, done and update check; if any row is wrong, no
    file changes. A reading or update belongs to the period it is for, whenever it is
    imported: a reading with no date is for the period's end. Prints the diff.

    A folder gives the forms in it (its .csv and .xlsx files); any other file, given or in
    the folder, is skipped, and named.

    \b
    Example: lcrplan import returns/2026-27-q3 --dry-run
    """
    from ..api import cycle as use

    root = data_dir(data)
    when = today()
    day = date if isinstance(date, dt.date) else None
    with usage(forms="FILE_OR_DIR"):
        use.import_arguments(when, day, period)
        if not dry_run:
            finished = use.finish_interrupted(root)
            if finished:
                sys.stderr.write(f"Finished an interrupted import: wrote {', '.join(finished)}.\n")
        loaded = load_data(data, no_cache)
        forms, skipped = use.return_forms(files)
        for path, why in skipped:
            sys.stderr.write(f"Skipped {printable(path.as_posix())}: {why}.\n")
        done = use.import_returns(
            loaded,
            forms,
            today=when,
            date=day,
            by=by,
            period=period,
            replace=replace,
            dry_run=dry_run,
        )
    if not done.edits and not done.unchanged:
        sys.stderr.write(
            f"Nothing to import: no row of the {done.forms} form(s) gives a value, a milestone "
            "done or an owner's update.\n"
        )
        return
    changed = done.changed
    echo("".join(printable(line) + "\n" for w in changed for line in w.diff().splitlines()))
    counts = (
        f"{done.readings} reading(s), {done.completions} milestone(s) done, "
        f"{done.updates} update(s) in {len(changed)} file(s)"
    )
    same = f"; {done.unchanged} row(s) already recorded" if done.unchanged else ""
    if dry_run:
        sys.stderr.write(f"Dry run: would record {counts}{same}; nothing written.\n")
    elif not changed:
        sys.stderr.write(f"No change: all {done.unchanged} row(s) are already recorded.\n")
    else:
        sys.stderr.write(f"Recorded {counts}{same}.\n")


@command("calendar", "Due dates and deadlines as a calendar file (Outlook).")
def calendar(
    owner: OwnerOpt = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE.ics (default: stdout)."),
    ] = None,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write an iCalendar file of due dates and reporting deadlines (next readings and
    updates), with stable UIDs, so that Outlook shows them and a newer file moves them.

    \b
    Example: lcrplan calendar --owner mb-export --output mb-export.ics
    """
    from ..api.cycle import calendar as deadlines_calendar

    when = as_of_date(as_of)
    loaded = load_data(data, no_cache)
    with usage():
        content = deadlines_calendar(loaded, as_of=when, owner=owner)
    _emit(loaded, content, output)
