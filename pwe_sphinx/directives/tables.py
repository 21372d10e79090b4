"""Tables that directives of this package build from data rather than from rst.

The glossary and the translation status page are both tables made at build
time; one function builds them, so that they carry the same structure (a
header row of ``<th>`` cells for screen readers, one paragraph per cell).
"""

from __future__ import annotations

from collections.abc import Sequence

from docutils import nodes

Cell = str | nodes.Node  # text, or inline nodes (a link, emphasis) to put in the cell's paragraph


def table_row(cells: Sequence[Cell]) -> nodes.row:
    """One row, each cell a paragraph holding the cell's text or node."""
    row = nodes.row()
    for cell in cells:
        paragraph = nodes.paragraph(cell, cell) if isinstance(cell, str) else nodes.paragraph("", "", cell)
        row += nodes.entry("", paragraph)
    return row


def build_table(headings: Sequence[str], rows: Sequence[Sequence[Cell]], classes: list[str]) -> nodes.table:
    """A table with one header row and ``rows`` below it, in the given HTML classes."""
    group = nodes.tgroup(cols=len(headings))
    group += [nodes.colspec(colwidth=1) for _heading in headings]
    group += nodes.thead("", table_row(list(headings)))
    group += nodes.tbody("", *[table_row(cells) for cells in rows])
    return nodes.table("", group, classes=classes)
