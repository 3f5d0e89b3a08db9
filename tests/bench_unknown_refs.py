"""Time `lcrplan validate` on goals whose `parent` names no goal, each a typo of a real id.

Every unknown reference gets a did-you-mean hint; before issue 12 each hint compared the typo
with every id (quadratic). Usage: python -m tests.bench_unknown_refs [GOALS] (default 4,000).
Not part of `make bench`: the figures are in BENCHMARKS.md.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_data(root: Path, goals: int) -> int:
    """A data set of one theme holding `goals` goals with unknown parents; its size in bytes."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "lcrplan.yaml").write_text("due_soon_days: 30\n")
    (root / "sources.yaml").write_text(
        "sources:\n  - {id: doc, title: A document}\nboards:\n  - {id: board, name: The Board}\n"
    )
    (root / "plan.yaml").write_text(
        "plan:\n  id: plan\n  title: The Plan\n  board: board\n  start: 2025-01-01\n"
        "  source: {document: doc}\n"
    )
    for first in range(0, goals, PER_FILE):  # files stay under the 5 MB limit
        body = "".join(
            f"  - id: culture-goal-{i:05d}\n    title: Goal {i} of the plan\n"
            f"    parent: culture-gaol-{(i * 7919) % goals:05d}\n    source: {{document: doc}}\n"
            for i in range(first, min(first + PER_FILE, goals))
        )
        (root / f"theme-{first // PER_FILE}.yaml").write_text(
            f"theme:\n  id: theme-{first // PER_FILE}\n  plan: plan\n  title: A theme\n"
            "  owner: board\n  source: {document: doc}\ngoals:\n" + body
        )
    return sum(p.stat().st_size for p in root.iterdir())


PER_FILE = 10_000


def main() -> None:
    goals = int(sys.argv[1]) if len(sys.argv) > 1 else 4_000
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        size = write_data(data, goals)
        argv = [sys.executable, "-m", "lcrplan", "validate", "--data", str(data), "--no-cache"]
        start = time.perf_counter()
        done = subprocess.run([*argv, "--quiet"], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    errors = done.stdout.count(": error: unknown goal")
    print(f"{goals:,} goals, {size:,} bytes: {errors:,} unknown parents in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
