"""The machinery behind a lesson's questions, in tiny builds that need no torch.

A throwaway project with one page and two questions is built in this process
by Sphinx itself; what the reader would see is read from the written HTML.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ExtensionError
from test_exercises_machinery import FakeConfig
from tiny_sphinx import build_html, write

from pwe_sphinx.directives.exercises import add_exercises_section
from pwe_sphinx.directives.questions import add_questions_section, read_question

pytestmark = pytest.mark.unit

QUESTION = '''\
"""
What does ``sum(range(4))`` print?

----

The numbers ``0`` to ``3`` add up to six.
"""

print("sum:", sum(range(4)))
'''

SECOND = '''\
"""
How long is ``"abc" * 2``?

----

Repeating a string twice doubles its length.
"""

print(len("abc" * 2))
'''


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    project = tmp_path / "project"
    write(project / "conf.py", textwrap.dedent('''\
        extensions = ["pwe_sphinx.directives.questions"]
        pwe_questions_dir = "questions"
        pwe_executed_scripts = ["questions/*/*.py"]
    '''))
    write(project / "index.rst", "Lesson\n======\n\nSome text.\n\nCheck yourself\n--------------\n\n"
                                 ".. questions:: lesson\n")
    write(project / "questions" / "lesson" / "01_sum.py", QUESTION)
    write(project / "questions" / "lesson" / "02_length.py", SECOND)
    return project


def build(project: Path) -> tuple[BeautifulSoup, str]:
    warnings = build_html(project)
    html = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), warnings


def test_each_question_shows_its_program_and_a_closed_answer_holding_what_it_printed(tiny_project):
    page, warnings = build(tiny_project)
    assert warnings == ""
    items = page.select("section#check-yourself ol > li.pwe-question")
    assert len(items) == 2
    first = items[0]
    assert first.find("p").get_text() == "What does sum(range(4)) print?"
    # The program is shown before the answer, so the reader can predict its output.
    code = first.select_one("div.highlight-python pre")
    assert code.get_text() == 'print("sum:", sum(range(4)))\n'
    assert code.find_parent("details") is None
    answer = first.find("details")
    assert answer is not None and not answer.has_attr("open"), "the answer must start closed"
    assert answer.find("summary").get_text() == "Answer"
    assert answer.select_one("div.pwe-script-output pre").get_text() == "sum: 6\n"
    assert answer.find("p").get_text() == "The numbers 0 to 3 add up to six."
    assert items[1].select_one("details div.pwe-script-output pre").get_text() == "6\n"


def test_an_answer_changes_when_its_program_does(tiny_project):
    build(tiny_project)
    script = tiny_project / "questions" / "lesson" / "01_sum.py"
    script.write_text(QUESTION.replace("range(4)", "range(5)"), encoding="utf-8")
    page, _ = build(tiny_project)
    assert page.select_one("details div.pwe-script-output pre").get_text() == "sum: 10\n"


def test_a_failing_question_stops_the_build_naming_the_file(tiny_project):
    script = tiny_project / "questions" / "lesson" / "02_length.py"
    script.write_text(SECOND + "\nraise KeyError('no answer')\n", encoding="utf-8")
    with pytest.raises(ExtensionError) as failure:
        build(tiny_project)
    assert str(script) in str(failure.value) and "KeyError" in str(failure.value)


def test_a_program_that_prints_nothing_is_refused_naming_the_file(tiny_project):
    script = tiny_project / "questions" / "lesson" / "02_length.py"
    script.write_text(SECOND.replace('print(len("abc" * 2))', 'length = len("abc" * 2)'), encoding="utf-8")
    _page, warnings = build(tiny_project)
    assert str(script) in warnings and "printed nothing" in warnings


def test_read_question_keeps_the_lines_in_the_file(tmp_path):
    path = write(tmp_path / "01_sum.py", QUESTION)
    question = read_question(path)
    assert question.question.items[1] == (str(path), 1)
    assert question.question[1] == "What does ``sum(range(4))`` print?"
    assert question.explanation.items[1] == (str(path), 5)
    assert question.explanation[1] == "The numbers ``0`` to ``3`` add up to six."


@pytest.mark.parametrize("source, problem", [
    ("print(1)\n", "no module docstring"),
    ('"""\nA question?\n\n----\n\nBecause.\n"""\n', "no program"),
    ('"""\nA question, and no answer?\n"""\nprint(1)\n', "one line of dashes"),
    ('"""\n----\n\nBecause.\n"""\nprint(1)\n', "no question"),
    ('"""\nA question?\n\n----\n"""\nprint(1)\n', "no explanation"),
])
def test_a_question_missing_a_part_is_named(tmp_path, source, problem):
    path = write(tmp_path / "01_bad.py", source)
    with pytest.raises(ExtensionError, match=problem) as failure:
        read_question(path)
    assert str(path) in str(failure.value)


def test_questions_go_before_the_exercises_and_the_downloads(tmp_path):
    write(tmp_path / "questions" / "lesson" / "01_sum.py", QUESTION)
    write(tmp_path / "exercises" / "lesson" / "01_add.py", '"""\nAdd\n===\n\nAdd.\n"""\n')
    (tmp_path / "docs").mkdir()
    app = SimpleNamespace(srcdir=str(tmp_path / "docs"), config=FakeConfig(
        sphinx_gallery_conf={"gallery_dirs": ["beginner/examples_nn"]},
        pwe_exercises_dir="../exercises", pwe_questions_dir="../questions"))
    page = "Lesson\n======\n\nText.\n\n.. _sphx_glr_download_beginner_examples_nn_lesson.py:\n\nDownloads\n"
    source = [page]
    # Sphinx calls the questions' listener first (priority 400), then the exercises' (500).
    add_questions_section(app, "beginner/examples_nn/lesson", source)
    add_exercises_section(app, "beginner/examples_nn/lesson", source)
    text = source[0]
    assert (text.index("Check yourself\n--------------\n\n.. questions:: lesson\n")
            < text.index("Exercises\n---------\n") < text.index(".. _sphx_glr_download_"))
    other = [page]
    add_questions_section(app, "beginner/lesson", other)  # not a gallery page: left alone
    assert other == [page]
    with pytest.raises(ExtensionError, match="beginner/examples_nn/lesson: no download section"):
        add_questions_section(app, "beginner/examples_nn/lesson", ["Lesson\n======\n"])


def test_the_questions_listener_runs_before_the_exercises_one(tiny_project):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    with docutils_namespace():
        app = Sphinx(str(tiny_project), str(tiny_project), str(tiny_project / "_build" / "x"),
                     str(tiny_project / "_build" / "d"), "html", status=None, warning=None, freshenv=True)
        in_order = sorted(app.events.listeners["source-read"], key=lambda listener: listener.priority)
        listeners = [listener.handler.__name__ for listener in in_order]
    assert listeners.index("add_questions_section") < listeners.index("add_exercises_section")
