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

from pathlib import PurePosixPath

from docutils import nodes
from docutils.statemachine import StringList

from pwe_sphinx.gallery.example_source import ExampleSourceError, read_example
from pwe_sphinx.directives.file_directive import FileArgumentDirective


def thumbnail_of(script: PurePosixPath) -> PurePosixPath:
    """Where sphinx-gallery puts the thumbnail of a script in its gallery folder."""
    return script.parent / "images" / "thumb" / f"sphx_glr_{script.stem}_thumb.png"


class GalleryItem(FileArgumentDirective):
    """Render a linked card for one gallery example."""

    name_in_messages = "galleryitem"

    def run(self) -> list[nodes.Node]:
        rel_path, path = self.argument_file()
        try:
            example = read_example(path)
        except ExampleSourceError as err:
            raise self.fail(str(err)) from err
        script = PurePosixPath("/" + rel_path)
        thumbnail = thumbnail_of(script)
        if not (self.env.srcdir / thumbnail.relative_to("/")).is_file():
            raise self.fail(f"{self.arguments[0]} has no thumbnail at {thumbnail}; did the example run?")

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
