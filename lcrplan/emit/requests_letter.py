"""The letter asking owners for a period's returns, as Markdown: the template `requests.md.j2`,
which a data repository's templates folder can override."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..views.owner_requests import RequestsLetter

TEMPLATE = "requests.md.j2"


def letter_markdown(letter: RequestsLetter, folders: Sequence[Path], cache: bool = False) -> str:
    """The letter, through the first `requests.md.j2` of `folders` (the data's templates folder,
    then the built-in)."""
    from .templating import render_template

    return render_template(TEMPLATE, folders, {"letter": letter}, cache)
