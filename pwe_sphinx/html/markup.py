"""Valid and accessible markup where Sphinx and sphinx-gallery write it.

The Nu Html Checker and axe-core report these faults in the pages Sphinx
writes. Each is fixed where the markup is made, so every page, written by
this process or by a ``-j`` worker, comes out right the first time:

* sphinx-gallery's thumbnails carry a ``tooltip`` attribute, which HTML does
  not have (its CSS shows the attribute on hover). The tooltip repeats the
  example's introduction, and on the Chinese site it would do so in English,
  since raw HTML is not translated. A transform removes it from the doctree.
* Toctree captions (on pages, and in furo's sidebar, which Sphinx renders
  with the same translator) have ``role="heading"`` without the
  ``aria-level`` that role requires; they are level-2 headings.
* Code blocks scroll sideways when their lines are long, and so, on a phone,
  do the wrappers furo puts around tables and display formulas. A region that
  scrolls must be reachable with the keyboard, so each ``<pre>`` of
  highlighted code and each table or formula wrapper gets ``tabindex="0"``.

The last two are the HTML translator's work, in the subclass below (Sphinx's
public hook for changing how nodes are written), for every node it writes:
sphinx-gallery writes the code that carries links to PyTorch's documentation
through a node of its own. The theme's own frame is
mended in ``pwe_sphinx.html.theme_frame``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

TOOLTIP = re.compile(r'\s+tooltip="[^"]*"')
# The containers furo's post-transform wraps around tables and display maths.
SCROLLING_WRAPPERS = {"table-wrapper", "math-wrapper"}
HIGHLIGHTED_PRE = '<div class="highlight"><pre>'
FOCUSABLE_PRE = '<div class="highlight"><pre tabindex="0">'


class DropGalleryTooltips(SphinxTransform):
    """Remove the ``tooltip`` attribute from sphinx-gallery's raw thumbnail HTML."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for raw in self.document.findall(nodes.raw):
            if "html" in raw.get("format", "").split() and "tooltip=" in raw.astext():
                text = TOOLTIP.sub("", raw.astext())
                raw.replace_self(nodes.raw(text, text, format=raw["format"]))


def is_toctree_caption(node: nodes.Element) -> bool:
    return isinstance(node.parent, addnodes.compact_paragraph) and bool(node.parent.get("toctree"))


class AccessibleHTMLTranslator(HTML5Translator):
    """Sphinx's HTML5 translator, with headings levelled and scrolling regions focusable."""

    def visit_title(self, node: nodes.title) -> None:
        if not is_toctree_caption(node):
            super().visit_title(node)
            return
        # (mypy cannot tell that the unpacked dict does not set starttag's `empty` argument)
        self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                       **{"aria-level": "2"}))  # type: ignore[arg-type]
        self.body.append('<span class="caption-text">')
        self.context.append("</span></p>\n")

    def dispatch_visit(self, node: nodes.Node) -> None:
        # Highlighted code reaches the body whole, from Sphinx's visit_literal_block or from
        # the node sphinx-gallery puts in its place to embed links; whoever wrote it, each
        # highlighted <pre> becomes focusable.
        written_from = len(self.body)
        try:
            super().dispatch_visit(node)
        finally:
            for index in range(written_from, len(self.body)):
                if HIGHLIGHTED_PRE in self.body[index]:
                    self.body[index] = self.body[index].replace(HIGHLIGHTED_PRE, FOCUSABLE_PRE)

    def visit_container(self, node: nodes.container) -> None:
        super().visit_container(node)  # writes the container's start tag, and nothing else
        if not SCROLLING_WRAPPERS.isdisjoint(node["classes"]):
            self.body[-1] = self.body[-1].replace(">", ' tabindex="0">', 1)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_transform(DropGalleryTooltips)
    app.set_translator("html", AccessibleHTMLTranslator)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
