"""The labels this package adds to pages, in every language the site has.

Labels go through ``sphinx.locale`` like Sphinx's own, from the message
domain ``pwe_sphinx`` whose catalogues live in ``pwe_sphinx/locale``. Sphinx
reads only compiled ``.mo`` files, which are not kept in git, so setup()
compiles any catalogue whose ``.po`` is newer, and a malformed one stops the
build with its path.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from sphinx.errors import ExtensionError
from sphinx.locale import get_translation

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


MESSAGE_DOMAIN = "pwe_sphinx"
LOCALE_DIR = Path(__file__).parents[1] / "locale"

_ = get_translation(MESSAGE_DOMAIN)


# A line of a .po file: blank, a comment, a keyword with its quoted string, or
# a continuation string. babel's reader is lenient (it reads an unterminated
# string by dropping its last character), so lines are checked first.
PO_LINE = re.compile(r'^(\s*|#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"([^"\\]|\\.)*"|"([^"\\]|\\.)*")$')


def read_catalogue(po_path: Path, language: str | None = None) -> Catalog:
    """Parse a .po file strictly; ExtensionError naming the file and line if malformed."""
    text = po_path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not PO_LINE.match(line):
            raise ExtensionError(f"{po_path}:{number}: malformed catalogue line: {line!r}")
    try:
        return read_po(io.StringIO(text), locale=language, abort_invalid=True)
    except PoFileError as err:
        raise ExtensionError(f"{po_path}: malformed catalogue: {err}") from err


def published_messages(po_path: Path) -> dict[str, str]:
    """Message to translation, for the translations a page shows: none that is empty or fuzzy.

    A catalogue that does not exist yet (a new page, not yet extracted)
    translates nothing, as its page shows English.
    """
    if not po_path.is_file():
        return {}
    catalogue = read_catalogue(po_path)
    return {m.id: m.string for m in catalogue
            if m.id and m.string and not m.fuzzy and isinstance(m.id, str) and isinstance(m.string, str)}


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


def check_site_catalogues(srcdir: Path, locale_dirs: list[str], language: str) -> None:
    """Stop on a catalogue that must not be published, naming its file and line.

    Sphinx compiles the site's catalogues itself, but babel's lenient reader
    skips lines it cannot parse, and the messages on them would silently show
    in English. Nor does Sphinx look inside a translation: one that changes a
    code block's program, breaks the page's markup or fails ``msgfmt -c``
    would be published as it is (``pwe_sphinx.i18n.catalogues.publishing_problems``).
    """
    from pwe_sphinx.i18n.catalogues import publishing_problems  # it reads catalogues with this module

    problems = []  # a malformed catalogue is among them, as its file, line and text
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(srcdir, locale_dir, language).rglob("*.po")):
            problems += publishing_problems(po_path)
    if problems:
        raise ExtensionError("translations: these translations must not be published "
                             "(fix them, or delete the msgstr to fall back to English):\n  " + "\n  ".join(problems))


def register_catalogue(app: Sphinx, config: Config) -> None:
    compile_catalogues(config.language)
    check_site_catalogues(app.srcdir, config.locale_dirs, config.language)
    app.add_message_catalog(MESSAGE_DOMAIN, str(LOCALE_DIR))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", register_catalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
