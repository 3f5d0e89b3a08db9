"""Reading the exported JSON Schemas: which files the loader reads, and what jsonschema finds
wrong with one (used by the schema tests and by `init`'s)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema

from lcrplan.emit import schema
from lcrplan.loader.discover import SKIP_DIRS
from lcrplan.loader.validate import file_kind
from lcrplan.source.yamlio import parse

from ..conftest import DATA

SCHEMA_DIR = DATA / "schema"
FIRST_LINE = "# yaml-language-server: $schema="


def data_files(root: Path) -> list[Path]:
    """Every YAML file the loader reads under `root`."""
    return sorted(
        p
        for p in root.rglob("*.y*ml")
        if not any(part.startswith(".") or part in SKIP_DIRS for part in p.relative_to(root).parts)
    )


def as_json(value: Any) -> Any:
    """YAML values as JSON has them: dates become ISO strings."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def schema_errors(text: str, rel: str, kind: str | None = None) -> list[str]:
    """What jsonschema finds wrong with one file's text against its kind's exported schema."""
    data = parse(text, rel).data
    kind = kind or file_kind(rel, data)
    exported = json.loads((SCHEMA_DIR / schema.file_name(kind)).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        exported, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(as_json(data))]
