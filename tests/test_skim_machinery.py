"""The machinery that makes the pages skimmable, in tiny builds that need no torch.

* ``includenodoc``'s ``:output-lines:``: the last lines a program printed, read
  from the page sphinx-gallery generated for it;
* ``going-deeper``: a derivation folded in a closed ``<details>`` with a
  translated label, in the page and in the notebook;
* ``pathcard``: a home-page card that is one link.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx_gallery.notebook import jupyter_notebook
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from tiny_sphinx import build_html, write

from pwe_sphinx.gallery import notebook_details
from pwe_sphinx.gallery.recorded_output import printed_before
from pwe_sphinx.i18n.downloads import Translator, translate_text

pytestmark = pytest.mark.unit

LESSON = '''\
"""
Lesson
======

Fit a line.
"""

# %%
# Training
# --------
print("step 1")
print("Result: done")

# %%
# Why it works
# ------------
print("analysis")
'''

# The page sphinx-gallery writes for LESSON, as it writes it: each cell after
# a comment naming its source lines, each printed output in a block of its own.
GENERATED = '''\
Lesson
======

.. GENERATED FROM PYTHON SOURCE LINES 8-13

Training
--------

.. GENERATED FROM PYTHON SOURCE LINES 11-13

.. code-block:: Python

    print("step 1")
    print("Result: done")


.. rst-class:: sphx-glr-script-out

 .. code-block:: none

    step 1

    Result: done




.. GENERATED FROM PYTHON SOURCE LINES 14-17

Why it works
------------

.. GENERATED FROM PYTHON SOURCE LINES 17-18

.. code-block:: Python

    print("analysis")

.. rst-class:: sphx-glr-script-out

 .. code-block:: none

    analysis
'''


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def lesson_project(tmp_path) -> Path:
    project = tmp_path / "project"
    write(project / "conf.py", 'extensions = ["pwe_sphinx.directives.includenodoc"]\nexclude_patterns = ["gallery"]\n')
    write(project / "gallery" / "lesson.py", LESSON)
    write(project / "gallery" / "lesson.rst", GENERATED)
    return project


def main_page(project: Path, directive_options: str) -> tuple[BeautifulSoup, str]:
    write(project / "index.rst", f"Main\n====\n\n.. includenodoc:: /gallery/lesson.py\n{directive_options}\n"
                                 "What changed.\n")
    warnings = build_html(project)
    return soup(project / "_build" / "html" / "index.html"), warnings


def test_the_program_is_followed_by_its_last_printed_lines_before_the_analysis(lesson_project):
    page, warnings = main_page(lesson_project, "   :until: Why it works\n   :output-lines: 2\n")
    assert warnings == ""
    code = page.select_one("div.pwe-example-code")
    label = code.find_next_sibling()
    assert label.name == "p" and label.get_text() == "The last lines it printed when this site was built:"
    output = label.find_next_sibling()
    assert "pwe-script-output" in output["class"]
    # The blank line inside the output counts as one of its lines; "analysis" is after :until:.
    assert output.find("pre").get_text() == "\nResult: done\n"
    assert output.find_next_sibling().get_text() == "What changed."


def test_without_until_the_last_lines_are_the_whole_run(lesson_project):
    page, warnings = main_page(lesson_project, "   :output-lines: 1\n")
    assert warnings == ""
    assert page.select_one("div.pwe-script-output pre").get_text() == "analysis\n"


def test_without_the_option_no_output_is_shown(lesson_project):
    page, warnings = main_page(lesson_project, "   :until: Why it works\n")
    assert warnings == "" and page.select_one("div.pwe-script-output") is None


def test_an_example_that_did_not_run_is_named(lesson_project):
    (lesson_project / "gallery" / "lesson.rst").unlink()
    _page, warnings = main_page(lesson_project, "   :output-lines: 2\n")
    assert "lesson.rst: no page generated for lesson.py; did the example run?" in warnings


def test_printed_before_reads_each_cell_by_its_source_lines(tmp_path):
    script = write(tmp_path / "lesson.py", LESSON)
    write(tmp_path / "lesson.rst", GENERATED)
    assert printed_before(script) == ["step 1", "", "Result: done", "analysis"]
    assert printed_before(script, 14) == ["step 1", "", "Result: done"]
    assert printed_before(script, 8) == []


DERIVING_PAGE = """\
Lesson
======

Code comes first.

.. going-deeper::

   The curvature is :math:`2 X^T X`.

   .. math::

      \\lambda_{max} = 5

Back to the code.
"""


def going_deeper_project(tmp_path: Path, page: str = DERIVING_PAGE) -> Path:
    project = tmp_path / "project"
    write(project / "conf.py", 'extensions = ["pwe_sphinx.directives.going_deeper"]\n')
    write(project / "index.rst", page)
    return project


@pytest.mark.parametrize("language,label", [("en", "Going deeper"), ("zh_CN", "深入一步")])
def test_a_derivation_is_a_closed_details_with_the_label_in_the_page_language(tmp_path, language, label):
    project = going_deeper_project(tmp_path)
    assert build_html(project, language=language) == ""
    page = soup(project / "_build" / "html" / "index.html")
    details = page.select("details.pwe-going-deeper")
    assert len(details) == 1 and not details[0].has_attr("open")
    assert details[0].find("summary").get_text() == label
    assert "The curvature is" in details[0].get_text() and details[0].select_one("div.math")
    outside = [p.get_text() for p in page.select("section > p")]
    assert outside == ["Code comes first.", "Back to the code."], "only the derivation is folded"


def test_an_empty_going_deeper_block_is_named(tmp_path):
    project = going_deeper_project(tmp_path, "Lesson\n======\n\n.. going-deeper::\n\nNot indented.\n")
    warnings = build_html(project)
    assert "index.rst:4" in warnings and "going-deeper: the block is empty" in warnings


SCRIPT_WITH_DERIVATION = '''\
"""
Lesson
======

Fit a line.
"""

# %%
# Why it works
# ------------
#
# Short answer.
#
# .. going-deeper::
#
#    The curvature is :math:`2 X^T X`, so
#
#    .. math::
#
#       \\lambda_{max} = 5
#
# Back to the code.

print(1)
'''


def test_the_notebook_folds_the_derivation_and_converts_its_formulas(tmp_path):
    script = write(tmp_path / "lesson.py", SCRIPT_WITH_DERIVATION)
    notebook_details.install()
    notebook_details.install()  # a second call must not wrap the converter twice
    _conf, blocks = split_code_and_text_blocks(script)
    conf = {"first_notebook_cell": None, "last_notebook_cell": None, "pypandoc": False,
            "promote_jupyter_magic": False, "notebook_images": False, "rst_link_targets": {}}
    notebook = jupyter_notebook(blocks, conf, tmp_path)
    markdown = "".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    assert ".. going-deeper::" not in markdown and ".. math::" not in markdown
    assert markdown.count("<details><summary>Going deeper</summary>") == 1
    folded = markdown.split("<details><summary>Going deeper</summary>")[1].split("</details>")[0]
    # Unindented, so Markdown reads paragraphs (four spaces would make a code block), formulas converted.
    assert "\nThe curvature is $2 X^T X$, so" in folded and "\\begin{align}\\lambda_{max} = 5\\end{align}" in folded
    assert "Short answer." in markdown.split("<details>")[0] and "Back to the code." in markdown.split("</details>")[1]
    json.dumps(notebook)  # still a notebook


def test_the_translated_download_translates_the_folded_paragraphs():
    text = "Why\n---\n\n.. going-deeper::\n\n   The curvature is\n   large.\n\n   .. math::\n\n      x\n"
    translated = translate_text(text, Translator({"The curvature is large.": "曲率很大。", "Why": "为什么"}))
    assert translated == "为什么\n------\n\n.. going-deeper::\n\n   曲率很大。\n\n   .. math::\n\n      x\n"


HOME = """\
Home
====

.. container:: pwe-cards

   .. pathcard:: /thumb.png

      :doc:`The other page <other>`

      What the other page teaches.

.. toctree::
   :hidden:

   other
"""


def card_project(tmp_path: Path, home: str = HOME) -> Path:
    project = tmp_path / "project"
    write(project / "conf.py", 'extensions = ["pwe_sphinx.directives.pathcard"]\n')
    write(project / "index.rst", home)
    write(project / "other.rst", "Other\n=====\n\nText.\n")
    (project / "thumb.png").write_bytes(Path(__file__).parents[1].joinpath("docs/_static/favicon.svg").read_bytes())
    return project


def test_a_path_card_is_one_link_with_its_picture_and_sentence(tmp_path):
    project = card_project(tmp_path)
    assert build_html(project) == ""
    card = soup(project / "_build" / "html" / "index.html").select_one("div.pwe-cards > div.pwe-card")
    assert [a["href"] for a in card.find_all("a")] == ["other.html"]
    assert card.find("img")["class"] == ["pwe-card-thumb"]
    assert [p.get_text() for p in card.find_all("p")] == ["The other page", "What the other page teaches."]


@pytest.mark.parametrize("content,problem", [
    ("      The other page\n\n      What it teaches.\n", "must be a single link"),
    ("      :doc:`other`\n", "needs two paragraphs"),
])
def test_a_card_that_would_not_be_one_link_is_named(tmp_path, content, problem):
    home = HOME.replace("      :doc:`The other page <other>`\n\n      What the other page teaches.\n", content)
    warnings = build_html(card_project(tmp_path, home))
    assert "index.rst:6" in warnings and problem in warnings


def test_a_card_without_its_picture_is_named(tmp_path):
    warnings = build_html(card_project(tmp_path, HOME.replace("/thumb.png", "/missing.png")))
    assert "pathcard: picture not found: /missing.png" in warnings
