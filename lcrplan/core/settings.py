"""lcrplan.yaml's models: the thresholds statuses are judged by, the limits on what is read,
the rules of `checks:`, what is tracked, and the config that holds them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    pass
from .cycle_models import Paragraph
from .model_base import Model, MultiLine, SingleLine, Slug, _with, empty, model, required


@model
class Thresholds(Model):
    """Pace ratios (achieved / required) that separate the numeric statuses."""

    on_track: float = _with(0.95, ge=0, le=1)
    """Pace at or above which a numeric KPI is on track."""
    at_risk: float = _with(0.6, ge=0, le=1)
    """Pace at or above which it is at risk (off track below)."""

    def __post_init__(self) -> None:
        if self.at_risk > self.on_track:
            raise ValueError(f"at_risk {self.at_risk:g} is above on_track {self.on_track:g}")


@model
class Limits(Model):
    """Guards applied before YAML reaches the parser."""

    max_file_bytes: int = _with(5_000_000, ge=1)
    """Largest YAML file read, in bytes."""
    max_depth: int = _with(64, ge=1, le=500)
    """Deepest nesting of lists and mappings allowed (at most 500: libyaml refuses 1,000 itself)."""
    max_list_items: int = _with(100_000, ge=1)
    """Longest list allowed."""


@model
class CheckRule(Model):
    """A severity for one code, for the whole data set or the part named by `plan` and `paths`.
    Rules are read in order and the last that matches a problem decides."""

    code: SingleLine = required(examples=["LCR501", "goal-without-kpi"])
    """The code or name of the problem (`lcrplan explain --all` lists them)."""
    severity: Literal["error", "warning", "info", "off"]
    """What the problem becomes: off suppresses it (counted, and listed in the report)."""
    plan: Slug | None = None
    """Only problems about items of this plan."""
    paths: list[SingleLine] = empty()
    """Only problems in files matching one of these patterns, relative to the data folder
    (`lis/*.yaml`; `*` matches across folders)."""
    reason: MultiLine | None = None
    """Why: a statement a reader can check against the documents (required)."""
    until: dt.date | None = None
    """From the day after this, the rule is an error and no longer applies."""


@model
class Tracking(Model):
    """When this tracker began following a plan: no reading is asked for before then."""

    plan: Slug
    """Id of the plan."""
    since: dt.date
    """The day tracking began. A KPI's first reading falls due one reporting period after
    the later of this and its start (its own, its goal's, its plan's)."""
    reason: Paragraph
    """Why this day: a statement a reader can check."""


@model
class Config(Model):
    """Settings in `lcrplan.yaml` at the top of the data directory."""

    due_soon_days: int = _with(30, ge=0, le=3660)
    """Items due within this many days count as due soon."""
    stale_days: int = _with(92, ge=1, le=3660)
    """A KPI with no measurement for this many days is stale."""
    thresholds: Thresholds = Thresholds()
    """Pace ratios that separate on track, at risk and off track."""
    limits: Limits = Limits()
    """Guards applied before YAML reaches the parser."""
    templates: SingleLine | None = None
    """Directory of report templates that override or add to the built-in ones."""
    title: SingleLine | None = None
    """Shown at the top of reports."""
    checks: list[CheckRule] = empty()
    """Severities of problem codes, with the reason for each (`lcrplan explain CODE`)."""
    tracking: list[Tracking] = empty()
    """When tracking of each plan began, with the reason (a plan not listed: its start)."""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.tracking:
            if entry.plan in seen:
                raise ValueError(f"tracking: plan '{entry.plan}' is listed twice")
            seen.add(entry.plan)

    def tracked_since(self, plan: str | None) -> dt.date | None:
        """The day tracking of `plan` began, if lcrplan.yaml says."""
        return next((t.since for t in self.tracking if t.plan == plan), None)
