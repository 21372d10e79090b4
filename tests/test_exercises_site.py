"""What a reader finds at the end of each main lesson, on the install page and on the home page.

The exercises' solutions are run a second time here, on their own, and what
they print must be what the page shows: the page's output comes from the
build's own run, not from a copy. The install page must describe the torch
that this test imports, worked out here independently of its program.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import LANGUAGES, ROOT, inline_figures, run_example
from PIL import Image
from test_downloads import downloads_of, notebook_parts
from test_site import INCLUDED_IN_ORDER, code_tokens

EXERCISES = ROOT / "exercises"
SOLUTION_LABEL = {"en": "Solution", "zh_CN": "参考答案"}
STARTER_LABEL = {"en": "Starter script", "zh_CN": "起始脚本"}
STARTER = ".starter.py"
EXERCISES_HEADING = {"en": "Exercises", "zh_CN": "练习"}


def exercise_scripts(lesson: str) -> list[Path]:
    """A lesson's solutions, without the starters of its write-it exercises."""
    return sorted(path for path in (EXERCISES / lesson).glob("*.py") if not path.name.endswith(STARTER))


def starter_of(solution: Path) -> Path | None:
    starter = solution.with_name(solution.stem + STARTER)
    return starter if starter.is_file() else None


def exercise_title(script: Path) -> str:
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    return docstring.strip().splitlines()[0].strip()


def page_name(relative: str) -> str:
    return f"beginner/{Path(relative).parent}/{Path(relative).stem}"


@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_each_main_lesson_has_two_to_four_exercises_one_where_the_reader_writes_code(relative):
    scripts = exercise_scripts(Path(relative).stem)
    assert 2 <= len(scripts) <= 4, f"{relative}: {len(scripts)} exercises"
    assert any(starter_of(script) for script in scripts), f"{relative}: no exercise with a starter script"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_lesson_ends_with_its_exercises_and_folded_solutions_that_ran(site, language, relative):
    page = site.page(language, page_name(relative))
    section = page.find("section", id="exercises")
    assert section is not None, f"{language}/{relative}: no Exercises section"
    assert section.find("h2").get_text().strip("¶ ") == EXERCISES_HEADING[language]
    # After the lesson, before its downloads.
    assert section.find_next("div", class_="sphx-glr-footer") is not None
    scripts = exercise_scripts(Path(relative).stem)
    exercises = section.find_all("section", recursive=False)
    assert len(exercises) == len(scripts)
    for script, exercise in zip(scripts, exercises, strict=True):
        title = exercise.find("h3").get_text().strip("¶ ")
        if language == "en":
            assert title == exercise_title(script)
        else:
            assert title != exercise_title(script), f"{script.name}: title not translated"
        assert exercise.find("p"), f"{script.name}: no task"
        details = exercise.find_all("details")[-1]
        assert not details.has_attr("open"), f"{script.name}: the solution is not folded"
        assert details.find("summary").get_text() == SOLUTION_LABEL[language]
        code = details.select_one("div.highlight-python pre").get_text()
        assert code_tokens(code) == code_tokens(script.read_text(encoding="utf-8"))
        shown = details.select_one("div.pwe-script-output pre")
        printed = run_example(str(script.relative_to(ROOT)))
        assert printed, f"{script.name}: a solution prints its result"
        assert shown is not None and shown.get_text() == printed, f"{script.name}: the page shows other output"
        assert not details.find("img"), f"{script.name}: a figure shown as a picture, not as inline SVG"
        inline_figures(str(details))


def run_download(path: Path, folder: Path) -> subprocess.CompletedProcess:
    """Run a downloaded script as a reader would, from a folder of its own."""
    copy = folder / path.name
    copy.write_bytes(path.read_bytes())
    return subprocess.run([sys.executable, copy.name], capture_output=True, text=True, cwd=folder,
                          env=dict(os.environ, MPLBACKEND="Agg"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_each_starter_is_served_runs_and_says_what_is_left(site, language, relative, tmp_path):
    page_name_ = page_name(relative)
    exercises = site.page(language, page_name_).select("section#exercises > section")
    scripts = exercise_scripts(Path(relative).stem)
    for script, exercise in zip(scripts, exercises, strict=True):
        starter = starter_of(script)
        link = exercise.select_one("p.pwe-starter a.download")
        if starter is None:
            assert link is None and len(exercise.find_all("details")) == 1
            continue
        assert link is not None, f"{language}/{starter.name}: no download link"
        assert link.get_text() == starter.name
        folded = exercise.find_all("details")
        assert len(folded) == 2 and folded[0].find("summary").get_text() == STARTER_LABEL[language]
        assert not folded[0].has_attr("open")
        served = (site.html / language / page_name_).parent / link["href"]
        text = served.read_text(encoding="utf-8")
        assert code_tokens(text) == code_tokens(starter.read_text(encoding="utf-8")), f"{served}: another program"
        title = exercise.find("h3").get_text().strip("¶ ")
        heading = ast.get_docstring(ast.parse(text)).splitlines()[0].replace("``", "")  # rst, as the page reads it
        assert heading == title, f"{served}: not the page's exercise"
        comments = [line.strip() for line in text.splitlines() if line.strip().startswith("# ")]
        if language != "en":  # the comments in the reader's language, as the page shows them
            assert comments and all(re.search(r"[\u4e00-\u9fff]", c) for c in comments), f"{served}: {comments}"
        run = run_download(served, tmp_path)
        assert run.returncode == 0, f"{served} failed:\n{run.stderr[-3000:]}"
        printed = run.stdout.splitlines()
        assert printed and all(line.startswith("TODO") for line in printed), f"{served} printed {run.stdout!r}"
        shown = folded[0].select_one("div.pwe-script-output pre").get_text()
        assert shown == run.stdout, f"{starter.name}: the page shows other output than the download prints"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_downloads_stay_the_lesson_without_its_exercises(site, language, relative):
    downloads = downloads_of(site, language, relative)
    script_text = downloads[".py"].read_text(encoding="utf-8")
    markdown, code = notebook_parts(downloads[".ipynb"].read_text(encoding="utf-8"))
    for exercise in exercise_scripts(Path(relative).stem):
        title = exercise_title(exercise)
        for text in (script_text, markdown, code):
            assert title not in text, f"{relative}: the download holds the exercise {title!r}"
    assert ".. exercises::" not in script_text + markdown


def expected_device() -> str:
    if torch.accelerator.is_available():
        return str(torch.accelerator.current_accelerator())
    return "cpu"


@pytest.mark.parametrize("language", LANGUAGES)
def test_install_page_shows_the_build_torch(site, language):
    page = site.page(language, "install")
    output = page.select_one("article div.pwe-script-output pre").get_text().splitlines()
    assert f"PyTorch {torch.__version__}" in output
    assert f"CUDA build: {torch.version.cuda}" in output
    assert f"Apple MPS support built in: {torch.backends.mps.is_built()}" in output
    assert f"Apple GPU usable (MPS available): {torch.backends.mps.is_available()}" in output
    assert f"The lessons run on: {expected_device()}" in output
    assert output[-1] == "2 * ones(2, 3) sums to 12.0"
    code = page.select_one("article div.highlight-python pre").get_text()
    assert "torch.accelerator.current_accelerator()" in code


HOME_CARDS = [
    ("beginner/pytorch_with_examples.html#tutorial-tensors", "sphx_glr_polynomial_numpy_thumb"),
    ("beginner/pytorch_with_examples.html#tutorial-autograd", "sphx_glr_polynomial_custom_function_thumb"),
    ("beginner/pytorch_with_examples.html#tutorial-nn", "sphx_glr_dynamic_net_thumb"),
    ("beginner/pytorch_with_examples.html#tutorial-real-training", "sphx_glr_real_training_thumb"),
    ("beginner/more_lessons.html", "sphx_glr_digits_workflow_thumb"),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_shows_the_path_as_cards(site, language):
    page = site.page(language, "index")
    cards = page.select("article div.pwe-card")
    assert [(card.find("a")["href"], Path(card.find("img")["src"]).stem) for card in cards] == HOME_CARDS
    for card in cards:
        href = card.find("a")["href"]
        target = site.page(language, href.split(".html")[0])
        if "#" in href:
            assert target.find(id=href.split("#")[1]), f"{href}: no such section"
        with Image.open(site.html / language / card.find("img")["src"]) as picture:
            picture.verify()
        title = card.find("a").get_text(strip=True)
        assert len(card.get_text(" ", strip=True)) > len(title) + 20, f"{title}: the card says nothing of the step"
    assert page.find("a", href="install.html"), "the home page points to the install page"
