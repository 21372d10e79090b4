"""中英对照 in tiny in-process builds: each translated paragraph, heading and list
item carries its English original, hidden and marked English, and nothing
else does; ids stay unique and the search index holds no word of the originals.

The oracle for each original is the English build of the same project: the
text of the same element, in the same place, on the English page.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tiny_sphinx import build, build_html, write

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")

PAGE = """\
Fitting a curve
===============

Gradient descent walks downhill; ``loss.backward()`` fills each
:math:`\\partial L / \\partial w` and `Adam <https://arxiv.org/abs/1412.6980>`_
is *another* optimizer -- "the" one... See :doc:`other` and :ref:`zygote-label`.

.. code-block:: python

   print("unchanged code")

.. _zygote-label:

Steps to follow
---------------

* Choose a learning rate.
* Run the loop.

Output as a literal block::

   loss 0.5

A paragraph nobody translated yet, xylophonic.

.. rubric:: Rubric heading

NumPy

Exercises
---------

A task with an `inline target`_ and a _`glossary anchor` quokkaesque.

.. _inline target: https://example.org/

1. First numbered item, kangarooish.
"""

OTHER = """\
Other page
==========

Plain words on the second page.
"""

CATALOGUE = {
    "Fitting a curve": "拟合曲线",
    "Gradient descent walks downhill; ``loss.backward()`` fills each "
    ":math:`\\\\partial L / \\\\partial w` and `Adam <https://arxiv.org/abs/1412.6980>`_ "
    "is *another* optimizer -- \\\"the\\\" one... See :doc:`other` and :ref:`zygote-label`.":
        "梯度下降沿坡向下走；``loss.backward()`` 填好每个 :math:`\\\\partial L / \\\\partial w`，"
        "`Adam <https://arxiv.org/abs/1412.6980>`_ 是 *另一种* 优化器。"
        "见 :doc:`other` 和 :ref:`zygote-label`。",
    "Steps to follow": "步骤",
    "Choose a learning rate.": "选一个学习率。",
    "Run the loop.": "运行循环。",
    "Output as a literal block::": "以字面块给出的输出：::",
    "Rubric heading": "小标题",
    "NumPy": "NumPy",  # a name that stays as it is: nothing to show beneath it
    "Exercises": "练习",
    "A task with an `inline target`_ and a _`glossary anchor` quokkaesque.":
        "一个带 `inline target`_ 和 _`glossary anchor` 的任务。",
    "First numbered item, kangarooish.": "第一个编号项。",
}
OTHER_CATALOGUE = {"Other page": "另一页", "Plain words on the second page.": "第二页上的普通文字。"}
# Words only the English originals hold: none may reach the Chinese search index.
ENGLISH_ONLY = ("gradient", "downhill", "choose", "loop", "rubric", "quokkaesque", "kangarooish", "plain")


def po(messages: dict[str, str]) -> str:
    entries = "".join(f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n' for msgid, msgstr in messages.items())
    return 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + entries


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("bilingual")
    write(project / "conf.py", textwrap.dedent(f'''\
        extensions = ["pwe_sphinx.i18n.bilingual", "pwe_sphinx.html.markup", "pwe_sphinx.html.theme_frame",
                      "pwe_sphinx.html.mathml"]
        html_theme = "furo"
        templates_path = ["{ROOT / "docs" / "_templates"}"]
        html_sidebars = {{"**": ["sidebar/brand.html", "sidebar/bilingual-switch.html", "sidebar/search.html",
                                 "sidebar/navigation.html"]}}
        locale_dirs = ["locale"]
        gettext_compact = False
        gettext_additional_targets = ["literal-block"]
        exclude_patterns = ["_build", "locale"]
    '''))
    write(project / "index.rst", PAGE + "\n.. toctree::\n\n   other\n")
    write(project / "other.rst", OTHER)
    messages = project / "locale" / "zh_CN" / "LC_MESSAGES"
    write(messages / "index.po", po(CATALOGUE))
    write(messages / "other.po", po(OTHER_CATALOGUE))
    return project


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def english(project) -> BeautifulSoup:
    outdir = project / "_build" / "en"
    assert build_html(project, outdir) == ""
    return parse(outdir / "index.html")


@pytest.fixture(scope="module", params=[1, 2], ids=["j1", "j2"])
def chinese(request, project) -> Path:
    outdir = project / "_build" / f"zh_CN-j{request.param}"
    shutil.rmtree(outdir, ignore_errors=True)
    assert build_html(project, outdir, parallel=request.param, language="zh_CN") == ""
    return outdir


def prose(page: BeautifulSoup) -> list:
    """The page's headings and paragraphs (list items' too), in order, the admonition titles left out."""
    return [element for element in page.select("article h1, article h2, article p")
            if not element.find_parent(class_="admonition")]


def own_text(element) -> str:
    """The element's visible text: without the originals inside it and the heading's ¶ link."""
    element = BeautifulSoup(str(element), "html.parser")
    for hidden in element.select(".pwe-original, a.headerlink"):
        hidden.decompose()
    return " ".join(element.get_text().split())


def test_each_translated_element_carries_its_english_original(english, chinese):
    page = parse(chinese / "index.html")
    shown, sources = prose(page), prose(english)
    assert len(shown) == len(sources) > 10
    carried = 0
    for source, element in zip(sources, shown, strict=True):
        originals = element.find_all(class_="pwe-original", recursive=False)
        if own_text(element) == own_text(source):
            assert not originals, f"{own_text(source)!r} is not translated but carries an original"
            continue
        assert len(originals) == 1, f"{own_text(element)!r} carries {len(originals)} originals"
        [original] = originals
        assert original.name == "span" and original.get("lang") == "en" and original.has_attr("hidden")
        assert " ".join(original.get_text().split()) == own_text(source)
        assert not CJK.search(original.get_text())
        carried += 1
    # 3 headings, 1 rubric, 3 paragraphs, 3 list items; not the name left as it is nor the untranslated one
    assert carried == 10
    items = [item for item in page.select("article li") if not item.find_parent(class_="toctree-wrapper")]
    assert len(items) == 3 and all(len(item.select(".pwe-original")) == 1 for item in items)


def test_originals_keep_the_english_markup(chinese):
    page = parse(chinese / "index.html")
    [first] = [o for o in page.select(".pwe-original") if "downhill" in o.get_text()]
    assert first.select_one("code").get_text() == "loss.backward()"
    assert first.select_one("em").get_text() == "another"
    assert first.select_one("math"), "the formula is not written as MathML"
    links = {a.get_text(): a["href"] for a in first.select("a")}
    assert links["Adam"] == "https://arxiv.org/abs/1412.6980"
    # :doc: and :ref: links resolve to the page and the section, named by their English titles
    assert links["Other page"] == "other.html"
    assert links["Steps to follow"] == "#zygote-label"


def test_code_output_and_untranslated_text_get_no_original(chinese):
    page = parse(chinese / "index.html")
    assert not page.select("div.highlight .pwe-original, pre .pwe-original")
    originals = " ".join(o.get_text() for o in page.select(".pwe-original"))
    assert "unchanged code" not in originals and "loss 0.5" not in originals
    assert "xylophonic" not in originals  # shown in English already, as the page's own text
    assert "NumPy" not in originals


def test_ids_stay_unique(chinese):
    for name in ("index", "other"):
        page = parse(chinese / f"{name}.html")
        ids = [element["id"] for element in page.select("[id]")]
        assert len(ids) == len(set(ids)), f"{name}: duplicated ids {sorted(i for i in ids if ids.count(i) > 1)}"
        assert not page.select(".pwe-original [id]")
    assert parse(chinese / "index.html").select("#glossary-anchor"), "the translation lost its anchor"


def test_the_search_index_holds_no_word_of_the_originals(chinese, project):
    index = (chinese / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1: index.rindex(")")])
    words = set(data["terms"]) | set(data["titleterms"])
    assert {"梯度", "下降", "循环"} <= words, "the translation is not indexed"
    assert not [word for word in words if word.startswith(ENGLISH_ONLY)]
    titles = json.dumps(data["titles"], ensure_ascii=False) + json.dumps(data["alltitles"], ensure_ascii=False)
    assert "Fitting" not in titles and "Steps" not in titles
    # The English build indexes those words: the check above could fail.
    index = (project / "_build" / "en" / "searchindex.js").read_text(encoding="utf-8")
    assert "downhil" in index and "quokkaesqu" in index


def test_the_page_description_is_the_translation(chinese):
    page = parse(chinese / "index.html")
    assert "Fitting" not in page.select_one("title").get_text()
    assert not [link for link in page.select(".sidebar-tree a, .toc-tree a") if not CJK.search(link.get_text())]


def test_the_switch_and_its_script_are_on_chinese_pages_only(english, chinese):
    for name in ("index", "other"):
        page = parse(chinese / f"{name}.html")
        [button] = page.select("button.pwe-bilingual-switch")
        assert button.get_text() == "中英对照" and button.get("aria-pressed") == "false"
        assert button.get("type") == "button" and CJK.search(button["title"])
        assert any("pwe-bilingual" in script.get_text() for script in page.select("head script"))
    assert not english.select("button.pwe-bilingual-switch, .pwe-original")
    assert not any("pwe-bilingual" in script.get_text() for script in english.select("script"))


def test_the_gettext_build_extracts_no_original(project):
    outdir = project / "_build" / "gettext"
    build(project, "gettext", outdir)
    extracted = (outdir / "index.pot").read_text(encoding="utf-8")
    assert extracted.count('msgid "Run the loop."') == 1
