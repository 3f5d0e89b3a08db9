"""Spreadsheets in and out: return forms written as CSV or XLSX, returns read back from either.
With `sheet_checks`, the only modules that import openpyxl (the optional extra `xlsx`).

A spreadsheet is opened by people in Excel, and a returned one is hostile input, so:
- No exported cell runs as a formula. CSV cells starting with = + - @ tab or CR get a leading
  apostrophe (`formatting.csv_text`); XLSX cells are written as string cells, which Excel never
  evaluates, whatever they start with.
- Ids and periods are not converted. Excel reads `1-2` as 2 January, `3e5` as 300,000, `007`
  as 7 and `mar-20` as March 2020. In XLSX every text cell is a string cell with the number
  format "@" (Text), so even a value typed over it stays text. In CSV, an id or period that
  starts with a digit, or is a month's name and a number, is written with a leading
  apostrophe (`'2026-11`): Excel shows it and leaves it as text, and `import` takes it off.
- Cells are read as data, never evaluated: an XLSX formula cell is refused (paste it as a
  value); CSV text is taken as written.
- Reading is bounded before it starts (`sheet_checks`). Only a regular file is read (not a link,
  a device or a pipe), and at most the size limit of it. An XLSX's zip is checked whole first:
  its parts, their unpacked size (as each part proves it, not as the zip says), the XML elements
  they hold, no declared entities, well-formed XML; then the sheet's XML is checked as openpyxl
  will read it (rows in order and within the limit, at most MAX_COLUMNS cells a row, every value
  one its type allows), so openpyxl meets nothing it would fail on or pad: it reads only the
  header's columns and the rows there are, whatever the sheet declares. A CSV row wider than
  MAX_COLUMNS is refused. Every refusal is a SheetError at its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.formatting import clipped, csv_text
from ..core.problems import Problem
from .sheet_checks import (
    MAX_COLUMNS,
    Scan,
    SheetError,
    checked_archive,
    letters,
    scan_sheet,
    too_many_rows,
)

Value = str | float | int | dt.date | None
MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_CONVERTED = re.compile(rf"^(\d|(?:{MONTH_NAMES})[a-z]*[-/ ]\d)", re.IGNORECASE)
_GUARDED = re.compile(rf"^'([=+\-@\t\r]|\d|(?:{MONTH_NAMES})[a-z]*[-/ ]\d)", re.IGNORECASE)
SHEET = "Return"
XLSX_EXTRA = "pip install 'lcrplan[xlsx]'"


class NoXlsx(SheetError):
    """openpyxl is not installed."""


def protect(text: str) -> str:
    """An id or period as a CSV cell Excel will not convert (see the module docstring)."""
    return "'" + text if _CONVERTED.match(text) else text


def unprotect(text: str) -> str:
    """A cell as the owner meant it: the apostrophe a form (or Excel) put before text that
    would otherwise be a formula, a number or a date is taken off."""
    return text[1:] if _GUARDED.match(text) else text


# --- writing ------------------------------------------------------------------------------------


def form_csv(
    header: Sequence[str], rows: Sequence[Sequence[Value]], protected: set[str], numeric: set[str]
) -> str:
    """A return form as CSV (UTF-8; a byte-order mark so that Excel reads it as UTF-8)."""
    shown = [
        [
            protect(v) if name in protected and isinstance(v, str) else v
            for name, v in zip(header, row, strict=True)
        ]
        for row in rows
    ]
    return "\ufeff" + csv_text(header, shown, numeric)


def form_xlsx(
    header: Sequence[str],
    rows: Sequence[Sequence[Value]],
    to_fill: set[str],
    about: Sequence[str],
) -> bytes:
    """A return form as XLSX: the sheet "Return" (its header frozen, the columns to fill
    shaded, RAG a drop-down) and a sheet "About" with how to fill it in."""
    openpyxl = _openpyxl()
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    shade = PatternFill("solid", fgColor="FFF2CC")
    for c, name in enumerate(header, start=1):
        _text_cell(sheet.cell(row=1, column=c), name).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, (name, value) in enumerate(zip(header, row, strict=True), start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, (int, float)):
                cell.value = value
            elif name == "date":
                cell.number_format = "yyyy-mm-dd"
            elif name != "value":
                _text_cell(cell, value or "")
            if name in to_fill:
                cell.fill = shade
    sheet.freeze_panes = "B2"
    for c, name in enumerate(header, start=1):
        width = 40 if name in ("title", "summary", "next_steps", "risks", "asks", "note") else 14
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = width
    if "rag" in header and rows:
        column = sheet.cell(row=1, column=header.index("rag") + 1).column_letter
        check = DataValidation(type="list", formula1='"red,amber,green"', allow_blank=True)
        check.add(f"{column}2:{column}{len(rows) + 1}")
        sheet.add_data_validation(check)
    notes = book.create_sheet("About")
    for r, line in enumerate(about, start=1):
        _text_cell(notes.cell(row=r, column=1), line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(cell: Any, text: str) -> Any:
    """Text as a string cell formatted as Text ("@"): never a formula, never converted."""
    cell.value = text
    cell.data_type = "s"  # assigning "=..." makes a formula: a string cell is never one
    cell.number_format = "@"
    return cell


def _openpyxl():  # type: ignore[no-untyped-def]
    try:
        import openpyxl
    except ImportError:
        raise NoXlsx(f"XLSX needs openpyxl: {XLSX_EXTRA} (or use CSV)") from None
    return openpyxl


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """A value read from a spreadsheet, where it was (1-based row and column), and whether it
    held a formula."""

    value: Value
    row: int
    column: int
    formula: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet: its number and its values from column 1 (None or "" when empty);
    a cell is made when asked for, so a sheet costs the memory of its values."""

    number: int
    values: Sequence[Value]
    formulas: frozenset[int] = frozenset()
    """The columns whose cell holds a formula."""

    def cell(self, column: int) -> Cell | None:
        """The cell in `column` (1-based), or None when it is empty or beyond the row."""
        if column > len(self.values):
            return None
        value = self.values[column - 1]
        formula = column in self.formulas
        if (value is None or value == "") and not formula:
            return None
        return Cell(value, self.number, column, formula)


@dataclass(frozen=True, slots=True)
class Table:
    """A return as read: its file (as messages name it), its header (as written), its other
    rows that hold anything, and the sheet they came from (an XLSX's; None for a CSV file)."""

    file: str
    header: list[str]
    rows: list[Row]
    sheet: str | None = None

    def position(self, row: int, column: int) -> str:
        """Where a cell of this return is, as `cell_position` writes it."""
        return cell_position(self.file, row, column, self.sheet, self.header)

    def column(self, column: int) -> str:
        """A column as the reader names it: its letters in an XLSX (`M`), its number in CSV."""
        return letters(column) if self.sheet is not None else str(column)

    def problem(self, row: int, column: int, code: str, message: str, hint: str = "") -> Problem:
        """A problem at a cell of this return (row 0: the file as a whole)."""
        return cell_problem(self.file, row, column, code, message, hint, self.sheet, self.header)


def cell_problem(
    file: str,
    row: int,
    column: int,
    code: str,
    message: str,
    hint: str = "",
    sheet: str | None = None,
    header: Sequence[str] = (),
) -> Problem:
    """A problem at a cell of a spreadsheet (row 0: the file as a whole), placed as
    `cell_position` writes it."""
    return Problem(file, row, column, code, message, hint, place=_place(row, column, sheet, header))


def cell_position(
    file: str, row: int, column: int, sheet: str | None = None, header: Sequence[str] = ()
) -> str:
    """A cell's position as the person who filled the return reads it: in an XLSX, the cell
    as Excel names it (`returns/ci-board.xlsx:Return!U5`; a whole row `Return!5:5`); in a CSV
    file, its row and the name of its column (`returns/ci-board.csv:5:value`, as Excel numbers
    the rows of a CSV it opens); the file alone for the file as a whole. The one place that
    says how a position in a return is written."""
    place = _place(row, column, sheet, header)
    return f"{file}:{place}" if place else file


def _place(row: int, column: int, sheet: str | None, header: Sequence[str]) -> str:
    if not row:
        return ""
    if sheet == "":  # a cell of an XLSX before its sheet is known
        return f"{letters(column)}{row}" if column else f"row {row}"
    if sheet is not None:
        name = sheet if _PLAIN_SHEET.fullmatch(sheet) else "'" + sheet.replace("'", "''") + "'"
        return f"{name}!{letters(column)}{row}" if column else f"{name}!{row}:{row}"
    if not column:
        return str(row)
    named = header[column - 1].strip() if column <= len(header) else ""
    return f"{row}:{clipped(named) if named else f'column {column}'}"


_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
"""A sheet name Excel writes in a reference without quotes."""


def read_table(path: Path, file: str, max_bytes: int, max_rows: int) -> Table:
    """The first sheet (or "Return") of an XLSX, or a CSV file, named `file` in messages;
    SheetError if unreadable.

    The file must be a regular file, not a link, a device or a pipe; at most `max_bytes` are
    read. Neither kind of file may have more than `max_rows` rows under its header, nor a row
    wider than MAX_COLUMNS; an XLSX is checked to be a sheet a spreadsheet could have written
    (sizes, cell references, values by type) before openpyxl reads it.
    """
    raw = _read_regular(path, max_bytes)
    if path.suffix.lower() in XLSX_SUFFIXES:
        try:
            sheet, (header, rows) = _read_xlsx(raw, max_rows)
        except SheetError as exc:
            exc.sheet = exc.sheet or ""  # in an XLSX: never placed as a CSV line
            raise
        return Table(file, header, rows, sheet)
    header, rows = _read_csv(raw, max_rows)
    return Table(file, header, rows)


XLSX_SUFFIXES = (".xlsx", ".xlsm")
FORM_SUFFIXES = (".csv", *XLSX_SUFFIXES)
"""The files a return can be: what `import` reads from a folder."""


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path` (never through a link, never a device or a
    pipe, which is not even opened), at most `max_bytes` of them."""
    try:
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode):
            raise SheetError(
                "is a symbolic link: import reads regular files only (name the file it points to)"
            )
        if not stat.S_ISREG(found.st_mode):
            raise SheetError(
                "is not a regular file (a device, a pipe or a folder): import reads regular "
                "files only"
            )
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(path, flags | getattr(os, "O_NONBLOCK", 0)), "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # replaced since lstat
                raise SheetError("is not a regular file: import reads regular files only")
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise SheetError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        size = max(found.st_size, len(raw))
        raise SheetError(f"file is {size:,} bytes, over the limit of {max_bytes:,}")
    return raw


def _read_csv(raw: bytes, max_rows: int) -> tuple[list[str], list[Row]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError("the file is not UTF-8: save it as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        for r, values in enumerate(reader, start=1):
            if r > max_rows + 1:
                raise SheetError(too_many_rows(max_rows), r, 1)
            if len(values) > MAX_COLUMNS:
                raise SheetError(
                    f"row {r} has {len(values):,} columns: a return has at most {MAX_COLUMNS}",
                    r,
                    MAX_COLUMNS + 1,
                )
            if r == 1 or any(values):
                rows.append(Row(r, values))
    except csv.Error as exc:
        raise SheetError(f"not a CSV file: {exc}", reader.line_num) from None
    return _split(rows)


def _read_xlsx(raw: bytes, max_rows: int) -> tuple[str, tuple[list[str], list[Row]]]:
    """The sheet read (its title) and its header and rows."""
    openpyxl = _openpyxl()
    archive = checked_archive(raw)
    try:
        with warnings.catch_warnings():  # openpyxl warns of what it does not read: no matter
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetError(f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise SheetError("the workbook has no sheet")
        sheet = book[SHEET] if SHEET in book.sheetnames else sheets[0]
        # where openpyxl's read-only sheet reads its XML from, and the strings it shares
        part = getattr(sheet, "_worksheet_path", None)
        strings = getattr(sheet, "_shared_strings", None)
        if not isinstance(part, str) or part not in archive.namelist() or strings is None:
            raise SheetError(f"sheet '{sheet.title}' is not a sheet of values")
        try:
            scan = scan_sheet(archive.read(part), len(strings), max_rows)
            return sheet.title, _split(_xlsx_rows(sheet, scan))
        except SheetError as exc:
            exc.sheet = sheet.title  # placed in the sheet, as Excel names its cells
            raise
    finally:
        book.close()


def _xlsx_rows(sheet: Any, scan: Scan) -> list[Row]:
    """The sheet's rows as openpyxl reads them: only the header's columns, only the rows the
    scan found (the sheet's declared dimension is ignored: it may claim 16,384 columns)."""
    if not scan.last_row:
        return []
    sheet.reset_dimensions()
    rows = []
    r = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = sheet.iter_rows(
                min_row=1, max_row=scan.last_row, max_col=max(scan.width, 1), values_only=True
            )
            for r, found in enumerate(values, start=1):
                formulas = frozenset(scan.formulas.get(r, ()))
                if r == 1 or formulas or any(v is not None for v in found):
                    rows.append(Row(r, tuple(_xlsx_value(v) for v in found), formulas))
    except SheetError:
        raise
    except Exception as exc:  # the scan let through what openpyxl still cannot read
        raise SheetError(f"not a readable XLSX file ({type(exc).__name__})", r + 1, 0) from None
    return rows


def _xlsx_value(value: object) -> Value:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        return None if value is None else str(value)
    return value


def _split(rows: list[Row]) -> tuple[list[str], list[Row]]:
    if not rows or rows[0].number != 1:
        raise SheetError("the file is empty: it needs a header row with an 'id' column")
    header = [str(v or "").strip() for v in rows[0].values]
    return header, rows[1:]
