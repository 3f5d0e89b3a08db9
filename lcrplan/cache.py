"""A cache of parsed and validated files, so unchanged files are not parsed again.

One JSON file per data directory under `.lcrplan-cache/`, keyed by each file's path, size and
modification times, with the package version and a hash of the models in its header. It stores
parsed data, never statuses (those depend on --as-of). A stale, corrupt or foreign cache is
ignored and rewritten; writes are atomic.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import __version__
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
            content = CacheFile.model_validate_json(path.read_bytes())
            if content.fingerprint != fingerprint:
                raise ValueError("cache from another version")
        except (OSError, ValueError, ValidationError):
            content = CacheFile(fingerprint=fingerprint)
        return cls(path, content)

    def get(self, path: Path, rel: str):  # -> FileResult | None
        from .load import FileResult

        entry = self.content.entries.get(rel)
        if entry is None:
            return None
        try:
            st = path.stat()
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

    def put(self, path: Path, result) -> None:  # result: FileResult
        try:
            st = path.stat()
        except OSError:
            return
        self.content.entries[result.rel] = Entry(
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            ctime_ns=st.st_ctime_ns,
            kind=result.kind,
            **{result.kind: result.model},
        )
        self.dirty = True

    def digest(self) -> str:
        """A digest of every file's key: equal digests mean the same files, unchanged."""
        keys = sorted(
            (rel, e.size, e.mtime_ns, e.ctime_ns) for rel, e in self.content.entries.items()
        )
        return hashlib.sha256(repr(keys).encode()).hexdigest()

    def unchanged_and_clean(self) -> bool:
        """True when every file came from the cache and this set of files last passed checks."""
        return self.misses == 0 and self.content.clean == self.digest()

    def mark_clean(self) -> None:
        self.content.clean = self.digest()
        self.dirty = True

    def retain(self, rels: set[str]) -> None:
        """Forget files that are no longer in the data directory."""
        gone = set(self.content.entries) - rels
        for rel in gone:
            del self.content.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is simply not kept."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            gitignore = self.path.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".files.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.content.model_dump_json(exclude_defaults=True))
            os.replace(tmp, self.path)
        except OSError:
            pass
