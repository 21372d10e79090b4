"""Read a gallery example script: its docstring title and intro, and its code.

The directives, the translated downloads and the catalogue check all look
at the same scripts (the directives at the copies that sphinx-gallery places
next to the pages it generates), so the parsing lives here once, beneath
every layer that reads a script. The script is cut into text and code cells by sphinx-gallery's own
parser, the one that makes the example's page, so a page and the main page
can never disagree on where a cell starts.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from pwe_sphinx.core.gallery_seam import Block, split_blocks

# A line of only punctuation under a title is an rst section underline.
UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1+\s*$")
# Where a sentence ends: English punctuation before a space, or Chinese
# (full-width) punctuation, which needs no space after it.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def docstring_statement(node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Expr | None:
    """The docstring of a module, class or function as a statement (for its position), or None if it has none."""
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first
    return None


class ExampleSourceError(ValueError):
    """An example script lacks what a directive needs from it."""


@dataclass(frozen=True)
class ExampleSource:
    """The parts of an example script that the main page shows."""

    title: str
    paragraph: str  # the paragraph after the title, its lines joined as Sphinx's gettext joins them
    code: str

    @property
    def intro(self) -> str:
        """The paragraph's first sentence: a card's one-line summary."""
        return first_sentence(self.paragraph)


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph, in English or in Chinese.

    A card takes it from the English paragraph, or on a translated site from
    the translation of that paragraph, so both are cut the same way.
    """
    return _SENTENCE_END.split(paragraph.strip(), maxsplit=1)[0]


def read_example(path: Path) -> ExampleSource:
    """Parse ``path``; raise ExampleSourceError naming the file if it is unusable."""
    title, paragraph = _title_and_paragraph(_docstring(path), path)
    return ExampleSource(title=title, paragraph=paragraph, code=_code_of(_cells(path)))


def _docstring(path: Path) -> str:
    try:
        module = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as err:
        raise ExampleSourceError(f"{path}: not valid Python: {err.msg} (line {err.lineno})") from err
    docstring = ast.get_docstring(module, clean=True)
    if not docstring:
        raise ExampleSourceError(f"{path}: the example has no module docstring to take a title from")
    return docstring


def _cells(path: Path) -> list[Block]:
    """The script's cells after its docstring, as sphinx-gallery cuts them."""
    _file_conf, blocks = split_blocks(path)
    return blocks[1:]  # the first is the docstring


def _title_and_paragraph(docstring: str, path: Path) -> tuple[str, str]:
    """The rst title of the docstring and the paragraph that follows it."""
    lines = docstring.splitlines()
    for index in range(len(lines) - 1):
        if lines[index].strip() and UNDERLINE.match(lines[index + 1]):
            title = lines[index].strip()
            rest = lines[index + 2 :]
            break
    else:
        raise ExampleSourceError(f"{path}: the docstring has no underlined title")
    paragraph: list[str] = []
    for line in rest:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    if not paragraph:
        raise ExampleSourceError(f"{path}: the docstring has no paragraph after its title")
    return title, " ".join(paragraph)


def _code_of(cells: list[Block]) -> str:
    """The code cells, without the text cells between them.

    A text cell is prose that the gallery page renders as paragraphs; on the
    main page it would repeat as a wall of comments, so only the code and its
    inline comments are kept, with runs of blank lines made one.
    """
    kept: list[str] = []
    for line in "\n".join(cell.content for cell in cells if cell.type == "code").splitlines():
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"


def _cell_title(cell: Block) -> str | None:
    """The title of a text cell that starts with an underlined one."""
    lines: list[str] = cell.content.splitlines()
    if cell.type == "text" and len(lines) >= 2 and lines[0].strip() and UNDERLINE.match(lines[1]):
        return lines[0].strip()
    return None


def cell_titles(path: Path) -> list[str]:
    """The titles of the script's text cells that start with an underlined title."""
    return [title for cell in _cells(path) if (title := _cell_title(cell))]


def cell_line(path: Path, title: str) -> int:
    """The script line where the text cell titled ``title`` starts (as sphinx-gallery numbers it)."""
    for cell in _cells(path):
        if _cell_title(cell) == title:
            line: int = cell.lineno
            return line
    known = ", ".join(repr(found) for found in cell_titles(path)) or "none"
    raise ExampleSourceError(f"{path}: no text cell titled {title!r} (its cell titles: {known})")


def code_until(path: Path, title: str) -> str:
    """The code of ``path`` (as ``read_example`` gives it) before the text cell titled ``title``.

    The lessons end with cells that analyse the run (why this learning rate,
    how far from the best fit); a page that shows the program alone stops
    before them.
    """
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if _cell_title(cell) == title:
            return _code_of(cells[:index])
    known = ", ".join(repr(found) for found in cell_titles(path)) or "none"
    raise ExampleSourceError(f"{path}: no text cell titled {title!r} (its cell titles: {known})")


def code_after_docstring(source: str) -> str:
    """The program without its module docstring and the blank lines around it."""
    docstring = docstring_statement(ast.parse(source))
    body = source.splitlines()[docstring.end_lineno if docstring else 0:]
    return "\n".join(body).strip("\n") + "\n"
