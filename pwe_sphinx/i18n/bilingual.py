"""中英对照: the English original beneath each translated paragraph and heading.

A translated page keeps no trace of its source text: Sphinx's ``Locale``
transform (priority 20) replaces the children of each translated node with
the parsed translation. So, in every build whose language is not English:

* ``KeepOriginals`` runs just before it and keeps a copy of the English
  children of each paragraph, section title and rubric that is a catalogue
  message, in the node's ``pwe_original`` attribute, and each section's
  English title (links in other pages' originals are named by it). List items
  and table cells hold paragraphs, so they are covered; code blocks, printed
  output and display maths are no such node and keep their one form. A card
  of ``pwe_sphinx.directives.galleryitem`` keeps its English sentence too.
* ``WriteOriginals``, a post-transform run as each page is written, puts each
  copy back after its translation as an ``original`` node, unless the two
  read the same or the node is sphinx-gallery's frame (download links). It
  runs before cross-references are resolved, so that ``:doc:`` and ``:ref:``
  links in the English resolve like the translation's; those without words
  of their own get the English title. Ids in the copy go (the translation
  keeps them); named links are resolved as docutils resolved the
  translation's; quotes and dashes become typographic, as on English pages.
* The HTML translator writes the node as ``<span class="pwe-original"
  lang="en" hidden>``, an inline element, valid inside a ``<p>`` or an
  ``<h2>``. It adds no text to the node that holds it (``astext()`` gives
  "") and has the class ``no-search``, so the page's description and the
  search index, its titles too, hold only the translation.

The reader's switch (``docs/_templates/sidebar/bilingual-switch.html``, a
button with ``aria-pressed``) and a script inline in each page's ``<head>``
(``bilingual.js``; inline, it runs from ``file://`` too) remember the choice
in ``localStorage`` and set the class ``pwe-bilingual`` on ``<html>`` before
the page is drawn; ``docs/_static/pwe.css`` shows the originals under that
class, and never in print. The script also keeps them out of the quotes on
the search page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.utils import smartquotes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinx.util.nodes import extract_messages, is_smartquotable

from pwe_sphinx.core.labels import _
from pwe_sphinx.core.originals import ATTRIBUTE, keep_original

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator


SOURCE_LANGUAGE = "en"
TITLE_ATTRIBUTE = "pwe_english_title"
# The nodes whose English a reader is shown: prose and headings, not code.
PROSE = (nodes.paragraph, nodes.title, nodes.rubric)
# sphinx-gallery's frame around an example: download links, signature.
GALLERY_FRAME = {"sphx-glr-download-link-note", "sphx-glr-footer", "sphx-glr-signature"}


@cache
def script() -> str:
    return Path(__file__).with_name("bilingual.js").read_text(encoding="utf-8").strip()


class original(nodes.Inline, nodes.TextElement):
    """The English a translated node was made from; written, never read as the page's text."""

    def astext(self) -> str:
        return ""


def visit_original(translator: HTML5Translator, node: original) -> None:
    translator.body.append('<span class="pwe-original" lang="en" hidden>')


def depart_original(translator: HTML5Translator, node: original) -> None:
    translator.body.append("</span>")


def skip_original(translator: HTML5Translator, node: original) -> None:
    raise nodes.SkipNode


def shows_translation(node: nodes.Element) -> bool:
    """A message that Locale translated, or a node that is no message (a card's summary, which
    ``pwe_sphinx.directives.galleryitem`` took from another page's catalogue)."""
    return node.get("translated", False) if node.get("translatable", True) else True


class KeepOriginals(SphinxTransform):
    """Copy the English children of each prose message before ``Locale`` (20) translates them."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == SOURCE_LANGUAGE:
            return
        for node, _message in extract_messages(self.document):
            if isinstance(node, PROSE):
                keep_original(node, [child.deepcopy() for child in node.children])
            if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
                node.parent[TITLE_ATTRIBUTE] = node.astext()


def collect_english_titles(app: Sphinx, doctree: nodes.document) -> None:
    """Each section's English title by its ids, "" for the page's, for links in other pages' originals."""
    titles: dict[str, str] = {}
    for section in doctree.findall(nodes.section):
        if TITLE_ATTRIBUTE in section:
            titles.setdefault("", section[TITLE_ATTRIBUTE])
            titles.update(dict.fromkeys(section["ids"], section[TITLE_ATTRIBUTE]))
    english_titles(app.env)[app.env.docname] = titles


def english_titles(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    if not hasattr(env, "pwe_english_titles"):
        env.pwe_english_titles = {}  # type: ignore[attr-defined]  # pickled with the environment
    titles: dict[str, dict[str, str]] = env.pwe_english_titles  # type: ignore[attr-defined]
    return titles


def purge_english_titles(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    english_titles(env).pop(docname, None)


def merge_english_titles(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    english_titles(env).update({name: english_titles(other)[name] for name in docnames
                                if name in english_titles(other)})


def in_gallery_frame(node: nodes.Element | None) -> bool:
    while node is not None:
        if isinstance(node, nodes.Element) and GALLERY_FRAME.intersection(node["classes"]):
            return True
        node = node.parent
    return False


def english_copy(children: list[nodes.Node], document: nodes.document, env: BuildEnvironment) -> original:
    """The English children in an ``original`` node, without the ids that the translation keeps.

    The copy was made before docutils resolved named links (```name`_``),
    so each is resolved here as docutils resolved the translation's; a
    ``:doc:`` or ``:ref:`` link without words of its own is named by the
    English title of what it links to.
    """
    copy = original("", "", *children, classes=["no-search"])
    for reference in list(copy.findall(nodes.reference)):
        if "refuri" not in reference and "refid" not in reference:
            resolve_by_name(reference, document)
    for xref in copy.findall(addnodes.pending_xref):
        title = english_title(xref, env)
        if title is not None:  # the link's words, which Sphinx would take from the translated title
            xref["refexplicit"] = True
            words = cast(nodes.Element, xref.children[0])  # the link's words: an inline or literal node
            words.replace_self(nodes.inline(title, title, classes=words["classes"]))
    for element in copy.findall(nodes.Element):
        element["ids"] = []
        element["names"] = []
    for target in list(copy.findall(nodes.target)):
        # The translation holds the anchor; of an inline target (_`words`) the words stay.
        target.replace_self(nodes.inline("", "", *target.children) if target.children else [])
    return copy


def educate_quotes(copy: original, action: str) -> None:
    """Typographic quotes, dashes and ellipses, as Sphinx's SmartQuotes transform gives the English pages.

    The Chinese build does not run it (``smartquotes_excludes``), and the copy
    was made before it would have run.
    """
    texts = list(copy.findall(nodes.Text))
    tokens = [("plain" if is_smartquotable(text) else "literal", str(text)) for text in texts]
    for text, educated in zip(texts, smartquotes.educate_tokens(tokens, attr=action, language="en"), strict=True):
        if educated != str(text):
            text.parent.replace(text, nodes.Text(educated))


def english_title(xref: addnodes.pending_xref, env: BuildEnvironment) -> str | None:
    """The English title a ``:doc:`` or ``:ref:`` link without words of its own would show."""
    if xref.get("refexplicit") or xref.get("refdomain") != "std" or not xref.children:
        return None
    if xref["reftype"] == "doc":
        docname, section_id = docname_join(xref["refdoc"], xref["reftarget"]), ""
    elif xref["reftype"] == "ref":
        docname, section_id, _title = env.domains.standard_domain.labels.get(xref["reftarget"], ("", "", ""))
    else:
        return None
    return english_titles(env).get(docname, {}).get(section_id)


def resolve_by_name(reference: nodes.reference, document: nodes.document) -> None:
    """Point a named reference where its target points; or keep its words alone."""
    target_id = document.nameids.get(reference.get("refname", ""))
    target = document.ids.get(target_id) if target_id else None
    if target is not None and target.get("refuri"):
        reference["refuri"] = target["refuri"]
    elif target is not None:
        reference["refid"] = target_id
    else:
        reference.replace_self(nodes.inline("", "", *reference.children))


class WriteOriginals(SphinxPostTransform):
    """Put each kept original back into the page, after its translation, as it is written."""

    default_priority = 5  # before ReferencesResolver (10), so that links in the English resolve
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.Element)):
            children = node.attributes.pop(ATTRIBUTE, None)
            if children is None or not shows_translation(node) or in_gallery_frame(node):
                continue
            copy = english_copy(children, self.document, self.env)
            if "".join(child.astext() for child in copy.children) == node.astext():
                continue  # a message translated as itself, such as a name
            if self.config.smartquotes:
                educate_quotes(copy, self.config.smartquotes_action)
            node += copy


def add_switch(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
               doctree: nodes.document | None) -> None:
    """The switch's words, and its script in ``<head>``, where it runs before the page is drawn."""
    if app.config.language == SOURCE_LANGUAGE:
        return
    context["pwe_bilingual_label"] = str(_("Chinese and English"))
    context["pwe_bilingual_description"] = str(_("Show each paragraph's English original beneath it"))
    context["metatags"] = context.get("metatags", "") + f"\n<script>{script()}</script>"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.add_node(original, html=(visit_original, depart_original), latex=(skip_original, None),
                 text=(skip_original, None), man=(skip_original, None), texinfo=(skip_original, None))
    app.add_transform(KeepOriginals)
    app.add_post_transform(WriteOriginals)
    app.connect("doctree-read", collect_english_titles)
    app.connect("env-purge-doc", purge_english_titles)
    app.connect("env-merge-info", merge_english_titles)
    app.connect("html-page-context", add_switch)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
