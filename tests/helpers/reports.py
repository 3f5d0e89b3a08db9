"""The report tests' fixture data set, golden folder and Markdown parser, and the report as
the CLI prints it."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

FIXTURE = Path(__file__).parent.parent / "fixtures" / "report"
GOLDEN = Path(__file__).parent.parent / "golden"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def report(run, data: Path, *args: str) -> str:
    """The report `run` prints for `data` (the test fails if the command does)."""
    result = run("report", "--data", data, *args)
    assert result.exit_code == 0, result.output
    return result.stdout
