"""Files on disk: the stamp that tells a file unchanged, and writing safely (a lock beside the
file, atomic replacement, no write through a link).

Writes serve the edits (record, done, set-state), the cache, `report --output`, `schema
--output`, and `init` for files it creates. Whatever fails, a file is either as it was or wholly
replaced, no temporary file is left behind, and nothing is written through a symbolic link: a
data repository can hold committed links (`reports/2026-02.md -> ../README.md`), and they come
with pull requests. Windows refuses to replace a file another program holds open (an editor, a
sync client, a virus scan): the replace is tried again for a moment before it gives up.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file's size and the SHA-256 of its bytes: equal stamps, the same content. The key of
    the cache's entries and of its id index.

    Not the file's times: on Windows the "change" time is when the file was created, which an
    edit in place keeps, and a modification time can be set back (`cp -p`, an unzip) or fall in
    the same clock tick as the write before. `seen` may spare reading the file again where the
    system keeps a change time (`settled`)."""

    size: int
    sha256: str
    seen: Seen | None = field(default=None, compare=False)
    """How the file looked when these bytes were read, if that can stand for them (`settled`)."""

    @classmethod
    def of(cls, content: bytes, seen: Seen | None = None) -> Stamp:
        return cls(len(content), hashlib.sha256(content).hexdigest(), seen)


Seen = tuple[int, int, int, int]
"""(size, modification time, change time, inode) of a file, in nanoseconds."""

SETTLE_NS = 2_000_000_000
"""How long a file must have been left alone before it was read for its stat to stand for its
bytes (git's "racy" files: two writes within one tick of a coarse clock look alike)."""

KEEPS_CHANGE_TIME = os.name == "posix"
"""POSIX systems set a file's change time on every write and let no program set it back; on
Windows `st_ctime` is when the file was created, which an edit in place keeps."""


def settled(before: os.stat_result, after: os.stat_result) -> Seen | None:
    """The stat of a file read between `before` and `after`, when a later run may take the
    same stat to mean the same bytes: the system keeps change times, nothing changed the file
    while it was read, and it had been left alone for `SETTLE_NS` before."""
    if not KEEPS_CHANGE_TIME:
        return None
    seen = _seen(after)
    if _seen(before) != seen or after.st_ctime_ns > time.time_ns() - SETTLE_NS:
        return None
    return seen


def _seen(st: os.stat_result) -> Seen:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def stamp(path: str | Path) -> Stamp | None:
    """The stamp of the file as it is now, or None when it cannot be read."""
    try:
        return Stamp.of(Path(path).read_bytes())
    except OSError:
        return None


def unchanged(path: str | Path, known: Stamp) -> bool:
    """Whether the file holds what `known` was taken of. A file of another size, or not a
    regular file, is not read; nor one whose stat is the one `known` saw (`settled`)."""
    return check(path, known) is not None


def check(path: str | Path, known: Stamp) -> Stamp | None:
    """`known` when the file still holds its bytes (with a fresh `seen` if the file was read
    to find out), else None."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != known.size:
            return None
        if known.seen is not None and known.seen == _seen(st):
            return known
        with open(path, "rb") as stream:
            before = os.fstat(stream.fileno())
            now = Stamp.of(stream.read(known.size + 1))
            after = os.fstat(stream.fileno())
    except OSError:
        return None
    if now != known:
        return None
    return Stamp(now.size, now.sha256, settled(before, after))


class UnsafePath(Exception):
    """A path lcrplan will not write to: a symbolic link, or not a regular file."""

    advice = "remove the link or choose another path"


class Busy(Exception):
    """Another process held the lock for longer than the timeout."""

    strerror = "another lcrplan command has been writing it for too long"
    advice = "wait for it to finish and run the command again"


def lock_path(path: Path) -> Path:
    """The lock file beside `path`: hidden, so the loader never reads it (and git-ignored)."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock for writing `path`, waiting at most `timeout` seconds.

    The lock is filelock's (flock on Unix, LockFileEx on Windows). Its file stays after release
    on Unix, so that every waiter locks the same file; it is hidden and ignored by git.
    """
    from filelock import FileLock, Timeout

    lock = lock_path(path)
    if lock.is_symlink():
        raise UnsafePath(
            f"its lock file is a symbolic link ({lock.name}); lcrplan does not follow it"
        )
    try:
        with FileLock(lock, timeout=timeout):
            remove_stale(path)
            yield
    except Timeout:
        raise Busy(str(lock)) from None


def remove_stale(path: Path) -> None:
    """Remove the staged copies of `path` (`staged`'s `.NAME.XXXXXXXX.tmp`) that a killed writer
    left. Called with `path`'s lock held, so none of them belongs to a writer still running."""
    shape = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    with suppress(OSError), os.scandir(path.parent) as entries:
        stale = [e.path for e in entries if shape.fullmatch(e.name)]
    for name in stale:
        with suppress(OSError):
            os.unlink(name)  # a link is removed, never followed


def check_target(path: Path) -> None:
    """Raise `UnsafePath` unless `path` is absent or a regular file (links are not followed)."""
    if path.is_symlink():
        raise UnsafePath(f"'{path}' is a symbolic link; lcrplan does not write through links")
    if path.exists() and not path.is_file():
        raise UnsafePath(f"'{path}' is not a regular file (a folder or a device)")


@contextmanager
def staged(path: Path, text: Content, durable: bool = True) -> Iterator[Path]:
    """A hidden temporary file beside `path` holding `text` (UTF-8; bytes as they are, parts
    one after another) with `path`'s permissions, removed on leaving unless it was renamed
    away; `durable`: on disk before it is used."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(text, str):
                out.write(text.encode("utf-8"))
            elif isinstance(text, (bytes, memoryview)):
                out.write(text)
            else:  # parts: written in turn, never joined in memory
                for part in text:
                    out.write(part)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(path))
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


class HeldOpen(PermissionError):
    """Windows refused to replace a file that another program holds open."""

    advice = (
        "close it where it is open (an editor, Excel, OneDrive or a virus scan may hold it) "
        "and run the command again"
    )


HELD_OPEN = {5, 32, 33}
"""Windows' errors for a file another program holds open: access denied (open without
delete sharing), sharing violation, lock violation."""
RETRY_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8)
"""Seconds between tries of a replace that Windows refused: 1.55 s in all, enough for a virus
scan or a sync client that has the file open for a moment, little to wait for an editor."""


def replace(source: Path, target: Path) -> None:
    """`os.replace`, tried again for a while when Windows refuses it because another program
    holds the file open; then `HeldOpen`. Any other error is raised at once."""
    for pause in (*RETRY_PAUSES, None):
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if getattr(exc, "winerror", None) not in HELD_OPEN:
                raise
            held = exc
        if pause is not None:
            time.sleep(pause)
    message = "another program holds the file open"
    raise HeldOpen(held.errno, message, str(target)) from None


Content = str | bytes | memoryview | Iterable[bytes | memoryview]
"""What a file is written with: text (as UTF-8), bytes, or bytes in parts."""


def write_atomic(
    path: Path,
    text: Content,
    check: Callable[[Path], None] | None = None,
    durable: bool = True,
) -> None:
    """Replace `path` with `text` once `check` (given the temporary file) passes; on any
    failure `path` is untouched. `durable`: fsync the file and its folder."""
    check_target(path)
    with staged(path, text, durable) as tmp:
        if check is not None:
            check(tmp)
        replace(tmp, path)  # a rename replaces a link that appeared since; never follows it
    if durable:
        fsync_dir(path.parent)


def create_new(path: Path, content: bytes) -> None:
    """Create `path` holding `content`; whatever is already there (a link too) is left alone
    and raises FileExistsError. A failed write leaves no partial file."""
    with open(path, "xb") as out:
        try:
            out.write(content)
        except BaseException:
            out.close()
            path.unlink(missing_ok=True)
            raise


def user_cache() -> Path:
    """lcrplan's folder in the user's cache (compiled templates, the journal of imports):
    `$XDG_CACHE_HOME/lcrplan` wherever that is set, else the system's cache folder:
    `%LOCALAPPDATA%\\lcrplan\\Cache` on Windows, `~/Library/Caches/lcrplan` on macOS,
    `~/.cache/lcrplan` elsewhere (where platformdirs puts them; written here, as it is one
    function)."""
    chosen = os.environ.get("XDG_CACHE_HOME")
    if chosen:
        return Path(chosen) / "lcrplan"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "lcrplan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "lcrplan"
    return Path.home() / ".cache" / "lcrplan"


WINDOWS_DEVICES = {"con", "prn", "aux", "nul"}
WINDOWS_DEVICES |= {f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³"}
"""Names Windows keeps for devices, in any case and with any extension: `nul.csv` is NUL."""


def portable_name(stem: str) -> str:
    """`stem` (an id) as the start of a file name every system accepts: a name Windows keeps
    for a device gets a `_`, which no id has (`con` -> `con_`)."""
    device = stem.split(".", 1)[0].rstrip(" ").lower()
    return f"{stem}_" if device in WINDOWS_DEVICES else stem


def first_link(path: Path, base: Path) -> Path | None:
    """The first symbolic link on the way from `base` down to `path` (itself included)."""
    current = base
    for part in path.relative_to(base).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def check_folders(folder: Path, cwd: Path) -> None:
    """Raise `UnsafePath` naming the first part of `folder` (a folder to write into) that is a
    symbolic link inside the working directory `cwd`, where a pull request can commit one
    (`reports -> /elsewhere`), `folder` itself included: `make schema` names `data/schema`, and a
    pull request can make that a link. A link above `cwd` (`/tmp` on macOS) is followed."""
    base = cwd.resolve()
    whole = folder if folder.is_absolute() else cwd / folder
    real = Path(whole.anchor)
    for i, part in enumerate(whole.parts[1:], start=2):
        if part == "..":
            real = real.parent  # `real` holds no link, so its parent is the folder's
            continue
        step = real / part
        if step.is_symlink() and real.is_relative_to(base):
            typed = Path(*folder.parts[: len(folder.parts) - len(whole.parts) + i])
            raise UnsafePath(
                f"'{typed}' is a symbolic link: lcrplan does not write through a link inside "
                "the working directory (a pull request can commit one); name the folder it "
                "points to, or write elsewhere"
            )
        real = step.resolve() if step.is_symlink() else step


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or the usual ones for a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make a rename into `folder` durable; best effort, as some file systems (and Windows)
    cannot."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with suppress(OSError):
        os.fsync(fd)
    os.close(fd)
