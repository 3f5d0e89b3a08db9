"""Work shared out between forked processes, where the system forks cheaply and safely (Linux).

`Forked` starts a process for each share of a list: each inherits everything loaded so far,
runs the work on its share, and sends its result back through a pipe as marshal data, while
this process does work of its own. A share whose process fails, for whatever reason, is done
again here, so the result is always what one process would have made.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
MAX_WORKERS = 4


def workers() -> int:
    """How many processes may share work: the processors this process may run on (at most
    MAX_WORKERS); 1 where forking is not safe or cheap (Windows, macOS)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_WORKERS))


def split(items: Sequence[T], weights: Sequence[int], count: int) -> list[list[T]]:
    """`items` in `count` shares of about equal weight (the heaviest placed first)."""
    shares: list[list[T]] = [[] for _ in range(count)]
    loads = [0] * count
    for n in sorted(range(len(items)), key=lambda n: -weights[n]):
        lightest = loads.index(min(loads))
        shares[lightest].append(items[n])
        loads[lightest] += weights[n]
    return shares


class Forked(Generic[T]):
    """`work` running on each share in a forked process (started at once); `results()` waits
    for them. `work` must return what marshal can write (tuples, lists, strings, numbers)."""

    def __init__(self, work: Callable[[list[T]], Any], shares: Sequence[list[T]]) -> None:
        self.work = work
        self.shares = list(shares)
        self.children = [_start(work, share) for share in self.shares]

    def results(self) -> Iterator[Any]:
        """Each share's result, in order, as it comes (one at a time in memory)."""
        for (pid, reader), share in zip(self.children, self.shares, strict=True):
            yield _finish(pid, reader, self.work, share)


def _start(work: Callable[[list[T]], Any], share: list[T]) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its share, written to the pipe, then gone without cleaning up
        code = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as out:
                out.write(marshal.dumps(work(share)))
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _finish(pid: int, reader: int, work: Callable[[list[T]], Any], share: list[T]) -> Any:
    """The child's result; its share done here if the child failed."""
    with os.fdopen(reader, "rb") as source:
        data = source.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            return marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            pass
    return work(share)
