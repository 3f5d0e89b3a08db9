"""Several data files changed all or nothing, and finished after a crash: what `import` writes.

`write_all` locks every file it changes (in path order, so two writers cannot deadlock),
reads each, makes its new text, stages every new text beside its file and checks them all
together; any error and nothing is written. Then, before the first file is replaced, it writes
a journal holding each file's new text and the hashes of its old and new text (atomically, so
the journal is whole or absent), replaces the files one by one (each atomically), and removes
the journal. A crash part-way leaves every file either as it was or fully updated, and the
journal says which: the next `import` (`resume`) first writes the files still holding their old
text, checks that the others hold the new, and removes the journal. A file changed by anything
else since is left alone, and the journal kept, with a message saying so.

The journal lives in the user's cache folder, never in the data folder: it says what to write
into data files, and a file in the data folder can arrive with a pull request.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..core.problems import LcrplanError, Problem, cannot_write
from ..source import fileio
from .file_edit import FileEdit, locked, read_file

FORMAT = 1


@dataclass(frozen=True)
class FileToWrite:
    """A data file to change: where it is, and the name problems give it."""

    path: Path
    rel: str


def journal_path(root: Path) -> Path:
    """Where the journal of imports into the data folder `root` is kept (one per folder, named
    by its path as the system compares paths: `C:\\Plans` and `c:\\plans` are one folder on
    Windows)."""
    key = hashlib.sha256(os.path.normcase(root.resolve()).encode("utf-8")).hexdigest()[:24]
    return fileio.user_cache() / "imports" / f"{key}.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


NOTHING_WRITTEN = "no data file was changed"
PART_WAY = "the import stopped part-way: run `lcrplan import` again to finish it"


@contextmanager
def _writing(where: str, kept: str = NOTHING_WRITTEN) -> Iterator[None]:
    """A file system error (a read-only folder, a full disk, a file held open) as LCR712."""
    try:
        yield
    except OSError as exc:
        raise LcrplanError([cannot_write(where, exc, kept=kept)]) from None


@contextmanager
def _all_locked(targets: Sequence[FileToWrite]) -> Iterator[None]:
    with ExitStack() as stack:
        for target in sorted(targets, key=lambda t: str(t.path)):
            with _writing(target.rel):
                stack.enter_context(locked(target.path, target.rel))
        yield


def write_all(
    root: Path,
    targets: Sequence[FileToWrite],
    change: Callable[[FileToWrite, str], str],
    check: Callable[[Mapping[str, Path]], list[Problem]],
    dry_run: bool = False,
) -> list[FileEdit]:
    """Change every target file (`change`: its new text from its text) or none; `check` gets
    each changed file's staged new text by name and returns the errors of the whole set."""
    targets = [FileToWrite(t.path.resolve(), t.rel) for t in targets]
    with _all_locked(targets), ExitStack() as stack:
        edits = []
        for target in targets:
            before = read_file(target.path, target.rel)
            edits.append((target, FileEdit(target.rel, before, change(target, before))))
        changed = [(t, e) for t, e in edits if e.changed]
        staged: dict[str, Path] = {}
        for target, edited in changed:
            fileio.check_target(target.path)
            with _writing(target.rel):
                staged[target.rel] = stack.enter_context(
                    fileio.staged(target.path, edited.after, durable=not dry_run)
                )
        problems = check(staged) if staged else []
        if problems:
            raise LcrplanError(problems)
        if changed and not dry_run:
            _commit(root, [(t, e, staged[t.rel]) for t, e in changed])
        return [e for _, e in edits]


def _commit(root: Path, changed: Sequence[tuple[FileToWrite, FileEdit, Path]]) -> None:
    """Journal, replace each file, remove the journal."""
    journal = journal_path(root)
    record = {
        "format": FORMAT,
        "root": str(root.resolve()),
        "files": [
            {
                "rel": t.rel,
                "path": str(t.path),
                "before": _digest(e.before),
                "after": _digest(e.after),
                "text": e.after,
                "staged": str(tmp),
            }
            for t, e, tmp in changed
        ],
    }
    with _writing(str(journal), NOTHING_WRITTEN):
        journal.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fileio.write_atomic(journal, json.dumps(record, ensure_ascii=False))
    for target, _, tmp in changed:
        fileio.check_target(target.path)
        with _writing(target.rel, PART_WAY):
            fileio.replace(tmp, target.path)
    for folder in {t.path.parent for t, _, _ in changed}:
        fileio.fsync_dir(folder)
    journal.unlink()


def resume(root: Path) -> list[str]:
    """Finish an import that was interrupted in this data folder; the files it wrote now."""
    journal = journal_path(root)
    if not journal.is_file():
        return []
    where = str(journal)
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        files = record["files"]
        assert record["format"] == FORMAT
        assert os.path.normcase(record["root"]) == os.path.normcase(root.resolve())
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        message = "the journal of an interrupted import is unreadable"
        raise LcrplanError([_kept(where, message)]) from None
    real = root.resolve()
    targets = [FileToWrite(Path(f["path"]), f["rel"]) for f in files]
    written = []
    with _all_locked(targets):
        for entry, target in zip(files, targets, strict=True):
            if not target.path.resolve().is_relative_to(real):
                raise LcrplanError([_kept(where, f"{target.rel} is outside the data folder")])
            now = _digest(read_file(target.path, target.rel))
            if now == entry["after"]:
                continue
            if now != entry["before"]:
                message = f"{target.rel} changed since an import was interrupted"
                raise LcrplanError([_kept(where, message)])
            with _writing(target.rel, "the interrupted import's journal is kept"):
                fileio.write_atomic(target.path, entry["text"])
            written.append(target.rel)
        for entry in files:  # a crash leaves staged texts behind; they are in the journal
            staged = Path(entry["staged"])
            if staged.parent.resolve().is_relative_to(real) and staged.name.startswith("."):
                staged.unlink(missing_ok=True)
    journal.unlink()
    return written


def unfinished(root: Path) -> list[Problem]:
    """A problem for each data file an interrupted import into `root` was writing (nothing is
    changed: the next `import` finishes it)."""
    journal = journal_path(root)
    if not journal.is_file():
        return []
    try:
        rels = [str(f["rel"]) for f in json.loads(journal.read_text(encoding="utf-8"))["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        rels = [str(journal)]
    hint = "run lcrplan import again with the same returns to finish it"
    message = "an import into this file was interrupted and is unfinished"
    return [Problem(rel, 0, 0, "LCR716", message, hint) for rel in rels]


def _kept(where: str, message: str) -> Problem:
    return Problem(
        where,
        0,
        0,
        "LCR715",
        message,
        "the journal is kept: check the data files, then delete it to give up the interrupted "
        "import",
    )
