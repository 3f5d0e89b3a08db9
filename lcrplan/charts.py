"""Trend charts as inline SVG, with the one-line summary and the data table each is drawn from.

Pure: every input is a parameter (the as-of date too), nothing is read from disk or the clock,
and the same input gives the same bytes. The SVG is written here as text rather than by a
plotting library: BENCHMARKS.md ("Charts") measures the choice.

The caller (the HTML report and the site) builds one `Trend` per KPI from the model and from what
`evaluate` computed, and passes it to all three functions, so the chart, its summary and its
table cannot disagree:

    trend = Trend(kpi_id=kpi.id, title=kpi.title, as_of=as_of, status=item.status,
                  readings=tuple(Reading(x.date, x.value, x.note or "")
                                 for x in kpi.measurements if x.value is not None),
                  unit=kpi.unit or "", direction=kpi.direction,
                  target=Target(low, high, due=item.due, base_date=..., base_value=...))
    svg = trend_chart(trend, pace)       # pace: Pace(needed, achieved) from the evaluation
    line = summary(trend, pace)          # the text beside the chart
    rows = table_rows(trend)             # the table below it

Every text from the data is escaped here, inside the SVG. `summary` and `table_rows` return
plain text: the HTML template's autoescape escapes it (escaping here too would show `&amp;`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .statuses import label as status_word
from .text import format_number, pace_words

WIDTH, HEIGHT = 420, 280
"""The viewBox. The SVG itself is `width="100%"`, so it scales to its container (a phone too);
narrow enough that its 12-unit text is still 10 px on a 390 px phone; a page keeps it in
proportion on a wide screen by capping the container's width (about 36rem)."""
LEFT, RIGHT, TOP, BOTTOM = 54, 394, 30, 226
FONT = 'font-family="system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif"'

# Colours on the white background, each with a contrast of at least 4.5:1 (WCAG 2.1 AA for
# text; marks need 3:1). tests/test_charts.py computes every ratio.
BACKGROUND = "#ffffff"
INK = "#1f1f1f"
MUTED = "#595959"
GRID = "#d9d9d9"  # decoration only: every value is also in the data table
READINGS = "#1d4f91"
TARGET = "#7a4300"
BAND = "#f3e6d3"  # the range's fill, decoration only; its edges carry the meaning
HALO = f'stroke="{BACKGROUND}" stroke-width="3" paint-order="stroke"'  # text over lines
STATUS_COLOURS = {"good": "#1a6b28", "warn": "#8a4a00", "bad": "#b3261e", "other": MUTED}

# Status is shown by a shape and a word, never by colour alone.
SHAPE_OF = {
    "on_track": "good",
    "done": "good",
    "improving": "good",
    "at_risk": "warn",
    "off_track": "bad",
    "overdue": "bad",
    "behind": "bad",
    "worsening": "bad",
}
MAX_LABEL = 28
"""Characters of a unit drawn inside the chart; the full text is in `<desc>` and the table."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One measurement: its date, its value (finite, as the models guarantee) and its note."""

    date: dt.date
    value: float
    note: str = ""
    provisional: bool = False
    """The figure may still change: drawn hollow."""

    def __post_init__(self) -> None:
        _finite(self.value)


@dataclass(frozen=True, slots=True)
class Target:
    """A numeric KPI's target: `low == high` for a number, or a range; due date and baseline.

    The trajectory runs from (`base_date`, `base_value`) through any interim targets (`via`) to
    the target at `due`: pass the baseline `evaluate` judged from (`evaluate.Basis`). With no
    `due` or no `base_date` there is no trajectory and the target is drawn as a level.
    """

    low: float
    high: float
    due: dt.date | None = None
    base_date: dt.date | None = None
    base_value: float = 0.0
    via: tuple[tuple[dt.date, float], ...] = ()
    """Interim targets (date, value) the trajectory passes through on its way to `due`."""

    def __post_init__(self) -> None:
        _finite(self.low, self.high, self.base_value, *(value for _, value in self.via))


def _finite(*values: float) -> None:
    """Refuse NaN and infinity: a chart cannot place them (the models refuse them too)."""
    if not all(map(math.isfinite, values)):
        raise ValueError(f"a chart needs finite numbers, not {values}")


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the readings head at their current pace: a dotted line from the latest reading
    (`start`, `start_value`) to the target date (`end`, `end_value`), and the words for it."""

    start: dt.date
    start_value: float
    end: dt.date
    end_value: float
    words: str
    """"at this pace: May 2033, 4 years 4 months late"."""

    def __post_init__(self) -> None:
        _finite(self.start_value, self.end_value)


@dataclass(frozen=True, slots=True)
class Pace:
    """The rates `evaluate` judged pace by: needed and achieved, per month (or % a year)."""

    needed: float
    achieved: float
    cagr: bool = False


@dataclass(frozen=True, slots=True)
class Trend:
    """Everything one KPI's chart, summary and table are drawn from.

    `status` is evaluate's status key (`on_track`, `improving`, ...). `readings` may come in
    any order and may include readings after `as_of`: those are left out everywhere. An
    indicator has `target=None` and is drawn with its readings and direction only.
    """

    kpi_id: str
    title: str
    as_of: dt.date
    status: str
    readings: tuple[Reading, ...] = ()
    unit: str = ""
    direction: Literal["increase", "decrease"] = "increase"
    target: Target | None = None
    projection: Projection | None = None
    """A numeric KPI's course at its current pace, drawn dotted to the target date."""


def shown_readings(trend: Trend) -> list[Reading]:
    """The readings on or before as-of, oldest first (a stable sort keeps same-day order).

    A function, not a method: a `Trend` reaches templates, which call no method of a record."""
    return sorted((r for r in trend.readings if r.date <= trend.as_of), key=lambda r: r.date)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the data table under a chart, as plain text (the template escapes it)."""

    date: str
    value: str
    note: str


# --- public -------------------------------------------------------------------------------


def trend_chart(trend: Trend, pace: Pace | None = None) -> str:
    """One KPI's trend as a self-contained inline SVG: readings to as-of, the target trajectory
    (a band for a range), the target and the as-of date marked, status by shape and word.

    Its ids come from the KPI id, so a page shows each KPI's chart once. It carries no `xmlns`
    (the HTML parser gives inline SVG its namespace) and so no URL at all.
    """
    shown = shown_readings(trend)
    target = trend.target
    xs = _DateScale(_dates(trend, shown))
    ys = _ValueScale(_values(shown, target, trend.projection))
    ident = chart_id(trend.kpi_id)
    word = status_word(trend.status)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">',
        f'<title id="{ident}-title">{_esc(trend.title)}: trend</title>',
        f'<desc id="{ident}-desc">{_esc(summary(trend, pace))}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>',
        *_axes(xs, ys),
    ]
    if target is not None:
        parts.extend(_target(target, xs, ys))
    parts.extend(_as_of(trend.as_of, xs))
    if trend.projection is not None:
        parts.append(_projection(trend.projection, xs, ys))
    parts.extend(_readings(shown, trend.status, xs, ys))
    if not shown:
        parts.append(
            f'<text x="{(LEFT + RIGHT) / 2:.1f}" y="{(TOP + BOTTOM) / 2:.1f}" '
            f'text-anchor="middle" fill="{INK}" {HALO}>No readings yet</text>'
        )
    parts.extend(_legend(trend, word))
    parts.append("</svg>")
    return "\n".join(parts)


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


def table_rows(trend: Trend) -> list[Row]:
    """The rows of the table a chart was drawn from: date, value with unit, note; oldest first."""
    return [
        Row(r.date.isoformat(), value_text(r.value, trend.unit) + _marked(r), r.note)
        for r in shown_readings(trend)
    ]


def _marked(reading: Reading) -> str:
    return " (provisional)" if reading.provisional else ""


_SPACES = re.compile(r"\s+")  # one line, whatever a unit holds
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


def chart_id(kpi_id: str) -> str:
    """An XML id made from a KPI id, one to one: anything but letters, digits and `-` becomes
    `_` and its code point in hex (`a b` -> `a_20_b`), so two KPI ids never share one."""
    return "chart-" + _ID_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}_", kpi_id)


# --- text ---------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even escaped; the models refuse them in text already.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    text = _NOT_XML.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    """A value as the other outputs write it (1,000; 2.5), in exponent form at the extremes."""
    if value == 0 or 1e-2 <= abs(value) < 1e15:
        return format_number(value)
    return _exponent(value, 3)


def _exponent(value: float, digits: int) -> str:
    return f"{value:.{digits}g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")


def value_text(value: float, unit: str = "") -> str:
    """A reading as charts, their summaries and tables write it: `1,000 people`, `6.75e6 GBP`."""
    return f"{_number(value)} {unit}".rstrip()


def _target_value(target: Target, unit: str) -> str:
    if target.low == target.high:
        return value_text(target.low, unit)
    return f"{_number(target.low)}-{value_text(target.high, unit)}"


def _target_words(target: Target, unit: str) -> str:
    due = f" by {target.due.isoformat()}" if target.due else " (no due date)"
    return f"target {_target_value(target, unit)}{due}"


def _direction_words(direction: str) -> str:
    return "higher is better" if direction == "increase" else "lower is better"


# --- scales -------------------------------------------------------------------------------


def _dates(trend: Trend, shown: Sequence[Reading]) -> list[int]:
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
    shown: Sequence[Reading], target: Target | None, projection: Projection | None = None
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


FIRST_DAY, LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()
MIN_DAYS = 62  # any 62 days hold two first-of-months, so the axis has two labels at least
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000, 60000)
MAX_TICKS = 6


class _DateScale:
    """Days to x, with ticks on the first of a month: YYYY-MM, or YYYY every year or more."""

    def __init__(self, days: Sequence[int]) -> None:
        low, high = min(days), max(days)
        pad = max((MIN_DAYS - (high - low)) / 2, (high - low) * 0.03, 1)
        low, high = max(FIRST_DAY, math.floor(low - pad)), min(LAST_DAY, math.ceil(high + pad))
        if high - low < MIN_DAYS:  # squeezed against the first or last day Python has
            low, high = max(FIRST_DAY, high - MIN_DAYS), min(LAST_DAY, low + MIN_DAYS)
        self.low, self.high = low, high

    def x(self, day: dt.date) -> float:
        return LEFT + (day.toordinal() - self.low) / (self.high - self.low) * (RIGHT - LEFT)

    def ticks(self) -> list[tuple[dt.date, str]]:
        first, last = dt.date.fromordinal(self.low), dt.date.fromordinal(self.high)
        start = first.year * 12 + first.month - 1 + (first.day > 1)
        end = last.year * 12 + last.month - 1
        step = next(s for s in MONTH_STEPS if (end - start) // s + 1 <= MAX_TICKS)
        found = []
        for index in range(-(-start // step) * step, end + 1, step):
            day = dt.date(index // 12, index % 12 + 1, 1)
            found.append((day, f"{day.year:04}-{day.month:02}" if step < 12 else f"{day.year:04}"))
        return found


class _ValueScale:
    """Values to y, with "nice" ticks (1, 2 or 5 times a power of ten), compact labels.

    Works on halves of the values, so 1e308 and -1e308 (whose difference overflows a float)
    still have a finite span."""

    def __init__(self, values: Sequence[float]) -> None:
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        if not high / 2 - low / 2 > 0:  # one value, or values too close for a float
            pad = max(abs(low) * 0.1, 1.0)
            low, high = low - pad, min(high + pad, sys.float_info.max)
        pad = (high / 2 - low / 2) * 0.2  # a tenth of the span on each side
        low, high = max(low - pad, -sys.float_info.max), min(high + pad, sys.float_info.max)
        self.ticks_at = _nice_ticks(low, high)
        self.low = min(low, self.ticks_at[0])
        self.high = max(high, self.ticks_at[-1])
        self.half_span = self.high / 2 - self.low / 2

    def y(self, value: float) -> float:
        share = (value / 2 - self.low / 2) / self.half_span
        return BOTTOM - share * (BOTTOM - TOP)

    def ticks(self) -> list[tuple[float, str]]:
        return list(zip(self.ticks_at, _compact_labels(self.ticks_at), strict=True))


def _nice_ticks(low: float, high: float) -> list[float]:
    """Three to six round numbers within [low, high]; the two ends where none are round."""
    half = high / 2 - low / 2
    if not math.isfinite(half) or half <= 0:
        return [low, high]
    raw = half / 2.5  # (high - low) / 5, from the halves
    if raw <= 0:
        return [low, high]
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * power
        if step > 0 and math.isfinite(step) and half / step * 2 <= MAX_TICKS:
            break
    else:
        return [low, high]
    first, last = math.ceil(low / step), math.floor(high / step)
    ticks = [k * step for k in range(first, last + 1)] if 0 <= last - first <= MAX_TICKS else []
    ticks = [t for t in ticks if math.isfinite(t) and low <= t <= high]
    return ticks if len(ticks) >= 2 else [low, high]


# (from, divide by, suffix): thousands stay whole below 10,000, as people write them
_SCALES = ((1e12, 1e12, "tn"), (1e9, 1e9, "bn"), (1e6, 1e6, "m"), (1e4, 1e3, "k"))


def _compact_labels(ticks: Sequence[float]) -> list[str]:
    """`250`, `5,000`, `15k`, `20m`, `3bn`; an exponent from 1e15 or below 0.001. Each label is
    given the digits that keep it apart from its neighbours."""
    top = max(abs(t) for t in ticks)
    if top >= 1e15 or 0 < top < 1e-3:
        for digits in range(2, 18):
            labels = [_exponent(t, digits) for t in ticks]
            if len(set(labels)) == len(labels):
                return labels
        return labels
    scale, suffix = next(((s, n) for start, s, n in _SCALES if top >= start), (1.0, ""))
    for decimals in range(0, 10):
        labels = [_trim(f"{t / scale:,.{decimals}f}") + suffix if t else "0" for t in ticks]
        if len(set(labels)) == len(labels):
            return labels
    return labels


def _trim(text: str) -> str:
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


# --- drawing ------------------------------------------------------------------------------


def _f(value: float) -> str:
    return f"{value:.1f}"


def _axes(xs: _DateScale, ys: _ValueScale) -> list[str]:
    out = [f'<g fill="{MUTED}">']
    for value, label in ys.ticks():
        y = _f(ys.y(value))
        out.append(f'<line x1="{LEFT}" x2="{RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end">{_esc(label)}</text>')
    for day, label in xs.ticks():
        x = _f(xs.x(day))
        out.append(f'<line x1="{x}" x2="{x}" y1="{BOTTOM}" y2="{BOTTOM + 5}" stroke="{MUTED}"/>')
        out.append(f'<text x="{x}" y="{BOTTOM + 18}" text-anchor="middle">{label}</text>')
    out.append(f'<path d="M{LEFT} {TOP}V{BOTTOM}H{RIGHT}" fill="none" stroke="{MUTED}"/></g>')
    return out


def _target(target: Target, xs: _DateScale, ys: _ValueScale) -> list[str]:
    low, high = _f(ys.y(target.low)), _f(ys.y(target.high))
    dash = f'fill="none" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"'
    out = []
    if target.due is not None and target.base_date is not None:
        bx, by = _f(xs.x(target.base_date)), _f(ys.y(target.base_value))
        dx = _f(xs.x(target.due))
        steps = "".join(f"L{_f(xs.x(day))} {_f(ys.y(value))}" for day, value in target.via)
        if low != high:
            out.append(f'<path d="M{bx} {by}{steps}L{dx} {high}V{low}Z" fill="{BAND}"/>')
            back = "".join(f"L{_f(xs.x(d))} {_f(ys.y(v))}" for d, v in reversed(target.via))
            out.append(f'<path d="M{dx} {high}{back}L{bx} {by}{steps}L{dx} {low}" {dash}/>')
        else:
            out.append(f'<path d="M{bx} {by}{steps}L{dx} {low}" {dash}/>')
        out.extend(_interim_mark(xs.x(day), ys.y(value)) for day, value in target.via)
    else:  # no trajectory without a due date and a start: the target as a level
        if low != high:
            out.append(f'<path d="M{LEFT} {high}H{RIGHT}V{low}H{LEFT}Z" fill="{BAND}"/>')
        out.extend(f'<path d="M{LEFT} {y}H{RIGHT}" {dash}/>' for y in dict.fromkeys((low, high)))
    if target.due is not None:
        out.append(_target_mark(xs.x(target.due), float(high), float(low)))
    return out


def _target_mark(x: float, top: float, bottom: float) -> str:
    """A ring at a target number, an I-beam across a range: the same mark as in the legend."""
    if top == bottom:
        return (
            f'<circle cx="{_f(x)}" cy="{_f(top)}" r="6" fill="{BACKGROUND}" stroke="{TARGET}" '
            'stroke-width="2.5"/>'
        )
    return (
        f'<path d="M{_f(x)} {_f(top)}V{_f(bottom)}m-6 0h12M{_f(x - 6)} {_f(top)}h12" '
        f'fill="none" stroke="{TARGET}" stroke-width="2.5"/>'
    )


def _interim_mark(x: float, y: float) -> str:
    """A small ring at an interim target on the trajectory."""
    return (
        f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{BACKGROUND}" stroke="{TARGET}" '
        'stroke-width="2"/>'
    )


def _as_of(as_of: dt.date, xs: _DateScale) -> list[str]:
    x = xs.x(as_of)
    anchor, dx = ("end", -4) if x > (LEFT + RIGHT) / 2 else ("start", 4)
    return [
        f'<path d="M{_f(x)} {TOP}V{BOTTOM}" stroke="{MUTED}" stroke-dasharray="2 3"/>',
        f'<text x="{_f(x + dx)}" y="{TOP + 12}" text-anchor="{anchor}" fill="{INK}" {HALO}>'
        f"as of {as_of.isoformat()}</text>",
    ]


def _readings(shown: Sequence[Reading], status: str, xs: _DateScale, ys: _ValueScale) -> list[str]:
    if not shown:
        return []
    points = [(_f(xs.x(r.date)), _f(ys.y(r.value))) for r in shown]
    out = []
    if len(points) > 1:
        line = " ".join(f"{x},{y}" for x, y in points)
        out.append(f'<polyline points="{line}" fill="none" stroke="{READINGS}" stroke-width="2"/>')
        out.append(f'<g fill="{READINGS}">')
        for (x, y), reading in zip(points[:-1], shown, strict=False):
            hollow = f' fill="{BACKGROUND}" stroke="{READINGS}" stroke-width="1.5"'
            out.append(f'<circle cx="{x}" cy="{y}" r="3"{hollow if reading.provisional else ""}/>')
        out.append("</g>")
    x, y = points[-1]
    out.append(_status_mark(float(x), float(y), status, hollow=shown[-1].provisional))
    return out


def _projection(projection: Projection, xs: _DateScale, ys: _ValueScale) -> str:
    """The dotted line from the latest reading to the target date, at the current pace."""
    x0, y0 = _f(xs.x(projection.start)), _f(ys.y(projection.start_value))
    x1, y1 = _f(xs.x(projection.end)), _f(ys.y(projection.end_value))
    return (
        f'<path class="projection" d="M{x0} {y0}L{x1} {y1}" fill="none" stroke="{READINGS}" '
        'stroke-width="2" stroke-dasharray="1 4" stroke-linecap="round"/>'
    )


def _status_mark(x: float, y: float, status: str, hollow: bool = False) -> str:
    """The latest reading drawn in its status's shape: circle good, triangle at risk, cross
    bad, square anything else; outlined, not filled, when the figure is provisional."""
    kind = SHAPE_OF.get(status, "other")
    colour = STATUS_COLOURS[kind]
    paint = (
        f'fill="{BACKGROUND}" stroke="{colour}" stroke-width="2"' if hollow else f'fill="{colour}"'
    )
    if kind == "good":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="6" {paint}/>'
    if kind == "warn":
        return f'<path d="M{_f(x)} {_f(y - 7)}l6.5 11.5h-13z" {paint}/>'
    if kind == "bad":
        return (
            f'<path d="M{_f(x - 5)} {_f(y - 5)}l10 10m0-10l-10 10" stroke="{colour}" '
            f'stroke-width="{2 if hollow else 3.5}"/>'
        )
    return f'<rect x="{_f(x - 5)}" y="{_f(y - 5)}" width="10" height="10" {paint}/>'


def status_mark(status: str) -> str:
    """A status's shape as a small inline SVG for tables (the word stands beside it, so the
    mark is hidden from screen readers): the same shape and colour as on the charts."""
    size = 14
    mark = _status_mark(size / 2, size / 2, status)
    return (
        f'<svg class="mark" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'aria-hidden="true" focusable="false">{mark}</svg>'
    )


def _legend(trend: Trend, word: str) -> list[str]:
    """The status (shape and word) at the top; the target (its mark and words) or the
    direction at the bottom."""
    out = [
        _status_mark(10, 14, trend.status),
        f'<text x="22" y="18" fill="{INK}" font-weight="bold">{_esc(word)}</text>',
    ]
    target, unit, x, y = trend.target, _short(trend.unit), 4, HEIGHT - 8
    if target is None:
        text = _direction_words(trend.direction).capitalize() + (f" ({unit})" if unit else "")
    else:
        due = f" by {target.due.isoformat()}" if target.due else ", no due date"
        text = f"Target {_target_value(target, unit)}{due}"
        if target.due is not None:
            top = y - 4 if target.low == target.high else y - 10
            out.append(_target_mark(x + 6, top, y - 4 if target.low == target.high else y + 2))
            x += 18
    out.append(f'<text x="{x}" y="{y}" fill="{INK}">{_esc(text)}</text>')
    if trend.projection is not None:  # the dotted line's key, top right
        right = WIDTH - 4
        out.append(
            f'<path d="M{right - 22} 14h22" fill="none" stroke="{READINGS}" stroke-width="2" '
            'stroke-dasharray="1 4" stroke-linecap="round"/>'
        )
        out.append(
            f'<text x="{right - 28}" y="18" text-anchor="end" fill="{INK}">At this pace</text>'
        )
    return out
