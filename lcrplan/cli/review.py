"""Commands for reviewing pull requests: diff, codeowners."""

from __future__ import annotations
