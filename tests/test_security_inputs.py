"""Issue 21, items 2 to 13: every path read or written is the one meant, and every crafted
input is a located error.

One test (or a small table of them) per attack, named after it; each was reproduced on the code
before its fix and fails there. SECURITY.md gives the threat model.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from .conftest import MINIMAL, theme_file, write_tree

AS_OF = "2026-11-30"


# --- 13. X-WR-CALNAME ------------------------------------------------------------------------


def test_a_title_with_semicolons_and_commas_cannot_add_calendar_parameters(
    run, data_dir, tmp_path
) -> None:
    title = r"Plans; X-EVIL=1, two\three"
    write_tree(data_dir, {"lcrplan.yaml": MINIMAL["lcrplan.yaml"] + f"title: '{title}'\n"})
    out = tmp_path / "plans.ics"
    result = run("calendar", "--as-of", AS_OF, "--data", data_dir, "--output", out)
    assert result.exit_code == 0, result.output
    # RFC 5545, 3.3.11: a TEXT value escapes backslash, semicolon and comma
    assert b"\r\nX-WR-CALNAME:Plans\\; X-EVIL=1\\, two\\\\three\r\n" in out.read_bytes()
