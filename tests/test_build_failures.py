"""A broken input fails the build with a message that names the file and the problem.

Each test copies the project, generated gallery output included (so that
sphinx-gallery sees the real examples as up to date and runs only what the
test adds), breaks one thing, builds the English site and reads the log.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MAIN_RST = Path("docs/beginner/pytorch_with_examples.rst")


@pytest.fixture
def project_copy(site, tmp_path) -> Path:
    """A copy of the project after a successful build, without build output."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".nox", "build", "__pycache__", "tests"))
    return copy


def build_english(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pwe_sphinx.sitebuild", "--language", "en"],
        cwd=project, capture_output=True, text=True, timeout=600,
    )


def append_to_main_page(project: Path, rst: str) -> int:
    """Append rst to the main page; the line number where it starts."""
    path = project / MAIN_RST
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + rst, encoding="utf-8")
    return text.count("\n") + 2


def test_an_example_that_raises_fails_the_build_with_its_name_and_traceback(project_copy):
    (project_copy / "examples_tensor" / "broken_lesson.py").write_text(
        '"""\nA broken lesson\n===============\n\nIt divides by zero.\n"""\n\nresult = 1 / 0\n',
        encoding="utf-8",
    )
    result = build_english(project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "broken_lesson.py" in log
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert "the en build failed" in log


@pytest.mark.parametrize("directive", ["includenodoc", "galleryitem"])
def test_a_directive_naming_a_missing_file_fails_with_file_line_and_path(project_copy, directive):
    missing = "/beginner/examples_tensor/no_such_lesson.py"
    line = append_to_main_page(project_copy, f".. {directive}:: {missing}\n")
    result = build_english(project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    location = re.compile(rf"pytorch_with_examples\.rst:{line}: (ERROR|WARNING).*{directive}: file not found: {missing}")
    assert location.search(log), log[-3000:]


def test_a_gallery_script_without_docstring_is_named(project_copy):
    (project_copy / "examples_tensor" / "no_docstring.py").write_text("print('hello')\n", encoding="utf-8")
    result = build_english(project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(r"Could not find docstring in file .*examples_tensor/no_docstring\.py", log), log[-3000:]


def test_a_directive_on_a_script_without_docstring_says_so(project_copy):
    # Outside the galleries, so that only the directive looks at it.
    (project_copy / "docs" / "beginner" / "no_docstring.py").write_text("print('hello')\n", encoding="utf-8")
    line = append_to_main_page(project_copy, ".. galleryitem:: /beginner/no_docstring.py\n")
    result = build_english(project_copy)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"pytorch_with_examples\.rst:{line}: .*no_docstring\.py: the example has no module docstring", log), log[-3000:]
