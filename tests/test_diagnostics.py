"""Diagnostics a chair can act on (issue 14): codes on every problem, every problem in one run,
severities and suppressions with reasons, source context, statistics and SARIF."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from lcrplan.core.codes import ALL, BY_CODE, handbook

from .conftest import DATA, MINIMAL, REPO, theme_file, write_tree
from .helpers.bad_inputs import BAD, THEME, edit, problems_in

AS_OF = "2026-11-30"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0-rtm.5.json"

# A KPI with three mistakes (a typo'd key that misspells a required field, an impossible date,
# an unknown owner) and a neighbour goal whose owner is unknown too.
THREE_MISTAKES = THEME.replace("        target: 100\n", "        traget: 100\n").replace(
    '        unit: "people"\n',
    '        unit: "people"\n        owner: gpr\n        start: 2026-02-30\n',
) + (
    "  - id: goal-2\n    title: Another goal\n    owner: grq\n"
    "    source: {document: doc}\n    kpis:\n"
    "      - {id: kpi-2, kind: milestone, title: Done, source: {document: doc}}\n"
)


def test_three_mistakes_in_one_file_are_reported_in_one_run_each_once(tmp_path, run):
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THREE_MISTAKES})
    result = run("validate", "--data", data)
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/theme.yaml:16:9: error: kpi kpi-1: unknown field 'traget' (did you mean 'target'?) "
        "[LCR201]",
        "data/theme.yaml:18:16: error: kpi kpi-1: unknown owner 'gpr' (did you mean 'grp'?) "
        "[LCR301]",
        "data/theme.yaml:19:16: error: kpi kpi-1: start: 2026-02-30 is not a date: February 2026 "
        "has 28 days (the last day of February 2026 is 2026-02-28) [LCR204]",
        "data/theme.yaml:26:12: error: goal goal-2: unknown owner 'grq' (did you mean 'grp'?) "
        "[LCR301]",
    ]


def test_a_broken_goal_is_still_a_known_parent(tmp_path, run):
    theme = THEME.replace("    due: 2027-12-31\n", "    due: 2027-12-31\n    colour: red\n") + (
        "  - id: goal-2\n    title: Sub-goal\n    parent: goal-1\n    source: {document: doc}\n"
        "    kpis:\n      - {id: kpi-2, kind: milestone, title: Done, source: {document: doc}}\n"
    )
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme})
    result = run("validate", "--data", data)
    assert problems_in(result.output) == [
        "data/theme.yaml:11:5: error: goal goal-1: unknown field 'colour' (allowed: aliases, "
        "delivered_by, description, due, id, ignore, kind, kpis, note, number, owner, parent, "
        "source, start, state, state_reason, tags, title, updates, uses) [LCR201]"
    ]


# --- the real data ------------------------------------------------------------------------


def _validate_real(run, data: Path = DATA, *args: str):
    return run("validate", "--data", data, "--as-of", AS_OF, "--no-cache", *args)


def test_real_data_passes_strict_with_every_exception_suppressed_with_a_reason(run):
    result = _validate_real(run, DATA, "--strict")
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == []
    said = re.search(r"(\d+) known problems accepted in lcrplan.yaml and in the", result.stderr)
    suppressed = int(said.group(1))
    stats = json.loads(_validate_real(run, DATA, "--statistics", "--format", "json").stdout)
    assert suppressed == sum(row["suppressed"] for row in stats) > 0
    assert all(row["error"] == row["warning"] == 0 for row in stats)


def test_show_suppressed_lists_every_accepted_problem_under_its_rule_with_the_reason(run):
    result = _validate_real(run, DATA, "--show-suppressed")
    assert result.exit_code == 0, result.output
    rules = [ln for ln in result.stdout.splitlines() if not ln.startswith("  ")]
    listed = [ln for ln in result.stdout.splitlines() if ln.startswith("  data/")]
    reasons = [ln for ln in result.stdout.splitlines() if ln.startswith("  reason: ")]
    counted = sum(int(re.search(r": (\d+) problems? accepted", ln).group(1)) for ln in rules)
    said = re.search(r"(\d+) known problems accepted", result.stderr)
    assert counted == len(listed) == int(said.group(1)) > 0
    assert len(reasons) == len(rules)
    assert rules[0].startswith("data/lcrplan.yaml: checks[0]: LCR501 goal-without-kpi, plan ")
    assert listed[0].endswith(": has no KPI [LCR501]")
    assert "--show-suppressed" in result.stderr
    other = _validate_real(run, DATA, "--show-suppressed", "--format", "json")
    assert other.exit_code == 2 and "works with --format text" in other.output


def test_removing_one_reason_from_the_real_data_makes_it_fail(run, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(".lcrplan-cache"))
    config = (data / "lcrplan.yaml").read_text(encoding="utf-8")
    first = config.index("    reason: >-\n")
    end = config.index("  - code:", first)
    (data / "lcrplan.yaml").write_text(config[:first] + config[end:], encoding="utf-8")
    result = _validate_real(run, data, "--strict")
    assert result.exit_code == 1, result.output
    lines = problems_in(result.output)
    assert lines[0].startswith("data/lcrplan.yaml:")
    assert lines[0].endswith(
        "error: checks[0]: LCR501 (goal-without-kpi) gives no reason (add 'reason:', a sentence "
        "a reader can check against the document) [LCR602]"
    )
    assert any("[LCR501]" in line for line in lines[1:]), "the problems it hid show again"


# --- configuration and suppressions ---------------------------------------------------------

LONELY = "- id: lonely\n  title: No KPI\n  source: {document: doc}\n"


def _lonely(tmp_path: Path, config: str = "", ignore: str = "") -> Path:
    goal = LONELY + ignore
    return write_tree(
        tmp_path / "data",
        {
            **MINIMAL,
            "lcrplan.yaml": MINIMAL["lcrplan.yaml"] + config,
            "extra.yaml": theme_file(goal, "theme-2"),
        },
    )


def test_an_item_suppression_with_a_reason_is_counted_not_shown(tmp_path, run):
    ignore = "  ignore:\n    - {code: goal-without-kpi, reason: The document names no measure.}\n"
    result = run("validate", "--data", _lonely(tmp_path, ignore=ignore), "--strict")
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == []
    assert result.stderr.strip() == (
        "no errors, 0 warning(s), 1 known problem accepted in the items they concern (see "
        "`lcrplan validate --show-suppressed`)"
    )


def test_an_expired_suppression_is_an_error_and_the_problem_shows_again(tmp_path, run):
    ignore = "  ignore:\n    - {code: LCR501, reason: Awaiting the board., until: 2026-10-31}\n"
    data = _lonely(tmp_path, ignore=ignore)
    assert run("validate", "--data", data, "--as-of", "2026-10-31").exit_code == 0
    result = run("validate", "--data", data, "--as-of", "2026-11-01")
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/extra.yaml:12:60: error: goal lonely: ignore[0]: LCR501 (goal-without-kpi) expired "
        "on 2026-10-31 (fix what it suppressed, or give a new 'until' if the reason still holds) "
        "[LCR603]",
        "data/extra.yaml:9:12: warning: goal lonely: has no KPI (add a KPI so progress can be "
        "measured) [LCR501]",
    ]


def test_an_unknown_code_in_configuration_is_an_error_with_did_you_mean(tmp_path, run):
    config = "checks:\n  - {code: LCR5O1, severity: 'off', reason: Known.}\n"
    result = run("validate", "--data", _lonely(tmp_path, config))
    assert result.exit_code == 1, result.output
    assert problems_in(result.output) == [
        "data/lcrplan.yaml:4:12: error: checks[0]: unknown code 'LCR5O1' (did you mean 'LCR501'?) "
        "[LCR601]",
        "data/extra.yaml:9:12: warning: goal lonely: has no KPI (add a KPI so progress can be "
        "measured) [LCR501]",
    ]


def test_rules_by_plan_and_path_the_last_that_matches_wins(tmp_path, run):
    config = "checks:\n  - {code: LCR501, severity: info, paths: ['extra*'], reason: Drafts.}\n"
    result = run("validate", "--data", _lonely(tmp_path, config), "--strict")
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == []  # information is neither an error nor a warning
    assert "data/extra.yaml:9:12: info: goal lonely: has no KPI" in result.stdout
    config = (
        "checks:\n"
        "  - {code: goal-without-kpi, severity: error, reason: Every goal needs a measure.}\n"
        "  - {code: LCR501, severity: info, plan: plan, paths: ['other/*'], reason: Drafts.}\n"
    )
    result = run("validate", "--data", _lonely(tmp_path, config))
    assert result.exit_code == 1
    assert problems_in(result.output) == [
        "data/extra.yaml:9:12: error: goal lonely: has no KPI (add a KPI so progress can be "
        "measured) [LCR501]",
        "data/lcrplan.yaml:5:5: warning: checks[1]: LCR501 (goal-without-kpi) matches no problem "
        "in these files (remove it: what it was written for is gone) [LCR605]",
    ]


def test_a_locked_code_cannot_be_configured(tmp_path, run):
    config = "checks:\n  - {code: invalid-yaml, severity: 'off', reason: Too strict.}\n"
    result = run("validate", "--data", _lonely(tmp_path, config))
    assert result.exit_code == 1
    assert (
        "data/lcrplan.yaml:4:12: error: checks[0]: LCR101 (invalid-yaml) cannot be configured or "
        "suppressed (it is an error that leaves data the tracker cannot use: fix the problem "
        "instead) [LCR604]"
    ) in problems_in(result.output)


def test_a_suppression_that_suppresses_nothing_is_a_warning(tmp_path, run):
    theme = THEME.replace(
        "    due: 2027-12-31\n",
        "    due: 2027-12-31\n    ignore:\n      - {code: LCR501, reason: No measure.}\n",
    )
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme})
    result = run("validate", "--data", data)
    assert result.exit_code == 0, result.output
    assert problems_in(result.output) == [
        "data/theme.yaml:12:9: warning: goal goal-1: ignore[0]: LCR501 (goal-without-kpi) "
        "suppresses nothing (remove it: what it was written for is gone) [LCR605]"
    ]


# --- new checks -------------------------------------------------------------------------------


def test_a_target_the_implied_baseline_already_meets(tmp_path, run):
    theme = THEME.replace("        baseline: {value: 0, date: 2025-01-01}\n", "").replace(
        "        target: 100\n", "        target: 0\n        direction: decrease\n"
    )
    theme = theme.replace("{date: 2026-01-31, value: 10}", "{date: 2026-01-31, value: 0}")
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme})
    result = run("validate", "--data", data)
    assert problems_in(result.output) == [
        "data/theme.yaml:16:17: warning: kpi kpi-1: with no baseline, the implied 0 already meets "
        "the target 0 (give a 'baseline:' with the value progress starts from, or check the "
        "direction) [LCR505]"
    ]


def test_a_measurement_dated_after_the_document_that_states_it(tmp_path, run):
    sources = MINIMAL["sources.yaml"].replace(
        "title: A plan document",
        "title: A plan document\n            date: {date: 2025-03-01, rule: month_start}",
    )
    theme = THEME.replace(
        "{date: 2026-01-31, value: 10}",
        "{date: 2025-03-31, value: 5, source: {document: doc}}\n"
        "          - {date: 2026-01-31, value: 10, source: {document: doc}}",
    )
    data = write_tree(tmp_path / "data", {**MINIMAL, "sources.yaml": sources, "theme.yaml": theme})
    result = run("validate", "--data", data)
    assert problems_in(result.output) == [  # "March 2025" covers the 31st, not January 2026
        "data/theme.yaml:22:20: warning: kpi kpi-1: measurement dated 2026-01-31 is after its "
        "source 'doc' (dated 2025-03-01) (is the year mistyped, or is another document the "
        "source?) [LCR407]"
    ]


# --- codes, explain and the docs page ------------------------------------------------------


def test_every_problem_in_json_has_a_code_that_explain_knows(tmp_path, run):
    codes = set()
    for n, case in enumerate(BAD):
        files, _ = case.values
        data = write_tree(tmp_path / str(n) / "data", {**MINIMAL, "theme.yaml": THEME, **files})
        found = json.loads(run("validate", "--data", data, "--format", "json").stdout)["items"]
        assert found, case.id
        codes |= {p["code"] for p in found}
    data = write_tree(tmp_path / "three" / "data", {**MINIMAL, "theme.yaml": THREE_MISTAKES})
    out = json.loads(run("validate", "--data", data, "-f", "json").stdout)
    codes |= {p["code"] for p in out["items"]}
    assert len(codes) > 20
    for code in sorted(codes):
        result = run("explain", code)
        assert result.exit_code == 0, (code, result.output)
        assert result.stdout.startswith(f"{code} {BY_CODE[code].name} ")


def test_explain_refuses_an_unknown_code_with_did_you_mean(run):
    result = run("explain", "LCR5O1")
    assert result.exit_code == 2
    assert "no code 'LCR5O1' (did you mean 'LCR501'" in result.output


def test_every_code_is_documented_and_the_docs_page_is_in_step():
    for code in ALL:
        assert re.fullmatch(r"LCR[1-7]\d\d", code.code) and re.fullmatch(r"[a-z0-9-]+", code.name)
        assert code.summary and code.why and code.example and code.fix, code.code
    assert len({c.code for c in ALL}) == len({c.name for c in ALL}) == len(ALL)
    page = (REPO / "docs" / "codes.md").read_text(encoding="utf-8")
    assert page == handbook(), "docs/codes.md is stale: run `make docs`"


# --- output -----------------------------------------------------------------------------------


def test_source_context_shows_the_line_with_a_caret(tmp_path, run):
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THREE_MISTAKES})
    result = run("validate", "--data", data, "--source")
    lines = result.stdout.splitlines()
    at = lines.index(
        "data/theme.yaml:18:16: error: kpi kpi-1: unknown owner 'gpr' (did you mean 'grp'?) "
        "[LCR301]"
    )
    assert lines[at + 1 : at + 3] == [" 18 |         owner: gpr", "    |                ^~~"]
    one_line = run("validate", "--data", data, "--no-source").stdout
    assert " | " not in one_line


def test_errors_come_first_and_quiet_counts_the_warnings_by_code(tmp_path, run):
    theme = edit("group: grp", "group: gpr")
    data = write_tree(
        tmp_path / "data", {**MINIMAL, "theme.yaml": theme, "extra.yaml": theme_file(LONELY, "t2")}
    )
    result = run("validate", "--data", data)
    severities = [line.split(": ")[1] for line in problems_in(result.output)]
    assert severities == ["error", "warning"]
    quiet = run("validate", "--data", data, "--quiet")
    assert [line.split(": ")[1] for line in problems_in(quiet.output)] == ["error"]
    assert quiet.stderr.strip() == (
        "1 error(s) in 1 file(s), 1 warning(s) (warnings: 1 LCR501 goal-without-kpi; "
        "`lcrplan validate` lists them)"
    )


def test_statistics_counts_each_code(tmp_path, run):
    data = write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": THREE_MISTAKES})
    result = run("validate", "--data", data, "--statistics")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "code    name           error  warning  info  suppressed",
        "LCR201  unknown-field      1",
        "LCR204  invalid-date       1",
        "LCR301  unknown-owner      2",
    ]
    assert run("validate", "--data", data, "--statistics", "-f", "github").exit_code == 2


def test_github_annotations_carry_the_code(tmp_path, run):
    data = write_tree(
        tmp_path / "data", {**MINIMAL, "theme.yaml": edit("group: grp", "group: gpr")}
    )
    result = run("validate", "--data", data, "--format", "github")
    assert result.stdout == (
        "::error file=data/theme.yaml,line=5,col=10,title=LCR306 unknown-group::theme theme: "
        "unknown group 'gpr' (did you mean 'grp'?)\n"
    )


@pytest.mark.parametrize("tree", ["broken", "real"])
def test_sarif_output_validates_against_the_sarif_2_1_0_schema(tmp_path, run, tree):
    if tree == "broken":
        data = _lonely(tmp_path, ignore="  ignore:\n    - {code: LCR501, reason: Known.}\n")
        write_tree(data, {"theme.yaml": THREE_MISTAKES, "bad.yaml": "theme: [\n"})
    else:
        data = DATA
    result = run("validate", "--data", data, "--format", "sarif", "--as-of", AS_OF, "--no-cache")
    log = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert errors == [], [e.message for e in errors[:5]]
    (run_,) = log["runs"]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert rules == [c.code for c in ALL]
    for found in run_["results"]:
        assert rules[found["ruleIndex"]] == found["ruleId"]
    if tree == "broken":
        shown = [r for r in run_["results"] if "suppressions" not in r]
        assert {r["ruleId"] for r in shown} == {"LCR101", "LCR201", "LCR204", "LCR301"}
        (hidden,) = [r for r in run_["results"] if "suppressions" in r]
        assert hidden["suppressions"][0]["justification"] == "Known."
    else:
        assert all("suppressions" in r for r in run_["results"]) and run_["results"]


def test_a_broken_schema_copy_would_be_caught():
    """The SARIF test can fail: a log missing its version is refused by the schema."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors({"runs": []}))
