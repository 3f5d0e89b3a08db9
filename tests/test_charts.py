"""Trend charts (lcrplan.charts): the SVG, its summary and its table, without a browser.

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

from lcrplan import charts
from lcrplan import models as m
from lcrplan.charts import Pace, Reading, Target, Trend, summary, table_rows, trend_chart
from lcrplan.evaluate import DAYS_PER_MONTH, judge_numeric
from lcrplan.statuses import LOOKS

LABELS = {status.value: look.label for status, look in LOOKS.items()}

AS_OF = dt.date(2026, 3, 31)
# 2025-04-30, 2025-05-31, ... 2026-03-31: the day before the first of each next month
MONTH_ENDS = [
    dt.date(2025 + (4 + i) // 12, (4 + i) % 12 + 1, 1) - dt.timedelta(1) for i in range(12)
]


def monthly(values, notes=None) -> tuple[Reading, ...]:
    notes = notes or [""] * len(values)
    return tuple(Reading(d, v, n) for d, v, n in zip(MONTH_ENDS, values, notes, strict=False))


def people(status="off_track", readings=None, target=None, **fields) -> Trend:
    """A numeric KPI: 1,000 people by 2026-12-31 from 0 on 2025-01-01, 12 monthly readings."""
    return Trend(
        kpi_id=fields.pop("kpi_id", "ci-inv-3-people"),
        title=fields.pop("title", "People engaged"),
        as_of=fields.pop("as_of", AS_OF),
        status=status,
        readings=monthly([20.0 * (i + 1) for i in range(12)]) if readings is None else readings,
        unit=fields.pop("unit", "people"),
        target=target or Target(1000, 1000, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 0),
        **fields,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in parse(svg).iter("text")]


# --- the SVG ------------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes():
    first = trend_chart(people(), Pace(10, 5))
    again = trend_chart(people(), Pace(10, 5))
    assert first == again
    assert first.encode() == again.encode()


def test_the_chart_is_an_accessible_image_that_scales():
    root = parse(trend_chart(people(), Pace(10, 5)))
    assert root.tag == "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert root.get("height") is None
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


def test_no_element_has_a_width_in_pixels_or_a_url():
    svg = trend_chart(people(), Pace(10, 5))
    assert "px" not in svg
    assert "http" not in svg and "href" not in svg
    widths = [e.get("width") for e in parse(svg).iter() if e.get("width")]
    assert widths[0] == "100%"
    assert all(float(w) <= charts.WIDTH for w in widths[1:])


def test_labels_are_text_not_paths():
    shown = texts(trend_chart(people(), Pace(10, 5)))
    assert "Off track" in shown
    assert "as of 2026-03-31" in shown
    assert "Target 1,000 people by 2026-12-31" in shown
    assert {"2025-01", "2025-07", "2026-01", "2026-07", "2027-01"} <= set(shown)
    assert {"0", "200", "400", "600", "800", "1,000"} <= set(shown)


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
    readings = (Reading(dt.date(2016, 6, 30), 1.0), Reading(dt.date(2026, 1, 31), 2.0))
    shown = texts(trend_chart(Trend("k", "K", AS_OF, "improving", readings)))
    assert {"2018", "2020", "2022", "2024", "2026"} <= set(shown)
    assert not [t for t in shown if re.fullmatch(r"\d{4}-\d{2}", t)]


def test_readings_after_as_of_are_left_out_everywhere():
    later = (Reading(dt.date(2026, 4, 30), 999.0, "future"),)
    trend = people(readings=monthly([10.0, 20.0]) + later)
    svg = trend_chart(trend)
    assert "999" not in svg and "future" not in svg
    assert summary(trend).startswith("2 readings; latest 20 people on 2025-05-31")
    assert [r.value for r in table_rows(trend)] == ["10 people", "20 people"]


def test_a_single_reading_is_drawn_as_one_point():
    root = parse(trend_chart(people(status="baseline_only", readings=monthly([40.0]))))
    assert root.find("polyline") is None
    squares = [e for e in root.iter("rect") if e.get("width") == "10"]
    assert len(squares) == 2  # the reading and its legend, both in the no-data shape


def test_no_readings_says_so_and_still_shows_the_target():
    shown = texts(trend_chart(people(status="not_reported", readings=())))
    assert "No readings yet" in shown
    assert "Target 1,000 people by 2026-12-31" in shown


def test_a_range_target_is_a_band_with_an_i_beam():
    target = Target(150, 200, dt.date(2026, 12, 31), dt.date(2025, 1, 1), 10)
    svg = trend_chart(people(status="at_risk", target=target))
    fills = [e.get("fill") for e in parse(svg).iter("path")]
    assert charts.BAND in fills
    assert "Target 150-200 people by 2026-12-31" in texts(svg)


def test_a_target_without_a_start_is_drawn_as_a_level():
    svg = trend_chart(people(target=Target(1000, 1000, dt.date(2026, 12, 31))))
    levels = [e.get("d") for e in parse(svg).iter("path") if e.get("stroke") == charts.TARGET]
    assert len(levels) == 1 and levels[0].endswith(f"H{charts.RIGHT}")


def test_an_indicator_has_readings_and_direction_only():
    trend = Trend(
        "gva", "GVA per head", AS_OF, "worsening", monthly([80, 79, 78]), "% of UK", "decrease"
    )
    shown = texts(trend_chart(trend))
    assert "Lower is better (% of UK)" in shown
    assert not [t for t in shown if t.startswith("Target")]
    assert charts.TARGET not in trend_chart(trend)


@pytest.mark.parametrize(
    "status, tag",
    [("on_track", "circle"), ("at_risk", "path"), ("off_track", "path"), ("not_reported", "rect")],
)
def test_status_is_a_shape_and_a_word_not_colour_alone(status, tag):
    svg = trend_chart(people(status=status))
    legend = list(parse(svg))[-4:]  # status mark, its word, target mark, target words
    assert legend[0].tag == tag
    assert "".join(legend[1].itertext()) == LABELS[status]


def test_each_status_kind_has_its_own_shape():
    marks = {s: charts._status_mark(0, 0, s).split(" fill=")[0] for s in LABELS}
    shapes = {charts.SHAPE_OF.get(s, "other"): re.sub(r"[\d.-]+", "N", d) for s, d in marks.items()}
    assert len(set(shapes.values())) == 4


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
    svgs.append(trend_chart(people(target=Target(150, 200, dt.date(2026, 12, 31)))))
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
    target = Target(150, 200, dt.date(2026, 12, 31), dt.date(2025, 1, 1))
    paths = list(parse(trend_chart(people(target=target))).iter("path"))
    band = [i for i, p in enumerate(paths) if p.get("fill") == charts.BAND]
    assert band and paths[band[0] + 1].get("stroke") == charts.TARGET


# --- escaping -----------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & ]]> \' "quoted"'


def test_every_text_from_the_data_is_escaped():
    trend = people(kpi_id='a"b<c>', title=HOSTILE, unit="<b>bold</b>&")
    svg = trend_chart(trend, Pace(1, 2))
    root = parse(svg)
    assert "<script" not in svg and "<b>" not in svg
    assert root.find("title").text == f"{HOSTILE}: trend"
    assert "Target 1,000 <b>bold</b>& by 2026-12-31" in texts(svg)
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
            people(status="at_risk", target=Target(5, 10, dt.date(2027, 3, 31)), unit="events"),
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
            people(status="not_reported", readings=(), target=Target(5, 10)),
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
    verdict = judge_numeric(kpi, kpi.measurements, as_of, due, start, m.Thresholds())
    needed, achieved = 120 / (due - start).days, 30 / (as_of - start).days
    pace = Pace(needed * DAYS_PER_MONTH, achieved * DAYS_PER_MONTH)
    trend = Trend("k", "K", as_of, verdict.status, (Reading(as_of, 30.0),), "people")
    assert verdict.reason.endswith(
        "; needs about 10 a month to reach 120 by 2026-12-31, managing 5 a month: off track"
    )
    assert summary(trend, pace).endswith("needs about 10 a month, managing 5 a month: off track")


def test_table_rows_are_the_readings_drawn_oldest_first():
    readings = (
        Reading(dt.date(2026, 2, 28), 1500.0, "Q4 <estimate>"),
        Reading(dt.date(2025, 12, 31), 0.5, ""),
        Reading(dt.date(2026, 4, 30), 9.0, "after as-of"),
    )
    rows = table_rows(people(readings=readings))
    assert rows == [
        charts.Row("2025-12-31", "0.5 people", ""),
        charts.Row("2026-02-28", "1,500 people", "Q4 <estimate>"),
    ]


# --- extreme numbers and dates ------------------------------------------------------------

EXTREMES = [1e308, -1e308, 1e-320, -1e-320, 0.0, 5e-324, 1.7976931348623157e308]
finite = st.one_of(st.sampled_from(EXTREMES), st.floats(allow_nan=False, allow_infinity=False))
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@st.composite
def trends(draw) -> Trend:
    readings = tuple(
        Reading(draw(dates), draw(finite), draw(st.text(max_size=5)))
        for _ in range(draw(st.integers(0, 6)))
    )
    target = None
    if draw(st.booleans()):
        low, high = sorted((draw(finite), draw(finite)))
        base = draw(st.none() | dates)
        target = Target(low, high, draw(st.none() | dates), base, draw(finite))
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
GEOMETRY = re.compile(r"[-\d., MLHVZmlhvz]*")  # numbers and path commands: no nan, no inf


def check_drawable(trend: Trend, pace: Pace | None) -> None:
    svg = trend_chart(trend, pace)
    assert svg == trend_chart(trend, pace)
    root = parse(svg)
    for element in root.iter():
        for key in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "d", "points"):
            value = element.get(key, "")
            assert GEOMETRY.fullmatch(value), (key, element.attrib)
            for number in NUMBER.findall(value):
                assert -1e4 < float(number) < 1e4, (key, element.attrib)
    line = summary(trend, pace)
    assert "\n" not in line
    assert len(table_rows(trend)) == len(charts.shown_readings(trend))


@given(trends(), st.none() | st.builds(Pace, finite, finite, st.booleans()))
@example(
    Trend("x", "x", dt.date(2026, 1, 1), "on_track", (Reading(dt.date(2026, 1, 1), 1e308),)),
    None,
)
@example(
    Trend(
        "x",
        "x",
        dt.date(2026, 1, 1),
        "off_track",
        (Reading(dt.date(2025, 1, 1), -1e308), Reading(dt.date(2025, 1, 1), 1e308)),
        target=Target(1e-320, 1e-320, dt.date(2025, 1, 1), dt.date(2025, 1, 1), -1e308),
    ),
    Pace(1e308, -1e308),
)
@example(
    Trend("x", "x", dt.date.max, "done", (Reading(dt.date.max, 1e-320),), target=Target(0, 0)),
    Pace(0.0, 5e-324),
)
@example(Trend("x", "x", dt.date.min, "not_reported"), None)
def test_extreme_numbers_and_dates_never_raise(trend, pace):
    check_drawable(trend, pace)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_when_the_trend_is_built(bad):
    with pytest.raises(ValueError, match="finite"):
        Reading(AS_OF, bad)
    with pytest.raises(ValueError, match="finite"):
        Target(0, bad)


def test_extreme_numbers_are_labelled_in_exponent_form():
    trend = Trend("x", "x", AS_OF, "flat", monthly([-1e308, 1e308]))
    shown = texts(trend_chart(trend))
    assert any(re.fullmatch(r"-?\d(\.\d+)?e30\d", t) for t in shown), shown
    assert summary(trend) == "2 readings; latest 1e308 on 2025-05-31; higher is better: flat"
    assert not math.isinf(charts._ValueScale([-1e308, 1e308]).half_span)
