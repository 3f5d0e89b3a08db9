"""The one module that runs git: find the repository of a data directory, copy out its files
as they were at a revision without checking anything out, and list the commits that changed them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.textsafe import printable

YAML_SUFFIXES = (".yaml", ".yml")
REGULAR_FILE_MODES = ("100644", "100755")


class GitError(Exception):
    """Git could not answer: not installed, not a repository, or an unknown revision."""

    def __init__(self, message: str, hint: str = "") -> None:
        # messages quote revisions and paths as typed, and git's own words about them
        self.message = printable(message)
        self.hint = printable(hint)
        super().__init__(self.message + (f" ({self.hint})" if hint else ""))


@dataclass(frozen=True)
class Repo:
    """A git repository and the data directory's path inside it ("" at its top)."""

    root: Path
    prefix: str


def run_git(args: Sequence[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    """Run `git -C cwd args`, returning stdout; failures raise `GitError` with git's message."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}  # messages we can match
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args], input=stdin, capture_output=True, check=False, env=env
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed or not on PATH", "install git to compare revisions"
        ) from None
    if done.returncode != 0:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())
        raise GitError(detail.removeprefix("fatal: ") or f"git {args[0]} failed")
    return done.stdout


def find_repo(data_dir: Path) -> Repo:
    """The repository holding `data_dir`, and where the data directory sits inside it."""
    if not data_dir.is_dir():
        raise GitError(f"data directory '{data_dir}' does not exist", "check --data")
    try:
        root = run_git(["rev-parse", "--show-toplevel"], data_dir).decode().strip()
        prefix = run_git(["rev-parse", "--show-prefix"], data_dir).decode().strip()
    except GitError as exc:
        if "not a git repository" not in exc.message:
            raise
        raise GitError(
            f"'{data_dir}' is not inside a git repository",
            "lcrplan diff compares revisions of a data directory kept in git",
        ) from None
    return Repo(Path(root), prefix.rstrip("/"))


def resolve(repo: Repo, rev: str) -> str:
    """The commit id a revision names; an unknown revision is a `GitError`."""
    if rev.startswith("-"):
        raise GitError(f"unknown revision '{rev}'", "a revision does not start with '-'")
    try:
        out = run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo.root
        )
    except GitError:
        raise GitError(f"unknown revision '{rev}'", _revision_hint(repo, rev)) from None
    return out.decode().strip()


def _revision_hint(repo: Repo, rev: str) -> str:
    """What to do about an unknown revision, from what the repository has: its remote to fetch
    from, the names nearest to the one given, else the branches and tags it does have (never
    the name that failed)."""
    import difflib

    def lines(args: list[str]) -> list[str]:
        try:
            return run_git(args, repo.root).decode("utf-8", "replace").split()
        except GitError:
            return []

    names = lines(
        ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags"]
    )
    names = [n for n in names if not n.endswith("/HEAD")]
    remotes = lines(["remote"])
    remote, slash, branch = rev.partition("/")
    hints = []
    if slash and remote in remotes:
        hints.append(
            f"fetch it first with git fetch {remote} {branch}, or in CI check out with "
            "fetch-depth: 0"
        )
    elif slash and remote == "origin":
        hints.append("this repository has no remote 'origin': compare with a branch here")
    close = difflib.get_close_matches(rev, names, n=3, cutoff=0.6)
    if close:
        hints.append("did you mean " + " or ".join(f"'{c}'" for c in close) + "?")
    elif names:
        more = ", ..." if len(names) > 8 else ""
        hints.append("branches and tags here: " + ", ".join(names[:8]) + more)
    else:
        hints.append("the repository has no commit yet: commit the data first")
    return "; ".join(hints)


@dataclass(frozen=True)
class TooBig:
    """A blob over the size limit: its size, and nothing read of it."""

    size: int


@dataclass(frozen=True)
class Exported:
    """What `export_data` wrote: how many files, and the ones over the size limit that it did
    not (path relative to the data directory, size)."""

    files: int
    too_big: tuple[tuple[str, int], ...] = ()


def export_data(repo: Repo, commit: str, dest: Path, max_bytes: int) -> Exported:
    """Write the data directory's YAML files at `commit` under `dest`, except those over
    `max_bytes` (neither read nor written: listed instead)."""
    entries = _yaml_blobs(repo, commit)
    if not entries:
        return Exported(0)
    paths = [_inside(dest, rel, commit) for _, rel in entries]  # all checked before any write
    contents = read_blobs(repo, [oid for oid, _ in entries], max_bytes)
    too_big = []
    for path, (_, rel), content in zip(paths, entries, contents, strict=True):
        if isinstance(content, TooBig):
            too_big.append((rel, content.size))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return Exported(len(entries), tuple(too_big))


def _inside(dest: Path, rel: str, commit: str) -> Path:
    """Where the tree entry `rel` goes under `dest`; a path that could leave it is a `GitError`.

    Git refuses such names when it checks a tree out, but `git mktree` makes them and `git fsck`
    only warns, so a pushed branch can hold `data/../../x.yaml`. Backslashes and colons are
    refused too: on Windows they are separators and drive letters.
    """
    parts = rel.split("/")
    bad = next((p for p in parts if p in ("", ".", "..") or "\\" in p or ":" in p), None)
    path = dest.joinpath(*parts)
    if bad is None and not path.resolve().is_relative_to(dest.resolve()):
        bad = rel
    if bad is None:
        return path
    raise GitError(
        f"unsafe path '{printable(rel)}' in the tree of {commit[:12]}",
        f"its part '{printable(bad)}' would write outside the copy of the data; git makes no "
        "such tree: it was built by hand (git mktree), so do not merge it",
    )


def _yaml_blobs(repo: Repo, commit: str) -> list[tuple[str, str]]:
    """(object id, path relative to the data directory) of each regular YAML file at `commit`."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if repo.prefix:
        args += ["--", repo.prefix + "/"]
    listing = run_git(args, repo.root).decode("utf-8", "surrogateescape")
    found = []
    for record in filter(None, listing.split("\0")):
        meta, path = record.split("\t", 1)
        mode, kind, oid = meta.split()
        rel = path[len(repo.prefix) + 1 :] if repo.prefix else path
        if kind == "blob" and mode in REGULAR_FILE_MODES and rel.endswith(YAML_SUFFIXES):
            found.append((oid, rel))
    return found


def blob_sizes(repo: Repo, oids: Sequence[str]) -> list[int]:
    """The size of each blob, from one `git cat-file --batch-check` (nothing of them read)."""
    out = run_git(
        ["cat-file", "--batch-check"], repo.root, stdin="".join(o + "\n" for o in oids).encode()
    )
    sizes = []
    for line, oid in zip(out.decode("ascii", "replace").splitlines(), oids, strict=True):
        fields = line.split()
        if len(fields) != 3 or fields[0] != oid or fields[1] != "blob":
            raise GitError(f"object {oid[:12]} is not a blob: {line}")
        sizes.append(int(fields[2]))
    return sizes


def _read_blobs(repo: Repo, oids: Sequence[str]) -> list[bytes]:
    """The contents of many blobs from one `git cat-file --batch` process."""
    out = run_git(
        ["cat-file", "--batch"], repo.root, stdin="".join(o + "\n" for o in oids).encode()
    )
    contents, pos = [], 0
    for _ in oids:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        pos = header_end + 1 + size + 1
    return contents


@dataclass(frozen=True)
class Commit:
    """A commit that changed the data directory's YAML files, with the new blob of each file
    it changed (None: the file was deleted)."""

    id: str
    date: str
    """The committer's date, YYYY-MM-DD: when the change reached the branch."""
    subject: str
    files: tuple[tuple[str, str | None], ...]
    """(path relative to the data directory, object id or None)."""


NO_BLOB = "0" * 40


def data_log(repo: Repo) -> list[Commit]:
    """The commits of the current branch's first-parent history that changed the data
    directory's YAML files, oldest first; a merge counts as one change, against its first
    parent (what the branch saw). Empty when the branch has no commit yet."""
    args = [
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x01%H%x00%cs%x00%s",
        "--end-of-options",
        "HEAD",
        "--",
        (repo.prefix + "/") if repo.prefix else ".",
    ]
    try:
        out = run_git(args, repo.root).decode("utf-8", "surrogateescape")
    except GitError as exc:
        if "does not have any commits" in exc.message or "bad revision 'HEAD'" in exc.message:
            return []
        raise
    commits: list[Commit] = []
    tokens = iter(out.split("\0"))
    header: tuple[str, str, str] | None = None
    files: list[tuple[str, str | None]] = []
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            if header is not None:
                commits.append(Commit(*header, tuple(files)))
            header, files = (token[1:], next(tokens, ""), next(tokens, "")), []
        elif token.startswith(":"):
            path = next(tokens, "")
            _, mode, _, oid, _ = token[1:].split(" ", 4)
            rel = path[len(repo.prefix) + 1 :] if repo.prefix else path
            if not rel.endswith(YAML_SUFFIXES):
                continue
            kept = oid != NO_BLOB and mode in REGULAR_FILE_MODES
            files.append((rel, oid if kept else None))
    if header is not None:
        commits.append(Commit(*header, tuple(files)))
    return [c for c in commits if c.files]


def read_blobs(repo: Repo, oids: Sequence[str], max_bytes: int) -> list[bytes | TooBig]:
    """The contents of many blobs, read by one git process; a blob over `max_bytes` is a
    `TooBig`, known by its size alone (`git cat-file --batch-check` first), never read."""
    if not oids:
        return []
    sizes = blob_sizes(repo, oids)
    wanted = [oid for oid, size in zip(oids, sizes, strict=True) if size <= max_bytes]
    read = iter(_read_blobs(repo, wanted) if wanted else [])
    return [next(read) if size <= max_bytes else TooBig(size) for size in sizes]
