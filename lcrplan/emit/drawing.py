"""What every SVG lcrplan draws shares: colours, status marks, text widths, and the placing of
labels so that they hold at any width.

The charts (`charts`, `timeline`) are fluid: they fill the width they are given, from a phone to
a desktop, while their text keeps its size. So a position across a chart is a share of the
plot's width (drawn as a percentage) plus an offset in pixels, and a label's box moves with the
width. `Box` is such a box, and `apart` says whether two stay clear of each other at every width
from `NARROWEST` to `WIDEST`: the gap between two boxes changes linearly with the width, so it is
enough to check both ends. Labels are placed, then checked, by `place`: a label that cannot be
placed clear of every point and every other label is left out (the legend says the same).

Pure: no clock, no files; the same input gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.statuses import shape

# Colours on the white background, each with a contrast of at least 4.5:1 (WCAG 2.1 AA for
# text; marks need 3:1). tests/test_charts.py computes every ratio.
BACKGROUND = "#ffffff"
INK = "#1f1f1f"
MUTED = "#595959"
GRID = "#d9d9d9"  # decoration only: every value is also in a table or a label
READINGS = "#1d4f91"
TARGET = "#7a4300"
BAND = "#f3e6d3"  # a range's fill, decoration only; its edges carry the meaning
TONES = {"bad": "#b3261e", "warn": "#8a4a00", "good": "#1a6b28", "neutral": MUTED}
"""A status's colour by its shape's tone: extra to the shape and the word, never instead."""
FONT = 'font-family="system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif"'
FONT_SIZE = 13
"""Chart text in CSS pixels: the same on a phone as on a desktop (charts do not scale)."""
HALO = f'stroke="{BACKGROUND}" stroke-width="3" paint-order="stroke"'  # text over lines

NARROWEST, WIDEST = 230.0, 1200.0
"""The plot widths, in CSS pixels, a label's place is checked at: a 320 px phone's chart to a
wide desktop's."""


def f1(value: float) -> str:
    """A coordinate in pixels, to a tenth."""
    return f"{value:.1f}"


def pct(share: float) -> str:
    """A share of the width as an SVG percentage: `37.25%`."""
    return f"{share * 100:.2f}%"


def esc(text: str) -> str:
    """Text safe inside an XML element or a double-quoted attribute; characters XML 1.0
    cannot carry at all, even escaped, become U+FFFD (the models refuse them already)."""
    text = "".join("\ufffd" if _not_xml(c) else c for c in text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _not_xml(c: str) -> bool:
    code = ord(c)
    return (
        (code < 0x20 and c not in "\t\n\r") or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)
    )


# --- status marks --------------------------------------------------------------------------


def status_path(status: str, colour: str | None = None, hollow: bool = False) -> str:
    """The status's shape (`statuses.SHAPES`) as an SVG path centred on 0,0, 14 units across,
    in its tone's colour unless `colour` is given; `hollow` (a provisional figure): outlined
    on white, or drawn thinner for a shape that is a line."""
    found = shape(status)
    paint = colour or TONES[found.tone]
    if found.stroke:
        width = found.stroke * 0.6 if hollow else found.stroke
        style = (
            f'fill="none" stroke="{paint}" stroke-width="{width:g}" '
            'stroke-linecap="round" stroke-linejoin="round"'
        )
    elif hollow:
        style = f'fill="{BACKGROUND}" stroke="{paint}" stroke-width="1.75"'
    else:
        style = f'fill="{paint}"'
    return f'<path d="{found.path}" {style}/>'


def status_mark(status: str) -> str:
    """A status's shape as a small inline SVG for text and tables (the word stands beside it,
    so the mark is hidden from screen readers): the same shape as on the charts."""
    return (
        '<svg class="mark" viewBox="-7 -7 14 14" width="14" height="14" aria-hidden="true" '
        f'focusable="false">{status_path(status)}</svg>'
    )


def mark_at(x: str, y: float, status: str, size: float = 14, hollow: bool = False) -> str:
    """A status's shape centred at `x` (a percentage) and `y` (pixels) inside a chart
    (`hollow`: a provisional figure)."""
    half = size / 2
    return (
        f'<svg x="{x}" y="{f1(y - half)}" width="{size:g}" height="{size:g}" overflow="visible">'
        f'<svg x="-{half:g}" width="{size:g}" height="{size:g}" viewBox="-7 -7 14 14">'
        f"{status_path(status, hollow=hollow)}</svg></svg>"
    )


# --- text ----------------------------------------------------------------------------------

_NARROW = set("iljtfrI.,:;'!|() ")
_WIDE = set("mwMW%@—")
_DIGITS = set("0123456789")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of `text`'s width in pixels at `size` in a sans-serif font: wider
    than common system fonts draw it (a browser test compares), so labels placed by it never
    touch."""
    units = sum(
        0.4 if c in _NARROW else 0.96 if c in _WIDE else 0.68 if c in _DIGITS else 0.66
        for c in text
    )
    return units * size


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """`text` in lines no wider than `width` pixels (by `text_width`), broken at spaces; a word
    wider than a line is cut with an ellipsis, so a label never runs out of its chart."""
    lines: list[str] = []
    for word in text.split():
        while text_width(word, size) > width and len(word) > 1:
            word = word[:-2] + "…"
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


# --- boxes that hold at any width ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    """A box on a fluid chart: across, at `at` (a share of the plot's width) from `left` to
    `right` pixels; down, from `top` to `bottom` pixels."""

    at: float
    left: float
    right: float
    top: float
    bottom: float

    def span(self, width: float) -> tuple[float, float]:
        """Its left and right edges, in pixels, on a plot `width` pixels wide."""
        x = self.at * width
        return x + self.left, x + self.right


def around(at: float, y: float, radius: float) -> Box:
    """The box of a point or mark of `radius` pixels at (`at`, `y`)."""
    return Box(at, -radius, radius, y - radius, y + radius)


def apart(a: Box, b: Box, gap: float = 2.0) -> bool:
    """Whether `a` and `b` stay at least `gap` pixels apart at every plot width from NARROWEST
    to WIDEST (above or below each other, or side by side on the same side at both ends)."""
    if a.bottom + gap <= b.top or b.bottom + gap <= a.top:
        return True
    ends = [(a.span(w), b.span(w)) for w in (NARROWEST, WIDEST)]
    return all(sb[0] - sa[1] >= gap for sa, sb in ends) or all(
        sa[0] - sb[1] >= gap for sa, sb in ends
    )


def within(box: Box, top: float, bottom: float, spill: float = 0.0) -> bool:
    """Whether `box` stays inside the plot, from `top` to `bottom` pixels and across its whole
    width (give or take `spill` pixels at the sides), at every width."""
    if box.top < top or box.bottom > bottom:
        return False
    return all(
        lo >= -spill and hi <= width + spill
        for width in (NARROWEST, WIDEST)
        for lo, hi in [box.span(width)]
    )


@dataclass(frozen=True, slots=True)
class Label:
    """A text placed on a chart: its anchor (`at`, a share of the width; `dx` and `y`, pixels),
    its alignment and its box."""

    text: str
    at: float
    dx: float
    y: float
    anchor: str
    """`start`, `middle` or `end`, as SVG's text-anchor."""
    box: Box


def label_box(text: str, at: float, dx: float, y: float, anchor: str) -> Box:
    """The box a text takes with its baseline at `y`."""
    width = text_width(text)
    left = {"start": dx, "middle": dx - width / 2, "end": dx - width}[anchor]
    return Box(at, left, left + width, y - FONT_SIZE * 0.8, y + FONT_SIZE * 0.25)


Candidate = tuple[float, float, float, str]
"""(at, dx, y, anchor): one place a label may go."""


def place(
    text: str,
    candidates: Iterable[Candidate],
    taken: Sequence[Box],
    top: float,
    bottom: float,
) -> Label | None:
    """The first of `candidates` where `text` stays inside the plot and clear of every box in
    `taken`, at every width; None when there is none (the caller leaves the label out)."""
    for at, dx, y, anchor in candidates:
        box = label_box(text, at, dx, y, anchor)
        if within(box, top, bottom) and all(apart(box, other) for other in taken):
            return Label(text, at, dx, y, anchor, box)
    return None


def near(at: float, y: float, gap: float) -> list[Candidate]:
    """The places around a point for its label: right, left, above and below, `gap` pixels off."""
    return [
        (at, gap, y - gap, "start"),
        (at, gap, y + gap + FONT_SIZE * 0.8, "start"),
        (at, -gap, y - gap, "end"),
        (at, -gap, y + gap + FONT_SIZE * 0.8, "end"),
        (at, 0.0, y - gap - 4, "middle"),
        (at, 0.0, y + gap + FONT_SIZE, "middle"),
        (at, gap, y + FONT_SIZE * 0.3, "start"),
        (at, -gap, y + FONT_SIZE * 0.3, "end"),
    ]


def text_at(label: Label, colour: str = INK, extra: str = "") -> str:
    """A placed label as SVG text, with a white halo over lines."""
    dx = f' dx="{label.dx:g}"' if label.dx else ""
    anchor = f' text-anchor="{label.anchor}"' if label.anchor != "start" else ""
    return (
        f'<text x="{pct(label.at)}"{dx} y="{f1(label.y)}"{anchor} fill="{colour}" {HALO}{extra}>'
        f"{esc(label.text)}</text>"
    )


# --- sparklines ------------------------------------------------------------------------------


def sparkline(values: Sequence[float], count: int = 12) -> str:
    """The last `count` values as a small line (64 by 18 pixels) ending in a dot; "" below two
    values. Hidden from screen readers: a word always says the direction beside it."""
    points = [float(v) for v in values][-count:]
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    span = high / 2 - low / 2
    width, height, pad = 64.0, 18.0, 3.0

    def y(value: float) -> float:
        if not span > 0:
            return height / 2
        return height - pad - (value / 2 - low / 2) / span * (height - 2 * pad)

    step = (width - 2 * pad) / (len(points) - 1)
    xy = [(pad + n * step, y(v)) for n, v in enumerate(points)]
    line = " ".join(f"{f1(x)},{f1(yy)}" for x, yy in xy)
    x, last = xy[-1]
    return (
        f'<svg class="spark" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" aria-hidden="true" focusable="false">'
        f'<polyline points="{line}" fill="none" stroke="{READINGS}" stroke-width="1.5" '
        f'stroke-linejoin="round"/><circle cx="{f1(x)}" cy="{f1(last)}" r="2.5" '
        f'fill="{READINGS}"/></svg>'
    )
