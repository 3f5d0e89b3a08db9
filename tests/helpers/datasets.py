"""Two small data sets a pull request turns one into the other (`BEFORE`, `AFTER`: goals g1-g4),
for the diff, output and security tests."""

from __future__ import annotations

from ..conftest import MINIMAL, theme_file
from .goals import goal, milestone, numeric_kpi


def _venue_goal(due: str) -> str:
    """g2, whose due date moves between BEFORE and AFTER."""
    return goal("g2", title="Open a venue", due=due, kpis=[milestone()])


def _map_goal(kpi_id: str) -> str:
    """g3, whose only KPI is renamed between BEFORE and AFTER."""
    kpi = milestone(
        kpi_id,
        title="Map published",
        fields=["text: a map of the region's venues"],
        source='{document: doc, lines: "12"}',
    )
    return goal("g3", title="Publish a map", due="2026-12-31", kpis=[kpi])


BEFORE = {
    **MINIMAL,
    "theme.yaml": theme_file(
        goal(kpis=[numeric_kpi()])
        + _venue_goal("2027-06-30")
        + _map_goal("k3-old")
        + goal("g4", title="Hold a festival", due="2026-09-30")
    ),
}
AFTER = {
    **MINIMAL,
    "theme.yaml": theme_file(
        goal(kpis=[numeric_kpi(target=800, readings=[("2026-01-31", 400), ("2026-03-31", 500)])])
        + _venue_goal("2026-03-31")
        + _map_goal("k3-map")
        + goal("g5", title="Train young promoters", due="2027-12-31", fields=["owner: board"])
    ),
}
