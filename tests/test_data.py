"""The real data in data/: it validates, and every quote is verbatim in its source document."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lcrplan.load import load

from .conftest import DATA, SOURCES


@pytest.fixture(scope="module")
def loaded():
    return load(DATA, dt.date.today(), use_cache=False)


def test_real_data_has_no_errors(loaded):
    assert loaded.errors == [], "\n".join(p.text() for p in loaded.errors)


def _quotes(value: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, document id, quote) for every source with a quote, however deep."""
    if isinstance(value, dict):
        if "document" in value and value.get("quote"):
            yield path, value["document"], value["quote"]
        for key, inner in value.items():
            yield from _quotes(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _quotes(inner, f"{path}[{i}]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(
    not SOURCES.is_dir(), reason="text copies of the sources are not beside the repo"
)
def test_every_quote_is_verbatim_in_its_document(loaded):
    files = {d.id: d.file for d in loaded.data.documents}
    texts = {
        doc: _squash((SOURCES / name).read_text(encoding="utf-8"))
        for doc, name in files.items()
        if name and (SOURCES / name).exists()
    }
    assert set(texts) == set(files), "every document should have its text copy"
    checked, missing = 0, []
    for result in loaded.files:
        if result.model is None:
            continue
        for where, doc, quote in _quotes(result.model.model_dump(mode="json")):
            checked += 1
            if _squash(quote) not in texts[doc]:
                missing.append(f"{result.rel}{where}: {quote!r}")
    assert not missing, "quotes not found verbatim:\n" + "\n".join(missing)
    assert checked > 100


def test_no_progress_is_invented_where_the_documents_state_none(loaded):
    """The Music Board and CI documents state no progress: no measurement, nothing done."""
    for tf in loaded.data.themes:
        if tf.theme.plan in ("mb-priorities-2026", "ci-strategy"):
            for goal in tf.goals:
                for kpi in goal.kpis:
                    assert not kpi.measurements, kpi.id
                    assert getattr(kpi, "done", None) is None, kpi.id


def test_every_data_file_starts_with_a_schema_line():
    for path in sorted(DATA.rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert re.match(
            r"# yaml-language-server: \$schema=(\.\./)*schema/\w+\.schema\.json$", first
        ), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.parent == (DATA / "schema").resolve(), path


def test_measurement_sources_cite_known_documents(loaded):
    known = {d.id for d in loaded.data.documents}
    assert known == {"music-board-subgroups-2026", "ci-strategy-2025", "lis-draft-2020"}
    assert Path(DATA / "README.md").exists()


def test_every_statistic_cites_its_place(loaded):
    """Each measurement in data/ is a figure a document states: it names document and lines."""
    from lcrplan.models import Source

    count = 0
    for tf in loaded.data.themes:
        assert tf.theme.source.lines, tf.theme.id
        for goal in tf.goals:
            assert goal.source.lines, goal.id
            for kpi in goal.kpis:
                assert kpi.source.lines, kpi.id
                for meas in kpi.measurements:
                    count += 1
                    assert isinstance(meas.source, Source), (kpi.id, meas.date)
                    assert meas.source.document == "lis-draft-2020" and meas.source.lines
    assert count == 71
