"""Trend charts as inline SVG, with their legend, the one-line summary and the data table each
is drawn from.

Pure: every input is a parameter (the as-of date too), nothing is read from disk or the clock,
and the same input gives the same bytes. The SVG is written here as text rather than by a
plotting library: BENCHMARKS.md ("Charts") measures the choice.

The caller (the HTML report and the site) builds one `Trend` per KPI from the model and from what
`evaluate` computed, and passes it to each function, so the chart, its legend, its summary and
its table cannot disagree:

    trend = Trend(kpi_id=kpi.id, title=kpi.title, as_of=as_of, status=item.status,
                  readings=tuple(Point(x.date, x.value, x.note or "")
                                 for x in kpi.measurements if x.value is not None),
                  unit=kpi.unit or "", direction=kpi.direction,
                  target=Trajectory(low, high, due=item.due, base_date=..., base_value=...))
    svg = trend_chart(trend, pace)       # pace: Pace(needed, achieved) from the evaluation
    key = legend(trend)                  # the list of what is drawn, under the chart
    line = summary(trend, pace)          # the text beside the chart
    rows = table_rows(trend)             # the table below it

**Fluid, with text that keeps its size.** A chart fills the width it is given (a phone's or a
desktop's): it has a height in pixels and no viewBox, every position across it is a share of
the plot's width (an SVG percentage), and its text is `drawing.FONT_SIZE` pixels at any width.
The y-axis labels sit in the SVG's left padding, its unit above them. Labels inside the plot
(the latest value, the as-of date) are placed clear of every point and of each other at every
width (`drawing.place`), or left out: the legend, which is HTML under the chart and wraps like
any text, names every line and mark drawn (`series`), so nothing is said only by a label.

Every text from the data is escaped here, inside the SVG. `summary` and `table_rows` return
plain text: the HTML template's autoescape escapes it (escaping here too would show `&amp;`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.formatting import pace_words, readable_number, value_text
from ..core.statuses import label as status_word
from ..views.trends import Pace, Point, Projection, Trajectory, Trend, shown_readings
from .axes import BOTTOM, PAD_RIGHT, TOP, DateScale, ValueScale, spaced_ticks
from .drawing import (
    BACKGROUND,
    BAND,
    FONT,
    FONT_SIZE,
    GRID,
    INK,
    MUTED,
    READINGS,
    TARGET,
    Box,
    Candidate,
    Label,
    around,
    esc,
    f1,
    mark_at,
    near,
    pct,
    place,
    status_path,
    text_at,
    text_width,
)
from .drawing import status_mark as status_mark

HEIGHT = 260
"""The chart's height in CSS pixels; its width is the container's (`width="100%"`)."""
MAX_LABEL = 28
"""Characters of a unit drawn inside the chart; the full text is in `<desc>` and the table."""


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One row of the data table under a chart, as plain text (the template escapes it)."""

    date: str
    value: str
    note: str


@dataclass(frozen=True, slots=True)
class Series:
    """One thing a chart draws, as its legend names it: the readings, the latest reading's
    status, the target, the path to it, interim targets, the as-of date. A chart draws exactly
    the series `series` gives, and its legend lists exactly those, in that order."""

    key: str
    """`readings`, `status`, `target`, `path`, `interim`, `level`, `as_of` or `direction`."""
    text: str
    swatch: str
    """Its mark in the legend: a small SVG (hidden from screen readers: the text says it)."""


# --- public -------------------------------------------------------------------------------


def trend_chart(trend: Trend, pace: Pace | None = None) -> str:
    """One KPI's trend as a self-contained, fluid inline SVG: readings to as-of, the target
    trajectory (a band for a range), the target and the as-of date marked, the latest reading
    in its status's shape, the y axis titled with the unit; `legend` names each of these.

    Its ids come from the KPI id, so a page shows each KPI's chart once. It carries no `xmlns`
    (the HTML parser gives inline SVG its namespace) and so no URL at all.
    """
    plot = _Plot(trend)
    ident = chart_id(trend.kpi_id)
    parts = [
        f'<svg width="100%" height="{HEIGHT}" role="img" class="trend" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="{FONT_SIZE}" '
        f'style="padding:0 {PAD_RIGHT}px 0 {plot.left:g}px;overflow:visible;'
        'box-sizing:border-box;display:block">',
        f'<title id="{ident}-title">{esc(trend.title)}: trend</title>',
        f'<desc id="{ident}-desc">{esc(summary(trend, pace))}</desc>',
        *plot.axes(),
        *plot.target(),
        *plot.as_of_line(),
        *plot.projection(),
        *plot.readings(),
        *(text_at(label) for label in plot.labels()),
        "</svg>",
    ]
    return "\n".join(parts)


def legend(trend: Trend) -> str:
    """The chart's legend as an HTML list: one item per series drawn, its mark and its words,
    in a list that wraps like any text (never cut, whatever the width)."""
    items = "".join(
        f'<li data-series="{s.key}">{s.swatch}<span>{_DATE.sub(_time, esc(s.text))}</span></li>'
        for s in series(trend)
    )
    return f'<ul class="legend">{items}</ul>'


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _time(found: re.Match[str]) -> str:
    """A date as `<time>`, which never wraps."""
    return f"<time>{found.group()}</time>"


def series(trend: Trend) -> list[Series]:
    """What `trend_chart` draws for `trend`, in the legend's order."""
    shown = shown_readings(trend)
    unit = _short(trend.unit)
    found = []
    if shown:
        found.append(
            Series("readings", "Readings" + (f" ({unit})" if unit else ""), _swatch_readings())
        )
    if any(r.provisional for r in shown):
        found.append(Series("provisional", "Provisional: may still change", _swatch_hollow()))
    if trend.projection is not None:
        words = trend.projection.words
        found.append(Series("projection", words[:1].upper() + words[1:], _swatch_projection()))
    word = status_word(trend.status)
    latest = "the latest reading" if shown else "no reading yet"
    found.append(Series("status", f"{word}: {latest}", _swatch_status(trend.status)))
    target = trend.target
    if target is None:
        found.append(Series("direction", _direction_words(trend.direction).capitalize(), ""))
    else:
        due = f" by {target.due.isoformat()}" if target.due else " (no due date)"
        kind = "Target" if target.low == target.high else "Target range"
        text = f"{kind} {_target_value(target, unit)}{due}"
        if _has_path(target):
            found.append(Series("target", text, _swatch_target(target)))
            found.append(Series("path", _path_words(target, unit), _swatch_path(target)))
            if target.via:
                found.append(Series("interim", "Interim targets on the path", _swatch_ring(3.5)))
        else:
            found.append(Series("level", text, _swatch_path(target)))
            if target.due is not None:
                found.append(
                    Series("target", f"The target's due date, {target.due}", _swatch_target(target))
                )
    found.append(Series("as_of", f"As of {trend.as_of.isoformat()}", _swatch_as_of()))
    return found


def summary(trend: Trend, pace: Pace | None = None) -> str:
    """The one-line text beside a chart, e.g. "12 readings; latest 240 people on 2026-03-31;
    needs 10.0 a month, achieving 5.0: off track".

    `pace` is what `evaluate` computed (None where it judged no pace: done, overdue, not reported,
    baseline only, an indicator); the status word is evaluate's too. Plain text, not escaped.
    """
    shown = shown_readings(trend)
    count = len(shown)
    parts = ["No readings" if not count else "1 reading" if count == 1 else f"{count:,} readings"]
    provisional = sum(r.provisional for r in shown)
    if provisional:
        parts[0] += f" ({provisional} provisional, drawn hollow)"
    if shown:
        last = shown[-1]
        parts.append(f"latest {value_text(last.value, trend.unit)} on {last.date.isoformat()}")
    if pace is not None:
        needs, doing = pace_words(
            pace.needed, pace.achieved, trend.direction == "increase", pace.cagr
        )
        parts.append(f"{needs}, {doing}")
    elif trend.target is not None:
        parts.append(_target_words(trend.target, trend.unit))
    else:
        parts.append(_direction_words(trend.direction))
    line = "; ".join(parts) + f": {status_word(trend.status).lower()}"
    if trend.projection is not None:
        line += f"; {trend.projection.words} (dotted line)"
    return _SPACES.sub(" ", line)


def table_rows(trend: Trend) -> list[ChartRow]:
    """The rows of the table a chart was drawn from: date, value with unit, note; oldest first."""
    return [
        ChartRow(r.date.isoformat(), value_text(r.value, trend.unit) + _marked(r), r.note)
        for r in shown_readings(trend)
    ]


def _marked(reading: Point) -> str:
    return " (provisional)" if reading.provisional else ""


_SPACES = re.compile(r"\s+")  # one line, whatever a unit holds
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def chart_id(kpi_id: str) -> str:
    """An XML id made from a KPI id, one to one: anything but letters, digits and `-` becomes
    `_` and its code point in hex (`a b` -> `a_20_b`), so two KPI ids never share one."""
    return "chart-" + _ID_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", kpi_id)


# --- text ---------------------------------------------------------------------------------


def _short(text: str, limit: int = MAX_LABEL) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _target_value(target: Trajectory, unit: str) -> str:
    if target.low == target.high:
        return value_text(target.low, unit)
    return f"{readable_number(target.low)}-{value_text(target.high, unit)}"


def _target_words(target: Trajectory, unit: str) -> str:
    due = f" by {target.due.isoformat()}" if target.due else " (no due date)"
    return f"target {_target_value(target, unit)}{due}"


def _direction_words(direction: str) -> str:
    return "higher is better" if direction == "increase" else "lower is better"


def _has_path(target: Trajectory) -> bool:
    return target.due is not None and target.base_date is not None


def _path_words(target: Trajectory, unit: str) -> str:
    """What the dashed line is: the path from the baseline, and where the baseline came from."""
    base = f"{value_text(target.base_value, unit)} on {target.base_date}"
    if target.baseline == "assumed":
        start = f"an assumed baseline of {base} (the data gives none)"
    elif target.baseline == "first":
        start = f"the first reading, {base} (the data gives no baseline)"
    else:
        start = f"the baseline, {base}"
    return f"Path to the target from {start}"


# --- legend swatches ------------------------------------------------------------------------


def _swatch(body: str) -> str:
    return (
        '<svg class="key" viewBox="0 0 28 14" width="28" height="14" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


def _swatch_readings() -> str:
    return _swatch(
        f'<path d="M2 11L14 4L26 7" fill="none" stroke="{READINGS}" stroke-width="2"/>'
        f'<circle cx="14" cy="4" r="3" fill="{READINGS}"/>'
    )


def _swatch_hollow() -> str:
    return _swatch(
        f'<circle cx="14" cy="7" r="3.5" fill="{BACKGROUND}" stroke="{READINGS}" '
        'stroke-width="1.5"/>'
    )


def _swatch_projection() -> str:
    return _swatch(
        f'<path d="M2 7H26" stroke="{READINGS}" stroke-width="2" stroke-dasharray="1 4" '
        'stroke-linecap="round"/>'
    )


def _swatch_status(status: str) -> str:
    return _swatch(
        f'<svg x="7" width="14" height="14" viewBox="-7 -7 14 14">{status_path(status)}</svg>'
    )


def _swatch_target(target: Trajectory) -> str:
    if target.low == target.high:
        return _swatch_ring(6)
    return _swatch(
        f'<path d="M14 1V13M8 13H20M8 1H20" fill="none" stroke="{TARGET}" stroke-width="2.5"/>'
    )


def _swatch_ring(radius: float) -> str:
    return _swatch(
        f'<circle cx="14" cy="7" r="{radius:g}" fill="{BACKGROUND}" stroke="{TARGET}" '
        'stroke-width="2.5"/>'
    )


def _swatch_path(target: Trajectory) -> str:
    band = (
        ""
        if target.low == target.high
        else f'<rect x="1" y="3" width="26" height="8" fill="{BAND}"/>'
    )
    return _swatch(
        f'{band}<path d="M1 7H27" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
    )


def _swatch_as_of() -> str:
    return _swatch(
        f'<path d="M14 0V14" stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="2 3"/>'
    )


# --- scales -------------------------------------------------------------------------------


def _dates(trend: Trend, shown: Sequence[Point]) -> list[int]:
    days = [r.date.toordinal() for r in shown]
    days.append(trend.as_of.toordinal())
    if trend.projection is not None:
        days.append(trend.projection.end.toordinal())
    target = trend.target
    if target is not None:
        for day in (target.due, target.base_date):
            if day is not None:
                days.append(day.toordinal())
        if target.due is not None and target.base_date is not None:
            days.extend(day.toordinal() for day, _ in target.via)
    return days


def _values(
    shown: Sequence[Point], target: Trajectory | None, projection: Projection | None = None
) -> list[float]:
    values = [r.value for r in shown]
    if projection is not None:
        values.append(projection.end_value)
    if target is not None:
        values += [target.low, target.high]
        if target.base_date is not None and target.due is not None:
            values.append(target.base_value)
            values.extend(value for _, value in target.via)
    return values


# --- the plot -------------------------------------------------------------------------------


class _Plot:
    """One chart's scales and the pixels of everything drawn on it (shares across, pixels down)."""

    def __init__(self, trend: Trend) -> None:
        self.trend = trend
        self.shown = shown_readings(trend)
        self.xs = DateScale(_dates(trend, self.shown))
        self.ys = ValueScale(_values(self.shown, trend.target, trend.projection))
        self.yticks = self.ys.ticks()
        widest = max((text_width(label) for _, label in self.yticks), default=0.0)
        self.left = math.ceil(max(widest + 8, 24))
        self.unit = _short(self.trend.unit) or "Value"
        self.taken: list[Box] = []
        """Points and marks: no label may cover one."""

    def x(self, day: dt.date) -> float:
        return self.xs.x(day)

    def axes(self) -> list[str]:
        out = [f'<g fill="{MUTED}">']
        out.append(f'<text x="-{self.left}" y="{TOP - 12}" fill="{INK}">{esc(self.unit)}</text>')
        for value, label in self.yticks:
            y = f1(self.ys.y(value))
            out.append(f'<line x1="0" x2="100%" y1="{y}" y2="{y}" stroke="{GRID}"/>')
            out.append(f'<text x="-6" y="{y}" dy="4" text-anchor="end">{esc(label)}</text>')
        for day, label, anchor in spaced_ticks(self.xs.ticks(), self.x, BOTTOM + 18):
            x = pct(self.x(day))
            out.append(
                f'<line x1="{x}" x2="{x}" y1="{BOTTOM}" y2="{BOTTOM + 5}" stroke="{MUTED}"/>'
            )
            out.append(f'<text x="{x}" y="{BOTTOM + 18}" text-anchor="{anchor}">{label}</text>')
        out.append(f'<line x1="0" x2="0" y1="{TOP}" y2="{BOTTOM}" stroke="{MUTED}"/>')
        out.append(f'<line x1="0" x2="100%" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{MUTED}"/></g>')
        return out

    def target(self) -> list[str]:
        target = self.trend.target
        if target is None:
            return []
        ys = self.ys
        low, high = ys.y(target.low), ys.y(target.high)
        dash = f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"'
        out = []
        if _has_path(target):
            assert target.due is not None and target.base_date is not None
            start = (self.x(target.base_date), ys.y(target.base_value))
            steps = [(self.x(day), ys.y(value)) for day, value in target.via]
            due = self.x(target.due)
            if low != high:
                corners = [start, *steps, (due, high), (due, low), *reversed(steps)]
                d = "M" + "L".join(f"{f1(a * 1000)} {f1(b)}" for a, b in corners) + "Z"
                out.append(
                    f'<svg width="100%" height="{HEIGHT}" viewBox="0 0 1000 {HEIGHT}" '
                    f'preserveAspectRatio="none"><path d="{d}" fill="{BAND}"/></svg>'
                )
            for end in dict.fromkeys((low, high)):
                out.extend(_lines([start, *steps, (due, end)], dash))
            for a, b in steps:
                out.append(_ring(a, b, 3.5))
                self.taken.append(around(a, b, 5))
            out.append(_target_mark(due, high, low))
            self.taken.append(Box(due, -8, 8, high - 8, low + 8))
        else:  # no trajectory without a due date and a start: the target as a level
            if low != high:
                out.append(
                    f'<rect x="0" y="{f1(high)}" width="100%" height="{f1(low - high)}" '
                    f'fill="{BAND}"/>'
                )
            out.extend(
                f'<line x1="0" x2="100%" y1="{f1(y)}" y2="{f1(y)}" {dash}/>'
                for y in dict.fromkeys((low, high))
            )
            if target.due is not None:
                due = self.x(target.due)
                out.append(_target_mark(due, high, low))
                self.taken.append(Box(due, -8, 8, high - 8, low + 8))
        return out

    def as_of_line(self) -> list[str]:
        x = pct(self.x(self.trend.as_of))
        return [
            f'<line x1="{x}" x2="{x}" y1="{TOP}" y2="{BOTTOM}" stroke="{MUTED}" '
            'stroke-width="1.5" stroke-dasharray="2 3"/>'
        ]

    def projection(self) -> list[str]:
        """The dotted line from the latest reading to the target date, at the current pace."""
        found = self.trend.projection
        if found is None:
            return []
        start = (self.x(found.start), self.ys.y(found.start_value))
        end = (self.x(found.end), self.ys.y(found.end_value))
        style = (
            f'class="projection" stroke="{READINGS}" stroke-width="2" stroke-dasharray="1 4" '
            'stroke-linecap="round"'
        )
        return _lines([start, end], style)

    def readings(self) -> list[str]:
        if not self.shown:
            return []
        points = [(self.x(r.date), self.ys.y(r.value)) for r in self.shown]
        out = _lines(points, f'stroke="{READINGS}" stroke-width="2"')
        out.append(f'<g fill="{READINGS}">')
        hollow = f' fill="{BACKGROUND}" stroke="{READINGS}" stroke-width="1.5"'
        for (a, b), reading in zip(points[:-1], self.shown, strict=False):
            out.append(
                f'<circle cx="{pct(a)}" cy="{f1(b)}" r="3"{hollow if reading.provisional else ""}/>'
            )
            self.taken.append(around(a, b, 4))
        out.append("</g>")
        a, b = points[-1]
        out.append(mark_at(pct(a), b, self.trend.status, 16, self.shown[-1].provisional))
        self.taken.append(around(a, b, 9))
        return out

    def labels(self) -> list[Label]:
        """The latest value beside its point (or "No readings yet") and the as-of date beside
        its line, each where it covers no point, no mark and no other label at any width; left
        out where none is (the legend says both)."""
        placed: list[Label] = []
        if not self.shown:
            middle = (TOP + BOTTOM) / 2
            rows = [middle, middle - 30, middle + 30, TOP + 16, BOTTOM - 8]
            found = place(
                "No readings yet",
                [(at, 0.0, y, "middle") for y in rows for at in (0.5, 0.25, 0.75)],
                self.taken,
                TOP,
                BOTTOM,
            )
            if found:
                placed.append(found)
        else:
            last = self.shown[-1]
            a, b = self.x(last.date), self.ys.y(last.value)
            text = value_text(last.value, _short(self.trend.unit, 16))
            found = place(text, near(a, b, 11), self.taken, TOP, BOTTOM)
            if found:
                placed.append(found)
        at = self.x(self.trend.as_of)
        candidates: list[Candidate] = []
        for y in range(TOP + FONT_SIZE, BOTTOM - 2, 14):
            candidates += [(at, -5, float(y), "end"), (at, 5, float(y), "start")]
        found = place(
            f"as of {self.trend.as_of.isoformat()}",
            candidates,
            [*self.taken, *(p.box for p in placed)],
            TOP,
            BOTTOM,
        )
        if found:
            placed.append(found)
        return placed


def _lines(points: Sequence[tuple[float, float]], style: str) -> list[str]:
    """Straight lines joining `points` (share across, pixels down): SVG lines take percentages,
    where a path or a polyline would not."""
    return [
        f'<line x1="{pct(a)}" y1="{f1(b)}" x2="{pct(c)}" y2="{f1(d)}" {style}/>'
        for (a, b), (c, d) in zip(points, points[1:], strict=False)
    ]


def _ring(at: float, y: float, radius: float) -> str:
    return (
        f'<circle cx="{pct(at)}" cy="{f1(y)}" r="{radius:g}" fill="{BACKGROUND}" '
        f'stroke="{TARGET}" stroke-width="2"/>'
    )


def _target_mark(at: float, top: float, bottom: float) -> str:
    """A ring at a target number, an I-beam across a range: the same mark as in the legend."""
    if top == bottom:
        return (
            f'<circle cx="{pct(at)}" cy="{f1(top)}" r="6" fill="{BACKGROUND}" '
            f'stroke="{TARGET}" stroke-width="2.5"/>'
        )
    x = pct(at)
    return (
        f'<g stroke="{TARGET}" stroke-width="2.5">'
        f'<line x1="{x}" x2="{x}" y1="{f1(top)}" y2="{f1(bottom)}"/>'
        f"{_cap(x, top)}{_cap(x, bottom)}</g>"
    )


def _cap(x: str, y: float) -> str:
    """The end of an I-beam: 12 pixels across at `x` (in an SVG of its own, placed by a
    percentage, which a path cannot be)."""
    return (
        f'<svg x="{x}" y="{f1(y - 2)}" width="4" height="4" overflow="visible">'
        f'<path d="M-6 0.75H6V3.25H-6Z" fill="{TARGET}" stroke="none"/></svg>'
    )
