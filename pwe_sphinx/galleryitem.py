"""The ``galleryitem`` directive: a card that links to an example's page.

::

    .. galleryitem:: /beginner/examples_tensor/polynomial_numpy.py

The card shows the thumbnail sphinx-gallery made for the example, the page
title as a link, and the first sentence of the example's introduction. The
PyTorch tutorials declare this directive but render nothing; here it is the
way into each example from the main page.

The card is written as rst and parsed in place, so the link and image go
through Sphinx's usual resolution (relative URLs, image copying) and the
intro sentence is a translatable message of the page that holds the card.
"""

from __future__ import annotations

from pathlib import PurePosixPath, Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from pwe_sphinx.example_source import ExampleSourceError, read_example


def thumbnail_of(script: PurePosixPath) -> PurePosixPath:
    """Where sphinx-gallery puts the thumbnail of a script in its gallery folder."""
    return script.parent / "images" / "thumb" / f"sphx_glr_{script.stem}_thumb.png"


class GalleryItem(SphinxDirective):
    """Render a linked card for one gallery example."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0]
        rel_path, abs_path = self.env.relfn2path(argument, self.env.docname)
        path = Path(abs_path)
        if not path.is_file():
            raise self.error(f"galleryitem: file not found: {argument} (looked for {path})")
        try:
            example = read_example(path)
        except ExampleSourceError as err:
            raise self.error(f"galleryitem: {err}") from err
        script = PurePosixPath("/" + rel_path)
        thumbnail = thumbnail_of(script)
        if not (self.env.srcdir / thumbnail.relative_to("/")).is_file():
            raise self.error(f"galleryitem: {argument} has no thumbnail at {thumbnail}; did the example run?")
        self.env.note_dependency(rel_path)

        card_rst = [
            ".. container:: pwe-card",
            "",
            f"   .. image:: {thumbnail}",
            "      :alt:",
            "      :class: pwe-card-thumb",
            "",
            f"   :doc:`{script.with_suffix('')}`",
            "",
            f"   {example.intro}",
        ]
        source, line = self.get_source_info()
        content = StringList(card_rst, items=[(source, line)] * len(card_rst))
        holder = nodes.Element()
        self.state.nested_parse(content, self.content_offset, holder)
        return holder.children


def setup(app):
    app.add_directive("galleryitem", GalleryItem)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
