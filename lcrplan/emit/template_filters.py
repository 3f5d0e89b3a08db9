"""The filters templates get: Markdown (text escaped for Markdown unless already `Md`) and HTML
(escaped by Jinja's autoescape unless `Markup` built here: status marks, bars, charts, links to
http(s) addresses only).

A filter takes plain data (`views.records`) and returns text; none reads a file or the clock.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from jinja2 import (
    Environment,
    pass_environment,
)
from jinja2.runtime import Undefined
from markupsafe import Markup, escape

from ..core.formatting import (
    MARKDOWN_BAR,
    Md,
    format_number,
    md_code,
    md_escape,
    md_status_label,
    one_line,
    progress_bar,
    value_text,
    visible,
)
from ..core.statuses import label, look, shape
from ..core.textsafe import printable
from ..views.records import Links
from ..views.trends import Pace, Trend
from . import charts, drawing, timeline

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


SPARKS = "▁▂▃▄▅▆▇█"


def md_one_line(value: object) -> str:
    """The text on one line, without invisible characters (the `one_line` filter)."""
    return one_line(visible(value))


def md_shown(value: object) -> Md:
    """The text on one line as the terminal shows it (a control character as its escape,
    `textsafe.printable`), escaped for Markdown (the `shown` filter)."""
    return md_escape(printable(one_line(value)))


def md_raw(value: object) -> Md:
    """Trust a template's own text as Markdown (never use on data)."""
    return Md("" if value is None else str(value))


def md_join(values: Iterable[object], sep: str = ", ") -> Md:
    """Escape each value and join them with the template's separator."""
    return Md(str(sep).join(md_escape(v) for v in values))


_SAFE_URL = re.compile(r"^https?://[^\s<>()\[\]`|\\\"']+$")


def md_link(text: object, url: object) -> Md:
    """`[text](url)` for an http(s) address; other schemes are not linked."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return Md(f"[{md_escape(text)}]({url})")
    return md_escape(text)


def md_progress_bar(progress: float | None, width: int = 10) -> Md:
    """`███░░░░░░░ 30%` in text; blank when progress is unknown."""
    return Md(progress_bar(progress, width, MARKDOWN_BAR, pad=0))


def sparkline(values: Sequence[float] | None, width: int = 12) -> Md:
    """The last `width` values as unicode blocks, lowest ▁ to highest █; blank below two."""
    points = [float(v) for v in (values or ())][-width:]
    if len(points) < 2:
        return Md("")
    low, high = min(points), max(points)
    if high == low:
        return Md(SPARKS[3] * len(points))
    if not math.isfinite(high - low):  # 1e308 and -1e308: their halves are 1e308 apart
        points, low, high = [v / 2 for v in points], low / 2, high / 2
    top = len(SPARKS) - 1
    return Md("".join(SPARKS[round((v - low) / (high - low) * top)] for v in points))


def format_date(value: dt.date | None, style: str = "iso") -> str:
    """A date as `iso` 2026-11-30, `long` 30 November 2026, `short` 30 Nov 2026, `month`."""
    if value is None:
        return ""
    month = MONTHS[value.month - 1]
    formats = {
        "iso": value.isoformat(),
        "long": f"{value.day} {month} {value.year}",
        "short": f"{value.day} {month[:3]} {value.year}",
        "month": f"{month} {value.year}",
    }
    if style not in formats:
        raise ValueError(f"unknown date style {style!r} (one of: {', '.join(formats)})")
    return formats[style]


def status_word(status: str) -> Md:
    """`On track`: the status in words alone (for chart labels)."""
    return md_escape(label(status))


def gantt_tag(status: str) -> Md:
    """The Mermaid Gantt tag (`crit, `, `done, `, `active, `) that styles a bar; may be blank."""
    found = look(status)
    return Md(f"{found.gantt}, " if found and found.gantt else "")


_MERMAID_UNSAFE = re.compile(r"[^\w\s.,'’‘()/+£€-]")


def mermaid_text(value: object, limit: int = 60) -> Md:
    """A label Mermaid cannot misread: no quotes, colons, semicolons, #, % or angle brackets."""
    text = md_one_line(str(value).replace("&", " and ").replace(":", " -"))
    text = md_one_line(_MERMAID_UNSAFE.sub(" ", text)) or "untitled"
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return Md(text)


def duration(days: int | None) -> str:
    """`15 days`, `11 months`, `5.9 years`: how long, at the precision a reader needs."""
    if days is None:
        return ""
    if days < 60:
        return plural(days, "day")
    if days < 730:
        return plural(round(days / (365.25 / 12)), "month")
    return f"{days / 365.25:.1f} years"


def percent(value: float | None) -> str:
    """`45%`, with a decimal near 0% and 100% (`0.3%`); blank when unknown."""
    if value is None:
        return ""
    return f"{value:.1%}" if 0 < value < 0.01 or 0.99 < value < 1 else f"{value:.0%}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """`1 item`, `3 items`, `2 KPIs`."""
    return f"{count:,} {singular if count == 1 else (many or singular + 's')}"


def md_status_cells(counts: Iterable[tuple[str, int]], width: int = 20) -> Md:
    """A stacked status bar in text: `width` status symbols, each status given cells in
    proportion to its count (at least one when it has any), worst first (the Markdown report's
    bar per plan; the counts in words always stand beside it)."""
    shares = allocate([(status, n) for status, n in counts if n > 0], width)
    return Md("".join(md_status_symbol(status) * cells for status, cells in shares))


def md_status_symbol(status: str) -> str:
    found = look(status)
    return found.symbol if found else "?"


def allocate(counts: Sequence[tuple[str, int]], width: int) -> list[tuple[str, int]]:
    """`width` cells shared out in proportion to `counts` by largest remainder, each count
    above zero getting at least one cell (ties go to the worse status, listed first)."""
    total = sum(n for _, n in counts)
    if not total or not counts:
        return []
    width = max(width, len(counts))
    cells = [1] * len(counts)
    spare = width - len(counts)
    exact = [n / total * spare for _, n in counts]
    for k, share in enumerate(exact):
        cells[k] += int(share)
    left = width - sum(cells)
    order = sorted(range(len(counts)), key=lambda k: (-(exact[k] - int(exact[k])), k))
    for k in order[:left]:
        cells[k] += 1
    return [(status, c) for (status, _), c in zip(counts, cells, strict=True)]


_NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")


def md_anchor(heading: object) -> Md:
    """The link GitHub and GitLab give a heading with this text: `#needs-attention` (lower
    case, punctuation dropped, spaces as hyphens)."""
    text = one_line(visible(heading)).lower()
    return Md("#" + _NOT_IN_ANCHOR.sub("", text).replace(" ", "-"))


FILTERS = {
    "md": md_escape,
    "anchor": md_anchor,
    "status_cells": md_status_cells,
    "raw": md_raw,
    "join": md_join,
    "code": md_code,
    "link": md_link,
    "bar": md_progress_bar,
    "sparkline": sparkline,
    "date": format_date,
    "status": md_status_label,
    "status_word": status_word,
    "gantt_tag": gantt_tag,
    "mermaid": mermaid_text,
    "num": format_number,
    "pct": percent,
    "duration": duration,
    "plural": plural,
    "one_line": md_one_line,
    "shown": md_shown,
}


def html_link(text: object, url: object) -> Markup:
    """`<a href>` to an http(s) address; any other scheme (javascript:, data:) is shown as text."""
    if isinstance(url, str) and _SAFE_URL.match(url):
        return Markup('<a href="{}">{}</a>').format(url, text)
    return escape(text)


def html_status(status: str) -> Markup:
    """The status's shape and its word: `<span class="status">(shape) Off track</span>`."""
    return Markup('<span class="status">{}{}</span>').format(
        Markup(drawing.status_mark(status)), label(status)
    )


def html_bar(progress: float | None) -> Markup:
    """A progress bar (drawn with a border, so it prints) and the share in words."""
    if progress is None:
        return Markup("")
    share = max(0.0, min(1.0, float(progress)))
    return Markup(
        '<span class="nw"><span class="bar" aria-hidden="true"><span style="width:{:.0f}%">'
        "</span></span> {:.0%}</span>"
    ).format(share * 100, share)


def html_code(value: object) -> Markup:
    """An id or a file name as code."""
    text = one_line(visible(value))
    return Markup("<code>{}</code>").format(text) if text else Markup("")


def html_paragraphs(value: object) -> Markup:
    """Text with blank lines as paragraphs, each on one line, its dates kept whole (`dated`)."""
    paragraphs = [one_line(visible(p)) for p in re.split(r"\n\s*\n", str(value or ""))]
    return Markup("").join(Markup("<p>{}</p>").format(html_dated(p)) for p in paragraphs if p)


_ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")


def html_dated(value: object) -> Markup:
    """Text (escaped) with each date in it (2026-11-30) as a `<time>`, which never wraps: a
    reason, a chart's summary, a note. "2026-11-" on one line and "30" on the next reads as
    another date."""
    text = escape(one_line(visible(value)))
    return Markup(_ISO_DATE.sub(lambda m: f"<time>{m.group()}</time>", str(text)))


def html_gantt(gantt: Any, as_of: dt.date, title: str, links: Links | None = None) -> Markup:
    """A plan's timeline as SVG Gantt charts (`timeline`), one per theme under the theme's
    name, each bar linked: on the site to its item's page (or its theme on the plan's page),
    in the one-file report to its row in the appendix."""
    hrefs = []
    for _, bars in gantt.sections:
        for bar in bars:
            if bar.item is not None:
                hrefs.append(links.item(bar.item) if links else f"#item-{bar.item.id}")
            else:
                hrefs.append(f"#theme-{bar.theme}" if bar.theme else "")
    svgs = timeline.gantt_charts(gantt, as_of, hrefs, str(title))
    parts = []
    for (section, bars), (wide, narrow) in zip(gantt.sections, svgs, strict=True):
        theme = bars[0].theme if bars else ""
        name = Markup('<a href="#theme-{}">{}</a>').format(theme, section) if theme else section
        parts.append(
            Markup('<p class="gtheme">{}</p>\n{}\n{}').format(name, Markup(wide), Markup(narrow))
        )
    return Markup('<div class="timeline">\n{}\n</div>').format(Markup("\n").join(parts))


def html_spark(values: Sequence[float] | None) -> Markup:
    """A KPI's readings as a small line (hidden from screen readers; its direction of travel
    is said in words beside it); blank below two readings."""
    return Markup(drawing.sparkline(values or ()))


def html_status_bar(counts: Iterable[tuple[str, int]]) -> Markup:
    """A stacked bar of items by status: a segment per status as wide as its share, with its
    shape and count where they fit. Hidden from screen readers: the counts in words always
    stand beside it, and print keeps its colours."""
    pairs = [(str(status), int(n)) for status, n in counts if n]
    cells = "".join(
        f'<span class="seg tone-{shape(status).tone}" style="flex-grow:{n}">'
        f"{drawing.status_mark(status)}<span>{n:,}</span></span>"
        for status, n in pairs
    )
    return Markup(f'<div class="sbar" aria-hidden="true">{cells}</div>')


def html_mark(status: str) -> Markup:
    """A status's shape alone, hidden from screen readers: its word must stand beside it."""
    return Markup(drawing.status_mark(str(status)))


def html_tone(status: str) -> str:
    """The colour family of a status's shape: `bad`, `warn`, `good` or `neutral`."""
    return shape(str(status)).tone


def css_string(value: object) -> Markup:
    """Text as a quoted CSS string, every character but letters, digits and spaces escaped
    (`\\3c `), for a stylesheet's `content:` (a page's running header): nothing in it can end
    the string or the stylesheet."""
    text = one_line(visible(value))
    body = "".join(c if c.isalnum() and c.isascii() or c == " " else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{body}"')


def html_chart(trend: Trend, pace: Pace | None = None) -> Markup:
    """A KPI's trend as inline SVG and its legend, the list of every series drawn (`charts`
    escapes every text from the data inside them)."""
    return Markup(charts.trend_chart(trend, pace) + "\n" + charts.legend(trend))


@pass_environment
def html_rows(env: Environment, items: Iterable[object], *fields: str) -> Markup:
    """Table body rows, one per item, a cell per field (an attribute of the item, as text on
    one line; blank for None): the first is the row's header, a field named `NAME:n` is a
    number cell. Many rows are built here rather than cell by cell in the template; each
    attribute is read through the sandbox, as `item.NAME` in the template would be."""
    names = [f.removesuffix(":n") for f in fields]
    read = env.getattr
    opens = [
        '<th scope="row">' if n == 0 else '<td class="n">' if f.endswith(":n") else "<td>"
        for n, f in enumerate(fields)
    ]
    closes = ["</th>" if n == 0 else "</td>" for n in range(len(fields))]
    out = []
    for item in items:
        cells = "".join(
            f"{start}{html_dated(value) if value is not None else ''}{end}"
            for start, value, end in zip(
                opens, (_defined(read(item, name)) for name in names), closes, strict=True
            )
        )
        out.append(f"<tr>{cells}</tr>\n")
    return Markup("".join(out))


def _defined(value: object) -> object:
    """The value; an undefined one (a missing or refused attribute) raises its error."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def html_one_line(value: object) -> str:
    """The text on one line, without invisible characters (autoescape escapes it)."""
    return md_one_line(value)


HTML_FILTERS = {
    "gantt": html_gantt,
    "spark": html_spark,
    "status_bar": html_status_bar,
    "tone": html_tone,
    "mark": html_mark,
    "css_string": css_string,
    "link": html_link,
    "status": html_status,
    "status_word": label,
    "bar": html_bar,
    "code": html_code,
    "paragraphs": html_paragraphs,
    "dated": html_dated,
    "chart": html_chart,
    "chart_summary": charts.summary,
    "chart_rows": charts.table_rows,
    "chart_id": charts.chart_id,
    "rows": html_rows,
    "value": value_text,
    "date": format_date,
    "num": format_number,
    "pct": percent,
    "duration": duration,
    "plural": plural,
    "one_line": html_one_line,
}


def markdown_finalize(value: object) -> Markup:
    # Markup tells Jinja's (HTML) autoescape to leave the Markdown alone; autoescape stays on so
    # that macros and blocks return Markup and are not escaped a second time.
    return Markup(value if isinstance(value, (Md, Markup)) else md_escape(value))
