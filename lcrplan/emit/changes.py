"""`lcrplan diff`'s changes as plain text, a line each with goalposts first, or as Markdown for a
pull request (the template `changes.md.j2`, which a data repository's templates folder can
override); JSON is `json_csv`'s."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.formatting import one_line
from ..core.statuses import label
from ..core.textsafe import printable
from ..views.changes import ChangeLine, ChangesView

TEMPLATE = "changes.md.j2"


def changes_text(view: ChangesView) -> str:
    """Plain text: a heading line, then one indented line per change, goalposts first."""
    lines = [f"Changes from {view.base} to {view.head} (statuses as of {view.as_of})"]
    lines += [f"note: {n}" for n in view.notes]
    if view.empty:
        lines.append("No changes to the data.")
    for section in view.sections:
        if section.lines:
            lines += ["", f"{section.heading} ({len(section.lines)})"]
            lines += [f"  {text_line(line)}" for line in section.lines]
    return "".join(printable(line) + "\n" for line in lines)


def text_line(line: ChangeLine) -> str:
    """One change as a line of plain text."""
    who = f"{line.id} ({line.type})"
    if line.kind == "status":
        return f"{who}: {label(line.old or '')} -> {label(line.new or '')}: {one_line(line.reason)}"
    if line.kind == "item":
        status = f" [{'' if line.added else 'was '}{label(line.status)}]" if line.status else ""
        return f"{'+' if line.added else '-'} {who}: {one_line(line.title + status)}"
    if line.kind == "rename":
        return f"{line.old} -> {line.new} ({line.type}): {one_line(line.title)}"
    if line.kind == "reading":
        if line.change in ("changed", "revised"):
            what = f"{one_line(line.old or '')} -> {one_line(line.new or '')}"
        else:
            what = one_line((line.new if line.change == "added" else line.old) or "")
        mark = {"added": "+", "removed": "-", "changed": "~", "revised": "~"}[line.change]
        why = f": {one_line(line.reason)}" if line.reason else ""
        revised = f" (revised{why})" if line.change == "revised" else ""
        return f"{mark} {line.id} {line.date}: {what}{revised}"
    if line.old is None and line.new is None:
        return f"{who}: {line.field} edited"
    note = f" ({line.note})" if line.note else ""
    old, new = one_line(line.old or "none"), one_line(line.new or "none")
    return f"{who}: {line.field} {old} -> {new}{note}"


def changes_markdown(view: ChangesView, folders: Sequence[Path], cache: bool = False) -> str:
    """GitHub-flavoured Markdown for a job summary or a pull-request comment, through the
    first `changes.md.j2` of `folders` (the data's templates folder, then the built-in)."""
    from .templating import render_template

    return render_template(TEMPLATE, folders, {"changes": view}, cache)
