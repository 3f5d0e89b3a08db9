"""What a returned spreadsheet must pass before it is read, and the error that refuses it.

A return is hostile input. An XLSX's zip is checked whole before openpyxl opens it: its parts,
their unpacked size (as each part proves it, not as the zip says), the XML elements they hold,
no declared entities, well-formed XML; then the sheet's XML is checked as openpyxl will read
it (rows in order and within the limit, at most MAX_COLUMNS cells a row, every value one its
type allows). Every refusal is a SheetError at its row and column. `sheets` reads what passes.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

from ..core.formatting import clipped, parse_number

MAX_UNPACKED = 50_000_000
"""Bytes an XLSX may unpack to (its XML); a form of 1,000 rows is well under 1 MB."""
MAX_PARTS = 1_000
"""Files inside an XLSX's zip."""


class SheetError(ValueError):
    """A spreadsheet that cannot be read: the message says why and what to do; `row` and
    `column` (1-based, 0 when it is not one cell) say where, in `sheet` (an XLSX's sheet, once
    it is known; "" in an XLSX before then)."""

    def __init__(self, message: str, row: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.row, self.column = row, column
        self.sheet: str | None = None


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


def too_many_rows(max_rows: int) -> str:
    return (
        f"more than {max_rows + 1:,} rows: a return has at most {max_rows:,} rows under its header"
    )


def checked_archive(raw: bytes) -> zipfile.ZipFile:
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
class Scan:
    """What a sheet's XML holds, found before openpyxl reads it (`scan_sheet`)."""

    last_row: int = 0
    width: int = 0
    """The header's last column with a value."""
    formulas: dict[int, set[int]] = field(default_factory=dict)
    """Row -> the columns whose cell holds a formula."""


def scan_sheet(xml: bytes, strings: int, max_rows: int) -> Scan:
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
    """The handlers of `scan_sheet`'s parser: the row and cell being read, numbered as
    openpyxl numbers them (a row or cell without `r` follows the one before)."""

    def __init__(self, strings: int, max_rows: int) -> None:
        self.strings, self.max_rows = strings, max_rows
        self.found = Scan()
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
            self.refuse(too_many_rows(self.max_rows), 1)

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
            self.column = column_number(ref[1])
        self.cells += 1
        if self.column > MAX_COLUMNS or self.cells > MAX_COLUMNS:
            where = max(self.column, self.cells)
            self.refuse(
                f"a cell in column {where:,} ({letters(where)}): a return has at most "
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


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def letters(column: int) -> str:
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out
