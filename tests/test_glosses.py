"""English glosses on the Chinese pages: the first mention of a glossary term carries its English.

A tiny bilingual site, built here in seconds, holds every case the rule has
(a term twice, a longer term around a shorter one, terms in code, headings
and links, a term the translator glossed already, a word that only contains
a term); the built Chinese site is then checked page by page against
docs/glossary.tsv, read here on its own.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tiny_sphinx import build_html, write

ROOT = Path(__file__).resolve().parent.parent

GLOSSARY = """\
english\tchinese
tensor\t张量
autograd\t自动求导
derivative\t求导
computational graph\t计算图
dynamic computational graph\t动态计算图
graph\t图
layer\t层
module\t模块
weight\t权重
bias\t偏置
gradient\t梯度
gradient descent\t梯度下降
learning rate\t学习率
example (data point)\t样本
example\t示例
inference\t推理
momentum\t动量
GPU\tGPU
"""

CONF = """\
extensions = {extensions!r}
pwe_languages = {{"en": "English", "zh_CN": "简体中文"}}
pwe_language_tags = {{"en": "en", "zh_CN": "zh-CN"}}
pwe_glossary = "glossary.tsv"
pwe_gloss_not_terms = ["底层"]
locale_dirs = ["locale"]
gettext_compact = False
gettext_additional_targets = ["literal-block"]
exclude_patterns = ["_build", "locale"]
"""

INDEX = """\
Tensors and layers
==================

.. toctree::

   lesson
   glossary

Tensors hold the data. Every tensor has a shape.

In Chinese, a tensor is a 张量.

.. container:: pwe-card

   A card about momentum.

Autograd builds a dynamic computational graph, and the computational graph records each step.

See ``layer`` and :ref:`the layer section <layers>`, where the links are not prose.

.. code-block:: python

   weight = 1  # the bias too

The weight (weight) is learned; the weight changes each step.

``bias`` (the bias) is added.

The gradient (log scale) falls; the gradient then shrinks.

Low level code: a layer is a part of a network.

*Inference tensors* (inference tensor) are special.

The value (without momentum) is large; the word "momentum"; then momentum grows.

.. note::
   :class: sphx-glr-download-link-note

   Download the full example code.

A **module** groups layers.

.. note::

   The learning rate is small.

===== =========================
name  what
===== =========================
one   Each example is a row.
===== =========================

.. _layers:

Layers and modules
------------------

The GPU runs the layer of this example.
"""

LESSON = """\
Lesson
======

A tensor again; gradient descent follows the gradient of the tensor.

Add a **bias**, then a weight.
"""

GLOSSARY_PAGE = """\
Glossary
========

The terms: tensor, layer.

.. glossary-table:: /glossary.tsv
"""

MESSAGES = {
    "index": {
        "Tensors and layers": "张量与层",
        "Tensors hold the data. Every tensor has a shape.": "张量保存数据。每个张量都有形状。",
        "In Chinese, a tensor is a 张量.": "中文把它叫作张量。",
        "Autograd builds a dynamic computational graph, and the computational graph records each step.":
            "自动求导构建动态计算图，计算图记录每一步。",
        "See ``layer`` and :ref:`the layer section <layers>`, where the links are not prose.":
            "见 ``层`` 和 :ref:`层一节 <layers>`，链接不是正文。",
        "weight = 1  # the bias too": "weight = 1  # 偏置也一样",
        "The weight (weight) is learned; the weight changes each step.": "权重（weight）是学出来的；权重每步都变。",
        "``bias`` (the bias) is added.": "``bias`` （偏置）会加上去。",
        "The gradient (log scale) falls; the gradient then shrinks.": "梯度（对数刻度）下降；之后梯度变小。",
        "Low level code: a layer is a part of a network.": "底层代码：一层是网络的一部分。",
        "*Inference tensors* (inference tensor) are special.": "*推理张量* （inference tensor）很特殊。",
        'The value (without momentum) is large; the word "momentum"; then momentum grows.':
            "值（没有动量时）很大；“动量”一词；之后动量变大。",
        "Download the full example code.": "下载完整的示例代码。",
        "A card about momentum.": "介绍动量的卡片。",
        "A **module** groups layers.": "一个 **模块** 把几层组合起来。",
        "The learning rate is small.": "学习率很小。",
        "name": "名称",
        "what": "样本说明",
        "Each example is a row.": "每个样本是一行。",
        "Layers and modules": "层与模块",
        "The GPU runs the layer of this example.": "GPU 运行这个示例的层。",
    },
    "lesson": {
        "Lesson": "课程",
        "A tensor again; gradient descent follows the gradient of the tensor.": "又是张量；梯度下降沿着张量的梯度走。",
        "Add a **bias**, then a weight.": "先加 **偏置**，再乘以权重。",
    },
    "glossary": {
        "Glossary": "术语表",
        "The terms: tensor, layer.": "术语：张量、层。",
    },
}

GLOSS = "pwe_sphinx.i18n.glosses"
OTHERS = ["pwe_sphinx.i18n.language_switch", "pwe_sphinx.i18n.chinese_search"]


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(project: Path, extensions: list[str]) -> None:
    write(project / "conf.py", CONF.format(extensions=extensions))
    write(project / "glossary.tsv", GLOSSARY)
    write(project / "index.rst", INDEX)
    write(project / "lesson.rst", LESSON)
    write(project / "glossary.rst", GLOSSARY_PAGE)
    for page, messages in MESSAGES.items():
        entries = "".join(f"\nmsgid {po_string(english)}\nmsgstr {po_string(chinese)}\n"
                          for english, chinese in messages.items())
        write(project / "locale" / "zh_CN" / "LC_MESSAGES" / f"{page}.po",
              'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + entries)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("glosses")
    write_project(project, [*OTHERS, GLOSS])
    return project


def built(project: Path, name: str, jobs: int = 1, **overrides) -> Path:
    outdir = project / "_build" / name
    shutil.rmtree(outdir, ignore_errors=True)
    warnings = build_html(project, outdir, parallel=jobs, **overrides)
    assert warnings == "", warnings
    return outdir


@pytest.fixture(scope="module")
def chinese(project) -> Path:
    return built(project, "zh_CN", language="zh_CN")


def body(outdir: Path, page: str) -> BeautifulSoup:
    html = (outdir / f"{page}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").select_one('div[role="main"]')


def glosses(element) -> list[str]:
    return [span.get_text() for span in element.select(".pwe-gloss")]


def paragraph_with(element, start: str):
    [paragraph] = [p for p in element.find_all("p") if p.get_text().startswith(start)]
    return paragraph


@pytest.mark.unit
def test_first_mention_carries_its_english_and_the_second_does_not(chinese):
    page = body(chinese, "index")
    first = paragraph_with(page, "张量")
    assert first.get_text() == "张量（tensor）保存数据。每个张量都有形状。"
    [gloss] = first.select(".pwe-gloss")
    [english] = gloss.select('[lang="en"]')
    assert english.get_text() == "tensor" and gloss.get_text() == "（tensor）"
    assert english.find_parent("p") is first  # inline, inside the paragraph
    # Another page glosses on its own.
    assert body(chinese, "lesson").find("p").get_text() == "又是张量（tensor）；梯度下降（gradient descent）沿着张量的梯度（gradient）走。"


@pytest.mark.unit
def test_each_term_is_glossed_at_most_once_per_page(chinese):
    shown = glosses(body(chinese, "index"))
    # 样本 and 示例 are both "example", in two senses.
    assert sorted(shown) == sorted(f"（{english}）" for english in [
        "tensor", "autograd", "dynamic computational graph", "computational graph", "layer", "module",
        "gradient", "momentum", "learning rate", "example", "example"])


@pytest.mark.unit
def test_the_longest_term_wins(chinese):
    text = paragraph_with(body(chinese, "index"), "自动求导").get_text()
    assert text == "自动求导（autograd）构建动态计算图（dynamic computational graph），计算图（computational graph）记录每一步。"
    # Terms that start alike: 梯度下降 is matched whole, and 梯度 still gets its own gloss.
    assert "梯度下降（gradient descent）沿着张量的梯度（gradient）走" in body(chinese, "lesson").get_text()


@pytest.mark.unit
def test_code_links_headings_and_the_glossary_page_are_left_alone(chinese):
    page = body(chinese, "index")
    for element in page.select("h1, h2, pre, code, a"):
        assert not element.select(".pwe-gloss"), element
    assert "偏置也一样" in page.select_one("pre").get_text()
    assert paragraph_with(page, "见").get_text() == "见 层 和 层一节，链接不是正文。"
    assert [heading.get_text().rstrip("¶") for heading in page.select("h1, h2")] == ["张量与层", "层与模块"]
    assert glosses(body(chinese, "glossary")) == []


@pytest.mark.unit
def test_a_term_glossed_by_the_translator_or_beside_an_aside(chinese):
    page = body(chinese, "index")
    assert paragraph_with(page, "权重").get_text() == "权重（weight）是学出来的；权重每步都变。"
    assert not paragraph_with(page, "权重").select(".pwe-gloss")
    # (the space before （ is dropped by pwe_sphinx.i18n.bracket_spacing, not loaded here)
    assert paragraph_with(page, "bias").get_text() == "bias （偏置）会加上去。"
    # An aside in parentheses after the first mention: the next mention gets the gloss.
    assert paragraph_with(page, "梯度").get_text() == "梯度（对数刻度）下降；之后梯度（gradient）变小。"
    # A phrase glossed whole, its first word a term.
    assert paragraph_with(page, "推理张量").get_text() == "推理张量 （inference tensor）很特殊。"
    # Mentions inside parentheses or quotation marks: the gloss would nest there.
    assert paragraph_with(page, "值").get_text() == "值（没有动量时）很大；“动量”一词；之后动量（momentum）变大。"


@pytest.mark.unit
def test_a_bold_term_followed_by_text_with_another_term(chinese):
    """The bold term's gloss goes after the run; the text after it keeps its own gloss."""
    paragraph = body(chinese, "lesson").find_all("p")[1]
    assert paragraph.get_text() == "先加 偏置（bias），再乘以权重（weight）。"
    assert paragraph.select_one("strong").get_text() == "偏置"


@pytest.mark.unit
def test_words_that_only_contain_a_term_and_terms_that_are_english(chinese):
    page = body(chinese, "index")
    assert paragraph_with(page, "底层").get_text() == "底层代码：一层（layer）是网络的一部分。"
    # GPU is its own English; 层 was glossed before; sphinx-gallery's note does not count as a mention.
    assert paragraph_with(page, "GPU").get_text() == "GPU 运行这个示例（example）的层。"
    assert page.select_one(".sphx-glr-download-link-note").get_text().strip().endswith("下载完整的示例代码。")
    assert page.select_one(".pwe-card").get_text().strip() == "介绍动量的卡片。", "a card is not the page's prose"


@pytest.mark.unit
def test_bold_terms_prose_in_notes_and_tables_and_a_named_sense(chinese):
    page = body(chinese, "index")
    module = paragraph_with(page, "一个")
    assert module.get_text() == "一个 模块（module）把几层组合起来。"
    assert module.select_one("strong").get_text() == "模块", "the gloss follows the bold term, in plain text"
    note = page.select_one(".admonition:not(.sphx-glr-download-link-note) p:not(.admonition-title)")
    assert note.get_text() == "学习率（learning rate）很小。"
    assert "每个样本（example）是一行。" in [cell.get_text() for cell in page.select("td")]
    assert [cell.get_text() for cell in page.select("th")] == ["名称", "样本说明"], "a column heading is a heading"


@pytest.mark.unit
def test_the_glosses_are_searchable_and_the_terms_stay_whole(chinese):
    script = (chinese / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(script.removeprefix("Search.setIndex(").removesuffix(")"))["terms"]
    assert {"张量", "自动求导", "tensor", "autograd"} <= terms.keys()


@pytest.mark.unit
def test_the_english_pages_are_unchanged(project, tmp_path):
    with_glosses = built(project, "en")
    plain = tmp_path / "plain"
    write_project(plain, OTHERS)
    without = built(plain, "en")
    for page in ("index", "lesson", "glossary"):
        assert (with_glosses / f"{page}.html").read_bytes() == (without / f"{page}.html").read_bytes(), page
    assert 'class="pwe-gloss"' not in (with_glosses / "index.html").read_text(encoding="utf-8")


@pytest.mark.unit
def test_parallel_writers_gloss_as_one_does(project, chinese):
    parallel = built(project, "zh_CN-j2", jobs=2, language="zh_CN")
    for page in ("index", "lesson", "glossary"):
        assert (parallel / f"{page}.html").read_bytes() == (chinese / f"{page}.html").read_bytes(), page


# The built site: the glosses the reader sees, against docs/glossary.tsv read here.

def glossary_oracle() -> dict[str, str]:
    """Chinese term -> the English a gloss should show (its first row; the sense named in parentheses dropped)."""
    english_of: dict[str, str] = {}
    for line in (ROOT / "docs" / "glossary.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip():
            continue
        english, chinese = (cell.strip() for cell in line.split("\t"))
        english = re.sub(r"\s*\([^)]*\)$", "", english)
        if chinese != english:
            english_of.setdefault(chinese, english)
    return english_of


# Where no gloss may be: headings, the navigation, code, output, maths, links, figures, column headings.
NO_GLOSS_IN = ("h1, h2, h3, h4, h5, h6, nav, aside, code, pre, math, a, svg, thead, title, "
               ".sphx-glr-download-link-note, .pwe-card")


def article(site, language: str, page: str):
    return site.page(language, page).select_one("article[role=main]")


def prose_text(paragraph) -> str:
    """A paragraph's text as a reader reads it, with its code, links and maths left out."""
    copy = BeautifulSoup(str(paragraph), "html.parser")
    for element in copy.select("code, a, math, svg"):
        element.replace_with("□")
    return copy.get_text()


@pytest.mark.parametrize("page,term", [
    ("beginner/pytorch_with_examples", "张量"),
    ("beginner/pytorch_with_examples", "自动求导"),
    ("beginner/examples_tensor/tensor_basics", "张量"),
    ("beginner/examples_autograd/autograd_basics", "自动求导"),
    ("beginner/examples_autograd/polynomial_autograd", "自动求导"),
    ("beginner/examples_nn/polynomial_nn", "可学习参数"),
    ("index", "三次多项式"),
    ("beginner/examples_nn/digits_workflow", "数据加载器"),
])
def test_the_first_mention_in_the_article_carries_the_glossary_english(site, page, term):
    english = glossary_oracle()[term]
    paragraphs = [p for p in article(site, "zh_CN", page).find_all("p")
                  if term in prose_text(p) and p.css.closest(NO_GLOSS_IN) is None]
    assert paragraphs, f"{page}: no paragraph mentions {term}"
    first = prose_text(paragraphs[0])
    at = first.index(term) + len(term)
    assert first[at:].startswith(f"（{english}）"), f"{page}: {first[max(at - 30, 0):at + 40]!r}"
    assert english in [span.get_text() for span in paragraphs[0].select('.pwe-gloss [lang="en"]')]
    later = "".join(prose_text(p) for p in paragraphs)[len(first[:at]) + len(english) + 2:]
    assert f"{term}（{english}）" not in later, f"{page}: {term} is glossed again"


def test_every_gloss_follows_its_term_once_per_page_and_only_in_prose(site):
    english_of = glossary_oracle()
    terms_for: dict[str, set[str]] = {}
    for chinese, english in english_of.items():
        terms_for.setdefault(english, set()).add(chinese)
    pages = sorted((site.html / "zh_CN").rglob("*.html"))
    total = 0
    for path in pages:
        name = str(path.relative_to(site.html / "zh_CN"))
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        glossed: list[str] = []
        for gloss in soup.select(".pwe-gloss"):
            total += 1
            [english] = gloss.select('span[lang="en"]')
            assert gloss.get_text() == f"（{english.get_text()}）", name
            assert english.get_text() in terms_for, f"{name}: {english.get_text()!r} is not in the glossary"
            assert gloss.find_parent("p") is not None, f"{name}: a gloss outside a paragraph"
            assert gloss.css.closest(NO_GLOSS_IN) is None, f"{name}: a gloss in {gloss.css.closest(NO_GLOSS_IN)}"
            # The text before the gloss, read backwards from it (after bold or italic text,
            # the term ends the element before the gloss).
            before = "".join((piece if isinstance(piece, str) else piece.get_text())[::-1]
                             for piece in gloss.previous_siblings)
            term = max((t for t in terms_for[english.get_text()] if before.startswith(t[::-1])), key=len,
                       default=None)
            assert term, f"{name}: （{english.get_text()}） follows {before[:10][::-1]!r}, not its term"
            glossed.append(term)
        assert len(glossed) == len(set(glossed)), f"{name}: glossed twice: {sorted(glossed)}"
        if name in ("glossary.html", "search.html", "genindex.html"):
            assert glossed == [], name
    assert total > 100, "the Chinese site should gloss its terms"
    for path in (site.html / "en").rglob("*.html"):
        assert 'class="pwe-gloss"' not in path.read_text(encoding="utf-8"), path
