"""Follow every link of a site served over HTTP, as a reader's browser would, and report what is broken.

It starts from one address and fetches each address of the same host once:
a page's links (``href``, ``src``, ``srcset``), a stylesheet's ``url(...)``.
Every fetched address must answer 200, and every ``#fragment`` must name an
``id`` (or an ``<a name>``) of the page it points into. Fetching each page
once, and checking its fragments against the ids already read, is what makes
this take seconds where LinkChecker, which fetches a page again for every
fragment that points into it, took minutes.
"""

from __future__ import annotations

import re
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import urlopen

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
NOT_FETCHED = ("mailto:", "javascript:", "data:", "tel:")


class PageLinks(HTMLParser):
    """The ids a page defines and the addresses it refers to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in ("href", "src", "xlink:href"):
            if name in values and tag != "base":
                self.references.append(values[name])
        if "srcset" in values:
            self.references += [candidate.split()[0] for candidate in values["srcset"].split(",") if candidate.strip()]


@dataclass
class Crawl:
    """What a crawl found: each address's status, each page's ids, and every link with where it was."""

    status: dict[str, int | str] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (page it is on, absolute address)

    def problems(self) -> list[str]:
        found = [f"{url}: {status}" for url, status in sorted(self.status.items()) if status != 200]
        for page, link in self.links:
            target, fragment = urldefrag(link)
            if fragment and self.status.get(target) == 200:
                ids = self.ids.get(target)
                if ids is None:
                    found.append(f"{page}: links to #{fragment} in {target}, which is not a page")
                elif unquote(fragment) not in ids:
                    found.append(f"{page}: no #{unquote(fragment)} in {target}")
        return found


def fetch(url: str) -> tuple[int | str, str, bytes]:
    """An address's status, content type and body."""
    try:
        with urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        return error.code, "", b""
    except URLError as error:
        return f"cannot be read ({error.reason})", "", b""


def references(url: str, content_type: str, body: bytes) -> tuple[set[str] | None, list[str]]:
    """A fetched address's ids (None if it is not a page) and the addresses it refers to, absolute."""
    if content_type == "text/html":
        parser = PageLinks()
        parser.feed(body.decode("utf-8", errors="replace"))
        return parser.ids, [urljoin(url, reference) for reference in parser.references]
    if content_type == "text/css":
        return None, [urljoin(url, reference) for reference in CSS_URL.findall(body.decode("utf-8", errors="replace"))]
    return None, []


def crawl(start: str, threads: int = 8) -> Crawl:
    """Fetch everything on ``start``'s host that ``start`` leads to, each address once."""
    host = urlsplit(start).netloc
    result = Crawl()
    queue: deque[str] = deque([start])
    seen = {start}
    with ThreadPoolExecutor(threads) as pool:
        while queue:
            batch = [queue.popleft() for _ in range(len(queue))]
            for url, (status, content_type, body) in zip(batch, pool.map(fetch, batch), strict=True):
                result.status[url] = status
                if status != 200:
                    continue
                ids, found = references(url, content_type, body)
                if ids is not None:
                    result.ids[url] = ids
                for link in found:
                    if link.startswith(NOT_FETCHED) or urlsplit(link).netloc != host:
                        continue
                    result.links.append((url, link))
                    target = urldefrag(link)[0]
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)
    return result
