"""The Chinese site is complete, says the same as the English one, and stays in step with it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, LANGUAGES, ROOT
from test_translation_status import msgfmt_statistics

from pwe_sphinx.i18n.catalogues import all_catalogues, problems_in, program_tokens
from pwe_sphinx.i18n.translation_status import Counts

CJK = re.compile(r"[\u4e00-\u9fff]")
# Spaces beside Chinese characters and full-width punctuation, which the typography
# rules set or drop (tests/test_typography.py).
SPACE_BESIDE_CJK = re.compile(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])\s+|\s+(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])")
PAGES = ["index", "install", "glossary", "translation_status", "beginner/pytorch_with_examples", "beginner/more_lessons",
         *[f"beginner/{folder}/index" for folder in sorted({e.parent for e in EXAMPLES})],
         *[f"beginner/{p.parent}/{p.stem}" for p in EXAMPLES]]


def python_blocks(soup) -> list[str]:
    blocks = [div for div in soup.find("article").find_all("div")
              if any(c.lower() == "highlight-python" for c in div.get("class", []))]
    return [block.get_text() for block in blocks]


def output_blocks(soup) -> list[str]:
    return [pre.get_text() for pre in soup.select("article div.sphx-glr-script-out pre")]


@pytest.mark.unit
@pytest.mark.parametrize("catalogue", all_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_well_formed(catalogue):
    # Untranslated or fuzzy messages, code that is not the original program, broken rst.
    assert problems_in(catalogue) == []


@pytest.mark.unit
@pytest.mark.parametrize("catalogue", all_catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_passes_msgfmt_check(catalogue, tmp_path):
    # GNU gettext's check, which Poedit and Weblate apply too and Babel does
    # not: a translation ends with a newline exactly when its message does,
    # and keeps a message's format directives.
    result = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "out.mo"), str(catalogue)],
                            capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if "header field" not in line]
    assert result.returncode == 0 and not errors, "\n".join(errors)


def test_catalogues_hold_every_message_of_the_english_pages(site, tmp_path):
    """An English paragraph added without its translation fails here, naming it.

    After the site build (``site``): the gettext build reads the gallery pages that build generates,
    and must not write them while it does."""
    from babel.messages.pofile import read_po

    subprocess.run([sys.executable, "-m", "sphinx", "-b", "gettext", "-c", str(ROOT), "-q",
                    "-d", str(tmp_path / "doctrees"), str(ROOT / "docs"), str(tmp_path / "pot")],
                   check=True, capture_output=True, cwd=ROOT)
    missing = []
    for pot in (tmp_path / "pot").rglob("*.pot"):
        relative = pot.relative_to(tmp_path / "pot").with_suffix(".po")
        po = ROOT / "docs/locale/zh_CN/LC_MESSAGES" / relative
        translated = {}
        if po.is_file():
            with po.open(encoding="utf-8") as handle:
                translated = {m.id: m.string for m in read_po(handle) if m.id}
        with pot.open(encoding="utf-8") as handle:
            for message in read_po(handle):
                if message.id and not translated.get(message.id):
                    missing.append(f"{po.relative_to(ROOT)}: no translation for {str(message.id)[:70]!r}")
    assert not missing, "run `nox -s i18n` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", PAGES)
def test_chinese_page_is_in_chinese(site, name):
    soup = site.page("zh_CN", name)
    assert soup.html["lang"] == "zh-CN"
    title = soup.find("h1").get_text()
    assert title != site.page("en", name).find("h1").get_text(), "the title is not translated"
    untranslated = []
    for paragraph in soup.find("article").find_all(["p", "li", "h2", "h3", "th"]):
        for code in paragraph.find_all(["code", "pre", "span"], class_=["pre", "math", "notranslate"]):
            code.decompose()
        text = re.sub(r"\\\(.*?\\\)", "", paragraph.get_text(" ", strip=True))  # inline maths
        english_words = re.findall(r"[A-Za-z]{3,}", text)
        if len(english_words) >= 4 and not CJK.search(text):
            untranslated.append(text[:80])
    assert not untranslated, f"{name}: English left on the Chinese page: {untranslated}"


@pytest.mark.parametrize("name", PAGES)
def test_code_is_the_same_program_in_both_languages(site, name):
    english, chinese = (python_blocks(site.page(lang, name)) for lang in LANGUAGES)
    assert len(english) == len(chinese)
    for en_code, zh_code in zip(english, chinese, strict=True):
        assert program_tokens(zh_code) == program_tokens(en_code)
        en_comments = [line for line in en_code.splitlines() if line.strip().startswith("#")]
        zh_comments = [line for line in zh_code.splitlines() if line.strip().startswith("#")]
        if en_comments:
            assert any(CJK.search(line) for line in zh_comments), f"{name}: comments not in Chinese"


@pytest.mark.parametrize("name", [f"beginner/{p.parent}/{p.stem}" for p in EXAMPLES])
def test_output_is_this_builds_in_both_languages(site, name):
    english, chinese = (site.page(lang, name) for lang in LANGUAGES)
    assert output_blocks(english) and output_blocks(english) == output_blocks(chinese)
    # The running time: the same figures, a Chinese label.
    en_time = english.find("p", class_="sphx-glr-timing").get_text()
    zh_time = chinese.find("p", class_="sphx-glr-timing").get_text()
    assert re.findall(r"[\d.]+", en_time) == re.findall(r"[\d.]+", zh_time)
    assert zh_time.startswith("脚本总运行时间")


@pytest.mark.parametrize("name", ["beginner/examples_nn/dynamic_net", "search", "genindex"])
def test_page_frame_is_translated(site, name):
    soup = site.page("zh_CN", name)
    frame = str(soup)
    for english in ["Back to top", "Skip to content", "Toggle site navigation sidebar", "Toggle navigation of",
                    ">Next<", ">Previous<", "Made with", "Learning PyTorch with Examples"]:
        assert english not in frame, f"{name}: {english!r} is still in English"
    assert "跟着示例学习 PyTorch" in soup.title.get_text()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["index", "search", *PAGES])
def test_every_page_links_its_counterparts(site, language, name):
    soup = site.page(language, name)
    page_dir = (site.html / language / f"{name}.html").parent

    alternates = {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}
    assert set(alternates) == {"en", "zh-CN", "x-default"}
    assert site.file_at(alternates["en"]) == site.html / "en" / f"{name}.html"
    assert site.file_at(alternates["zh-CN"]) == site.html / "zh_CN" / f"{name}.html"
    assert site.file_at(alternates["x-default"]) == site.html / "index.html"  # the language chooser
    canonical = soup.select_one('head link[rel="canonical"]')["href"]
    assert site.file_at(canonical) == site.html / language / f"{name}.html"
    switch = soup.select(".pwe-language-switch a")
    assert len(switch) == 1 and (page_dir / switch[0]["href"]).is_file()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["beginner/pytorch_with_examples", "beginner/more_lessons"])
def test_each_card_says_what_its_example_page_says_first(site, language, name):
    """A card's summary is the first sentence of its page's introduction, in each language, so they cannot drift."""
    page_dir = (site.html / language / name).parent
    cards = site.page(language, name).select("article div.pwe-card")
    assert cards
    for card in cards:
        href = card.find("a")["href"]
        target = (page_dir / href).resolve().relative_to((site.html / language).resolve()).with_suffix("")
        summary = " ".join(card.find_all("p")[-1].get_text(" ").split())  # the source's line breaks as spaces
        first = site.page(language, str(target)).select_one("article section > p")
        for gloss in first.select(".pwe-gloss"):  # the English after a term's first mention (glosses.py)
            gloss.decompose()
        first.smooth()  # the text on either side of a gloss as one string again
        intro = " ".join(first.get_text(" ").split())
        # The space a gloss took away (多项式（polynomial）y) is the card's 多项式 y.
        assert SPACE_BESIDE_CJK.sub("", intro).startswith(SPACE_BESIDE_CJK.sub("", summary)), \
            f"{href}: card {summary!r}, page {intro!r}"
        assert len(summary) < len(intro), f"{href}: the card holds the whole introduction: {summary!r}"
        assert summary.endswith("。" if language == "zh_CN" else "."), f"{href}: not a whole sentence: {summary!r}"


def catalogue_name(po: Path) -> str:
    """A catalogue's path under its LC_MESSAGES folder, as the status page names it."""
    return Path(*po.parts[po.parts.index("LC_MESSAGES") + 1:]).as_posix()


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_status_page_gives_gettexts_own_counts(site, language):
    """Every catalogue has its row, counted as msgfmt counts it; the totals add up; a page's row links to it."""
    page_path = site.html / language / "translation_status.html"
    rows = site.page(language, "translation_status").select("article table.pwe-translation-status tbody tr")
    cells = [[td.get_text(strip=True) for td in row.find_all("td")] for row in rows]
    *catalogue_rows, totals = cells
    counted = {po: msgfmt_statistics(po) for po in all_catalogues()}
    assert {row[1]: Counts(*map(int, row[2:])) for row in catalogue_rows} == \
        {catalogue_name(po): counts for po, counts in counted.items()}
    assert Counts(*map(int, totals[2:])) == sum(counted.values(), Counts())
    for row, (_label, name, *_counts) in zip(rows, catalogue_rows, strict=False):  # rows ends with the totals row, which no catalogue row matches
        docname = name.removesuffix(".po")
        if (ROOT / "docs" / f"{docname}.rst").is_file() and docname != "404":  # 404: reached by no link
            href = row.find("a")["href"]
            target = page_path if href == "#" else (page_path.parent / href.split("#")[0]).resolve()
            assert target == (site.html / language / f"{docname}.html").resolve(), f"{name}: links to {href}"


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]


@pytest.mark.unit
def test_glossary_gives_each_english_term_one_chinese_term():
    """docs/glossary.tsv is the glossary's source: a term in two senses names its sense in each row."""
    rows = read_tsv(ROOT / "docs/glossary.tsv")
    assert all(len(row) == 2 and all(cell.strip() for cell in row) for row in rows)
    chinese_of: dict[str, list[str]] = {}
    for english, chinese in rows:
        chinese_of.setdefault(english.lower(), []).append(chinese)
    assert {english: terms for english, terms in chinese_of.items() if len(terms) > 1} == {}


@pytest.mark.parametrize("language,headings", [("en", ["English", "Chinese"]), ("zh_CN", ["英文", "中文"])])
def test_glossary_page_lists_every_term(site, language, headings):
    table = site.page(language, "glossary").select_one("article table")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == headings
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert rows == read_tsv(ROOT / "docs/glossary.tsv")


def test_no_figure_lost_glyphs_in_the_build(site):
    for page in site.html.rglob("*.html"):
        assert "missing from font" not in page.read_text(encoding="utf-8"), page
    assert "missing from font" not in site.build_log()


def test_the_rst_check_leaves_docutils_roles_as_it_found_them():
    # The build runs this check inside Sphinx, whose own :ref: and :doc: must survive it.
    from docutils.parsers.rst import roles

    from pwe_sphinx.i18n.catalogues import markup_problems

    def sentinel(*args, **kwargs):
        return [], []

    roles.register_local_role("ref", sentinel)
    try:
        assert markup_problems("见 :ref:`install` 一节。") == []
        assert roles._roles["ref"] is sentinel
    finally:
        roles._roles.pop("ref")
    assert "doc" not in roles._roles
    assert markup_problems("见 ``torch``的文档。"), "an inline literal glued to Chinese is reported"
