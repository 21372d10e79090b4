"""The link crawler of the page-quality audit finds what it exists to find (a tiny site on 127.0.0.1)."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from link_crawler import crawl

pytestmark = pytest.mark.unit

PAGES = {
    "index.html": '<a href="a.html#here">a</a> <a href="missing.html">gone</a> <img src="pic.png" alt="">'
                  '<a href="a.html#nowhere">no anchor</a> <a href="https://example.org/">elsewhere</a>'
                  '<link rel="stylesheet" href="style.css">',
    "a.html": '<h1 id="here">A</h1><a name="old"></a><a href="index.html">back</a><a href="#old">up</a>'
              '<a href="style.css#x">not a page</a>',
    "style.css": "body { background: url('bg.png') }",
    "pic.png": "png",
}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def tiny_site(tmp_path):
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_every_broken_link_and_missing_anchor_is_reported_and_nothing_else(tiny_site):
    found = crawl(f"{tiny_site}/index.html")
    assert sorted(problem.replace(tiny_site, "") for problem in found.problems()) == [
        "/a.html: links to #x in /style.css, which is not a page",
        "/bg.png: 404",
        "/index.html: no #nowhere in /a.html",
        "/missing.html: 404",
    ]
    assert not any("example.org" in url for url in found.status)  # another host is never fetched
