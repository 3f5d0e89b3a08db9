"""JSON Schemas for editors: generated from the models, kept up to date in data/schema/, named on
the first line of every data file, and in agreement with the data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from lcrplan.emit import schema
from lcrplan.loader.validate import file_kind
from lcrplan.source.yamlio import parse

from .conftest import DATA, symlink
from .helpers.schemas import FIRST_LINE, SCHEMA_DIR, data_files, schema_errors


def test_schema_folder_is_up_to_date() -> None:
    expected = schema.rendered()
    assert sorted(p.name for p in SCHEMA_DIR.iterdir()) == sorted(expected), "run: make schema"
    for name, text in expected.items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, f"{name}: run make schema"


def test_schema_command_writes_the_same_bytes(run, tmp_path: Path) -> None:
    result = run("schema", "--output", tmp_path / "schema")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(
        p.name for p in SCHEMA_DIR.iterdir()
    )
    for path in SCHEMA_DIR.iterdir():
        assert (tmp_path / "schema" / path.name).read_bytes() == path.read_bytes()
    again = run("schema", "--output", tmp_path / "schema")
    assert again.stdout.count("unchanged ") == 4


def test_schema_command_never_writes_through_a_link(run, tmp_path: Path) -> None:
    folder = tmp_path / "schema"
    folder.mkdir()
    elsewhere = tmp_path / "README.md"
    elsewhere.write_text("keep me\n")
    symlink(folder / "theme.schema.json", elsewhere)
    result = run("schema", "--output", folder)
    assert result.exit_code == 1, result.output
    assert "is a symbolic link; lcrplan does not write through links" in result.stderr
    assert elsewhere.read_text() == "keep me\n"
    assert not list(folder.glob(".*.tmp"))


def test_schema_command_prints_every_kind(run) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert sorted(printed) == ["config", "directory", "plan", "theme"]
    for kind, body in printed.items():
        jsonschema.Draft202012Validator.check_schema(body)
        assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert body["title"].startswith("lcrplan")
        assert kind


def test_descriptions_and_examples_come_from_the_models() -> None:
    theme = schema.schema_for("theme")
    goal = theme["$defs"]["Goal"]["properties"]
    assert goal["state_reason"]["description"].startswith("Why the goal is paused or dropped")
    assert goal["id"]["examples"] == ["ci-inv-1"]
    measurement = theme["$defs"]["Measurement"]["properties"]
    assert "date" in measurement and measurement["date"]["description"]
    due = goal["due"]["anyOf"][0]
    assert due["examples"][0] == "2026-11-30"
    assert {"type": "string", "format": "date"}.items() <= due["anyOf"][0].items()


@pytest.mark.parametrize("path", data_files(DATA), ids=lambda p: p.relative_to(DATA).as_posix())
def test_data_file_names_its_schema_on_the_first_line(path: Path) -> None:
    rel = path.relative_to(DATA).as_posix()
    text = path.read_text(encoding="utf-8")
    kind = file_kind(rel, parse(text, rel).data)
    first = text.splitlines()[0]
    to_schema = os.path.relpath(SCHEMA_DIR / schema.file_name(kind), path.parent)
    assert first == FIRST_LINE + Path(to_schema).as_posix()
    assert (path.parent / first.removeprefix(FIRST_LINE)).is_file()


@pytest.mark.parametrize("path", data_files(DATA), ids=lambda p: p.relative_to(DATA).as_posix())
def test_data_file_matches_the_exported_schema(path: Path) -> None:
    rel = path.relative_to(DATA).as_posix()
    assert schema_errors(path.read_text(encoding="utf-8"), rel) == []


GOOD_THEME = """
theme: {id: t, plan: p, title: T, source: {document: d}}
goals:
  - id: g
    title: G
    due: 2026-11-30
    source: {document: d}
    kpis:
      - {id: k, kind: numeric, title: K, target: 10, unit: x, source: {document: d},
         due: {date: 2026-11-30, text: "By November 2026", rule: month_end},
         measurements: [{date: 2025-01-01, value: 3}]}
"""


@pytest.mark.parametrize(
    ("broken", "where"),
    [
        (GOOD_THEME.replace("title: G", "titel: G"), "Additional properties"),
        (GOOD_THEME.replace("kind: numeric", "kind: numerical"), "kpis"),
        (GOOD_THEME.replace("id: g", "id: Goal_1"), "does not match"),
        (GOOD_THEME.replace("due: 2026-11-30", "due: 30/11/2026"), "due"),
        (GOOD_THEME.replace("rule: month_end", "rule: monthly"), "rule"),
        (GOOD_THEME.replace("target: 10", "target: ten"), "target"),
        (GOOD_THEME.replace("    title: G\n", ""), "'title' is a required property"),
        (GOOD_THEME.replace("value: 3", "value: three"), "value"),
    ],
)
def test_a_known_bad_file_fails_the_schema(broken: str, where: str) -> None:
    assert schema_errors(GOOD_THEME, "t.yaml") == []
    errors = schema_errors(broken, "t.yaml")
    assert errors, broken
    assert where in "\n".join(errors)
