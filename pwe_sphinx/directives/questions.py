"""Predict-then-check questions in a lesson, each answered by a program the build ran.

A lesson's questions live beside its exercises, one script each::

    questions/<lesson>/01_backward_twice.py

The module docstring holds the question, then a line of four or more
dashes, then one or two sentences that explain the answer, all in
reStructuredText. The code after the docstring is a tiny complete program
whose printed output is the answer; the build runs it (conf.py lists
``questions/*/*.py`` in ``pwe_executed_scripts``).

When Sphinx reads the page that sphinx-gallery generated for
``<lesson>.py``, a "Check yourself" section holding the ``questions``
directive is added before the lesson's exercises (and so before its
downloads). For each question the directive writes a numbered item: the
question and the program, then a ``<details>`` element, closed until the
reader opens it, with what the program printed and the explanation. The
reader predicts, then opens it to check against the build's own run.
Question, explanation and code are messages of the lesson page's
catalogue, translated with it; the output is not, as each build shows what
it computed.

The ``<details>`` node, the way a script's code and output become nodes and
the place where a lesson's section goes are those of
``pwe_sphinx.directives.exercises`` and ``pwe_sphinx.directives.executed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.parsing import nested_parse_to_nodes

from pwe_sphinx.core.labels import _
from pwe_sphinx.directives.executed import result_nodes, script_result
from pwe_sphinx.directives.exercises import details, numbered_docstring, section_before_downloads
from pwe_sphinx.directives.folder_listings import note_folder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

# The line between the question and the explanation of its answer.
SEPARATOR = re.compile(r"^-{4,}\s*$")
QUESTION_CLASS = "pwe-question"


@dataclass(frozen=True)
class Question:
    """One question script: the question, the explanation of its answer (each with its lines in
    the file) and its path."""

    path: Path
    question: StringList
    explanation: StringList


def numbered_lines(part: list[tuple[int, str]], path: Path) -> StringList:
    """Lines of the docstring as a StringList whose items point at their lines in the file."""
    lines = StringList()
    for line_number, line in part:
        lines.append(line, str(path), line_number - 1)
    return lines


def read_question(path: Path) -> Question:
    """Parse a question script; ExtensionError naming the file if a part of it is missing."""
    module, numbered = numbered_docstring(path, "questions", "the question")
    if len(module.body) < 2:
        raise ExtensionError(f"questions: {path}: no program after the docstring to print the answer")
    separators = [index for index, (_number, line) in enumerate(numbered) if SEPARATOR.match(line)]
    if len(separators) != 1:
        raise ExtensionError(f"questions: {path}: the docstring needs one line of dashes (----) between "
                             f"the question and the explanation of its answer, not {len(separators)}")
    question = numbered_lines(numbered[:separators[0]], path)
    explanation = numbered_lines(numbered[separators[0] + 1:], path)
    if not "".join(question).strip():
        raise ExtensionError(f"questions: {path}: no question before the line of dashes")
    if not "".join(explanation).strip():
        raise ExtensionError(f"questions: {path}: no explanation of the answer after the line of dashes")
    return Question(path, question, explanation)


def questions_of(srcdir: Path, config: Config, lesson: str) -> list[Path]:
    folder = Path(srcdir, config.pwe_questions_dir, lesson)
    return sorted(folder.glob("*.py")) if folder.is_dir() else []


class Questions(SphinxDirective):
    """A numbered list of a lesson's questions, each with its program and its folded answer."""

    required_arguments = 1  # the lesson's file name without .py

    def run(self) -> list[nodes.Node]:
        paths = questions_of(self.env.srcdir, self.config, self.arguments[0])
        if not paths:
            raise self.error(f"questions: no questions for the lesson {self.arguments[0]!r}")
        note_folder(self.env, paths[0].parent)  # a program added to the folder re-reads the page
        items = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for path in paths:
            try:
                question = read_question(path)
            except ExtensionError as err:
                raise self.error(str(err)) from err
            self.env.note_dependency(str(path))
            items += self.question_item(question)
        return [items]

    def parsed(self, text: StringList, question: Question, part: str) -> list[nodes.Node]:
        parsed = nested_parse_to_nodes(self.state, text, allow_section_headings=False)
        if not parsed:
            raise self.error(f"questions: {question.path}: the {part} is empty")
        return parsed

    def question_item(self, question: Question) -> nodes.list_item:
        """The question, its program, and a closed ``<details>`` with the output and why."""
        code, *printed = result_nodes(self, script_result(self, question.path))
        if not printed:
            raise self.error(f"questions: {question.path}: the program printed nothing; its output is the answer")
        item = nodes.list_item(classes=[QUESTION_CLASS])
        item += self.parsed(question.question, question, "question")
        item += code
        answer = details(summary=str(_("Answer")))
        answer += printed
        answer += self.parsed(question.explanation, question, "explanation")
        item += answer
        return item


def add_questions_section(app: Sphinx, docname: str, source: list[str]) -> None:
    """Put the lesson's questions before the downloads of its gallery page.

    This listener runs before the exercises' (a lower priority), which then
    go before the downloads too: after the questions.
    """
    section_before_downloads(app, docname, source, directive="questions", title="Check yourself",
                             scripts_of=questions_of)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.directives.exercises")  # the <details> node
    app.setup_extension("pwe_sphinx.directives.folder_listings")
    app.add_config_value("pwe_questions_dir", "../questions", "env", types=frozenset({str}))
    app.add_directive("questions", Questions)
    app.connect("source-read", add_questions_section, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
