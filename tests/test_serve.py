"""`nox -s serve`: the live preview shows an edit in the open page, then rests.

The slow tests start ``python -m pwe_sphinx.tools.serve`` in a scratch copy of the
project, open a page of the preview in Chromium, edit a source and wait for
the page to reload itself with the edit. The preview is up when its port
accepts connections; its log (written unbuffered, whatever the caller's
environment says) then tells when a rebuild has finished. Then they watch the
preview's log for a while: a build writes into folders the preview watches (the gallery's
pages, compiled catalogues), and were those not ignored, each rebuild would
start the next.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("playwright")  # not in the light tier's environment (nox -s unit)
from playwright.sync_api import expect
from sphinx_autobuild.filter import IgnoreFilter

from pwe_sphinx.tools import serve
from pwe_sphinx.tools.inputs import copy_sources, site_settings

ROOT = Path(__file__).resolve().parent.parent
FIRST_BUILD_SECONDS = 900  # a deadline for a stuck preview, not a speed check
REBUILD_MS = 300_000
QUIET_SECONDS = 15  # a rebuild loop starts again within a second or two of a build's end
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

# Per language: the source edited, the text replaced, its replacement, and
# what the reader then sees on the glossary page. The Chinese edit is in a
# catalogue, which Sphinx compiles to a .mo file beside it.
EDITS = {
    "en": ("docs/glossary.rst", "English first.", "English first (edited during the preview).",
           "English first (edited during the preview)."),
    "zh_CN": ("docs/locale/zh_CN/LC_MESSAGES/glossary.po", 'msgstr "术语表"', 'msgstr "术语表（预览时改过）"',
              "术语表（预览时改过）"),
}


def test_the_preview_ignores_what_a_build_writes_and_watches_what_it_reads(site):
    ignored = IgnoreFilter(serve.ignored_paths(), [])
    written = [*ROOT.glob("docs/locale/*/LC_MESSAGES/*.mo"), *ROOT.glob("pwe_sphinx/locale/*/LC_MESSAGES/*.mo"),
               *ROOT.glob("pwe_sphinx/**/__pycache__/*.pyc"), ROOT / "build" / "serve" / "en" / "html" / "index.html",
               *(path for folder in site_settings().generated_in_docs for path in (ROOT / "docs" / folder).iterdir())]
    assert any(path.suffix == ".mo" for path in written) and len(written) > 20
    assert [path for path in written if not ignored(str(path))] == []
    read = [ROOT / "conf.py", ROOT / "docs" / "glossary.rst", ROOT / "docs" / "locale" / "zh_CN" / "LC_MESSAGES" /
            "glossary.po", *ROOT.glob("pwe_sphinx/**/*.py"), *ROOT.glob("examples_*/*.py"),
            *ROOT.glob("exercises/*/*.py")]
    assert [path for path in read if ignored(str(path))] == []
    watched = [*serve.watched_paths(), ROOT / "docs"]
    assert all(any(path == folder or folder in path.parents for folder in watched) for path in read)


def free_port() -> int:
    """A port nothing listens on now, for the preview to serve on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@dataclass
class Preview:
    process: subprocess.Popen
    log_path: Path
    port: int

    def log(self) -> str:
        return ANSI_ESCAPE.sub("", self.log_path.read_text(encoding="utf-8", errors="replace"))

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rebuilds(self) -> int:
        return self.log().count("Rebuilding...")

    def wait_for(self, condition, what: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"the preview stopped:\n{self.log()[-4000:]}"
            assert time.monotonic() < deadline, f"{what} after {seconds} s:\n{self.log()[-4000:]}"
            time.sleep(0.5)


@contextmanager
def preview(project: Path, language: str):
    """``python -m pwe_sphinx.tools.serve`` in ``project`` on a free port; stopped at the end.

    It is ready when its port accepts connections (sphinx-autobuild serves
    only after its first build), not when a line shows in its log: a Python
    child writing to a file buffers its prints unless PYTHONUNBUFFERED is set.
    The child gets PYTHONUNBUFFERED=1 all the same, so that the log the later
    checks read is complete whatever the environment the tests run in.
    """
    log_path = project.parent / f"serve-{language}.log"
    port = free_port()
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "pwe_sphinx.tools.serve", "--language", language,
                                    "--port", str(port)],
                                   cwd=project, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                   start_new_session=True)
    running = Preview(process, log_path, port)
    try:
        running.wait_for(lambda: accepts_connections(port), "the preview serves nothing", FIRST_BUILD_SECONDS)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: sphinx-autobuild and its builds
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def scratch_project(destination: Path) -> Path:
    """A copy of the project, with the gallery the site build made, so that no example runs again."""
    project = copy_sources(destination)
    for folder in site_settings().generated_in_docs:
        shutil.copytree(ROOT / "docs" / folder, project / "docs" / folder)
    return project


@pytest.mark.slow
@pytest.mark.parametrize("language", EDITS)
def test_an_edit_shows_in_the_open_page_and_the_preview_then_rests(site, browser, tmp_path, language):
    source, old, new, shown = EDITS[language]
    project = scratch_project(tmp_path / "project")
    with preview(project, language) as running:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{running.url()}/glossary.html")
        article = page.locator("article[role=main]")
        expect(article).not_to_contain_text(shown)

        path = project / source
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{source} no longer holds {old!r}; update EDITS"
        path.write_text(text.replace(old, new), encoding="utf-8")
        # No reload from here: the preview's script reloads the page after the rebuild.
        expect(article).to_contain_text(shown, timeout=REBUILD_MS)
        running.wait_for(lambda: running.log().count("Serving on") == 2, "the rebuild never finished", 60)
        assert running.rebuilds() == 1

        time.sleep(QUIET_SECONDS)
        assert running.rebuilds() == 1, f"the preview rebuilt by itself:\n{running.log()[-4000:]}"
        context.close()
