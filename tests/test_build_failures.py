"""A broken input fails the build with a message that names the file and the problem.

Each test copies the project, generated gallery output included (so that
sphinx-gallery sees the real examples as up to date and runs only what the
test adds), breaks one thing, builds the English site and reads the log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

MAIN_RST = Path("docs/beginner/pytorch_with_examples.rst")


def build_english(project: Path, language: str = "en", **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pwe_sphinx.tools.sitebuild", "--language", language],
        cwd=project, capture_output=True, text=True, timeout=600, env={**os.environ, **env},
    )


def add_example(project: Path, name: str, body: str) -> None:
    script = f'"""\nA test lesson\n=============\n\nIt is here to break the build.\n"""\n\n{body}'
    (project / "examples_tensor" / name).write_text(script, encoding="utf-8")


def append_to_main_page(project: Path, rst: str) -> int:
    """Append rst to the main page; the line number where it starts."""
    path = project / MAIN_RST
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + rst, encoding="utf-8")
    return text.count("\n") + 2


def test_an_example_that_raises_fails_the_build_with_its_name_and_traceback(built_project_copy):
    (built_project_copy / "examples_tensor" / "broken_lesson.py").write_text(
        '"""\nA broken lesson\n===============\n\nIt divides by zero.\n"""\n\nresult = 1 / 0\n',
        encoding="utf-8",
    )
    result = build_english(built_project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken_lesson.py" in log
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert "the en build failed" in log


@pytest.mark.parametrize("directive", ["includenodoc", "galleryitem"])
def test_a_directive_naming_a_missing_file_fails_with_file_line_and_path(built_project_copy, directive):
    missing = "/beginner/examples_tensor/no_such_lesson.py"
    line = append_to_main_page(built_project_copy, f".. {directive}:: {missing}\n")
    result = build_english(built_project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    location = re.compile(rf"pytorch_with_examples\.rst:{line}: (ERROR|WARNING).*{directive}: file not found: {missing}")
    assert location.search(log), log[-3000:]


def test_a_gallery_script_without_docstring_is_named(built_project_copy):
    (built_project_copy / "examples_tensor" / "no_docstring.py").write_text("print('hello')\n", encoding="utf-8")
    result = build_english(built_project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"Could not find docstring in file .*examples_tensor/no_docstring\.py", log), log[-3000:]


def test_a_directive_on_a_script_without_docstring_says_so(built_project_copy):
    # Outside the galleries, so that only the directive looks at it.
    (built_project_copy / "docs" / "beginner" / "no_docstring.py").write_text("print('hello')\n", encoding="utf-8")
    line = append_to_main_page(built_project_copy, ".. galleryitem:: /beginner/no_docstring.py\n")
    result = build_english(built_project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"pytorch_with_examples\.rst:{line}: .*no_docstring\.py: the example has no module docstring", log), log[-3000:]


def test_an_example_past_its_time_limit_fails_the_build_by_name(built_project_copy):
    add_example(built_project_copy, "endless_lesson.py", "import time\n\ntime.sleep(60)\n")
    result = build_english(built_project_copy, PWE_EXAMPLE_TIME_LIMIT="2")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "endless_lesson.py ran past the 2 s limit" in log


def test_an_example_without_its_figure_fails_the_build_by_name(built_project_copy):
    add_example(built_project_copy, "silent_lesson.py", "print('no plot here')\n")
    result = build_english(built_project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"produced no figure.*examples_tensor/silent_lesson\.py", log), log[-3000:]


def test_a_malformed_catalogue_fails_the_chinese_build_by_name(built_project_copy):
    catalogue = built_project_copy / "docs/locale/zh_CN/LC_MESSAGES/glossary.po"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + '\nmsgid "unterminated\nmsgstr ""\n',
                         encoding="utf-8")
    result = build_english(built_project_copy, language="zh_CN")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"glossary\.po:\d+: malformed catalogue line: 'msgid \"unterminated'", log), log[-3000:]


POLYNOMIAL_NUMPY_PO = "docs/locale/zh_CN/LC_MESSAGES/beginner/examples_tensor/polynomial_numpy.po"


def break_translation(project: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in polynomial_numpy's catalogue; the line it is on."""
    catalogue = project / POLYNOMIAL_NUMPY_PO
    text = catalogue.read_text(encoding="utf-8")
    assert old in text, old
    catalogue.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, problem", [
    # A translated code block whose program differs from the English one.
    ('msgstr ""\n"learning_rate = 1e-6', 'msgstr ""\n"learning_rate = 1e-3', "not the same program"),
    # A translation that drops the final newline of its message (msgfmt -c rejects it): the
    # first entry whose translation ends the entry with a newline (a solution's code block).
    ('。\\n"\n\n', '。"\n\n', "ends with a newline"),
    # Broken rst: an inline literal glued to the Chinese text around it.
    ('msgstr "热身：numpy"', 'msgstr "热身：``numpy``的"', "rst:"),
])
def test_a_translation_that_must_not_be_published_fails_the_build_naming_file_and_line(built_project_copy, old, new,
                                                                                       problem):
    break_translation(built_project_copy, old, new)
    result = build_english(built_project_copy, language="zh_CN")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "must not be published" in log, log[-3000:]
    assert re.search(rf"polynomial_numpy\.po:\d+: .*{re.escape(problem)}", log), log[-3000:]
