"""Context entries: background a document states (a fact, a case study, a list), kept with its
source in plan and theme files, shown by `show`, checked by `validate`, and never counted."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .conftest import theme_file, write_tree

GOALS = """
- id: g-one
  title: A goal
  source: {document: doc}
  kpis:
    - {id: k-one, kind: milestone, title: A milestone, source: {document: doc}}
"""
THEME_CONTEXT = """
context:
  - id: ctx-case
    title: A case study
    text: "£260 million has been spent on the project so far"
    source: {document: doc, lines: "12-13", quote: "£260 million has been spent"}
"""
PLAN_CONTEXT = """
context:
  - id: ctx-values
    title: Values
    text: "Radical, Inclusive"
    source: {document: doc, lines: "4"}
"""


def with_context(data_dir: Path, theme_extra: str = THEME_CONTEXT) -> Path:
    plan = (data_dir / "plan.yaml").read_text(encoding="utf-8")
    (data_dir / "plan.yaml").write_text(
        plan + textwrap.dedent(PLAN_CONTEXT).lstrip("\n"), encoding="utf-8"
    )
    text = theme_file(GOALS) + textwrap.dedent(theme_extra).lstrip("\n")
    return write_tree(data_dir, {"theme.yaml": text})


def test_context_validates_and_is_shown_with_its_source(run, data_dir):
    with_context(data_dir)
    checked = run("validate", "--data", data_dir)
    assert checked.exit_code == 0, checked.output
    shown = run("show", "ctx-case", "--data", data_dir)
    assert shown.exit_code == 0, shown.output
    assert "A case study (ctx-case)" in shown.stdout
    assert "context in data/theme.yaml: background, not tracked" in shown.stdout
    assert "text:     £260 million has been spent on the project so far" in shown.stdout
    assert "lines: 12-13, quote: £260 million has been spent" in shown.stdout
    as_json = run("show", "ctx-values", "--data", data_dir, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    out = json.loads(as_json.stdout)
    assert out["summary"]["items"] == 0  # never counted
    (entry,) = out["items"]
    assert entry["type"] == "context"
    assert entry["fields"]["text"] == "Radical, Inclusive"
    assert entry["fields"]["source"] == {"document": "doc", "lines": "4"}


def test_context_is_not_counted_as_an_item(run, data_dir):
    base = run("status", "--data", data_dir, "--as-of", "2025-01-01", "--format", "json")
    write_tree(data_dir, {"theme.yaml": theme_file(GOALS)})
    without = run("status", "--data", data_dir, "--as-of", "2025-01-01", "--format", "json")
    with_context(data_dir)
    counted = run("status", "--data", data_dir, "--as-of", "2025-01-01", "--format", "json")
    assert base.exit_code == without.exit_code == counted.exit_code == 0, counted.output
    assert counted.stdout == without.stdout
    assert "ctx-" not in counted.stdout


def test_a_context_id_must_be_unique_across_the_folder(run, data_dir):
    duplicate = THEME_CONTEXT.replace("id: ctx-case", "id: g-one")
    with_context(data_dir, duplicate)
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1
    assert (
        "data/theme.yaml:14:9: error: context g-one: duplicate id, first used at "
        "data/theme.yaml:8:9" in result.stdout
    )


def test_a_context_source_must_name_a_known_document(run, data_dir):
    with_context(data_dir, THEME_CONTEXT.replace("document: doc,", "document: dco,"))
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1
    assert "error: context ctx-case: unknown document 'dco' (did you mean 'doc'?)" in result.stdout


def test_a_context_entry_has_exactly_its_four_fields(run, data_dir):
    with_context(data_dir, THEME_CONTEXT.replace("    title: A case study\n", ""))
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1
    assert "title" in result.stdout
    with_context(data_dir, THEME_CONTEXT + "    status: done\n")
    result = run("validate", "--data", data_dir)
    assert result.exit_code == 1
    assert "status" in result.stdout
