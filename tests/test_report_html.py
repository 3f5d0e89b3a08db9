"""`lcrplan report --format html` end to end: one self-contained, deterministic, valid HTML5
file with the Markdown report's content in its order, escaped, charts where there are
readings, and a golden file for review (`make golden`)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

from lcrplan.core.statuses import LOOKS

from .conftest import DATA, REPO
from .helpers.reports import FIXTURE, GOLDEN, MD, report


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "data"))


SVG = "{http://www.w3.org/2000/svg}"


def parse(html: str, strict: bool = True) -> Element:
    """The document as a browser parses it; with `strict`, any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=strict, namespaceHTMLElements=False)
    return parser.parse(html)


def text(node: Element) -> str:
    return " ".join("".join(node.itertext()).split())


def headings(root: Element) -> list[str]:
    return [text(h) for h in root.iter() if h.tag in ("h1", "h2", "h3")]


SYMBOLS = {look.symbol for look in LOOKS.values()}


def codes(root: Element) -> Counter[str]:
    """Every code span's text, leaving out code blocks (Mermaid) and the Markdown's status bars
    (a plan's bar of status symbols: the HTML draws it)."""
    inside_pre = {id(c) for pre in root.iter("pre") for c in pre.iter("code")}
    return Counter(
        text(c)
        for c in root.iter("code")
        if id(c) not in inside_pre and not set(text(c)) <= SYMBOLS
    )


@pytest.mark.parametrize("month", ["2026-10", "2026-11"])
def test_golden_html_report(run, data, month):
    html = report(run, data, "--month", month, "--format", "html")
    golden = GOLDEN / f"monthly-{month}.html"
    if os.environ.get("LCRPLAN_UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8", newline="\n")
    assert golden.read_text(encoding="utf-8") == html, "run `make golden` and review the diff"


@pytest.mark.parametrize("where", ["fixture", "real"])
def test_same_bytes_twice_valid_html5_self_contained(run, data, where):
    folder = data if where == "fixture" else DATA
    first = report(run, folder, "--as-of", "2026-11-30", "--format", "html")
    again = report(run, folder, "--as-of", "2026-11-30", "--format", "html", "--no-cache")
    assert first == again
    root = parse(first)  # strict: raises on the first parse error
    assert root.find("head/style") is not None
    assert "<script" not in first.lower()
    assert root.find(".//link") is None and root.find(".//img") is None
    # every http(s) address is the href of a link the data gave (a source document)
    hrefs = [a.get("href") for a in root.iter("a")]
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs
    outside = re.findall(r"https?://[^\s\"'<)]+", first)
    assert set(outside) <= {h for h in hrefs if h.startswith("http")}


def test_same_content_and_order_as_the_markdown(run, data):
    markdown = report(run, data, "--month", "2026-11")
    html = report(run, data, "--month", "2026-11", "--format", "html")
    from_md, from_html = parse(MD.render(markdown), strict=False), parse(html)
    assert headings(from_html) == headings(from_md)
    # the same items and codes, as often: the HTML adds a heading naming each chart's KPI
    charted = [text(h) for h in from_html.iter("h4") if text(h).startswith("Trend: ")]
    assert charted
    extra = codes(from_html) - codes(from_md)
    missing = codes(from_md) - codes(from_html)
    assert missing == Counter({"lcrplan report": 1})
    assert extra == Counter(
        {"lcrplan report --format html": 1} | {h.rsplit(" ", 1)[1]: 1 for h in charted}
    )


def test_the_tiles_agree_with_the_markdown_ones(run, data):
    markdown = report(run, data, "--month", "2026-11")
    root = parse(report(run, data, "--month", "2026-11", "--format", "html"))
    tiles = next(u for u in root.iter("ul") if u.get("class") == "tiles")
    shown = [[text(part) for part in li] for li in tiles]
    head, _, row = re.search(r"## At a glance\n\n(.*)\n(.*)\n(.*)\n", markdown).groups()
    words = [w.strip().split(" ", 1)[1] for w in head.strip("|").split("|")]
    numbers = re.findall(r"\*\*([\d,]+)\*\* \(([^)]+)\)", row)
    assert shown == [[n, w, share] for w, (n, share) in zip(words, numbers, strict=True)]
    assert len(shown) >= 4
    # each tile is a number, a shape and a word: never a colour alone
    for li in tiles:
        assert li.find(f"span/{SVG}svg") is not None and text(li.find("span[@class='word']"))


def test_every_kpi_with_two_readings_gets_a_chart_its_summary_and_its_table(run, data):
    root = parse(report(run, data, "--month", "2026-11", "--format", "html"))
    figures = list(root.iter("figure"))
    charted = [text(h) for h in root.iter("h4") if text(h).startswith("Trend: ")]
    assert len(figures) == len(charted) >= 2
    assert "Trend: Jobs created a-jobs-created" in charted
    for figure in figures:
        svg = figure.find(f"{SVG}svg")
        assert svg is not None and svg.get("role") == "img"
        assert text(svg.find(f"{SVG}title"))
        assert re.match(r"\d+ readings; latest ", text(figure.find("figcaption")))
    captions = [text(c) for c in root.iter("caption")]
    assert "Readings of Jobs created" in captions


def test_text_from_the_data_is_escaped_and_only_http_links_are_links(run, data):
    html = report(run, data, "--month", "2026-11", "--format", "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html.split("<body>", 1)[1].split("Sources", 1)[0]
    root = parse(html)
    sources = next(t for t in root.iter("table") if "Items citing it" in text(t))
    links = [(text(a), a.get("href")) for a in sources.iter("a")]
    assert links and all(href.startswith("https://") for _, href in links)
    assert not any("javascript" in (a.get("href") or "") for a in root.iter("a"))


def test_markdown_stays_the_default_and_byte_identical(run, data):
    default = report(run, data, "--month", "2026-11")
    assert default == report(run, data, "--month", "2026-11", "--format", "markdown")
    assert default == (GOLDEN / "monthly-2026-11.md").read_text(encoding="utf-8")


def test_an_html_template_implies_html_and_a_mismatch_is_a_usage_error(run, data, tmp_path):
    own = tmp_path / "mine.html.j2"
    own.write_text("<p>{{ report.summary.items }} items &amp; {{ '<b>' }}</p>\n", encoding="utf-8")
    items = json.loads(run("status", "--data", data, "--as-of", "2026-11-30", "-f", "json").stdout)
    expected = f"<p>{items['summary']['items']} items &amp; &lt;b&gt;</p>\n"
    assert report(run, data, "--month", "2026-11", "--template", str(own)) == expected
    result = run("report", "--data", data, "--template", str(own), "--format", "markdown")
    assert result.exit_code == 2
    assert "HTML template" in result.output and "--format html" in result.output


def test_the_html_report_is_written_to_a_file(run, data, tmp_path):
    out = tmp_path / "reports" / "{month}.html"
    result = run("report", "--data", data, "--month", "2026-11", "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    written = tmp_path / "reports" / "2026-11.html"
    assert result.stdout.strip() == written.as_posix()
    assert written.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_the_print_stylesheet_is_inline(run, data):
    html = report(run, data, "--month", "2026-11", "--format", "html")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@page{size:A4" in style
    assert '@bottom-right{content:"Page " counter(page) " of " counter(pages)' in style
    header = '"Fixture Region plans\\3a  progress report\\2c  November 2026"'
    assert "@top-left{content:" + header in style
    assert ".plan,.appendix,.toc{break-before:page}" in style
    assert "thead{display:table-header-group}" in style
    assert html.count('<section class="plan"') == 2
    # no local path leaks into a board paper
    assert str(REPO) not in html and str(data) not in html and str(data.parent) not in html


def test_a_hostile_title_cannot_leave_the_running_header(run, data):
    """The title goes into the page's <style> (the printed header), where HTML escaping does
    nothing: every character but letters, digits and spaces is a CSS escape."""
    config = data / "lcrplan.yaml"
    hostile = 'x";}</style><script>alert(1)</script>{a:"'
    text = config.read_text(encoding="utf-8")
    config.write_text(f"title: '{hostile}'\n" + text.replace("title:", "#title:"), "utf-8")
    html = report(run, data, "--month", "2026-11", "--format", "html")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<script>" not in html.split("<body>", 1)[0]
    header = re.search(r"@top-left\{content:(\"[^\"]*\");", style)
    assert header is not None, style[-400:]
    assert header.group(1).startswith('"x\\22 \\3b \\7d \\3c \\2f style\\3e ')
    parse(html)  # still one valid document
