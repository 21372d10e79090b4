"""English asides in Chinese text, marked as English.

A translation may keep a term's English beside it in full-width parentheses,
推理张量（inference tensor）, so that the reader can look the term up in
English documentation. Such an aside is English on purpose, and the site's
rule for English written into a Chinese page on purpose is that it sits in
an element marked ``lang="en"``: a screen reader then reads it as English,
and the checks for English that a Chinese page must not show leave it out.
So the Chinese build marks the text of each aside as it writes the page, and
the catalogue check (``pwe_sphinx.i18n.catalogues.english_left``) lets the
same asides pass. Only the words are marked; the parentheses are Chinese
punctuation. An aside that holds no English word (（x）, （1e-6）) is left
as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from pwe_sphinx.i18n.english_text import LATIN_ASIDE, english_phrases

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


# Text that is code, maths or markup already: no aside is looked for in it.
NOT_PROSE = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.math, nodes.math_block)


def marked_pieces(text: str) -> list[nodes.Node] | None:
    """``text`` cut into text and English asides marked ``lang="en"``; None if it has none."""
    pieces: list[nodes.Node] = []
    cut = 0
    for match in LATIN_ASIDE.finditer(text):
        words = match.group(1)
        if not english_phrases(words):
            continue
        pieces.append(nodes.Text(text[cut:match.start(1)]))
        pieces.append(nodes.inline(words, words, classes=["language-en"]))  # docutils writes lang="en"
        cut = match.end(1)
    if not pieces:
        return None
    return [*pieces, nodes.Text(text[cut:])]


class MarkEnglishAsides(SphinxPostTransform):
    """Mark the English asides of a translated page's text (HTML builders only)."""

    default_priority = 700  # before pwe_sphinx.i18n.glosses (800), if present, which reads the same text
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if self.config.language == "en":
            return
        for text in list(self.document.findall(nodes.Text)):
            parent = text.parent
            if parent is None or isinstance(parent, NOT_PROSE) or any(
                    isinstance(ancestor, NOT_PROSE) for ancestor in parent_chain(parent)):
                continue
            pieces = marked_pieces(str(text))
            if pieces is not None:
                index = next(index for index, child in enumerate(parent.children) if child is text)
                parent[index:index + 1] = [piece for piece in pieces if not isinstance(piece, nodes.Text) or piece]


def parent_chain(node: nodes.Node | None) -> Iterator[nodes.Node]:
    while node is not None:
        yield node
        node = node.parent


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(MarkEnglishAsides)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
