"""The machinery behind exercises and executed scripts, in tiny builds that need no torch.

A throwaway project with one page and one exercise is built in this process
by Sphinx itself; what the reader would see is read from the written HTML.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from tiny_sphinx import build_html, write

from pwe_sphinx.core.build_plan import BuildPlan, Mode
from pwe_sphinx.core.example_source import ExampleSourceError, code_after_docstring, code_until
from pwe_sphinx.directives.exercises import add_exercises_section, exercises_of, read_exercise
from pwe_sphinx.gallery.executed_scripts import (
    ScriptNotRun,
    ScriptWouldRun,
    result_of,
    run_and_record,
    scripts_this_build_runs,
)
from pwe_sphinx.i18n.downloads import Translator, translate_shown_script

pytestmark = pytest.mark.unit

EXERCISE = '''\
"""
Add them up
===========

Sum the squares of ``0`` to ``3``.
Then plot them.
"""

import matplotlib.pyplot as plt

# The squares, summed by hand.
squares = [n * n for n in range(4)]
print("sum of squares:", sum(squares))
plt.plot(squares)
plt.show()
'''


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    project = tmp_path / "project"
    write(project / "conf.py", textwrap.dedent('''\
        extensions = ["pwe_sphinx.directives.exercises"]
        pwe_exercises_dir = "exercises"
        pwe_executed_scripts = ["exercises/*/*.py"]
    '''))
    write(project / "index.rst", "Lesson\n======\n\nSome text.\n\nExercises\n---------\n\n.. exercises:: lesson\n")
    write(project / "exercises" / "lesson" / "01_add_them_up.py", EXERCISE)
    return project


def build(project: Path) -> tuple[BeautifulSoup, str]:
    """Build the project's HTML in this process; the index page and the warnings."""
    warnings = build_html(project)
    html = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser"), warnings


def test_an_exercise_shows_its_task_and_a_closed_solution_with_code_output_and_figure(tiny_project):
    page, warnings = build(tiny_project)
    assert warnings == ""
    section = page.find("section", id="add-them-up")
    assert section.find("h3").get_text().strip("¶ ") == "Add them up"
    assert " ".join(section.find("p").get_text().split()) == "Sum the squares of 0 to 3. Then plot them."
    details = section.find("details")
    assert details is not None and not details.has_attr("open"), "the solution must start closed"
    assert details.find("summary").get_text() == "Solution"
    code = details.select_one("div.highlight-python pre").get_text()
    assert code.startswith("import matplotlib.pyplot as plt") and '"""' not in code
    assert details.select_one("div.pwe-script-output pre").get_text() == "sum of squares: 14\n"
    image = details.find("img")
    assert (tiny_project / "_build" / "html" / image["src"]).is_file()
    assert image["alt"]


EXERCISE_DOCSTRING = EXERCISE.split('"""')[1]
STARTER = f'''\
"""{EXERCISE_DOCSTRING}"""

# Sum the squares of 0 to 3 and print the sum.
def sum_of_squares():
    raise NotImplementedError("TODO: sum the squares of 0 to 3")


try:
    print("sum of squares:", sum_of_squares())
except NotImplementedError as left_to_write:
    print(left_to_write)
'''
STARTER_PATH = Path("exercises", "lesson", "01_add_them_up.starter.py")


def test_a_starter_is_offered_for_download_and_shown_folded_before_the_solution(tiny_project):
    write(tiny_project / STARTER_PATH, STARTER)
    page, warnings = build(tiny_project)
    assert warnings == ""
    sections = page.find_all("section", id="add-them-up")
    assert len(sections) == 1, "a starter is not an exercise of its own"
    link = sections[0].select_one("p.pwe-starter a.download")
    assert link.get_text() == "01_add_them_up.starter.py"
    served = tiny_project / "_build" / "html" / link["href"]
    assert served.read_text(encoding="utf-8") == STARTER
    starter, solution = sections[0].find_all("details")
    assert starter.find("summary").get_text() == "Starter script"
    assert not starter.has_attr("open")
    assert 'raise NotImplementedError("TODO' in starter.select_one("div.highlight-python pre").get_text()
    assert starter.select_one("div.pwe-script-output pre").get_text() == "TODO: sum the squares of 0 to 3\n"
    assert solution.find("summary").get_text() == "Solution"
    assert exercises_of(tiny_project, SimpleNamespace(pwe_exercises_dir="exercises"), "lesson") == [
        tiny_project / "exercises" / "lesson" / "01_add_them_up.py"]


@pytest.mark.parametrize("starter, problem", [
    (STARTER.replace('print(left_to_write)', 'print("nothing left")'), "must print what is left to write"),
    (STARTER.replace("Then plot them.", "Then draw them."), "must be the exercise of 01_add_them_up.py"),
])
def test_a_starter_that_says_nothing_left_or_states_another_task_is_named(tiny_project, starter, problem):
    path = write(tiny_project / STARTER_PATH, starter)
    _page, warnings = build(tiny_project)
    assert problem in warnings and str(path) in warnings


def test_a_starter_that_fails_stops_the_build_naming_the_file(tiny_project):
    path = write(tiny_project / STARTER_PATH, STARTER.replace("except NotImplementedError", "except KeyError"))
    with pytest.raises(ExtensionError) as failure:
        build(tiny_project)
    assert str(path) in str(failure.value) and "NotImplementedError" in str(failure.value)


def test_a_starter_download_is_translated_from_the_messages_its_page_shows():
    code = STARTER.split('"""\n\n', 1)[1]
    translator = Translator({
        "Add them up": "加起来",
        "Sum the squares of ``0`` to ``3``. Then plot them.": "把 ``0`` 到 ``3`` 的平方加起来，再画出来。",
        code: code.replace("# Sum the squares of 0 to 3 and print the sum.", "# 求 0 到 3 的平方和并打印。"),
    })
    translated = translate_shown_script(STARTER, translator)
    assert translated.startswith('"""\n加起来\n===========\n\n把 ``0`` 到 ``3`` 的平方加起来，再画出来。\n"""\n')
    assert "# 求 0 到 3 的平方和并打印。\ndef sum_of_squares():" in translated
    assert translate_shown_script(STARTER, Translator({})) == STARTER


def test_a_solution_runs_again_only_when_it_changed(tiny_project):
    build(tiny_project)
    output = tiny_project / "_executed" / "exercises" / "lesson" / "01_add_them_up" / "output.txt"
    output.write_text("stale\n", encoding="utf-8")  # what an unchanged script would not rewrite
    page, _ = build(tiny_project)
    assert page.select_one("div.pwe-script-output pre").get_text() == "stale\n"
    script = tiny_project / "exercises" / "lesson" / "01_add_them_up.py"
    script.write_text(EXERCISE.replace("range(4)", "range(5)"), encoding="utf-8")
    page, _ = build(tiny_project)
    assert page.select_one("div.pwe-script-output pre").get_text() == "sum of squares: 30\n"


def test_a_failing_solution_stops_the_build_naming_the_file(tiny_project):
    script = tiny_project / "exercises" / "lesson" / "01_add_them_up.py"
    script.write_text(EXERCISE + "\nraise KeyError('no such lesson')\n", encoding="utf-8")
    with pytest.raises(ExtensionError) as failure:
        build(tiny_project)
    assert str(script) in str(failure.value) and "KeyError" in str(failure.value)


def test_output_of_another_version_of_the_script_is_refused(tiny_project):
    script = tiny_project / "exercises" / "lesson" / "01_add_them_up.py"
    run_and_record(tiny_project, script)
    assert result_of(tiny_project, script).output == "sum of squares: 14\n"
    script.write_text(EXERCISE + "\n# edited\n", encoding="utf-8")
    with pytest.raises(ScriptNotRun, match=r"01_add_them_up\.py"):
        result_of(tiny_project, script)


def plan_app(project: Path, plan: BuildPlan) -> SimpleNamespace:
    """What scripts_this_build_runs reads of a Sphinx application: its folders and two settings."""
    return SimpleNamespace(srcdir=str(project), confdir=str(project),
                           config=SimpleNamespace(pwe_build_plan=plan.to_json(),
                                                  pwe_executed_scripts=["exercises/*/*.py"]))


def test_each_mode_runs_the_changed_scripts_it_owns(tiny_project):
    first = tiny_project / "exercises" / "lesson" / "01_add_them_up.py"
    second = write(tiny_project / "exercises" / "lesson" / "02_again.py", EXERCISE)
    ready = tiny_project / "ready"

    def runs(plan: BuildPlan) -> list[Path]:
        return scripts_this_build_runs(plan_app(tiny_project, plan))

    assert runs(BuildPlan()) == runs(BuildPlan(mode=Mode.LEAD, ready_file=ready)) == [first, second]
    assert runs(BuildPlan(mode=Mode.SHARD, shard_scripts=("exercises/lesson/02_again.py",))) == [second]
    assert runs(BuildPlan(mode=Mode.SHARD, shard_examples=("examples/a.py",))) == []
    assert runs(BuildPlan(mode=Mode.MERGE)) == runs(BuildPlan(mode=Mode.FOLLOW, ready_file=ready)) == []
    run_and_record(tiny_project, first)
    assert runs(BuildPlan()) == [second], "a script whose output is current runs again"


def test_a_build_from_shards_that_lacks_a_scripts_output_stops_naming_it(tiny_project):
    script = tiny_project / "exercises" / "lesson" / "01_add_them_up.py"
    with pytest.raises(ScriptWouldRun) as failure:
        build_html(tiny_project, pwe_build_plan=BuildPlan(mode=Mode.MERGE).to_json())
    assert str(script) in str(failure.value) and "no shard provided" in str(failure.value)
    assert not (tiny_project / "_executed").exists(), "the build from shards ran the script"
    run_and_record(tiny_project, script)  # as if a shard's output had been installed
    build_html(tiny_project, pwe_build_plan=BuildPlan(mode=Mode.MERGE).to_json())
    page = (tiny_project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "sum of squares: 14" in page


def test_read_exercise_keeps_the_lines_of_the_task_in_the_file(tmp_path):
    exercise = read_exercise(write(tmp_path / "01_add.py", EXERCISE))
    assert exercise.title == "Add them up"
    assert isinstance(exercise.task, StringList)
    # The task's first line is line 5 of the file (offset 4), so errors point there.
    assert exercise.task.items[1] == (str(tmp_path / "01_add.py"), 4)
    assert exercise.task[1] == "Sum the squares of ``0`` to ``3``."


@pytest.mark.parametrize("source, problem", [
    ("print(1)\n", "no module docstring"),
    ('"""\nJust a task, no title.\n"""\n', "underlined title"),
    ('"""\nTitle\n=====\n"""\n', "no task"),
])
def test_an_exercise_without_title_or_task_is_named(tmp_path, source, problem):
    path = write(tmp_path / "01_bad.py", source)
    with pytest.raises(ExtensionError, match=problem) as failure:
        read_exercise(path)
    assert str(path) in str(failure.value)


class FakeConfig(dict):
    __getattr__ = dict.__getitem__


def test_exercises_go_before_the_downloads_of_a_lesson_page(tmp_path):
    write(tmp_path / "exercises" / "lesson" / "01_add.py", EXERCISE)
    (tmp_path / "docs").mkdir()
    app = SimpleNamespace(srcdir=str(tmp_path / "docs"), config=FakeConfig(
        sphinx_gallery_conf={"gallery_dirs": ["beginner/examples_nn"]}, pwe_exercises_dir="../exercises"))
    page = "Lesson\n======\n\nText.\n\n.. _sphx_glr_download_beginner_examples_nn_lesson.py:\n\nDownloads\n"
    source = [page]
    add_exercises_section(app, "beginner/examples_nn/lesson", source)
    assert source[0] == page.replace(".. _sphx_glr_download", "Exercises\n---------\n\n.. exercises:: lesson\n\n"
                                                               ".. _sphx_glr_download")
    other = [page]
    add_exercises_section(app, "beginner/lesson", other)  # not a gallery page: left alone
    assert other == [page]
    with pytest.raises(ExtensionError, match="beginner/examples_nn/lesson: no download section"):
        add_exercises_section(app, "beginner/examples_nn/lesson", ["Lesson\n======\n"])


def test_code_after_docstring_drops_only_the_docstring():
    assert code_after_docstring('"""Doc."""\n\nx = 1\n# note\n') == "x = 1\n# note\n"
    assert code_after_docstring("x = 1\n") == "x = 1\n"


def test_includenodoc_until_stops_before_the_named_cell(tmp_path):
    script = write(tmp_path / "lesson.py", textwrap.dedent('''\
        """
        Lesson
        ======

        Fit a line.
        """

        # %%
        # Training
        # --------
        x = 1

        # %%
        # Why it works
        # ------------
        y = x + 1
    '''))
    assert code_until(script, "Why it works") == "x = 1\n"
    with pytest.raises(ExampleSourceError, match=r"no text cell titled 'Nope'.*'Training', 'Why it works'"):
        code_until(script, "Nope")
