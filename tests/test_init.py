"""`lcrplan init`: a new data repository that validates, reports and lints as it comes, and the
pre-commit hook this repository offers to data repositories."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO
from .helpers.schemas import FIRST_LINE, data_files, schema_errors

BIN = Path(sys.executable).parent
PACKAGE = REPO / "lcrplan"
EXPECTED = [
    ".github/lcrplan-requirements.txt",
    ".github/workflows/monthly-report.yml",
    ".github/workflows/validate.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "data/example/board.yaml",
    "data/example/plan.yaml",
    "data/example/skills.yaml",
    "data/lcrplan.yaml",
    "data/schema/config.schema.json",
    "data/schema/directory.schema.json",
    "data/schema/plan.schema.json",
    "data/schema/theme.schema.json",
    "data/sources.yaml",
    "templates/README.md",
]


@pytest.fixture
def new_repo(run, tmp_path: Path) -> Path:
    """A folder made by `lcrplan init`."""
    target = tmp_path / "plans"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    return target


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_a_repository_that_validates(run, new_repo: Path) -> None:
    built_in = sorted(f"templates/{p.name}" for p in (PACKAGE / "templates").glob("*.j2"))
    assert _files(new_repo) == sorted(EXPECTED + built_in)
    data = new_repo / "data"
    validate = run("validate", "--data", data, "--strict")
    assert validate.exit_code == 0, validate.output
    status = run("status", "--data", data)
    assert status.exit_code == 0, status.output
    assert "example-skills-digital-learners" in status.stdout


def test_the_example_can_be_recorded_and_reported(run, new_repo: Path) -> None:
    data = new_repo / "data"
    record = run(
        "record", "example-skills-digital-learners", "420", "--date", "2025-09-30", "--data", data
    )
    assert record.exit_code == 0, record.output
    assert "+          - {date: 2025-09-30, value: 420}\n" in record.stdout
    done = run("done", "example-skills-portal-live", "--date", "2025-10-01", "--data", data)
    assert done.exit_code == 0, done.output
    report = run("report", "--data", data, "--month", "2025-10")
    assert report.exit_code == 0, report.output
    assert "Learners trained" in report.stdout


@pytest.mark.parametrize("name", [n for n in EXPECTED if n.endswith(".yaml") and "data/" in n])
def test_example_files_name_their_schema_and_match_it(new_repo: Path, name: str) -> None:
    path = new_repo / name
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith(FIRST_LINE)
    exported = path.parent / first.removeprefix(FIRST_LINE)
    assert exported.resolve().parent == (new_repo / "data" / "schema").resolve()
    kind = exported.name.removesuffix(".schema.json")
    assert schema_errors(text, name, kind) == []
    assert path in data_files(new_repo / "data")


def test_example_files_explain_their_fields(new_repo: Path) -> None:
    theme = (new_repo / "data" / "example" / "skills.yaml").read_text(encoding="utf-8")
    for field in ("kind: numeric", "target:", "direction:", "state:", "measurements:", "due:"):
        line = next(line for line in theme.splitlines() if field in line)
        assert "#" in line, f"no comment explains {field!r}"


def test_init_refuses_a_folder_that_is_not_empty(run, tmp_path: Path) -> None:
    target = tmp_path / "plans"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    result = run("init", target)
    assert result.exit_code == 2
    assert "is not empty" in result.output and "--force" in result.output
    assert _files(target) == ["notes.txt"]


def test_init_force_adds_only_missing_files(run, new_repo: Path) -> None:
    settings = new_repo / "data" / "lcrplan.yaml"
    settings.write_text("title: Mine\n")
    (new_repo / "README.md").unlink()
    result = run("init", new_repo, "--force")
    assert result.exit_code == 0, result.output
    assert settings.read_text() == "title: Mine\n"
    assert "kept" in result.stdout and "created" in result.stdout
    assert (new_repo / "README.md").is_file()


def test_init_refuses_a_file(run, tmp_path: Path) -> None:
    target = tmp_path / "plans"
    target.write_text("")
    result = run("init", target)
    assert result.exit_code == 2
    assert "is a file" in result.output


@pytest.mark.parametrize("tool", ["check-jsonschema", "zizmor"])
def test_the_workflows_pass_the_linters(new_repo: Path, tool: str) -> None:
    workflows = sorted((new_repo / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    if tool == "check-jsonschema":
        args = [str(BIN / tool), "--builtin-schema", "vendor.github-workflows"]
    else:
        args = [str(BIN / tool), "--offline", "--no-progress", "--color", "never"]
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "NO_COLOR": "1"}
    result = subprocess.run([*args, *map(str, workflows)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validate_workflow_runs_on_pull_requests_as_written(new_repo: Path) -> None:
    workflow = yaml.safe_load((new_repo / ".github/workflows/validate.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    (job,) = workflow["jobs"].values()
    step, sarif = [s for s in job["steps"] if "lcrplan validate" in s.get("run", "")]
    assert "--format github" in step["run"] and "--format sarif" in sarif["run"]
    assert job["permissions"] == {
        "contents": "read",
        "security-events": "write",
        "actions": "read",
    }
    (upload,) = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    assert (
        upload["with"]["sarif_file"] == "lcrplan.sarif" and len(upload["uses"].split("@")[1]) == 40
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for run in (step["run"], sarif["run"]):
        proc = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", run],
            cwd=new_repo,
            env=env,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "::error" not in proc.stdout
    assert json.loads((new_repo / "lcrplan.sarif").read_text())["version"] == "2.1.0"


def test_the_pre_commit_hook_is_offered_and_used(new_repo: Path) -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "lcrplan-validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["entry"].startswith("lcrplan validate")
    files = re.compile(hook["files"])
    assert [bool(files.search(n)) for n in ("a.yaml", "b/c.yml", "d.json", "e.yaml.bak")] == [
        True,
        True,
        False,
        False,
    ]
    config = yaml.safe_load((new_repo / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert [h["id"] for h in repo["hooks"]] == ["lcrplan-validate"]


PIN = "git+https://github.com/acme/lcrplan@" + "0123456789abcdef" * 2 + "01234567"


def _install_step(repo: Path, workflow: str, fake_bin: Path) -> subprocess.CompletedProcess[str]:
    """Run a workflow's install step as written, with `python` a stub that prints its arguments."""
    steps = yaml.safe_load((repo / ".github/workflows" / workflow).read_text())
    (job,) = steps["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("name", "").startswith("Install lcrplan")]
    fake_bin.mkdir(exist_ok=True)
    stub = fake_bin / "python"
    stub.write_text('#!/bin/sh\necho "python $*"\n')
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("workflow", ["validate.yml", "monthly-report.yml"])
def test_scaffolded_workflows_install_the_pinned_commit(run, tmp_path: Path, workflow: str) -> None:
    target = tmp_path / "plans"
    result = run("init", target, "--source", PIN)
    assert result.exit_code == 0, result.output
    assert "Not pinned" not in result.output
    requirements = (target / ".github/lcrplan-requirements.txt").read_text()
    assert requirements.splitlines()[-1] == f"lcrplan @ {PIN}"
    (repo,) = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())["repos"]
    assert (repo["repo"], repo["rev"]) == ("https://github.com/acme/lcrplan", PIN[-40:])
    proc = _install_step(target, workflow, tmp_path / "bin")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "python -m pip install -r .github/lcrplan-requirements.txt\n"
    for path in (target / ".github").rglob("*.yml"):
        assert not re.search(r"pip install (\"?\$LCRPLAN|lcrplan)", path.read_text()), path


def test_unpinned_scaffold_fails_closed(run, new_repo: Path, tmp_path: Path) -> None:
    # the test install is editable, from a folder: there is no commit to pin
    (repo,) = yaml.safe_load((new_repo / ".pre-commit-config.yaml").read_text())["repos"]
    assert repo["repo"].startswith("https://set-lcrplan-repository.invalid/")
    proc = _install_step(new_repo, "validate.yml", tmp_path / "bin")
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=.github/lcrplan-requirements.txt::")
    assert "pip install" not in proc.stdout


@pytest.mark.parametrize(
    "source",
    [
        "lcrplan",
        "git+https://github.com/acme/lcrplan",
        "git+https://github.com/acme/lcrplan@main",
        "git+http://github.com/acme/lcrplan@v1.0",
        "git+https://github.com/acme/lcrplan@v1.0\n* @attacker",
        "git+file:///tmp/lcrplan@v1.0",
    ],
)
def test_init_refuses_a_source_that_is_not_pinned(run, tmp_path: Path, source: str) -> None:
    result = run("init", tmp_path / "plans", "--source", source)
    assert result.exit_code == 2, result.output
    assert "is not a pinned git source" in result.output
    assert not (tmp_path / "plans").exists()


def test_init_pins_the_commit_pip_recorded(run, tmp_path: Path, monkeypatch) -> None:
    # pip writes direct_url.json (PEP 610) when it installs from a git URL
    dist = tmp_path / "site" / "lcrplan-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lcrplan\nVersion: 0.1.0\n")
    direct = '{"url": "https://github.com/acme/lcrplan.git", "vcs_info": {"vcs": "git", '
    direct += '"commit_id": "' + PIN[-40:] + '", "requested_revision": "v0.1.0"}}'
    (dist / "direct_url.json").write_text(direct)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    result = run("init", tmp_path / "plans")
    assert result.exit_code == 0, result.output
    requirements = (tmp_path / "plans/.github/lcrplan-requirements.txt").read_text()
    assert requirements.splitlines()[-1] == f"lcrplan @ {PIN}"


@pytest.mark.slow
def test_every_file_of_the_package_ships_in_the_wheel(wheel_names: set[str]) -> None:
    """Every sub-package, the scaffold, the problem codes' registry and py.typed (the
    templates: test_report)."""
    files = [p for p in PACKAGE.rglob("*") if p.is_file()]
    shipped = [p for p in files if not {"__pycache__", ".lcrplan-cache"} & set(p.parts)]
    assert {"py.typed", "codes.json", "validate.yml"} <= {p.name for p in shipped}
    for path in shipped:
        assert f"lcrplan/{path.relative_to(PACKAGE).as_posix()}" in wheel_names
