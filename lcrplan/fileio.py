"""Files on disk: the stamp that tells a file unchanged, and writing safely (a lock beside the
file, atomic replacement, no write through a link).

Writes serve the edits (record, done, set-state), the cache, `report --output`, `schema
--output`, and `init` for files it creates. Whatever fails, a file is either as it was or wholly
replaced, no temporary file is left behind, and nothing is written through a symbolic link: a
data repository can hold committed links (`reports/2026-02.md -> ../README.md`), and they come
with pull requests.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple


class Stamp(NamedTuple):
    """A file's size and modification and change times (ns): equal stamps, the same file
    unchanged. The key of the cache's entries and of its id index."""

    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Stamp:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def stamp(path: str | Path) -> Stamp | None:
    """The file's stamp now, or None when it cannot be read."""
    try:
        return Stamp.of(os.stat(path))
    except OSError:
        return None


class UnsafePath(Exception):
    """A path lcrplan will not write to: a symbolic link, or not a regular file."""


class Busy(Exception):
    """Another process held the lock for longer than the timeout."""


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
def staged(path: Path, text: str | bytes, durable: bool = True) -> Iterator[Path]:
    """A hidden temporary file beside `path` holding `text` (UTF-8; bytes as they are) with
    `path`'s permissions, removed on leaving unless it was renamed away; `durable`: on disk
    before it is used."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(tmp, _mode_for(path))
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(
    path: Path,
    text: str | bytes,
    check: Callable[[Path], None] | None = None,
    durable: bool = True,
) -> None:
    """Replace `path` with `text` once `check` (given the temporary file) passes; on any
    failure `path` is untouched. `durable`: fsync the file and its folder."""
    check_target(path)
    with staged(path, text, durable) as tmp:
        if check is not None:
            check(tmp)
        os.replace(tmp, path)  # a rename replaces a link that appeared since; never follows it
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
