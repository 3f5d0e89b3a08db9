"""The HTML report in a real browser (headless Chromium, tests/browser.py): on screen at
desktop and phone widths, and printed to an A4 PDF as a board paper would be."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import REPO, Run
from .test_site_browser import check

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
