"""The ``includenodoc`` directive: show an example's code without its docstring.

The name and argument match the directive of the PyTorch tutorials, so their
rst builds here unchanged::

    .. includenodoc:: /beginner/examples_tensor/polynomial_numpy.py

The path names sphinx-gallery's copy of the script, relative to the source
directory when it starts with ``/``, else to the including document.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from pwe_sphinx.example_source import ExampleSourceError, read_example


class IncludeNoDoc(SphinxDirective):
    """Insert a script's code, docstring and text cells left out, as Python."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        rel_path, abs_path = self.env.relfn2path(self.arguments[0], self.env.docname)
        path = Path(abs_path)
        if not path.is_file():
            raise self.error(f"includenodoc: file not found: {self.arguments[0]} (looked for {path})")
        try:
            example = read_example(path)
        except ExampleSourceError as err:
            raise self.error(f"includenodoc: {err}") from err
        self.env.note_dependency(rel_path)
        block = nodes.literal_block(example.code, example.code, language="python")
        block["classes"].append("pwe-example-code")
        self.set_source_info(block)
        return [block]


def setup(app):
    app.add_directive("includenodoc", IncludeNoDoc)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
