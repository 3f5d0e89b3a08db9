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
    check_filter,
    command,
    echo,
    load_data,
    parse_date,
    today,
)
from .edit import DryRunOpt

if TYPE_CHECKING:
    from ..core.periods import Period
    from ..views.owner_requests import OwnerRequests

OwnerOpt = Annotated[
    str | None, typer.Option(metavar="ID", help="Only this owner (board, group or person) id.")
]


class RequestFormat(StrEnum):
    markdown = "markdown"
    csv = "csv"
    xlsx = "xlsx"


def _period(text: str | None, as_of: dt.date) -> Period:
    from ..core.periods import parse_period, period_of

    if text is None:
        return period_of(as_of, None)
    try:
        return parse_period(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None


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
    from ..api.cycle import letter
    from ..evaluate.scorecard import evaluate
    from ..views.owner_requests import build_requests

    when = as_of_date(as_of)
    chosen = _period(period, when)
    loaded = load_data(data, no_cache)
    check_filter(loaded, owner=owner)
    card = evaluate(loaded.data, when, loaded.index)
    owners = build_requests(card, loaded.index, chosen, owner)
    if forms is not None:
        text = letter(loaded, owners, chosen, when)
        _write_forms(forms, owners, chosen, when, loaded.root, text)
        return
    if fmt is RequestFormat.markdown:
        _emit(letter(loaded, owners, chosen, when), output, loaded.root)
    elif fmt is RequestFormat.csv:
        _emit(_form_csv(owners, chosen), output, loaded.root)
    else:
        if output is None:
            raise typer.BadParameter(
                "XLSX is a file: give --output FILE.xlsx", param_hint="--output"
            )
        _emit(_form_xlsx(owners, chosen, when), output, loaded.root)


def _form_csv(owners: tuple[OwnerRequests, ...], period: Period) -> str:
    from ..source.sheets import form_csv
    from ..views.owner_requests import FORM_COLUMNS, form_rows

    rows = [
        [_csv_value(name, v) for name, v in zip(FORM_COLUMNS, row, strict=True)]
        for row in form_rows(owners, period)
    ]
    return form_csv(FORM_COLUMNS, rows, protected={"id", "period"}, numeric={"last_value"})


def _csv_value(name: str, value: str | float | dt.date | None) -> str | float | None:
    from ..views.owner_requests import number_text

    if name == "last_value" and isinstance(value, (int, float)):
        return number_text(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def _form_xlsx(owners: tuple[OwnerRequests, ...], period: Period, as_of: dt.date) -> bytes:
    from ..source.sheets import SheetError, form_xlsx
    from ..views.owner_requests import FORM_COLUMNS, TO_FILL, form_rows

    about = [
        f"Return for {period.label} ({period.start} to {period.end}), as of {as_of}.",
        "Fill in the shaded columns; leave a row blank when there is nothing to report.",
        "value: the new reading (a plain number: 1000, or 40 for 40%), or 'done' for a",
        "milestone completed. date: the day the value applies to, or the day the milestone was",
        f"done; leave it blank for the end of the period ({period.end}): the reading is for",
        f"{period.label}.",
        "rag (red, amber, green) and summary, with next_steps, risks and asks of the board:",
        "your own account of the item. by: your name (as the secretariat has it) or your id.",
        "Send the file back as it is; lcrplan import reads it (values only, never formulas).",
    ]
    try:
        return form_xlsx(FORM_COLUMNS, form_rows(owners, period), set(TO_FILL), about)
    except SheetError as exc:
        raise typer.BadParameter(str(exc), param_hint="--format") from None


def _emit(content: str | bytes, output: Path | None, root: Path) -> None:
    if output is None:
        assert isinstance(content, str)
        echo(content)
        return
    path = _place(output, root)
    _write(path, content)
    echo(f"{printable(path.as_posix())}\n")


def _place(output: Path, root: Path, forms: bool = False) -> Path:
    """`output` checked as a file to write (`report._output_path`); `forms`: it goes into the
    folder given as --forms."""
    from .report import _output_path

    return _output_path(str(output), "", root, "--forms" if forms else "--output")


def _write(path: Path, content: str | bytes) -> None:
    from ..core.problems import LcrplanError, cannot_write
    from ..source import fileio

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(path, content)
    except (OSError, fileio.UnsafePath) as exc:
        raise LcrplanError([cannot_write(str(path), exc)]) from None


def _write_forms(
    folder: Path,
    owners: tuple[OwnerRequests, ...],
    period: Period,
    as_of: dt.date,
    root: Path,
    letter: str,
) -> None:
    """The letter (requests.md) and each owner's forms into `folder`, every path checked before
    any write."""
    from ..source.fileio import portable_name

    files: list[tuple[Path, str | bytes]] = [(folder / "requests.md", letter)]
    for found in owners:
        name = portable_name(found.owner.id or "no-owner")
        files.append((folder / f"{name}.csv", _form_csv((found,), period)))
        try:
            files.append((folder / f"{name}.xlsx", _form_xlsx((found,), period, as_of)))
        except typer.BadParameter:  # openpyxl is not installed: CSV only
            continue
    placed = [(_place(path, root, forms=True), content) for path, content in files]
    for path, content in placed:
        _write(path, content)
    echo("".join(f"{printable(path.as_posix())}\n" for path, _ in placed))


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
    from ..core.problems import LcrplanError
    from ..edits import file_edit as edit
    from ..edits import journal
    from ..edits.returns import Options, plan_import
    from ..edits.target import candidates_check
    from ..source.fileio import UnsafePath, check_folders
    from ..source.sheets import SheetError, cell_problem, read_table
    from .app import data_dir

    root = data_dir(data)
    when = today()
    day = date if isinstance(date, dt.date) else None
    if day is not None and day > when:
        raise typer.BadParameter(f"{date} is in the future (today is {when})", param_hint="--date")
    chosen = None if period is None else _period(period, when).label
    if not dry_run:
        finished = journal.resume(root)
        if finished:
            sys.stderr.write(f"Finished an interrupted import: wrote {', '.join(finished)}.\n")
    loaded = load_data(data, no_cache)
    limits = loaded.data.config.limits
    forms, skipped = _forms(files)
    for path, why in skipped:
        sys.stderr.write(f"Skipped {printable(path.as_posix())}: {why}.\n")
    if not forms:
        raise typer.BadParameter(
            "no return form (.csv or .xlsx) among them", param_hint="FILE_OR_DIR"
        )
    tables, problems = [], []
    for path in forms:
        name = path.as_posix()
        try:
            check_folders(path.parent, Path.cwd())  # no committed link leads it elsewhere
            tables.append(read_table(path, name, limits.max_file_bytes, limits.max_list_items))
        except UnsafePath as exc:
            problems.append(cell_problem(name, 0, 0, "LCR713", str(exc), "nothing was imported"))
        except SheetError as exc:
            problems.append(
                cell_problem(
                    name, exc.row, exc.column, "LCR713", str(exc), "nothing was imported", exc.sheet
                )
            )
    options = Options(when, day, by, chosen, replace)
    plan = plan_import(tables, loaded, options)
    problems += plan.problems
    if problems:
        raise LcrplanError(problems)
    if not plan.edits and not plan.unchanged:
        sys.stderr.write(
            f"Nothing to import: no row of the {len(tables)} form(s) gives a value, a milestone "
            "done or an owner's update.\n"
        )
        return
    targets = [journal.FileToWrite(loaded.root.parent / rel, rel) for rel in plan.edits]
    check = candidates_check(loaded, when)
    written = journal.write_all(
        loaded.root,
        targets,
        lambda t, text: edit.rewrite(text, t.rel, edit.combined(plan.edits[t.rel])),
        lambda staged: plan.locate(check(staged)),  # at the returns' cells, not staged lines
        dry_run,
    )
    changed = [w for w in written if w.changed]
    echo("".join(printable(line) + "\n" for w in changed for line in w.diff().splitlines()))
    counts = (
        f"{plan.readings} reading(s), {plan.completions} milestone(s) done, "
        f"{plan.updates} update(s) in {len(changed)} file(s)"
    )
    same = f"; {plan.unchanged} row(s) already recorded" if plan.unchanged else ""
    if dry_run:
        sys.stderr.write(f"Dry run: would record {counts}{same}; nothing written.\n")
    elif not changed:
        sys.stderr.write(f"No change: all {plan.unchanged} row(s) are already recorded.\n")
    else:
        sys.stderr.write(f"Recorded {counts}{same}.\n")


def _forms(given: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The return forms among the paths given (a folder: the files in it, in name order), and
    the other paths, skipped, each with the reason: a folder of returns also holds the letter
    (requests.md), and Excel keeps `~$NAME.xlsx` beside a form while it is open."""
    from ..source.sheets import FORM_SUFFIXES

    forms: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in given:
        folder = path.is_dir()
        for found in sorted(path.iterdir()) if folder else [path]:
            if found.is_dir():
                skipped.append((found, "a folder (import reads the files in the folder given)"))
            elif found.suffix.lower() not in FORM_SUFFIXES:
                skipped.append((found, "not a return form (import reads .csv and .xlsx files)"))
            elif folder and found.name.startswith(("~$", ".")):
                skipped.append(
                    (found, "a hidden file, or the one Excel keeps while a form is open")
                )
            else:
                forms.append(found)
    return forms, skipped


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
    from ..emit.ics import calendar_bytes, deadlines
    from ..evaluate.scorecard import evaluate

    when = as_of_date(as_of)
    loaded = load_data(data, no_cache)
    check_filter(loaded, owner=owner)
    card = evaluate(loaded.data, when, loaded.index)
    title = loaded.data.config.title or "Plans"
    name = f"{title}: {loaded.index.owners[owner]}" if owner else title
    content = calendar_bytes(deadlines(card, loaded.index, owner), when, name)
    if output is None:
        echo(content.decode("utf-8"))
        return
    path = _place(output, loaded.root)
    _write(path, content)
    echo(f"{printable(path.as_posix())}\n")
