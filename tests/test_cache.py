"""The parse cache: used when files are unchanged, never trusted when they are not."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import subprocess
import sys

import pytest

from lcrplan.loader.load import Warnings, load
from lcrplan.source import cache as cache_module

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


def cached(root):
    """The content of the cache under `root` (fingerprint, code, entries by file, clean), read
    as lcrplan reads it: None when it fails authentication."""
    path = root / cache_module.CACHE_DIR / cache_module.NAME
    frames = cache_module._frames(path.read_bytes(), cache_module.user_key())
    if frames is None:
        return None
    fingerprint, code, clean = marshal.loads(next(frames))
    entries = {rel: tuple(rest) for rel, *rest in map(marshal.loads, frames)}
    return fingerprint, code, entries, clean


def write_signed(root, content, key=None) -> None:
    """Write `content` (as `cached` gives it) as the cache under `root`, signed with `key`
    (this user's by default)."""
    fingerprint, code, entries, clean = content
    records = [(rel, *entry) for rel, entry in entries.items()]
    parts = cache_module.framed(key or cache_module.user_key(), (fingerprint, code, clean), records)
    (root / cache_module.CACHE_DIR / cache_module.NAME).write_bytes(b"".join(parts))


def test_a_cache_left_by_an_older_version_is_ignored_and_removed(synthetic, monkeypatch):
    """The JSON cache of older versions (stamps of size and times, or of a hash) is not read,
    and goes when the new one is written."""
    folder = synthetic / ".lcrplan-cache"
    folder.mkdir()
    old = {"fingerprint": "0.1.0+abc+2", "entries": {"data/lcrplan.yaml": {"size": 1}}}
    (folder / "files.json").write_text(json.dumps(old))
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert len(parsed) > 10
    assert not (folder / "files.json").exists()
    assert cached(synthetic) is not None


def test_a_corrupt_cache_is_ignored_and_repaired(synthetic, monkeypatch):
    load(synthetic, TODAY)
    path = synthetic / ".lcrplan-cache" / "files.bin"
    path.write_bytes(path.read_bytes()[:-100])  # cut short: its MAC no longer matches
    assert cached(synthetic) is None
    loaded = load(synthetic, TODAY)
    assert loaded.errors == []
    assert cached(synthetic)[2]  # written again, with every file
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert parsed == []


def test_a_cache_from_another_version_is_rebuilt(synthetic, monkeypatch):
    load(synthetic, TODAY)
    fingerprint, code, entries, clean = cached(synthetic)
    write_signed(synthetic, ("0.0.0+older", code, entries, clean))
    parsed = count_parses(monkeypatch)
    load(synthetic, TODAY)
    assert len(parsed) > 10
    assert cached(synthetic)[0] == fingerprint


def test_a_planted_cache_file_runs_nothing_and_is_ignored(run, synthetic, tmp_path, monkeypatch):
    """A pull request can commit `.lcrplan-cache/files.bin`. Its code and data must never
    be read: not signed with this user's key, it is ignored, every file is parsed, and the
    cache is replaced by one this user's lcrplan writes."""
    load(synthetic, TODAY)
    fingerprint, _, entries, clean = cached(synthetic)
    marker = tmp_path / "ran"
    code = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    planted = {rel: (*entry[:4], ("planted",)) for rel, entry in entries.items()}
    content = (fingerprint, code, planted, clean)
    path = synthetic / ".lcrplan-cache" / "files.bin"
    write_signed(synthetic, content, key=os.urandom(cache_module.KEY_BYTES))  # the attacker's
    signed_by_another = path.read_bytes()
    for planted_bytes in (signed_by_another, signed_by_another[:-32] + b"\0" * 32):
        path.write_bytes(planted_bytes)
        parsed = count_parses(monkeypatch)
        result = run("status", "--data", synthetic, "--as-of", TODAY.isoformat())
        assert result.exit_code == 0, result.output
        assert not marker.exists()
        assert len(parsed) == len(entries)
        assert cached(synthetic)[2].keys() == entries.keys()
        assert all(e[4] != ("planted",) for e in cached(synthetic)[2].values())


def test_the_key_is_made_once_and_only_its_owner_can_read_it(synthetic):
    load(synthetic, TODAY)
    key = cache_module.fileio.user_cache() / cache_module.KEY_NAME
    made = key.read_bytes()
    assert len(made) == cache_module.KEY_BYTES
    if os.name == "posix":
        assert key.stat().st_mode & 0o077 == 0
    load(synthetic, TODAY)
    assert key.read_bytes() == made


def test_files_with_problems_are_not_cached_and_deleted_files_are_dropped(synthetic):
    broken = synthetic / "plan-0" / "theme-00001.yaml"
    broken.write_text(broken.read_text().replace("kind: goal", "kind: gaol"))
    assert load(synthetic, TODAY).errors
    assert load(synthetic, TODAY).errors, "a broken file is reported on every run"
    entries = cached(synthetic)[2]
    assert "data/plan-0/theme-00001.yaml" not in entries
    assert "data/plan-0/theme-00002.yaml" in entries
    (synthetic / "plan-0" / "theme-00002.yaml").unlink()
    load(synthetic, TODAY)
    entries = cached(synthetic)[2]
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
        "print(sorted(m for m in ('yaml', 'lcrplan.source.yamlio') if m in sys.modules))\n"
    )
    argv = [sys.executable, "-c", code, str(synthetic)]
    cold = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert cold.stdout.strip().splitlines()[-1] == "['lcrplan.source.yamlio', 'yaml']"
    warm = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert warm.stdout.strip().splitlines()[-1] == "[]"


def test_cross_file_checks_rerun_after_any_change(synthetic):
    from lcrplan.loader.load import load_or_raise

    load_or_raise(synthetic, TODAY)
    load_or_raise(synthetic, TODAY)  # unchanged and clean: the checks are skipped
    path = synthetic / "plan-0" / "theme-00005.yaml"
    path.write_text(path.read_text().replace("group: syn-grp-5", "group: syn-grp-9"))
    errors = load(synthetic, TODAY, warnings=Warnings.none).errors
    assert [p.message for p in errors] == ["theme syn-t5: unknown group 'syn-grp-9'"]


def test_clean_data_skips_cross_file_checks_when_nothing_changed(synthetic, monkeypatch):
    from lcrplan.loader import checks as module

    load(synthetic, TODAY, warnings=Warnings.none)
    calls = []
    monkeypatch.setattr(module, "CHECKS", [lambda *a: calls.append(1) or iter(())])
    load(synthetic, TODAY, warnings=Warnings.none)
    assert calls == []
    # validate wants warnings: what the checks found in these very files was kept (see below)
    load(synthetic, TODAY, warnings=Warnings.located)
    assert calls == []


def test_a_clean_cache_is_not_rewritten(run, synthetic, monkeypatch):
    # files count as settled at once (else the cache is written again once, when they settle)
    monkeypatch.setattr(cache_module.fileio, "SETTLE_NS", 0)
    assert run("validate", "--data", synthetic).exit_code == 0
    files = synthetic / ".lcrplan-cache" / "files.bin"
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
    from lcrplan.loader import validate

    load(synthetic, TODAY, warnings=Warnings.none)
    path = synthetic / "plan-0" / "theme-00005.yaml"
    path.write_text(path.read_text().replace("group: syn-grp-5", "group: syn-grp-9"))
    real = validate.read_stamped

    def changing(path, rel, max_bytes=None):
        text, problems, _ = real(path, rel, max_bytes)
        return text, problems, None

    monkeypatch.setattr(validate, "read_stamped", changing)
    errors = load(synthetic, TODAY, warnings=Warnings.none).errors
    assert [p.message for p in errors] == ["theme syn-t5: unknown group 'syn-grp-9'"]


def test_a_cache_of_files_just_written_is_written_again_once_they_settle(synthetic, monkeypatch):
    """A file read within two seconds of a change is known by its bytes alone (its stat could
    stand for two contents); once it has settled, its stat is kept, so later runs do not read
    it, and the cache is not written again."""
    from lcrplan.source import fileio

    monkeypatch.setattr(fileio, "SETTLE_NS", 10**18)  # nothing has settled yet
    load(synthetic, TODAY)
    assert all(entry[2] is None for entry in cached(synthetic)[2].values())
    monkeypatch.setattr(fileio, "SETTLE_NS", 0)  # now everything has
    load(synthetic, TODAY)
    assert all(entry[2] is not None for entry in cached(synthetic)[2].values())
    files = synthetic / ".lcrplan-cache" / "files.bin"
    written = files.stat().st_mtime_ns
    reads = []
    real = fileio.Stamp.of
    monkeypatch.setattr(fileio.Stamp, "of", lambda *a: reads.append(1) or real(*a))
    load(synthetic, TODAY, warnings=Warnings.none)  # (warnings are placed by reading files)
    assert reads == [] and files.stat().st_mtime_ns == written


def test_cross_file_findings_are_kept_while_the_files_are_unchanged(synthetic, monkeypatch):
    """validate reports every warning on every run: the checks that do not depend on the day
    are not run again on the same files (their findings are kept beside the cache), the others
    are; any change runs them all."""
    from lcrplan.loader import checks as module

    first = load(synthetic, TODAY)
    assert any(p.severity == "warning" for p in first.problems)
    calls: list[str] = []

    def counted(check):
        def run(*args):
            calls.append(check.__name__)
            return check(*args)

        run.__name__ = check.__name__
        return run

    monkeypatch.setattr(module, "CHECKS", [counted(c) for c in module.CHECKS])
    from lcrplan.source import yamlio

    composed = []
    real_compose = yamlio.compose
    monkeypatch.setattr(yamlio, "compose", lambda text: composed.append(1) or real_compose(text))
    again = load(synthetic, TODAY)
    assert again.problems == first.problems
    assert sorted(calls) == sorted(module.DATED)
    assert composed == []  # each warning's line and column was kept with it
    calls.clear()
    path = synthetic / "plan-0" / "theme-00005.yaml"
    path.write_text(path.read_text().replace("Synthetic goal 5", "Goal 5"))
    changed = load(synthetic, TODAY)
    assert len(calls) == len(module.CHECKS)
    assert changed.problems == first.problems
