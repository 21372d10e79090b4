"""Read a gallery example script: its docstring title and intro, and its code.

Both directives of this package look at the same scripts, the copies that
sphinx-gallery places next to the pages it generates, so the parsing lives
here once.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

# A line of only punctuation under a title is an rst section underline.
UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1+\s*$")
# sphinx-gallery's cell separator: "# %%" alone, or followed by a title.
_CELL_MARKER = re.compile(r"^# %%")
# Where a sentence ends: English punctuation before a space, or Chinese
# (full-width) punctuation, which needs no space after it.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def docstring_statement(node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> ast.Expr | None:
    """The docstring of a module, class or function as a statement (for its position), or None if it has none."""
    first = node.body[0] if node.body else None
    is_string = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and isinstance(first.value.value, str)
    return first if is_string else None


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
    return read_example_text(path.read_text(encoding="utf-8"), path)


def read_example_text(text: str, path: Path) -> ExampleSource:
    """Parse the text of the script at ``path`` (named in errors)."""
    try:
        module = ast.parse(text, filename=str(path))
    except SyntaxError as err:
        raise ExampleSourceError(f"{path}: not valid Python: {err.msg} (line {err.lineno})") from err
    docstring = ast.get_docstring(module, clean=True)
    if not docstring:
        raise ExampleSourceError(f"{path}: the example has no module docstring to take a title from")
    title, paragraph = _title_and_paragraph(docstring, path)
    body_start = module.body[0].end_lineno  # the docstring is the first statement
    return ExampleSource(title=title, paragraph=paragraph, code=_code_without_markers(text, body_start))


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


def _code_without_markers(text: str, docstring_end: int) -> str:
    """The script after its docstring, without sphinx-gallery's text cells.

    A text cell is a ``# %%`` line and the comment lines right after it: prose
    that the gallery page renders as paragraphs. On the main page that prose
    would repeat as a wall of comments, so only the code and its inline
    comments are kept.
    """
    kept: list[str] = []
    in_text_cell = False
    for line in text.splitlines()[docstring_end:]:
        if _CELL_MARKER.match(line):
            in_text_cell = True
            continue
        if in_text_cell and line.startswith("#"):
            continue
        in_text_cell = False
        if line.strip() or (kept and kept[-1].strip()):
            kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"


def cell_titles(text: str) -> list[tuple[int, str]]:
    """(line index, title) of each text cell that starts with an underlined title."""
    lines = text.splitlines()
    titles = []
    for index, line in enumerate(lines[:-2]):
        if not _CELL_MARKER.match(line):
            continue
        title, underline = (candidate.removeprefix("#").strip() for candidate in lines[index + 1 : index + 3])
        if title and UNDERLINE.match(underline):
            titles.append((index, title))
    return titles


def code_until(path: Path, title: str) -> str:
    """The code of ``path`` (as ``read_example`` gives it) before the text cell titled ``title``.

    The lessons end with cells that analyse the run (why this learning rate,
    how far from the best fit); a page that shows the program alone stops
    before them.
    """
    text = path.read_text(encoding="utf-8")
    for index, found in cell_titles(text):
        if found == title:
            return read_example_text("\n".join(text.splitlines()[:index]) + "\n", path).code
    known = ", ".join(repr(found) for _index, found in cell_titles(text)) or "none"
    raise ExampleSourceError(f"{path}: no text cell titled {title!r} (its cell titles: {known})")
