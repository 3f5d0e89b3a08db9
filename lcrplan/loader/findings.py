"""What a check finds: `(item_id, path_inside_item, code, message, hint)`, which the loader places
at `file:line:col` (`locate.run_checks`) and the policy gives its severity.
"""

from __future__ import annotations

from typing import NamedTuple

Tail = tuple[str | int, ...]


class Finding(NamedTuple):
    """What a check found about one item: where inside it, the code, the message and a hint."""

    item: str
    tail: Tail
    code: str
    message: str
    hint: str
