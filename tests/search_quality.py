"""The search table: queries typed as readers type them, run in Chromium, read as a reader reads the results.

tests/data/search_queries.tsv holds each query with the pages that should come
first. `run_table` types every query into a language's search page (served or
opened from disk), waits for the page's own summary line, and reads the result
list: how many results, and the first three pages. `format_table` lays that out
for a maintainer; the test writes it to build/search-quality.txt, and

    python tests/search_quality.py build/html

prints it for the built site without running the tests.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.tsv"


@dataclass(frozen=True)
class Query:
    language: str
    text: str
    expected: tuple[str, ...]  # docnames, any of which in the first three passes


@dataclass(frozen=True)
class Outcome:
    query: Query
    count: int
    top: tuple[str, ...]  # docnames of the first three results

    @property
    def found(self) -> bool:
        return self.count > 0

    @property
    def expected_in_top_three(self) -> bool:
        return any(page in self.query.expected for page in self.top)


def read_queries(path: Path = QUERIES) -> list[Query]:
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or not cells[2].split():
            raise ValueError(f"{path}:{number}: expected language, query and pages, tab-separated: {line!r}")
        queries.append(Query(cells[0], cells[1], tuple(cells[2].split())))
    return queries


def docname(href: str, language_root: str) -> str:
    """The page a result links to, as a docname: ``beginner/x`` for ``…/<language>/beginner/x.html?…#…``."""
    path = unquote(urlsplit(href).path)
    root = unquote(urlsplit(language_root).path).rstrip("/") + "/"
    assert path.startswith(root), f"{href} is not under {language_root}"
    return path[len(root):].removesuffix(".html")


def search(page, language_root: str, text: str) -> list[str]:
    """Every result of ``text`` on the search page under ``language_root``, as docnames, in order."""
    page.goto(f"{language_root}/search.html?q={quote(text)}")
    page.wait_for_selector("#search-results .search-summary", timeout=15_000)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all("links => links.map(a => a.href)")
    return [docname(href, language_root) for href in hrefs]


def run_table(page, site_root: str, queries: list[Query]) -> list[Outcome]:
    """Each query on its language's search page under ``site_root`` (``http://…`` or ``file:///…/build/html``)."""
    outcomes = []
    for query in queries:
        found = search(page, f"{site_root}/{query.language}", query.text)
        outcomes.append(Outcome(query, len(found), tuple(dict.fromkeys(found))[:3]))
    return outcomes


def format_table(outcomes: list[Outcome], title: str) -> str:
    lines = [title, ""]
    for outcome in outcomes:
        mark = "ok  " if outcome.expected_in_top_three else ("MISS" if outcome.found else "NONE")
        top = ", ".join(outcome.top) or "-"
        lines.append(f"{mark} {outcome.query.language:5} {outcome.query.text:<22} {outcome.count:>3}  {top}")
    for language in sorted({o.query.language for o in outcomes}):
        mine = [o for o in outcomes if o.query.language == language]
        hits = sum(o.expected_in_top_three for o in mine)
        empty = sum(not o.found for o in mine)
        lines.append(f"{language}: {hits}/{len(mine)} with an expected page in the first three, "
                     f"{empty} with no result")
    return "\n".join(lines) + "\n"


def main(html: str) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # conftest imports the package
    from conftest import CHROMIUM, CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        outcomes = run_table(page, Path(html).resolve().as_uri(), read_queries())
        print(format_table(outcomes, f"Search, opened from disk: {html}"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/html")
