"""The report's template filters and period arithmetic: small pure functions, checked one by one.

Escaping is checked by rendering with a real Markdown parser (markdown-it-py): whatever the
text, it must come back literally, in one paragraph or one table cell, with no HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lcrplan.core.formatting import md_code, md_escape, md_status_label, status_label
from lcrplan.core.periods import day_period, month_period
from lcrplan.core.statuses import LOOKS, SEVERITY, Status, label
from lcrplan.emit.template_filters import (
    duration,
    format_date,
    md_join,
    md_link,
    md_one_line,
    md_progress_bar,
    mermaid_text,
    percent,
    plural,
    sparkline,
)
from lcrplan.emit.templating import tidy

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE = [
    "Pipes | in | a | title",
    "line one\nline two\r\nline three",
    "`backticks` and ``double``",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "# Not a heading",
    "## Nor this",
    "- not a list",
    "+ nor this",
    "1. not numbered",
    "3) nor this",
    "> not a quote",
    "---",
    "===",
    "***",
    "    four spaces are not code",
    "```python",
    "~~~",
    "*not bold* _not em_ ~~not struck~~",
    "[not a link](javascript:alert(1))",
    "![not an image](x.png)",
    "<https://autolink.example>",
    "&lt;entity&gt; &#60;script&#62; &amp;",
    "back\\slash\\",
    "$x^2$ is not maths",
    "| a | b |\n|---|---|\n| c | d |",
    "R&D and Q&A",
    "trailing hard break  \nnext",
    "\u202eright-to-left override",
    "-5 is a number",
]


def _text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_literally_in_a_paragraph(text):
    rendered = MD.render(md_escape(text))
    assert _text(rendered) == md_one_line(text)
    assert re.fullmatch(r"<p>.*</p>\n", rendered, re.S), rendered
    tags = set(re.findall(r"<(/?\w+)", rendered))
    assert tags <= {"p", "/p"}, rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_stays_in_its_table_cell(text):
    table = f"| a | b | c |\n|---|---|---|\n| x | {md_escape(text)} | y |\n"
    cells = _cells(table)
    assert cells == [["a", "b", "c"], ["x", md_one_line(text), "y"]]


def _cells(markdown: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for token in MD.parse(markdown):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_text(MD.renderer.render([token], MD.options, {})))
    return rows


@given(st.text())
def test_any_text_renders_literally(text):
    expected = md_one_line(text)
    assert _text(MD.render(md_escape(text))) == expected
    assert _cells(f"| a |\n|---|\n| {md_escape(text)} |\n")[1:] == [[expected]]


def test_escaping_keeps_one_space_at_the_ends_for_separators():
    assert md_escape(", ") == ", "
    assert md_escape(" and ") == " and "
    assert md_escape(None) == ""
    assert md_escape(md_escape("a|b")) == "a\\|b"  # already escaped: not escaped twice


def test_join_escapes_each_value_but_not_the_separator():
    assert md_join(["a|b", "c*d"], "; ") == "a\\|b; c\\*d"


@pytest.mark.parametrize("text", ["plain-id", "with `tick`", "`edge`", "a | b", "x\ny"])
def test_code_span_holds_any_text_in_a_table(text):
    cell = md_code(text)
    table = f"| a |\n|---|\n| {cell} |\n"
    rendered = MD.render(table)
    assert html.unescape(re.search(r"<code>(.*)</code>", rendered).group(1)) == md_one_line(text)


def test_links_only_for_http_addresses():
    assert md_link("Plan", "https://example.org/p.pdf") == "[Plan](https://example.org/p.pdf)"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://x.org/a b", "https://x.org/)"):
        rendered = MD.render(md_link("Plan", bad))
        assert "href" not in rendered, bad
    assert md_link("A|B", None) == "A\\|B"


@pytest.mark.parametrize(
    ("progress", "width", "expected"),
    [
        (None, 10, ""),
        (0.0, 10, "░░░░░░░░░░ 0%"),
        (0.5, 10, "█████░░░░░ 50%"),
        (1.0, 5, "█████ 100%"),
        (0.95, 5, "█████ 95%"),
        (1.7, 4, "████ 100%"),
        (-0.2, 4, "░░░░ 0%"),
    ],
)
def test_progress_bar(progress, width, expected):
    assert md_progress_bar(progress, width) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], ""),
        ([5], ""),
        ([1, 2], "▁█"),
        ([3, 3, 3], "▄▄▄"),
        ([0, 7, 14], "▁▅█"),
        ([10, 0, 5], "█▁▅"),
        (list(range(20)), None),
    ],
)
def test_sparkline(values, expected):
    line = sparkline(values)
    if expected is not None:
        assert line == expected
    else:  # long histories keep the last 12 values, still rising from lowest to highest
        assert len(line) == 12 and line[0] == "▁" and line[-1] == "█"
        assert list(line) == sorted(line)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("iso", "2026-11-03"),
        ("long", "3 November 2026"),
        ("short", "3 Nov 2026"),
        ("month", "November 2026"),
    ],
)
def test_dates(style, expected):
    assert format_date(dt.date(2026, 11, 3), style) == expected
    assert format_date(None, style) == ""


def test_unknown_date_style_is_an_error():
    with pytest.raises(ValueError, match="unknown date style 'fancy'"):
        format_date(dt.date(2026, 11, 3), "fancy")


def test_every_status_has_a_distinct_symbol_and_its_word():
    labels = [md_status_label(s) for s in SEVERITY]
    for status, shown in zip(SEVERITY, labels, strict=True):
        symbol, word = shown.split(" ", 1)
        assert word == label(status)
        assert symbol and not symbol.isalnum()
    assert len({shown.split(" ")[0] for shown in labels}) == len(SEVERITY)


def test_every_status_is_in_the_one_table_with_an_ascii_terminal_marker():
    assert list(LOOKS) == list(Status) == list(SEVERITY)
    for status, look in LOOKS.items():
        assert status_label(status) == f"[{look.marker}] {look.label}"
        assert look.marker.isascii() and look.marker.strip() == look.marker != ""
    assert status_label("nonsense") == "[?] nonsense"
    assert md_status_label("nonsense") == "? nonsense"


MERMAID_SAFE = re.compile(r"^[^:;#%\"<>`\n\r{}\[\]|&]*$")


@pytest.mark.parametrize(
    "text",
    [
        'section Venues: 20; %%{init: {"theme":"dark"}}%% "quoted" #1',
        "click a call alert()",
        "a <b>bold</b> & `code` | pipe",
        "line\nbreak",
        "",
    ],
)
def test_mermaid_labels_cannot_break_the_chart(text):
    label = mermaid_text(text, 40)
    assert MERMAID_SAFE.match(label), label
    assert 0 < len(label) <= 40


@given(st.text(), st.integers(min_value=5, max_value=80))
def test_any_mermaid_label_is_safe(text, limit):
    label = mermaid_text(text, limit)
    assert MERMAID_SAFE.match(label) and 0 < len(label) <= limit


def test_mermaid_keeps_ordinary_titles_readable():
    assert mermaid_text("Sector & government: year 1 (draft)") == (
        "Sector and government - year 1 (draft)"
    )
    assert mermaid_text("x" * 100, 10) == "xxxxxxxxx…"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (None, ""),
        (1, "1 day"),
        (59, "59 days"),
        (61, "2 months"),
        (334, "11 months"),
        (729, "24 months"),
        (730, "2.0 years"),
        (2160, "5.9 years"),
    ],
)
def test_duration(days, expected):
    assert duration(days) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (0, "0%"), (0.003, "0.3%"), (0.25, "25%"), (0.996, "99.6%"), (1, "100%")],
)
def test_percent(value, expected):
    assert percent(value) == expected


def test_plural():
    assert plural(1, "item") == "1 item"
    assert plural(0, "item") == "0 items"
    assert plural(1200, "KPI") == "1,200 KPIs"
    assert plural(2, "goal or KPI", "goals and KPIs") == "2 goals and KPIs"


def test_tidy_trims_lines_and_blank_runs():
    assert tidy("\n\n# T  \n\n\n\ntext\t\n\n") == "# T\n\ntext\n"


@pytest.mark.parametrize(
    ("text", "today", "start", "end"),
    [
        ("2026-11", dt.date(2030, 1, 1), dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("2026-12", dt.date(2030, 1, 1), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("2028-02", dt.date(2030, 1, 1), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
        ("2027-02", dt.date(2030, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 2, 28)),
        ("previous", dt.date(2026, 12, 1), dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("previous", dt.date(2027, 1, 31), dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        ("previous", dt.date(2028, 3, 15), dt.date(2028, 2, 1), dt.date(2028, 2, 29)),
    ],
)
def test_month_period(text, today, start, end):
    period = month_period(text, today)
    assert (period.start, period.as_of, period.whole_month) == (start, end, True)
    assert period.previous == start - dt.timedelta(days=1)
    assert period.month == text if text != "previous" else f"{start:%Y-%m}"


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-11", "november", ""])
def test_month_period_rejects(text):
    with pytest.raises(ValueError, match="not a month"):
        month_period(text, dt.date(2026, 11, 22))


def test_day_period_is_the_month_so_far():
    period = day_period(dt.date(2026, 11, 21))
    assert (period.start, period.as_of, period.whole_month) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 21),
        False,
    )
    assert day_period(dt.date(2026, 11, 30)).whole_month
