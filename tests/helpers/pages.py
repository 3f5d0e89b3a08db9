"""What every page must do in the browser, the site's and the HTML report's alike."""

from __future__ import annotations


def check(visit, width: int) -> None:
    """What every page must do: no console error, no request leaving its folder, no sideways
    scrolling, every chart and mark drawn, no serious or critical accessibility violation."""
    assert visit.console_errors == []
    assert visit.outside_requests() == []
    assert visit.overflow() == 0
    sizes = visit.svg_sizes()
    assert visit.empty_svgs() == [], sizes
    assert all(w <= width for _, w, _ in sizes), sizes
    assert visit.axe_violations() == []
