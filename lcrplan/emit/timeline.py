"""A plan's timeline as an inline SVG Gantt chart: a bar per dated goal or KPI (or per theme,
in a large plan), grouped by theme, each labelled with its status's shape and word, linked to
its page or its row, against the as-of date.

Fluid like the trend charts (`charts`): its width is its container's, positions across it are
shares of that width, and its text keeps its size. Each bar's label sits on its own line(s)
above the bar, wrapped to fit a phone, so a timeline of long titles reads at 390 pixels as on a
desktop; the dates are part of the label and never wrap. The SVG is a group of links, not an
image: each bar is a link a keyboard reaches, named by its label.

Pure: the same Gantt, date and links give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Protocol

from ..core.statuses import label as status_word
from ..core.statuses import shape
from .axes import DateScale, spaced_ticks
from .drawing import (
    FONT,
    FONT_SIZE,
    GRID,
    HALO,
    INK,
    MUTED,
    TONES,
    Candidate,
    Label,
    apart,
    esc,
    f1,
    label_box,
    mark_at,
    pct,
    place,
    text_at,
    wrap,
)

LINE = 17  # pixels from one line of a label to the next
BAR = 12  # a bar's height
GAP = 12  # between one bar and the next label
AXIS = 24  # the dates along the top
INDENT = 20  # a label's text starts right of its status mark
PAD = 8  # pixels each side of the chart, so the as-of label and the end marks fit
LABELS = 308  # the width of the labels' column on a wide screen, and where the bars begin
PHONE_LABEL = 280  # a label's line on a phone, as `text_width` reckons it (wider than drawn)


class BarLike(Protocol):
    """What a timeline draws of a bar (`gantt.Bar`)."""

    @property
    def label(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


class GanttLike(Protocol):
    """What a timeline draws of a plan's Gantt (`gantt.Gantt`)."""

    @property
    def sections(self) -> Sequence[tuple[str, Sequence[BarLike]]]: ...
    @property
    def start(self) -> dt.date: ...
    @property
    def end(self) -> dt.date: ...


def gantt_charts(
    gantt: GanttLike, as_of: dt.date, hrefs: Sequence[str], title: str
) -> list[tuple[str, str]]:
    """The timeline of `gantt` as of `as_of`: for each section (theme), all on one scale, an
    SVG for wide screens and print (labels left of their bars) and one for phones (each label
    above its bar); the bars (in order, across sections) link to `hrefs` ("" for none), each
    SVG is named `title` and its section. One pair per section, so that print can break a page
    between them (an SVG is never split across pages)."""
    days = [gantt.start.toordinal(), gantt.end.toordinal(), as_of.toordinal()]
    xs = DateScale(days)
    links = iter(hrefs)
    found = []
    for section, bars in gantt.sections:
        targets = [next(links, "") for _ in bars]
        name = f"{title}: {section}"
        found.append(
            (
                _section(xs, as_of, bars, targets, name, wide=True),
                _section(xs, as_of, bars, targets, name, wide=False),
            )
        )
    return found


def _section(
    xs: DateScale,
    as_of: dt.date,
    bars: Sequence[BarLike],
    hrefs: Sequence[str],
    title: str,
    wide: bool,
) -> str:
    """One section's bars: `wide`, two SVGs side by side, the labels in a column of their own
    and the bars in the rest of the width (one SVG cannot mix a column in pixels with a width
    in percentages, and a label drawn outside its SVG cannot be clicked); else one SVG, each
    label on its own lines above its bar, wrapped to a phone's width."""
    width = (LABELS - INDENT - 10) if wide else PHONE_LABEL
    labels: list[str] = []
    drawn: list[str] = []
    y = float(AXIS + 4)
    for bar, href in zip(bars, hrefs, strict=True):
        lines = wrap(f"{status_word(bar.status)}: {bar.label} ({_when(bar)})", width)
        words = [mark_at("7", y + LINE - 4.5, bar.status)]
        words.append(f'<text x="{INDENT}" y="{f1(y + LINE - 2)}" fill="{INK}" {HALO}>')
        words.extend(
            f'<tspan x="{INDENT}" dy="{0 if n == 0 else LINE}">{esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        words.append("</text>")
        if wide:
            block = max(LINE * len(lines) + 4, BAR + 8)
            shape = _bar(xs, bar, y + block / 2 - BAR / 2)
            labels.append(_linked(href, _target(y, block) + "".join(words)))
            drawn.append(_linked(href, _target(y, block) + shape, hidden=True))
            y += block + 6
        else:
            block = LINE * len(lines) + 4 + BAR + 4
            body = _target(y, block) + "".join(words)
            y += LINE * len(lines) + 4
            drawn.append(_linked(href, body + _bar(xs, bar, y)))
            y += BAR + GAP
    height = math.ceil(y)
    line, label = _as_of(xs, as_of, height)
    ticks = [
        (day, text, anchor)
        for day, text, anchor in spaced_ticks(xs.ticks(), xs.x, AXIS - 8)
        if label is None or apart(label.box, label_box(text, xs.x(day), 0, AXIS - 8, anchor), 6)
    ]
    top = [f'<g fill="{MUTED}">']
    for day, text, anchor in ticks:
        x = pct(xs.x(day))
        top.append(f'<text x="{x}" y="{AXIS - 8}" text-anchor="{anchor}">{text}</text>')
        top.append(f'<line x1="{x}" x2="{x}" y1="{AXIS - 3}" y2="{height}" stroke="{GRID}"/>')
    top.append("</g>")
    if label is not None:
        top.append(text_at(label, INK, ' font-weight="bold"'))
    top.append(line)
    style = f'style="padding:0 {PAD}px;overflow:visible;box-sizing:border-box"'
    text = f'{FONT} font-size="{FONT_SIZE}"'
    if not wide:
        return "\n".join(
            [
                f'<svg width="100%" height="{height}" role="group" aria-label="{esc(title)}" '
                f'class="timeline narrow" {text} {style}>',
                *top,
                *drawn,
                "</svg>",
            ]
        )
    return "\n".join(
        [
            '<div class="timeline wide">',
            f'<svg width="{LABELS}" height="{height}" role="group" aria-label="{esc(title)}" '
            f'class="labels" {text}>',
            *labels,
            "</svg>",
            f'<svg width="100%" height="{height}" aria-hidden="true" class="bars" {text} {style}>',
            *top,
            *drawn,
            "</svg>",
            "</div>",
        ]
    )


def _target(y: float, height: float) -> str:
    """A clear box under a row's label and bar, so that a click or a tap anywhere on the row,
    not only on a letter or the bar, follows its link."""
    return f'<rect y="{f1(y)}" width="100%" height="{f1(height)}" fill="transparent"/>'


def _linked(href: str, body: str, hidden: bool = False) -> str:
    """`body` as a link to `href` (if any); `hidden`: a second link to the same place (a bar
    beside its label), kept out of the keyboard's way."""
    if not href:
        return body
    extra = ' tabindex="-1"' if hidden else ""
    return f'<a href="{esc(href)}"{extra}>{body}</a>'


def _when(bar: BarLike) -> str:
    if bar.start == bar.end:
        return bar.end.isoformat()
    return f"{bar.start.isoformat()} to {bar.end.isoformat()}"


def _bar(xs: DateScale, bar: BarLike, y: float) -> str:
    """The bar from start to end in its status's colour; a one-day bar is a diamond."""
    colour = TONES[shape(bar.status).tone]
    left, right = xs.x(bar.start), xs.x(bar.end)
    if bar.start == bar.end:
        return (
            f'<svg x="{pct(left)}" y="{f1(y + BAR / 2 - 2)}" width="4" height="4" '
            f'overflow="visible"><path d="M0-5L7 2L0 9L-7 2Z" fill="{colour}"/></svg>'
        )
    return (
        f'<rect x="{pct(left)}" y="{f1(y)}" width="{pct(max(right - left, 0.002))}" '
        f'height="{BAR}" fill="{colour}" rx="2"/>'
    )


def _as_of(xs: DateScale, as_of: dt.date, height: int) -> tuple[str, Label | None]:
    """The as-of date: a dotted line down the chart, and its date in the row of dates at the
    top (the dates it would cover are left out; the caption under the timeline says what the
    line is)."""
    at = xs.x(as_of)
    x = pct(at)
    y = float(AXIS - 8)
    candidates: list[Candidate] = [(at, -4.0, y, "end"), (at, 4.0, y, "start")]
    line = (
        f'<line x1="{x}" x2="{x}" y1="{AXIS - 3}" y2="{height}" stroke="{INK}" '
        'stroke-width="1.5" stroke-dasharray="3 3"/>'
    )
    return line, place(as_of.isoformat(), candidates, [], 0.0, float(AXIS))
