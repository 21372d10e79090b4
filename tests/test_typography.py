"""Chinese typography: the catalogue check's spacing rules, and the spaces the pages drop as they are written.

Each rule is fed a bad message in a throwaway catalogue, and its complaint
must name the catalogue and the message's line; the text a reader sees is
read back from a tiny in-process build's HTML, and from every page of the
built Chinese site.
"""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from tiny_sphinx import build_html

from pwe_sphinx.i18n import catalogues
from pwe_sphinx.i18n.gallery_messages import after_label

# Full-width punctuation, written out here rather than taken from the module under test.
FULL_WIDTH = "，。、；：！？（）《》「」『』【】〔〕“”"
SPACE_BESIDE_FULL_WIDTH = re.compile(rf"\s[{FULL_WIDTH}]|[{FULL_WIDTH}]\s+(?=\S)")


def catalogue_with(tmp_path, monkeypatch, english: str, chinese: str) -> list[str]:
    """problems_in of a page catalogue whose one message, on line 5, is ``english`` translated as ``chinese``."""
    po = tmp_path / "page.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  f'msgid "{english}"\nmsgstr "{chinese}"\n', encoding="utf-8")
    monkeypatch.setattr(catalogues, "is_page_catalogue", lambda path: True)
    return catalogues.problems_in(po)


@pytest.mark.unit
@pytest.mark.parametrize("chinese,complaint", [
    ("调用 ``backward()`` ，再读 ``.grad``。", "a space beside full-width punctuation"),
    ("还没装？ :ref:`install` 一页有说明。", "a space beside full-width punctuation"),
    ("见 `文档 <https://pytorch.org>`__ 。", "a space beside full-width punctuation"),
    ("学习率比上限低 5 %的时候。", "a space before a percent sign"),
    ("（见上）``x`` 就是张量。", "inline markup glued to a closing bracket is not markup"),
])
def test_each_spacing_rule_names_the_catalogue_and_line(tmp_path, monkeypatch, chinese, complaint):
    problems = catalogue_with(tmp_path, monkeypatch, "Some English.", chinese)
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'page.po'}:5: {complaint}"), problems


@pytest.mark.unit
def test_the_build_refuses_a_spacing_fault_naming_the_catalogue_and_line(tmp_path, monkeypatch):
    # What pwe_sphinx.i18n.catalogues runs on every catalogue before the Chinese build starts.
    catalogue_with(tmp_path, monkeypatch, "Some English.", "调用 ``backward()`` 。")
    problems = catalogues.publishing_problems(tmp_path / "page.po")
    assert problems and problems[0].startswith(f"{tmp_path / 'page.po'}:5: a space beside full-width punctuation")


@pytest.mark.unit
@pytest.mark.parametrize("chinese", [
    "调用 ``backward()``，再读 ``.grad``。",
    "用 ``torch.no_grad()`` （推理时）计算。",  # docutils needs the space; the page drops it
    "（推理时） ``torch.no_grad()`` 可以省内存。",
    "这样取值： ::",  # introduces a literal block: the colon shows, the space and :: do not
    "学习率比上限低 5%。",
    "PyTorch 与 NumPy 都能做。",
])
def test_spacing_as_chinese_typography_wants_passes(tmp_path, monkeypatch, chinese):
    assert catalogue_with(tmp_path, monkeypatch, "Some English.", chinese) == []


@pytest.mark.unit
def test_a_label_ending_in_full_width_punctuation_takes_no_space_before_its_value():
    assert after_label("脚本总运行时间：") == ""
    assert after_label("Total running time of the script:") == " "


@pytest.mark.unit
def test_the_page_drops_the_space_between_inline_markup_and_a_full_width_bracket(tmp_path):
    (tmp_path / "conf.py").write_text('extensions = ["pwe_sphinx.i18n.bracket_spacing"]\n', encoding="utf-8")
    (tmp_path / "index.rst").write_text(
        "标题\n====\n\n"
        "在推理时调用 ``torch.no_grad()`` （它会关闭求导），（见下文） ``x.grad`` 保持为空，"
        "而 ``a`` 和 ``b`` 之间的空格不动。\n\n"
        "::\n\n    f(x) （保持原样）\n", encoding="utf-8")
    assert build_html(tmp_path) == ""
    soup = BeautifulSoup((tmp_path / "_build/html/index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.select_one("section p").get_text()
    assert "torch.no_grad()（它会关闭求导）" in text
    assert "（见下文）x.grad 保持为空" in text
    assert "a 和 b 之间" in text
    assert soup.select_one("pre").get_text().strip() == "f(x) （保持原样）"
    assert not re.search(r"\s[（）]|[（）]\s", text)


def test_no_chinese_page_shows_a_space_beside_full_width_punctuation(site):
    """What a reader sees, code and formulas standing as one character each: 用 ``x``，不是 ``x`` ， 也不是 ``x`` （."""
    found = []
    for path in sorted((site.html / "zh_CN").rglob("*.html")):
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
        if article is None:
            continue
        for element in article.select("script, style, div.highlight, div.sphx-glr-script-out, .pwe-original"):
            element.decompose()  # code blocks, printed output and the English originals keep their own spacing
        for element in article.select("code, math"):
            element.replace_with("X")
        for block in article.find_all(["p", "li", "h1", "h2", "h3", "th", "td", "dt", "dd", "caption", "text"]):
            if block.find(["p", "li"]):
                continue  # its paragraphs are read on their own
            text = block.get_text("")
            found += [f"{path.relative_to(site.html)}: {text[max(0, m.start() - 12):m.end() + 12]!r}"
                      for m in SPACE_BESIDE_FULL_WIDTH.finditer(text)]
    assert not found, "\n".join(found)
    timing = site.page("zh_CN", "beginner/examples_tensor/polynomial_numpy").find("p", class_="sphx-glr-timing")
    assert re.fullmatch(r"脚本总运行时间：（\d+ 分 [\d.]+ 秒）", timing.get_text()), timing.get_text()


def test_the_chinese_notebooks_set_code_against_brackets_as_the_pages_do(site):
    """Markdown needs no separator after a code span: the notebooks show ``x``（… with no space, like the pages."""
    notebooks = sorted((site.html / "zh_CN" / "_downloads").rglob("*.ipynb"))
    assert notebooks
    found, glued = [], 0
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                found += [f"{path.name}: {text[max(0, m.start() - 12):m.end() + 12]!r}"
                          for m in re.finditer(r"`[ \t]+[（《「]|[）》」][ \t]+`", text)]
                glued += text.count("``（")
    assert not found, "\n".join(found)
    assert glued, "no notebook sets inline code right against a full-width bracket"
