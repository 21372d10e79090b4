"""The words in the figures: messages of the page that shows them, translated on that page in other languages.

The examples and the executed scripts run once, in the first language's
build, and save their figures as SVG whose labels stay text
(``pwe_sphinx.gallery.svg_figures``): matplotlib writes each line of a title,
axis label, legend entry or annotation as one ``<text>`` element holding the
string as it was drawn, f-strings already filled in ("predicted 7"). This
module makes those strings translatable like the rest of the page:

* the gettext build (``nox -s i18n``) adds each figure's strings to the
  catalogue of the page that shows the figure, so that ``sphinx-intl``
  merges them into that page's ``.po`` and the catalogue check lists those
  still untranslated, like any other message;
* a translated build shows each figure with every string that has a
  translation replaced by it, and with fonts for Chinese in the font list,
  so that the reader's browser draws the glyphs
  (``translate_svg``, called by ``pwe_sphinx.html.inline_figures`` as it
  puts the figure into the page); the English file in docs/ is only read. A
  string without a translation stays English, as a paragraph would.

Numbers and maths are not messages: tick labels, "1e-3", "sin(x)",
"x − x³/6", and matplotlib's mathtext, which it writes as a ``<text>`` with
one ``<tspan>`` per glyph and which this module leaves alone.

The SVG is read and rewritten as text, not through an XML library, so that
a copy differs from its original only in the strings and fonts it changes:
matplotlib writes a plain label as ``<text style="...">string</text>`` on one
line, with its string XML-escaped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast
from xml.sax.saxutils import escape

from docutils import nodes
from sphinx.builders.gettext import MsgOrigin
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from pwe_sphinx.core.language import published_messages
from pwe_sphinx.core.paths import OUTPUT_FOLDER

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.gettext import MessageCatalogBuilder
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata


logger = logging.getLogger(__name__)

# A <text> element with nothing but a string inside (mathtext holds <tspan> elements instead).
PLAIN_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")
WORD = re.compile(r"[A-Za-z]{2,}")
MATHS_WORDS = {"sin", "cos", "tan", "exp", "log", "ln", "inf", "nan", "max", "min", "mod"}
FONT_FAMILY = re.compile(r"(font-family:[^;\"]*?)(,\s*)?\bsans-serif\b")
# Put before the generic family: Latin glyphs still come from the fonts matplotlib measured,
# Chinese ones from whichever of these the reader's system has.
CJK_FONTS = ("'Noto Sans CJK SC'", "'Source Han Sans SC'", "'PingFang SC'", "'Hiragino Sans GB'",
             "'Microsoft YaHei'", "'WenQuanYi Micro Hei'")
ENV_KEY = "pwe_figures"  # docname -> the figure files it shows, relative to the source folder


def has_words(text: str) -> bool:
    """Whether a figure string needs translating: a word of two or more letters that is not maths."""
    return any(word.lower() not in MATHS_WORDS for word in WORD.findall(text))


def figure_strings(svg: str) -> list[tuple[str, int]]:
    """The translatable strings of one SVG, each with the line it is on, in drawing order."""
    found = []
    for match in PLAIN_TEXT.finditer(svg):
        text = html.unescape(match.group(2))
        if has_words(text):
            found.append((text, svg.count("\n", 0, match.start()) + 1))
    return found


def with_cjk_fonts(opening_tag: str) -> str:
    """The ``<text>`` tag with the Chinese fonts added to its font list, before the generic family."""
    fonts = ", ".join(CJK_FONTS)
    if FONT_FAMILY.search(opening_tag):
        return FONT_FAMILY.sub(lambda m: f"{m.group(1)}, {fonts}, sans-serif", opening_tag, count=1)
    return opening_tag.replace('style="', f'style="font-family: {fonts}, sans-serif; ', 1)


def translate_svg(svg: str, messages: dict[str, str]) -> str:
    """The SVG with each string that has a translation replaced by it; the rest as it was."""
    def replace(match: re.Match[str]) -> str:
        english = html.unescape(match.group(2))
        translated = messages.get(english) if has_words(english) else None
        if not translated or translated == english:
            return match.group(0)
        return with_cjk_fonts(match.group(1)) + escape(translated) + match.group(3)

    return PLAIN_TEXT.sub(replace, svg)


def figure_roots(env: BuildEnvironment) -> list[Path]:
    """Where figures live in the source folder: the galleries' images and the executed scripts' output."""
    srcdir = Path(env.srcdir)
    galleries = [srcdir / gallery / "images" for gallery in env.config.sphinx_gallery_conf["gallery_dirs"]]
    return [*galleries, srcdir / OUTPUT_FOLDER]


def figure_path(env: BuildEnvironment, uri: str) -> Path | None:
    """The figure file an image node shows, if it is an SVG figure the build drew; else None."""
    if not uri.endswith(".svg"):
        return None
    path = (Path(env.srcdir) / uri.lstrip("/")).resolve()
    if any(root.resolve() in path.parents for root in figure_roots(env)):
        return path
    return None


def shown_figures(env: BuildEnvironment, doctree: nodes.document) -> list[str]:
    """The figures a page shows, relative to the source folder, in page order.

    sphinx-gallery's figures are its own ``imgsgnode`` elements, the
    executed scripts' are docutils images; both carry the file in ``uri``.
    """
    found = []
    for node in doctree.findall(nodes.Element):
        path = figure_path(env, node.get("uri") or "")
        if path is not None:
            found.append(path.relative_to(Path(env.srcdir).resolve()).as_posix())
    return found


def figure_store(env: BuildEnvironment) -> dict[str, list[str]]:
    """The environment's record of which page shows which figures (pickled with it)."""
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    store: dict[str, list[str]] = getattr(env, ENV_KEY)
    return store


def record_figures(app: Sphinx, doctree: nodes.document) -> None:
    figures = shown_figures(app.env, doctree)
    store = figure_store(app.env)
    if figures:
        store[app.env.docname] = figures
    else:
        store.pop(app.env.docname, None)


def purge_figures(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    figure_store(env).pop(docname, None)


def merge_figures(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Parallel reading: take the figures the workers recorded for their pages."""
    theirs = figure_store(other)
    figure_store(env).update({docname: theirs[docname] for docname in docnames if docname in theirs})


def add_figure_messages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the gettext build, make each figure string a message of the page's catalogue."""
    if app.builder.name != "gettext":
        return
    builder = cast("MessageCatalogBuilder", app.builder)  # the gettext builder, as checked above
    catalogue = builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
    for relative in figure_store(app.env).get(docname, []):
        path = Path(app.srcdir, relative)
        if not path.is_file():
            logger.warning(f"figure_text: {path}, shown on {docname}, does not exist; its words are not extracted",
                           type="pwe", subtype="figure_text")
            continue
        for text, line in figure_strings(path.read_text(encoding="utf-8")):
            catalogue.add(text, MsgOrigin(str(path), line))


def page_messages(env: BuildEnvironment, docname: str) -> dict[str, str]:
    """The translated messages of a page's catalogue, in every locale folder, the first folder winning."""
    messages: dict[str, str] = {}
    domain = docname_to_domain(docname, env.config.gettext_compact)
    for locale_dir in reversed(env.config.locale_dirs):
        po_path = Path(env.srcdir, locale_dir, env.config.language, "LC_MESSAGES", f"{domain}.po")
        messages.update(published_messages(po_path))
    return messages


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.gallery.svg_figures")
    app.connect("doctree-read", record_figures)
    app.connect("env-purge-doc", purge_figures)
    app.connect("env-merge-info", merge_figures)
    app.connect("doctree-resolved", add_figure_messages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
