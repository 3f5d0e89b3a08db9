"""`python -m tests.bench_charts`: the same trend chart drawn by each candidate, measured.

Issue 16 asks for the chart technology to be chosen by measurement. Each candidate draws one
chart (12 monthly readings, the target trajectory from the baseline to the due date, the target
marked, the as-of date marked) 500 times; the table gives bytes per chart, seconds for 500,
whether the same input gives the same bytes (twice in one process and again in a second
process, with the library's defaults and with its documented options for it), and what a
real browser finds in the SVG: `<title>`, `<desc>`, `role="img"`, `aria-labelledby`, text
drawn as `<text>` (not paths), the lowest text contrast on white, and requests it makes.

The libraries (matplotlib, pygal, Vega-Lite through vl-convert-python) are installed into a
throwaway virtualenv under the temporary folder, never into the project's locks; lcrplan's own
`charts.trend_chart` runs in the project's virtualenv. Each draws in a process of its own:
`python tests/bench_charts.py --worker NAME OUT` (so this file imports only the standard
library at the top). Results and the decision: BENCHMARKS.md, "Charts".
Usage: python -m tests.bench_charts [--count 500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

COUNT = 500
VENV = Path(tempfile.gettempdir()) / "lcrplan-bench-charts-venv"
LIBRARIES = {  # candidate -> the exact release measured (BENCHMARKS.md names them)
    "matplotlib": "matplotlib==3.11.2",
    "pygal": "pygal==3.1.3",
    "vega-lite": "vl-convert-python==1.9.0.post1",
}
DISTRIBUTIONS = {"matplotlib": "matplotlib", "pygal": "pygal", "vega-lite": "vl-convert-python"}
CANDIDATES = ("lcrplan.charts", *LIBRARIES)

TITLE = "People engaged by a cornerstone event"
DATES = [dt.date(2025 + (4 + i) // 12, (4 + i) % 12 + 1, 1) - dt.timedelta(1) for i in range(12)]
VALUES = [20.0 * (i + 1) for i in range(12)]
BASE_DATE, BASE_VALUE = dt.date(2025, 1, 1), 0.0
DUE, TARGET = dt.date(2026, 12, 31), 1000.0
AS_OF = dt.date(2026, 3, 31)
WIDTH_IN, HEIGHT_IN = 4.2, 2.8  # the same 420 x 280 as lcrplan's viewBox


# --- the candidates (each imported only in its own worker process) -------------------------


def lcrplan_chart(configured: bool) -> Callable[[], str]:
    from lcrplan.emit.charts import trend_chart
    from lcrplan.views.trends import Pace, Point, Trajectory, Trend

    trend = Trend(
        "ci-inv-3-people",
        TITLE,
        AS_OF,
        "off_track",
        tuple(Point(d, v) for d, v in zip(DATES, VALUES, strict=True)),
        "people",
        target=Trajectory(TARGET, TARGET, DUE, BASE_DATE, BASE_VALUE),
    )
    return lambda: trend_chart(trend, Pace(10.0, 5.0))


def matplotlib_chart(configured: bool) -> Callable[[], str]:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    if configured:  # the documented settings for reproducible SVG, and text kept as text
        matplotlib.rcParams.update({"svg.hashsalt": "lcrplan", "svg.fonttype": "none"})

    def draw() -> str:
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
        ax = fig.add_subplot()
        ax.plot(DATES, VALUES, marker="o", color="#1d4f91", label="readings")
        ax.plot([BASE_DATE, DUE], [BASE_VALUE, TARGET], "--", color="#7a4300", label="trajectory")
        ax.plot([DUE], [TARGET], marker="o", mfc="white", color="#7a4300", label="target")
        ax.axvline(AS_OF, linestyle=":", color="#595959", label="as of")
        ax.set_title(TITLE)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None} if configured else None)
        return out.getvalue()

    return draw


def pygal_chart(configured: bool) -> Callable[[], str]:
    import pygal

    options = {"js": [], "disable_xml_declaration": True} if configured else {}

    def draw() -> str:
        chart = pygal.DateLine(
            title=TITLE,
            width=420,
            height=280,
            x_value_formatter=lambda d: d.strftime("%Y-%m"),
            **options,
        )
        if configured:
            chart.uuid = "ci-inv-3-people"  # undocumented: pygal takes a uuid4 per chart
        chart.add("Readings", list(zip(DATES, VALUES, strict=True)))
        chart.add("Trajectory", [(BASE_DATE, BASE_VALUE), (DUE, TARGET)])
        chart.add("Target", [(DUE, TARGET)], stroke=False)
        chart.add("As of", [(AS_OF, 0.0), (AS_OF, TARGET)])
        return str(chart.render(is_unicode=True))

    return draw


def vega_lite_chart(configured: bool) -> Callable[[], str]:
    import vl_convert

    def layer(rows: list[dict[str, object]], mark: dict[str, object]) -> dict[str, object]:
        return {
            "data": {"values": rows},
            "mark": mark,
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": None},
                "y": {"field": "value", "type": "quantitative", "title": "people"},
            },
        }

    spec = {
        "title": TITLE,
        "description": "12 readings; latest 240 people on 2026-03-31: off track",
        "width": 340,
        "height": 200,
        "layer": [
            layer(
                [{"date": d.isoformat(), "value": v} for d, v in zip(DATES, VALUES, strict=True)],
                {"type": "line", "point": True, "color": "#1d4f91"},
            ),
            layer(
                [
                    {"date": BASE_DATE.isoformat(), "value": BASE_VALUE},
                    {"date": DUE.isoformat(), "value": TARGET},
                ],
                {"type": "line", "strokeDash": [6, 4], "color": "#7a4300"},
            ),
            layer(
                [{"date": DUE.isoformat(), "value": TARGET}],
                {"type": "point", "filled": False, "size": 90, "color": "#7a4300"},
            ),
            {
                "data": {"values": [{"date": AS_OF.isoformat()}]},
                "mark": {"type": "rule", "strokeDash": [2, 3], "color": "#595959"},
                "encoding": {"x": {"field": "date", "type": "temporal"}},
            },
        ],
    }
    return lambda: vl_convert.vegalite_to_svg(spec)


MAKERS = {
    "lcrplan.charts": lcrplan_chart,
    "matplotlib": matplotlib_chart,
    "pygal": pygal_chart,
    "vega-lite": vega_lite_chart,
}


def worker(name: str, out: Path, count: int) -> None:
    """Draw in this process: samples (defaults and configured, twice each) and timings."""
    started = time.perf_counter()
    default = MAKERS[name](False)
    samples = {"default-1": default()}
    startup = time.perf_counter() - started  # the import and the first chart
    samples["default-2"] = default()
    draw = MAKERS[name](True)
    samples["configured-1"] = draw()
    samples["configured-2"] = draw()
    started = time.perf_counter()
    for _ in range(count):
        draw()
    seconds = time.perf_counter() - started
    for key, svg in samples.items():
        (out / f"{key}.svg").write_text(svg, encoding="utf-8")
    size = installed_bytes(DISTRIBUTIONS[name]) if name in DISTRIBUTIONS else 0
    print(json.dumps({"startup": startup, "seconds": seconds, "installed": size}))


def installed_bytes(name: str) -> int:
    """Bytes on disk of a distribution and everything it requires (extras left out)."""
    from importlib import metadata

    seen: set[str] = set()
    total = 0
    todo = [name]
    while todo:
        key = todo.pop().lower().replace("_", "-")
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(key)
        except metadata.PackageNotFoundError:  # a marker kept it out (another platform)
            continue
        total += sum(f.size or 0 for f in dist.files or ())
        for req in dist.requires or ():
            if "extra ==" not in req:
                todo.append(re.split(r"[^A-Za-z0-9._-]", req.strip(), maxsplit=1)[0])
    return total


# --- the bench ------------------------------------------------------------------------------


def library_python() -> Path:
    """The throwaway virtualenv's Python, with the libraries measured installed."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + list(LIBRARIES.values()),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"could not install {', '.join(LIBRARIES.values())}:\n{done.stderr}")
    return python


def run_worker(python: str, name: str, out: Path, count: int) -> dict[str, float]:
    out.mkdir(parents=True, exist_ok=True)
    argv = [python, str(Path(__file__).resolve()), "--worker", name, str(out), str(count)]
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    done = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def clock_in(svg: bytes) -> bool:
    """Whether today's date is written in the output (pygal stamps it in a comment)."""
    today = dt.date.today()
    return any(s.encode() in svg for s in (today.isoformat(), today.strftime("%d/%m/%Y")))


AUDIT = """svg => {
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const channel = c => {
        c /= 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const contrast = el => {
        const style = getComputedStyle(el);
        const m = style.fill.match(/[\\d.]+/g);
        if (!m) return 21;
        let alpha = (m.length > 3 ? +m[3] : 1) * +style.fillOpacity;
        for (let e = el; e && e !== svg.parentNode; e = e.parentNode)
            alpha *= +getComputedStyle(e).opacity;
        const rgb = m.slice(0, 3).map(c => +c * alpha + 255 * (1 - alpha));  // over white
        return 1.05 / (lum(rgb) + 0.05);
    };
    return {
        title: !!svg.querySelector(':scope > title'),
        desc: !!svg.querySelector(':scope > desc'),
        role: svg.getAttribute('role') || '',
        labelledby: !!svg.getAttribute('aria-labelledby'),
        texts: texts.length,
        contrast: texts.length ? Math.min(...texts.map(contrast)) : null,
        width: svg.getAttribute('width') || '',
    };
}"""


def audit(svg_file: Path, browser: object) -> dict[str, object]:
    """What Chromium finds in the SVG, placed inline in an HTML page beside it."""
    svg = svg_file.read_text(encoding="utf-8")
    svg = svg[svg.index("<svg") :]  # an inline SVG has no XML declaration or doctype
    page = svg_file.with_suffix(".html")
    page.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{svg_file.stem}'
        f"</title></head><body><main>{svg}</main></body></html>",
        encoding="utf-8",
    )
    visit = browser.open(page, width=420)  # type: ignore[attr-defined]
    found = visit.page.locator("main > svg").evaluate(AUDIT)
    found["outside"] = len(visit.outside_requests())
    visit.page.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--keep", type=Path, help="keep the sample SVGs in this folder")
    args = parser.parse_args()
    from tests.helpers.browser import find_chromium, launch

    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found for the accessibility audit (set LCRPLAN_CHROMIUM)")
    python = str(library_python())
    root = args.keep or Path(tempfile.mkdtemp(prefix="lcrplan-bench-charts-"))
    rows = []
    with launch(chromium, Path(tempfile.mkdtemp(prefix="lcrplan-bench-profile-"))) as browser:
        for name in CANDIDATES:
            exe = sys.executable if name == "lcrplan.charts" else python
            runs = [run_worker(exe, name, root / name / f"run{i}", args.count) for i in (1, 2)]
            first, second = (root / name / f"run{i}" for i in (1, 2))

            def same(kind: str, first: Path = first, second: Path = second) -> bool:
                """Same bytes twice in each of two processes, and no trace of the clock."""
                texts = {
                    (folder / f"{kind}-{n}.svg").read_bytes()
                    for folder in (first, second)
                    for n in (1, 2)
                }
                return len(texts) == 1 and not clock_in(texts.pop())

            found = audit(first / "configured-1.svg", browser)
            defaults = audit(first / "default-1.svg", browser)
            found["outside"], found["default texts"] = defaults["outside"], defaults["texts"]
            rows.append(
                {
                    "candidate": name,
                    "same bytes, defaults": same("default"),
                    "same bytes, configured": same("configured"),
                    "bytes": len((first / "configured-1.svg").read_bytes()),
                    "seconds": min(r["seconds"] for r in runs),
                    "startup": min(r["startup"] for r in runs),
                    "installed": runs[0]["installed"],
                    **found,
                }
            )
    print_table(rows, args.count)


def print_table(rows: list[dict[str, object]], count: int) -> None:
    yes = {True: "yes", False: "no"}
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {count} charts per candidate, "
        "faster of two processes."
    )
    print()
    print(
        f"| candidate | installed MB | same bytes (defaults / configured) | bytes per chart "
        f"| s for {count} "
        "| start-up s | `<title>` | `<desc>` | `role` | `aria-labelledby` "
        "| `<text>` (defaults / configured) | lowest text contrast | `width` "
        "| requests (defaults) |"
    )
    print("|---|---:|---|---:|---:|---:|---|---|---|---|---:|---:|---|---:|")
    for r in rows:
        contrast = "" if r["contrast"] is None else f"{r['contrast']:.1f}:1"
        print(
            f"| {r['candidate']} | {r['installed'] / 1e6:.0f} | {yes[r['same bytes, defaults']]} / "
            f"{yes[r['same bytes, configured']]} | {r['bytes']:,} | {r['seconds']:.2f} "
            f"| {r['startup']:.2f} | {yes[r['title']]} | {yes[r['desc']]} "
            f"| {r['role'] or '-'} | {yes[r['labelledby']]} | {r['default texts']} / "
            f"{r['texts']} | {contrast} "
            f"| {r['width'] or '-'} | {r['outside']} |"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
