"""Commands that write: record, done, set-state; and schema, init."""

from __future__ import annotations
