"""`make bench` (part): time `lcrplan import` of 1,000 rows across 50 data files.

Synthetic data (tests/synth.py: 50 theme files, one goal of 3 KPIs each) and a synthetic
return: 20 rows per file, new readings on new days for each measured KPI, plus an owner's
update on every goal. Timed as whole processes: `--dry-run` and a real import (each on a fresh
copy, warm cache), and the same return imported again (a no-op). Usage:
python -m tests.bench_import [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from .bench import run_once
from .synth import generate

FILES = 50
ROWS = 1_000


def make_return(root: Path, path: Path) -> int:
    """Write a return of ROWS rows over the data set's FILES theme files; its row count."""
    rows = []
    files = sorted(root.rglob("theme-*.yaml"))
    assert len(files) == FILES, len(files)
    per_file = ROWS // FILES
    for file in files:
        theme = yaml.safe_load(file.read_text())
        goal = theme["goals"][0]
        rows.append([goal["id"], "", "", "amber", "On course", "syn-chair-0"])
        measured = [k["id"] for k in goal["kpis"] if k["kind"] != "milestone"]
        day = dt.date(2026, 1, 1)
        while len(rows) % per_file and measured:
            for kpi in measured:
                if len(rows) % per_file == 0:
                    break
                rows.append([kpi, f"{len(rows) % 97}.5", day.isoformat(), "", "", ""])
            day += dt.timedelta(days=1)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "value", "date", "rag", "summary", "by"])
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lcrplan = str(Path(sys.executable).with_name("lcrplan"))
    env = {"PATH": str(Path(sys.executable).parent), "LCRPLAN_FAST_EXIT": "1"}
    work = Path(tempfile.mkdtemp(prefix="lcrplan-bench-import-"))
    pristine = generate(work / "pristine" / "data", FILES * 3)
    form = work / "return.csv"
    rows = make_return(pristine, form)
    times: dict[str, list[float]] = {"dry run": [], "import": [], "import again": []}
    for n in range(args.repeat):
        data = work / f"run-{n}" / "data"
        shutil.copytree(pristine, data)
        run_once([lcrplan, "status", "--data", str(data)], env)  # a warm cache, as in use
        base = [lcrplan, "import", str(form), "--data", str(data)]
        for name, argv in (
            ("dry run", [*base, "--dry-run"]),
            ("import", base),
            ("import again", base),
        ):
            elapsed, _, code = run_once(argv, env)
            assert code == 0, f"{name} exited {code}"
            times[name].append(elapsed)
    print(f"lcrplan import: {rows:,} rows across {FILES} files (median of {args.repeat})")
    for name, found in times.items():
        print(f"  {name:<14} {statistics.median(found):6.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
