"""Goals and KPIs written as YAML text, the way a chair lays them out, for tests that need a
small theme file: `goal(...)` holds `numeric_kpi(...)` and `milestone(...)` entries, and the
result goes to `conftest.theme_file`. Each field a test does not name takes the usual value."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

DOC = "{document: doc}"


def numeric_kpi(
    kpi_id: str = "k1",
    *,
    title: str = "People engaged",
    target: int = 1000,
    unit: str = "people",
    baseline: str = "2025-01-01",
    readings: Iterable[tuple[str, int]] = (("2026-01-31", 400),),
) -> str:
    """A numeric KPI with a zero baseline on `baseline` and readings as (date, value)."""
    lines = [
        f"- id: {kpi_id}",
        "  kind: numeric",
        f"  title: {title}",
        f"  target: {target}",
        f"  unit: {unit}",
        f"  baseline: {{value: 0, date: {baseline}}}",
        f"  source: {DOC}",
        "  measurements:",
    ]
    lines += [f"    - {{date: {day}, value: {value}}}" for day, value in readings]
    return "\n".join(lines) + "\n"


def milestone(
    kpi_id: str = "k2",
    *,
    title: str = "Venue opened",
    fields: Sequence[str] = (),
    source: str = DOC,
) -> str:
    """A milestone KPI; `fields` are lines such as `due: 2027-06-30`, written before its source."""
    lines = [f"- id: {kpi_id}", "  kind: milestone", f"  title: {title}"]
    lines += [f"  {field}" for field in fields]
    lines.append(f"  source: {source}")
    return "\n".join(lines) + "\n"


def goal(
    goal_id: str = "g1",
    *,
    title: str = "Engage people",
    due: str | None = "2026-11-30",
    fields: Sequence[str] = (),
    source: str = DOC,
    kpis: Sequence[str] = (),
) -> str:
    """A goal with its KPIs; `fields` are lines such as `owner: board`, before its source."""
    lines = [f"- id: {goal_id}", f"  title: {title}"]
    if due is not None:
        lines.append(f"  due: {due}")
    lines += [f"  {field}" for field in fields]
    lines.append(f"  source: {source}")
    text = "\n".join(lines) + "\n"
    if kpis:
        text += "  kpis:\n" + textwrap.indent("".join(kpis), "    ")
    return text
