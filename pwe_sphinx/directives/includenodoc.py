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
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from pwe_sphinx.gallery.example_source import ExampleSourceError, code_until, read_example
from pwe_sphinx.directives.file_directive import FileArgumentDirective


class IncludeNoDoc(FileArgumentDirective):
    """Insert a script's code, docstring and text cells left out, as Python."""

    name_in_messages = "includenodoc"
    option_spec = {"until": directives.unchanged_required}

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
        return [block]


def setup(app):
    app.add_directive("includenodoc", IncludeNoDoc)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
