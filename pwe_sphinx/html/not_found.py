"""404 pages ("page not found") that work at whatever address they are served for.

A static host answers an address that has no page with a 404 page:
GitHub Pages and Read the Docs with the 404.html at the site's root, a
server configured for it with ``<lang>/404.html``. The browser shows that
page at the address the reader asked for, say ``/en/no/such/page.html``,
and resolves the page's links against that address. Sphinx writes relative
links (``_static/styles/furo.css``, ``beginner/pytorch_with_examples.html``),
which there would lead to ``/en/no/such/_static/...``: no style, no
scripts, and every link dead.

So once the page is written (pwe_sphinx.html.page_rewrites), every relative URL
of the 404 page (in ``href``, ``src``, ``action``, and
``data-content_root``, where Sphinx's search script finds the site) is
resolved against the page's own place under
``pwe_site_url`` and written as a path from the host's root:
``/en/_static/...``, or ``/repo/en/_static/...`` for a site published under
``https://user.github.io/repo/``. Paths, not whole URLs, so that the page
also works on a host other than the published one (the tests' server on a
random port, a local preview) as long as the site sits at the same path.

Why not ``<base href="/en/">``, which would take one line: a base applies to
every relative reference, fragments included, so the skip link
(``#furo-main-content``) and the theme's icons (``<use href="#svg-…">``)
would point to the language's home page instead of this page.

What this costs: opened from disk (``file://``) the 404 pages find neither
style nor links; they are only ever meant to be served over HTTP.

The page at the site's root (build/html/404.html) is docs/_root/404.html,
a small page in both languages like the language chooser, with links
written from the site's root; pwe_sphinx.tools.sitebuild copies it with
:func:`write_root_page`, which passes it through the same rewrite. Every
404 page asks search engines not to index it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from pwe_sphinx.html.page_rewrites import register_rewrite

# The document docs/404.rst: :orphan: keeps it out of the navigation, :nosearch: out of the search index.
NOT_FOUND_PAGE = "404"
NOT_INDEXED = '\n<meta name="robots" content="noindex">'
# Sphinx and furo write attributes in double quotes.
URL_ATTRIBUTE = re.compile(r'(?P<name>\s(?:href|src|action|data-content_root)=")(?P<url>[^"]*)"')


def is_relative(url: str) -> bool:
    """A reference resolved against the page's address: not absolute, not from the root, not a fragment."""
    parts = urlsplit(url)
    return bool(url) and not (parts.scheme or parts.netloc or url.startswith(("/", "#")))


def anchor_links(html: str, page_path: str) -> str:
    """``html`` with each relative URL made a path from the host's root.

    ``page_path`` is where the page really lies, as a path (``/en/404.html``).
    """
    def anchor(match: re.Match) -> str:
        url = match["url"]
        return f'{match["name"]}{urljoin(page_path, url) if is_relative(url) else url}"'

    return URL_ATTRIBUTE.sub(anchor, html)


def site_path(site_url: str) -> str:
    """The path part of the site's address: ``/`` or ``/repo/``."""
    return urlsplit(site_url).path or "/"


def write_root_page(source: Path, destination: Path, site_url: str) -> None:
    """Copy the root's 404 page (links written from the site's root) with its links anchored."""
    html = source.read_text(encoding="utf-8")
    destination.write_text(anchor_links(html, site_path(site_url) + destination.name), encoding="utf-8")


def ask_not_to_index(app, pagename, templatename, context, doctree) -> None:
    if pagename == NOT_FOUND_PAGE:
        context["metatags"] = context.get("metatags", "") + NOT_INDEXED


def anchor_built_page(app, pagename: str, html: str) -> str:
    """This language's 404 page with its links anchored; other pages as they are."""
    if pagename != NOT_FOUND_PAGE:
        return html
    # html_baseurl is this language's address under pwe_site_url (pwe_sphinx.i18n.language_switch).
    return anchor_links(html, site_path(app.config.html_baseurl) + f"{NOT_FOUND_PAGE}.html")


def setup(app):
    app.setup_extension("pwe_sphinx.i18n.language_switch")
    app.connect("html-page-context", ask_not_to_index)
    # Registered after pwe_sphinx.i18n.theme and valid_markup (conf.py lists them first), so
    # their rewrites see Sphinx's own markup.
    register_rewrite(app, anchor_built_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
