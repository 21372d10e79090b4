"""A site a reader can skim, in both languages.

* The main page: each program is followed by the last lines it printed, the
  same lines that its example page shows in the same language, and by a few
  sentences on what changed.
* The lessons: each derivation sits in a closed "Going deeper" block, with
  no code, output or figure inside, so that skipping them all leaves the
  program whole; the notebooks and scripts a reader downloads fold or keep
  them as well.
* The home page: the cards are links as a whole, and no table of contents
  repeats the sidebar.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from conftest import LANGUAGES, ROOT
from docutils.nodes import make_id

MAIN_PAGE = "beginner/pytorch_with_examples"
OUTPUT_LINES = 3
GOING_DEEPER = {"en": "Going deeper", "zh_CN": "深入一步"}
LAST_PRINTED_LABEL = {"en": "The last lines it printed when this site was built:",
                      "zh_CN": "构建本网站时，它打印的最后几行："}
# The lessons of the main path that derive something, and how many derivations each folds.
DERIVING_LESSONS = {
    "examples_tensor/polynomial_numpy": 1,
    "examples_tensor/polynomial_tensor": 2,
    "examples_autograd/polynomial_autograd": 1,
    "examples_autograd/polynomial_custom_function": 1,
    "examples_nn/polynomial_optim": 1,
    "examples_nn/polynomial_module": 2,
    "examples_nn/dynamic_net": 2,
}
SENTENCE_END = re.compile(r"\.(?:\s|$)|。")


def main_page_programs() -> list[tuple[str, str | None]]:
    """Each includenodoc of the main page's source: the example's page name and its ``:until:`` title."""
    rst = (ROOT / "docs" / f"{MAIN_PAGE}.rst").read_text(encoding="utf-8")
    found = re.findall(r"^\.\. includenodoc:: /beginner/(\S+)\.py\n((?:   :\S+:.*\n)*)", rst, re.MULTILINE)
    programs = []
    for name, options in found:
        until = re.search(r"^   :until: (.+)$", options, re.MULTILINE)
        assert re.search(rf"^   :output-lines: {OUTPUT_LINES}$", options, re.MULTILINE), f"{name}: no output lines"
        programs.append((name, until.group(1) if until else None))
    return programs


def printed_on_example_page(site, language: str, name: str, until: str | None) -> list[str]:
    """The lines the example page shows as printed output, before the section titled ``until`` if given.

    The section is found by the id docutils gives the English title, which a
    translated page keeps; the output is read from the page, not from the
    generated rst that the main page's directive reads.
    """
    html = (site.html / language / "beginner" / f"{name}.html").read_text(encoding="utf-8")
    if until is not None:
        marker = f'id="{make_id(until.replace("``", ""))}"'
        assert marker in html, f"{name}: no section {marker}"
        html = html[:html.index(marker)]
    from bs4 import BeautifulSoup

    blocks = BeautifulSoup(html, "html.parser").select("div.sphx-glr-script-out pre")
    return "\n".join(block.get_text().rstrip("\n") for block in blocks).splitlines()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_program_on_the_main_page_is_followed_by_its_last_printed_lines(site, language):
    page = site.page(language, MAIN_PAGE)
    codes = page.select("article div.pwe-example-code")
    programs = main_page_programs()
    assert len(codes) == len(programs) == 9
    for code, (name, until) in zip(codes, programs, strict=True):
        label = code.find_next_sibling()
        assert label.name == "p" and label.get_text(strip=True) == LAST_PRINTED_LABEL[language], name
        output = label.find_next_sibling()
        assert "pwe-script-output" in output["class"], f"{name}: no output under the program"
        shown = output.find("pre").get_text().rstrip("\n").splitlines()
        expected = printed_on_example_page(site, language, name, until)[-OUTPUT_LINES:]
        assert shown == expected, f"{name}: the main page shows {shown}, its page ends with {expected}"
        assert shown[-1].startswith("Result: y = "), f"{name}: the shown lines end before the result"
        # A loss line: a step's, or the bridge lesson's epoch with its training and validation losses.
        assert re.fullmatch(r"step +\d+  loss [\d.]+|epoch +\d+  training loss [\d.]+  validation loss [\d.]+",
                            shown[0]), f"{name}: {shown[0]!r} is not a loss line"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_program_is_then_told_apart_from_the_one_before(site, language):
    page = site.page(language, MAIN_PAGE)
    for output in page.select("article div.pwe-last-printed"):
        said = output.find_next_sibling()
        assert said.name == "p", "the output is not followed by what changed"
        text = said.get_text(" ", strip=True)
        assert len(SENTENCE_END.findall(text)) >= 2, f"not two sentences: {text!r}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson,count", DERIVING_LESSONS.items())
def test_derivations_are_closed_going_deeper_blocks_with_no_code_output_or_figure(site, language, lesson, count):
    page = site.page(language, f"beginner/{lesson}")
    blocks = page.select("article details.pwe-going-deeper")
    assert len(blocks) == count
    for block in blocks:
        assert not block.has_attr("open"), f"{lesson}: a going-deeper block starts open"
        assert block.find("summary").get_text(strip=True) == GOING_DEEPER[language]
        assert block.find("p") is not None, f"{lesson}: an empty going-deeper block"
        folded = block.select("div.highlight, .sphx-glr-script-out, svg, img")
        assert not folded, f"{lesson}: code, output or figures folded away: {folded[:1]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_downloads_fold_or_keep_the_derivations(site, language):
    """The notebook holds a closed <details> per block; the script keeps the directive, translated in Chinese."""
    for lesson, count in DERIVING_LESSONS.items():
        _gallery, name = lesson.split("/")
        archive = site.html / language / "_downloads"
        zips = [path for path in archive.rglob(f"{name}.zip")]
        assert len(zips) == 1, f"{lesson}: {zips}"
        with zipfile.ZipFile(zips[0]) as bundle:
            notebook = json.loads(bundle.read(f"{name}.ipynb"))
            script = bundle.read(f"{name}.py").decode("utf-8")
        markdown = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
        opened = sum(text.count(f"<details><summary>{GOING_DEEPER[language]}</summary>") for text in markdown)
        assert opened == count and sum(text.count("</details>") for text in markdown) == count, lesson
        assert not any(".. going-deeper::" in text or ".. math::" in text for text in markdown), lesson
        assert script.count("# .. going-deeper::") == count
        if language == "zh_CN":
            first_line = script.split("# .. going-deeper::\n#\n#    ")[1].splitlines()[0]
            assert re.search(r"[\u4e00-\u9fff]", first_line), f"{lesson}: {first_line!r} is not translated"


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_cards_are_whole_links_and_no_toctree_repeats_the_sidebar(site, language):
    page = site.page(language, "index")
    cards = page.select("article div.pwe-cards > div.pwe-card")
    assert len(cards) >= 4
    for card in cards:
        links = card.find_all("a")
        assert len(links) == 1 and links[0].get("href"), f"a card with {len(links)} links"
        assert links[0].get_text(strip=True) and card.find("img", class_="pwe-card-thumb")
    # A hidden toctree leaves an empty wrapper: nothing in it to see or follow.
    toctrees = page.select("article .toctree-wrapper")
    assert not any(toctree.get_text(strip=True) or toctree.find("a") for toctree in toctrees), \
        "the home page repeats the table of contents"
    sidebar = [a["href"] for a in page.select(".sidebar-tree a.reference")]
    for target in ("install.html", f"{MAIN_PAGE}.html", "glossary.html"):
        assert target in sidebar, f"the sidebar lost {target}"


def link_of(card):
    """The card's link, not the one in the hidden English original of 中英对照."""
    return card.locator("a:not(.pwe-original a)")


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_in_chromium_a_home_card_is_as_wide_as_the_column_and_one_link_everywhere(server, browser_page, language):
    page = browser_page
    page.goto(f"{server}/{language}/index.html")
    column = page.locator("article").bounding_box()
    cards = page.locator("article .pwe-cards > .pwe-card")
    assert cards.count() >= 4
    for index in range(cards.count()):
        card = cards.nth(index)
        card.scroll_into_view_if_needed()
        box = card.bounding_box()  # relative to the viewport, as elementFromPoint takes it
        assert abs(box["width"] - column["width"]) <= 1, f"card {index}: {box['width']} px in a {column['width']} px column"
        href = link_of(card).get_attribute("href")
        # Every point of the card, its picture and its sentence included, is the link.
        for fx, fy in [(0.02, 0.05), (0.1, 0.5), (0.5, 0.5), (0.95, 0.9), (0.98, 0.1)]:
            x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
            hit = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y);"
                                " const a = e && e.closest('a'); return a ? a.getAttribute('href') : null; }",
                                [x, y])
            assert hit == href, f"card {index}: ({fx}, {fy}) of the card is not its link"
    # The keyboard reaches each card's link, and the focused card shows it.
    first = link_of(cards.nth(0))
    first.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == first.get_attribute("href")
    outline = cards.nth(0).evaluate("card => getComputedStyle(card).outlineStyle")
    assert outline != "none", "the focused card shows no outline"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == link_of(cards.nth(1)).get_attribute("href")
    # Clicking the picture follows the link.
    target = link_of(cards.nth(1)).evaluate("a => a.href")
    cards.nth(1).locator("img").scroll_into_view_if_needed()  # its box in the viewport, where the mouse clicks
    picture = cards.nth(1).locator("img").bounding_box()
    page.mouse.click(picture["x"] + picture["width"] / 2, picture["y"] + picture["height"] / 2)
    page.wait_for_url(target, timeout=5_000)
