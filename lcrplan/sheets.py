"""Spreadsheets in and out: return forms written as CSV or XLSX, returns read back from either.
The only module that imports openpyxl (the optional extra `xlsx`).

A spreadsheet is opened by people in Excel, and a returned one is hostile input, so:
- No exported cell runs as a formula. CSV cells starting with = + - @ tab or CR get a leading
  apostrophe (`text.csv_text`); XLSX cells are written as string cells, which Excel never
  evaluates, whatever they start with.
- Ids and periods are not converted. Excel reads `1-2` as 2 January, `3e5` as 300,000, `007`
  as 7 and `mar-20` as March 2020. In XLSX every text cell is a string cell with the number
  format "@" (Text), so even a value typed over it stays text. In CSV, an id or period that
  starts with a digit, or is a month's name and a number, is written with a leading
  apostrophe (`'2026-11`): Excel shows it and leaves it as text, and `import` takes it off.
- Cells are read as data, never evaluated: an XLSX formula cell is refused (paste it as a
  value); CSV text is taken as written. Sizes are checked before reading: the file, and for
  XLSX the unpacked size and number of parts of its zip, so a zip bomb is refused unread;
  openpyxl parses the XML with defusedxml, which refuses entity bombs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .text import csv_text

Value = str | float | int | dt.date | None
MONTH_NAMES = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_CONVERTED = re.compile(rf"^(\d|(?:{MONTH_NAMES})[a-z]*[-/ ]\d)", re.IGNORECASE)
_GUARDED = re.compile(rf"^'([=+\-@\t\r]|\d|(?:{MONTH_NAMES})[a-z]*[-/ ]\d)", re.IGNORECASE)
MAX_UNPACKED = 50_000_000
"""Bytes an XLSX may unpack to (its XML); a form of 1,000 rows is well under 1 MB."""
MAX_PARTS = 1_000
"""Files inside an XLSX's zip."""
SHEET = "Return"
XLSX_EXTRA = "pip install 'lcrplan[xlsx]'"


class SheetError(ValueError):
    """A spreadsheet that cannot be read: the message says why and what to do."""


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


@dataclass(frozen=True)
class Cell:
    """A value read from a spreadsheet, where it was (1-based row and column), and whether it
    held a formula."""

    value: Value
    row: int
    column: int
    formula: bool = False


Table = tuple[list[str], list[list[Cell]]]
"""A sheet's header (as written) and its rows of cells."""


def read_table(path: Path, max_bytes: int, max_rows: int) -> Table:
    """The first sheet (or "Return") of an XLSX, or a CSV file; SheetError if unreadable."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SheetError(f"file is {size:,} bytes, over the limit of {max_bytes:,}")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(path, max_rows)
        return _read_csv(path.read_bytes(), max_rows)
    except OSError as exc:
        raise SheetError(f"cannot read the file: {exc.strerror or exc}") from None


def _read_csv(raw: bytes, max_rows: int) -> Table:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError("the file is not UTF-8: save it as 'CSV UTF-8'") from None
    rows: list[list[Cell]] = []
    try:
        for r, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if r > max_rows + 1:
                raise SheetError(f"more than {max_rows:,} rows")
            rows.append([Cell(v, r, c) for c, v in enumerate(values, start=1)])
    except csv.Error as exc:
        raise SheetError(f"not a CSV file: {exc}") from None
    return _split(rows)


def _read_xlsx(path: Path, max_rows: int) -> Table:
    openpyxl = _openpyxl()
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(p.file_size for p in parts)
    except (zipfile.BadZipFile, OSError):
        raise SheetError("not an XLSX file (it is not a zip archive)") from None
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise SheetError(
            f"the XLSX unpacks to {unpacked:,} bytes in {len(parts):,} parts, over the limits "
            f"of {MAX_UNPACKED:,} and {MAX_PARTS:,}: save the return as CSV"
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetError(f"not a readable XLSX file ({type(exc).__name__})") from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows: list[list[Cell]] = []
        for r, values in enumerate(sheet.iter_rows(), start=1):
            if r > max_rows + 1:
                raise SheetError(f"more than {max_rows:,} rows")
            rows.append([_xlsx_cell(cell, r, c) for c, cell in enumerate(values, start=1)])
    finally:
        book.close()
    return _split(rows)


def _xlsx_cell(cell: object, row: int, column: int) -> Cell:
    value = getattr(cell, "value", None)
    formula = getattr(cell, "data_type", None) == "f"
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, (str, int, float, dt.date)) or isinstance(value, bool):
        value = None if value is None else str(value)
    return Cell(value, row, column, formula)


def _split(rows: list[list[Cell]]) -> Table:
    if not rows:
        raise SheetError("the file is empty: it needs a header row with an 'id' column")
    header = [str(c.value or "").strip() for c in rows[0]]
    return header, rows[1:]
