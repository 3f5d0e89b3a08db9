"""The site in a real browser (headless Chromium, tests/helpers/browser.py): every page type at
desktop and phone widths, on the fixture data and on the real data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import REPO, Run
from .helpers.pages import check

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "report"
AS_OF = "2026-11-30"
PAGES = [
    "index.html",
    "attention.html",
    "plan-alpha.html",
    "owner-beta-venues.html",
    "goal-a-fund.html",
    "kpi-a-fund-raised.html",
    "kpi-a-jobs-created.html",
]


def _site(tmp: Path, data: Path) -> Path:
    out = tmp / "site"
    result = Run()("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    return _site(tmp, Path(shutil.copytree(FIXTURE, tmp / "data")))


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("real-site")
    return _site(tmp, Path(shutil.copytree(REPO / "data", tmp / "data")))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_type_at_desktop_and_phone_widths(browser, fixture_site, page, width):
    visit = browser.open(fixture_site / page, width=width)
    check(visit, width)
    assert visit.page.locator("main h1").count() == 1
    assert visit.page.locator("html").get_attribute("lang") == "en-GB"


REAL_PAGES = [
    "index.html",
    "attention.html",
    "plan-lis-2020.html",
    "plan-ci-strategy.html",
    "plan-mb-priorities-2026.html",
    "owner-lcr-partners.html",
    "owner-mb-venues.html",
    "goal-lis-gc-clean-act-2.html",
    "kpi-ci-inv-3-people.html",
    "kpi-lis-fdn-infrastructure-kpi-strategic-infrastructure-plan.html",
]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", REAL_PAGES)
def test_real_data_pages_keep_every_word_whole(browser, real_site, page, width):
    """Issue 24: at 390 px "Overdue" was drawn O/v/e/r/d/u/e and dates wrapped at a hyphen;
    now no word, number or date is broken inside, on any page type, at either width."""
    visit = browser.open(real_site / page, width=width)
    check(visit, width)
    assert visit.broken_words() == []


@pytest.mark.parametrize("page", PAGES)
def test_fixture_pages_keep_every_word_whole_on_a_phone(browser, fixture_site, page):
    assert browser.open(fixture_site / page, width=390).broken_words() == []


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_home_page_gives_the_position_above_the_fold(browser, real_site, width, height):
    """The tiles of counts and every plan's status bar, without scrolling."""
    visit = browser.open(real_site / "index.html", width=width, height=height)
    assert visit.page.locator(".tiles li").count() >= 4
    assert visit.page.locator(".plans .sbar").count() == 3
    assert visit.below_the_fold(".tiles li") == []
    assert visit.below_the_fold(".plans .sbar") == []


def test_chart_text_is_twelve_pixels_or_more_on_a_phone_and_within_its_estimate(
    browser, fixture_site
):
    """Charts fill the phone's width and keep their text size; each text is no wider than the
    estimate its label was placed by (so placed labels never touch in a real browser)."""
    from lcrplan.emit.drawing import text_width

    visit = browser.open(fixture_site / "kpi-a-jobs-created.html", width=390)
    found = visit.page.evaluate(
        """() => [...document.querySelectorAll('svg.trend text, .timeline svg text')]
            .filter(t => t.getClientRects().length)
            .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize),
                       t.getComputedTextLength(), t.getBoundingClientRect().height])"""
    )
    assert found
    for text, size, length, _ in found:
        assert size >= 12, text
        assert length <= text_width(text, size), (text, length, text_width(text, size))
    chart = visit.page.locator("svg.trend").bounding_box()
    main = visit.page.locator("main").bounding_box()
    assert chart and main and chart["width"] >= main["width"] - 40  # the width available


@pytest.mark.parametrize("plan", ["plan-lis-2020.html", "plan-ci-strategy.html"])
def test_a_plans_timeline_links_each_bar_to_its_page(browser, real_site, plan):
    """A bar of one item links to its page; a bar of a whole theme (a large plan's) to the
    theme's goals on the plan's page."""
    visit = browser.open(real_site / plan, width=1280)
    hrefs = visit.page.evaluate(
        "[...document.querySelectorAll('.timeline.wide svg.labels a')]"
        ".map(a => a.getAttribute('href'))"
    )
    assert hrefs
    for href in hrefs:
        target, _, fragment = href.partition("#")
        assert (real_site / target).is_file() if target else fragment, href
    visit.page.locator(".timeline.wide svg.labels a").first.locator("tspan").first.click()
    visit.page.wait_for_load_state()
    if hrefs[0].startswith("#"):
        assert visit.page.url.endswith(hrefs[0])
        # the theme's goals, folded, open as the link arrives
        opened = f"document.querySelector('{hrefs[0]}').closest('details').open"
        assert visit.page.evaluate(opened)
    else:
        assert visit.page.url.endswith(hrefs[0])
    assert visit.outside_requests() == []


def test_a_kpi_chart_is_an_image_named_by_its_title_and_summary(browser, fixture_site):
    visit = browser.open(fixture_site / "kpi-a-jobs-created.html", width=390)
    chart = visit.page.get_by_role("img", name="Jobs created: trend", exact=False)
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    caption = visit.page.locator("figcaption").inner_text()
    assert caption.startswith("5 readings; latest 950 jobs on 2026-11-10")


def test_the_skip_link_is_first_and_leads_to_the_content(browser, fixture_site):
    visit = browser.open(fixture_site / "kpi-a-fund-raised.html", width=1280)
    visit.page.keyboard.press("Tab")
    focused = visit.page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("location.hash") == "#main"


def test_links_between_pages_work_from_the_folder(browser, fixture_site):
    visit = browser.open(fixture_site / "index.html", width=1280)
    visit.page.get_by_role("link", name="Alpha Strategy", exact=True).first.click()
    visit.page.wait_for_load_state()
    assert visit.page.url.endswith("/plan-alpha.html")
    visit.page.get_by_role("link", name="Raise investment").first.click()
    visit.page.wait_for_load_state()
    assert visit.page.url.endswith("/goal-a-fund.html")
    assert visit.outside_requests() == []
