"""Finding the data: the data directory (`--data`, `$LCRPLAN_DATA`, the nearest `data/` or folder
with lcrplan.yaml), and its YAML files with the names problems give them; links stay inside it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.problems import LcrplanError, Problem
from ..core.textsafe import describe, first_unsafe

if TYPE_CHECKING:
    pass


CONFIG_NAME = "lcrplan.yaml"

SKIP_DIRS = {"schema", "node_modules", "__pycache__"}

YAML_SUFFIXES = (".yaml", ".yml")


def find_data_dir(given: Path | None, env: str | None, cwd: Path) -> Path:
    """`--data DIR`, else `$LCRPLAN_DATA`, else the nearest `data/` or `lcrplan.yaml` upwards."""
    if given is not None:
        return given
    if env:
        return Path(env)
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
        if (folder / "data" / CONFIG_NAME).is_file() or (folder / "data").is_dir():
            return folder / "data"
    raise LcrplanError(
        [
            Problem(
                str(cwd),
                0,
                0,
                "LCR116",
                "no data directory found",
                "run inside a folder holding data/ or lcrplan.yaml, or pass --data DIR",
            )
        ]
    )


def display_root(root: Path) -> Path:
    """Problems name files relative to the data directory's parent, e.g. data/music/x.yaml."""
    return root.resolve().parent


def list_files(root: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Every YAML file under `root` (sorted) with the name problems give it (see `_rel`),
    skipping hidden folders; links stay inside root."""
    problems: list[Problem] = []
    base = display_root(root)
    if not root.exists():
        raise LcrplanError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "LCR116",
                    "data directory does not exist",
                    "check --data or LCRPLAN_DATA",
                )
            ]
        )
    if not root.is_dir():
        raise LcrplanError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "LCR116",
                    "not a directory",
                    "--data must name a folder of YAML files",
                )
            ]
        )
    real_root = root.resolve()
    seen_dirs: set[Path] = set()

    def walk(folder: Path, prefix: str) -> Iterator[tuple[str, str]]:
        """(path, rel) of each YAML file; rel is built from the names as found (not resolved)."""
        real = folder.resolve()
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(
                Problem(
                    prefix.rstrip("/"),
                    0,
                    0,
                    "LCR113",
                    f"cannot read folder: {exc.strerror}",
                    "check its permissions",
                )
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            bad = first_unsafe(entry.name)
            if bad is not None and (entry.name.endswith(YAML_SUFFIXES) or entry.is_dir()):
                problems.append(_bad_name(rel, bad))  # it would reach CODEOWNERS and CI logs
                continue
            if entry.is_symlink():
                try:
                    target = Path(entry.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR113",
                            "broken or looping symbolic link",
                            "remove the link",
                        )
                    )
                    continue
                if not target.is_relative_to(real_root):
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR115",
                            "skipped: link points outside the data directory",
                            "copy the file into the data directory",
                        )
                    )
                    continue
            if entry.is_dir():
                if entry.name not in SKIP_DIRS:
                    yield from walk(Path(entry.path), rel + "/")
            elif entry.name.endswith(YAML_SUFFIXES):
                if entry.is_file():
                    yield entry.path, rel  # a str: a Path per file adds up over many files
                else:  # a pipe or device would block or never end
                    problems.append(
                        Problem(
                            rel,
                            0,
                            0,
                            "LCR115",
                            "skipped: not a regular file",
                            "replace it with a plain YAML file",
                        )
                    )

    found = list(walk(root, real_root.name + "/"))
    if not found:
        problems.append(
            Problem(
                _rel(root, base),
                0,
                0,
                "LCR116",
                "no YAML files found",
                "a data directory holds *.yaml files; see data/README.md",
            )
        )
    return found, problems


def _bad_name(rel: str, char: str) -> Problem:
    what = (
        "is not valid UTF-8"
        if "\ud800" <= char <= "\udfff"
        else f"has a control character {describe(char)}"
    )
    return Problem(
        rel, 0, 0, "LCR114", f"file name {what}", "rename it: a name is one line of plain text"
    )


def _rel(path: Path, base: Path) -> str:
    """The path as found in the tree (a link's own name, not its target's), from `base`."""
    try:
        real = path.resolve() if path.name in ("", "..") else _resolved(path.parent) / path.name
        return real.relative_to(base).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()


@functools.lru_cache(maxsize=1024)
def _resolved(folder: Path) -> Path:
    """A folder's real path: resolved once for all the files in it."""
    return folder.resolve()
