"""A sitemap and a robots.txt for search engines, written from the built site.

The sitemap (sitemaps.org protocol 0.9, build/html/sitemap.xml) lists every
content page of every language, each with its counterparts in the other
languages and the language chooser at the site's root as ``x-default``
(``<xhtml:link rel="alternate" hreflang>``), the same alternates that each
page names in its ``<head>`` (pwe_sphinx.i18n.language_switch). Search engines
then know all pages at once, and which ones say the same thing.

pwe_sphinx.tools.sitebuild writes it after the language builds have succeeded,
from the files they wrote, so it lists what is there and nothing else.
Pages that are not content are left out: search, the general index and the
404 page. There is no ``<lastmod>``: dates would make two builds of the same
sources differ (tests/test_reproducible.py); entries are sorted for the same
reason.

robots.txt names the sitemap. Crawlers read robots.txt only at a host's
root, so for a site published under a path (a GitHub project site,
``https://user.github.io/repo/``) it is ignored; there, give the sitemap's
address to the search engines' webmaster tools.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# Pages of a language's build that are tools or errors, not content.
NOT_CONTENT = frozenset({"search.html", "genindex.html", "py-modindex.html", "404.html"})


def content_pages(language_dir: Path) -> list[str]:
    """The content pages of one language's build, as sorted paths relative to its folder.

    Folders whose names start with ``_`` hold Sphinx's assets and sources, not pages.
    """
    pages = []
    for path in language_dir.rglob("*.html"):
        relative = path.relative_to(language_dir)
        if not any(part.startswith("_") for part in relative.parts[:-1]) and relative.as_posix() not in NOT_CONTENT:
            pages.append(relative.as_posix())
    return sorted(pages)


def page_url(site_url: str, language: str, page: str) -> str:
    return f"{site_url}{language}/{quote(page)}"


def sitemap_xml(site_url: str, pages: dict[str, list[str]], language_tags: dict[str, str]) -> bytes:
    """The sitemap of ``pages`` (per language, in the site's language order); hreflang from ``language_tags``."""
    ET.register_namespace("", SITEMAP_NAMESPACE)
    ET.register_namespace("xhtml", XHTML_NAMESPACE)
    urlset = ET.Element(f"{{{SITEMAP_NAMESPACE}}}urlset")
    for language, names in pages.items():
        for name in names:
            url = ET.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}loc").text = page_url(site_url, language, name)
            alternates = [(language_tags[other], page_url(site_url, other, name))
                          for other, other_names in pages.items() if name in other_names]
            for hreflang, href in [*alternates, ("x-default", site_url)]:
                ET.SubElement(url, f"{{{XHTML_NAMESPACE}}}link", rel="alternate", hreflang=hreflang, href=href)
    ET.indent(urlset)
    document: bytes = ET.tostring(urlset, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nDisallow:\n\nSitemap: {site_url}sitemap.xml\n"


def write_sitemap_and_robots(html_dir: Path, site_url: str, language_tags: dict[str, str]) -> None:
    """Write html_dir/sitemap.xml and html_dir/robots.txt for the languages (conf.py's
    ``pwe_language_tags``, in the site's order) built into html_dir."""
    pages = {language: content_pages(html_dir / language) for language in language_tags
             if (html_dir / language).is_dir()}
    if not any(pages.values()):
        raise RuntimeError(f"sitemap: no pages of {', '.join(language_tags)} under {html_dir}")
    (html_dir / "sitemap.xml").write_bytes(sitemap_xml(site_url, pages, language_tags))
    (html_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")
