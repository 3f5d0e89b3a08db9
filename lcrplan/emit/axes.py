"""The axes the trend charts and the plans' timelines share: a date scale with ticks on the first
of a month, a value scale with round ticks and compact labels, and tick labels spaced so they
clear each other at any width."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Sequence

from ..core.formatting import exponent
from .drawing import (
    apart,
    label_box,
    within,
)
from .drawing import status_mark as status_mark

TOP, BOTTOM = 28, 224
"""The plot's top and bottom, in pixels: the unit is written above it, the dates below."""
PAD_RIGHT = 14
"""Pixels right of the plot, so a target's mark at the last day is drawn whole."""


FIRST_DAY, LAST_DAY = dt.date.min.toordinal(), dt.date.max.toordinal()
MIN_DAYS = 62  # any 62 days hold two first-of-months, so the axis has two labels at least


MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000, 60000)


MAX_TICKS = 6


class DateScale:
    """Days to x, with ticks on the first of a month: YYYY-MM, or YYYY every year or more."""

    def __init__(self, days: Sequence[int]) -> None:
        low, high = min(days), max(days)
        pad = max((MIN_DAYS - (high - low)) / 2, (high - low) * 0.03, 1)
        low, high = max(FIRST_DAY, math.floor(low - pad)), min(LAST_DAY, math.ceil(high + pad))
        if high - low < MIN_DAYS:  # squeezed against the first or last day Python has
            low, high = max(FIRST_DAY, high - MIN_DAYS), min(LAST_DAY, low + MIN_DAYS)
        self.low, self.high = low, high

    def x(self, day: dt.date) -> float:
        """The share of the plot's width at `day` (0 at the left, 1 at the right)."""
        return (day.toordinal() - self.low) / (self.high - self.low)

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


class ValueScale:
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
        self.ticks_at = nice_ticks(low, high)
        self.low = min(low, self.ticks_at[0])
        self.high = max(high, self.ticks_at[-1])
        self.half_span = self.high / 2 - self.low / 2

    def y(self, value: float) -> float:
        share = (value / 2 - self.low / 2) / self.half_span
        return BOTTOM - share * (BOTTOM - TOP)

    def ticks(self) -> list[tuple[float, str]]:
        return list(zip(self.ticks_at, compact_labels(self.ticks_at), strict=True))


def nice_ticks(low: float, high: float) -> list[float]:
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


def compact_labels(ticks: Sequence[float]) -> list[str]:
    """`250`, `5,000`, `15k`, `20m`, `3bn`; an exponent from 1e15 or below 0.001. Each label is
    given the digits that keep it apart from its neighbours."""
    top = max(abs(t) for t in ticks)
    if top >= 1e15 or 0 < top < 1e-3:
        for digits in range(2, 18):
            labels = [exponent(t, digits) for t in ticks]
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


def spaced_ticks(
    ticks: Sequence[tuple[dt.date, str]], x: Callable[[dt.date], float], y: float
) -> list[tuple[dt.date, str, str]]:
    """(day, label, text-anchor) of every tick whose label, centred on it (or, near an edge,
    ending or starting at it), stays within the chart and clears its neighbour's at every
    width; else every other one, and so on."""
    placed = []
    for day, label in ticks:
        for anchor in ("middle", "end", "start"):
            box = label_box(label, x(day), 0, y, anchor)
            if within(box, box.top, box.bottom, PAD_RIGHT):
                placed.append((day, label, anchor, box))
                break
    for step in range(1, len(placed) + 1):
        kept = placed[::step]
        if all(apart(a[3], b[3], 6) for a, b in zip(kept, kept[1:], strict=False)):
            return [(day, label, anchor) for day, label, anchor, _ in kept]
    return []
