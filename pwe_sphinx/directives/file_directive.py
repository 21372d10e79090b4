"""A base for this package's directives that take a file path as their argument.

``includenodoc``, ``galleryitem`` and ``glossary-table`` each name a file,
relative to the source directory when it starts with ``/``, else to the
document. They resolve it the same way, stop the same way when it is missing
(an error at the directive's file and line, naming the path they looked
for), and make the page depend on it so that editing the file rebuilds the
page.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util.docutils import SphinxDirective


class FileArgumentDirective(SphinxDirective):
    required_arguments = 1
    has_content = False
    name_in_messages = ""  # the directive's name, for its error messages

    def fail(self, problem: str) -> Exception:
        """An error at this directive's location; raise what it returns."""
        return self.error(f"{self.name_in_messages}: {problem}")

    def argument_file(self) -> tuple[str, Path]:
        """The argument as a source-relative path and as an existing file."""
        rel_path, abs_path = self.env.relfn2path(self.arguments[0], self.env.docname)
        path = Path(abs_path)
        if not path.is_file():
            raise self.fail(f"file not found: {self.arguments[0]} (looked for {path})")
        self.env.note_dependency(rel_path)
        return rel_path, path
