"""The benchmarks' data sets are valid data: a benchmark of a command that stops at an error
times the error path, not the work (`make bench` also fails on any non-zero exit)."""

from __future__ import annotations

from .conftest import DATA
from .synth import generate, multiply_real


def test_synthetic_data_validates(run, tmp_path):
    data = generate(tmp_path / "data", 40)
    result = run("validate", "--data", data, "--quiet", "--no-cache")
    assert result.exit_code == 0, result.output


def test_copies_of_the_real_data_validate_with_its_settings(run, tmp_path):
    data = multiply_real(DATA, tmp_path / "data", 2)
    result = run("validate", "--data", data, "--quiet", "--no-cache")
    assert result.exit_code == 0, result.output
    # each copy keeps the real data's suppressions (one for the LIS) and the day tracking of
    # its plans began, so they still apply
    assert (data / "lcrplan.yaml").read_text(encoding="utf-8").count("plan: lis-2020-c0") == 4
    status = run("status", "--data", data, "--as-of", "2026-11-30", "--no-cache")
    assert status.exit_code == 0, status.output
