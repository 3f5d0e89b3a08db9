"""The data contracts: every command that prints data gives one JSON envelope, typed, valid
against the schema `lcrplan schema --for output` exports (kept in docs/); CSV is the JSON item
flattened, in a fixed order, with numbers as numbers."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import jsonschema
import pytest

from lcrplan import __version__
from lcrplan.emit import json_csv
from lcrplan.emit.json_csv import GROUP_COLUMNS, ITEM_COLUMNS, SCHEMA_FILE

from .conftest import DATA, REPO, commit, git, replace_data, theme_file, write_tree
from .helpers.datasets import AFTER, BEFORE

DOCS_SCHEMA = REPO / "docs" / SCHEMA_FILE
AS_OF = "2026-11-30"
ENVELOPE = ["lcrplan", "command", "as_of", "filters", "summary", "items"]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(DOCS_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_exported_output_schema_is_up_to_date(run, tmp_path):
    printed = run("schema", "--for", "output")
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == DOCS_SCHEMA.read_text(encoding="utf-8"), "run: make schema"
    written = run("schema", "--for", "output", "--output", tmp_path)
    assert written.exit_code == 0, written.output
    assert (tmp_path / SCHEMA_FILE).read_text(encoding="utf-8") == printed.stdout
    data_schemas = json.loads(run("schema").stdout)  # the data files' schemas are apart
    assert set(data_schemas) == {"directory", "plan", "theme", "config"}


def json_of(run, *args: object, code: int = 0) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def real(*args: str) -> tuple[str, ...]:
    return (*args, "--data", str(DATA), "--no-cache")


REAL_COMMANDS = {
    "status": real("status", "--as-of", AS_OF),
    "status, narrowed": real("status", "--as-of", AS_OF, "--plan", "lis-2020", "-s", "Overdue"),
    "overdue": real("overdue", "--as-of", AS_OF),
    "groups": real("groups", "--as-of", AS_OF),
    "show a goal that uses a KPI": real("show", "lis-fdn-ideas-kp-4", "--as-of", AS_OF),
    "show a KPI with a range": real("show", "ci-inv-3-influencers", "--as-of", AS_OF),
    "show a context entry": real("show", "lis-fdn-places-ctx-anfield", "--as-of", AS_OF),
    "validate": real("validate"),
}


@pytest.mark.parametrize("args", REAL_COMMANDS.values(), ids=REAL_COMMANDS.keys())
def test_real_output_of_every_data_command_is_valid_against_the_schema(run, validator, args):
    out = json_of(run, *args)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(out)]
    assert errors == []
    assert list(out) == ENVELOPE
    assert out["lcrplan"] == __version__
    assert out["command"] == args[0]
    assert isinstance(out["summary"], dict) and isinstance(out["items"], list)


def test_invalid_data_and_a_diff_give_the_envelope_too(run, validator, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, BEFORE, "before")
    replace_data(repo, AFTER)
    changed = json_of(run, "diff", "main", "--data", repo / "data", "--as-of", "2026-06-01")
    assert list(validator.iter_errors(changed)) == []
    assert changed["summary"]["goalposts"] == 2
    broken = write_tree(tmp_path / "broken", {"theme.yaml": theme_file("- id: g\n  titel: x\n")})
    problems = json_of(run, "validate", "--data", broken, code=1)
    assert list(validator.iter_errors(problems)) == []
    assert problems["summary"]["errors"] == len(
        [p for p in problems["items"] if p["severity"] == "error"]
    )


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
@pytest.mark.parametrize("args", REAL_COMMANDS.values(), ids=REAL_COMMANDS.keys())
def test_jq_summary_works_on_every_data_command(run, args):
    text = run(*args, "--format", "json").stdout
    done = subprocess.run(
        ["jq", "-e", ".summary | type"], input=text, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '"object"'


def test_values_are_typed(run):
    items = {i["id"]: i for i in json_of(run, *REAL_COMMANDS["status"])["items"]}
    rd = items["lis-econ-rd-target"]
    assert (rd["target"], rd["target_text"], rd["unit"]) == (2.4, "2.4 % of GDP", "% of GDP")
    assert rd["latest"] == {
        "date": "2020-03-01",
        "value": 2.0,
        "text": "almost 2% of GDP",
        "provisional": False,
    }
    assert rd["used_by"] == ["lis-fdn-ideas-kp-4", "lis-fdn-ideas-act-2"]
    influencers = items["ci-inv-3-influencers"]
    assert influencers["target"] == {"low": 5.0, "high": 10.0}
    assert items["ci-inv-1-brand"]["target"] is None  # a milestone
    assert items["ci-inv-1-brand"]["target_text"] == "done"
    for item in items.values():
        target = item["target"]
        assert target is None or isinstance(target, (int, float)) or set(target) == {"low", "high"}
        assert item["latest"] is None or isinstance(
            item["latest"]["value"], (int, float, type(None))
        )
        assert item["progress"] is None or 0 <= item["progress"] <= 1


def test_csv_is_the_json_item_flattened_with_numbers_as_numbers(run):
    args = REAL_COMMANDS["status"]
    items = json_of(run, *args)["items"]
    text = run(*args, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ITEM_COLUMNS
    assert [r["id"] for r in rows] == [i["id"] for i in items]
    nested = {
        "latest": ["date", "value", "text", "provisional"],
        "year_target": ["date", "value", "text"],
        "update": list(json_csv.UpdateItem.__dataclass_fields__),
        "attention": list(json_csv.AttentionItem.__dataclass_fields__),
        "forecast": list(json_csv.ForecastItem.__dataclass_fields__),
    }
    flattened = {k for k in items[0] if k not in ("target", *nested)}
    flattened |= {f"{k}_{f}" for k, names in nested.items() for f in names}
    assert flattened | {"target", "target_low", "target_high"} == set(ITEM_COLUMNS)
    for item, row in zip(items, rows, strict=True):
        latest = item["latest"] or {}
        assert row["latest_date"] == (latest.get("date") or "")
        for name, value in (("latest_value", latest.get("value")), ("progress", item["progress"])):
            assert (float(row[name]) if row[name] else None) == value, (item["id"], name)
        if isinstance(item["target"], dict):
            assert (float(row["target_low"]), float(row["target_high"])) == (
                item["target"]["low"],
                item["target"]["high"],
            )
        elif item["target"] is not None:
            assert float(row["target"]) == item["target"]
        assert row["counted"] == ("true" if item["counted"] else "false")
        assert row["flags"] == "; ".join(item["flags"])
        need = item["attention"] or {}
        assert (row["attention_concern"], row["attention_reason"]) == (
            need.get("concern", ""),
            need.get("reason", ""),
        )
    groups = run(*REAL_COMMANDS["groups"], "--format", "csv").stdout
    header = next(csv.reader(io.StringIO(groups)))
    assert header == GROUP_COLUMNS


def test_readme_documents_the_csv_columns():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ", ".join(f"`{c}`" for c in ITEM_COLUMNS) in " ".join(readme.split())
