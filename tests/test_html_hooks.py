"""The markup this site mends, mended where it is made: tiny in-process builds with furo.

Each page must come out valid and accessible whichever process writes it, so
every check runs on a serial build and on a ``-j 2`` one (Sphinx writes
pages in worker processes there), and on the Chinese frame too.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tiny_sphinx import build_html, write

from pwe_sphinx.html.theme_frame import FIXED_LABELS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
PAGE = """\
Page {n}
=======

A table:

===== =====
a     b
===== =====
1     2
===== =====

.. code-block:: python

   print({n})

.. math::

   x^{n}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Eight pages (enough for Sphinx to write in chunks with -j 2) under a captioned toctree."""
    project = tmp_path_factory.mktemp("hooks")
    write(project / "conf.py", textwrap.dedent(f'''\
        extensions = ["pwe_sphinx.html.markup", "pwe_sphinx.html.theme_frame", "pwe_sphinx.html.mathml"]
        html_theme = "furo"
        templates_path = ["{ROOT / "docs" / "_templates"}"]
        locale_dirs = []
    '''))
    pages = [f"page{n}" for n in range(8)]
    write(project / "index.rst", "Home\n====\n\n.. toctree::\n   :caption: Lessons\n\n" +
          "".join(f"   {page}\n" for page in pages))
    for n, page in enumerate(pages):
        write(project / f"{page}.rst", PAGE.format(n=n))
    # A page below page0, so that the navigation has a branch to expand and collapse.
    write(project / "page0.rst", PAGE.format(n=0) + "\n.. toctree::\n\n   below\n")
    write(project / "below.rst", "Below\n=====\n\nText.\n")
    return project


@pytest.fixture(scope="module", params=[("en", 1), ("en", 2), ("zh_CN", 2)], ids=["en-j1", "en-j2", "zh_CN-j2"])
def built(request, project) -> tuple[str, dict[str, BeautifulSoup]]:
    language, jobs = request.param
    outdir = project / "_build" / f"{language}-j{jobs}"
    shutil.rmtree(outdir, ignore_errors=True)
    warnings = build_html(project, outdir, parallel=jobs, language=language)
    assert warnings == ""
    pages = {path.stem: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
             for path in outdir.glob("*.html") if path.stem.startswith(("page", "index"))}
    assert len(pages) == 9
    return language, pages


def test_toctree_captions_are_level_two_headings(built):
    _language, pages = built
    for name, page in pages.items():
        captions = page.select('p.caption[role="heading"]')
        assert captions, f"{name}: the sidebar's caption is missing"
        assert all(caption.get("aria-level") == "2" for caption in captions), name


def test_scrolling_code_tables_and_formulas_are_reachable_with_the_keyboard(built):
    _language, pages = built
    for name, page in pages.items():
        if not name.startswith("page"):
            continue
        code = page.select("div.highlight > pre")
        wrappers = page.select("div.table-wrapper, div.math-wrapper")
        assert code and len(wrappers) == 2, name
        assert all(element.get("tabindex") == "0" for element in [*code, *wrappers]), name


def test_the_drawers_are_named_and_the_navigation_has_no_switch_role(built):
    language, pages = built
    names = {"en": ("Site navigation", "Contents of this page"), "zh_CN": ("站点导航", "本页目录")}[language]
    for name, page in pages.items():
        assert page.select_one("aside.sidebar-drawer")["aria-label"] == names[0], name
        assert page.select_one("aside.toc-drawer")["aria-label"] == names[1], name
        toggles = page.select("input.toctree-checkbox")
        assert toggles, f"{name}: the navigation has no branch to expand"
        assert not [toggle for toggle in toggles if toggle.get("role") == "switch"], name


@pytest.mark.parametrize("built", [("zh_CN", 2)], ids=["zh_CN-j2"], indirect=True)
def test_the_chinese_frame_has_no_english_accessible_name(built):
    language, pages = built
    assert language == "zh_CN"
    for name, page in pages.items():
        spoken = [element["aria-label"] for element in page.select("[aria-label]")]
        spoken += [title.get_text() for title in page.select("svg title, symbol title")]
        english = [text for text in spoken if text in FIXED_LABELS or text.startswith("Toggle navigation of")]
        assert not english, f"{name}: {english}"
        assert any(re.search(r"[\u4e00-\u9fff]", text) for text in spoken), name


def test_the_footer_credits_furos_author_in_the_pages_language(built):
    """furo joins its author and its name with an English "'s" that no template string holds."""
    language, pages = built
    credit = {"en": "@pradyunsg's Furo", "zh_CN": "@pradyunsg 的 Furo"}[language]
    for name, page in pages.items():
        footer = " ".join(page.select_one(".bottom-of-page .left-details").get_text().split())
        assert credit in footer, f"{name}: {footer}"


@pytest.fixture(scope="module")
def not_found_site(tmp_path_factory) -> Path:
    """A site published under /repo/, with a 404 page that links to pages in folders."""
    project = tmp_path_factory.mktemp("not_found")
    write(project / "conf.py", textwrap.dedent(f'''\
        extensions = ["pwe_sphinx.html.theme_frame", "pwe_sphinx.html.not_found"]
        html_theme = "furo"
        templates_path = ["{ROOT / "docs" / "_templates"}"]
        html_sidebars = {{"**": ["sidebar/brand.html", "sidebar/language-switch.html", "sidebar/search.html",
                                 "sidebar/navigation.html"]}}
        pwe_site_url = "https://example.org/repo/"
        pwe_languages = {{"en": "English", "zh_CN": "简体中文"}}
        pwe_language_tags = {{"en": "en", "zh_CN": "zh-CN"}}
    '''))
    write(project / "index.rst", "Home\n====\n\n.. toctree::\n\n   guide/lesson\n")
    write(project / "guide" / "lesson.rst", "Lesson\n======\n\nBack :doc:`home <../index>`.\n")
    write(project / "404.rst", ":orphan:\n\nNot found\n=========\n\n* :doc:`index`\n* :doc:`guide/lesson`\n"
          "* :ref:`search`\n")
    assert build_html(project) == ""
    return project / "_build" / "html"


def urls_of(page: BeautifulSoup) -> list[str]:
    return [element[attribute] for attribute in ("href", "src", "action", "data-content_root")
            for element in page.select(f"[{attribute}]")]


def test_the_not_found_page_links_from_the_host_root_into_its_language(not_found_site):
    page = BeautifulSoup((not_found_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    urls = urls_of(page)
    assert len(urls) > 20
    relative = [url for url in urls if not url.startswith(("/repo/", "#", "https://"))]
    assert relative == []
    body_links = {a["href"] for a in page.select("article a.reference")}
    assert body_links == {"/repo/en/index.html", "/repo/en/guide/lesson.html", "/repo/en/search.html"}
    assert page.select_one("html")["data-content_root"] == "/repo/en/"
    switch = {a["href"] for a in page.select(".pwe-language-switch a")}
    assert switch == {"/repo/zh_CN/404.html"}  # the current language is not a link
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_other_pages_keep_relative_links(not_found_site):
    page = BeautifulSoup((not_found_site / "guide" / "lesson.html").read_text(encoding="utf-8"), "html.parser")
    assert not [url for url in urls_of(page) if url.startswith("/")]
    assert page.select_one('meta[name="robots"]') is None
