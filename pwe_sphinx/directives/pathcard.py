"""The ``pathcard`` directive: one card of the home page's path, a picture, a linked title and a line.

::

    .. container:: pwe-cards

       .. pathcard:: /beginner/examples_tensor/images/thumb/sphx_glr_polynomial_numpy_thumb.png

          :ref:`1. Tensors <tutorial-tensors>`

          Gradient descent written out by hand, first in numpy, then with tensors.

The argument is the picture; the content is two paragraphs, the title as a
single link (``:ref:`` or ``:doc:``) and a sentence on the step. Adding a
step to the path is one more directive. The card is the container the home
page always had (``pwe-card``), so its title and sentence stay messages of
the page's catalogue, translated like the rest of the page. The stylesheet
stretches the title's link over the whole card, so that the card is one
link, reached by one press of Tab, and lays the cards out as wide as the
content column.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

CARD_CLASS = "pwe-card"


class PathCard(SphinxDirective):
    """A home-page card whose whole area links to its title's target."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        thumbnail = PurePosixPath(self.arguments[0])
        _rel, absolute = self.env.relfn2path(str(thumbnail), self.env.docname)
        if not Path(absolute).is_file():
            raise self.error(f"pathcard: picture not found: {thumbnail} (looked for {absolute})")
        card = nodes.container(classes=[CARD_CLASS])
        self.set_source_info(card)
        picture = StringList([f".. image:: {thumbnail}", "   :alt:", "   :class: pwe-card-thumb", ""],
                             items=[self.get_source_info()] * 4)
        self.state.nested_parse(picture, self.content_offset, card)
        self.state.nested_parse(self.content, self.content_offset, card)
        self.check_shape(card)
        return [card]

    def check_shape(self, card: nodes.container) -> None:
        """A title paragraph that is one link, then a sentence: anything else would not read as a card."""
        paragraphs = [child for child in card.children if isinstance(child, nodes.paragraph)]
        if len(paragraphs) != 2:
            raise self.error(f"pathcard: the card needs two paragraphs, its linked title and a sentence; "
                             f"it has {len(paragraphs)}")
        title = paragraphs[0]
        links = [node for node in title.children if isinstance(node, (addnodes.pending_xref, nodes.reference))]
        if len(title.children) != 1 or len(links) != 1:
            raise self.error(f"pathcard: the title {title.astext()!r} must be a single link (:ref: or :doc:)")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("pathcard", PathCard)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
