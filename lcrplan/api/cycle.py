"""The update cycle: what each owner must report for a period (the letter and the return forms),
the returned forms imported all or nothing, and the deadlines as a calendar."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .arguments import BadArgument, check_known, output_file

if TYPE_CHECKING:
    from ..core.periods import Period
    from ..edits.file_edit import FileEdit
    from ..loader.load import Loaded
    from ..views.owner_requests import OwnerRequests


def period(text: str | None, as_of: dt.date) -> Period:
    """The reporting period `text` names (`2026-11`, `2026-27 Q3`, `2026-27 H1`, `2026-27`),
    or the month holding `as_of`."""
    from ..core.periods import parse_period, period_of

    if text is None:
        return period_of(as_of, None)
    try:
        return parse_period(text)
    except ValueError as exc:
        raise BadArgument(str(exc), "period") from None


def requests(
    loaded: Loaded, *, as_of: dt.date, period: Period, owner: str | None = None
) -> tuple[OwnerRequests, ...]:
    """What each owner (or only `owner`) must report for `period`, judged at `as_of`: readings
    due and stale, milestones due, goals needing an update."""
    from ..evaluate.scorecard import evaluate
    from ..views.owner_requests import build_requests

    check_known(loaded, owner=owner)
    card = evaluate(loaded.data, as_of, loaded.index)
    return build_requests(card, loaded.index, period, owner)


def letter(
    loaded: Loaded,
    owners: Sequence[OwnerRequests],
    period: Period,
    as_of: dt.date,
    *,
    cache: bool = False,
) -> str:
    """The requests as the Markdown letter sent to the owners: the template `requests.md.j2` of
    the data's templates folder, else the built-in one. `cache`: keep the compiled template in
    the user's cache folder."""
    from ..emit.requests_letter import letter_markdown
    from ..emit.templating import configured_folder, search_path
    from ..views.owner_requests import requests_letter

    folders, _ = search_path(None, configured_folder(loaded.root, loaded.data.config.templates))
    return letter_markdown(requests_letter(owners, period, as_of), folders, cache)


def form_csv(owners: Sequence[OwnerRequests], period: Period) -> str:
    """The return form as CSV: a row per item to report, the columns to fill left blank."""
    from ..source.sheets import form_csv as csv_form
    from ..views.owner_requests import FORM_COLUMNS, form_rows, number_text

    def cell(name: str, value: str | float | dt.date | None) -> str | float | None:
        if name == "last_value" and isinstance(value, (int, float)):
            return number_text(value)
        return value.isoformat() if isinstance(value, dt.date) else value

    rows = [
        [cell(name, v) for name, v in zip(FORM_COLUMNS, row, strict=True)]
        for row in form_rows(owners, period)
    ]
    return csv_form(FORM_COLUMNS, rows, protected={"id", "period"}, numeric={"last_value"})


def form_xlsx(owners: Sequence[OwnerRequests], period: Period, as_of: dt.date) -> bytes:
    """The return form as XLSX, with a sheet saying how to fill it in (needs openpyxl: the
    `xlsx` extra; `BadArgument` about `format` without it)."""
    from ..source.sheets import SheetError
    from ..source.sheets import form_xlsx as xlsx_form
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
        return xlsx_form(FORM_COLUMNS, form_rows(owners, period), set(TO_FILL), about)
    except SheetError as exc:
        raise BadArgument(str(exc), "format") from None


def write_file(loaded: Loaded, output: str | Path, content: str | bytes, about: str) -> Path:
    """Write `content` to `output` (checked as a report's file is: `output_file`); the path."""
    path = output_file(output, "", loaded.root, about)
    _write(path, content)
    return path


def write_forms(
    loaded: Loaded,
    folder: str | Path,
    owners: Sequence[OwnerRequests],
    period: Period,
    as_of: dt.date,
) -> list[Path]:
    """requests.md and each owner's return forms (CSV, and XLSX when openpyxl is installed)
    into `folder`, every path checked before any is written; the paths written."""
    from ..source.fileio import portable_name

    out = Path(folder)
    files: list[tuple[Path, str | bytes]] = [
        (out / "requests.md", letter(loaded, owners, period, as_of))
    ]
    for found in owners:
        name = portable_name(found.owner.id or "no-owner")
        files.append((out / f"{name}.csv", form_csv((found,), period)))
        try:
            files.append((out / f"{name}.xlsx", form_xlsx((found,), period, as_of)))
        except BadArgument:  # openpyxl is not installed: CSV only
            continue
    placed = [(output_file(path, "", loaded.root, "forms"), content) for path, content in files]
    for path, content in placed:
        _write(path, content)
    return [path for path, _ in placed]


def _write(path: Path, content: str | bytes) -> None:
    from ..core.problems import LcrplanError, cannot_write
    from ..source import fileio

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_atomic(path, content)
    except (OSError, fileio.UnsafePath) as exc:
        raise LcrplanError([cannot_write(str(path), exc)]) from None


def calendar(loaded: Loaded, *, as_of: dt.date, owner: str | None = None) -> bytes:
    """Due dates and reporting deadlines (next readings and updates) as an iCalendar file,
    with stable UIDs, so that Outlook shows them and a newer file moves them."""
    from ..emit.ics import calendar_bytes, deadlines
    from ..evaluate.scorecard import evaluate

    check_known(loaded, owner=owner)
    card = evaluate(loaded.data, as_of, loaded.index)
    title = loaded.data.config.title or "Plans"
    name = f"{title}: {loaded.index.owners[owner]}" if owner else title
    return calendar_bytes(deadlines(card, loaded.index, owner), as_of, name)


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an import recorded: each data file's text before and after (`edits`, with the
    files it left unchanged), the rows counted by what they give, and the rows already
    recorded."""

    edits: tuple[FileEdit, ...]
    readings: int
    completions: int
    updates: int
    unchanged: int
    forms: int

    @property
    def changed(self) -> tuple[FileEdit, ...]:
        return tuple(e for e in self.edits if e.changed)


def finish_interrupted(folder: str | os.PathLike[str]) -> list[str]:
    """Finish an import that stopped part-way (the machine or the process died); the files it
    wrote."""
    from ..edits import journal

    return journal.resume(Path(folder))


def return_forms(given: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
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


def import_arguments(today: dt.date, date: dt.date | None, named: str | None) -> str | None:
    """What `import_returns` checks before it reads a form: `date` not after `today`, and the
    period `named` (its label, None when not given)."""
    if date is not None and date > today:
        raise BadArgument(f"{date} is in the future (today is {today})", "date")
    return None if named is None else period(named, today).label


def import_returns(
    loaded: Loaded,
    forms: Sequence[Path],
    *,
    today: dt.date,
    date: dt.date | None = None,
    by: str | None = None,
    period: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> Imported:
    """Record every row of the returned `forms` (CSV or XLSX) at once: readings, milestones
    done, owners' updates, each checked as `record`, `done` and `update` check it; if any row
    is wrong, `LcrplanError` with every problem at its cell, and no file changes. `date`: the
    day the returns were written (default `today`); `by` and `period`: for the rows that give
    none."""
    from ..core.problems import LcrplanError
    from ..edits import file_edit, journal
    from ..edits.returns import Options, plan_import
    from ..edits.target import candidates_check
    from ..source.fileio import UnsafePath, check_folders
    from ..source.sheets import SheetError, cell_problem, read_table

    label = import_arguments(today, date, period)
    if not forms:
        raise BadArgument("no return form (.csv or .xlsx) among them", "forms")
    limits = loaded.data.config.limits
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
    plan = plan_import(tables, loaded, Options(today, date, by, label, replace))
    problems += plan.problems
    if problems:
        raise LcrplanError(problems)
    edits: list[FileEdit] = []
    if plan.edits:
        targets = [journal.FileToWrite(loaded.root.parent / rel, rel) for rel in plan.edits]
        check = candidates_check(loaded, today)
        edits = journal.write_all(
            loaded.root,
            targets,
            lambda t, text: file_edit.rewrite(text, t.rel, file_edit.combined(plan.edits[t.rel])),
            lambda staged: plan.locate(check(staged)),  # at the returns' cells, not staged lines
            dry_run,
        )
    return Imported(
        tuple(edits), plan.readings, plan.completions, plan.updates, plan.unchanged, len(tables)
    )
