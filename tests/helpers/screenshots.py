"""The README's pictures, taken in headless Chromium from the real data at a fixed date:
`python -m tests.helpers.screenshots docs/screenshots` (what `make screenshots` runs).

home.png and home-phone.png: the dashboard's home page at 1280 and 390 pixels wide; plan.png:
the LIS plan's status and timeline; attention-phone.png: what needs attention on a phone;
kpi.png: a KPI page with the path to its target; report.png: the top of the HTML report;
report-page1.png: page 1 of the report printed to A4 (poppler's pdftoppm draws the PDF page;
without it that picture is skipped, with a message); kpi-trend.png: a KPI with readings, from
the test fixture (its progress is synthetic: the real data holds no second reading of any KPI
yet). The date is fixed so that the pictures change only when the data or the pages do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lcrplan.cli import run

from .browser import find_chromium, launch

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-30"
KPI = "kpi-ci-inv-3-people.html"  # a numeric KPI: its baseline and the path to its target
FIXTURE = REPO / "tests" / "fixtures" / "report"
DESKTOP, PHONE = (1280, 900), (390, 844)
SHOTS = {
    "home.png": ("site/index.html", DESKTOP, ""),
    "home-phone.png": ("site/index.html", PHONE, ""),
    "plan.png": ("site/plan-lis-2020.html", DESKTOP, "#timeline"),
    "attention-phone.png": ("site/attention.html", PHONE, ""),
    "kpi.png": (f"site/{KPI}", DESKTOP, ""),
    "report.png": ("report.html", DESKTOP, ""),
    "kpi-trend.png": ("fixture-site/kpi-a-jobs-created.html", DESKTOP, "figure"),
    "kpi-trend-phone.png": ("fixture-site/kpi-a-jobs-created.html", PHONE, "figure"),
}
"""Each picture: the page, the window (width, height), and what it shows: the window from the
top, from an element on (an id), or one element (`figure`: a chart with its legend)."""
PRINTED = "report-page1.png"


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: install Debian's chromium or set LCRPLAN_CHROMIUM")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        data = shutil.copytree(REPO / "data", tmp / "data")
        site = ["site", str(tmp / "site"), "--data", str(data), "--as-of", AS_OF, "--no-history"]
        report = ["report", "--data", str(data), "--month", AS_OF[:7], "--format", "html"]
        report += ["--no-history"]
        fixture = shutil.copytree(FIXTURE, tmp / "fixture")
        made = [
            run(site),
            run([*report, "--output", str(tmp / "report.html")]),
            run(["site", str(tmp / "fixture-site"), "--data", str(fixture), "--as-of", AS_OF]),
        ]
        if any(made):
            return 1
        with launch(chromium, tmp / "profile") as browser:
            for shot, (page, (width, height), part) in SHOTS.items():
                visit = browser.open(tmp / page, width=width, height=height)
                if part.startswith("#"):
                    visit.page.evaluate(
                        "(id) => document.getElementById(id).scrollIntoView()", part[1:]
                    )
                    visit.page.screenshot(path=str(out / shot))
                elif part:
                    visit.page.locator(part).first.screenshot(path=str(out / shot))
                else:
                    visit.page.screenshot(path=str(out / shot))
                print(out / shot)
            visit = browser.open(tmp / "report.html", width=DESKTOP[0])
            visit.pdf_pages(tmp / "report.pdf")
        _first_page(tmp / "report.pdf", out / PRINTED)
    return 0


def _first_page(pdf: Path, png: Path) -> None:
    """Page 1 of the printed report as a picture, by poppler's pdftoppm (skipped without it)."""
    found = shutil.which("pdftoppm")
    if found is None:
        print(f"skipped {png}: pdftoppm not found (install poppler-utils)")
        return
    stem = png.with_suffix("")
    subprocess.run(
        [found, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(png)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
