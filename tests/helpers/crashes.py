"""An import killed part-way: the journal's file replacement dies at a chosen file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from lcrplan.edits import journal


class Crash(BaseException):
    """The process dying part-way (nothing catches it, as nothing catches a kill)."""


@contextmanager
def crash_at_replace(
    monkeypatch: pytest.MonkeyPatch, file_name: str, after: int = 0
) -> Iterator[None]:
    """The block must die with `Crash` when the journal replaces a file named `file_name`,
    once `after` such files have been replaced; replacing works again after the block."""
    real_replace = os.replace
    replaced: list[str] = []

    def replace(src, dst):
        if str(dst).endswith(file_name):
            if len(replaced) == after:
                raise Crash
            replaced.append(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(journal.os, "replace", replace)
    try:
        with pytest.raises(Crash):
            yield
    finally:
        monkeypatch.setattr(journal.os, "replace", real_replace)
