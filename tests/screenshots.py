"""The README's pictures, taken in headless Chromium from the real data at a fixed date:
`python -m tests.screenshots docs/screenshots` (what `make screenshots` runs).

home.png: the dashboard's home page; kpi.png: a KPI page with the path to its target;
report.png: the top of the HTML report; kpi-trend.png: a KPI with readings, from the test
fixture (its progress is synthetic: the real data holds no second reading of any KPI yet). The
date is fixed so that the pictures change only when the data or the pages do.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from lcrplan.cli import run

from .browser import find_chromium, launch

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-30"
KPI = "kpi-ci-inv-3-people.html"  # a numeric KPI: its baseline and the path to its target
FIXTURE = REPO / "tests" / "fixtures" / "report"
SHOTS = {
    "home.png": "site/index.html",
    "kpi.png": f"site/{KPI}",
    "report.png": "report.html",
    "kpi-trend.png": "fixture-site/kpi-a-jobs-created.html",
}
WIDTH, HEIGHT = 1280, 900


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
        report = ["report", "--data", str(data), "--as-of", AS_OF, "--format", "html"]
        fixture = shutil.copytree(FIXTURE, tmp / "fixture")
        made = [
            run(site),
            run([*report, "--output", str(tmp / "report.html")]),
            run(["site", str(tmp / "fixture-site"), "--data", str(fixture), "--as-of", AS_OF]),
        ]
        if any(made):
            return 1
        with launch(chromium, tmp / "profile") as browser:
            for shot, page in SHOTS.items():
                visit = browser.open(tmp / page, width=WIDTH, height=HEIGHT)
                visit.page.screenshot(path=str(out / shot))
                print(out / shot)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
