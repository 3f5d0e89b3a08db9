"""Check release artefacts in DIST the way a user meets them: the files are inside, and the wheel,
installed alone in a new virtualenv with the locked dependencies, runs init, validate and report.

Usage: python .ci/check-dist.py dist   (run by `make dist` and the release workflow)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INSIDE = [
    "lcrplan/py.typed",
    "lcrplan/core/codes.json",
    "lcrplan/templates/monthly.md.j2",
    "lcrplan/templates/_macros.md.j2",
    "lcrplan/scaffold/.pre-commit-config.yaml",
    "lcrplan/scaffold/.github/lcrplan-requirements.txt",
    "lcrplan/scaffold/.github/workflows/validate.yml",
    "lcrplan/scaffold/.github/workflows/monthly-report.yml",
    "lcrplan/scaffold/data/example/skills.yaml",
]


def main(dist: Path) -> int:
    (wheel,) = dist.glob("lcrplan-*.whl")
    (sdist,) = dist.glob("lcrplan-*.tar.gz")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    with tarfile.open(sdist) as tar:
        in_sdist = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    missing = [f"{wheel.name}: {n}" for n in INSIDE if n not in in_wheel]
    missing += [f"{sdist.name}: {n}" for n in INSIDE if n not in in_sdist]
    if missing:
        print("missing from the release:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        venv.create(root / "venv", with_pip=True)
        bindir = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
        pip = [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--quiet", "--no-deps"]
        lock = REPO / "requirements" / "runtime.txt"
        subprocess.run([*pip, "--require-hashes", "-r", str(lock)], check=True)
        subprocess.run([*pip, str(wheel.resolve())], check=True)
        lcrplan = str(bindir / "lcrplan")
        version = wheel.name.split("-")[1]
        pin = f"git+https://github.com/example/lcrplan@v{version}"
        for args in (
            ["--version"],
            ["init", "plans", "--source", pin],
            ["validate", "--data", "plans/data", "--strict"],
            ["report", "--data", "plans/data", "--month", "2026-01", "--output", "report.md"],
        ):
            print("$ lcrplan " + " ".join(args), flush=True)
            subprocess.run([lcrplan, *args], cwd=root, check=True, stdout=subprocess.DEVNULL)
        if not (root / "report.md").read_text(encoding="utf-8").startswith("#"):
            print("the report from the wheel is empty", file=sys.stderr)
            return 1
    print(f"ok: {wheel.name} and {sdist.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
