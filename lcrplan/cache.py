"""A cache of parsed and validated files, so unchanged files are not parsed again.

`files.json` under `.lcrplan-cache/` holds every file's validated data, keyed by its path, size
and modification times, with the package version and a hash of the models in its header. It
stores parsed data, never statuses (those depend on --as-of). `ids.json` is a small index of
which file defines each goal and KPI, written when the data set passes its checks, so that an
edit can go straight to its file (see `recheck.quick_target`). A stale, corrupt or foreign cache is
ignored and rewritten; writes are atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import __version__, fileio
from . import models as m

CACHE_DIR = ".lcrplan-cache"


def _fingerprint() -> str:
    """The package version and a hash of the models: a cache from any other is ignored."""
    digest = hashlib.sha256(Path(m.__file__).read_bytes()).hexdigest()[:16]
    return f"{__version__}+{digest}"


class Entry(BaseModel):
    size: int
    mtime_ns: int
    ctime_ns: int
    kind: str
    directory: m.DirectoryFile | None = None
    plan: m.PlanFile | None = None
    theme: m.ThemeFile | None = None
    config: m.Config | None = None


class CacheFile(BaseModel):
    fingerprint: str
    entries: dict[str, Entry] = {}
    clean: str | None = None
    """Digest of the entries when the data set last passed its cross-file checks."""


class Cache:
    """Read once at start, consulted per file, saved once at the end if anything changed."""

    def __init__(self, path: Path, content: CacheFile) -> None:
        self.path = path
        self.content = content
        self.dirty = False
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, root: Path) -> Cache:
        path = root / CACHE_DIR / "files.json"
        fingerprint = _fingerprint()
        try:
            if not _readable(path):
                raise ValueError("a link")
            content = CacheFile.model_validate_json(path.read_bytes())
            if content.fingerprint != fingerprint:
                raise ValueError("cache from another version")
        except (OSError, ValueError, ValidationError):
            content = CacheFile(fingerprint=fingerprint)
        return cls(path, content)

    def get(self, path: str | Path, rel: str):  # -> FileResult | None
        from .load import FileResult

        entry = self.content.entries.get(rel)
        if entry is None:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns, st.st_ctime_ns) != (
            entry.size,
            entry.mtime_ns,
            entry.ctime_ns,
        ):
            return None
        self.hits += 1
        return FileResult(path, rel, entry.kind, getattr(entry, entry.kind))

    def put(self, result) -> None:  # result: FileResult
        """Keep a validated file under the stamp of the text that was read: a stat taken now
        could be of a file that replaced it since, which would stay cached as the old one."""
        if result.stamp is None:  # it changed while it was read
            return
        size, mtime_ns, ctime_ns = result.stamp
        self.content.entries[result.rel] = Entry(
            size=size,
            mtime_ns=mtime_ns,
            ctime_ns=ctime_ns,
            kind=result.kind,
            **{result.kind: result.model},
        )
        self.dirty = True

    def digest(self) -> str:
        """A digest of every file's key: equal digests mean the same files, unchanged."""
        entries = self.content.entries
        keys = "".join(
            f"{rel}\0{e.size}\0{e.mtime_ns}\0{e.ctime_ns}\n" for rel, e in sorted(entries.items())
        )
        return hashlib.sha256(keys.encode()).hexdigest()

    def unchanged_and_clean(self) -> bool:
        """True when every file came from the cache and this set of files last passed checks."""
        return self.misses == 0 and self.content.clean == self.digest()

    def mark_clean(self) -> None:
        digest = self.digest()
        if self.content.clean != digest:
            self.content.clean = digest
            self.dirty = True

    def retain(self, rels: set[str]) -> None:
        """Forget files that are no longer in the data directory."""
        gone = set(self.content.entries) - rels
        for rel in gone:
            del self.content.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is simply not kept."""
        if self.dirty:
            _write(self.path, self.content.model_dump_json(exclude_defaults=True))

    def save_ids(self, origins: dict[str, Any]) -> None:
        """Record which file defines each plan, goal and KPI (only when the data set is clean)."""
        ids = self.path.with_name(IDS_NAME)
        if not self.dirty and ids.exists():
            return
        files = {
            rel: [e.size, e.mtime_ns, e.ctime_ns, e.kind] for rel, e in self.content.entries.items()
        }
        kinds = (("goals",), ("plan",))
        items = {item_id: o.file for item_id, o in origins.items() if o.loc[:1] in kinds}
        content = {"fingerprint": self.content.fingerprint, "files": files, "items": items}
        _write(ids, json.dumps(content, separators=(",", ":")))


IDS_NAME = "ids.json"


class Ids:
    """Which file defines each goal and KPI, as of the last time the data set passed every check.

    An entry is trusted while its file is the one indexed (`unchanged`); an edit made through
    it restamps its file (`restamp`), so the next edit can trust it too.
    """

    def __init__(self, path: Path, files: dict[str, list[Any]], items: dict[str, str]) -> None:
        self.path = path
        self.files = files
        self.items = items

    @classmethod
    def open(cls, root: Path) -> Ids | None:
        path = root / CACHE_DIR / IDS_NAME
        if not _readable(path):
            return None
        try:
            content = json.loads(path.read_bytes())
            if content["fingerprint"] != _fingerprint():
                return None
            return cls(path, dict(content["files"]), dict(content["items"]))
        except OSError:
            return None
        except (ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # corrupt: the next clean load writes it again
            return None

    def kind(self, rel: str) -> str:
        return str(self.files[rel][3])

    def unchanged(self, path: Path, rel: str) -> bool:
        """True when file `rel` is the one indexed (same size and times)."""
        key = self.files.get(rel)
        try:
            st = os.stat(path)
        except OSError:
            return False
        return key is not None and [st.st_size, st.st_mtime_ns, st.st_ctime_ns] == key[:3]

    def restamp(self, path: Path, rel: str) -> None:
        """Trust `rel` as it is now: it was just written after passing its checks."""
        try:
            st = os.stat(path)
        except OSError:
            return
        self.files[rel] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, self.kind(rel)]
        content = {"fingerprint": _fingerprint(), "files": self.files, "items": self.items}
        _write(self.path, json.dumps(content, separators=(",", ":")))


def _write(path: Path, text: str) -> None:
    """Replace `path` atomically; a cache that cannot be written is simply not kept, nor one
    whose folder or files are links (a committed link would have it written anywhere)."""
    folder = path.parent
    if folder.is_symlink():
        return
    try:
        folder.mkdir(exist_ok=True)
        gitignore = folder / ".gitignore"
        if not os.path.lexists(gitignore):
            fileio.create_new(gitignore, b"*\n")
        fileio.write_atomic(path, text, durable=False)  # a lost cache is only rebuilt
    except (OSError, fileio.UnsafePath):
        pass


def _readable(path: Path) -> bool:
    """Whether a cache file may be read: neither it nor its folder is a link."""
    return not (path.parent.is_symlink() or path.is_symlink())
