"""The ``galleryitem`` directive: a card that links to an example's page.

::

    .. galleryitem:: /beginner/examples_tensor/polynomial_numpy.py

The card shows the thumbnail sphinx-gallery made for the example, the page
title as a link, and the first sentence of the example's introduction. The
PyTorch tutorials declare this directive but render nothing; here it is the
way into each example from the main page.

The card is written as rst and parsed in place, so the link and image go
through Sphinx's usual resolution (relative URLs, image copying).

The summary is not a message of the page that holds the card: a second
translation of the same sentence would drift from the first. On a
translated site it is the first sentence of the example page's own
translation of its introduction, read from that page's catalogue (one per
page, ``gettext_compact = False``); the holding page is rebuilt when that
catalogue changes. Where the introduction has no published translation, the
card says in English what the example's page says in English; where it has
one, the English sentence is kept for 中英对照 (``pwe_sphinx.i18n.bilingual``).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList

from pwe_sphinx.core.example_source import ExampleSource, ExampleSourceError, first_sentence, read_example
from pwe_sphinx.core.gallery_seam import thumbnail_path
from pwe_sphinx.core.language import published_messages
from pwe_sphinx.core.originals import keep_original
from pwe_sphinx.directives.file_directive import FileArgumentDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def thumbnail_of(script: PurePosixPath) -> PurePosixPath:
    """Where sphinx-gallery puts the thumbnail of a script in its gallery folder."""
    return PurePosixPath(thumbnail_path(script))


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

        summary = card_summary(example, self.page_catalogues(str(script.with_suffix("")).lstrip("/")))
        card_rst = [
            ".. container:: pwe-card",
            "",
            f"   .. image:: {thumbnail}",
            "      :alt:",
            "      :class: pwe-card-thumb",
            "",
            f"   :doc:`{script.with_suffix('')}`",
            "",
            f"   {summary}",
        ]
        source, line = self.get_source_info()
        content = StringList(card_rst, items=[(source, line)] * len(card_rst))
        holder = nodes.Element()
        self.state.nested_parse(content, self.content_offset, holder)
        for paragraph in holder.findall(nodes.paragraph):
            if paragraph.rawsource == summary:
                paragraph["translatable"] = False  # already in the page's language; no message of its own
                if summary != example.intro:
                    keep_original(paragraph, self.inline_nodes(example.intro))
        return holder.children

    def inline_nodes(self, text: str) -> list[nodes.Node]:
        """The inline nodes of one line of rst."""
        holder = nodes.Element()
        self.state.nested_parse(StringList([text], items=[self.get_source_info()]), self.content_offset, holder)
        return list(holder[0].children) if holder.children else []

    def page_catalogues(self, docname: str) -> list[Path]:
        """The catalogues that may translate page ``docname`` in this build's language, noted as dependencies.

        Sphinx rebuilds a page when its own catalogue changes; this page shows
        a sentence from another page's catalogue, so it depends on that one too.
        """
        found: list[Path] = []
        for locale_dir in self.config.locale_dirs:
            path = Path(self.env.srcdir, locale_dir, self.config.language, "LC_MESSAGES", f"{docname}.po")
            if path.is_file():  # Sphinx rebuilds a page on every build while a dependency is missing
                self.env.note_dependency(str(path))
                found.append(path)
        return found


def card_summary(example: ExampleSource, catalogues: list[Path]) -> str:
    """The first sentence of the example's introduction, as the example's page shows it.

    The page shows the translation of the whole introduction, a message of
    the page's catalogue, or the English paragraph where there is none.
    """
    for catalogue in catalogues:
        translated = published_messages(catalogue).get(example.paragraph)
        if translated:
            return first_sentence(translated)
    return example.intro


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_directive("galleryitem", GalleryItem)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
