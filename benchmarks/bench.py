"""Measure what a build costs beyond running the examples, and what a page weighs.

    nox -s bench

Prints, from one run: the floor (every example run once in one plain Python
process), a cold build of both languages, a warm rebuild with nothing
changed, a rebuild after one example changed (and which examples it ran),
the ratios to the floor; then for the main page and one example page in
each language the bytes a browser loads (HTML, CSS, JavaScript; images
apart) and the Lighthouse scores, when the `lighthouse` command is given.
Pages are served on 127.0.0.1 the way static hosts serve them, text
gzip-compressed, so the figures are those a reader's browser sees; the
uncompressed sizes are printed beside them. All builds run in a scratch
copy of the project, so the working tree is left alone.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwe_sphinx.tools.inputs import copy_sources  # noqa: E402
EXAMPLE_DIRS = ("examples_tensor", "examples_autograd", "examples_nn")
PAGES = ["beginner/pytorch_with_examples.html", "beginner/examples_nn/polynomial_nn.html"]
LANGUAGES = ("en", "zh_CN")
CHANGED_EXAMPLE = "examples_nn/polynomial_optim.py"
CHANGED_PAGE = "docs/glossary.rst"
RESOURCE_KINDS = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts", "image": "images"}

# Runs every example in one process; prints each one's own time as JSON on its last line
# (the first example's time includes importing torch; the output itself is discarded).
FLOOR_SCRIPT = """
import contextlib, io, json, runpy, sys, time, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
seconds = {}
for path in sys.argv[1:]:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(path, run_name="__main__")
    seconds[path] = time.perf_counter() - start
    plt.close("all")
print(json.dumps(seconds))
"""


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """Wall-clock seconds of a command, and its standard output."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})}, text=True)
    return time.perf_counter() - start, result.stdout


def examples(project: Path) -> list[Path]:
    return sorted(p for folder in EXAMPLE_DIRS for p in (project / folder).glob("*.py"))


def figures_newer_than(project: Path, moment: float) -> list[str]:
    """Examples whose figures were written after ``moment``: the ones that ran."""
    ran = set()
    for image in (project / "docs" / "beginner").glob("examples_*/images/sphx_glr_*_001.svg"):
        if image.stat().st_mtime > moment:
            ran.add(image.name.removeprefix("sphx_glr_").removesuffix("_001.svg"))
    return sorted(ran)


def build_times(project: Path) -> dict:
    build = [sys.executable, "-m", "pwe_sphinx.tools.sitebuild"]
    floor, printed = timed([sys.executable, "-c", FLOOR_SCRIPT, *map(str, examples(project))], project,
                           {"MPLBACKEND": "Agg"})
    per_example = {str(Path(path).relative_to(project)): seconds
                   for path, seconds in json.loads(printed.splitlines()[-1]).items()}
    cold, _ = timed(build, project)
    warm, _ = timed(build, project)
    page = project / CHANGED_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n.. A change for the benchmark.\n", encoding="utf-8")
    one_page_changed, _ = timed(build, project)
    changed = project / CHANGED_EXAMPLE
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# A change for the benchmark.\n", encoding="utf-8")
    before = time.time()
    one_changed, _ = timed(build, project)
    return {"floor": floor, "per_example": per_example, "cold": cold, "warm": warm,
            "one_page_changed": one_page_changed, "one_changed": one_changed,
            "ran_after_change": figures_newer_than(project, before)}


COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages or Read the Docs do: text gzip-compressed when the browser accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not (path.is_file() and content_type.startswith(COMPRESSED_TYPES)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(StaticHost, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}", httpd


def page_weights(base: str, chromium: str) -> dict:
    """Bytes a browser loads for each page, by kind, from a cold cache: as transferred, and uncompressed."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with sync_playwright() as playwright:
        for language in LANGUAGES:
            for page_path in PAGES:
                # A fresh browser per page: contexts of one browser share its memory cache.
                browser = playwright.chromium.launch(executable_path=chromium,
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                responses = []
                # Bodies are read after loading: reading them inside the handler loses some.
                page.on("response", lambda response: responses.append(response))
                page.goto(f"{base}/{language}/{page_path}", wait_until="networkidle")
                transferred = dict.fromkeys(RESOURCE_KINDS.values(), 0)
                uncompressed = dict.fromkeys(RESOURCE_KINDS.values(), 0)
                for response in responses:
                    kind = RESOURCE_KINDS.get(response.request.resource_type)
                    if kind and response.ok:
                        uncompressed[kind] += len(response.body())
                        transferred[kind] += response.request.sizes()["responseBodySize"]
                weights[f"{language}/{page_path}"] = {"transferred": transferred, "uncompressed": uncompressed}
                browser.close()
    return weights


def lighthouse_scores(base: str, lighthouse: str, chromium: str) -> dict:
    scores = {}
    for language in LANGUAGES:
        for page_path in PAGES:
            result = subprocess.run(
                [lighthouse, f"{base}/{language}/{page_path}", "--output=json", "--quiet",
                 "--only-categories=performance,accessibility,best-practices,seo",
                 "--chrome-flags=--headless --no-sandbox --disable-gpu"],
                capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium},
            )
            if result.returncode != 0:
                scores[f"{language}/{page_path}"] = {"error": result.stderr.strip().splitlines()[-1:]}
                continue
            categories = json.loads(result.stdout)["categories"]
            scores[f"{language}/{page_path}"] = {name: categories[name]["score"] for name in categories}
    return scores


def report(times: dict, weights: dict, scores: dict) -> None:
    print("\nEach example's own time in the floor process (seconds; the first includes importing torch)")
    for path, seconds in times["per_example"].items():
        print(f"  {path:48} {seconds:6.2f}")
    print("\nBuild (seconds, both languages)")
    print(f"  floor: examples run once in one process  {times['floor']:6.1f}")
    print(f"  cold build                               {times['cold']:6.1f}   cold/floor {times['cold'] / times['floor']:.2f}")
    print(f"  warm rebuild, nothing changed            {times['warm']:6.1f}   warm/floor {times['warm'] / times['floor']:.2f}")
    print(f"  rebuild after {CHANGED_PAGE} changed       {times['one_page_changed']:6.1f}")
    print(f"  rebuild after {CHANGED_EXAMPLE} changed {times['one_changed']:6.1f}   examples run: "
          f"{', '.join(times['ran_after_change']) or 'none'}")
    print("\nPage weight in KB, served gzip-compressed as static hosts do: transferred (uncompressed).")
    print("The budget: 150 KB of HTML+CSS+JS per page. Fonts and images apart.")
    for page, sizes in weights.items():
        sent, full = sizes["transferred"], sizes["uncompressed"]

        def kb(kind):
            return f"{sent[kind] / 1024:5.1f} ({full[kind] / 1024:5.1f})"

        text_sent = sum(sent[k] for k in ("html", "css", "js")) / 1024
        text_full = sum(full[k] for k in ("html", "css", "js")) / 1024
        print(f"  {page:46} html {kb('html')}  css {kb('css')}  js {kb('js')}  = {text_sent:5.1f} "
              f"({text_full:5.1f})   fonts {kb('fonts')}  images {kb('images')}")
    if scores:
        print("\nLighthouse (performance / accessibility / best practices / SEO)")
        for page, values in scores.items():
            if "error" in values:
                print(f"  {page:48} failed: {values['error']}")
            else:
                print(f"  {page:48} " + " / ".join(f"{values[k]:.2f}" for k in
                                                  ("performance", "accessibility", "best-practices", "seo")))


def main() -> int:
    parser = argparse.ArgumentParser(description="Build and page benchmarks")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--lighthouse", help="path of the lighthouse command (npm); scores are skipped without it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pwe-bench-") as scratch:
        project = copy_sources(Path(scratch) / "project")
        times = build_times(project)
        base, httpd = serve(project / "build" / "html")
        try:
            weights = page_weights(base, args.chromium)
            scores = lighthouse_scores(base, args.lighthouse, args.chromium) if args.lighthouse else {}
        finally:
            httpd.shutdown()
    report(times, weights, scores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
