"""The glossary page: the fixed Chinese term for each concept, as a table.

::

    .. glossary-table:: /glossary.tsv

The file is the project's GLOSSARY.tsv (two tab-separated columns with a
header row: english, chinese). The table is built from it on every build, so
the page can never disagree with the terms the translations use. The terms
are data, not prose, and stay out of the catalogues; the column headings are
labels from ``sphinx.locale``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from pwe_sphinx.core.glossary import GlossaryError, read_glossary
from pwe_sphinx.core.labels import _
from pwe_sphinx.directives.file_directive import FileArgumentDirective
from pwe_sphinx.directives.tables import build_table

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class GlossaryTable(FileArgumentDirective):
    """Render a glossary file as a two-column table."""

    name_in_messages = "glossary-table"

    def run(self) -> list[nodes.Node]:
        _rel_path, path = self.argument_file()
        try:
            pairs = read_glossary(path)
        except GlossaryError as err:
            raise self.fail(str(err)) from err
        rows = [[english, chinese] for english, chinese in pairs]
        return [build_table([str(_("English")), str(_("Chinese"))], rows, classes=["pwe-glossary"])]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.add_directive("glossary-table", GlossaryTable)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
