"""The labels this package adds to pages, in every language the site has.

Labels go through ``sphinx.locale`` like Sphinx's own, from the message
domain ``pwe_sphinx`` whose catalogues live in ``pwe_sphinx/locale``
(``pwe_sphinx.core.language``). Every layer shows labels, so their ``_``
lives in the core. Sphinx reads only compiled ``.mo`` files, which are not
kept in git, so setup() compiles any catalogue whose ``.po`` is newer, and a
malformed one stops the build with its path. The site's own catalogues are
checked by ``pwe_sphinx.i18n.catalogues``, which owns the rules.
"""

from __future__ import annotations

from babel.messages.mofile import write_mo
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.language import LOCALE_DIR, MESSAGE_DOMAIN, read_catalogue

_ = get_translation(MESSAGE_DOMAIN)


def going_deeper_label() -> str:
    """The summary of every going-deeper block, in the build's language.

    The directive writes it on pages and the gallery's notebooks repeat it,
    so both read it here.
    """
    return str(_("Going deeper"))


def compile_catalogues(language: str) -> None:
    """Write the ``.mo`` of this package's catalogue for ``language`` if stale."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{MESSAGE_DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if not po_path.is_file():
        return  # English, or a language without labels yet: the msgids show
    if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return
    catalogue = read_catalogue(po_path, language)
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalogue)


def register_catalogue(app: Sphinx, config: Config) -> None:
    compile_catalogues(config.language)
    app.add_message_catalog(MESSAGE_DOMAIN, str(LOCALE_DIR))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", register_catalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
