"""JSON Schemas of the data files, generated from the models, for editors and other tools.

Descriptions and examples come from the models' docstrings and fields. One change is made to
what pydantic generates: a date that may be written either as `2026-11-30` or as `{date, text,
rule, note}` (the models accept both) is given both forms in the schema.
"""

from __future__ import annotations

import ast
import inspect
from functools import cache
from pathlib import Path
from typing import Any

from ..core import models
from ..core.formatting import json_text
from ..core.models import FILE_KINDS
from ..core.vocabulary import FileKind
from ..source import fileio

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_SPEC_REF = "#/$defs/DateSpec"
PLAIN_DATE = {"type": "string", "format": "date", "description": "A date: YYYY-MM-DD."}
TITLES = {
    FileKind.directory: "lcrplan directory file (sources, people, boards, groups)",
    FileKind.plan: "lcrplan plan file",
    FileKind.theme: "lcrplan theme file (a theme and its goals and KPIs)",
    FileKind.config: "lcrplan settings (lcrplan.yaml)",
}


def file_name(kind: FileKind) -> str:
    """The schema's file name for a file kind, e.g. theme.schema.json."""
    return f"{kind}.schema.json"


def schema_for(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of one file kind (directory, plan, theme, config)."""
    generated = FILE_KINDS[kind].model_json_schema()
    body = _allow_plain_dates(_describe_fields(generated))
    return {"$schema": DIALECT, **body, "title": TITLES[kind]}


def schemas() -> dict[FileKind, dict[str, Any]]:
    """Every file kind's schema, by kind."""
    return {kind: schema_for(kind) for kind in FILE_KINDS}


def render(schema: object) -> str:
    """A schema (or schemas by kind) as stable, readable JSON text ending in a newline."""
    return json_text(schema)


def rendered() -> dict[str, str]:
    """Every schema's file name and text."""
    return {file_name(kind): render(schema) for kind, schema in schemas().items()}


def write(folder: Path, files: dict[str, str] | None = None) -> list[tuple[Path, bool]]:
    """Write every schema (or `files`: name -> text) into `folder`, each file replaced
    atomically and never through a link; return each path and whether it changed."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in (rendered() if files is None else files).items():
        path = folder / name
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            fileio.write_atomic(path, text)
        out.append((path, changed))
    return out


def _allow_plain_dates(node: Any) -> Any:
    """Replace each reference to DateSpec with "a plain date, or a DateSpec"."""
    if isinstance(node, list):
        return [_allow_plain_dates(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("$ref") == DATE_SPEC_REF:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**rest, "anyOf": [PLAIN_DATE, {"$ref": DATE_SPEC_REF}]}
    return {key: _allow_plain_dates(value) for key, value in node.items()}


@cache
def field_docs() -> dict[str, dict[str, str]]:
    """The docstring under each field of each model: {class: {field: text}}."""
    trees = [ast.parse(Path(str(m.__file__)).read_text(encoding="utf-8")) for m in models.MODULES]
    docs: dict[str, dict[str, str]] = {}
    for cls in (node for tree in trees for node in tree.body if isinstance(node, ast.ClassDef)):
        body = cls.body
        for field, doc in zip(body, body[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                docs.setdefault(cls.name, {})[field.target.id] = inspect.cleandoc(doc.value.value)
    return docs


def _describe_fields(schema: dict[str, Any]) -> dict[str, Any]:
    """Give each property the docstring written under its field, as pydantic would."""
    docs = field_docs()
    defined = [(schema.get("title", ""), schema), *schema.get("$defs", {}).items()]
    for name, model in defined:
        cls = next((getattr(m, name) for m in models.MODULES if hasattr(m, name)), None)
        own: dict[str, str] = {}
        for base in reversed(getattr(cls, "__mro__", ())):
            own.update(docs.get(base.__name__, {}))
        for field, prop in model.get("properties", {}).items():
            doc = own.get(field)
            if doc and "description" not in prop:
                prop["description"] = doc
                model["properties"][field] = dict(sorted(prop.items()))
    return schema
