"""The translation status page: what is left to translate, page by page.

::

    .. translation-status:: zh_CN

A table with one row per catalogue of that language: each page's own
catalogue (one per page, since ``gettext_compact = False``), linked to the
page, then the two catalogues of the pages' frame, ``sphinx.po`` (the
theme's words, the site title) and ``pwe_sphinx.po`` (labels this site's
extensions add). Each row counts its messages as GNU gettext's ``msgfmt
--statistics`` does: translated, fuzzy (a translation waiting to be checked,
which the site does not show), untranslated; a last row sums them. Whatever
a page's catalogue holds is counted: the texts of its figures too, once
they are messages of the page, and its title, which the gallery's cards show
too (``pwe_sphinx.i18n.gallery_messages``).

The table must never say "all translated" while a Chinese page shows
English, so two kinds of English that no ``msgfmt`` sees count as
untranslated too:

* a translation that leaves English prose where the catalogue check forbids
  it (``pwe_sphinx.i18n.catalogues.english_left``, with the detector the
  whole-site test uses);
* the theme's words (``_()`` in the templates of the theme and of the site)
  that neither ``sphinx.po`` nor Sphinx's own catalogue translates: they
  count in the frame's row. Sphinx's basic theme, which its own catalogue
  is made for, is left to Sphinx.

The numbers come from the ``.po`` files at each build, never from a copy
kept in the sources: the page depends on every catalogue it counts, and is
read again when a catalogue is added or removed, so it cannot go stale.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from babel.messages.extract import extract
from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.labels import _
from pwe_sphinx.core.language import LOCALE_DIR, MESSAGE_DOMAIN, read_catalogue
from pwe_sphinx.directives.tables import Cell, build_table
from pwe_sphinx.i18n.catalogues import english_left

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence, Set
    from typing import Any

    from babel.messages.catalog import Message
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

# The Sphinx catalogue that holds the pages' frame rather than one page.
FRAME_CATALOGUE = "sphinx"


@dataclass(frozen=True)
class Counts:
    """How many messages of a catalogue are translated, fuzzy and untranslated."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.translated + other.translated, self.fuzzy + other.fuzzy,
                      self.untranslated + other.untranslated)


def has_translation(string: str | Sequence[str] | None) -> bool:
    """Whether an entry has a translation; a plural one by its first form, as ``msgfmt`` counts it."""
    first = string if isinstance(string, str) else next(iter(string or ()), "")
    return bool(first)


def leaves_english(po_path: Path, message: Message) -> bool:
    """Whether a translated message still shows English prose (the catalogue check's rule)."""
    return (isinstance(message.id, str) and isinstance(message.string, str)
            and bool(english_left(po_path, message.id, message.string)))


def count_messages(po_path: Path) -> Counts:
    """The counts of one catalogue, as ``msgfmt --statistics`` gives them.

    The header is no message, and obsolete (``#~``) entries are no longer
    messages of the page. A plural message counts once (the pages have none
    today, but the theme's catalogue could). A fuzzy flag on an empty
    translation leaves it untranslated: there is nothing to check. A
    malformed catalogue stops the build, naming its file and line. A
    translation that leaves English prose is counted untranslated: the page
    shows English there.
    """
    counts = Counts()
    for message in read_catalogue(po_path):
        if not message.id:
            continue
        if not has_translation(message.string) or leaves_english(po_path, message):
            counts += Counts(untranslated=1)
        elif message.fuzzy:
            counts += Counts(fuzzy=1)
        else:
            counts += Counts(translated=1)
    return counts


def page_catalogues(srcdir: Path, locale_dirs: list[str], language: str) -> dict[str, Path]:
    """Catalogue name (a page's docname, or ``sphinx``) to its ``.po`` file, for the pages of ``language``."""
    found: dict[str, Path] = {}
    for locale_dir in locale_dirs:
        messages_dir = Path(srcdir, locale_dir, language, "LC_MESSAGES")
        for path in sorted(messages_dir.rglob("*.po")):
            found.setdefault(path.relative_to(messages_dir).with_suffix("").as_posix(), path)
    return found


def extension_catalogue(language: str) -> Path | None:
    """This package's catalogue of labels for ``language``, if it has one."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{MESSAGE_DOMAIN}.po"
    return path if path.is_file() else None


def catalogues_of(srcdir: Path, locale_dirs: list[str], language: str) -> dict[str, Path]:
    """Every catalogue the status of ``language`` counts, by name: the pages' in name order, then the frame's."""
    found = page_catalogues(srcdir, locale_dirs, language)
    if FRAME_CATALOGUE in found:
        found[FRAME_CATALOGUE] = found.pop(FRAME_CATALOGUE)  # after the pages
    extension = extension_catalogue(language)
    if extension is not None:
        found[MESSAGE_DOMAIN] = extension
    return found


SPHINX_THEMES = Path(sphinx.__file__).parent / "themes"


@lru_cache(maxsize=8)
def template_messages(template_dirs: tuple[Path, ...]) -> frozenset[str]:
    """The message ids of every ``_()`` and ``{% trans %}`` in the HTML templates under these folders."""
    found: set[str] = set()
    for folder in template_dirs:
        for path in sorted(folder.rglob("*.html")):
            with path.open("rb") as template:
                for _line, message, _comments, _context in extract(
                        "jinja2.ext.babel_extract", template, options={"extensions": "jinja2.ext.i18n"}):
                    found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


# The template folders of this process's builder, set when the builder starts
# (parallel readers are forked after that, and inherit it).
TEMPLATE_DIRS: list[Path] = []


def remember_template_dirs(app: Sphinx) -> None:
    """The HTML builder's template folders, the site's then its theme's, without Sphinx's own themes."""
    chain = getattr(getattr(app.builder, "templates", None), "pathchain", None) or []
    TEMPLATE_DIRS[:] = [Path(folder) for folder in chain if SPHINX_THEMES not in Path(folder).parents]


def untranslated_theme_words(template_dirs: tuple[Path, ...], frame_catalogue: Path | None, language: str) -> int:
    """How many of the theme's words no catalogue translates into ``language``: they show in English."""
    ours: Iterable[Message] = read_catalogue(frame_catalogue) if frame_catalogue else []
    counted_there = {message.id for message in ours if message.id}  # counted with that catalogue's messages
    sphinx_own = gettext.translation("sphinx", str(Path(sphinx.__file__).parent / "locale"),
                                     languages=[language], fallback=True)
    return sum(1 for word in template_messages(template_dirs)
               if word not in counted_there and sphinx_own.gettext(word) == word)


def page_link(docname: str) -> addnodes.pending_xref:
    """A link to the page, captioned with its title (in the build's language) when resolved."""
    link = addnodes.pending_xref("", nodes.inline(docname, docname), refdomain="std", reftype="doc",
                                 reftarget=f"/{docname}", refexplicit=False, refwarn=True)
    link["pwe_status_page"] = docname
    return link


def row_label(name: str, docnames: set[str]) -> nodes.Node:
    """What a row is about: a link to its page, or what a frame catalogue holds."""
    if name in docnames:
        return page_link(name)
    if name == FRAME_CATALOGUE:
        return nodes.Text(str(_("The frame of every page: theme words and site title")))
    if name == MESSAGE_DOMAIN:
        return nodes.Text(str(_("Labels added by the extensions of this site")))
    return nodes.Text(name)  # a catalogue without a page: its name says which it was


def status_row(label: nodes.Node, catalogue: str, counts: Counts) -> list[Cell]:
    """One row of the table: what it counts, the catalogue's file, then the three numbers."""
    return [label, nodes.literal(catalogue, catalogue), str(counts.translated), str(counts.fuzzy),
            str(counts.untranslated)]


def totals_row(total: Counts) -> list[Cell]:
    """The last row: the sums over every catalogue, in bold."""
    cells = [str(_("Total")), "", str(total.translated), str(total.fuzzy), str(total.untranslated)]
    return [nodes.strong(cell, cell) if cell else "" for cell in cells]


def recorded(env: BuildEnvironment) -> dict[str, tuple[str, list[str]]]:
    """Status page to (its language, the catalogues it counted): to read it again when they change.

    Created on first use: Sphinx asks which pages are outdated before any
    event that could set it up in a fresh environment.
    """
    status_pages: dict[str, tuple[str, list[str]]] = env.__dict__.setdefault("pwe_status_catalogues", {})
    return status_pages


class TranslationStatus(SphinxDirective):
    """Render the table of translated, fuzzy and untranslated messages of one language."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        language = self.arguments[0]
        catalogues = catalogues_of(self.env.srcdir, self.config.locale_dirs, language)
        if not catalogues:
            raise self.error(f"translation-status: no catalogues for language {language!r} "
                             f"under {', '.join(self.config.locale_dirs)} or {LOCALE_DIR}")
        recorded(self.env)[self.env.docname] = (language, sorted(map(str, catalogues.values())))
        # The theme's words that no catalogue translates belong to the frame's row, even without sphinx.po.
        theme_words = Counts(untranslated=untranslated_theme_words(
            tuple(TEMPLATE_DIRS), catalogues.get(FRAME_CATALOGUE), language))
        rows: list[list[Cell]] = []
        total = Counts()
        for name, path in catalogues.items():
            self.env.note_dependency(str(path))
            try:
                counts = count_messages(path)
            except ExtensionError as err:
                raise self.error(f"translation-status: {err}") from err
            if name == FRAME_CATALOGUE:
                counts, theme_words = counts + theme_words, Counts()
            total += counts
            rows.append(status_row(row_label(name, self.env.found_docs), f"{name}.po", counts))
        if theme_words != Counts():
            rows.append(status_row(row_label(FRAME_CATALOGUE, set()), f"{FRAME_CATALOGUE}.po", theme_words))
            total += theme_words
        rows.append(totals_row(total))
        headings = [str(_("Page")), str(_("Catalogue")), str(_("Translated")), str(_("Fuzzy")),
                    str(_("Untranslated"))]
        return [build_table(headings, rows, classes=["pwe-translation-status"])]


def in_navigation(env: BuildEnvironment, docname: str) -> bool:
    """Whether a reader reaches the page through the site's navigation: the root page or in a toctree."""
    return docname == env.config.root_doc or any(docname in children for children in env.toctree_includes.values())


class UnlinkPagesOutsideNavigation(SphinxPostTransform):
    """Give a page that no toctree lists (the 404 page) its title without a link.

    Such a page may not work where the status page would send a reader: the
    404 page's links are paths from the host's root, meant for an address
    that does not exist, and break when the page is opened from disk. Which
    pages the toctrees list is known only once every page has been read, so
    this runs after reading, before Sphinx resolves the links.
    """

    default_priority = 5  # before sphinx's ReferencesResolver (10)

    def run(self, **kwargs: Any) -> None:
        for link in list(self.document.findall(addnodes.pending_xref)):
            docname = link.get("pwe_status_page")
            if docname and not in_navigation(self.env, docname):
                title = self.env.titles[docname].astext() if docname in self.env.titles else docname
                link.replace_self(nodes.Text(title))


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    recorded(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    """A parallel reader's status pages, into the main environment."""
    theirs = recorded(other)
    recorded(env).update((docname, theirs[docname]) for docname in docnames if docname in theirs)


def outdated_status_pages(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
                          removed: Set[str]) -> list[str]:
    """Status pages whose language gained or lost a catalogue: a page's dependencies cannot say so."""
    return [docname for docname, (language, counted) in recorded(env).items()
            if sorted(map(str, catalogues_of(app.srcdir, app.config.locale_dirs, language).values())) != counted]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.add_directive("translation-status", TranslationStatus)
    app.add_post_transform(UnlinkPagesOutsideNavigation)
    add_step(app, "remember_template_dirs", remember_template_dirs)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated_status_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
