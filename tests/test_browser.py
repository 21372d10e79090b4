"""The site in a real browser: Debian's chromium, driven by Playwright.

The site is served over HTTP on 127.0.0.1 (and opened from disk where that is
the point). Never `playwright install`: the browser is /usr/bin/chromium.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytest.importorskip("playwright")  # not in the light tier's environment (nox -s unit)
from conftest import LANGUAGES
from playwright.sync_api import expect

EXAMPLE = "beginner/examples_autograd/polynomial_custom_function.html"


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    yield page
    context.close()


def switch_language(page, target_name: str) -> None:
    page.locator(".sidebar-drawer .pwe-language-switch a", has_text=target_name).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("start,target,target_name", [("en", "zh_CN", "简体中文"), ("zh_CN", "en", "English")])
def test_language_switch_over_http_lands_on_the_same_example(server, page, start, target, target_name):
    page.goto(f"{server}/{start}/{EXAMPLE}")
    switch_language(page, target_name)
    assert page.url == f"{server}/{target}/{EXAMPLE}"
    assert page.locator("html").get_attribute("lang") == {"en": "en", "zh_CN": "zh-CN"}[target]
    # The page reached shows the same example: the same printed result.
    assert "Result: y = " in "".join(page.locator(".sphx-glr-script-out").all_inner_texts())
    assert not page.script_errors


def test_language_switch_from_disk(site, page):
    page.goto((site.html / "zh_CN" / EXAMPLE).as_uri())
    switch_language(page, "English")
    assert page.url == (site.html / "en" / EXAMPLE).as_uri()
    assert page.title().startswith("PyTorch: Defining new autograd functions")


@pytest.mark.parametrize("locale,expected", [("zh-CN", "zh_CN"), ("zh-TW", "zh_CN"), ("en-US", "en"), ("fr-FR", "en")])
def test_root_page_sends_the_reader_to_their_language(server, browser, locale, expected):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(f"{server}/index.html")
    page.wait_for_url(f"{server}/{expected}/index.html")
    context.close()


def search_results(server, page, language: str, query: str) -> list[str]:
    page.goto(f"{server}/{language}/search.html?q={quote(query)}")
    page.wait_for_selector("#search-results .search-summary", timeout=15_000)
    return page.locator("#search-results ul.search li a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize("query,expected_page", [
    ("张量", "beginner/examples_tensor/polynomial_tensor.html"),
    ("自动求导", "beginner/examples_autograd/polynomial_autograd.html"),
    ("勒让德", "beginner/examples_autograd/polynomial_custom_function.html"),
])
def test_chinese_search_finds_the_pages_about_it(server, page, query, expected_page):
    found = search_results(server, page, "zh_CN", query)
    assert any(url.split("?")[0].endswith(expected_page) for url in found), f"{query}: {found}"
    assert not page.script_errors, page.script_errors


def test_english_search_still_works(server, page):
    found = search_results(server, page, "en", "Legendre")
    assert any("polynomial_custom_function.html" in url for url in found), found
    assert not page.script_errors, page.script_errors


def test_root_page_stays_when_the_reader_asks_to_choose(server, browser):
    """With ?choose, the root page's script sends a Chinese reader nowhere: no navigation is ever requested.

    The script decides in <head>, before the links are parsed. Rather than
    sleep and look, the test records every navigation request of the context
    and waits until the network has been idle (no request for 500 ms, which a
    redirect would interrupt); the only one must be the page itself.
    """
    context = browser.new_context(locale="zh-CN")
    navigations = []
    context.on("request", lambda request: request.is_navigation_request() and navigations.append(request.url))
    page = context.new_page()
    page.goto(f"{server}/index.html?choose", wait_until="networkidle")
    expect(page.get_by_role("link", name="简体中文")).to_be_visible()
    assert navigations == [f"{server}/index.html?choose"]
    assert page.url == f"{server}/index.html?choose"
    context.close()


# The y label of a figure on polynomial_module's page (in English, the code that draws it has it too).
FIGURE_WORDS = {"en": "loss (log scale)", "zh_CN": "损失（对数刻度）"}
FIND_IN_FIGURE = """words => {
    for (let tries = 0; tries < 10 && window.find(words, true); tries++) {
        const figure = window.getSelection().anchorNode.parentElement.closest('svg.pwe-figure');
        if (figure) return [window.getSelection().toString(), figure.id];
    }
    return null;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_find_in_page_reaches_the_words_of_a_figure(server, page, language):
    """Chromium's find (window.find, as Ctrl+F) selects a label inside a figure, which an <img> would hide."""
    page.goto(f"{server}/{language}/beginner/examples_nn/polynomial_module.html")
    words = FIGURE_WORDS[language]
    assert page.evaluate(FIND_IN_FIGURE, words) == [words, "sphx_glr_polynomial_module_001"]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_figure_keeps_its_proportions_at_any_width(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/zh_CN/beginner/examples_nn/polynomial_module.html")
    figure = page.locator("svg.pwe-figure").first
    box = figure.bounding_box()
    _x, _y, view_width, view_height = map(float, figure.get_attribute("viewBox").split())
    assert box["width"] <= width
    assert abs(box["width"] / box["height"] - view_width / view_height) < 0.01
    context.close()
