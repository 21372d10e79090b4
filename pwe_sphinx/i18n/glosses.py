"""English glosses on the Chinese pages: the first mention of a glossary term carries its English.

A reader who meets 自动求导 on a Chinese page should be able to go on to
PyTorch's English documentation, which says "autograd". So on each Chinese
page the first mention of each term of the glossary (``pwe_glossary``, the
table the glossary page shows) is followed by its English in full-width
parentheses, 自动求导（autograd）, written as::

    自动求导<span class="pwe-gloss">（<span lang="en">autograd</span>）</span>

The parentheses are Chinese punctuation, in the page's language; only the
English word is marked ``lang="en"``. The outer span makes the gloss one
unit for the style sheet (a muted colour) and for anything that wants to
leave glosses out.

The glosses are added while each page is written, by a post-transform of
the HTML builders, so the catalogues stay as the translators wrote them and
the English build is untouched. Which text gets them:

* Only running prose: the text of paragraphs, wherever they stand (list
  items, table cells, admonitions, sphinx-gallery's text blocks, the
  exercises). Never titles, captions, column headings, the navigation, code,
  inline code, printed output, maths, figures or ``alt`` text, none of
  which is a paragraph's own text, nor sphinx-gallery's note above every
  example, nor the cards that lead to other pages. Nor the text of links:
  a gloss inside a link would read as part of the target's name, and one
  after it would split the sentence from its link; a term in a link is not
  counted as its mention. The glossary page, which is the table of all
  terms, gets none.
* Longest term first: 动态计算图 is glossed as itself, not as 计算图 with a
  gloss after it. ``pwe_gloss_not_terms`` lists words that contain a term
  without meaning it (底层 is "low-level", not a layer); they are matched
  like terms, and skipped. A term inside a longer word that is no term gets
  the gloss all the same: 两层（layer）网络.
* A term the translator already glossed counts as glossed: 张量（tensor）,
  "tensor (张量)", and a phrase glossed whole, *推理张量* （inference tensor）.
  A term with another aside in parentheses right after it
  (权重（从最低次幂开始）), or inside parentheses or quotation marks itself,
  gets no gloss there, since nested or doubled asides read badly: its next
  mention gets it.
* Once per term per page. A term whose Chinese is its English (GPU) gets
  none; an English entry that names its sense, ``example (data point)``, is
  glossed without it; a Chinese term with two English entries (反向传播) is
  glossed with the first.

The glosses are in the search index like the rest of the page's text: a
reader who types the English term into the Chinese site's search finds the
page that introduces it. The Chinese term stays indexed whole: Sphinx cuts
each text node on its own, and a gloss is a node of its own, so the term
ends the piece before it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform

from pwe_sphinx.core.glossary import GlossaryError, read_glossary
from pwe_sphinx.core.language import is_translated

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator


OPEN, CLOSE = "（", "）"
# The sense an English entry may name: "example (data point)".
SENSE = re.compile(r"\s*\([^()]*\)$")
HAN = "\u3400-\u9fff"
# An aside in parentheses after a term, right after it or a few characters on in the same
# phrase (推理张量（inference tensor）), with what it holds; Latin text before an opening
# parenthesis right before a term ("tensor (张量"); and parentheses, brackets and quotes.
ASIDE_AFTER = re.compile(rf"([{HAN}\s]{{0,8}}?)[（(]\s*([^（）()]*?)\s*[）)]")
OPEN_AFTER = re.compile(r"\s*[（(]")
ENGLISH_BEFORE = re.compile(r"([A-Za-z][A-Za-z0-9 .\-]*?)\s*[（(]\s*$")
OPENING, CLOSING = "（(“「《", "）)”」》"
# Blocks whose paragraphs are not the page's prose: sphinx-gallery's note above every
# example ("跳到末尾 下载完整的示例代码"), and the cards that lead to other pages
# (pwe_sphinx.directives.galleryitem), which quote the first sentence of the page they
# lead to, where that page glosses it.
NOT_PROSE_BLOCKS = {"sphx-glr-download-link-note", "pwe-card"}
# Inline text that is not prose of the page's own: a gloss goes neither in it nor in its words.
NOT_PROSE = (nodes.literal, nodes.math, nodes.raw, nodes.reference, nodes.target, nodes.FixedTextElement,
             nodes.footnote_reference, nodes.citation_reference, nodes.substitution_reference,
             addnodes.pending_xref, addnodes.download_reference)
# Inline formatting a gloss goes after when the term ends it: **层**（layer）, not bold parentheses.
FORMATTING = (nodes.emphasis, nodes.strong)


class gloss(nodes.Inline, nodes.TextElement):
    """A term's English in parentheses, after the term; its text is what the reader sees."""


def visit_gloss(translator: HTML5Translator, node: gloss) -> None:
    english = translator.encode(node["english"])
    translator.body.append(f'<span class="pwe-gloss">{OPEN}<span lang="en">{english}</span>{CLOSE}</span>')
    raise nodes.SkipNode


@dataclass(frozen=True)
class Terms:
    """The glossary as the glosses need it."""

    english: dict[str, str]  # Chinese term -> the English of the gloss
    known: dict[str, frozenset[str]]  # Chinese term -> every English the glossary gives it, casefolded
    pattern: re.Pattern[str]  # every term and not-term, longest first

    def named_in(self, term: str, aside: str) -> bool:
        """Whether ``aside`` names the term in English (its plural too)."""
        return any(re.search(rf"(?<![a-z]){re.escape(name)}(e?s)?(?![a-z])", aside.casefold())
                   for name in self.known[term])


@functools.lru_cache(maxsize=4)
def terms_of(path: Path, modified: int, not_terms: tuple[str, ...]) -> Terms:
    """The glossary at ``path`` (``modified`` is its mtime, so an edit is read again)."""
    english: dict[str, str] = {}
    known: dict[str, set[str]] = {}
    for entry, chinese in read_glossary(path):
        if chinese == entry:
            continue  # GPU: nothing to gloss
        bare = SENSE.sub("", entry)
        english.setdefault(chinese, bare)
        known.setdefault(chinese, set()).add(bare.casefold())
    words = sorted({*english, *not_terms}, key=lambda word: (-len(word), word))
    pattern = re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")
    return Terms(english, {term: frozenset(names) for term, names in known.items()}, pattern)


def is_prose_paragraph(node: nodes.Node) -> bool:
    """A paragraph of the page's text: not the navigation's, a column heading, a card or a note."""
    if not isinstance(node, nodes.paragraph) or isinstance(node, addnodes.compact_paragraph):
        return False
    for ancestor in iter_ancestors(node):
        if isinstance(ancestor, nodes.thead) or NOT_PROSE_BLOCKS.intersection(ancestor.get("classes", [])):
            return False
    return True


def iter_ancestors(node: nodes.Node) -> Iterator[nodes.Element]:
    while node.parent is not None:
        node = node.parent
        yield node


def inside_brackets(text: str) -> bool:
    """Whether the end of ``text`` is inside parentheses, brackets or quotes."""
    depth = 0
    for character in text:
        if character in OPENING:
            depth += 1
        elif character in CLOSING:
            depth = max(depth - 1, 0)
    return depth > 0


def in_prose(text: nodes.Text, paragraph: nodes.Node) -> bool:
    node = text.parent
    while node is not paragraph:
        if isinstance(node, NOT_PROSE):
            return False
        node = node.parent
    return True


def gloss_places(paragraph: nodes.Node, terms: Terms, done: set[str]) -> list[tuple[nodes.Text, int, str]]:
    """Where glosses go in one paragraph: (text node, offset in it, term); adds the terms to ``done``."""
    texts = list(paragraph.findall(nodes.Text))
    whole = "".join(map(str, texts))  # the paragraph as read, to look beside a term across nodes
    places = []
    start_of_text = 0
    for text in texts:
        if in_prose(text, paragraph):
            for match in terms.pattern.finditer(str(text)):
                term = match.group()
                if term not in terms.english or term in done:
                    continue  # a not-term, or glossed before
                start, end = start_of_text + match.start(), start_of_text + match.end()
                before = ENGLISH_BEFORE.search(whole, 0, start)
                after = ASIDE_AFTER.match(whole, end)
                asides = ([before.group(1)] if before else []) + ([after.group(2)] if after else [])
                if any(terms.named_in(term, aside) for aside in asides):
                    done.add(term)  # the translator glossed it
                elif not (before or OPEN_AFTER.match(whole, end) or inside_brackets(whole[:start])):
                    places.append((text, match.end(), term))
                    done.add(term)
                # else: an aside of another kind beside it, or it is inside one: its next mention
        start_of_text += len(text)
    return places


def after_gloss(text: str) -> str:
    """The text that follows a gloss, without the space rst needed before inline markup.

    A full-width bracket already sets the markup apart; a space beside it is
    one Chinese typography does not have (``权重（weight）X``, not ``权重（weight） X``).
    """
    return text.lstrip(" ")


def insert_glosses(text: nodes.Text, glosses: list[tuple[int, str]]) -> None:
    """Split ``text`` at each offset and put the English after it."""
    content = str(text)
    pieces: list[nodes.Node] = []
    cut = 0
    for offset, english in glosses:
        if offset > cut:
            pieces.append(nodes.Text(after_gloss(content[cut:offset]) if cut else content[cut:offset]))
        pieces.append(gloss(f"{OPEN}{english}{CLOSE}", f"{OPEN}{english}{CLOSE}", english=english))
        cut = offset
    if cut < len(content) and after_gloss(content[cut:]):
        pieces.append(nodes.Text(after_gloss(content[cut:])))
    parent = text.parent
    # A term that ends a bold or italic run: the gloss goes after the run, in plain text.
    last = pieces[-1]
    if isinstance(last, gloss) and isinstance(parent, FORMATTING) and parent.children[-1] is text:
        pieces.pop()
        outer = parent.parent
        outer.insert(outer.index(parent) + 1, last)
        following = outer.index(last) + 1
        if following < len(outer.children) and isinstance(outer[following], nodes.Text):
            outer[following] = nodes.Text(after_gloss(str(outer[following])))
    # By identity: a Text node is a str, equal to any other with the same words.
    index = next(index for index, child in enumerate(parent.children) if child is text)
    parent[index:index + 1] = pieces


class AddGlosses(SphinxPostTransform):
    """Gloss the first mention of each glossary term on a Chinese page (HTML builders only)."""

    default_priority = 800  # after the references are resolved (10), so that their text is known as links
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if not is_translated(self.config) or self.document.next_node(is_glossary_table) is not None:
            return
        path = Path(self.env.srcdir, self.config.pwe_glossary)
        try:
            terms = terms_of(path, path.stat().st_mtime_ns, tuple(self.config.pwe_gloss_not_terms))
        except (OSError, GlossaryError) as err:
            raise ExtensionError(f"glosses: cannot read the glossary {path}: {err}") from err
        done: set[str] = set()
        for paragraph in list(self.document.findall(is_prose_paragraph)):
            places: dict[int, tuple[nodes.Text, list[tuple[int, str]]]] = {}  # by id: Text nodes are strs
            for text, offset, term in gloss_places(paragraph, terms, done):
                places.setdefault(id(text), (text, []))[1].append((offset, terms.english[term]))
            # Last first: a gloss after a bold run replaces the Text node that follows
            # the run, which may hold a place of its own; done first, it is split already.
            for text, glosses in reversed(places.values()):
                insert_glosses(text, glosses)


def is_glossary_table(node: nodes.Node) -> bool:
    return isinstance(node, nodes.table) and "pwe-glossary" in node["classes"]


def depend_on_glossary(app: Sphinx, doctree: nodes.document) -> None:
    """Every translated page shows glosses from the glossary: editing it rewrites them all."""
    if is_translated(app.config):
        app.env.note_dependency(str(Path(app.srcdir, app.config.pwe_glossary)))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.i18n.language_switch")  # pwe_languages: which build is translated
    app.setup_extension("pwe_sphinx.i18n.chinese_search")  # pwe_glossary, and the index the glosses are in
    app.add_config_value("pwe_gloss_not_terms", [], "env", types=frozenset({list}))
    app.add_node(gloss, html=(visit_gloss, None))
    app.add_post_transform(AddGlosses)
    app.connect("doctree-read", depend_on_glossary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
