"""Formatting every output shares: numbers, one-line text, JSON, CSV, Markdown escaping, status
labels and progress bars. Plain functions of values: no terminal library, no template engine.

The terminal (`render`), the Markdown report (`templating`) and the diff (`diff`) all take
these from here, so a number or a status reads the same in each.
"""

from __future__ import annotations

import calendar
import csv
import io
import math
import re
from collections.abc import Iterable, Sequence

from .statuses import LOOKS, look

_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9,.'()/:;@%?!-]*(?: [A-Za-z0-9,.'()/:;@%?!-]+)*")
_SPECIAL = re.compile(r"([\\`*_\[\]|#~$])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LEADING_MARK = re.compile(r"^([-+=])(?=\s|$|[-+=])")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")

TERMINAL_BAR = "#-"
"""A terminal's progress bar: `#####-----  50%`, plain characters any console shows."""
MARKDOWN_BAR = "█░"
"""The report's progress bar: `███░░░░░░░ 30%`."""


def format_number(value: float | None) -> str:
    """`1,000`, `2.5`, `0.33`: thousands separated, at most two decimals (`10.001` is `10`;
    a value below 0.01 keeps its first significant digits: `0.004`); blank for None."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):  # too small for two decimals: never show a measured value as 0
        return f"{value:.2g}" if abs(value) < 1e-6 else f"{value:.6f}".rstrip("0")
    return text


def written_number(value: float) -> str:
    """A number as a data file writes it, with no separators: `1000` (not 1000.0), `2.5`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


NUMBER_HINT = "write a plain number such as 1000 or 6750000, with no commas or units"
"""How to write a number, wherever one is refused: a data file, `record`, a return."""
PERCENT_HINT = 'a percentage is its number of percent: 40 for 40%, with unit: "%"'
"""How to write a percentage (a share, a rate), wherever a number is refused."""


def not_a_number(text: str) -> str:
    """Why `text` is refused where a number is due, in the words every command uses."""
    return f"{clipped(text)!r} is not a plain number"


# calendar.month_name follows the locale; messages are in English
_MONTHS = ["January", "February", "March", "April", "May", "June"]
_MONTHS += ["July", "August", "September", "October", "November", "December"]


def not_a_date(text: str, uk: bool = False) -> tuple[str, str]:
    """Why `text` is not a date, in a chair's words, and how to write one: the same in a data
    file and in a return (`2026-11-31 is not a date: November 2026 has 30 days`). `uk`: a day
    written as DD/MM/YYYY (as Excel saves dates in the UK, which a return may) is judged too."""
    stripped = text.strip()
    found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", stripped)
    british = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", stripped) if uk else None
    if found:
        year, month, day = (int(part) for part in found.groups())
    elif british:
        day, month, year = (int(part) for part in british.groups())
    else:
        return f"{text!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2026-11-30"
    if not 1 <= month <= 12:
        return f"{stripped} is not a date: there is no month {month}", "months run from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    name = f"{_MONTHS[month - 1]} {year}"
    if day == 0:
        return f"{stripped} is not a date: days start at 01", f"the first day of {name} is 01"
    if day <= days:  # a real day, written another way (`2026-1-5`)
        return f"{text!r} is not a date", f"write it as {year:04d}-{month:02d}-{day:02d}"
    return (
        f"{stripped} is not a date: {name} has {days} days",
        f"the last day of {name} is {year:04d}-{month:02d}-{days:02d}",
    )


def format_rate(value: float) -> str:
    """A rate as a reason words it ("needs 10.0 people/month"); past 1e15, in exponent form."""
    if not abs(value) < 1e15:
        return exponent(value, 3)
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def exponent(value: float, digits: int) -> str:
    """`value` to `digits` significant digits in exponent form where it needs one: `6.75e6`."""
    return f"{value:.{digits}g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")


def readable_number(value: float) -> str:
    """A value as the other outputs write it (1,000; 2.5), in exponent form at the extremes."""
    if value == 0 or 1e-2 <= abs(value) < 1e15:
        return format_number(value)
    return exponent(value, 3)


def value_text(value: float, unit: str = "") -> str:
    """A reading as charts, their summaries and tables write it: `1,000 people`, `6.75e6 GBP`."""
    return f"{readable_number(value)} {unit}".rstrip()


# ASCII digits only: Python's int() and float() also read '５' and '٥' (any Unicode digit)
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")


def parse_number(text: str) -> int | float | None:
    """A number as a person types it (`240`, `-2.5`, `6.75e6`, `1_000`), in ASCII digits, or
    None: words, other scripts' digits, `nan`, `inf`, and a number too large to hold (a whole
    number of more digits than Python reads, a float beyond 1e308) are not numbers."""
    text = text.strip().replace("_", "")
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    if _WHOLE_NUMBER.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than sys.get_int_max_str_digits()
            return None
    number = float(text)
    return number if math.isfinite(number) else None


def clipped(text: str, width: int = 40) -> str:
    """`text` cut to `width` characters with an ellipsis, saying how long it was: for quoting
    a value in a message."""
    if len(text) <= width:
        return text
    return f"{text[:width]}… ({len(text):,} characters)"


def quantity(value: float | None, unit: str | None) -> str:
    """A number with its unit, as a sentence says it: `240 people`, `23%` (a unit starting
    with `%` is written against the number), `1,000` with no unit."""
    text = format_number(value)
    if not unit or not text:
        return text
    if unit.startswith("%"):
        return f"{text}{unit}"
    if unit[0] in _CURRENCY:  # £bn -> £32bn, "£ per hour" -> £31 per hour
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        rest = unit[1:]
        if rest[:1].isalpha() and len(rest) > 2:  # £million -> £32 million
            rest = " " + rest
        return f"{sign}{unit[0]}{digits}{rest}"
    return f"{text} {unit}"


_CURRENCY = "£$€"


def about(value: float) -> tuple[str, bool]:
    """A rate a reader can say aloud, to two significant figures (`9.87` -> `9.9`, `1,234` ->
    `1,200`), and whether that rounded it (a reason then says "about")."""
    if value == 0 or not math.isfinite(value):
        return format_rate(value), False
    if abs(value) < 0.01:  # a tiny rate: its first two digits, as a number would show them
        shown = f"{value:.2g}"
        return shown, float(shown) != value
    digits = 1 - math.floor(math.log10(abs(value)))
    scale = 10.0**digits
    rounded = math.copysign(math.floor(abs(value) * scale + 0.5) / scale, value)  # half up
    if not math.isfinite(rounded):
        return format_rate(value), False
    shown = format_rate(rounded) if abs(rounded) >= 1e15 else format_number(rounded)
    return shown, abs(rounded - value) > 1e-9 * abs(value)


def pace_words(
    needed: float, achieved: float, increase: bool, compound: bool = False
) -> tuple[str, str]:
    """The pace a target needs and the pace kept, as a reason says them: ("needs about 10 a
    month", "managing 5 a month"); a fall: ("needs a fall of about 10 a month", "falling 5 a
    month"); compound growth: ("needs growth of about 3.2% a year", "managing 1.5% a year")."""
    per = "% a year" if compound else " a month"
    want, rounded = about(abs(needed))
    approx = "about " if rounded else ""
    if needed == 0:
        needs = "needs no change"
    elif needed < 0:
        needs = f"needs a fall of {approx}{want}{per}"
    elif increase:
        needs = f"needs {'growth of ' if compound else ''}{approx}{want}{per}"
    else:
        needs = f"needs a rise of {approx}{want}{per}"
    kept, _ = about(abs(achieved))
    if achieved == 0:
        doing = "with no change so far"
    elif achieved < 0:
        doing = f"falling {kept}{per}"
    else:
        doing = f"managing {kept}{per}" if increase else f"rising {kept}{per}"
    return needs, doing


def one_line(value: object) -> str:
    """The text on one line: every run of whitespace (newlines too) becomes one space."""
    if value is None:
        return ""
    return _SPACE.sub(" ", str(value)).strip()


def visible(value: object) -> str:
    """The text without the characters a reader cannot see (controls, zero-width spaces, bidi
    overrides): for Markdown, where they are dropped. A terminal shows them escaped instead
    (`textsafe.printable`)."""
    return "" if value is None else _INVISIBLE.sub("", str(value))


def progress_bar(
    progress: float | None, width: int = 10, marks: str = TERMINAL_BAR, pad: int = 4
) -> str:
    """`#####-----  50%`: `width` cells filled in proportion, then the share, right-aligned in
    `pad` characters (so a table's bars line up); blank when progress is unknown. `marks`: the
    filled and the empty cell."""
    if progress is None:
        return ""
    share = max(0.0, min(1.0, float(progress)))
    filled = round(share * width)
    return marks[0] * filled + marks[1] * (width - filled) + " " + f"{share:.0%}".rjust(pad)


def json_text(value: object) -> str:
    """`value` as the JSON every `--format json` prints: indented, UTF-8 as is, a final newline.
    Dataclasses, dates and enums are encoded as they are (`pydantic_core.to_json`, several times
    faster than `json.dumps` with an indent on large output)."""
    import pydantic_core

    return pydantic_core.to_json(value, indent=2).decode() + "\n"


# OWASP's rule for CSV injection: a spreadsheet runs a cell starting with one of these as a
# formula (`=HYPERLINK(...)`), so such a cell gets a leading apostrophe, which shows as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[str]) -> str:
    """CSV in which no text cell can run as a formula; a number in a `numeric` column stays a
    number (`-2.5`). Every `--format csv` goes through here."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    kept = [name in numeric for name in header]
    for row in rows:
        writer.writerow([_cell(v, keep) for v, keep in zip(row, kept, strict=True)])
    return out.getvalue()


def _cell(value: object, numeric: bool) -> object:
    if value is None:
        return ""
    if isinstance(value, (int, float)) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not (numeric and _NUMBER.fullmatch(value)):
        return "'" + value
    return value


# What a terminal that cannot show a symbol shows instead (`for_terminal`): the report's bars
# (`███░░`, like `###--`), sparklines, arrows and punctuation their plain forms, and a status
# symbol its ASCII marker, as every terminal table shows it (`→` is Flat's `[=]`). Anything else
# it cannot show is `?`.
_ASCII_FALLBACKS = {
    ord(char): plain
    for chars, plains in (
        ("█░", ("#", "-")),
        ("▁▂▃▄▅▆▇", ("_", ".", "-", "-", "=", "=", "#")),
        ("↳←", ("->", "<-")),
        ("–—‘’“”…", ("-", "--", "'", "'", '"', '"', "...")),
    )
    for char, plain in zip(chars, plains, strict=True)
} | {ord(look.symbol): f"[{look.marker}]" for look in LOOKS.values()}


def for_terminal(text: str, encoding: str) -> str:
    """`text` as a terminal with this encoding can show it: unchanged where it can, else with
    ASCII for the symbols it cannot show (`‼` is `[!!]`, as in every terminal table)."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        pass
    else:
        return text
    shown = []
    for char in text:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            char = _ASCII_FALLBACKS.get(ord(char), "?")
        shown.append(char)
    return "".join(shown)


def status_label(status: str) -> str:
    """`[x] Off track`: the terminal's marker and word, readable without colour."""
    found = look(status)
    return f"[{found.marker}] {found.label}" if found else f"[?] {status}"


# --- Markdown ----------------------------------------------------------------------------------


class Md(str):
    """Text that is already safe Markdown: never escaped again."""

    __slots__ = ()


def md_escape(value: object) -> Md:
    """Any text as inline Markdown that renders literally, safe inside a table cell: Markdown's
    and HTML's special characters escaped, invisible characters dropped, on one line."""
    if isinstance(value, Md):
        return value
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return Md(value)  # nothing to escape: the common case, kept fast
    raw = visible(value)
    text = _SPECIAL.sub(r"\\\1", one_line(raw))
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "\\>")
    text = _LEADING_NUMBER.sub(r"\1\\\2", _LEADING_MARK.sub(r"\\\1", text))
    # keep one space where the value had some at an end: templates join words with " and ", ", "
    if not text:
        return Md(" " if raw[:1].isspace() else "")
    lead = " " if raw[:1].isspace() else ""
    return Md(lead + text + (" " if raw[-1:].isspace() else ""))


def md_code(value: object) -> Md:
    """An inline code span that no backtick or pipe in the value can break."""
    text = one_line(visible(value))
    if not text:
        return Md("")
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Md(f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}")


def md_status_label(status: str) -> Md:
    """`✓ On track`: the report's symbol and word, never colour alone."""
    found = look(status)
    return Md(f"{found.symbol} {md_escape(found.label)}" if found else f"? {md_escape(status)}")
