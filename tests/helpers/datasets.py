"""Two small data sets a pull request turns one into the other (`BEFORE`, `AFTER`: goals g1-g4),
for the diff, output and security tests."""

from __future__ import annotations

from ..conftest import MINIMAL, theme_file

BEFORE = {
    **MINIMAL,
    "theme.yaml": theme_file(
        """
        - id: g1
          title: Engage people
          due: 2026-11-30
          source: {document: doc}
          kpis:
            - id: k1
              kind: numeric
              title: People engaged
              target: 1000
              unit: people
              baseline: {value: 0, date: 2025-01-01}
              source: {document: doc}
              measurements:
                - {date: 2026-01-31, value: 400}
        - id: g2
          title: Open a venue
          due: 2027-06-30
          source: {document: doc}
          kpis:
            - id: k2
              kind: milestone
              title: Venue opened
              source: {document: doc}
        - id: g3
          title: Publish a map
          due: 2026-12-31
          source: {document: doc}
          kpis:
            - id: k3-old
              kind: milestone
              title: Map published
              text: a map of the region's venues
              source: {document: doc, lines: "12"}
        - id: g4
          title: Hold a festival
          due: 2026-09-30
          source: {document: doc}
        """
    ),
}
AFTER = {
    **MINIMAL,
    "theme.yaml": theme_file(
        """
        - id: g1
          title: Engage people
          due: 2026-11-30
          source: {document: doc}
          kpis:
            - id: k1
              kind: numeric
              title: People engaged
              target: 800
              unit: people
              baseline: {value: 0, date: 2025-01-01}
              source: {document: doc}
              measurements:
                - {date: 2026-01-31, value: 400}
                - {date: 2026-03-31, value: 500}
        - id: g2
          title: Open a venue
          due: 2026-03-31
          source: {document: doc}
          kpis:
            - id: k2
              kind: milestone
              title: Venue opened
              source: {document: doc}
        - id: g3
          title: Publish a map
          due: 2026-12-31
          source: {document: doc}
          kpis:
            - id: k3-map
              kind: milestone
              title: Map published
              text: a map of the region's venues
              source: {document: doc, lines: "12"}
        - id: g5
          title: Train young promoters
          due: 2027-12-31
          owner: board
          source: {document: doc}
        """
    ),
}
