"""The ``includenodoc`` directive: show an example's code without its docstring.

The name and argument match the directive of the PyTorch tutorials, so their
rst builds here unchanged::

    .. includenodoc:: /beginner/examples_tensor/polynomial_numpy.py

The path names sphinx-gallery's copy of the script, relative to the source
directory when it starts with ``/``, else to the including document.

A lesson may go on after its program with cells that analyse the run. The
option ``:until:`` names the title of the first such text cell; the code
shown stops before it::

    .. includenodoc:: /beginner/examples_tensor/polynomial_numpy.py
       :until: Why a learning rate of 1e-6?

The option ``:output-lines:`` shows, under the code, the last lines that
program printed in this build's run of the example (the cells before
``:until:``, or all of them), so that a reader skimming the main page sees
where each program ends without leaving it::

    .. includenodoc:: /beginner/examples_tensor/polynomial_numpy.py
       :until: Why a learning rate of 1e-6?
       :output-lines: 3

The lines are read from the example's generated page
(``pwe_sphinx.gallery.recorded_output``); like any printed output they are
not a message of the catalogue, so each language shows this build's run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.typing import OptionSpec

from pwe_sphinx.core.example_source import ExampleSourceError, cell_line, code_until, read_example
from pwe_sphinx.core.labels import _
from pwe_sphinx.directives.executed import OUTPUT_CLASS  # printed output: no copy button, not a message
from pwe_sphinx.directives.file_directive import FileArgumentDirective
from pwe_sphinx.gallery.recorded_output import RecordedOutputError, generated_page, last_printed

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class IncludeNoDoc(FileArgumentDirective):
    """Insert a script's code, docstring and text cells left out, as Python."""

    name_in_messages = "includenodoc"
    option_spec: ClassVar[OptionSpec] = {
        "until": directives.unchanged_required, "output-lines": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        _rel_path, path = self.argument_file()
        try:
            code = read_example(path).code
            if "until" in self.options:
                code = code_until(path, self.options["until"])
        except ExampleSourceError as err:
            raise self.fail(str(err)) from err
        block = nodes.literal_block(code, code, language="python")
        block["classes"].append("pwe-example-code")
        self.set_source_info(block)
        if "output-lines" not in self.options:
            return [block]
        return [block, *self.last_printed_nodes(path)]

    def last_printed_nodes(self, path: Path) -> list[nodes.Node]:
        """A label and the last lines the program printed in this build, which the page depends on."""
        try:
            end = cell_line(path, self.options["until"]) if "until" in self.options else None
            lines = last_printed(path, self.options["output-lines"], end)
        except (ExampleSourceError, RecordedOutputError) as err:
            raise self.fail(str(err)) from err
        self.env.note_dependency(str(generated_page(path)))
        label_text = str(_("The last lines it printed when this site was built:"))
        label = nodes.paragraph(label_text, label_text, classes=["pwe-last-printed-label"], translatable=False)
        text = "\n".join(lines)
        output = nodes.literal_block(text, text, language="none", classes=[OUTPUT_CLASS, "pwe-last-printed"])
        for node in (label, output):
            self.set_source_info(node)
        return [label, output]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.i18n.gallery_messages")  # keeps printed output out of the catalogues
    app.add_directive("includenodoc", IncludeNoDoc)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
