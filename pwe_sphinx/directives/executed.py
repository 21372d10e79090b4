"""The ``executed`` directive: a program, what it printed and what it drew, as this build ran it.

::

    .. executed:: /install_check.py

The script must be one that the build runs (conf.py's
``pwe_executed_scripts``; ``pwe_sphinx.gallery.executed_scripts`` runs it and keeps
its output). The page shows its code without the module docstring, as
Python, then its printed output and its figures. The code is a message of
the page's catalogue like any code block, so its comments can be
translated; the output is not, because each build shows what it computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from pwe_sphinx.core.example_source import code_after_docstring
from pwe_sphinx.core.labels import _
from pwe_sphinx.directives.file_directive import FileArgumentDirective
from pwe_sphinx.gallery.executed_scripts import ScriptNotRun, ScriptResult, result_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import SphinxDirective
    from sphinx.util.typing import ExtensionMetadata

OUTPUT_CLASS = "pwe-script-output"


def result_nodes(directive: SphinxDirective, result: ScriptResult) -> list[nodes.Node]:
    """Code, output and figures of one script, each located at the script for error messages."""
    code = code_after_docstring(result.script.read_text(encoding="utf-8"))
    block = nodes.literal_block(code, code, language="python")
    block.source, block.line = str(result.script), 1
    shown: list[nodes.Node] = [block]
    if result.output:
        # Not a message of the catalogue (pwe_sphinx.i18n.gallery_messages): each build shows its own output.
        shown.append(nodes.literal_block(result.output, result.output, language="none", classes=[OUTPUT_CLASS]))
    srcdir = Path(directive.env.srcdir)
    for figure in result.figures:
        uri = "/" + figure.relative_to(srcdir).as_posix()
        shown.append(nodes.image(uri=uri, alt=str(_("Figure drawn by this program")), classes=["pwe-script-figure"]))
    for path in (result.script, result.folder / "output.txt", *result.figures):
        directive.env.note_dependency(str(path))
    return shown


def script_result(directive: SphinxDirective, script: Path) -> ScriptResult:
    try:
        return result_of(directive.env.srcdir, script)
    except ScriptNotRun as err:
        raise directive.error(str(err)) from err


class Executed(FileArgumentDirective):
    """Show a program the build ran, with its output and figures."""

    name_in_messages = "executed"

    def run(self) -> list[nodes.Node]:
        _rel_path, path = self.argument_file()
        return result_nodes(self, script_result(self, path))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.gallery.executed_scripts")
    app.setup_extension("pwe_sphinx.i18n.gallery_messages")  # keeps printed output out of the catalogues
    app.add_directive("executed", Executed)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
