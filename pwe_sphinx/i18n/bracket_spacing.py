"""Drop the one space Chinese typography does not want but reStructuredText needs.

Full-width punctuation carries its own spacing, so Chinese text puts no
space beside it, and the catalogue check holds translations to that
(``pwe_sphinx.i18n.catalogues.space_beside_full_width``). docutils, though,
ends inline markup only before a space or punctuation other than an opening
bracket, and starts it only after a space or punctuation other than a
closing bracket: ``torch.no_grad()`` （…） and （…） ``x`` need their space in
the source, or the markup is not markup. The catalogues keep the site's one
style, spaces, and this transform takes that space out of the page once
docutils has found the markup, so that the reader sees ``x``（… as Chinese
typography sets it.

It changes nothing in English text, which has no full-width brackets.
Markdown needs no such space, so the Chinese notebooks, made from the same
rst, drop it too (``without_markdown_bracket_spaces``, used by
``pwe_sphinx.i18n.downloads``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


SPACE_BEFORE_OPENER = re.compile(r"^[ \t]+(?=[（《「『【〔])")
SPACE_AFTER_CLOSER = re.compile(r"(?<=[）》」』】〕])[ \t]+$")
# In a notebook's Markdown: a code span's closing backquote, a space, an
# opening bracket; or a closing bracket, a space, a code span.
MARKDOWN_BRACKET_SPACE = re.compile(r"(?<=`)[ \t]+(?=[（《「『【〔])|(?<=[）》」』】〕])[ \t]+(?=`)")


def without_markdown_bracket_spaces(markdown: str) -> str:
    """Markdown text without the space between a code span and a full-width bracket."""
    return MARKDOWN_BRACKET_SPACE.sub("", markdown)


def is_markup(node: nodes.Node | None) -> bool:
    """Inline markup beside a text: a literal, a link, emphasis, a role's node."""
    return isinstance(node, nodes.Element) and not isinstance(node, nodes.Structural)


class DropSpaceBesideBrackets(SphinxTransform):
    """Between inline markup and a full-width bracket, remove the space the source needed."""

    default_priority = 900  # after the Locale transform (20) has put the translation in

    def apply(self, **kwargs: Any) -> None:
        for element in self.document.findall(nodes.TextElement):
            if isinstance(element, nodes.FixedTextElement):
                continue  # code keeps its spaces
            children = element.children
            for index, child in enumerate(children):
                if not isinstance(child, nodes.Text):
                    continue
                text = str(child)
                if index > 0 and is_markup(children[index - 1]):
                    text = SPACE_BEFORE_OPENER.sub("", text)
                if index + 1 < len(children) and is_markup(children[index + 1]):
                    text = SPACE_AFTER_CLOSER.sub("", text)
                if text != child:
                    children[index] = nodes.Text(text)
                    children[index].parent = element

def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_transform(DropSpaceBesideBrackets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
