"""Measure what a build costs beyond running the examples, how the gallery scales, and what a page weighs.

    nox -s bench               # about five minutes on the 2-core development machine
    nox -s bench -- --quick    # one pair, a smaller synthetic gallery, no pages: about two

Prints: the floor (every example run once in one plain Python process, with
the site's fixed thread count), the same for every program a build runs
(the examples, then the exercises' solutions, the questions' programs and the
install check) with its CPU seconds, and a cold build of both languages with
the CPU seconds of all its processes, in alternating pairs, each cold build
in a fresh copy, and the median of their ratios (the machine's speed drifts
over minutes, so only a floor and the build beside it compare); the build's
own CPU seconds (the cold build's less the every-program floor's); a build
from two shards against a one-machine build; a warm rebuild with nothing
changed, a rebuild after one example changed (and which examples it ran). Then a synthetic
gallery of examples of known cost (each burns a set number of CPU seconds),
its examples run by one and by two workers, and split into 1, 2 and 4
shards (``--shard K/N``, each run alone: the longest shard is the wall time
when each has its own machine). Then the size of each language's offline
archive, zipped and unzipped. Then for the main page and one example page in
each language the bytes a browser loads (HTML, CSS, JavaScript; images
apart) and the Lighthouse scores, when the `lighthouse` command is given.
Pages are served on 127.0.0.1 the way static hosts serve them, text
gzip-compressed, so the figures are those a reader's browser sees; the
uncompressed sizes are printed beside them. Search, in each language: the
size of the search index (as stored and gzip-compressed) and the time from
opening the search page with a query to its first result, in a fresh browser.
All builds run in a scratch
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
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwe_sphinx.gallery.threads import thread_environment  # noqa: E402
from pwe_sphinx.gallery.workers import TIMES_FILE  # noqa: E402
from pwe_sphinx.tools import shards  # noqa: E402
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


def children_cpu_seconds() -> float:
    """CPU seconds (user and system) of every finished process this one waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    """Wall-clock seconds of a command, and its standard output."""
    seconds, output, _cpu = timed_with_cpu(command, cwd, env)
    return seconds, output


def timed_with_cpu(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str, float]:
    """Wall-clock seconds of a command, its standard output, and the CPU seconds of all its processes
    (a build's workers included: each process waits for those it started)."""
    cpu_before, start = children_cpu_seconds(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})}, text=True)
    return time.perf_counter() - start, result.stdout, children_cpu_seconds() - cpu_before


def examples(project: Path) -> list[Path]:
    return sorted(p for folder in EXAMPLE_DIRS for p in (project / folder).glob("*.py"))


def executed_scripts(project: Path) -> list[Path]:
    """The other programs a build runs (conf.py's pwe_executed_scripts): the exercises' solutions, the
    questions' programs, the install check."""
    return [project / script.relative for script in shards.executed_scripts(project)]


def figures_newer_than(project: Path, moment: float) -> list[str]:
    """Examples whose figures were written after ``moment``: the ones that ran."""
    ran = set()
    for image in (project / "docs" / "beginner").glob("examples_*/images/sphx_glr_*_001.svg"):
        if image.stat().st_mtime > moment:
            ran.add(image.name.removeprefix("sphx_glr_").removesuffix("_001.svg"))
    return sorted(ran)


BUILD = [sys.executable, "-m", "pwe_sphinx.tools.sitebuild"]


def floor_time(project: Path) -> tuple[float, float, float, dict[str, float]]:
    """The floor's seconds, the seconds and CPU seconds of every program a build runs, and each example's own.

    One process runs the examples, then the executed scripts, with the
    thread count the builds give them. The floor is its time less the
    scripts' own: the examples alone, one after another, as the issue that
    set the target measured it.
    """
    scripts = executed_scripts(project)
    everything, printed, cpu = timed_with_cpu(
        [sys.executable, "-c", FLOOR_SCRIPT, *map(str, examples(project) + scripts)],
        project, {"MPLBACKEND": "Agg", **thread_environment()})
    seconds = {str(Path(path).relative_to(project)): value
               for path, value in json.loads(printed.splitlines()[-1]).items()}
    scripts_seconds = sum(seconds.pop(str(script.relative_to(project))) for script in scripts)
    return everything - scripts_seconds, everything, cpu, seconds


def alternating_pairs(scratch: Path, count: int) -> tuple[list[tuple[float, float, float]], list[float],
                                                          list[float], dict, Path]:
    """``count`` triples of (floor, every program's floor, cold build), each in a fresh copy; each cold
    build's CPU seconds and each every-program floor's; each example's time; the last copy."""
    pairs, cpu, floor_cpu = [], [], []
    for index in range(count):
        project = copy_sources(scratch / f"project-{index + 1}")
        floor, everything, everything_cpu, per_example = floor_time(project)
        cold, _, cold_cpu = timed_with_cpu(BUILD, project)
        pairs.append((floor, everything, cold))
        cpu.append(cold_cpu)
        floor_cpu.append(everything_cpu)
        print(f"bench: pair {index + 1}: floor {floor:.1f} s (every program {everything:.1f} s, "
              f"{everything_cpu:.1f} CPU s), cold build {cold:.1f} s ({cold_cpu:.1f} CPU s)", flush=True)
    return pairs, cpu, floor_cpu, per_example, project


def merge_time(scratch: Path) -> tuple[float, list[float]]:
    """Seconds of a ``--from-shards`` build of two shards, in a fresh copy, and each shard's seconds."""
    project = copy_sources(scratch / "merged")
    shard_seconds = [timed([*BUILD, "--shard", f"{k}/2"], project)[0] for k in (1, 2)]
    merge, _ = timed([*BUILD, "--from-shards", str(project / "build" / "shards")], project)
    return merge, shard_seconds


def build_times(scratch: Path, pair_count: int) -> tuple[dict, Path]:
    pairs, cold_cpu, floor_cpu, per_example, project = alternating_pairs(scratch, pair_count)
    merge, shard_seconds = merge_time(scratch)
    warm, _ = timed(BUILD, project)
    page = project / CHANGED_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n.. A change for the benchmark.\n", encoding="utf-8")
    one_page_changed, _ = timed(BUILD, project)
    changed = project / CHANGED_EXAMPLE
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# A change for the benchmark.\n", encoding="utf-8")
    before = time.time()
    one_changed, _ = timed(BUILD, project)
    return {"pairs": pairs, "cold_cpu": cold_cpu, "floor_cpu": floor_cpu, "merge": merge,
            "shard_seconds": shard_seconds, "floor": pairs[-1][0], "per_example": per_example, "warm": warm,
            "one_page_changed": one_page_changed, "one_changed": one_changed,
            "ran_after_change": figures_newer_than(project, before)}, project


# An example of known cost: it keeps one core busy for a set number of CPU seconds (so two of
# them on one core take twice as long), prints, and draws nothing.
SYNTHETIC_EXAMPLE = '''"""
Synthetic example {number}
==========================

Keeps one core busy for {seconds} CPU seconds.
"""

import time

end = time.thread_time() + {seconds}
steps = 0
while time.thread_time() < end:
    steps += 1
print("done")
'''


def synthetic_gallery(scratch: Path, count: int) -> tuple[Path, dict[str, float]]:
    """A copy of the project whose galleries hold ``count`` synthetic examples instead of the lessons,
    and no executed script (a shard runs those too, and they would swamp what is measured: only
    shards are built in it, which stop before any page that shows a script is read); their costs
    (0.1 to 0.4 s, in turn) are its recorded times, so shards are balanced by them."""
    project = copy_sources(scratch / "synthetic")
    for script in examples(project) + executed_scripts(project):
        script.unlink()
    seconds = {}
    for number in range(count):
        relative = f"{EXAMPLE_DIRS[number % len(EXAMPLE_DIRS)]}/synthetic_{number:03}.py"
        seconds[relative] = 0.1 * (number % 4 + 1)
        (project / relative).write_text(SYNTHETIC_EXAMPLE.format(number=number, seconds=seconds[relative]),
                                        encoding="utf-8")
    (project / TIMES_FILE).write_text(json.dumps(seconds, indent=1), encoding="utf-8")
    return project, seconds


def run_shard(project: Path, shard: str, workers: int) -> float:
    """Seconds to run one shard's examples from clean (nothing left from the last run)."""
    for folder in (project / "docs" / "beginner").glob("examples_*"):
        shutil.rmtree(folder)
    seconds, _ = timed([*BUILD, "--shard", shard], project, {"PWE_EXAMPLE_WORKERS": str(workers)})
    return seconds


def scaling(scratch: Path, count: int) -> dict:
    """The synthetic gallery's examples run with 1 and 2 workers, and as 1, 2 and 4 shards of one worker."""
    project, seconds = synthetic_gallery(scratch, count)
    table = {"examples": count, "cpu_seconds": sum(seconds.values())}
    table["workers"] = {workers: run_shard(project, "1/1", workers) for workers in (1, 2)}
    table["shards"] = {1: [table["workers"][1]]}
    for shard_count in (2, 4):
        table["shards"][shard_count] = [run_shard(project, f"{k}/{shard_count}", 1)
                                        for k in range(1, shard_count + 1)]
    return table


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


SEARCH_QUERIES = {"en": ["tensor", "why is the learning rate so small"], "zh_CN": ["张量", "为什么学习率这么小"]}


def search_figures(html: Path, base: str, chromium: str) -> dict:
    """Each language's index size (bytes, gzip bytes) and, per query, milliseconds to the first result."""
    from playwright.sync_api import sync_playwright

    figures = {}
    with sync_playwright() as playwright:
        for language, queries in SEARCH_QUERIES.items():
            index = (html / language / "searchindex.js").read_bytes()
            first_result = {}
            for query in queries:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(f"{base}/{language}/search.html?q={query}")
                page.wait_for_selector("#search-results ul.search li")
                first_result[query] = page.evaluate("performance.now()")
                browser.close()
            figures[language] = {"index": len(index), "gzip": len(gzip.compress(index, mtime=0)),
                                 "first_result_ms": first_result}
    return figures


ORIGINAL_START = '<span class="pwe-original" lang="en" hidden>'
SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>")
BILINGUAL_FRAME = re.compile(r'\n<script>// 中英对照.*?</script>|<div class="pwe-bilingual-control">.*?</div>',
                             re.DOTALL)


def without_bilingual(html: str) -> tuple[str, str]:
    """The page without 中英对照's English originals, and then without its script and switch too."""
    kept, position = [], 0
    while (start := html.find(ORIGINAL_START, position)) >= 0:
        kept.append(html[position:start])
        depth = 0
        for tag in SPAN_TAG.finditer(html, start):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                position = tag.end()
                break
    stripped = "".join(kept) + html[position:]
    return stripped, BILINGUAL_FRAME.sub("", stripped)


def bilingual_weight(html_dir: Path) -> dict:
    """What 中英对照 adds to the Chinese main page and to the median Chinese page, in bytes."""
    def added(path: Path) -> dict:
        page = path.read_text(encoding="utf-8")
        versions = [page, *without_bilingual(page)]
        full = [len(version.encode("utf-8")) for version in versions]
        sent = [len(gzip.compress(version.encode("utf-8"), compresslevel=6, mtime=0)) for version in versions]
        return {"originals": (full[0] - full[1], sent[0] - sent[1]), "frame": (full[1] - full[2], sent[1] - sent[2]),
                "page": (full[0], sent[0])}

    pages = {str(path.relative_to(html_dir)): added(path) for path in sorted((html_dir / "zh_CN").rglob("*.html"))}
    by_size = sorted(pages, key=lambda name: pages[name]["originals"][0])
    median = by_size[len(by_size) // 2]
    return {name: pages[name] for name in (f"zh_CN/{PAGES[0]}", median)}


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


def archive_sizes(html: Path) -> dict:
    """Each language's offline archive (pwe_sphinx.html.offline_archive): its name, size, and what it unzips to."""
    sizes = {}
    for language in LANGUAGES:
        for path in sorted((html / language).glob(f"*-{language}.zip")):
            with zipfile.ZipFile(path) as archive:
                entries = archive.infolist()
            sizes[language] = {"name": path.name, "bytes": path.stat().st_size, "files": len(entries),
                               "unzipped": sum(entry.file_size for entry in entries)}
    return sizes


def report_pairs(pairs: list[tuple[float, float, float]], cold_cpu: list[float], floor_cpu: list[float]) -> None:
    print("\nBuild (seconds, both languages): the floor (the examples one after another), every program "
          "a build runs one after another (the examples, the exercises' solutions, the install check), "
          "and a cold build, in alternating pairs")
    for index, (floor, everything, cold) in enumerate(pairs, start=1):
        print(f"  pair {index}: floor {floor:6.1f}   every program {everything:6.1f}   cold build {cold:6.1f}   "
              f"cold/floor {cold / floor:.2f}   cold/every program {cold / everything:.2f}")
    print(f"  median of {len(pairs)}: cold/floor {statistics.median(c / f for f, _e, c in pairs):.2f}   "
          f"cold/every program {statistics.median(c / e for _f, e, c in pairs):.2f}")
    # A build busy on every core can end no sooner than its CPU time shared out over the cores.
    cores = os.cpu_count() or 1
    bound = statistics.median(cpu / cores / floor for cpu, (floor, _e, _c) in zip(cold_cpu, pairs, strict=True))
    print(f"  cold build CPU seconds (every process): {', '.join(f'{cpu:.1f}' for cpu in cold_cpu)}; on "
          f"{cores} cores the fastest it could be is that / {cores}: {bound:.2f} of the floor (median)")
    own = statistics.median(cold_cpu) - statistics.median(floor_cpu)
    print(f"  the build's own CPU seconds (cold build's median {statistics.median(cold_cpu):.1f} less the every-"
          f"program floor's median {statistics.median(floor_cpu):.1f}): {own:.1f}")


def report_scaling(table: dict) -> None:
    one = table["workers"][1]
    print(f"\nSynthetic gallery: {table['examples']} examples of known cost, {table['cpu_seconds']:.1f} CPU "
          f"seconds in all; seconds to run them (Sphinx's start and torch's import in each process included)")
    print("  how                                   wall s   vs 1 worker   each shard")
    for workers, seconds in table["workers"].items():
        print(f"  one machine, {workers} worker{'s' if workers > 1 else ' '}                  {seconds:6.1f}"
              f"   {seconds / one:5.2f}")
    for count, runs in table["shards"].items():
        print(f"  {count} shard{'s' if count > 1 else ' '}, one worker, longest shard      {max(runs):6.1f}"
              f"   {max(runs) / one:5.2f}       " + " ".join(f"{run:.1f}" for run in runs))


def report_search(figures: dict) -> None:
    print("\nSearch: the index (KB, gzip KB) and ms from opening the search page with a query to its first result")
    for language, values in figures.items():
        times = "   ".join(f"{query} {ms:5.0f}" for query, ms in values["first_result_ms"].items())
        print(f"  {language:6} index {values['index'] / 1024:6.1f} ({values['gzip'] / 1024:5.1f})   {times}")



def report_bilingual(added: dict) -> None:
    print("\n中英对照: what the English originals (hidden until the reader turns the mode on) and the switch "
          "with its script add to a Chinese page, in KB gzip-compressed (uncompressed)")
    for page, sizes in added.items():
        def kb(part):
            full, sent = sizes[part]
            return f"{sent / 1024:5.1f} ({full / 1024:5.1f})"

        print(f"  {page:46} originals {kb('originals')}  switch and script {kb('frame')}  whole page {kb('page')}")


def report(times: dict, scaling_table: dict, archives: dict, weights: dict, scores: dict) -> None:
    print("\nEach example's own time in the floor process (seconds; the first includes importing torch)")
    for path, seconds in times["per_example"].items():
        print(f"  {path:48} {seconds:6.2f}")
    report_pairs(times["pairs"], times["cold_cpu"], times["floor_cpu"])
    one_machine = statistics.median(cold for _f, _e, cold in times["pairs"])
    print(f"  build from 2 shards (--from-shards, no program run) {times['merge']:6.1f}   merge/one-machine "
          f"{times['merge'] / one_machine:.2f}   (the shards took "
          + ", ".join(f"{seconds:.1f}" for seconds in times["shard_seconds"]) + ")")
    print(f"  warm rebuild, nothing changed            {times['warm']:6.1f}   warm/floor {times['warm'] / times['floor']:.2f}")
    print(f"  rebuild after {CHANGED_PAGE} changed       {times['one_page_changed']:6.1f}")
    print(f"  rebuild after {CHANGED_EXAMPLE} changed {times['one_changed']:6.1f}   examples run: "
          f"{', '.join(times['ran_after_change']) or 'none'}")
    report_scaling(scaling_table)
    print("\nOffline archives (the whole site of one language, offered on its home page)")
    for language, size in archives.items():
        print(f"  {language:6} {size['name']:44} {size['bytes'] / 1e6:5.2f} MB, {size['files']} files, "
              f"{size['unzipped'] / 1e6:5.2f} MB unzipped")
    report_bilingual(times["bilingual"])
    if not weights:
        return
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
    parser.add_argument("--pairs", type=int, default=3, help="alternating floor / cold build pairs (default 3)")
    parser.add_argument("--synthetic", type=int, default=48, help="examples in the synthetic gallery (default 48)")
    parser.add_argument("--quick", action="store_true",
                        help="one pair, 16 synthetic examples, no page weights or scores")
    args = parser.parse_args()
    if args.quick:
        args.pairs, args.synthetic, args.lighthouse = 1, 16, None
    weights, scores, search = {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="pwe-bench-") as scratch:
        times, project = build_times(Path(scratch), args.pairs)
        times["bilingual"] = bilingual_weight(project / "build" / "html")
        scaling_table = scaling(Path(scratch), args.synthetic)
        archives = archive_sizes(project / "build" / "html")
        base, httpd = serve(project / "build" / "html")
        try:
            search = search_figures(project / "build" / "html", base, args.chromium)
            if not args.quick:
                weights = page_weights(base, args.chromium)
                scores = lighthouse_scores(base, args.lighthouse, args.chromium) if args.lighthouse else {}
        finally:
            httpd.shutdown()
    report(times, scaling_table, archives, weights, scores)
    report_search(search)
    # The bridge lesson's comparison in seconds, which its page leaves out (no times on pages).
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "training_time.py")], check=True,
                   env={**os.environ, **thread_environment()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
