"""Trend charts (lcrplan.emit.charts): the SVG, its summary and its table, without a browser.

tests/test_charts_browser.py loads the same charts in a real browser.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lcrplan.core import models as m
from lcrplan.core.settings import Thresholds
from lcrplan.core.statuses import LOOKS, SHAPES, shape
from lcrplan.emit import axes, charts, drawing
from lcrplan.emit.charts import (
    legend,
    series,
    summary,
    table_rows,
    trend_chart,
)
from lcrplan.evaluate.judges import DAYS_PER_MONTH, judge_numeric
from lcrplan.views.trends import Pace, Point, Projection, Trajectory, Trend, shown_readings

LABELS = {status.value: look.label for status, look in LOOKS.items()}

AS_OF = dt.date(2026, 3, 31)
# 2025-04-30, 2025-05-31, ... 2026-03-31: the day before the first of each next month
MONTH_ENDS = [
    dt.date(2025 + (4 + i) // 12, (4 + i) % 12 + 1, 1) - dt.timedelta(1) for i in range(12)
]


def monthly(values, notes=None) -> tuple[Point, ...]:
    notes = notes or [""] * len(values)
    return tuple(Point(d, v, n) for d, v, n in zip(MONTH_ENDS, values, notes, strict=False))


def people(status="off_track", readings=None, target=None, **fields) -> Trend:
    """A numeric KPI: 1,000 people by 2026-12-31 from 0 on 2025-01-01, 12 monthly readings."""
    return Trend(
        kpi_id=fields.pop("kpi_id", "ci-inv-3-people"),
        title=fields.pop("title", "People engaged"),
        as_of=fields.pop("as_of", AS_OF),
        status=status,
        readings=monthly([20.0 * (i + 1) for i in range(12)]) if readings is None else readings,
        unit=fields.pop("unit", "people"),
        target=target or Trajectory(1000, 1000, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 0),
        **fields,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter("text")]


def keys(trend: Trend) -> list[str]:
    """The legend's words, as the page shows them under the chart."""
    root = ET.fromstring(legend(trend))
    return ["".join(li.find("span").itertext()) for li in root.iter("li")]


# --- the SVG ------------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes():
    first = trend_chart(people(), Pace(10, 5))
    again = trend_chart(people(), Pace(10, 5))
    assert first == again
    assert first.encode() == again.encode()


def test_the_chart_is_an_accessible_image_that_fills_its_width_with_text_of_one_size():
    root = parse(trend_chart(people(), Pace(10, 5)))
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") == str(charts.HEIGHT)
    # no viewBox: the chart is not scaled, so its text is the same size on a phone
    assert root.get("viewBox") is None
    assert int(root.get("font-size")) >= 12
    assert all(int(t.get("font-size", 13)) >= 12 for t in root.iter("text"))
    title_id, desc_id = root.get("aria-labelledby", "").split()
    title, desc = root.find("title"), root.find("desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title_id == "chart-ci-inv-3-people-title"
    assert title.text == "People engaged: trend"
    assert desc.text == summary(people(), Pace(10, 5))


def test_the_chart_parses_inline_in_html5_without_error():
    """As the report and site will carry it: inline in an HTML5 page, no xmlns needed."""
    svg = trend_chart(people(title=HOSTILE), Pace(10, 5))
    page = f"<!doctype html><html lang=en><head><title>t</title></head><body>{svg}</body></html>"
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(page)
    assert parser.errors == []
    found = document.find(".//{http://www.w3.org/2000/svg}svg")
    assert found is not None
    title = found.find("{http://www.w3.org/2000/svg}title")
    assert title.text == f"{HOSTILE}: trend"


def test_every_position_across_the_plot_is_a_share_of_its_width_and_nothing_links():
    svg = trend_chart(people(), Pace(10, 5))
    assert "http" not in svg and "href" not in svg
    across: list[str] = []

    def walk(element: ET.Element) -> None:  # a nested svg's inside is placed by the svg
        for child in element:
            if child.tag != "text":
                across.extend(child.get(k) for k in ("x", "x1", "x2", "cx") if child.get(k))
            if child.tag not in ("svg", "text"):
                walk(child)

    walk(parse(svg))
    assert across and all(v.endswith("%") or v == "0" for v in across), across


def test_labels_are_text_not_paths_and_the_legend_names_every_series():
    shown = texts(trend_chart(people(), Pace(10, 5)))
    assert shown[0] == "people"  # the y axis is titled with the unit
    assert "as of 2026-03-31" in shown
    assert "240 people" in shown  # the latest value beside its point
    assert {"2025-01", "2026-01", "2027-01"} <= set(shown)
    assert {"0", "200", "400", "600", "800", "1,000"} <= set(shown)
    assert keys(people()) == [
        "Readings (people)",
        "Off track: the latest reading",
        "Target 1,000 people by 2026-12-31",
        "Path to the target from the baseline, 0 people on 2025-01-01",
        "As of 2026-03-31",
    ]


def test_the_path_from_an_assumed_baseline_says_so():
    target = Trajectory(
        1000, 1000, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 0, baseline="assumed"
    )
    assumed = (
        "Path to the target from an assumed baseline of 0 people on 2025-01-01 (the data gives "
        "none)"
    )
    assert assumed in keys(people(target=target))
    first = Trajectory(0, 0, dt.date(2026, 12, 31), dt.date(2025, 4, 30), 20, baseline="first")
    said = keys(people(target=first, direction="decrease"))
    assert (
        "Path to the target from the first reading, 20 people on 2025-04-30 (the data gives "
        "no baseline)"
    ) in said


def test_the_legend_lists_exactly_what_is_drawn():
    """Every series drawn has a legend entry, and every entry is drawn."""
    cases = [
        people(),
        people(status="not_reported", readings=()),
        people(target=Trajectory(150, 200, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 10)),
        people(target=Trajectory(1000, 1000, dt.date(2026, 12, 31))),
        people(target=Trajectory(5, 5)),
        Trend("g", "G", AS_OF, "improving", monthly([1.0, 2.0]), "%"),
        people(
            target=Trajectory(
                1000, 1000, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 0, ((AS_OF, 400.0),)
            )
        ),
        people(
            readings=monthly([20.0, 40.0]) + (Point(AS_OF, 60.0, provisional=True),),
            projection=Projection(
                AS_OF, 60.0, dt.date(2026, 12, 31), 300.0, "at this pace: March 2028"
            ),
        ),
    ]
    for trend in cases:
        root = parse(trend_chart(trend))
        listed = {s.key for s in series(trend)}
        lines = [e for e in root.iter("line") if e.get("stroke") == charts.READINGS]
        dashed = [e for e in root.iter("line") if e.get("stroke-dasharray") == "6 4"]
        rings = [e for e in root.iter("circle") if e.get("stroke") == charts.TARGET]
        assert ("readings" in listed) == bool(shown_readings(trend)), listed
        assert ("path" in listed or "level" in listed) == bool(dashed), listed
        assert ("target" in listed) == bool(
            rings or [e for e in root.iter("g") if e.get("stroke") == charts.TARGET]
        ), listed
        assert ("interim" in listed) == any(e.get("r") == "3.5" for e in rings), listed
        projected = [e for e in root.iter("line") if e.get("class") == "projection"]
        assert ("projection" in listed) == bool(projected), listed
        assert ("provisional" in listed) == any(r.provisional for r in trend.readings), listed
        assert not lines or "readings" in listed
        assert {"status", "as_of"} <= listed


@pytest.mark.parametrize(
    "values, expected",
    [
        ([12_000, 48_000], {"10k", "20k", "30k", "40k", "50k"}),
        ([2.5e6, 7.5e6], {"2m", "4m", "6m", "8m"}),
        ([0.25, 0.75], {"0.2", "0.4", "0.6", "0.8"}),
        ([3e9, 9e9], {"4bn", "6bn", "8bn"}),
    ],
)
def test_numbers_on_the_axis_are_compact(values, expected):
    trend = Trend("k", "K", AS_OF, "improving", monthly(values))
    assert expected <= set(texts(trend_chart(trend)))


def test_dates_on_the_axis_are_years_over_a_long_span():
    readings = (Point(dt.date(2016, 6, 30), 1.0), Point(dt.date(2026, 1, 31), 2.0))
    shown = texts(trend_chart(Trend("k", "K", AS_OF, "improving", readings)))
    assert {"2018", "2020", "2022", "2024", "2026"} <= set(shown)
    assert not [t for t in shown if re.fullmatch(r"\d{4}-\d{2}", t)]


def test_readings_after_as_of_are_left_out_everywhere():
    later = (Point(dt.date(2026, 4, 30), 999.0, "future"),)
    trend = people(readings=monthly([10.0, 20.0]) + later)
    svg = trend_chart(trend)
    assert "999" not in svg and "future" not in svg
    assert summary(trend).startswith("2 readings; latest 20 people on 2025-05-31")
    assert [r.value for r in table_rows(trend)] == ["10 people", "20 people"]


def test_a_single_reading_is_drawn_as_one_point_in_its_status_shape():
    root = parse(trend_chart(people(status="baseline_only", readings=monthly([40.0]))))
    assert not [e for e in root.iter("line") if e.get("stroke") == charts.READINGS]
    marks = [e for e in root.iter("path") if e.get("d") == SHAPES["baseline_only"].path]
    assert len(marks) == 1


def test_no_readings_says_so_and_still_shows_the_target():
    trend = people(status="not_reported", readings=())
    assert "No readings yet" in texts(trend_chart(trend))
    assert "Target 1,000 people by 2026-12-31" in keys(trend)
    assert "Not reported: no reading yet" in keys(trend)


def test_a_range_target_is_a_band_with_an_i_beam():
    target = Trajectory(150, 200, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 10)
    trend = people(status="at_risk", target=target)
    fills = [e.get("fill") for e in parse(trend_chart(trend)).iter("path")]
    assert charts.BAND in fills
    assert "Target range 150-200 people by 2026-12-31" in keys(trend)


def test_a_target_without_a_start_is_drawn_as_a_level():
    svg = trend_chart(people(target=Trajectory(1000, 1000, dt.date(2026, 12, 31))))
    levels = [e for e in parse(svg).iter("line") if e.get("stroke") == charts.TARGET]
    assert len(levels) == 1
    assert (levels[0].get("x1"), levels[0].get("x2")) == ("0", "100%")


def test_an_indicator_has_readings_and_direction_only():
    trend = Trend(
        "gva", "GVA per head", AS_OF, "worsening", monthly([80, 79, 78]), "% of UK", "decrease"
    )
    assert "Lower is better" in keys(trend)
    assert texts(trend_chart(trend))[0] == "% of UK"
    assert not [t for t in keys(trend) if t.startswith("Target")]
    assert charts.TARGET not in trend_chart(trend)


@pytest.mark.parametrize("status", ["on_track", "at_risk", "off_track", "not_reported", "done"])
def test_status_is_a_shape_and_a_word_not_colour_alone(status):
    trend = people(status=status)
    marks = [e for e in parse(trend_chart(trend)).iter("path") if e.get("d")]
    assert SHAPES[status].path in [e.get("d") for e in marks]  # the latest reading
    entry = next(s for s in series(trend) if s.key == "status")
    assert entry.text.startswith(LABELS[status] + ":")
    assert SHAPES[status].path in entry.swatch


def test_each_status_has_a_shape_of_its_own():
    assert set(SHAPES) == set(LOOKS)
    paths = [found.path for found in SHAPES.values()]
    assert len(set(paths)) == len(paths) == 16
    assert shape("no such status").path not in paths
    # the mark a table shows is the chart's
    for status in LABELS:
        assert SHAPES[status].path in drawing.status_mark(status)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colours_of(svg: str) -> tuple[set[str], set[str]]:
    """(colours text is drawn in, colours of every other mark), inheriting a group's fill."""
    text, marks = set(), set()

    def walk(element: ET.Element, fill: str | None) -> None:
        fill = element.get("fill", fill)
        if element.tag == "text":
            text.add(fill)
        for key in ("fill", "stroke"):
            value = element.get(key)
            if value and value.startswith("#") and element.tag != "text":
                marks.add(value)
        for child in element:
            walk(child, fill)

    walk(parse(svg), None)
    return text, marks


def test_every_colour_meets_wcag_aa_contrast():
    svgs = [trend_chart(people(status=s)) for s in LABELS]
    svgs.append(trend_chart(people(target=Trajectory(150, 200, dt.date(2026, 12, 31)))))
    for svg in svgs:
        text, marks = colours_of(svg)
        assert None not in text
        for colour in text:
            assert contrast(colour, charts.BACKGROUND) >= 4.5, colour
        for colour in marks - {charts.BACKGROUND, charts.GRID, charts.BAND}:
            assert contrast(colour, charts.BACKGROUND) >= 3, colour


def test_decoration_colours_carry_no_meaning():
    """GRID and BAND are below 3:1: the grid repeats the labelled ticks and a band always has
    dashed edges in the target colour, so neither is the only sign of anything."""
    assert contrast(charts.GRID, charts.BACKGROUND) < 3
    target = Trajectory(150, 200, dt.date(2026, 12, 31), dt.date(2025, 1, 1))
    drawn = [e for e in parse(trend_chart(people(target=target))).iter() if e.tag != "svg"]
    band = [i for i, e in enumerate(drawn) if e.get("fill") == charts.BAND]
    assert band and drawn[band[0] + 1].get("stroke") == charts.TARGET


# --- escaping -----------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & ]]> \' "quoted"'


def test_every_text_from_the_data_is_escaped():
    trend = people(kpi_id='a"b<c>', title=HOSTILE, unit="<b>bold</b>&")
    svg = trend_chart(trend, Pace(1, 2))
    root = parse(svg)
    assert "<script" not in svg and "<b>" not in svg
    assert root.find("title").text == f"{HOSTILE}: trend"
    assert texts(svg)[0] == "<b>bold</b>&"
    assert "Target 1,000 <b>bold</b>& by 2026-12-31" in keys(trend)
    assert "<b>" not in legend(trend)
    assert root.get("aria-labelledby") == "chart-a_22_b_3c_c_3e_-title chart-a_22_b_3c_c_3e_-desc"


def test_characters_xml_cannot_carry_are_replaced():
    svg = trend_chart(people(title="bell\x07 nul\x00"))
    assert parse(svg).find("title").text == "bell\ufffd nul\ufffd: trend"


@pytest.mark.parametrize("a, b", [("a b", "a_20_b"), ("a_b", "a-b"), ("x", "x_78_"), ("é", "e")])
def test_chart_ids_are_one_to_one(a, b):
    assert charts.chart_id(a) != charts.chart_id(b)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", charts.chart_id(a))


# --- summary and table --------------------------------------------------------------------


@pytest.mark.parametrize(
    "trend, pace, expected",
    [
        (
            people(readings=monthly([20.0 * (i + 1) for i in range(12)])),
            Pace(10, 5),
            "12 readings; latest 240 people on 2026-03-31; needs 10 a month, managing 5 a month: "
            "off track",
        ),
        (
            people(status="done", readings=monthly([400.0, 1200.0])),
            None,
            "2 readings; latest 1,200 people on 2025-05-31; "
            "target 1,000 people by 2026-12-31: done",
        ),
        (
            people(status="at_risk", target=Trajectory(5, 10, dt.date(2027, 3, 31)), unit="events"),
            Pace(0.5, 0.35),
            "12 readings; latest 240 events on 2026-03-31; needs 0.5 a month, managing 0.35 a "
            "month: at risk",
        ),
        (
            people(status="baseline_only", readings=monthly([7.5])),
            None,
            "1 reading; latest 7.5 people on 2025-04-30; "
            "target 1,000 people by 2026-12-31: baseline only",
        ),
        (
            people(status="not_reported", readings=(), target=Trajectory(5, 10)),
            None,
            "No readings; target 5-10 people (no due date): not reported",
        ),
        (
            people(status="on_track"),
            Pace(12.5, 250, cagr=True),
            "12 readings; latest 240 people on 2026-03-31; needs growth of about 13% a year, "
            "managing 250% a year: on track",
        ),
        (
            Trend("gva", "GVA", AS_OF, "improving", monthly([71, 71.4]), "% of UK"),
            None,
            "2 readings; latest 71.4 % of UK on 2025-05-31; higher is better: improving",
        ),
    ],
)
def test_summary_wording(trend, pace, expected):
    assert summary(trend, pace) == expected


def test_summary_numbers_match_the_reason_evaluate_gives():
    """README's worked example: 120 people by 2026-12-31 from 0 on 2026-01-01, 30 on 2026-07-01."""
    kpi = m.NumericKpi.model_validate(
        {
            "id": "k",
            "title": "K",
            "kind": "numeric",
            "target": 120,
            "unit": "people",
            "source": {"document": "doc"},
            "measurements": [{"date": "2026-07-01", "value": 30}],
        }
    )
    start, due, as_of = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 1)
    verdict = judge_numeric(kpi, kpi.measurements, as_of, due, start, Thresholds())
    needed, achieved = 120 / (due - start).days, 30 / (as_of - start).days
    pace = Pace(needed * DAYS_PER_MONTH, achieved * DAYS_PER_MONTH)
    trend = Trend("k", "K", as_of, verdict.status, (Point(as_of, 30.0),), "people")
    assert verdict.reason.endswith(
        "; needs about 10 a month to reach 120 by 2026-12-31, managing 5 a month: off track"
    )
    assert summary(trend, pace).endswith("needs about 10 a month, managing 5 a month: off track")


def test_table_rows_are_the_readings_drawn_oldest_first():
    readings = (
        Point(dt.date(2026, 2, 28), 1500.0, "Q4 <estimate>"),
        Point(dt.date(2025, 12, 31), 0.5, ""),
        Point(dt.date(2026, 4, 30), 9.0, "after as-of"),
    )
    rows = table_rows(people(readings=readings))
    assert rows == [
        charts.ChartRow("2025-12-31", "0.5 people", ""),
        charts.ChartRow("2026-02-28", "1,500 people", "Q4 <estimate>"),
    ]


# --- extreme numbers and dates ------------------------------------------------------------

EXTREMES = [1e308, -1e308, 1e-320, -1e-320, 0.0, 5e-324, 1.7976931348623157e308]
finite = st.one_of(st.sampled_from(EXTREMES), st.floats(allow_nan=False, allow_infinity=False))
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@st.composite
def trends(draw) -> Trend:
    readings = tuple(
        Point(draw(dates), draw(finite), draw(st.text(max_size=5)))
        for _ in range(draw(st.integers(0, 6)))
    )
    target = None
    if draw(st.booleans()):
        low, high = sorted((draw(finite), draw(finite)))
        base = draw(st.none() | dates)
        target = Trajectory(low, high, draw(st.none() | dates), base, draw(finite))
    return Trend(
        kpi_id=draw(st.text(max_size=8)),
        title=draw(st.text(max_size=20)),
        as_of=draw(dates),
        status=draw(st.sampled_from([*LABELS, "unknown"])),
        readings=readings,
        unit=draw(st.text(max_size=8)),
        direction=draw(st.sampled_from(["increase", "decrease"])),
        target=target,
    )


NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
GEOMETRY = re.compile(r"[-\d., MLHVZAmlhvza%]*")  # numbers, path commands, percentages


def check_drawable(trend: Trend, pace: Pace | None) -> None:
    svg = trend_chart(trend, pace)
    assert svg == trend_chart(trend, pace)
    root = parse(svg)
    for element in root.iter():
        for key in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "d", "points", "width"):
            value = element.get(key, "")
            assert GEOMETRY.fullmatch(value), (key, element.attrib)
            for number in NUMBER.findall(value):
                assert -1e4 < float(number) < 1e4, (key, element.attrib)
    line = summary(trend, pace)
    assert "\n" not in line
    assert len(table_rows(trend)) == len(shown_readings(trend))


@given(trends(), st.none() | st.builds(Pace, finite, finite, st.booleans()))
@example(
    Trend("x", "x", dt.date(2026, 1, 1), "on_track", (Point(dt.date(2026, 1, 1), 1e308),)),
    None,
)
@example(
    Trend(
        "x",
        "x",
        dt.date(2026, 1, 1),
        "off_track",
        (Point(dt.date(2025, 1, 1), -1e308), Point(dt.date(2025, 1, 1), 1e308)),
        target=Trajectory(1e-320, 1e-320, dt.date(2025, 1, 1), dt.date(2025, 1, 1), -1e308),
    ),
    Pace(1e308, -1e308),
)
@example(
    Trend("x", "x", dt.date.max, "done", (Point(dt.date.max, 1e-320),), target=Trajectory(0, 0)),
    Pace(0.0, 5e-324),
)
@example(Trend("x", "x", dt.date.min, "not_reported"), None)
def test_extreme_numbers_and_dates_never_raise(trend, pace):
    check_drawable(trend, pace)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_when_the_trend_is_built(bad):
    with pytest.raises(ValueError, match="finite"):
        Point(AS_OF, bad)
    with pytest.raises(ValueError, match="finite"):
        Trajectory(0, bad)


def test_extreme_numbers_are_labelled_in_exponent_form():
    trend = Trend("x", "x", AS_OF, "flat", monthly([-1e308, 1e308]))
    shown = texts(trend_chart(trend))
    assert any(re.fullmatch(r"-?\d(\.\d+)?e30\d", t) for t in shown), shown
    assert summary(trend) == "2 readings; latest 1e308 on 2025-05-31; higher is better: flat"
    assert not math.isinf(axes.ValueScale([-1e308, 1e308]).half_span)


# --- labels placed, then checked: clear of every point, mark and other label, at any width ----


def _share(value: str) -> float:
    return float(value.rstrip("%")) / 100


def drawn_boxes(svg: str) -> tuple[list[drawing.Box], list[drawing.Box]]:
    """(labels inside the plot, points and marks), read back from the SVG itself: each box at
    its share of the width plus pixels, as `drawing.Box`."""
    root = parse(svg)
    labels, things = [], []
    for e in root.iter():
        if e.tag == "text" and e.get("paint-order") and e.get("x", "").endswith("%"):
            text = "".join(e.itertext())
            at, dx, y = _share(e.get("x")), float(e.get("dx", 0)), float(e.get("y"))
            labels.append(drawing.label_box(text, at, dx, y, e.get("text-anchor", "start")))
        elif e.tag == "circle" and e.get("cx", "").endswith("%"):
            radius = float(e.get("r")) + 1
            things.append(drawing.around(_share(e.get("cx")), float(e.get("cy")), radius))
        elif e.tag == "svg" and e.get("overflow") == "visible" and e.get("x", "").endswith("%"):
            half = float(e.get("width")) / 2
            y = float(e.get("y")) + half
            things.append(drawing.around(_share(e.get("x")), y, half))
    return labels, things


def overlap(a: drawing.Box, b: drawing.Box, width: float) -> bool:
    (a0, a1), (b0, b1) = a.span(width), b.span(width)
    return a0 < b1 and b0 < a1 and a.top < b.bottom and b.top < a.bottom


near_dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 12, 31))
values = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def busy_trends(draw) -> Trend:
    """Trends as the data gives them: up to 40 readings over a few years, a target or not."""
    readings = tuple(Point(draw(near_dates), draw(values)) for _ in range(draw(st.integers(0, 40))))
    target = None
    if draw(st.booleans()):
        low, high = sorted((draw(values), draw(values)))
        target = Trajectory(low, high, draw(st.none() | near_dates), draw(st.none() | near_dates))
    return Trend(
        "k",
        "K",
        draw(near_dates),
        draw(st.sampled_from(sorted(LABELS))),
        readings,
        draw(st.sampled_from(["people", "", "% of UK", "a very long unit of measurement"])),
        target=target,
    )


def jobs_near_target(first: Point) -> Trend:
    """As of 2026-11-30: `first`, then 950 jobs on 2026-11-10, short of 1,000 due 2026-12-31."""
    return Trend(
        "jobs",
        "Jobs",
        dt.date(2026, 11, 30),
        "on_track",
        (first, Point(dt.date(2026, 11, 10), 950.0)),
        "jobs",
        target=Trajectory(1000, 1000, dt.date(2026, 12, 31), dt.date(2025, 1, 1)),
    )


@given(busy_trends(), st.floats(drawing.NARROWEST, drawing.WIDEST))
@example(people(as_of=dt.date(2026, 11, 30)), 300.0)
@example(jobs_near_target(Point(dt.date(2026, 10, 31), 900.0)), drawing.NARROWEST)
def test_labels_never_cover_a_point_a_mark_or_each_other_at_any_width(trend, width):
    """The issue's chart: "as of" drawn over the latest point and the target. Each label is
    placed, then checked, in the chart code; here the SVG is read back and checked again at
    the narrowest and widest plots and at one drawn between."""
    svg = trend_chart(trend)
    labels, things = drawn_boxes(svg)
    dates = [
        drawing.label_box(
            "".join(e.itertext()), _share(e.get("x")), 0, float(e.get("y")), e.get("text-anchor")
        )
        for e in parse(svg).iter("text")
        if e.get("y") == str(charts.BOTTOM + 18)
    ]
    for w in (drawing.NARROWEST, width, drawing.WIDEST):
        for n, date in enumerate(dates):  # the dates under the axis: whole, apart
            left, right = date.span(w)
            # (positions are written to 0.01%: 0.12 px at the widest)
            assert left >= -charts.PAD_RIGHT - 0.2 and right <= w + charts.PAD_RIGHT + 0.2, date
            assert not [d for d in dates[:n] if overlap(date, d, w)]
        for n, label in enumerate(labels):
            left, right = label.span(w)
            assert left >= -0.2 and right <= w + 0.2, (label, w)
            assert label.top >= charts.TOP and label.bottom <= charts.BOTTOM
            clash = [t for t in things + labels[:n] if overlap(label, t, w)]
            assert not clash, (label, clash, w)


def test_the_placing_refuses_a_place_over_a_point():
    point = drawing.around(0.5, 100, 5)
    over = [(0.5, 0.0, 104.0, "middle")]
    assert drawing.place("950 jobs", over, [point], 30, 220) is None
    found = drawing.place("950 jobs", [*over, (0.5, 10.0, 90.0, "start")], [point], 30, 220)
    assert found is not None and found.dx == 10.0
    assert drawing.apart(found.box, point)


def test_the_as_of_label_moves_off_the_latest_point_and_the_target():
    """The issue's case: as of 2026-11-30, the latest reading on 2026-11-10 and the target
    due 2026-12-31 all sit at the top right."""
    trend = jobs_near_target(Point(dt.date(2026, 6, 30), 800.0))
    labels, things = drawn_boxes(trend_chart(trend))
    assert "as of 2026-11-30" in texts(trend_chart(trend))
    assert len(labels) == 2 and len(things) >= 3
    for w in (drawing.NARROWEST, drawing.WIDEST):
        clashes = [(a, b) for a in labels for b in things + labels if overlap(a, b, w)]
        assert not [(a, b) for a, b in clashes if a is not b]
