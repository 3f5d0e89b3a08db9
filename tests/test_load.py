"""The loader's own policies, below any command: where warnings are placed, the index it gives."""

from __future__ import annotations

import datetime as dt

from lcrplan.loader import load as load_module
from lcrplan.loader.load import Warnings, load

from .conftest import theme_file, write_tree

TODAY = dt.date(2026, 11, 21)
LONELY = "- id: lonely-{n}\n  title: No KPI {n}\n  source: {{document: doc}}\n"


def _warned(data_dir, files: int):
    for n in range(files):
        write_tree(data_dir, {f"theme-{n}.yaml": theme_file(LONELY.format(n=n), f"theme-{n}")})
    return data_dir


def test_summary_warnings_are_placed_while_they_span_few_files(data_dir, monkeypatch):
    data = _warned(data_dir, 3)
    placed = load(data, TODAY, warnings=Warnings.summary).problems
    assert [(p.file, p.line, p.column) for p in placed] == [
        (f"data/theme-{n}.yaml", 9, 12) for n in range(3)
    ]
    monkeypatch.setattr(load_module, "LOCATE_FILES", 2)  # three files: too many to place
    unplaced = load(data, TODAY, warnings=Warnings.summary).problems
    assert [(p.file, p.line, p.message) for p in unplaced] == [
        (f"data/theme-{n}.yaml", 0, f"goal lonely-{n}: has no KPI") for n in range(3)
    ]
    located = load(data, TODAY, warnings=Warnings.located).problems
    assert located == placed, "validate places every warning, however many files"
    assert load(data, TODAY, warnings=Warnings.none).problems == []


def test_the_index_is_the_one_the_checks_used_or_built_once(data_dir):
    data = _warned(data_dir, 1)
    checked = load(data, TODAY, warnings=Warnings.located)
    assert checked.built_index is not None and checked.index is checked.built_index
    load(data, TODAY, warnings=Warnings.none)  # clean: marks the cache
    skipped = load(data, TODAY, warnings=Warnings.none)  # unchanged and clean: no checks run
    assert skipped.built_index is None
    assert skipped.index is skipped.index and "lonely-0" in skipped.index.goals


def test_files_parsed_in_forked_processes_load_as_in_one(tmp_path, monkeypatch):
    """Many files are shared out between forked processes (Linux): the same data set and the
    same problems, in the same order, as one process finds; a file with a problem is
    validated again in this one, so its problems read as always."""
    from lcrplan.loader import forks
    from lcrplan.loader import load as module

    from .synth import generate

    data = generate(tmp_path / "data", 60)
    broken = data / "plan-0" / "theme-00007.yaml"
    broken.write_text(broken.read_text().replace("kind: goal", "kind: gaol"))
    serial = module.load(data, dt.date(2026, 1, 15), use_cache=False)
    monkeypatch.setattr(module, "FORK_FROM", 2)
    monkeypatch.setattr(forks, "workers", lambda: 3)
    for use_cache in (False, True, True):  # without a cache, then cold, then warm
        shared = module.load(data, dt.date(2026, 1, 15), use_cache=use_cache)
        assert shared.data == serial.data
        assert shared.problems == serial.problems and serial.errors
        assert [r.rel for r in shared.files] == [r.rel for r in serial.files]


def test_a_forked_process_that_fails_leaves_its_share_to_this_one(tmp_path, monkeypatch):
    import os

    from lcrplan.loader import forks
    from lcrplan.loader import load as module

    from .synth import generate

    data = generate(tmp_path / "data", 30)
    serial = module.load(data, dt.date(2026, 1, 15), use_cache=False)
    here = os.getpid()
    real = module.validate_file

    def only_here(*args):
        if os.getpid() != here:
            raise RuntimeError("a forked process fails")
        return real(*args)

    monkeypatch.setattr(module, "validate_file", only_here)
    monkeypatch.setattr(module, "FORK_FROM", 2)
    monkeypatch.setattr(forks, "workers", lambda: 2)
    shared = module.load(data, dt.date(2026, 1, 15), use_cache=False)
    assert shared.data == serial.data and shared.problems == serial.problems
