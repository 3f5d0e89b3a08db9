"""The real data in data/: it validates, and every quote is verbatim on the lines it cites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lcrplan

from .conftest import DATA, SOURCES, TODAY


@pytest.fixture(scope="module")
def loaded():
    return lcrplan.load(DATA, today=TODAY)


def test_real_data_has_no_errors(loaded):
    assert loaded.errors == [], "\n".join(p.text() for p in loaded.errors)


def _quotes(value: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, source) for every source with a quote, however deep."""
    if isinstance(value, dict):
        if "document" in value and value.get("quote"):
            yield path, value
        for key, inner in value.items():
            yield from _quotes(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _quotes(inner, f"{path}[{i}]")


def _squash(text: str) -> str:
    """One space for any run of whitespace; a word hyphenated across a line break joined up
    ("socio-\neconomic" -> "socio-economic"), as the text copies break lines mid-word."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "-", text)).strip()


def _cited(lines: list[str], cited: str) -> str:
    """The cited lines ("170" or "170-175", 1-based, inclusive) as one squashed text."""
    first, _, last = cited.partition("-")
    return _squash("\n".join(lines[int(first) - 1 : int(last or first)]))


def _misplaced(lines: list[str], cited: str | None, quote: str) -> str | None:
    """Why `quote` does not rest on its cited lines, or None when it does. The quote may wrap
    across the cited lines; it must not reach outside them."""
    if not cited:
        return "a quote must cite its lines"
    if _squash(quote) in _cited(lines, cited):
        return None
    whole = _squash("\n".join(lines))
    if _squash(quote) not in whole:
        return "not found verbatim in the document"
    found = [i + 1 for i, line in enumerate(lines) if _squash(quote)[:30] in _squash(line)]
    return f"not inside lines {cited}" + (f" (starts on line {found[0]}?)" if found else "")


def test_a_quote_must_lie_inside_its_cited_lines():
    text = ["First line of the", "document, which wraps and is socio-", "economic.", "Other text."]
    assert _misplaced(text, "1-2", "of the document, which wraps") is None
    assert _misplaced(text, "2-3", "is socio-economic.") is None
    assert _misplaced(text, "1", "of the document") == "not inside lines 1"
    assert _misplaced(text, "4", "First line") == "not inside lines 4 (starts on line 1?)"
    assert _misplaced(text, "3-4", "wraps and is") == "not inside lines 3-4 (starts on line 2?)"
    assert _misplaced(text, "1-4", "First lines") == "not found verbatim in the document"
    assert _misplaced(text, None, "First line") == "a quote must cite its lines"


@pytest.mark.skipif(
    not SOURCES.is_dir(), reason="text copies of the sources are not beside the repo"
)
def test_every_quote_is_verbatim_in_its_cited_lines(loaded):
    files = {d.id: d.file for d in loaded.data.documents}
    texts = {
        doc: (SOURCES / name).read_text(encoding="utf-8").splitlines()
        for doc, name in files.items()
        if name and (SOURCES / name).exists()
    }
    assert set(texts) == set(files), "every document should have its text copy"
    checked, wrong = 0, []
    for result in loaded.files:
        if result.model is None:
            continue
        for where, source in _quotes(result.model.model_dump(mode="json")):
            checked += 1
            why = _misplaced(texts[source["document"]], source.get("lines"), source["quote"])
            if why:
                wrong.append(f"{result.rel}{where}: {why}: {source['quote']!r}")
    assert not wrong, "quotes not on their cited lines:\n" + "\n".join(wrong)
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
    from lcrplan.core.model_base import Source

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
    assert count == 66  # tests/test_data_counts.py says how they are counted
