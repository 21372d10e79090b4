"""The figures the build drew go into the page as inline SVG, so that their words are the page's text.

Why not ``<img>``: a browser draws an SVG image as a picture. Its labels
cannot be selected or copied, and find-in-page does not see them. Written
into the page, each label is a ``<text>`` element of the document like any
paragraph, and on the Chinese site it is the translation from the page's
catalogue (``pwe_sphinx.i18n.figure_text``), put in as the page is written:
the example does not run again, and the English file in docs/ is only read.

A post-transform of the HTML builders replaces each image node that shows a
figure (sphinx-gallery's ``imgsgnode``, and the docutils images of the
executed scripts) by an ``InlineSVG`` node holding the markup. The builder
then copies no file for it into ``_images``, and the search index is built
as before, from the page's prose: a node without text adds no words.

matplotlib writes a whole document, so the markup is adjusted to sit in
another one:

* the XML declaration, the doctype and the RDF metadata go;
* the ids nothing refers to go (matplotlib names every group: ``figure_1``,
  ``axes_1``, ``text_12``, the same in every figure), and the others, with
  every reference to them, get the file's name as a prefix: two figures on
  one page give identical markers the same hashed id;
* the rule of its ``<style>`` element (``*{stroke-linejoin: round}``) is
  scoped to the figure, which it would otherwise leave for the whole page;
* the root element gets ``role="img"`` and an accessible name, in the
  page's language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from pwe_sphinx.core.gallery_seam import FIGURE_NAME, imgsgnode
from pwe_sphinx.core.labels import _
from pwe_sphinx.core.language import is_translated
from pwe_sphinx.i18n.figure_text import figure_path, page_messages, translate_svg

if TYPE_CHECKING:
    from typing import Any

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

SVG_START = re.compile(r"<svg\b")
METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
ID = re.compile(r'\s+id="([^"]+)"')
HREF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
URL = re.compile(r"url\(#([^)]+)\)")
STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL)
RULE_SELECTORS = re.compile(r"([^{}]+)\{")
# sphinx-gallery's fallback alt text: the example's name, without "sphx_glr_" and the figure number.
GALLERY_FIGURE = FIGURE_NAME


class InlineSVG(nodes.General, nodes.Element):
    """A figure's SVG markup, written into the page as it is."""


def visit_inline_svg(self: HTML5Translator, node: InlineSVG) -> None:
    self.body.append(node["markup"])
    raise nodes.SkipNode


def scoped_style(css: str, root_id: str) -> str:
    """The stylesheet with every selector limited to the element whose id is ``root_id``."""
    def scope(match: re.Match[str]) -> str:
        selectors = [selector.strip() for selector in match.group(1).split(",")]
        return ", ".join(f"#{root_id} {selector}" for selector in selectors) + "{"

    return RULE_SELECTORS.sub(scope, css)


def embeddable(svg: str, prefix: str) -> str:
    """matplotlib's SVG document as an element for an HTML page, its ids prefixed with ``prefix-``."""
    start = SVG_START.search(svg)
    if start is None:
        raise ValueError("no <svg> element")
    svg = METADATA.sub("", svg[start.start():]).strip()
    referenced = {m.group(2) for m in HREF.finditer(svg)} | {m.group(1) for m in URL.finditer(svg)}
    svg = ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"' if m.group(1) in referenced else "", svg)
    svg = HREF.sub(lambda m: f'{m.group(1)}="#{prefix}-{m.group(2)}"', svg)
    svg = URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return STYLE.sub(lambda m: m.group(1) + scoped_style(m.group(2), prefix) + m.group(3), svg)


def with_root_attributes(svg: str, attributes: dict[str, str]) -> str:
    """The element with ``attributes`` added to its opening ``<svg`` tag."""
    written = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    return SVG_START.sub(lambda m: m.group(0) + written, svg, count=1)


def in_page_language(text: str, messages: dict[str, str]) -> str:
    """Text made of figure strings (sphinx-gallery's alt text joins the titles) with each one translated."""
    for english in sorted(messages, key=len, reverse=True):
        if english in text and messages[english]:
            text = text.replace(english, messages[english])
    return text


def accessible_name(node: nodes.Element, path: Path, messages: dict[str, str]) -> str:
    """What a screen reader says for the figure, in the page's language.

    An image's alt text is already a message of the page. sphinx-gallery
    writes the figures' titles as alt text, or, when a figure has none, the
    example's file name, which says nothing: that becomes "Figure N drawn by
    this example".
    """
    alt = node.get("alt") or ""
    gallery = GALLERY_FIGURE.match(path.stem)
    if isinstance(node, imgsgnode) and gallery:
        if not alt or alt == re.sub(r"[-,_]", " ", gallery.group(1)):
            return str(_("Figure {number} drawn by this example")).format(number=int(gallery.group(2)))
        return in_page_language(alt, messages)
    return alt or str(_("Figure drawn by this program"))


def inline_markup(node: nodes.Element, path: Path, messages: dict[str, str]) -> str:
    svg = path.read_text(encoding="utf-8")
    if messages:
        svg = translate_svg(svg, messages)
    classes = ["pwe-figure", *node.get("classes", [])]
    attributes = {"class": " ".join(classes), "role": "img",
                  "aria-label": accessible_name(node, path, messages)}
    prefix = path.stem
    return with_root_attributes(embeddable(svg, prefix), {"id": prefix, **attributes})


def figure_images(document: nodes.document) -> list[nodes.Element]:
    """The image nodes that may show a figure the build drew: docutils' and sphinx-gallery's."""
    return [node for node in document.findall(nodes.Element) if isinstance(node, (nodes.image, imgsgnode))]


class InlineSVGFigures(SphinxPostTransform):
    """Put each figure the build drew into the page as inline SVG (HTML builders only)."""

    default_priority = 400  # before Sphinx collects the images to copy, which happens as pages are written
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        messages = None  # the page's catalogue, read only for a page that shows a figure
        for node in figure_images(self.document):
            path = figure_path(self.env, node.get("uri") or "")
            if path is None:
                continue
            if not path.is_file():
                logger.warning(f"inline_figures: the figure {path} does not exist", location=node,
                               type="pwe", subtype="inline_figures")
                continue
            if messages is None:
                messages = page_messages(self.env, self.env.docname) if is_translated(self.config) else {}
            node.replace_self(InlineSVG(markup=inline_markup(node, path, messages)))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.i18n.figure_text")
    app.setup_extension("pwe_sphinx.core.labels")
    app.setup_extension("pwe_sphinx.i18n.language_switch")  # pwe_languages: which build is translated
    app.add_node(InlineSVG, html=(visit_inline_svg, None))
    app.add_post_transform(InlineSVGFigures)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
