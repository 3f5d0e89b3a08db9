"""`make bench`: time whole `lcrplan` processes on synthetic data sets, cold and warm.

First the four figures of the performance targets (`FIGURES`), measured together, the commands
taking turns round by round; then the real data/ (a copy in a temporary folder), 40 copies of
it with renamed ids (real text and file shapes at scale), and each synthetic size. Each
command runs once to warm up, then REPEAT times; the tables show medians, the ratio to the
floor (`lcrplan --help` in the same run) and to the baseline (a plain script parsing the same files
with PyYAML's CSafeLoader), and peak RSS. Any timed command that exits non-zero fails the run.
Usage: python -m tests.bench [--sizes 100,1000] [--big] [--figures-only]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synth import count_kpis, generate, multiply_real

REPEAT = 5
BASELINE = """
import sys, pathlib, yaml
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):
    yaml.load(p.read_text(), Loader=yaml.CSafeLoader)
"""


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KB, exit code) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def measure(argv: list[str], env: dict[str, str], before=None, repeat: int = REPEAT):
    """Median seconds and max RSS over `repeat` runs after one warm-up; `before` runs first."""
    times, rss, code = [], 0, 0
    for i in range(repeat + 1):
        if before:
            before()
        elapsed, peak, code = run_once(argv, env)
        if i:
            times.append(elapsed)
            rss = max(rss, peak)
    return statistics.median(times), rss, code


def bench_size(kpis: int, lcrplan: str, env: dict[str, str], repeat: int) -> list[tuple]:
    """Rows of (size, command, median s, ratio to floor, ratio to baseline, RSS MB, exit)."""
    root = Path(tempfile.mkdtemp(prefix=f"lcrplan-bench-{kpis}-")) / "data"
    generate(root, kpis)
    cache = root / ".lcrplan-cache"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    floor = measure([lcrplan, "--help"], env, repeat=repeat)
    empty = Path(tempfile.mkdtemp(prefix="lcrplan-bench-empty-")) / "data"
    generate(empty, 1)
    command_floor = measure([lcrplan, "status", "--data", str(empty)], env, repeat=repeat)
    shutil.rmtree(empty.parent, ignore_errors=True)
    baseline = measure([sys.executable, "-c", BASELINE, str(root)], env, repeat=repeat)
    data = ["--data", str(root), "--as-of", "2026-01-15"]
    site = root.parent / "site"

    def drop_site() -> None:
        shutil.rmtree(site, ignore_errors=True)

    cases = [
        ("status cold", [lcrplan, "status", *data], drop_cache),
        ("status warm", [lcrplan, "status", *data], None),
        ("status --all warm", [lcrplan, "status", "--all", *data], None),
        ("validate warm", [lcrplan, "validate", "-q", "--data", str(root)], None),
        ("report warm", [lcrplan, "report", *data], None),
        ("site into an empty folder", [lcrplan, "site", str(site), *data], drop_site),
        ("site warm (again, nothing changed)", [lcrplan, "site", str(site), *data], None),
        (
            "record",
            [
                lcrplan,
                "record",
                "syn-g0-k0",
                "7",
                "--date",
                "2026-01-10",
                "--replace",
                "--data",
                str(root),
            ],
            None,
        ),
    ]
    rows = [
        (kpis, "floor (lcrplan --help)", *floor),
        (kpis, "command floor (status, 1 goal)", *command_floor),
        (kpis, "baseline (CSafeLoader)", *baseline),
    ]
    for name, argv, before in cases:
        rows.append((kpis, name, *measure(argv, env, before, repeat)))
    SITES.append(site_facts(kpis, lcrplan, env, data, site))
    shutil.rmtree(root.parent, ignore_errors=True)
    return [
        (size, name, t, t / floor[0], t / baseline[0], rss / 1024, code)
        for size, name, t, rss, code in rows
    ]


SITES: list[tuple] = []


def site_facts(kpis: int, lcrplan: str, env: dict[str, str], data: list[str], site: Path) -> tuple:
    """(KPIs, pages, mean and largest bytes per page, pages a new reading rewrites): the site
    as the last run left it, then one reading recorded and the site made again."""
    make = [lcrplan, "site", str(site), *data]
    subprocess.run(make, env=env, check=True, capture_output=True)  # after the record case
    sizes = [p.stat().st_size for p in site.iterdir() if not p.name.startswith(".")]
    record = [lcrplan, "record", "syn-g0-k0", "9", "--date", "2026-01-14", *data[:2]]
    subprocess.run(record, env=env, check=True, capture_output=True)
    again = subprocess.run(make, env=env, check=True, capture_output=True, text=True)
    written = int(again.stdout.split(" pages, ")[1].split(" written")[0].replace(",", ""))
    return (kpis, len(sizes), sum(sizes) / len(sizes), max(sizes), written)


def site_table(rows: list[tuple]) -> str:
    """The sites made in the run: their size, and what one new reading rewrites."""
    out = [
        "| KPIs | pages | mean bytes a page | largest page | pages rewritten after one reading |",
        "|---:|---:|---:|---:|---:|",
    ]
    out += [f"| {k:,} | {n:,} | {mean:,.0f} | {top:,} | {w:,} |" for k, n, mean, top, w in rows]
    return "\n".join(out) + "\n"


def bench_real(lcrplan: str, env: dict[str, str], repeat: int, copies: int = 1) -> list[tuple]:
    """The same measures on the real data/ (a copy in a temporary folder), or on `copies` copies
    of it with renamed ids: real text, comments and file shapes at scale."""
    source = Path(__file__).resolve().parent.parent / "data"
    root = Path(tempfile.mkdtemp(prefix="lcrplan-bench-real-")) / "data"
    if copies == 1:
        shutil.copytree(source, root)
    else:
        multiply_real(source, root, copies)
    cache = root / ".lcrplan-cache"
    shutil.rmtree(cache, ignore_errors=True)
    label = "real" if copies == 1 else f"real x{copies}"
    data = ["--data", str(root), "--as-of", "2026-11-21"]

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    floor = measure([lcrplan, "--help"], env, repeat=repeat)
    baseline = measure([sys.executable, "-c", BASELINE, str(root)], env, repeat=repeat)
    cases = [
        ("status cold", [lcrplan, "status", *data], drop_cache),
        ("status warm", [lcrplan, "status", *data], None),
        ("status --format json warm", [lcrplan, "status", "-f", "json", *data], None),
        ("validate warm", [lcrplan, "validate", "-q", *data[:2]], None),
        ("report warm", [lcrplan, "report", "--month", "2026-11", *data[:2]], None),
    ]
    rows = [
        (label, "floor (lcrplan --help)", *floor),
        (label, "baseline (CSafeLoader)", *baseline),
    ]
    for name, argv, before in cases:
        rows.append((label, name, *measure(argv, env, before, repeat)))
    shutil.rmtree(root.parent, ignore_errors=True)
    return [
        (size, name, t, t / floor[0], t / baseline[0], rss / 1024, code)
        for size, name, t, rss, code in rows
    ]


FIGURE_ROUNDS = 9
"""Rounds of the four figures: more than the other measures, for medians that hold on a busy
machine."""
FIGURES = (
    ("command floor: status on the `lcrplan init` scaffold / floor", 1.6),
    ("status on the real data / command floor", 1.1),
    ("x40 status cold: (time - floor) / baseline", 1.0),
    ("x40 status warm: (time - floor) / baseline", 0.25),
)
"""The targets (issue 26), each a ratio of medians taken in one run, and its goal (at most).
floor: `lcrplan --help`; command floor: `status` on the one-goal scaffold `lcrplan init`
writes, its cache warm; baseline: the plain CSafeLoader script over the same files (its
process, start-up included)."""


def figures(lcrplan: str, env: dict[str, str], repeat: int, copies: int = 40) -> list[tuple]:
    """The four figures of `FIGURES` with the medians they come from, and peak RSS per KPI at
    x`copies` above the command floor. The commands take turns, one round after another, so
    that a busy spell of a shared machine falls on all of them alike."""
    source = Path(__file__).resolve().parent.parent / "data"
    top = Path(tempfile.mkdtemp(prefix="lcrplan-bench-figures-"))
    scaffold = top / "scaffold"
    subprocess.run([lcrplan, "init", str(scaffold)], env=env, check=True, capture_output=True)
    real = top / "real" / "data"
    shutil.copytree(source, real, ignore=shutil.ignore_patterns(".lcrplan-cache"))
    many = multiply_real(source, top / "many" / "data", copies)
    kpis = count_kpis(many)
    as_of = ["--as-of", "2026-11-21"]
    cases = {
        "floor": ([lcrplan, "--help"], None),
        "command floor": ([lcrplan, "status", "--data", str(scaffold / "data"), *as_of], None),
        "real status warm": ([lcrplan, "status", "--data", str(real), *as_of], None),
        "baseline": ([sys.executable, "-c", BASELINE, str(many)], None),
        "x40 status cold": (
            [lcrplan, "status", "--data", str(many), *as_of],
            lambda: shutil.rmtree(many / ".lcrplan-cache", ignore_errors=True),
        ),
        "x40 status warm": ([lcrplan, "status", "--data", str(many), *as_of], None),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    rss: dict[str, int] = dict.fromkeys(cases, 0)
    failed = []
    for round_ in range(repeat + 1):
        for name, (argv, before) in cases.items():
            if before:
                before()
            elapsed, peak, code = run_once(argv, env)
            if code != 0:
                failed.append((name, code))
            if round_:  # the first round warms up
                times[name].append(elapsed)
                rss[name] = max(rss[name], peak)
    shutil.rmtree(top, ignore_errors=True)
    if failed:
        sys.exit(f"bench: commands exited non-zero, their times mean nothing: {failed}")
    t = {name: statistics.median(values) for name, values in times.items()}
    floor, command_floor, base = t["floor"], t["command floor"], t["baseline"]
    values = (
        command_floor / floor,
        t["real status warm"] / command_floor,
        (t["x40 status cold"] - floor) / base,
        (t["x40 status warm"] - floor) / base,
    )
    per_kpi = {
        name: (rss[name] - rss["command floor"]) / kpis
        for name in ("x40 status cold", "x40 status warm")
    }
    return [("medians", t, rss, kpis), ("figures", values), ("per KPI", per_kpi)]


def figures_table(found: list[tuple]) -> str:
    """The figures as Markdown: each ratio against its goal, the medians, memory per KPI."""
    (_, t, rss, kpis), (_, values), (_, per_kpi) = found
    out = ["| figure | value | goal | met |", "|---|---:|---:|---|"]
    for (name, goal), value in zip(FIGURES, values, strict=True):
        out.append(f"| {name} | {value:.2f}x | <= {goal}x | {'yes' if value <= goal else 'no'} |")
    out += ["", "| command | median s | peak RSS MB |", "|---|---:|---:|"]
    out += [f"| {name} | {t[name]:.3f} | {rss[name] / 1024:.0f} |" for name in t]
    out.append("")
    out += [
        f"Peak RSS above the command floor at x40 ({kpis:,} KPIs), {name}: "
        f"{kb:.1f} KB per KPI (goal: under 8)"
        for name, kb in per_kpi.items()
    ]
    return "\n".join(out) + "\n"


def table(rows: list[tuple]) -> str:
    """The results as a Markdown table."""
    out = [
        "| KPIs | command | median s | x floor | x baseline | peak RSS MB | exit |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, name, t, floor, base, rss, code in rows:
        label = f"{size:,}" if isinstance(size, int) else size
        out.append(
            f"| {label} | {name} | {t:.3f} | {floor:.1f} | {base:.2f} | {rss:.0f} | {code} |"
        )
    return "\n".join(out) + "\n"


def machine() -> str:
    """One line naming the machine and the interpreter."""
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--big", action="store_true", help="also 50,000 KPIs")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--real-copies", type=int, default=40, help="copies of data/ (0: none)")
    parser.add_argument(
        "--figures-only", action="store_true", help="only the four figures of the targets"
    )
    parser.add_argument(
        "--rounds", type=int, default=FIGURE_ROUNDS, help="rounds of the four figures"
    )
    args = parser.parse_args()
    lcrplan = str(Path(sys.executable).parent / "lcrplan")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    sizes = [int(s) for s in args.sizes.split(",")] + ([50_000] if args.big else [])
    print(f"Machine: {machine()}\n")
    found = figures(lcrplan, env, args.rounds, max(args.real_copies, 2))
    print(figures_table(found), flush=True)
    if args.figures_only:
        return
    rows = bench_real(lcrplan, env, args.repeat)
    if args.real_copies > 1:
        rows += bench_real(lcrplan, env, args.repeat, args.real_copies)
        print(table(rows), flush=True)
    for size in sizes:
        rows += bench_size(size, lcrplan, env, args.repeat)
        print(table(rows), flush=True)
    print(site_table(SITES), flush=True)
    print(history_cost(lcrplan, env, args.repeat), flush=True)
    failed = [(size, name, code) for size, name, *_, code in rows if code != 0]
    if failed:  # a time for a command that stopped at an error is not a time for its work
        sys.exit(
            f"bench: {len(failed)} command(s) exited non-zero, their times mean nothing: {failed}"
        )


def history_cost(lcrplan: str, env: dict[str, str], repeat: int) -> str:
    """`site` on the real data where it is, in git: with each KPI's history, and without."""
    source = Path(__file__).resolve().parent.parent / "data"
    out = Path(tempfile.mkdtemp(prefix="lcrplan-bench-site-")) / "site"
    base = [lcrplan, "site", str(out), "--data", str(source), "--as-of", "2026-11-21"]
    with_history = measure(base, env, repeat=repeat)[0]
    without = measure([*base, "--no-history"], env, repeat=repeat)[0]
    shutil.rmtree(out.parent, ignore_errors=True)
    return (
        f"site on the real data in git: {with_history:.3f} s with each KPI's target history "
        f"from git log, {without:.3f} s with --no-history\n"
    )


if __name__ == "__main__":
    main()
