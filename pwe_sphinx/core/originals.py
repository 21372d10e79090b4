"""What a node of a translated page is the translation of.

A Chinese page can show a paragraph's English beside it. The bilingual
extension (i18n) keeps the English of every message before Sphinx translates
it, and a gallery card (directives) keeps the English of a summary it takes
from another page's catalogue; both mark the node the same way, here.
"""

from __future__ import annotations

from docutils import nodes

ATTRIBUTE = "pwe_original"


def keep_original(node: nodes.Element, english: list[nodes.Node]) -> None:
    """Keep ``english`` as what ``node`` is, or will be, the translation of."""
    node[ATTRIBUTE] = english
