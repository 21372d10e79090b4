"""The labels this package adds to pages, in every language the site has.

Labels go through ``sphinx.locale`` like Sphinx's own, from the message
domain ``pwe_sphinx`` whose catalogues live in ``pwe_sphinx/locale``. Sphinx
reads only compiled ``.mo`` files, which are not kept in git, so setup()
compiles any catalogue whose ``.po`` is newer, and a malformed one stops the
build with its path.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from sphinx.errors import ExtensionError
from sphinx.locale import get_translation

MESSAGE_DOMAIN = "pwe_sphinx"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(MESSAGE_DOMAIN)


def compile_catalogues(language: str) -> None:
    """Write the ``.mo`` of this package's catalogue for ``language`` if stale."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{MESSAGE_DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if not po_path.is_file():
        return  # English, or a language without labels yet: the msgids show
    if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return
    with po_path.open(encoding="utf-8") as po_file:
        try:
            catalogue = read_po(po_file, locale=language, abort_invalid=True)
        except PoFileError as err:
            raise ExtensionError(f"{po_path}: malformed catalogue: {err}") from err
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalogue)


def register_catalogue(app, config) -> None:
    compile_catalogues(config.language)
    app.add_message_catalog(MESSAGE_DOMAIN, str(LOCALE_DIR))


def setup(app):
    app.connect("config-inited", register_catalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
