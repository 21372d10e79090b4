"""Make sphinx-gallery's pages translatable without freezing their output.

With ``gettext_additional_targets = ["literal-block"]`` every literal block
becomes a message, so that code can carry translated comments. Two kinds of
generated text must not go into the catalogues, because they change whenever
an example's numbers do:

* printed output (blocks with the class ``sphx-glr-script-out``, and
  ``pwe-script-output`` for the programs of ``pwe_sphinx.directives.executed``): each
  language shows the output of the current build, never a copy;
* the "Total running time of the script" line: its figures change on every
  run, so it is rewritten here with a label from ``sphinx.locale``.

The transform runs before Sphinx's Locale transform (priority 20) and the
gettext builder's extraction, both of which skip non-translatable nodes.

The gallery index pages list their examples in cards that sphinx-gallery
writes as raw HTML, each with the example's title, so the titles never reach
a catalogue. On a translated site each card's title is the one the example's
page shows: its title's translation in that page's own catalogue, read as
``pwe_sphinx.directives.galleryitem`` reads a card's summary, and the index
page depends on that catalogue. A title without a published translation
stays English, as the example's page does.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from pwe_sphinx.core.gallery_seam import CARD_CONTAINER_CLASS, CARD_TITLE, CARD_TITLE_CLASS, OUTPUT_CLASS, RUNNING_TIME
from pwe_sphinx.core.labels import _
from pwe_sphinx.core.language import FULL_WIDTH, published_messages

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


OUTPUT_CLASSES = {OUTPUT_CLASS, "pwe-script-output"}


class FreezeGeneratedText(SphinxTransform):
    """Keep build output out of the catalogues; localise the running time."""

    default_priority = 10

    def apply(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.literal_block):
            if OUTPUT_CLASSES.intersection(block["classes"]):
                block["translatable"] = False
        for paragraph in list(self.document.findall(nodes.paragraph)):
            match = RUNNING_TIME.match(paragraph.astext())
            if match:
                paragraph.replace_self(running_time_paragraph(paragraph, *match.groups()))


def after_label(label: str) -> str:
    """What separates a label from its value: a space, or none after full-width punctuation (脚本总运行时间：)."""
    return "" if label[-1:] in FULL_WIDTH else " "


def running_time_paragraph(original: nodes.paragraph, minutes: str, seconds: str) -> nodes.paragraph:
    label = str(_("Total running time of the script:"))
    figures = str(_("({minutes} minutes {seconds} seconds)")).format(minutes=minutes, seconds=seconds)
    paragraph = nodes.paragraph("", "", nodes.strong(label, label), nodes.Text(after_label(label) + figures),
                                classes=original["classes"], translatable=False)
    paragraph.source, paragraph.line = original.source, original.line
    return paragraph


class TranslateCardTitles(SphinxTransform):
    """Give each card of a gallery index the title its example's page shows in this language."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == "en":
            return
        for raw in list(self.document.findall(nodes.raw)):
            if CARD_TITLE_CLASS not in raw.astext():
                continue
            docname = card_target(raw)
            if docname is None:
                continue
            titles = self.catalogue_messages(docname)
            # The lambda runs inside this iteration's sub(), so it reads this card's titles.
            text = CARD_TITLE.sub(lambda match: match.group(1) + translated_title(match.group(2), titles)  # noqa: B023
                                  + match.group(3), raw.astext())
            raw.replace_self(nodes.raw(text, text, format=raw["format"]))

    def catalogue_messages(self, docname: str) -> dict[str, str]:
        """The published translations of the page ``docname``, its catalogue noted as a dependency."""
        messages: dict[str, str] = {}
        for locale_dir in self.config.locale_dirs:
            path = Path(self.env.srcdir, locale_dir, self.config.language, "LC_MESSAGES", f"{docname}.po")
            if path.is_file():  # Sphinx rebuilds a page on every build while a dependency is missing
                self.env.note_dependency(str(path))
                messages = {**published_messages(path), **messages}
        return messages


def card_target(title_raw: nodes.raw) -> str | None:
    """The docname of the example a card's title belongs to: the link just before it in the card."""
    parent = title_raw.parent
    for sibling in reversed(parent.children[:parent.index(title_raw)]):
        link = next(iter(sibling.findall(addnodes.pending_xref)), None) if isinstance(sibling, nodes.Element) else None
        if link is not None and link.get("reftype") == "doc":
            return str(link["reftarget"]).lstrip("/")
        if isinstance(sibling, nodes.raw) and CARD_CONTAINER_CLASS in sibling.astext():
            return None  # the start of this card: it has no link
    return None


def translated_title(escaped: str, messages: dict[str, str]) -> str:
    """A card's title (as HTML) in the page's language: its translation, as text, or as it was."""
    translation = messages.get(html.unescape(escaped))
    return html.escape(translation.replace("``", ""), quote=False) if translation else escaped


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.add_transform(FreezeGeneratedText)
    app.add_transform(TranslateCardTitles)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
