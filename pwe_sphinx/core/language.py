"""Language policy: is this build translated, and where its catalogues live.

Every layer asks these questions: the directives (whose cards take another
page's translated summary), the translations of i18n and the pages of html.
Before they lived here, two modules answered "is this translated" in two
different ways; now this module alone says which build is a translation,
where the extension's own catalogues are, how a ``.po`` file is read
strictly, which of its translations a page shows, and where a language's
pages are published.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po
from sphinx.config import Config
from sphinx.errors import ExtensionError

MESSAGE_DOMAIN = "pwe_sphinx"  # the extension's own labels (pwe_sphinx.core.labels)
LOCALE_DIR = Path(__file__).parents[1] / "locale"

# Chinese typography: full-width punctuation carries its own space, so no
# space stands beside it (README, Translate); the catalogue check, the gallery's
# messages and the offline archive's page all go by this set.
FULL_WIDTH = "，。、；：！？（）《》「」『』【】〔〕“”"

# A line of a .po file: blank, a comment, a keyword with its quoted string, or
# a continuation string. babel's reader is lenient (it reads an unterminated
# string by dropping its last character), so lines are checked first.
PO_LINE = re.compile(r'^(\s*|#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"([^"\\]|\\.)*"|"([^"\\]|\\.)*")$')


def is_translated(config: Config) -> bool:
    """A build in any language but the site's first, whose sources are written in it."""
    return bool(config.language != next(iter(config.pwe_languages)))


def language_url(config: Config) -> str:
    """Where this language's pages are published: its folder under ``pwe_site_url``."""
    return f"{config.pwe_site_url}{config.language}/"


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
