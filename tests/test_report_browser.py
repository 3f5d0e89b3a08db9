"""The HTML report in a real browser (headless Chromium, tests/helpers/browser.py): on screen at
desktop and phone widths, and printed to an A4 PDF as a board paper would be."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import REPO, Run
from .helpers.pages import check

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "report"


def _report(tmp: Path, data: Path) -> Path:
    out = tmp / "report.html"
    result = Run()("report", "--data", data, "--month", "2026-11", "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    return _report(tmp, Path(shutil.copytree(FIXTURE, tmp / "data")))


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("real-report")
    return _report(tmp, Path(shutil.copytree(REPO / "data", tmp / "data")))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_on_screen(browser, fixture_report, width):
    visit = browser.open(fixture_report, width=width)
    check(visit, width)
    assert visit.page.locator("figure svg").count() >= 2
    # status is a word beside its shape, never the shape alone
    words = visit.page.locator(".status").all_inner_texts()
    assert words and all(w.strip() for w in words)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_real_report_on_screen(browser, real_report, width):
    check(browser.open(real_report, width=width), width)


def test_printed_each_plan_starts_a_page_and_tables_keep_their_headers(
    browser, fixture_report, tmp_path
):
    visit = browser.open(fixture_report, width=1280)
    plans = visit.page.locator("section.plan").count()
    tables = visit.page.locator("table").count()
    pages = visit.pdf_pages(tmp_path / "report.pdf")
    assert plans == 2
    assert plans + 1 <= pages <= plans + tables, (pages, plans, tables)
    visit.page.emulate_media(media="print")
    styles = visit.page.evaluate(
        """() => ({
            plan: [...document.querySelectorAll('section.plan')]
                .map(s => getComputedStyle(s).breakBefore),
            thead: [...document.querySelectorAll('thead')].map(t => getComputedStyle(t).display),
            link: [...document.querySelectorAll('a[href^="http"]')]
                .map(a => [a.href, getComputedStyle(a, '::after').content]),
        })"""
    )
    assert styles["plan"] == ["page"] * plans
    assert set(styles["thead"]) == {"table-header-group"}
    # a printed link shows its address
    assert styles["link"] and all(c == f'" ({href})"' for href, c in styles["link"]), styles


# --- issue 24: a board paper on paper and on a phone ----------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_no_word_is_broken_inside_on_a_phone_or_a_desktop(
    browser, real_report, fixture_report, width
):
    for report in (real_report, fixture_report):
        visit = browser.open(report, width=width)
        assert visit.broken_words() == [], report
        assert visit.overflow() == 0


def test_the_contents_link_to_every_section_in_the_page(browser, real_report):
    visit = browser.open(real_report, width=1280)
    links = visit.page.evaluate(
        """() => [...document.querySelectorAll('nav.toc a')].map(a => [
            a.getAttribute('href'), !!document.getElementById(a.getAttribute('href').slice(1))])"""
    )
    hrefs = [href for href, _ in links]
    assert all(found for _, found in links), links
    plans = visit.page.locator("section.plan h2").evaluate_all("hs => hs.map(h => '#' + h.id)")
    assert plans and set(plans) <= set(hrefs)
    assert {"#attention", "#month", "#every-item", "#quality", "#sources"} <= set(hrefs)
    # the board's ten decisions and each timeline bar link to the item's row in the appendix
    rows = visit.page.evaluate(
        """() => [...document.querySelectorAll('table.decisions a, .timeline a')]
            .map(a => a.getAttribute('href'))
            .filter(h => !document.getElementById(h.slice(1)))"""
    )
    assert rows == []


def test_printed_it_is_a_numbered_board_paper_whose_body_fits_twelve_pages(
    browser, real_report, tmp_path
):
    visit = browser.open(real_report, width=1280)
    pages = visit.pdf_text(tmp_path / "report.pdf")
    total = len(pages)
    assert total > 12
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {total}" in text, (n, text[-200:])
        if n > 1:  # the running header: the report's title and month
            first = text.strip().splitlines()[0]
            assert "progress report, November 2026" in first, (n, first)
    words = " ".join(pages[0].split())
    # page 1: the counts by status, each plan, what needs a decision and what changed
    for said in (
        "At a glance",
        "Overdue",
        "Not reported",
        "No KPI",
        "that need a decision",
        "What changed since 31 October 2026",
        "Goalposts moved",
    ):
        assert said in words, said
    s = visit.page.evaluate("document.querySelectorAll('.tiles li').length")
    assert s >= 4
    contents = next(n for n, text in enumerate(pages, 1) if "Contents" in text.split())
    assert contents <= 2
    appendix = next(
        n for n, text in enumerate(pages, 1) if "Appendix A: every goal and KPI" in text
    )
    assert appendix - 1 <= 12, f"the body before the appendix is {appendix - 1} pages"
    assert appendix > contents
    # each plan starts a page; a row is never split; headers repeat
    for title in visit.page.locator("section.plan h2").all_inner_texts():
        starts = [n for n, t in enumerate(pages, 1) if _lines(t)[1:2] == [title]]
        assert starts, title
    visit.page.emulate_media(media="print")
    rows = visit.page.evaluate(
        "[...new Set([...document.querySelectorAll('tr')]"
        ".map(r => getComputedStyle(r).breakInside))]"
    )
    assert rows == ["avoid"]


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]
