"""Tell search engines and link previews what each page is about.

Every page gets a ``<meta name="description">`` and Open Graph tags
(``og:title``, ``og:description``, ``og:type``, ``og:url``, ``og:locale``
with its alternates, ``og:site_name``). The description is the page's own
first paragraph of prose, in the page's language, cut at a word (or, in
Chinese, a character) boundary to fit what search results show; pages with
no prose of their own (search, index) get the site's description.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes

from pwe_sphinx.core.labels import _

if TYPE_CHECKING:
    from typing import Any

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

# Search results show about this many characters of a description.
DESCRIPTION_LENGTH = 155
# Paragraphs inside these are notes, tables or navigation, not the page's prose.
NOT_PROSE = (nodes.Admonition, nodes.topic, nodes.sidebar, nodes.table, nodes.field_list,
             nodes.footnote, addnodes.toctree, addnodes.compact_paragraph)


def first_prose(doctree: nodes.Node) -> str | None:
    """The text of the first paragraph that is not inside a note, table or navigation."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        while parent is not None and not isinstance(parent, NOT_PROSE):
            parent = parent.parent
        if parent is None:
            text = " ".join(paragraph.astext().split())
            if text:
                return text
    return None


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most ``limit`` characters, ending at a space where the text has spaces near the end."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


# Open Graph names locales language_TERRITORY.
OPEN_GRAPH_LOCALES = {"en": "en_US", "zh_CN": "zh_CN"}


def metadata_tags(app: Sphinx, pagename: str, title: str, doctree: nodes.document | None) -> str:
    config = app.config
    prose = first_prose(doctree) if doctree is not None else None
    description = shorten(prose or str(_("Learn PyTorch by example: lessons whose code runs as the site is "
                                         "built, with its printed output and plots.")))
    site_name = config.html_title or config.project
    url = f"{config.html_baseurl}{pagename}.html"
    others = [code for code in config.pwe_languages if code != config.language]
    properties = [
        ("og:title", title or site_name),
        ("og:description", description),
        ("og:type", "website" if pagename == config.root_doc else "article"),
        ("og:url", url),
        ("og:site_name", site_name),
        ("og:locale", OPEN_GRAPH_LOCALES.get(config.language, config.language)),
        *[("og:locale:alternate", OPEN_GRAPH_LOCALES.get(code, code)) for code in others],
    ]
    tags = [f'<meta name="description" content="{escape(description)}">']
    tags += [f'<meta property="{name}" content="{escape(value)}">' for name, value in properties]
    return "".join(f"\n{tag}" for tag in tags)


def add_metadata(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: nodes.document | None) -> None:
    title = Markup(context.get("title") or "").striptags()  # the context's title is HTML
    context["metatags"] = context.get("metatags", "") + metadata_tags(app, pagename, title, doctree)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.i18n.language_switch")
    app.connect("html-page-context", add_metadata)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
