"""Trend charts in a real browser: a page of charts at desktop and phone widths."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest

from lcrplan.emit.charts import summary, table_rows, trend_chart
from lcrplan.views.trends import Pace, Point, Trajectory, Trend

pytestmark = pytest.mark.browser

AS_OF = dt.date(2026, 3, 31)
START, DUE = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
MONTHLY = tuple(
    Point(dt.date(2025 + (4 + i) // 12, (4 + i) % 12 + 1, 1) - dt.timedelta(1), 20.0 * (i + 1))
    for i in range(12)
)
CHARTS = [
    (
        Trend(
            "people",
            "People engaged",
            AS_OF,
            "off_track",
            MONTHLY,
            "people",
            target=Trajectory(1000, 1000, DUE, START),
        ),
        Pace(10, 5),
    ),
    (
        Trend(
            "events",
            "Events <a year>",
            AS_OF,
            "at_risk",
            MONTHLY[:6],
            "events",
            target=Trajectory(150, 200, DUE, START, 10),
        ),
        Pace(8.0, 5.5),
    ),
    (Trend("gva", "GVA per head", AS_OF, "improving", MONTHLY, "% of UK"), None),
    (
        Trend(
            "one",
            "One reading",
            AS_OF,
            "baseline_only",
            MONTHLY[:1],
            "people",
            target=Trajectory(50, 50, dt.date(2027, 6, 30)),
        ),
        None,
    ),
    (
        Trend(
            "none",
            "No readings",
            AS_OF,
            "not_reported",
            (),
            "GBP",
            target=Trajectory(6.75e6, 6.75e6, dt.date(2028, 12, 31), dt.date(2024, 1, 1)),
        ),
        None,
    ),
]
STYLE = "body{font-family:sans-serif;margin:1rem}figure{max-width:36rem;margin:0 0 2rem}"


def chart_page(folder: Path) -> Path:
    """A page as the site will show a chart: the SVG, the summary beside it, the table."""
    body = []
    for trend, pace in CHARTS:
        rows = "".join(
            f"<tr><td>{r.date}</td><td>{html.escape(r.value)}</td><td>{html.escape(r.note)}</td></tr>"
            for r in table_rows(trend)
        )
        body.append(
            f"<section><h2>{html.escape(trend.title)}</h2><figure>{trend_chart(trend, pace)}"
            f"<figcaption>{html.escape(summary(trend, pace))}</figcaption></figure>"
            f"<table><caption>Readings</caption><thead><tr><th scope=col>Date</th>"
            f"<th scope=col>Value</th><th scope=col>Note</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )
    page = folder / "charts.html"
    page.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Charts</title><style>{STYLE}</style></head><body><main><h1>Charts</h1>"
        + "".join(body)
        + "</main></body></html>",
        encoding="utf-8",
    )
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_charts_render_accessibly_at_desktop_and_phone_widths(browser, tmp_path, width):
    visit = browser.open(chart_page(tmp_path), width=width)
    assert visit.console_errors == []
    assert visit.outside_requests() == []
    assert visit.overflow() == 0
    sizes = visit.svg_sizes()
    assert len([name for name, _, _ in sizes if name]) == len(CHARTS)  # and their marks' SVGs
    assert visit.empty_svgs() == [], sizes
    assert all(w <= width for _, w, _ in sizes), sizes
    assert visit.axe_violations() == []


def test_each_chart_is_an_image_named_by_its_title_and_summary(browser, tmp_path):
    visit = browser.open(chart_page(tmp_path), width=390)
    for trend, pace in CHARTS:
        name = f"{trend.title}: trend {summary(trend, pace)}"
        assert visit.page.get_by_role("img", name=name, exact=True).count() == 1, name
