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
  value); CSV text is taken as written.
- Reading is bounded before it starts. Only a regular file is read (not a link, a device or
  a pipe), and at most the size limit of it. An XLSX's zip is checked whole first: its parts,
  their unpacked size (as each part proves it, not as the zip says), the XML elements they
  hold, no declared entities, well-formed XML; then the sheet's XML is checked as openpyxl
  will read it (rows in order and within the limit, at most MAX_COLUMNS cells a row, every
  value one its type allows), so openpyxl meets nothing it would fail on or pad: it reads
  only the header's columns and the rows there are, whatever the sheet declares. A CSV row
  wider than MAX_COLUMNS is refused. Every refusal is a SheetError at its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from .errors import Problem
from .text import clipped, csv_text, parse_number

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
    """A spreadsheet that cannot be read: the message says why and what to do; `row` and
    `column` (1-based, 0 when it is not one cell) say where, in `sheet` (an XLSX's sheet, once
    it is known; "" in an XLSX before then)."""

    def __init__(self, message: str, row: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.row, self.column = row, column
        self.sheet: str | None = None


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

MAX_COLUMNS = 64
"""Columns a return may have: a form has 16, and an owner may add a few of their own."""
MAX_ELEMENTS = 1_000_000
"""XML elements (counted by their `<`) in all of an XLSX's parts: openpyxl holds some parts
whole in memory, and a return of 10,000 rows has about 500,000."""
MAX_OTHER_PART = 2_000_000
"""Bytes of a part whose name does not end in .xml or .rels (a picture): openpyxl reads some
parts by their type, not their name."""
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_DIGITS = re.compile(r"[0-9]{1,9}")
_TYPES = {"n", "s", "str", "b", "d", "e", "inlineStr"}


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
        return _letters(column) if self.sheet is not None else str(column)

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
        return f"{_letters(column)}{row}" if column else f"row {row}"
    if sheet is not None:
        name = sheet if _PLAIN_SHEET.fullmatch(sheet) else "'" + sheet.replace("'", "''") + "'"
        return f"{name}!{_letters(column)}{row}" if column else f"{name}!{row}:{row}"
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
                raise SheetError(_too_many_rows(max_rows), r, 1)
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


def _too_many_rows(max_rows: int) -> str:
    return (
        f"more than {max_rows + 1:,} rows: a return has at most {max_rows:,} rows under its header"
    )


def _read_xlsx(raw: bytes, max_rows: int) -> tuple[str, tuple[list[str], list[Row]]]:
    """The sheet read (its title) and its header and rows."""
    openpyxl = _openpyxl()
    archive = _checked_archive(raw)
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
            scan = _scan_sheet(archive.read(part), len(strings), max_rows)
            return sheet.title, _split(_xlsx_rows(sheet, scan))
        except SheetError as exc:
            exc.sheet = sheet.title  # placed in the sheet, as Excel names its cells
            raise
    finally:
        book.close()


def _checked_archive(raw: bytes) -> zipfile.ZipFile:
    """The XLSX as a zip, refused unread past its limits: parts, unpacked bytes, XML elements
    (an upper bound: the `<`s), declared entities (openpyxl's defusedxml refuses them too)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SheetError("not an XLSX file (it is not a zip archive)") from None
    unpacked = sum(p.file_size for p in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise SheetError(
            f"the XLSX unpacks to {unpacked:,} bytes in {len(parts):,} parts, over the limits "
            f"of {MAX_UNPACKED:,} and {MAX_PARTS:,}: save the return as CSV"
        )
    elements = 0
    for part in parts:
        xml = part.filename.lower().endswith((".xml", ".rels"))
        if not xml and part.file_size > MAX_OTHER_PART:
            raise SheetError(
                f"the XLSX's part {part.filename} is {part.file_size:,} bytes, over the limit of "
                f"{MAX_OTHER_PART:,} for a part that is not XML: save the return as CSV"
            )
        try:
            content = archive.read(part)  # zipfile stops at the size the zip declares
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            content = None
        if content is None or len(content) != part.file_size:
            raise SheetError(
                f"the XLSX is damaged: the size or checksum of {part.filename} is wrong"
            )
        if xml:
            if b"<!DOCTYPE" in content:
                raise SheetError(
                    f"the XLSX's part {part.filename} declares entities (<!DOCTYPE>), which a "
                    "spreadsheet never writes"
                )
            _check_well_formed(part.filename, content)
        elements += content.count(b"<")
    if elements > MAX_ELEMENTS:
        raise SheetError(
            f"the XLSX holds more than {MAX_ELEMENTS:,} XML elements: save the return as CSV"
        )
    return archive


def _check_well_formed(name: str, xml: bytes) -> None:
    """SheetError unless `xml` is whole, well-formed XML (expat, with no handler: fast); a
    damaged sheet is placed after the last row that began."""
    try:
        expat.ParserCreate().Parse(xml, True)
        return
    except expat.ExpatError as exc:
        code = exc.code
    rows = 0

    def start(tag: str, attrs: object) -> None:
        nonlocal rows
        rows += tag == _ROW

    counter = expat.ParserCreate(namespace_separator=" ")
    counter.StartElementHandler = start
    with suppress(expat.ExpatError):
        counter.Parse(xml, True)
    reason = expat.errors.messages[code]
    if rows and code in _CUT_SHORT:
        raise SheetError(f"the sheet is cut short after row {rows}: the file is damaged", rows)
    if rows:
        raise SheetError(f"the sheet's XML is damaged after row {rows} ({reason})", rows)
    raise SheetError(f"the XLSX's part {name} is not well-formed XML ({reason})")


_ROW = f"{SHEET_NS} row"
_CELL = f"{SHEET_NS} c"
_VALUE = f"{SHEET_NS} v"
_FORMULA = f"{SHEET_NS} f"
_INLINE = f"{SHEET_NS} is"
_CUT_SHORT = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
}


@dataclass
class _Scan:
    """What a sheet's XML holds, found before openpyxl reads it (`_scan_sheet`)."""

    last_row: int = 0
    width: int = 0
    """The header's last column with a value."""
    formulas: dict[int, set[int]] = field(default_factory=dict)
    """Row -> the columns whose cell holds a formula."""


def _scan_sheet(xml: bytes, strings: int, max_rows: int) -> _Scan:
    """Check a sheet's XML as openpyxl will read it, so that it reads only what it can: rows
    numbered in order and within `max_rows` (and the header), at most MAX_COLUMNS cells a
    row with references in their row, and every value one its type allows (a number in ASCII
    digits and finite, a shared string that exists, 0 or 1, an ISO date). SheetError at the
    cell; the XML is known to be well-formed (`_check_well_formed`)."""
    scanner = _SheetScanner(strings, max_rows)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.characters
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        reason = expat.errors.messages[exc.code]
        raise SheetError(f"the sheet's XML is damaged ({reason})", scanner.row) from None
    return scanner.found


class _SheetScanner:
    """The handlers of `_scan_sheet`'s parser: the row and cell being read, numbered as
    openpyxl numbers them (a row or cell without `r` follows the one before)."""

    def __init__(self, strings: int, max_rows: int) -> None:
        self.strings, self.max_rows = strings, max_rows
        self.found = _Scan()
        self.depth = 0
        self.row = self.row_depth = self.column = self.cells = 0
        self.cell: dict[str, str] | None = None
        self.text: list[str] | None = None

    def refuse(self, message: str, column: int | None = None) -> NoReturn:
        raise SheetError(message, self.row, self.column if column is None else column)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if name == _ROW:
            self._row(attrs.get("r"))
        elif name == _CELL and self.row_depth and self.depth == self.row_depth + 1:
            self._cell(attrs)
        elif self.cell is not None and self.depth == self.row_depth + 2:
            if name == _VALUE:
                self.text = []
            elif name == _FORMULA:
                self.found.formulas.setdefault(self.row, set()).add(self.column)
            elif name == _INLINE:
                self.cell["inline"] = "yes"

    def end(self, name: str) -> None:
        self.depth -= 1
        if name == _VALUE and self.text is not None and self.cell is not None:
            self.cell["value"] = "".join(self.text)
            self.text = None
        elif name == _CELL and self.cell is not None and self.depth == self.row_depth:
            value = self.cell.get("value", "")
            self._check_value(self.cell["type"], value)
            if self.row == 1 and (value or "inline" in self.cell):
                self.found.width = max(self.found.width, self.column)
            self.cell = None
        elif name == _ROW and self.depth == self.row_depth - 1:
            self.row_depth = 0

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _row(self, given: str | None) -> None:
        before = self.row
        if given is not None and not _DIGITS.fullmatch(given):
            self.row, self.column = before + 1, 0
            self.refuse(f"the row after row {before} is numbered '{clipped(given)}', not a number")
        number = before + 1 if given is None else int(given)
        self.row, self.column, self.cells, self.row_depth = number, 0, 0, self.depth
        if number <= before:
            self.refuse(f"row {number} comes after row {before}: rows are in order, each once")
        self.found.last_row = number
        if number > self.max_rows + 1:
            self.refuse(_too_many_rows(self.max_rows), 1)

    def _cell(self, attrs: dict[str, str]) -> None:
        given = attrs.get("r")
        if given is None:
            self.column += 1
        else:
            ref = _CELL_REF.fullmatch(given)
            if ref is None:
                self.refuse(f"a cell's reference '{clipped(given)}' is not one like B2", 0)
            if int(ref[2]) != self.row:
                self.refuse(
                    f"a cell's reference '{given}' is not in row {self.row}, where it is written", 0
                )
            self.column = _column_number(ref[1])
        self.cells += 1
        if self.column > MAX_COLUMNS or self.cells > MAX_COLUMNS:
            where = max(self.column, self.cells)
            self.refuse(
                f"a cell in column {where:,} ({_letters(where)}): a return has at most "
                f"{MAX_COLUMNS} columns",
                where,
            )
        kind = attrs.get("t", "n")
        if kind not in _TYPES:
            self.refuse(f"the cell's type '{clipped(kind)}' is not one a spreadsheet writes")
        style = attrs.get("s")
        if style is not None and not _DIGITS.fullmatch(style):
            self.refuse(f"the cell's style '{clipped(style)}' is not a number")
        self.cell = {"type": kind}

    def _check_value(self, kind: str, value: str) -> None:
        from openpyxl.utils.datetime import from_ISO8601

        if not value:
            return
        shown = clipped(value)
        if kind == "n" and parse_number(value) is None:
            self.refuse(f"the number cell holds '{shown}', which is not a number")
        elif kind == "s" and not (_DIGITS.fullmatch(value) and int(value) < self.strings):
            self.refuse(
                f"the text cell points at shared string {shown}, and there are {self.strings:,}"
            )
        elif kind == "b" and value not in ("0", "1"):
            self.refuse(f"the TRUE/FALSE cell holds '{shown}', not 0 or 1")
        elif kind == "d":
            try:
                ok = value.isascii() and from_ISO8601(value) is not None
            except (ValueError, TypeError, OverflowError):
                ok = False
            if not ok:
                self.refuse(f"the date cell holds '{shown}', which is not a date")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _xlsx_rows(sheet: Any, scan: _Scan) -> list[Row]:
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
