"""Writing a built site into its folder: only the pages whose bytes changed, never through a
symbolic link, never outside the folder, and never over files lcrplan did not write.

A folder the site was written to holds a list of the pages it wrote (`MANIFEST`, hidden, so
GitHub Pages' upload leaves it out); the next run removes the pages of that list it no longer
makes, and refuses a folder that holds other files but no list (`lcrplan site ~` must not
litter a home folder, nor later delete from it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..source.fileio import fsync_dir, write_atomic

MANIFEST = ".lcrplan-site"
_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*\.(html|css)$")
"""A page's name: the site is one flat folder of pages named by kind and id."""


class FolderRefused(Exception):
    """The folder cannot take the site: the message says why and what to do."""


@dataclass(frozen=True)
class Written:
    """What one run did to the folder."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def write_site(folder: Path, pages: Mapping[str, bytes]) -> Written:
    """Make `folder` hold `pages` (name -> bytes): write the new and changed ones, remove the
    ones an earlier run wrote that are no longer made. Every name and the folder are checked
    before anything is written."""
    for name in pages:
        if not _NAME.match(name):
            raise ValueError(f"not a page name: {name!r}")
    if folder.is_symlink():
        raise FolderRefused(f"'{folder}' is a symbolic link; lcrplan does not write through links")
    if folder.exists() and not folder.is_dir():
        raise FolderRefused(f"'{folder}' is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    before = _manifest(folder)
    for name in pages:
        path = folder / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise FolderRefused(
                f"'{path}' is a symbolic link or not a regular file; remove it first"
            )
    written = []
    for name, content in pages.items():
        path = folder / name
        if _same(path, content):
            continue
        write_atomic(path, content, durable=False)
        written.append(name)
    removed = []
    for name in sorted(before - pages.keys()):
        path = folder / name
        if _NAME.match(name) and (path.is_file() or path.is_symlink()):
            path.unlink()
            removed.append(name)
    listing = "".join(f"{name}\n" for name in sorted(pages))
    if not _same(folder / MANIFEST, listing.encode()):
        write_atomic(folder / MANIFEST, listing, durable=False)
    fsync_dir(folder)
    return Written(tuple(written), len(pages) - len(written), tuple(removed))


def _manifest(folder: Path) -> set[str]:
    """The pages an earlier run wrote; refuses a folder with other files and no list."""
    path = folder / MANIFEST
    if path.is_symlink():
        raise FolderRefused(f"'{path}' is a symbolic link; lcrplan does not follow it")
    if path.is_file():
        return {line for line in path.read_text(encoding="utf-8").splitlines() if line}
    with os.scandir(folder) as entries:
        holds_files = any(entries)
    if holds_files:
        raise FolderRefused(
            f"'{folder}' holds files that lcrplan site did not write: name a new or empty "
            "folder (a site folder lists the pages it holds in " + MANIFEST + ")"
        )
    return set()


def _same(path: Path, content: bytes) -> bool:
    """Whether `path` is a regular file holding exactly `content`."""
    try:
        if path.is_symlink() or path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False
