"""The report command: a Markdown progress report through Jinja templates."""

from __future__ import annotations
