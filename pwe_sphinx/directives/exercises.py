"""Exercises at the end of a lesson, each with a solution the build ran.

A lesson's exercises live beside the examples, one script each::

    exercises/<lesson>/01_past_the_limit.py

The module docstring is the exercise: an underlined title and the task, in
reStructuredText. The code after it is the solution, a complete program that
the build runs (conf.py lists ``exercises/*/*.py`` in
``pwe_executed_scripts``).

An exercise where the reader writes code has a starter script beside its
solution, the same name with ``.starter.py``::

    exercises/<lesson>/03_legendre_five.py          the solution
    exercises/<lesson>/03_legendre_five.starter.py  what the reader starts from

The starter is a complete program with the same docstring, whose missing
parts are marked ``TODO``; run as it is, it exits normally and prints what is
left to write, each on a line starting with ``TODO``. The build runs it like
a solution, and the exercise offers it for download and shows it, folded,
before the solution. A starter that fails stops the build
(``pwe_sphinx.gallery.executed_scripts``); one that prints no ``TODO`` line, or
whose docstring is not its solution's, is an error naming it. On a
translated site the download is translated from the page's catalogue
(``pwe_sphinx.i18n.downloads``).

The exercises are not part of the lesson's script, so the script and the
notebook a reader downloads stay the lesson alone. Instead, when Sphinx reads
the page that sphinx-gallery generated for ``<lesson>.py``, an "Exercises"
section is added before its download links, holding the ``exercises``
directive. For each exercise the directive writes a subsection with its title
and task, and a ``<details>`` element, closed until the reader opens it, with
the solution's code, printed output and figure. Title, task and code are
messages of the lesson page's catalogue, so they are translated with it.
"""

from __future__ import annotations

import ast
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from docutils.utils import column_width
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from pwe_sphinx.core.example_source import UNDERLINE, docstring_statement
from pwe_sphinx.core.labels import _
from pwe_sphinx.core.paths import STARTER_SUFFIX, is_starter
from pwe_sphinx.directives.executed import result_nodes, script_result
from pwe_sphinx.directives.folder_listings import note_folder

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

# Where sphinx-gallery's generated page starts its download links.
DOWNLOADS_LABEL = ".. _sphx_glr_download_"
TODO_PREFIX = "TODO"  # how a starter's printed lines say what is left to write


class details(nodes.General, nodes.Element):
    """A ``<details>`` element whose ``<summary>`` is the node's ``summary`` attribute."""


def visit_details(translator: HTML5Translator, node: details) -> None:
    translator.body.append(f'<details class="pwe-solution"><summary>{translator.encode(node["summary"])}</summary>\n')


def depart_details(translator: HTML5Translator, node: details) -> None:
    translator.body.append("</details>\n")


@dataclass(frozen=True)
class Exercise:
    """One exercise script: its title and task (with their lines in the file) and its path."""

    path: Path
    title: str
    task: StringList


def numbered_docstring(path: Path, directive: str, holding: str) -> tuple[ast.Module, list[tuple[int, str]]]:
    """A script's module and its docstring's lines, dedented, each with its line number in the file.

    Exercises and questions are both read this way, so that their messages
    point at the script's own lines; ExtensionError naming the file if it is
    not Python or has no docstring (``holding``: what the docstring holds).
    """
    source = path.read_text(encoding="utf-8")
    try:
        module = ast.parse(source, filename=str(path))
    except SyntaxError as err:
        raise ExtensionError(f"{directive}: {path}: not valid Python: {err.msg} (line {err.lineno})") from err
    first = docstring_statement(module)
    docstring = ast.get_docstring(module, clean=False)  # the string of that statement
    if first is None or docstring is None:
        raise ExtensionError(f"{directive}: {path}: no module docstring holding {holding}")
    raw_lines = textwrap.dedent(docstring).split("\n")
    return module, [(first.lineno + offset, line.rstrip()) for offset, line in enumerate(raw_lines)]


def read_exercise(path: Path) -> Exercise:
    """Parse an exercise script; ExtensionError naming the file if it lacks a title or a task."""
    _module, numbered = numbered_docstring(path, "exercises", "the exercise")
    while numbered and not numbered[0][1]:
        numbered.pop(0)
    if len(numbered) < 2 or not UNDERLINE.match(numbered[1][1]):
        raise ExtensionError(f"exercises: {path}: the docstring must start with an underlined title")
    title = numbered[0][1].strip()
    task = StringList()
    for line_number, line in numbered[2:]:
        task.append(line, str(path), line_number - 1)
    if not "".join(task).strip():
        raise ExtensionError(f"exercises: {path}: the docstring has no task after its title")
    return Exercise(path, title, task)


def starter_of(solution: Path) -> Path | None:
    """The starter script beside a solution, if the exercise has one."""
    starter = solution.with_name(solution.stem + STARTER_SUFFIX)
    return starter if starter.is_file() else None


def exercises_of(srcdir: Path, config: Config, lesson: str) -> list[Path]:
    """The lesson's solutions, in order; their starters are not exercises of their own."""
    folder = Path(srcdir, config.pwe_exercises_dir, lesson)
    return sorted(path for path in folder.glob("*.py") if not is_starter(path)) if folder.is_dir() else []


def todo_lines(output: str) -> list[str]:
    """What a starter said is left to write."""
    return [line for line in output.splitlines() if line.startswith(TODO_PREFIX)]


class Exercises(SphinxDirective):
    """One subsection per exercise of a lesson, each ending with its solution, folded."""

    required_arguments = 1  # the lesson's file name without .py

    def run(self) -> list[nodes.Node]:
        paths = exercises_of(self.env.srcdir, self.config, self.arguments[0])
        if not paths:
            raise self.error(f"exercises: no exercises for the lesson {self.arguments[0]!r}")
        note_folder(self.env, paths[0].parent)  # a program added to the folder re-reads the page
        sections: list[nodes.Node] = []
        for path in paths:
            try:
                exercise = read_exercise(path)
            except ExtensionError as err:
                raise self.error(str(err)) from err
            self.env.note_dependency(str(path))
            sections += self.exercise_section(exercise)
        return sections

    def exercise_section(self, exercise: Exercise) -> list[nodes.Node]:
        text = StringList()
        text.append(exercise.title, str(exercise.path), 1)
        text.append("=" * column_width(exercise.title), str(exercise.path), 1)
        text.append("", str(exercise.path), 1)
        text.extend(exercise.task)
        parsed = nested_parse_to_nodes(self.state, text, allow_section_headings=True)
        section = parsed[0]
        if len(parsed) != 1 or not isinstance(section, nodes.section):
            raise self.error(f"exercises: {exercise.path}: the task must not contain section titles")
        starter = starter_of(exercise.path)
        if starter is not None:
            section += self.starter_nodes(exercise, starter)
        solution = details(summary=str(_("Solution")))
        solution += result_nodes(self, script_result(self, exercise.path))
        section += solution
        return [section]

    def starter_nodes(self, exercise: Exercise, starter: Path) -> list[nodes.Node]:
        """A link to download the starter, then its code and what it printed, folded."""
        self.env.note_dependency(str(starter))
        try:
            starter_exercise = read_exercise(starter)
        except ExtensionError as err:
            raise self.error(str(err)) from err
        if (starter_exercise.title, list(starter_exercise.task)) != (exercise.title, list(exercise.task)):
            raise self.error(f"exercises: {starter}: its docstring must be the exercise of {exercise.path.name}, "
                             f"word for word, so that the download states the task the page does")
        result = script_result(self, starter)
        if not todo_lines(result.output):
            raise self.error(f"exercises: {starter}: run as it is, a starter must print what is left to write, "
                             f"on lines starting with {TODO_PREFIX!r}; it printed {result.output!r}")
        relative = os.path.relpath(starter, self.env.srcdir).replace(os.sep, "/")
        link = addnodes.download_reference("", "", reftarget="/" + relative, refdoc=self.env.docname,
                                           refexplicit=True)
        link += nodes.literal(starter.name, starter.name)
        # A label of this package (its catalogue), not a message of the page's.
        paragraph = nodes.paragraph("", "", classes=["pwe-starter"], translatable=False)
        label = str(_("Starter script, which runs as it is and prints what is left to write:"))
        paragraph += nodes.Text(label + (" " if label[-1].isascii() else ""))  # none beside full-width "："
        paragraph += link
        shown = details(summary=str(_("Starter script")))
        shown += result_nodes(self, result)
        return [paragraph, shown]


def section_before_downloads(app: Sphinx, docname: str, source: list[str], *, directive: str, title: str,
                             scripts_of: Callable[[Path, Config, str], list[Path]]) -> None:
    """Put a section holding ``.. <directive>:: <lesson>`` before the downloads of a lesson's gallery page.

    Exercises and questions both end a lesson this way, when ``scripts_of``
    finds scripts of theirs for it; other pages are left alone.
    """
    if "sphinx_gallery_conf" not in app.config:
        return
    lesson = docname.rsplit("/", 1)[-1]
    gallery_pages = {f"{gallery}/{lesson}" for gallery in app.config.sphinx_gallery_conf["gallery_dirs"]}
    if docname not in gallery_pages or not scripts_of(app.srcdir, app.config, lesson):
        return
    text = source[0]
    position = text.find(DOWNLOADS_LABEL)
    if position < 0:
        raise ExtensionError(f"{directive}: {docname}: no download section ({DOWNLOADS_LABEL}...) to put "
                             f"the {directive} of {lesson} before; has sphinx-gallery changed its pages?")
    section = f"{title}\n{'-' * len(title)}\n\n.. {directive}:: {lesson}\n\n"
    source[0] = text[:position] + section + text[position:]


def add_exercises_section(app: Sphinx, docname: str, source: list[str]) -> None:
    """Put the lesson's exercises before the downloads of its gallery page."""
    section_before_downloads(app, docname, source, directive="exercises", title="Exercises",
                             scripts_of=exercises_of)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.directives.executed")
    app.setup_extension("pwe_sphinx.directives.folder_listings")
    app.add_config_value("pwe_exercises_dir", "../exercises", "env", types=frozenset({str}))
    app.add_node(details, html=(visit_details, depart_details))
    app.add_directive("exercises", Exercises)
    app.connect("source-read", add_exercises_section)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
