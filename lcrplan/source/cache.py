"""A cache of parsed and validated files, so unchanged files are not parsed again.

`files.bin` under `.lcrplan-cache/` holds every file's validated model, keyed by its path and
its stamp (`fileio.Stamp`: its size and the SHA-256 of its bytes, and where the system keeps
change times the stat that stands for them), with a fingerprint in its header: the package
version, a hash of the models, the cache's format and the Python that wrote it. It stores
parsed data, never statuses (those depend on --as-of). The models are kept as tuples of plain
values (`codec`), read by `marshal` in C along with the code that builds them back, so a run
whose files are all cached imports no pydantic and validates nothing again.

The file is authenticated before anything in it is read: it starts with an HMAC-SHA256 of the
rest, under a key only this user can read (`KEY_NAME` in the user's cache folder,
`fileio.user_cache`). A pull request can commit a file into the data folder, and marshal reads
code as well as data: a cache that this user's lcrplan did not write is ignored and replaced,
never unpacked. Without a key (the user's cache folder cannot be written) nothing is kept.

`ids.json` is a small index of which file defines each goal and KPI, written when the data set
passes its checks, so that an edit can go straight to its file (see `edits.target.quick_target`). A
stale, corrupt or foreign cache is ignored and rewritten; writes are atomic.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..core import models
from ..core.version import __version__
from ..core.vocabulary import FileKind
from . import fileio
from .fileio import Stamp

if TYPE_CHECKING:
    from ..core.model_base import Model
    from .codec import Codec, Packed

CACHE_DIR = ".lcrplan-cache"
NAME = "files.bin"
CHECKS_NAME = "checks.bin"
"""The findings of the cross-file checks that do not depend on today, for the files in
`files.bin` as they are (read by a command that reports warnings, `validate` and `report`)."""
OLD_NAMES = ("files.json",)
"""What older versions kept (JSON, validated again on every read): removed when the cache is
written."""
FORMAT = 3
"""Bumped when the cache's own layout changes (2: files stamped by a hash, not times; 3:
models packed for marshal, the file authenticated)."""
MAGIC = b"lcrplan-cache\n"
KEY_NAME = "cache.key"
"""The key that authenticates caches, in the user's cache folder: 32 random bytes, readable by
this user alone."""
KEY_BYTES = 32


def _fingerprint() -> str:
    """The package version, a hash of the models, the cache's format, and the Python and
    marshal versions: a cache from any other is ignored."""
    source = b"".join(Path(str(module.__file__)).read_bytes() for module in models.MODULES)
    digest = hashlib.sha256(source).hexdigest()[:16]
    python = f"{sys.implementation.cache_tag}-{marshal.version}"
    return f"{__version__}+{digest}+{FORMAT}+{python}"


Loc = tuple[str | int, ...]


class Checked(NamedTuple):
    """What the cross-file checks found in a set of files (by check: file, path, tail, code,
    message, hint, item), and the line and column of each (file, path) placed in them."""

    findings: dict[str, list[tuple[Any, ...]]]
    places: dict[tuple[str, Loc], tuple[int, int]]


class Hit(NamedTuple):
    """A file as validated before."""

    kind: FileKind
    model: Model


Entry = tuple[int, str, "fileio.Seen | None", str, "Packed | Model"]
"""One file: its size, SHA-256, stat (or None), kind, and its model, packed by `codec` until
it is asked for (the packed form is dropped then: only one form is kept in memory)."""


class Cache:
    """Read once at start, consulted per file, saved once at the end if anything changed."""

    def __init__(
        self,
        path: Path,
        key: bytes | None,
        entries: dict[str, Entry] | None = None,
        clean: str | None = None,
        codec: Codec | None = None,
    ) -> None:
        self.path = path
        self.key = key
        """The user's key (None: the cache is neither read nor written)."""
        self.entries: dict[str, Entry] = entries or {}
        self.clean = clean
        """Digest of the entries when the data set last passed its cross-file checks."""
        self._codec = codec
        self.dirty = False
        self.misses = 0
        """Files asked for that the cache could not give (absent, or changed since)."""

    @classmethod
    def open(cls, root: Path) -> Cache:
        path = root / CACHE_DIR / NAME
        key = user_key()
        if key is None or not _readable(path):
            return cls(path, key)
        try:
            content = path.read_bytes()
        except OSError:
            return cls(path, key)
        try:
            frames = _frames(content, key)
            if frames is None:
                return cls(path, key)
            fingerprint, code, clean = marshal.loads(next(frames))
            if fingerprint != _fingerprint():
                return cls(path, key)
            entries = {}
            for frame in frames:
                rel, *entry = marshal.loads(frame)
                entries[rel] = tuple(entry)
            from .codec import Codec

            return cls(path, key, entries, clean, Codec(code))  # type: ignore[arg-type]
        except (ValueError, TypeError, EOFError, KeyError, IndexError, SyntaxError):
            return cls(path, key)  # written by this user, but not by this lcrplan

    @property
    def codec(self) -> Codec:
        if self._codec is None:
            from .codec import Codec

            self._codec = Codec()
        return self._codec

    def get(self, path: str | Path, rel: str) -> Hit | None:
        """The file `rel` as validated before, if the file at `path` is unchanged since."""
        entry = self.entries.get(rel)
        if entry is None:
            self.misses += 1
            return None
        size, sha256, seen, kind, packed = entry
        known = Stamp(size, sha256, seen)
        now = fileio.check(path, known)
        if now is None:
            self.misses += 1
            return None
        if now.seen != seen and now.seen is not None:  # settled since: the next run reads less
            self.dirty = True
        model = self.codec.unpack(packed) if isinstance(packed, tuple) else packed
        self.entries[rel] = (size, sha256, now.seen, kind, model)  # the packed form goes
        return Hit(FileKind(kind), model)

    def put(self, rel: str, stamp: Stamp | None, kind: FileKind, model: Model) -> None:
        """Keep a validated file under the stamp of the text that was read (`stamp`): a stat
        taken now could be of a file that replaced it since, which would stay cached as the
        old one. None (it was not read whole): not kept. It is packed when the cache is
        written."""
        if stamp is None:
            return
        self.entries[rel] = (stamp.size, stamp.sha256, stamp.seen, kind.value, model)
        self.dirty = True

    def digest(self) -> str:
        """A digest of every file's key: equal digests mean the same files, unchanged."""
        keys = "".join(f"{rel}\0{e[0]}\0{e[1]}\n" for rel, e in sorted(self.entries.items()))
        return hashlib.sha256(keys.encode()).hexdigest()

    def unchanged_and_clean(self) -> bool:
        """True when every file asked for came from the cache (`misses`), and this set of files
        is the one that last passed the checks (`mark_clean`)."""
        return self.misses == 0 and self.clean == self.digest()

    def mark_clean(self) -> None:
        digest = self.digest()
        if self.clean != digest:
            self.clean = digest
            self.dirty = True

    def retain(self, rels: set[str]) -> None:
        """Forget files that are no longer in the data directory."""
        gone = set(self.entries) - rels
        for rel in gone:
            del self.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is simply not kept."""
        if not self.dirty or self.key is None:
            return
        codec = self.codec
        records = (
            (
                rel,
                size,
                sha256,
                seen,
                kind,
                model if isinstance(model, tuple) else codec.pack(model),
            )
            for rel, (size, sha256, seen, kind, model) in self.entries.items()
        )
        head = (_fingerprint(), codec.code, self.clean)
        _write(self.path, framed(self.key, head, records))
        for name in OLD_NAMES:
            _remove(self.path.with_name(name))

    def checked(self) -> Checked | None:
        """What the cross-file checks that do not depend on today found in these files, and
        where, as `keep_checks` kept it; None when that was for other files (or never)."""
        path = self.path.with_name(CHECKS_NAME)
        if self.key is None or not _readable(path):
            return None
        try:
            frames = _frames(path.read_bytes(), self.key)
            if frames is None:
                return None
            fingerprint, digest, places = marshal.loads(next(frames))
            if fingerprint != _fingerprint() or digest != self.digest():
                return None
            found = dict(marshal.loads(frame) for frame in frames)
            return Checked(found, {(f, tuple(loc)): tuple(at) for f, loc, at in places})
        except (OSError, ValueError, TypeError, EOFError):
            return None

    def keep_checks(
        self,
        found: Mapping[str, Iterable[Any]],
        places: Mapping[tuple[str, Loc], tuple[int, int]],
    ) -> None:
        """Keep what each check found (by check: `load.Found`s), and the places found, for
        these files."""
        if self.key is None:
            return
        records = (
            (name, [(f.origin.file, f.origin.loc, *f[1:]) for f in findings])
            for name, findings in found.items()
        )
        where = [(f, loc, at) for (f, loc), at in places.items()]
        head = (_fingerprint(), self.digest(), where)
        _write(self.path.with_name(CHECKS_NAME), framed(self.key, head, records))

    def save_ids(self, items: Callable[[], Mapping[str, str]]) -> None:
        """Record which file defines each item of `items()` (id -> file), unless the index is
        up to date: only when the data set is clean."""
        ids = self.path.with_name(IDS_NAME)
        if not self.dirty and ids.exists():
            return
        files = {rel: [e[0], e[1], e[3]] for rel, e in self.entries.items()}
        _write(ids, _ids_json(files, items()).encode())


def framed(
    key: bytes, head: tuple[Any, ...], records: Iterable[tuple[Any, ...]]
) -> Iterator[bytes]:
    """A cache file's content in parts, written one after another and never held whole: the
    magic, `head` then each record as a frame (its length, then its marshal data), and an
    HMAC-SHA256 of everything before it under `key`."""
    mac = hmac.new(key, MAGIC, hashlib.sha256)
    yield MAGIC
    for value in itertools.chain((head,), records):
        data = marshal.dumps(value)
        frame = len(data).to_bytes(4, "little") + data
        mac.update(frame)
        yield frame
    yield mac.digest()


def _frames(content: bytes, key: bytes) -> Iterator[memoryview] | None:
    """The frames of a cache file (`framed`) if this user's key made its MAC, else None."""
    view = memoryview(content)
    body, mac = view[:-32], view[-32:]
    expected = hmac.new(key, body, hashlib.sha256).digest()
    if not content.startswith(MAGIC) or not hmac.compare_digest(mac, expected):
        return None
    return _split(body, len(MAGIC))


def _split(body: memoryview, at: int) -> Iterator[memoryview]:
    while at < len(body):
        size = int.from_bytes(body[at : at + 4], "little")
        yield body[at + 4 : at + 4 + size]
        at += 4 + size


def user_key() -> bytes | None:
    """This user's key for caches, made on first use; None when it can be neither read nor
    made (then no cache is kept)."""
    path = fileio.user_cache() / KEY_NAME
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    except OSError:
        return None
    if len(key) == KEY_BYTES:
        return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if key:  # cut short by a crash: replaced (caches written under it are then ignored)
            path.unlink()
        made = os.urandom(KEY_BYTES)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(made)
        return made
    except FileExistsError:  # another run made it first
        return _read_key(path)
    except OSError:
        return None


_BINARY = getattr(os, "O_BINARY", 0)


def _read_key(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


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
        files = {rel: [s.size, s.sha256, kind] for rel, (s, kind) in self.files.items()}
        _write(self.path, _ids_json(files, self.items).encode())


def _ids_json(files: Mapping[str, list[Any]], items: Mapping[str, str]) -> str:
    """`ids.json`: the fingerprint, each file's stamp and kind, and each item's file."""
    content = {"fingerprint": _fingerprint(), "files": files, "items": items}
    return json.dumps(content, separators=(",", ":"))


def _write(path: Path, content: fileio.Content) -> None:
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
        fileio.write_atomic(path, content, durable=False)  # a lost cache is only rebuilt
    except (OSError, fileio.UnsafePath):
        pass


def _remove(path: Path) -> None:
    try:
        if path.is_file() and not path.is_symlink() and not path.parent.is_symlink():
            path.unlink()
    except OSError:
        pass


def _readable(path: Path) -> bool:
    """Whether a cache file may be read: neither it nor its folder is a link."""
    return not (path.parent.is_symlink() or path.is_symlink())
