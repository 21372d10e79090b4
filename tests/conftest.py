"""Shared fixtures: the built site, and where the project lives.

The site is built once per test run, by the same command `nox -s docs` runs.
Sphinx and sphinx-gallery rebuild only what changed, so after a fresh
`nox -s docs` this costs a few seconds; on a clean clone it is the full build.

Under pytest-xdist (`nox -s tests` starts one worker per core) the first worker that needs
the site builds it while the others wait on a lock; the rest read that build's result.

`pytest --built-site DIR` tests an already built site instead (DIR is what the build wrote
into build/html, e.g. the site a publish job is about to deploy): no build runs, and the
tests that need more than the HTML (the build's log) are skipped, naming why.

The fast tier (`pytest -m unit`, `nox -s unit`) runs in a light environment without torch
or a browser, so this module imports no playwright at module level: the `browser` fixture
imports it.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from pwe_sphinx.gallery.threads import thread_environment

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.relative_to(ROOT) for p in ROOT.glob("examples_*/*.py"))
LANGUAGES = ("en", "zh_CN")
# Every program the tests start (an example on its own, a notebook's kernel) and torch in this
# process use the build's fixed thread count, so that they print the digits the pages show.
os.environ.update(thread_environment())
# Where the site says it is published (absolute links start here).
SITE_URL = runpy.run_path(str(ROOT / "conf.py"))["pwe_site_url"]


@dataclass(frozen=True)
class BuiltSite:
    html: Path  # build/html
    started_at: float  # time.time() when the build began
    log: str
    prebuilt: bool = False  # given by --built-site: no build ran here, so there is no log

    def build_log(self) -> str:
        """The build's output; skips the test when the site was built elsewhere (--built-site)."""
        if self.prebuilt:
            pytest.skip("--built-site: the site was built elsewhere, so its build log is not here")
        return self.log

    def page(self, language: str, name: str, originals: bool = False) -> BeautifulSoup:
        """Parse build/html/<language>/<name>.html, as a reader sees it at first: without the
        hidden English originals of 中英对照 (pwe_sphinx.i18n.bilingual) unless ``originals``."""
        path = self.html / language / f"{name}.html"
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if not originals:
            for original in page.select(".pwe-original[hidden]"):
                original.decompose()
        return page

    def file_at(self, url: str) -> Path:
        """The file under build/html that serves ``url``, an address under the site's."""
        assert url.startswith(SITE_URL), f"{url} is not under the site's address {SITE_URL}"
        relative = unquote(urlsplit(url.removeprefix(SITE_URL)).path)
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.html / relative


# The modules that take longest (measured: "Test suite time" in MAINTAINING.md), run first so that
# on a pytest worker per core the run does not end with one worker busy on a long module and the
# other idle. The order changes no result; a module not named keeps its place after these.
LONGEST_MODULES = ("test_shards_build.py", "test_page_quality.py", "test_exercises_site.py", "test_notebooks.py",
                   "test_translation.py", "test_search.py", "test_site.py", "test_serve.py", "test_lesson_style.py",
                   "test_build_failures.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_MODULES.index(name) if name in LONGEST_MODULES else len(LONGEST_MODULES)

    items.sort(key=rank)  # stable: within a module, and among the others, pytest's order stays


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--built-site", metavar="DIR", default=None,
        help="test the site already built in DIR (e.g. build/html) instead of building one",
    )


@pytest.fixture(autouse=True)
def no_translator_left_behind():
    """Sphinx's translators are process-wide: a tiny Chinese build in this process would otherwise
    speak Chinese in whichever English build a later test (on this pytest worker) runs."""
    yield
    locale = sys.modules.get("sphinx.locale")
    if locale is not None:
        locale.translators.clear()


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> BuiltSite:
    built = request.config.getoption("--built-site")
    if built is not None:
        html = Path(built).resolve()
        assert (html / "en" / "index.html").is_file(), f"--built-site {built}: no en/index.html there"
        return BuiltSite(html=html, started_at=0.0, log="", prebuilt=True)
    # Under pytest-xdist each worker has its own session: the first to take the lock builds, and
    # the others read its result, so the site is built once per run and never read half-written.
    own = request.getfixturevalue("tmp_path_factory").getbasetemp()
    shared = own.parent if hasattr(request.config, "workerinput") else own  # the run's, not the worker's
    with (shared / "site-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = shared / "site-build.json"
        if not record.is_file():
            record.write_text(json.dumps(build_the_site()), encoding="utf-8")
        result = json.loads(record.read_text(encoding="utf-8"))
    assert result["returncode"] == 0, f"the site build failed:\n{result['log'][-6000:]}"
    return BuiltSite(html=ROOT / "build" / "html", started_at=result["started_at"], log=result["log"])


def build_the_site() -> dict[str, object]:
    """Run the build `nox -s docs` runs: its exit status, output and start time."""
    started_at = time.time()
    result = subprocess.run([sys.executable, "-m", "pwe_sphinx.tools.sitebuild"], cwd=ROOT, capture_output=True, text=True)
    return {"returncode": result.returncode, "log": result.stdout + result.stderr, "started_at": started_at}


@pytest.fixture
def built_project_copy(site: BuiltSite, tmp_path: Path) -> Path:
    """A copy of the project as the site build left it: the examples' output in docs/ is kept, so a
    build in the copy runs no example again; git, the environments, build/ and the tests are left out."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".nox", ".venv", "build", "__pycache__", "tests"))
    return copy


# A figure the build drew, as pwe_sphinx.html.inline_figures writes it into the page.
INLINE_FIGURE = re.compile(r'<svg\b[^>]*\bclass="pwe-figure\b.*?</svg>', re.DOTALL)


def inline_figures(page_html: str) -> list[str]:
    """The markup of each figure a page shows inline, checked to be an SVG with an accessible name."""
    import xml.etree.ElementTree as ElementTree

    found = INLINE_FIGURE.findall(page_html)
    for markup in found:
        root = ElementTree.fromstring(markup)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", f"{markup[:120]}: not an SVG element"
        assert root.get("role") == "img" and root.get("aria-label", "").strip(), f"{root.get('id')}: no accessible name"
    return found


_example_outputs: dict[str, str] = {}


def run_example(relative: str) -> str:
    """Run ``python examples_x/name.py`` on its own, once per test run; its stdout."""
    if relative not in _example_outputs:
        result = subprocess.run(
            [sys.executable, str(ROOT / relative)],
            capture_output=True, text=True, cwd=ROOT / "tests", env=dict(os.environ, MPLBACKEND="Agg"),
        )
        assert result.returncode == 0, f"{relative} failed when run on its own:\n{result.stderr[-4000:]}"
        _example_outputs[relative] = result.stdout
    return _example_outputs[relative]


# The site in a real browser: Debian's chromium driven by Playwright, or the one PWE_CHROMIUM names (CI: Playwright's).
CHROMIUM = os.environ.get("PWE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site.html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
