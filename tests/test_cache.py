"""The parse cache: used when files are unchanged, never trusted when they are not."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from lcrplan.load import Warnings, load

from .conftest import count_parses
from .synth import generate

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def synthetic(tmp_path):
    return generate(tmp_path / "data", 30)


def test_second_run_parses_nothing(synthetic, monkeypatch):
    parsed = count_parses(monkeypatch)
    first = load(synthetic, TODAY)
    assert len(parsed) == len(first.files) > 10
    parsed.clear()
    second = load(synthetic, TODAY)
    assert parsed == []
    assert second.data == first.data
    assert second.problems == first.problems


def test_an_edited_file_is_parsed_again(synthetic, monkeypatch):
    load(synthetic, TODAY)
    parsed = count_parses(monkeypatch)
    path = synthetic / "plan-0" / "theme-00003.yaml"
    path.write_text(path.read_text().replace("Synthetic goal 3", "Renamed goal 3"))
    loaded = load(synthetic, TODAY)
    assert parsed == ["data/plan-0/theme-00003.yaml"]
    titles = {g.id: g.title for t in loaded.data.themes for g in t.goals}
    assert titles["syn-g3"] == "Renamed goal 3"


def test_a_same_size_edit_within_the_same_second_is_seen(synthetic):
    load(synthetic, TODAY)
    path = synthetic / "plan-0" / "theme-00004.yaml"
    before = path.stat()
    path.write_text(path.read_text().replace("Synthetic goal 4", "Synthetic goal X"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    titles = {g.id: g.title for t in load(synthetic, TODAY).data.themes for g in t.goals}
    assert titles["syn-g4"] == "Synthetic goal X"  # the bytes differ, whatever the times say


def test_a_file_only_touched_is_not_parsed_again(synthetic, monkeypatch):
    """A checkout or a copy that rewrites a file with the same bytes keeps its cache entry."""
    load(synthetic, TODAY)
    path = synthetic / "plan-0" / "theme-00004.yaml"
    path.write_bytes(path.read_bytes())
    later = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(later, later))
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert parsed == []


def test_a_cache_stamped_by_times_is_rebuilt(synthetic, monkeypatch):
    """A cache an older lcrplan wrote (stamps of size and times) is not trusted."""
    load(synthetic, TODAY)
    cache = synthetic / ".lcrplan-cache" / "files.json"
    content = json.loads(cache.read_text())
    content["fingerprint"] = content["fingerprint"].rsplit("+", 1)[0]
    for entry in content["entries"].values():
        entry.update(mtime_ns=1, ctime_ns=1)
        del entry["sha256"]
    cache.write_text(json.dumps(content))
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert len(parsed) > 10


def test_a_corrupt_cache_is_ignored_and_repaired(synthetic, monkeypatch):
    load(synthetic, TODAY)
    cache = synthetic / ".lcrplan-cache" / "files.json"
    cache.write_text('{"fingerprint": "x", "entries": {"trunc')
    loaded = load(synthetic, TODAY)
    assert loaded.errors == []
    assert json.loads(cache.read_text())["entries"]
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert parsed == []


def test_a_cache_from_another_version_is_rebuilt(synthetic, monkeypatch):
    load(synthetic, TODAY)
    cache = synthetic / ".lcrplan-cache" / "files.json"
    content = json.loads(cache.read_text())
    content["fingerprint"] = "0.0.0+older"
    cache.write_text(json.dumps(content))
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert len(parsed) > 10


def test_files_with_problems_are_not_cached_and_deleted_files_are_dropped(synthetic):
    broken = synthetic / "plan-0" / "theme-00001.yaml"
    broken.write_text(broken.read_text().replace("kind: goal", "kind: gaol"))
    assert load(synthetic, TODAY).errors
    assert load(synthetic, TODAY).errors, "a broken file is reported on every run"
    entries = json.loads((synthetic / ".lcrplan-cache" / "files.json").read_text())["entries"]
    assert "data/plan-0/theme-00001.yaml" not in entries
    assert "data/plan-0/theme-00002.yaml" in entries
    (synthetic / "plan-0" / "theme-00002.yaml").unlink()
    load(synthetic, TODAY)
    entries = json.loads((synthetic / ".lcrplan-cache" / "files.json").read_text())["entries"]
    assert "data/plan-0/theme-00002.yaml" not in entries


def test_no_cache_writes_nothing(run, synthetic):
    result = run("status", "--data", synthetic, "--no-cache", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not (synthetic / ".lcrplan-cache").exists()


def test_read_commands_do_not_import_writers_or_templates(synthetic):
    code = (
        "import sys\nfrom lcrplan.cli import app\n"
        "try:\n    app(['status', '--data', sys.argv[1], '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('ruamel', 'jinja2', 'rich.table') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(synthetic)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_cached_run_does_not_load_the_yaml_reader(synthetic):
    code = (
        "import sys\nfrom lcrplan.cli import app\n"
        "try:\n    app(['status', '--data', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml', 'lcrplan.yamlio') if m in sys.modules))\n"
    )
    argv = [sys.executable, "-c", code, str(synthetic)]
    cold = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert cold.stdout.strip().splitlines()[-1] == "['lcrplan.yamlio', 'yaml']"
    warm = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert warm.stdout.strip().splitlines()[-1] == "[]"


def test_cross_file_checks_rerun_after_any_change(synthetic):
    from lcrplan.load import load_or_raise

    load_or_raise(synthetic, TODAY)
    load_or_raise(synthetic, TODAY)  # unchanged and clean: the checks are skipped
    path = synthetic / "plan-0" / "theme-00005.yaml"
    path.write_text(path.read_text().replace("group: syn-grp-5", "group: syn-grp-9"))
    errors = load(synthetic, TODAY, warnings=Warnings.none).errors
    assert [p.message for p in errors] == ["theme syn-t5: unknown group 'syn-grp-9'"]


def test_clean_data_skips_cross_file_checks_when_nothing_changed(synthetic, monkeypatch):
    from lcrplan import checks as module

    load(synthetic, TODAY, warnings=Warnings.none)
    calls = []
    monkeypatch.setattr(module, "CHECKS", [lambda *a: calls.append(1) or iter(())])
    load(synthetic, TODAY, warnings=Warnings.none)
    assert calls == []
    load(synthetic, TODAY, warnings=Warnings.located)  # validate wants warnings: it always checks
    assert calls == [1]


def test_a_clean_cache_is_not_rewritten(run, synthetic):
    assert run("validate", "--data", synthetic).exit_code == 0
    files = synthetic / ".lcrplan-cache" / "files.json"
    ids = synthetic / ".lcrplan-cache" / "ids.json"
    stamps = (files.stat().st_mtime_ns, ids.stat().st_mtime_ns)
    for command in ("validate", "status", "report"):
        assert run(command, "--data", synthetic).exit_code == 0
    assert (files.stat().st_mtime_ns, ids.stat().st_mtime_ns) == stamps


def test_a_corrupt_id_index_is_ignored_and_written_again(run, synthetic, monkeypatch):
    assert run("status", "--data", synthetic).exit_code == 0
    ids = synthetic / ".lcrplan-cache" / "ids.json"
    ids.write_text('{"fingerprint": "x", "files"', encoding="utf-8")
    args = ("--date", "2026-01-10", "--data", synthetic)
    assert run("record", "syn-g3-k0", "7", *args).exit_code == 0  # by loading everything
    assert json.loads(ids.read_text(encoding="utf-8"))["items"]["syn-g3-k0"].endswith(
        "theme-00003.yaml"
    )
    parsed = count_parses(monkeypatch)
    assert run("record", "syn-g5-k0", "8", *args).exit_code == 0  # through the index again
    assert [rel for rel in parsed if "theme-" in rel] == ["data/plan-0/theme-00005.yaml"] * 2


def test_a_file_that_changed_while_it_was_read_is_checked_again(synthetic, monkeypatch):
    """It is parsed but not cached (its stamp is unknown): the cross-file checks must run, as
    for any file that did not come from the cache."""
    from lcrplan import load as load_module

    load(synthetic, TODAY, warnings=Warnings.none)
    path = synthetic / "plan-0" / "theme-00005.yaml"
    path.write_text(path.read_text().replace("group: syn-grp-5", "group: syn-grp-9"))
    real = load_module.read_stamped

    def changing(path, rel, max_bytes=None):
        text, problems, _ = real(path, rel, max_bytes)
        return text, problems, None

    monkeypatch.setattr(load_module, "read_stamped", changing)
    errors = load(synthetic, TODAY, warnings=Warnings.none).errors
    assert [p.message for p in errors] == ["theme syn-t5: unknown group 'syn-grp-9'"]
