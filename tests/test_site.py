"""What a reader gets from the built site: pages, code, cards, outputs, downloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import EXAMPLES, LANGUAGES, ROOT, inline_figures, run_example
from PIL import Image

from pwe_sphinx.i18n.catalogues import DOCSTRING, program_tokens

EXAMPLE_PAGES = [f"beginner/{p.parent}/{p.stem}" for p in EXAMPLES]
MAIN = "beginner/pytorch_with_examples"

MAIN_SECTIONS = [
    "Tensors",
    "Warm-up: numpy",
    "PyTorch: Tensors",
    "Autograd",
    "PyTorch: Tensors and autograd",
    "PyTorch: Defining new autograd functions",
    "nn module",
    "PyTorch: nn",
    "PyTorch: optim",
    "PyTorch: Custom nn Modules",
    "PyTorch: Control Flow + Weight Sharing",
    "From here to real training",
    "Examples",
    "Tensors",
    "Autograd",
    "nn module",
]
INCLUDED_IN_ORDER = [
    "examples_tensor/polynomial_numpy.py",
    "examples_tensor/polynomial_tensor.py",
    "examples_autograd/polynomial_autograd.py",
    "examples_autograd/polynomial_custom_function.py",
    "examples_nn/polynomial_nn.py",
    "examples_nn/polynomial_optim.py",
    "examples_nn/polynomial_module.py",
    "examples_nn/dynamic_net.py",
    "examples_nn/real_training.py",
]
# The lessons of "More lessons", in the order that page lists them.
MORE_LESSONS = "beginner/more_lessons"
MORE_IN_ORDER = [
    "examples_tensor/tensor_basics.py",
    "examples_autograd/autograd_basics.py",
    "examples_autograd/two_layer_net.py",
    "examples_nn/polynomial_regression.py",
    "examples_nn/digits_workflow.py",
    "examples_nn/sequence_shapes.py",
    "examples_nn/export_model.py",
    "examples_autograd/old_code_new_code.py",
]


def heading_text(tag) -> str:
    return tag.get_text().replace("¶", "").strip()


def python_blocks(tag) -> list:
    """Code blocks highlighted as Python (sphinx-gallery writes "highlight-Python")."""
    return [div for div in tag.find_all("div") if "highlight-python" in (c.lower() for c in div.get("class", []))]


def code_tokens(source: str) -> list[str]:
    """The program as a token list: comments and blank lines left out, the module docstring too.

    Any other docstring counts as one placeholder token: it is prose, which
    the Chinese site translates, as the catalogue check allows.
    """
    tokens = program_tokens(source)
    assert tokens is not None, f"not a Python program:\n{source[:500]}"
    return tokens[1:] if tokens[:1] == [DOCSTRING] else tokens


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_exists_at_the_pytorch_paths(site, language):
    for name in ["index", MAIN, *EXAMPLE_PAGES]:
        assert (site.html / language / f"{name}.html").is_file(), f"{language}/{name}.html is missing"


@pytest.mark.parametrize("language,lang_attr", [("en", "en"), ("zh_CN", "zh-CN")])
def test_pages_declare_their_language(site, language, lang_attr):
    assert site.page(language, MAIN).html["lang"] == lang_attr


def test_root_page_links_to_both_languages(site):
    root = site.page(".", "index")
    targets = {a["href"] for a in root.find_all("a")}
    assert targets == {"en/index.html", "zh_CN/index.html"}
    for target in targets:
        assert (site.html / target).is_file()
    assert "navigator.languages" in root.find("script").string


def test_main_page_has_the_sections_in_order(site):
    article = site.page("en", MAIN).find("article")
    headings = [heading_text(h) for h in article.find_all(["h2", "h3"])]
    assert headings == MAIN_SECTIONS
    intro = article.find("section").get_text(" ")
    assert "n-dimensional tensor" in intro and "automatic differentiation" in intro
    assert article.select_one("div.admonition.note a[href='#examples-download']"), "no note pointing at Examples"
    contents = article.select_one("nav.contents")
    assert contents, "no local table of contents"
    # Without this class furo paints any table of contents red with an ERROR banner.
    assert "this-will-duplicate-information-and-it-is-still-useful-here" in contents["class"]


def analysis_titles() -> dict[str, str]:
    """Script path to the ``:until:`` title the main page gives its includenodoc, if any."""
    rst = (ROOT / "docs" / "beginner" / "pytorch_with_examples.rst").read_text(encoding="utf-8")
    found = re.findall(r"^\.\. includenodoc:: /beginner/(\S+)\n   :until: (.+)$", rst, re.MULTILINE)
    return dict(found)


def program_part(source: str, until: str | None) -> str:
    """The script up to the ``# %%`` cell whose title is ``until`` (all of it without one)."""
    if until is None:
        return source
    lines = source.splitlines()
    for index, line in enumerate(lines[:-1]):
        if line.startswith("# %%") and lines[index + 1] == f"# {until}":
            return "\n".join(lines[:index]) + "\n"
    raise AssertionError(f"no cell titled {until!r}")


def test_includenodoc_shows_each_program_without_docstring_as_python(site):
    article = site.page("en", MAIN).find("article")
    blocks = [div for div in python_blocks(article) if "pwe-example-code" in div["class"]]
    assert len(blocks) == len(INCLUDED_IN_ORDER)
    until = analysis_titles()
    for block, relative in zip(blocks, INCLUDED_IN_ORDER, strict=True):
        source = (ROOT / relative).read_text(encoding="utf-8")
        shown = block.get_text()
        title = source.split('"""')[1].strip().splitlines()[0]
        assert title not in shown, f"{relative}: the docstring is still shown"
        expected = program_part(source, until.get(relative))
        assert code_tokens(shown) == code_tokens(expected), f"{relative}: the shown code is not the program"
        # The whole program, analysis cells left out: it still trains and reports its result.
        assert '"Result: ' in shown, f"{relative}: the program is cut short"
        assert block.select("span.kn"), f"{relative}: not highlighted as Python"


def test_maths_is_mathml_written_at_build_time(site):
    page = site.page("en", MAIN)
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert not [s for s in scripts if "mathjax" in s.lower()], "a page with maths still loads a maths script"
    article = page.find("article")
    source = (ROOT / "docs" / f"{MAIN}.rst").read_text(encoding="utf-8")
    # Every :math: role and math block of the page's source is there, as MathML.
    assert len(article.find_all("math")) == source.count(":math:") + source.count(".. math::")
    blocks = article.select("div.math-block > math")
    assert len(blocks) == source.count(".. math::") and all(m["display"] == "block" for m in blocks)
    # P3(x) = ½ (5x³ − 3x): a fraction 1 over 2, x with superscript 3, a minus sign.
    p3 = blocks[1]
    assert [n.get_text() for n in p3.find("mfrac").find_all("mn")] == ["1", "2"]
    assert p3.find_all("msup")[-1].get_text() == "x3" and "\u2212" in p3.get_text()
    assert page.find("a", string="Legendre polynomial")["href"].startswith("https://")


def test_examples_section_has_visible_toctrees_and_a_card_per_example(site):
    section = site.page("en", MAIN).find("section", id="examples")
    listed = [a["href"] for a in section.select("div.toctree-wrapper a")]
    assert listed == [f"{page.removeprefix('beginner/')}.html" for page in
                      [f"beginner/{Path(r).parent}/{Path(r).stem}" for r in INCLUDED_IN_ORDER]]
    cards = section.select("div.pwe-card")
    assert len(cards) == len(INCLUDED_IN_ORDER)
    for card, relative in zip(cards, INCLUDED_IN_ORDER, strict=True):
        link = card.find("a")
        target = site.html / "en/beginner" / link["href"]
        assert target.is_file()
        example_title = heading_text(site.page("en", f"beginner/{link['href'][:-5]}").find("h1"))
        assert link.get_text(strip=True) == example_title
        thumb = card.find("img")
        with Image.open(site.html / "en/beginner" / thumb["src"]) as image:
            assert image.width > 100, f"{relative}: thumbnail too small"
        intro = card.find_all("p")[-1].get_text(" ", strip=True)
        assert len(intro) > 20 and intro.endswith("."), f"{relative}: card intro {intro!r}"


@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_example_page_shows_output_plot_and_downloads(site, relative):
    name = f"beginner/{Path(relative).parent}/{Path(relative).stem}"
    page_dir = (site.html / "en" / name).parent
    article = site.page("en", name).find("article")

    assert len(python_blocks(article)) >= 3, "the lesson should be split into code blocks"
    assert len(article.select("section section")) >= 2, "the lesson should have prose sections"

    printed = "".join(pre.get_text() for pre in article.select("div.sphx-glr-script-out pre"))
    assert printed.strip(), "no printed output on the page"
    if relative in INCLUDED_IN_ORDER:
        # Training ends with the Result line; analysis cells may print after it.
        assert any(line.startswith("Result: y = ") for line in printed.splitlines())
    # Seeded: the page shows exactly what a separate run of the script prints.
    assert printed.strip() == run_example(relative).strip()

    # Every figure the example drew is in the page, as inline SVG with an accessible name.
    shown = [svg["id"] for svg in article.select("svg.pwe-figure") if svg["id"].startswith("sphx_glr_")]
    drawn = sorted(path.stem for path in (ROOT / "docs" / name).parent.glob(f"images/sphx_glr_{Path(name).name}_[0-9][0-9][0-9].svg"))
    assert shown, "no figure on the page"
    assert shown == drawn
    inline_figures(str(article))

    downloads = {Path(a["href"]).suffix: page_dir / a["href"] for a in article.select("div.sphx-glr-download a")}
    assert {".py", ".ipynb"} <= downloads.keys()
    assert downloads[".py"].read_text(encoding="utf-8") == (ROOT / relative).read_text(encoding="utf-8")
    notebook = json.loads(downloads[".ipynb"].read_text(encoding="utf-8"))
    code_cells = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert code_tokens(code_cells) == code_tokens(downloads[".py"].read_text(encoding="utf-8"))


OFFLINE_ATTRIBUTES = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                      "video": "src", "audio": "src", "embed": "src", "object": "data"}


def test_no_page_loads_anything_from_the_internet(site):
    offenders = []
    pages = list(site.html.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in OFFLINE_ATTRIBUTES.items():
            for element in soup.find_all(tag):
                value = element.get(attribute, "")
                if tag == "link" and {"alternate", "canonical"} & set(element.get("rel", [])):
                    continue  # a link for crawlers, not a resource the browser loads
                if value.startswith(("http:", "https:", "//")):
                    offenders.append(f"{path.relative_to(site.html)}: <{tag} {attribute}={value}>")
        for style in soup.find_all("style"):
            if "url(http" in style.get_text() or "@import" in style.get_text():
                offenders.append(f"{path.relative_to(site.html)}: external url in <style>")
    for path in [*site.html.rglob("*.css"), *site.html.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if "url(http" in text.replace(" ", "") or "@import url(http" in text:
            offenders.append(f"{path.relative_to(site.html)}: external url()")
    assert not offenders, "\n".join(offenders)


def test_no_computation_times_page(site):
    assert not list(site.html.rglob("sg_execution_times.html"))


def test_chinese_build_reuses_the_english_gallery_output(site):
    # Both languages show the same figure files and the same printed output.
    for name in EXAMPLE_PAGES:
        en, zh = (site.page(lang, name) for lang in LANGUAGES)
        en_out = [pre.get_text() for pre in en.select("div.sphx-glr-script-out pre")]
        zh_out = [pre.get_text() for pre in zh.select("div.sphx-glr-script-out pre")]
        assert en_out == zh_out
    # Had the Chinese build run the examples again, their figures in docs/
    # would be newer than the English pages that show them.
    for name in EXAMPLE_PAGES:
        english_page = (site.html / "en" / f"{name}.html").stat().st_mtime
        figures = list((ROOT / "docs" / name).parent.glob(f"images/sphx_glr_{Path(name).name}_*.svg"))
        assert figures
        assert all(f.stat().st_mtime <= english_page for f in figures), f"{name} ran again after the English build"


@pytest.mark.parametrize("folder", ["examples_tensor", "examples_autograd", "examples_nn"])
def test_gallery_lists_examples_in_the_order_the_tutorial_teaches_them(site, folder):
    index = site.page("en", f"beginner/{folder}/index")
    listed = [a["href"].split("#")[0] for a in index.select("article div.sphx-glr-thumbcontainer a")]
    taught = [f"{Path(r).stem}.html" for r in INCLUDED_IN_ORDER + MORE_IN_ORDER if r.startswith(folder)]
    assert listed == taught


def test_every_example_is_taught_on_a_tutorial_page():
    assert sorted(INCLUDED_IN_ORDER + MORE_IN_ORDER) == sorted(str(p) for p in EXAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_more_lessons_lists_and_cards_every_new_lesson_in_the_main_navigation(site, language):
    page = site.page(language, MORE_LESSONS)
    pages = [f"beginner/{Path(r).parent}/{Path(r).stem}" for r in MORE_IN_ORDER]
    listed = [a["href"] for a in page.select("article div.toctree-wrapper a")]
    assert listed == [f"{name.removeprefix('beginner/')}.html" for name in pages]
    cards = page.select("article div.pwe-card a")
    assert [a["href"] for a in cards if a.get_text(strip=True)] == listed
    # The site's navigation (every page's sidebar) reaches "More lessons" and each lesson.
    sidebar = site.page(language, "index").select_one(".sidebar-tree")
    hrefs = {a["href"] for a in sidebar.find_all("a")}
    assert "beginner/more_lessons.html" in hrefs
    assert all(f"{name}.html" in hrefs for name in pages), "a lesson is missing from the navigation"
