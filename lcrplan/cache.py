"""A cache of parsed and validated files, so unchanged files are not parsed again.

`files.json` under `.lcrplan-cache/` holds every file's validated data, keyed by its path, size
and a hash of its bytes (`fileio.Stamp`), with the package version and a hash of the models in
its header. It
stores parsed data, never statuses (those depend on --as-of). `ids.json` is a small index of
which file defines each goal and KPI, written when the data set passes its checks, so that an
edit can go straight to its file (see `recheck.quick_target`). A stale, corrupt or foreign cache is
ignored and rewritten; writes are atomic.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import __version__, fileio, models
from .fileio import Stamp
from .kinds import FileKind
from .models import Config, DirectoryFile, Model, PlanFile, ThemeFile

CACHE_DIR = ".lcrplan-cache"
FORMAT = 2
"""Bumped when the cache's own layout changes (2: files stamped by a hash, not times)."""


def _fingerprint() -> str:
    """The package version, a hash of the models and the cache's format: a cache from any other
    is ignored."""
    digest = hashlib.sha256(Path(models.__file__).read_bytes()).hexdigest()[:16]
    return f"{__version__}+{digest}+{FORMAT}"


class CachedFile(BaseModel):
    """One validated file under the stamp of the text it was read from."""

    size: int
    sha256: str
    kind: FileKind
    directory: DirectoryFile | None = None
    plan: PlanFile | None = None
    theme: ThemeFile | None = None
    config: Config | None = None

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.size, self.sha256)

    @property
    def model(self) -> Model:
        found = getattr(self, self.kind)
        assert isinstance(found, Model)
        return found


class CacheFile(BaseModel):
    fingerprint: str
    entries: dict[str, CachedFile] = {}
    clean: str | None = None
    """Digest of the entries when the data set last passed its cross-file checks."""


class Cache:
    """Read once at start, consulted per file, saved once at the end if anything changed."""

    def __init__(self, path: Path, content: CacheFile) -> None:
        self.path = path
        self.content = content
        self.dirty = False
        self.misses = 0
        """Files asked for that the cache could not give (absent, or changed since)."""

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

    def get(self, path: str | Path, rel: str) -> CachedFile | None:
        """The file `rel` as validated before, if the file at `path` is unchanged since."""
        entry = self.content.entries.get(rel)
        if entry is None or not fileio.unchanged(path, entry.stamp):
            self.misses += 1
            return None
        return entry

    def put(self, rel: str, stamp: Stamp | None, kind: FileKind, model: Model) -> None:
        """Keep a validated file under the stamp of the text that was read (`stamp`): a stat
        taken now could be of a file that replaced it since, which would stay cached as the
        old one. None (it was not read whole): not kept."""
        if stamp is None:
            return
        self.content.entries[rel] = CachedFile(
            size=stamp.size,
            sha256=stamp.sha256,
            kind=kind,
            **{kind: model},
        )
        self.dirty = True

    def digest(self) -> str:
        """A digest of every file's key: equal digests mean the same files, unchanged."""
        entries = self.content.entries
        keys = "".join(f"{rel}\0{e.size}\0{e.sha256}\n" for rel, e in sorted(entries.items()))
        return hashlib.sha256(keys.encode()).hexdigest()

    def unchanged_and_clean(self) -> bool:
        """True when every file asked for came from the cache (`misses`), and this set of files
        is the one that last passed the checks (`mark_clean`)."""
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

    def save_ids(self, items: Mapping[str, str]) -> None:
        """Record which file defines each item of `items` (id -> file): only when the data set
        is clean."""
        ids = self.path.with_name(IDS_NAME)
        if not self.dirty and ids.exists():
            return
        files = {rel: [*e.stamp, e.kind] for rel, e in self.content.entries.items()}
        _write(ids, _ids_json(files, items))


IDS_NAME = "ids.json"


class Ids:
    """Which file defines each goal and KPI, as of the last time the data set passed every check.

    An entry is trusted while its file is the one indexed (`unchanged`); an edit made through
    it restamps its file (`restamp`), so the next edit can trust it too.
    """

    def __init__(
        self, path: Path, files: dict[str, tuple[Stamp, FileKind]], items: dict[str, str]
    ) -> None:
        self.path = path
        self.files = files
        """Each file indexed, by its name: its stamp then, and its kind."""
        self.items = items
        """Which file defines each plan and goal (and KPI), by id."""

    @classmethod
    def open(cls, root: Path) -> Ids | None:
        path = root / CACHE_DIR / IDS_NAME
        if not _readable(path):
            return None
        try:
            content = json.loads(path.read_bytes())
            if content["fingerprint"] != _fingerprint():
                return None
            files = {
                rel: (Stamp(*key[:2]), FileKind(key[2])) for rel, key in content["files"].items()
            }
            return cls(path, files, dict(content["items"]))
        except OSError:
            return None
        except (ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # corrupt: the next clean load writes it again
            return None

    def kind(self, rel: str) -> FileKind:
        """What kind of file `rel` is (config, directory, plan, theme)."""
        return self.files[rel][1]

    def unchanged(self, path: Path, rel: str) -> bool:
        """True when file `rel` is the one indexed (the same bytes)."""
        key = self.files.get(rel)
        return key is not None and fileio.unchanged(path, key[0])

    def restamp(self, path: Path, rel: str) -> None:
        """Trust `rel` as it is now: it was just written after passing its checks."""
        now = fileio.stamp(path)
        if now is None:
            return
        self.files[rel] = (now, self.kind(rel))
        files = {rel: [*stamp, kind] for rel, (stamp, kind) in self.files.items()}
        _write(self.path, _ids_json(files, self.items))


def _ids_json(files: Mapping[str, list[object]], items: Mapping[str, str]) -> str:
    """`ids.json`: the fingerprint, each file's stamp and kind, and each item's file."""
    content = {"fingerprint": _fingerprint(), "files": files, "items": items}
    return json.dumps(content, separators=(",", ":"))


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
