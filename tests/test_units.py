"""Unit tests of the extension's small functions: no site build, no torch.

Each test feeds a function a small input written here and checks what the
build relies on it for: the title and card summary read from an example's
docstring, the order of a gallery, how a catalogue message is recognised as
code and its markup checked, and zips that come out byte-identical.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pwe_sphinx.core.example_source import ExampleSourceError, cell_titles, first_sentence, read_example
from pwe_sphinx.core.zips import EARLIEST_ZIP_TIME, fixed_zip_time, write_zip
from pwe_sphinx.directives.galleryitem import card_summary
from pwe_sphinx.gallery.order import TeachingOrder, taught_order
from pwe_sphinx.html.reproducible import normalise_zip
from pwe_sphinx.i18n import catalogues
from pwe_sphinx.i18n.catalogues import escaped_markup, looks_like_code, markup_problems, program_tokens

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.unit

EXAMPLE = '''"""
Fitting a line
==============

Gradient descent finds the slope. It takes a few steps.
The second line of the paragraph.

Another paragraph.
"""

import math

# %%
# A text cell
# -----------
#
# Prose the main page leaves out.

slope = 2.0  # an inline comment stays
print(math.pi * slope)
'''


# example_source: what the main page's cards and program blocks read from a script


def test_read_example_takes_the_title_the_first_sentence_and_the_code_without_text_cells(tmp_path):
    path = tmp_path / "line.py"
    path.write_text(EXAMPLE, encoding="utf-8")
    example = read_example(path)
    assert example.title == "Fitting a line"
    assert example.intro == "Gradient descent finds the slope."
    assert example.code == "import math\n\nslope = 2.0  # an inline comment stays\nprint(math.pi * slope)\n"


@pytest.mark.parametrize("paragraph,sentence", [
    ("Gradient descent finds the slope. It takes a few steps.", "Gradient descent finds the slope."),
    ("梯度下降找到斜率。它要走几步。", "梯度下降找到斜率。"),
    ("用 ``nn.Linear(3, 1)`` 拟合 y = 0.5 x。然后比较。", "用 ``nn.Linear(3, 1)`` 拟合 y = 0.5 x。"),
    ("A single sentence", "A single sentence"),
])
def test_first_sentence_cuts_english_and_chinese_alike(paragraph, sentence):
    assert first_sentence(paragraph) == sentence


def test_a_card_summary_comes_from_the_example_pages_translation_when_published(tmp_path):
    path = tmp_path / "line.py"
    path.write_text(EXAMPLE, encoding="utf-8")
    example = read_example(path)
    paragraph = "Gradient descent finds the slope. It takes a few steps. The second line of the paragraph."
    assert example.paragraph == paragraph  # the message of the example page, as gettext joins its lines
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    translated, fuzzy = tmp_path / "translated.po", tmp_path / "fuzzy.po"
    translated.write_text(header + f'msgid "{paragraph}"\nmsgstr "梯度下降找到斜率。它要走几步。"\n', encoding="utf-8")
    fuzzy.write_text(header + f'#, fuzzy\nmsgid "{paragraph}"\nmsgstr "梯度下降。"\n', encoding="utf-8")
    assert card_summary(example, [translated]) == "梯度下降找到斜率。"
    assert card_summary(example, [fuzzy]) == card_summary(example, []) == "Gradient descent finds the slope."


def test_cell_titles_finds_the_underlined_titles_of_text_cells(tmp_path):
    path = tmp_path / "line.py"
    path.write_text(EXAMPLE + "\n# %%\n# Prose without a title.\n\nprint(slope)\n", encoding="utf-8")
    assert cell_titles(path) == ["A text cell"]


@pytest.mark.parametrize("text,complaint", [
    ("def broken(:\n", "not valid Python"),
    ("x = 1\n", "no module docstring"),
    ('"""Just a sentence, no title."""\n', "no underlined title"),
    ('"""\nTitle\n=====\n"""\n', "no paragraph after its title"),
])
def test_read_example_names_the_file_and_what_is_missing(tmp_path, text, complaint):
    path = tmp_path / "examples_x" / "broken.py"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExampleSourceError, match=complaint) as raised:
        read_example(path)
    assert str(raised.value).startswith(f"{path}: ")


# gallery_order: the galleries follow the order the teaching pages name the examples in


def write_teaching_pages(project: Path, main: str, more: str) -> list[Path]:
    pages = [project / "main.rst", project / "more.rst"]
    for page, text in zip(pages, (main, more), strict=True):
        page.write_text(text, encoding="utf-8")
    return pages


def test_taught_order_is_first_mention_on_the_main_page_then_more_lessons(tmp_path):
    pages = write_teaching_pages(
        tmp_path,
        ".. includenodoc:: ../examples_nn/polynomial_nn.py\n"
        "Some prose naming optim.py, which is not a directive line.\n"
        ".. includenodoc:: ../examples_nn/polynomial_optim.py\n"
        ".. galleryitem:: beginner/examples_nn/polynomial_nn.py\n",
        ".. galleryitem:: beginner/examples_nn/dynamic_net.py\n"
        ".. galleryitem:: beginner/examples_nn/polynomial_optim.py\n",
    )
    assert taught_order(pages) == ["polynomial_nn.py", "polynomial_optim.py", "dynamic_net.py"]


def test_examples_no_page_names_come_last_by_file_name(tmp_path):
    order = TeachingOrder(write_teaching_pages(tmp_path, ".. includenodoc:: ../examples_nn/zeta.py\n", ""))
    files = ["beta.py", "zeta.py", "alpha.py"]
    assert sorted(files, key=order) == ["zeta.py", "alpha.py", "beta.py"]


# catalogues: a code block's translation must be the same program; a paragraph's must be valid rst


def test_program_tokens_ignore_comments_and_layout_but_not_the_program():
    english = "x = 1  # one\n\nprint(x)\n"
    assert program_tokens("x = 1  # 一\nprint(x)\n") == program_tokens(english)
    assert program_tokens("x = 2  # one\nprint(x)\n") != program_tokens(english)
    assert program_tokens("Gradient descent,\nstep by step.") is None


FUNCTION = 'def f(x):\n    """{doc}"""\n    return "{value}"  # {comment}\n'


def test_program_tokens_let_docstrings_change_but_not_other_strings():
    english = FUNCTION.format(doc="Twice x.", value="x", comment="one")
    assert program_tokens(FUNCTION.format(doc="x 的两倍。", value="x", comment="一")) == program_tokens(english)
    assert program_tokens(FUNCTION.format(doc="Twice x.", value="两", comment="one")) != program_tokens(english)
    # A string that only looks like a docstring, not first in its body, is code.
    assert program_tokens('x = 1\n"""note"""\n') != program_tokens('x = 1\n"""注"""\n')
    # A docstring stays a docstring: removing it changes the program.
    assert program_tokens("def f(x):\n    return x\n") != program_tokens(english.replace("# one", ""))
    # ast counts columns in bytes: Chinese before a one-line docstring still lines up.
    assert program_tokens('def 甲(): "文档"\n') == program_tokens('def 甲(): "doc"\n')


@pytest.mark.parametrize("translation,escaped", [
    ("保存的是 *每一层* 在 *最后一个* 时间步", False),
    ("用 ``torch.no_grad()`` 时", False),
    ("保存的是\\ *每一层*\\ 在", True),
    ("用\\ ``torch.no_grad()``\\ 时", True),
    ("见\\ :doc:`/glossary`", True),
])
def test_escaped_markup_finds_the_style_the_site_does_not_use(translation, escaped):
    assert escaped_markup(translation) is escaped


def test_the_catalogue_check_names_escaped_markup(tmp_path, monkeypatch):
    po = tmp_path / "page.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Each *layer* here."\nmsgstr "这里\\\\ *每一层*\\\\ 都是。"\n', encoding="utf-8")
    monkeypatch.setattr(catalogues, "is_page_catalogue", lambda path: True)  # checked as a page's catalogue
    problems = catalogues.problems_in(po)
    assert len(problems) == 1 and "page.po:5: inline markup set off with" in problems[0], problems


@pytest.mark.parametrize("message,is_code", [
    ("x = 1\nprint(x)", True),
    ("print(x)", False),  # one line: a sentence can parse as Python too
    ("Gradient descent\nfinds the slope.", False),
])
def test_looks_like_code_only_for_a_multi_line_python_message(message, is_code):
    assert looks_like_code(message) is is_code


def test_markup_problems_finds_an_inline_literal_glued_to_a_chinese_character():
    assert markup_problems("调用 ``backward()`` 计算梯度。") == []
    assert markup_problems("调用 ``backward()``，计算梯度。") == []  # CJK punctuation may follow
    # Glued on the right, the end-string is not one: docutils reads an unclosed literal.
    assert markup_problems("调用 ``backward()``计算梯度。") == [
        "<string>:1: (WARNING/2) Inline literal start-string without end-string."]


def test_markup_problems_accepts_a_paragraph_that_introduces_a_literal_block():
    assert markup_problems("运行下面的命令::") == []


# reproducible: zips are byte-identical from one build to the next


def test_fixed_zip_time_is_source_date_epoch_or_the_earliest_a_zip_holds(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert fixed_zip_time() == EARLIEST_ZIP_TIME == (1980, 1, 1, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert fixed_zip_time() == (2023, 11, 14, 22, 13, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # before 1980: a zip cannot hold it
    assert fixed_zip_time() == EARLIEST_ZIP_TIME


def zip_bytes(entries, date_time) -> bytes:
    target = io.BytesIO()
    write_zip(target, entries, date_time)
    return target.getvalue()


def test_write_zip_gives_the_same_bytes_whatever_the_order_of_its_entries():
    entries = [("b.py", b"print(2)\n"), ("a.py", b"print(1)\n")]
    first = zip_bytes(entries, (2023, 11, 14, 22, 13, 20))
    assert first == zip_bytes(list(reversed(entries)), (2023, 11, 14, 22, 13, 20))
    assert first != zip_bytes(entries, EARLIEST_ZIP_TIME)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["a.py", "b.py"]
        assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert archive.read("b.py") == b"print(2)\n"


def test_normalise_zip_rewrites_a_zip_with_file_times_and_leaves_a_normalised_one_alone(tmp_path):
    path = tmp_path / "gallery.zip"
    with zipfile.ZipFile(path, "w") as archive:  # as sphinx-gallery writes it: today's times, its order
        archive.writestr("b.py", b"print(2)\n")
        archive.writestr("a.py", b"print(1)\n")
    normalise_zip(path, EARLIEST_ZIP_TIME)
    assert path.read_bytes() == zip_bytes([("a.py", b"print(1)\n"), ("b.py", b"print(2)\n")], EARLIEST_ZIP_TIME)
    written = path.stat().st_mtime_ns
    normalise_zip(path, EARLIEST_ZIP_TIME)
    assert path.stat().st_mtime_ns == written


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, runpy, sys
from docutils.parsers.rst import directives, roles

conf_runs = []
run_path = runpy.run_path
runpy.run_path = lambda path, *args, **kwargs: conf_runs.append(path) or run_path(path, *args, **kwargs)
before = (dict(roles._roles), dict(directives._directives), list(sys.path))
import pwe_sphinx
modules = [m.name for m in pkgutil.walk_packages(pwe_sphinx.__path__, "pwe_sphinx.")]
for name in modules:
    importlib.import_module(name)
after = (dict(roles._roles), dict(directives._directives), list(sys.path))
print("configuration run:", conf_runs)
print("global state changed:", before != after)
print("modules:", len(modules))
"""


def test_importing_the_extension_changes_no_global_state():
    # Importing a module must not register docutils roles for the whole
    # process (a check that did once replaced Sphinx's own :ref:) or run conf.py.
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "configuration run: []" in result.stdout, result.stdout
    assert "global state changed: False" in result.stdout, result.stdout
    # Every module of every subpackage was imported: one per file but the package's own __init__.py.
    expected = len(list((ROOT / "pwe_sphinx").rglob("*.py"))) - 1
    assert f"modules: {expected}" in result.stdout, result.stdout
