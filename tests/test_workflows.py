"""The GitHub workflows: linted by real tools, and the commands they run tried here first.

check-jsonschema (GitHub's workflow schema, vendored: no network) and zizmor (security audit,
offline) lint every file in .github/workflows; a broken workflow must fail each of them.
The monthly report workflow's shell steps run here as written, in a copy of the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.y*ml"))
MONTHLY = REPO / ".github" / "workflows" / "monthly-report.yml"
FIXTURE = Path(__file__).parent / "fixtures" / "report"
BIN = Path(sys.executable).parent
OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}

SCHEMA_BROKEN = """\
name: Broken
on: [pushh]
jobs:
  build:
    steps:
      - run: echo hello
"""
INJECTION = """\
name: Injection
on:
  issues:
    types: [opened]
permissions: {}
jobs:
  greet:
    name: Greet
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.issue.title }}"
"""


def _tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing: pip install -e '.[dev]'"
    return str(path)


def _lint(tool: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **OFFLINE, "NO_COLOR": "1"}
    if tool == "check-jsonschema":
        args = [_tool(tool), "--builtin-schema", "vendor.github-workflows"]
    else:
        args = [_tool(tool), "--offline", "--no-progress", "--color", "never"]
    return subprocess.run([*args, *map(str, paths)], capture_output=True, text=True, env=env)


def test_there_are_workflows_to_lint():
    assert MONTHLY in WORKFLOWS


@pytest.mark.parametrize("tool", ["check-jsonschema", "zizmor"])
@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_passes_the_linters(tool, workflow):
    result = _lint(tool, workflow)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("tool", "content", "expected"),
    [
        ("check-jsonschema", SCHEMA_BROKEN, "is not valid"),
        ("zizmor", INJECTION, "template-injection"),
    ],
)
def test_the_linters_catch_a_broken_workflow(tool, content, expected, tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(content, encoding="utf-8")
    result = _lint(tool, bad)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def _monthly() -> dict:
    return yaml.safe_load(MONTHLY.read_text(encoding="utf-8"))


def test_monthly_report_runs_on_the_first_and_by_hand():
    triggers = _monthly()[True]  # YAML 1.1 reads the key `on` as true
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("1", "*", "*")
    assert "month" in triggers["workflow_dispatch"]["inputs"]


def _shell_steps() -> list[dict]:
    steps = _monthly()["jobs"]["report"]["steps"]
    return [s for s in steps if "lcrplan" in s.get("run", "")]


def _expand(value: str, month_input: str) -> str:
    """The GitHub expressions these steps use, as GitHub would fill them in."""
    value = value.replace("${{ inputs.month }}", month_input)
    assert "${{" not in value, f"an expression this test does not know: {value}"
    return value


@pytest.mark.parametrize("month_input", ["", "2026-10"], ids=["schedule", "by-hand"])
def test_the_monthly_workflow_steps_run_as_written(tmp_path, month_input):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "data")
    outputs = tmp_path / "github_output"
    outputs.touch()
    steps = _shell_steps()
    assert ["lcrplan validate" in s["run"] for s in steps] == [True, False]
    assert ["lcrplan report" in s["run"] for s in steps] == [False, True]
    for step in steps:
        env = {k: _expand(str(v), month_input) for k, v in step.get("env", {}).items()}
        env = {
            **os.environ,
            **env,
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(outputs),
            "LCRPLAN_TODAY": "2026-12-01",  # the day the schedule runs it
        }
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, f"{step.get('name')}: {proc.stdout}{proc.stderr}"
    month = month_input or "2026-11"  # the run below is on 2026-12-01
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert found == {"path": f"reports/{month}.md", "html": f"reports/{month}.html", "month": month}
    report = (repo / found["path"]).read_text(encoding="utf-8")
    assert report.startswith("# Fixture Region plans: progress report, ")
    html = (repo / found["html"]).read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    if month_input:
        for key, suffix in (("path", "md"), ("html", "html")):
            golden = Path(__file__).parent / "golden" / f"monthly-{month_input}.{suffix}"
            assert (repo / found[key]).read_text(encoding="utf-8") == golden.read_text("utf-8")


def test_the_pull_request_step_adds_only_the_reports():
    steps = _monthly()["jobs"]["report"]["steps"]
    (pr,) = [s for s in steps if "create-pull-request" in s.get("uses", "")]
    paths = pr["with"]["add-paths"].splitlines()
    assert paths == ["${{ steps.report.outputs.path }}", "${{ steps.report.outputs.html }}"]
    assert all(
        "@" in s["uses"] and len(s["uses"].split("@")[1]) == 40 for s in steps if "uses" in s
    )


def _workflow(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def _runs(workflow: dict) -> list[str]:
    return [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]


def test_ci_checks_every_push_and_pull_request_everywhere():
    ci = _workflow("ci.yml")
    triggers = ci[True]
    assert set(triggers) == {"push", "pull_request"}
    for trigger in triggers.values():  # no path or branch filter: code changes need checks too
        assert not trigger, trigger
    job = ci["jobs"]["test"]
    matrix = job["strategy"]["matrix"]
    assert set(matrix["os"]) == {"ubuntu-latest", "macos-latest", "windows-latest"}
    assert matrix["python"] == ["3.11", "3.12", "3.13"]
    runs = {(s.get("if"), s.get("shell"), s["run"]) for s in job["steps"] if "run" in s}
    assert runs == {
        ("runner.os != 'Windows'", None, "make lint"),
        ("runner.os != 'Windows'", None, "make test"),
        ("runner.os == 'Windows'", "pwsh", "python dev.py lint"),
        ("runner.os == 'Windows'", "pwsh", "python dev.py test"),
    }


def test_ci_on_windows_runs_what_the_readme_says_for_windows():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    windows = readme.split("### On Windows", 1)[1].split("\n#", 1)[0]
    for step in _workflow("ci.yml")["jobs"]["test"]["steps"]:
        if step.get("if") == "runner.os == 'Windows'":
            assert f"{step['run']}\n" in windows, step["run"]


def test_ci_runs_the_fast_suite_with_the_clock_moved():
    job = _workflow("ci.yml")["jobs"]["clock"]
    assert job["runs-on"] == "ubuntu-latest" and job["permissions"] == {"contents": "read"}
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert "apt-get install" in runs[0] and " faketime" in runs[0]
    assert runs[1:] == ["make test-clock"]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest-clock:", 1)[1].split("\n\n", 1)[0]
    assert "LCRPLAN_TODAY=$(CLOCK) faketime '$(CLOCK) 12:00:00'" in recipe
    assert '-m "not slow"' in recipe and "\nCLOCK := 2027-07-15\n" in makefile


def test_the_weekly_job_tests_the_newest_releases_without_the_lock():
    newest = _workflow("newest.yml")
    (schedule,) = newest[True]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    assert any(r.startswith("make test-newest") for r in _runs(newest))
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest-newest:", 1)[1].split("\n\n", 1)[0]
    locked = makefile.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    (dev_lock,) = [line for line in locked.splitlines() if "requirements/dev.txt" in line]
    extras = ",".join(re.findall(r"--extra (\w+)", dev_lock))
    assert extras == "dev,xlsx"  # every extra the dev lock holds is installed for the newest
    assert "requirements/" not in recipe and f"--editable '.[{extras}]'" in recipe


def test_release_builds_checks_and_publishes_with_trusted_publishing():
    release = _workflow("release.yml")
    assert release[True] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    assert any(r.startswith("make dist") for r in _runs(release))
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndist:", 1)[1].split("\n\n", 1)[0]
    assert "twine check" in recipe and ".ci/check-dist.py" in recipe


@pytest.mark.parametrize(("tag", "code"), [("current", 0), ("v99.0.0", 1)])
def test_release_refuses_a_tag_that_is_not_the_version(tag, code):
    from lcrplan import __version__

    (step,) = [s for s in _workflow("release.yml")["jobs"]["build"]["steps"] if "TAG" in str(s)]
    env = {**os.environ, "TAG": f"v{__version__}" if tag == "current" else tag}
    proc = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=REPO, env=env)
    assert proc.returncode == code


def test_every_make_target_a_workflow_runs_exists():
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))
    for workflow in WORKFLOWS:
        for run in _runs(yaml.safe_load(workflow.read_text(encoding="utf-8"))):
            for target in re.findall(r"\bmake ([a-z][\w-]*)", run):
                assert target in defined, f"{workflow.name}: make {target}"


# --- the dashboard on GitHub Pages, after the report ------------------------------------------

PAGES_ACTIONS = {
    "actions/configure-pages": "983d7736d9b0ae728b81ab479565c72886d7745b",
    "actions/upload-pages-artifact": "7b1f4a764d45c48632c6b24a0339c27f5614fb0b",
    "actions/deploy-pages": "d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e",
}


def test_the_dashboard_is_published_after_the_report_with_least_permissions():
    monthly = _monthly()
    jobs = monthly["jobs"]
    assert monthly["permissions"] == {}
    assert jobs["site"]["needs"] == "report" and jobs["deploy"]["needs"] == "site"
    assert jobs["report"]["outputs"] == {"month": "${{ steps.report.outputs.month }}"}
    assert jobs["site"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    uses = {
        s["uses"].split("@")[0]: s["uses"].split("@")[1]
        for job in jobs.values()
        for s in job["steps"]
        if "uses" in s
    }
    assert {k: uses[k] for k in PAGES_ACTIONS} == PAGES_ACTIONS
    (checkout,) = [
        s for s in jobs["site"]["steps"] if s.get("uses", "").startswith("actions/checkout")
    ]
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 0}
    (upload,) = [s for s in jobs["site"]["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"] == {"path": "_site"}


def test_the_site_step_runs_as_written_with_the_history_from_git(tmp_path):
    """The site job's shell step in a clone with history, as the checkout gives it."""
    (step,) = [s for s in _monthly()["jobs"]["site"]["steps"] if "lcrplan" in s.get("run", "")]
    assert step["env"] == {"MONTH": "${{ needs.report.outputs.month }}"}
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo / "data")
    identity = ["-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "Data"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "MONTH": "2026-10"}
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = repo / "_site"
    assert proc.stdout.startswith("_site: ") and " pages, " in proc.stdout
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "status as of 31 October 2026" in home
    kpi = (site / "kpi-a-jobs-created.html").read_text(encoding="utf-8")
    assert "target (first recorded)" in kpi and "Data</td>" in kpi
    # what the upload takes: no hidden file is published, and nothing but pages and the style
    published = sorted(p.name for p in site.iterdir() if not p.name.startswith("."))
    assert all(re.fullmatch(r"[a-z0-9-]+\.html|style\.css", name) for name in published)
