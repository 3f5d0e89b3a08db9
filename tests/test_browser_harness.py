"""The real-browser harness (tests/helpers/browser.py) catches each problem it is there to catch."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import browser as harness

REPO = Path(__file__).resolve().parent.parent

CLEAN = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Clean</title>
<link rel="stylesheet" href="style.css"></head>
<body><main><h1>Clean</h1><svg viewBox="0 0 10 5" width="100%" role="img" aria-label="a box">
<rect width="10" height="5" fill="#1d4f91"/></svg>
<section class="next"><h2>Second part</h2><p>Printed on its own page.</p></section>
</main></body></html>
"""
BROKEN = """<!doctype html><html><head><title>Broken</title>
<link rel="stylesheet" href="../elsewhere.css"></head>
<body><img src="https://example.invalid/logo.png">
<p style="color:#bbbbbb;background:#ffffff">faint text</p>
<div style="width:2000px">wide</div>
<svg width="0" height="10" id="empty"></svg>
<script>console.error("boom"); undefined_function();</script></body></html>
"""


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "style.css").write_text(".next{break-before:page}", encoding="utf-8")
    page = folder / "page.html"
    page.write_text(text, encoding="utf-8")
    return page


@pytest.mark.browser
def test_a_clean_page_passes_every_check(browser, tmp_path):
    visit = browser.open(write(tmp_path / "site", CLEAN), width=390)
    assert [Path(u).name for u in visit.requests] == ["page.html", "style.css"]
    assert visit.outside_requests() == []
    assert visit.console_errors == []
    assert visit.overflow() == 0
    assert visit.empty_svgs() == []
    assert visit.axe_violations() == []
    assert visit.pdf_pages(tmp_path / "clean.pdf") == 2  # the stylesheet's page break


@pytest.mark.browser
def test_each_check_catches_its_problem(browser, tmp_path):
    (tmp_path / "elsewhere.css").write_text("p{}", encoding="utf-8")
    visit = browser.open(write(tmp_path / "site", BROKEN), width=390)
    outside = visit.outside_requests()
    assert "https://example.invalid/logo.png" in outside
    assert any(u.endswith("/elsewhere.css") for u in outside)
    assert any("boom" in e for e in visit.console_errors)
    assert any("undefined_function" in e for e in visit.console_errors)
    assert visit.overflow() >= 2000 - 390
    assert visit.empty_svgs() == ["empty"]
    rules = {v["id"] for v in visit.axe_violations()}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= rules
    assert visit.pdf_pages(tmp_path / "broken.pdf") >= 1


NARROW = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Narrow</title>
<style>td{{width:3.5rem;overflow-wrap:{wrap}}}table{{width:4rem;table-layout:fixed}}{time}</style>
</head><body><main><h1>Narrow</h1><table><tr><td>Overdue</td><td>10,000,000 people</td>
<td><time>2025-01-01</time></td><td>76</td></tr></table><svg width="10" height="10">
<text y="9">Unbreakable-in-svg</text></svg></main></body></html>
"""


@pytest.mark.browser
def test_words_broken_inside_are_found_and_words_kept_whole_are_not(browser, tmp_path):
    """The check on every page at 390 px can fail: a column too narrow for its words, with
    `overflow-wrap:anywhere` (as the tables had before issue 24), breaks them all."""
    broken = browser.open(write(tmp_path / "a", NARROW.format(wrap="anywhere", time="")), width=390)
    found = broken.broken_words()
    for word in ("Overdue", "10,000,000", "2025-01-01"):
        assert f"{word} (td)" in found or f"{word} (time)" in found, found
    assert not [w for w in found if w.startswith("Unbreakable")]  # SVG text does not wrap
    kept = NARROW.format(wrap="normal", time="time{white-space:nowrap}")
    whole = browser.open(write(tmp_path / "b", kept), width=390)
    assert whole.broken_words() == []
    tall = browser.open(write(tmp_path / "c", CLEAN), width=390, height=200)
    assert tall.below_the_fold("h1") == []
    assert tall.below_the_fold("h2") == ["Second part"]


def test_the_browser_is_found_where_it_is_said_to_be(monkeypatch, tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("", encoding="utf-8")
    monkeypatch.setenv("LCRPLAN_CHROMIUM", str(fake))
    assert harness.find_chromium() == str(fake)
    monkeypatch.setenv("LCRPLAN_CHROMIUM", str(tmp_path / "missing"))
    assert harness.find_chromium() is None


def run_pytest(test: Path, source: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run pytest, with the harness as its plugin, on one test file holding `source`."""
    test.write_text(textwrap.dedent(source), encoding="utf-8")
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-rs",
        "-p",
        "tests.helpers.browser",
        "-p",
        "no:cacheprovider",
    ]
    argv += ["-W", "ignore::pytest.PytestUnknownMarkWarning", str(test)]
    return subprocess.run(
        argv,
        cwd=test.parent,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "ci, outcome, words",
    [
        ("", "1 skipped", "no Chromium found"),
        ("true", "1 error", "CI=true on Linux, so the browser tests may not skip"),
    ],
)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CI requires the browser on Linux")
def test_without_a_browser_tests_skip_except_on_linux_ci(tmp_path, ci, outcome, words):
    source = """
        import pytest

        @pytest.mark.browser
        def test_page(browser):
            assert browser
        """
    missing = str(tmp_path / "missing")
    result = run_pytest(tmp_path / "test_needs.py", source, CI=ci, LCRPLAN_CHROMIUM=missing)
    assert outcome in result.stdout, result.stdout
    assert words in result.stdout, result.stdout


def test_an_unmarked_test_may_not_use_the_browser(tmp_path):
    result = run_pytest(tmp_path / "test_unmarked.py", "def test_page(browser):\n    assert 1\n")
    assert result.returncode == 1, result.stdout
    assert "must be marked @pytest.mark.browser" in result.stdout


def test_pages_are_counted_in_a_pdf():
    one = b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 1 >>\n2 0 obj << /Type /Page >>\n"
    assert harness.count_pdf_pages(one) == 1
    assert harness.count_pdf_pages(one + b"3 0 obj <</Type/Page/Parent 1 0 R>>") == 2
