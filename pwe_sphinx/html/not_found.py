"""404 pages ("page not found") that work at whatever address they are served for.

A static host answers an address that has no page with a 404 page:
GitHub Pages and Read the Docs with the 404.html at the site's root, a
server configured for it with ``<lang>/404.html``. The browser shows that
page at the address the reader asked for, say ``/en/no/such/page.html``,
and resolves the page's links against that address. Sphinx writes relative
links (``_static/styles/furo.css``, ``beginner/pytorch_with_examples.html``),
which there would lead to ``/en/no/such/_static/...``: no style, no
scripts, and every link dead.

So each language's 404 page (docs/404.rst) writes its links as paths from
the host's root: ``/en/_static/...``, or ``/repo/en/_static/...`` for a
site published under ``https://user.github.io/repo/``. Paths, not whole
URLs, so that the page also works on a host other than the published one
(the tests' server on a random port, a local preview) as long as the site
sits at the same path. sphinx-notfound-page does this for the theme's links,
styles, scripts and sidebar, given ``notfound_urls_prefix``, which is set
here from ``pwe_site_url`` and the language; this module does it for what
that extension leaves relative: the links in the page's own text, the
language switch, and ``data-content_root`` (where Sphinx's search script
finds the site).

Why not ``<base href="/en/">``, which would take one line: a base applies to
every relative reference, fragments included, so the skip link
(``#furo-main-content``) and the theme's icons (``<use href="#svg-…">``)
would point to the language's home page instead of this page.

What this costs: opened from disk (``file://``) the 404 pages find neither
style nor links; they are only ever meant to be served over HTTP.

The page at the site's root (build/html/404.html) is docs/_root/404.html, a
small page in both languages like the language chooser; its links are
written as ``$root``-relative templates, and pwe_sphinx.tools.sitebuild
fills in the site's path with :func:`write_root_page`. Every 404 page asks
search engines not to index it.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from docutils import nodes

from pwe_sphinx.core.language import language_url

if TYPE_CHECKING:
    from typing import Any

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

NOT_INDEXED = '\n<meta name="robots" content="noindex">'


def is_relative(url: str) -> bool:
    """A reference resolved against the page's address: not absolute, not from the root, not a fragment."""
    parts = urlsplit(url)
    return bool(url) and not (parts.scheme or parts.netloc or url.startswith(("/", "#")))


def from_host_root(url: str, page_path: str) -> str:
    """``url``, written on the page at ``page_path``, as a path from the host's root if it was relative."""
    return urljoin(page_path, url) if is_relative(url) else url


def site_path(site_url: str) -> str:
    """The path part of the site's address: ``/`` or ``/repo/``."""
    return urlsplit(site_url).path or "/"


def write_root_page(source: Path, destination: Path, site_url: str) -> None:
    """Copy the root's 404 page with the site's path filled in where its links say ``$root``."""
    html = Template(source.read_text(encoding="utf-8")).substitute(root=site_path(site_url))
    destination.write_text(html, encoding="utf-8")


def set_urls_prefix(app: Sphinx, config: Config) -> None:
    """sphinx-notfound-page's prefix: this language's folder, as a path from the host's root."""
    config.notfound_urls_prefix = site_path(language_url(config))


def page_path(app: Sphinx) -> str:
    return f"{app.config.notfound_urls_prefix}{app.config.notfound_pagename}.html"


def anchor_text_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The 404 page's own links (to the home page, the tutorial, search) as paths from the host's root."""
    if docname != app.config.notfound_pagename:
        return
    for reference in doctree.findall(nodes.reference):
        if "refuri" in reference:
            reference["refuri"] = from_host_root(reference["refuri"], page_path(app))


def anchor_frame_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: nodes.document | None) -> None:
    if pagename != app.config.notfound_pagename:
        return
    context["metatags"] = context.get("metatags", "") + NOT_INDEXED
    context["content_root"] = app.config.notfound_urls_prefix
    for language in context.get("pwe_languages", ()):
        language["url"] = from_host_root(language["url"], page_path(app))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("notfound.extension")
    app.setup_extension("pwe_sphinx.i18n.language_switch")
    # Before sphinx-notfound-page checks the prefix (config-inited, priority 500).
    app.connect("config-inited", set_urls_prefix, priority=400)
    app.connect("doctree-resolved", anchor_text_links)
    # After pwe_sphinx.i18n.language_switch has listed the languages.
    app.connect("html-page-context", anchor_frame_links, priority=600)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
