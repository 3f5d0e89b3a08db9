"""Numbers as every output writes them (`text.format_number`): the same figure in the
terminal, the report, the site, JSON's worded fields and CSV."""

from __future__ import annotations

import pytest

from lcrplan.core.formatting import format_number

from .conftest import MINIMAL, write_tree


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1000, "1,000"),
        (2.5, "2.5"),
        (0.333333, "0.33"),
        (1234567.891, "1,234,567.89"),
        (10.001, "10"),  # not "10."
        (99.999, "100"),
        (-10.001, "-10"),
        (0.004, "0.004"),  # a small measured value is never shown as 0
        (-0.004, "-0.004"),
        (0.00001, "0.00001"),
        (1e-9, "1e-09"),
        (0.0, "0"),
        (None, ""),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_a_reading_just_over_a_whole_number_shows_no_stray_point(run, tmp_path):
    data = write_tree(
        tmp_path / "data",
        {
            **MINIMAL,
            "theme.yaml": """
                theme:
                  id: t
                  title: A theme
                  plan: plan
                  owner: board
                  source: {document: doc}
                goals:
                  - id: g1
                    title: A goal
                    owner: board
                    due: 2027-12-31
                    source: {document: doc}
                    kpis:
                      - id: k1
                        title: Venues open
                        kind: numeric
                        unit: venues
                        baseline: {value: 0, date: 2026-01-01}
                        target: 20
                        direction: increase
                        source: {document: doc}
                        measurements:
                          - {date: 2026-06-01, value: 10.001}
                """,
        },
    )
    result = run("show", "k1", "--data", data, "--as-of", "2026-07-01")
    assert result.exit_code == 0, result.output
    assert "    2026-06-01  10\n" in result.output
    assert "10." not in result.output
    table = run("status", "--data", data, "--as-of", "2026-07-01", env={"COLUMNS": "200"})
    assert "10 / 20 venues" in table.output and "10." not in table.output
