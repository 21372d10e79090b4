"""Read the glossary file: the fixed Chinese term for each English concept.

The glossary page (directives) shows it as a table, and the Chinese search
and the glosses (i18n) use its terms, so the reader lives beneath both.
"""

from __future__ import annotations

import csv
from pathlib import Path


class GlossaryError(ValueError):
    """The glossary file is malformed."""


def read_glossary(path: Path) -> list[tuple[str, str]]:
    """The (english, chinese) pairs of a glossary file, in file order."""
    with path.open(encoding="utf-8", newline="") as tsv:
        rows = list(csv.reader(tsv, delimiter="\t"))
    if not rows or [cell.strip() for cell in rows[0]] != ["english", "chinese"]:
        raise GlossaryError(f"{path}: the first row must be the header 'english<TAB>chinese'")
    pairs = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not all(cell.strip() for cell in row):
            raise GlossaryError(f"{path}:{number}: expected two non-empty tab-separated columns, got {row!r}")
        pairs.append((row[0].strip(), row[1].strip()))
    return pairs
