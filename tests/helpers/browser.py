"""Real-browser checks: the system's headless Chromium, driven by Playwright.

Playwright is given the browser's path (`executable_path`), so nothing is downloaded. A test
that asks for the `browser` fixture must be marked `browser`; it is skipped with the reason
when no Chromium is found, except on Linux with `CI=true`, where that is a failure (`.ci/run`
installs Debian's `chromium`), so CI cannot pass by skipping them.

    @pytest.mark.browser
    def test_page(browser, tmp_path):
        visit = browser.open(tmp_path / "index.html", width=390)
        assert visit.console_errors == []
        assert visit.outside_requests() == []
        assert visit.overflow() == 0
        assert visit.empty_svgs() == []
        assert visit.axe_violations() == []
        assert visit.pdf_pages(tmp_path / "page.pdf") == 1

The plain functions (`find_chromium`, `launch`) serve the chart benchmark too.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CANDIDATES = ("/usr/bin/chromium", "chromium", "google-chrome")
SERIOUS = ("serious", "critical")
TIMEOUT_MS = 30_000


def find_chromium() -> str | None:
    """`$LCRPLAN_CHROMIUM`, then Debian's /usr/bin/chromium, then `chromium` or
    `google-chrome` on PATH; None when there is none."""
    given = os.environ.get("LCRPLAN_CHROMIUM")
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in CANDIDATES:
        found = name if Path(name).is_file() else shutil.which(name)
        if found:
            return found
    return None


def browser_required() -> bool:
    """On Linux CI a missing browser fails the browser tests instead of skipping them."""
    return os.environ.get("CI") == "true" and sys.platform.startswith("linux")


NO_BROWSER = (
    "no Chromium found: set LCRPLAN_CHROMIUM to a Chromium or Chrome binary, or install "
    "Debian's chromium package (.ci/run does, as root)"
)


@dataclass
class Visit:
    """A page loaded at a viewport width, with every request and console error it caused."""

    page: Any  # playwright.sync_api.Page
    folder: Path
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Every request that is not for a file inside the page's folder (the network, a
        `data:` URL, a file elsewhere)."""
        return [url for url in self.requests if not _inside(url, self.folder)]

    def overflow(self) -> int:
        """How many CSS pixels the page scrolls sideways (0: it fits the viewport)."""
        return int(
            self.page.evaluate(
                "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                " - document.documentElement.clientWidth"
            )
        )

    def svg_sizes(self) -> list[tuple[str, float, float]]:
        """(id or aria-labelledby, width, height) of every `svg` as laid out, leaving out those
        not laid out at all (`display:none`, such as a timeline's phone version on a desktop)."""
        return [
            (name, float(w), float(h))
            for name, w, h in self.page.evaluate(
                """[...document.querySelectorAll('svg')].filter(s => s.getClientRects().length)
                .map(s => {
                    const r = s.getBoundingClientRect();
                    return [s.id || s.getAttribute('aria-labelledby') || '', r.width, r.height];
                })"""
            )
        ]

    def empty_svgs(self) -> list[str]:
        """The `svg` elements drawn with no area (a zero width or height)."""
        return [name for name, w, h in self.svg_sizes() if w <= 0 or h <= 0]

    def axe_violations(self, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
        """axe-core's violations of the given impacts (serious and critical by default):
        rule id, impact, help text and the elements, short enough to read in a failure."""
        from axe_playwright_python.sync_playwright import Axe

        found = Axe().run(self.page).response["violations"]
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in found
            if v["impact"] in impacts
        ]

    def broken_words(self) -> list[str]:
        """Every word drawn across two lines (`1,00` / `0`, `Over` / `due`, `2025-01-` / `01`),
        as `word (tag)`: a date, a number with its separators and a word with its apostrophes
        count as one word each; a break at a space, a slash or between an id's parts does not
        count. A word's boxes (`Range.getClientRects`, one per line it is on) that sit on two
        lines make it broken. Text in SVG (which does not wrap) and hidden text are left out."""
        return list(self.page.evaluate(BROKEN_WORDS_SCRIPT))

    def height(self) -> int:
        """The page's height in CSS pixels (how far a reader scrolls)."""
        return int(self.page.evaluate("document.documentElement.scrollHeight"))

    def below_the_fold(self, selector: str) -> list[str]:
        """The elements matching `selector` whose bottom is below the first screen (or that are
        not drawn at all), as their text: what a reader must scroll to see."""
        return list(
            self.page.evaluate(
                """(selector) => [...document.querySelectorAll(selector)]
                    .filter(e => {
                        const r = e.getBoundingClientRect();
                        return !r.height || r.bottom > window.innerHeight;
                    })
                    .map(e => e.textContent.trim().slice(0, 60) || e.tagName)""",
                selector,
            )
        )

    def pdf_text(self, path: Path) -> list[str]:
        """Print the page to an A4 PDF at `path` and give each page's text (poppler's
        `pdftotext`, with the layout kept); skips the test where poppler is not installed."""
        self.pdf_pages(path)
        return pdf_text(path)

    def pdf_pages(self, path: Path) -> int:
        """Print the page to an A4 PDF at `path`, as a reader's browser would; its page count."""
        self.page.emulate_media(media="print")
        self.page.pdf(path=str(path), format="A4", print_background=True)
        self.page.emulate_media(media="screen")
        return count_pdf_pages(path.read_bytes())


BROKEN_WORDS_SCRIPT = r"""() => {
    const word = /\d{4}-\d{2}-\d{2}|[\p{L}\p{N}\p{M}]+(?:['’.,:%][\p{L}\p{N}\p{M}]+)*%?/gu;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    const broken = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('svg, script, style')) continue;
        for (const found of node.data.matchAll(word)) {
            if (found[0].length < 2) continue;
            range.setStart(node, found.index);
            range.setEnd(node, found.index + found[0].length);
            const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
            if (rects.length < 2) continue;
            const tops = rects.map(r => r.top), low = Math.min(...rects.map(r => r.height));
            if (Math.max(...tops) - Math.min(...tops) > low / 2) {
                broken.push(`${found[0]} (${parent.tagName.toLowerCase()})`);
            }
        }
    }
    return broken;
}"""


def pdf_text(path: Path) -> list[str]:
    """The text of each page of the PDF at `path`, by poppler's `pdftotext` (Chromium writes
    the PDF; reading it back needs no Python package). Skips the test without poppler."""
    import subprocess

    found = shutil.which("pdftotext")
    if found is None:
        if browser_required():
            pytest.fail("pdftotext not found: install poppler-utils (.ci/run does)")
        pytest.skip("pdftotext not found: install poppler-utils to read printed pages back")
    done = subprocess.run(
        [found, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    pages = done.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF as Chromium writes it (page dictionaries are not compressed)."""
    return len(_PAGE.findall(pdf))


def _inside(url: str, folder: Path) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return url == "about:blank"
    path = Path(url2pathname(unquote(parts.path))).resolve()
    return path.is_relative_to(folder.resolve())


class Browser:
    """One headless Chromium with an empty profile; `open` gives each page its own tab."""

    def __init__(self, context: Any) -> None:
        self.context = context

    def open(self, path: Path, width: int, height: int = 900) -> Visit:
        """Load a local file at a viewport `width` (CSS pixels), recording what it asks for.
        Requests for anything but a local file are recorded and then refused, so no test
        reaches the network."""
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        visit = Visit(page, path.parent)
        page.on("request", lambda request: visit.requests.append(request.url))
        page.on(
            "console",
            lambda message: message.type == "error" and visit.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
        page.goto(path.resolve().as_uri(), wait_until="load")
        return visit


def _refuse_network(route: Any) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


@contextmanager
def launch(executable: str, profile: Path) -> Iterator[Browser]:
    """Headless Chromium at `executable`, with a new empty profile folder `profile`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", _refuse_network)
        try:
            yield Browser(context)
        finally:
            context.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; skips the test without one (fails on Linux CI)."""
    found = find_chromium()
    if found is None:
        if browser_required():
            pytest.fail(f"{NO_BROWSER}; CI=true on Linux, so the browser tests may not skip")
        pytest.skip(NO_BROWSER)
    return found


@pytest.fixture(scope="session")
def _browser_session(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with launch(chromium, tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """A headless Chromium shared by the session; each test's pages are closed after it."""
    if request.node.get_closest_marker("browser") is None:
        # unmarked, `-m "not browser"` could not leave it out
        pytest.fail("a test that uses the browser fixture must be marked @pytest.mark.browser")
    session: Browser = request.getfixturevalue("_browser_session")
    yield session
    for page in session.context.pages:
        page.close()
