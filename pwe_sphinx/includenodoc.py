"""The ``includenodoc`` directive: show an example's code without its docstring.

The name and argument match the directive of the PyTorch tutorials, so their
rst builds here unchanged::

    .. includenodoc:: /beginner/examples_tensor/polynomial_numpy.py

The path names sphinx-gallery's copy of the script, relative to the source
directory when it starts with ``/``, else to the including document.
"""

from __future__ import annotations

from docutils import nodes

from pwe_sphinx.example_source import ExampleSourceError, read_example
from pwe_sphinx.file_directive import FileArgumentDirective


class IncludeNoDoc(FileArgumentDirective):
    """Insert a script's code, docstring and text cells left out, as Python."""

    name_in_messages = "includenodoc"

    def run(self) -> list[nodes.Node]:
        _rel_path, path = self.argument_file()
        try:
            example = read_example(path)
        except ExampleSourceError as err:
            raise self.fail(str(err)) from err
        block = nodes.literal_block(example.code, example.code, language="python")
        block["classes"].append("pwe-example-code")
        self.set_source_info(block)
        return [block]


def setup(app):
    app.add_directive("includenodoc", IncludeNoDoc)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
