"""中英对照 on the built Chinese site, in Chromium: off until the reader turns it
on, then each English original shows beneath its translation, on this page
and the next, after a reload, from disk too; never in print, never in search.

The English sentences looked for are read from the English site's page: the
oracle is what the English reader is shown, not the Chinese page's markup.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("axe_playwright_python")  # not in the light tier's environment (nox -s unit)
from axe_playwright_python.sync_playwright import Axe

MAIN = "beginner/pytorch_with_examples.html"
EXAMPLE = "beginner/examples_nn/polynomial_nn.html"
SOLUTION_PAGE = "beginner/examples_autograd/polynomial_autograd.html"

VISIBLE_ORIGINALS = """() => [...document.querySelectorAll('.pwe-original')]
    .filter(e => e.getClientRects().length > 0).length"""


def first_english_paragraph(site, page: str) -> str:
    """The text of the first paragraph of prose on the English page."""
    article = site.page("en", page.removesuffix(".html")).select_one("article")
    paragraph = next(p for p in article.select("section > p") if len(p.get_text()) > 80)
    return " ".join(paragraph.get_text().split())


def english_heading(site, page: str) -> str:
    return site.page("en", page.removesuffix(".html")).select_one("article h2").get_text().rstrip("¶").strip()


# Not the page's prose: navigation made from the titles, and sphinx-gallery's frame (download links).
NOT_PROSE = {"contents", "toctree-wrapper", "admonition-title", "sphx-glr-download-link-note",
             "sphx-glr-footer", "sphx-glr-signature", "sphx-glr-timing",
             # labels of pwe_sphinx's catalogue: an exercise's starter download, a program's last lines
             "pwe-starter", "pwe-last-printed-label"}
PROSE = ", ".join(f"article {tag}" for tag in ("h1", "h2", "h3", "h4", "p"))


def prose(page: BeautifulSoup) -> list:
    return [element for element in page.select(PROSE)
            if not any(NOT_PROSE.intersection(node.get("class") or []) for node in [element, *element.parents])]


def own_text(element) -> str:
    """The element's visible text: without the originals inside it and the heading's ¶ link."""
    element = BeautifulSoup(str(element), "html.parser")
    for hidden in element.select(".pwe-original, a.headerlink"):
        hidden.decompose()
    return " ".join(element.get_text().split())


def originals_of(element) -> list:
    return [original for original in element.select(".pwe-original")
            if original.find_parent(["p", "h1", "h2", "h3", "h4"]) is element]


def test_every_translated_paragraph_and_heading_of_every_lesson_carries_the_english_pages_text(site):
    """Each heading and paragraph of a lesson page (examples, exercises and their solutions, cards),
    paired with the same one on the English page: where they differ, the English is its original."""
    pages = [*sorted((site.html / "zh_CN").glob("beginner/**/*.html")), site.html / "zh_CN" / "install.html"]
    carried, problems = 0, []
    for path in pages:
        name = str(path.relative_to(site.html / "zh_CN"))
        english = prose(site.page("en", name.removesuffix(".html")))
        chinese = prose(site.page("zh_CN", name.removesuffix(".html"), originals=True))
        assert len(english) == len(chinese), f"{name}: the languages have other paragraphs"
        for source, element in zip(english, chinese, strict=True):
            originals = originals_of(element)
            if own_text(source) == own_text(element):
                if originals:
                    problems.append(f"{name}: {own_text(source)[:60]!r} reads the same and has an original")
            elif [" ".join(o.get_text().split()) for o in originals] != [own_text(source)]:
                problems.append(f"{name}: {own_text(element)[:40]!r} has {len(originals)} originals, not "
                                f"{own_text(source)[:60]!r}")
            else:
                assert originals[0].get("lang") == "en" and originals[0].has_attr("hidden")
                carried += 1
    assert not problems, "\n".join(problems)
    assert carried > 400


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.script_errors = []
    yield context
    context.close()


def open_page(context, url: str):
    page = context.new_page()
    page.on("pageerror", lambda error: context.script_errors.append(str(error)))
    page.goto(url)
    return page


def switch(page):
    return page.locator(".sidebar-drawer button.pwe-bilingual-switch")


def shown(page, english: str) -> bool:
    """Whether ``english`` is shown as an original, on a line of its own beneath its translation."""
    original = page.locator(".pwe-original", has_text=english[:60]).first
    if not original.is_visible():
        return False
    box, holder = original.bounding_box(), original.locator("xpath=..").bounding_box()
    return box["y"] > holder["y"] + 5 and original.evaluate("e => getComputedStyle(e).display") == "block"


def test_off_by_default_then_on_across_pages_and_reloads(site, server, context):
    page = open_page(context, f"{server}/zh_CN/{MAIN}")
    button = switch(page)
    assert button.inner_text() == "中英对照" and button.get_attribute("aria-pressed") == "false"
    assert page.locator(".pwe-original").count() > 20
    assert page.evaluate(VISIBLE_ORIGINALS) == 0
    assert page.get_by_text(first_english_paragraph(site, MAIN)[:60]).count() == 1  # there, hidden
    assert not shown(page, first_english_paragraph(site, MAIN))

    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert shown(page, first_english_paragraph(site, MAIN))
    assert shown(page, english_heading(site, MAIN))
    assert page.evaluate(VISIBLE_ORIGINALS) == page.locator(".pwe-original").count()
    code = page.locator("div.highlight pre").first.inner_text()
    assert not re.search(r"[\u4e00-\u9fff]{2}", code) or "#" in code  # code is code, with no original in it

    # Another page, reached by a link: still on. A reload: still on.
    page.locator("article a.reference.internal[href$='polynomial_nn.html']").first.click()
    page.wait_for_url(re.compile(re.escape(EXAMPLE) + "$"))
    assert switch(page).get_attribute("aria-pressed") == "true"
    assert shown(page, first_english_paragraph(site, EXAMPLE))
    page.reload()
    assert shown(page, first_english_paragraph(site, EXAMPLE))

    # Off again, with the keyboard, and it stays off on the next page.
    switch(page).focus()
    page.keyboard.press("Enter")
    assert switch(page).get_attribute("aria-pressed") == "false"
    assert page.evaluate(VISIBLE_ORIGINALS) == 0
    page.goto(f"{server}/zh_CN/{MAIN}")
    assert page.evaluate(VISIBLE_ORIGINALS) == 0
    switch(page).focus()
    page.keyboard.press("Space")
    assert switch(page).get_attribute("aria-pressed") == "true"
    assert not context.script_errors


def test_the_choice_applies_before_the_page_is_drawn(server, context):
    page = open_page(context, f"{server}/zh_CN/{MAIN}")
    switch(page).click()
    # When the article's first words are parsed, before any script at the end of the body, the
    # mode is already on: the page is never drawn without the originals, then with them.
    context.add_init_script("""new MutationObserver((records, observer) => {
        if (!document.querySelector('article p')) return;
        window.seenWithTheArticle = document.documentElement.classList.contains('pwe-bilingual');
        observer.disconnect();
    }).observe(document, {childList: true, subtree: true});""")
    page = open_page(context, f"{server}/zh_CN/{EXAMPLE}")
    assert page.evaluate("window.seenWithTheArticle") is True
    head_script = page.evaluate("""() => [...document.head.querySelectorAll('script')]
        .some(s => s.textContent.includes('pwe-bilingual'))""")
    assert head_script


def test_print_hides_the_originals(site, server, context):
    page = open_page(context, f"{server}/zh_CN/{MAIN}")
    switch(page).click()
    assert shown(page, first_english_paragraph(site, MAIN))
    page.emulate_media(media="print")
    assert page.evaluate(VISIBLE_ORIGINALS) == 0
    page.emulate_media(media="screen")
    assert shown(page, first_english_paragraph(site, MAIN))


def test_from_disk(site, context):
    page = open_page(context, (site.html / "zh_CN" / MAIN).as_uri())
    assert page.evaluate(VISIBLE_ORIGINALS) == 0
    switch(page).click()
    assert shown(page, first_english_paragraph(site, MAIN))
    page.goto((site.html / "zh_CN" / SOLUTION_PAGE).as_uri())
    assert shown(page, first_english_paragraph(site, SOLUTION_PAGE))
    # An exercise's task, inside the lesson's exercises section, has its original too.
    task = site.page("en", SOLUTION_PAGE.removesuffix(".html")).select_one("section#exercises section p")
    assert shown(page, own_text(task))
    assert not context.script_errors


def test_reachable_on_a_phone(site, browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/zh_CN/{EXAMPLE}")
    box = switch(page).bounding_box()
    assert box["x"] + box["width"] <= 0, "the switch is not in the closed navigation drawer"
    page.locator(".mobile-header label[for='__navigation']").click()  # furo's menu button
    switch(page).click()
    page.locator("#__navigation").evaluate("box => box.click()")  # the drawer closes again
    assert shown(page, first_english_paragraph(site, EXAMPLE))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the originals make the page scroll sideways"
    context.close()


def test_english_pages_have_no_switch(server, context):
    page = open_page(context, f"{server}/en/{MAIN}")
    assert page.locator(".pwe-bilingual-switch, .pwe-original").count() == 0


def test_search_results_quote_the_translation_only(site, server, context):
    page = open_page(context, f"{server}/zh_CN/{MAIN}")
    switch(page).click()
    page.goto(f"{server}/zh_CN/search.html?q=张量")
    results = page.locator("#search-results li")
    results.first.wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('#search-results li p.context')].length > 2")
    quoted = " ".join(page.locator("#search-results li p.context").all_inner_texts())
    english = [first_english_paragraph(site, name)[:40] for name in (MAIN, EXAMPLE)]
    assert quoted and not [sentence for sentence in english if sentence in quoted]
    # The quotes are the pages' Chinese: no run of English words as long as a sentence of prose.
    assert not re.search(r"(?:[A-Za-z]{3,}[ ,]+){8}", quoted), quoted[:500]


@pytest.mark.parametrize("path", [MAIN, EXAMPLE])
def test_no_accessibility_violations_with_the_originals_shown(server, context, path):
    page = open_page(context, f"{server}/zh_CN/{path}")
    switch(page).click()
    assert page.evaluate(VISIBLE_ORIGINALS) > 0
    results = Axe().run(page)
    violations = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                  for v in results.response["violations"]]
    assert not violations, "\n".join(violations)
