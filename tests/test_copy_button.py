"""Copy buttons on code blocks, clicked in a real browser (Debian's chromium over HTTP).

sphinx-copybutton adds the buttons with script when the page loads, so only a
browser shows them. Each test reads what a click put on the clipboard and
compares it with the code as the page shows it. The site has no console
session yet (``>>>`` or ``$`` prompts, output between the commands); one test
adds such blocks to a page, as Sphinx would write them, to check that their
prompts and output are left out.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")  # not in the light tier's environment (nox -s unit)
from playwright.sync_api import expect
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

LANGUAGES = ("en", "zh_CN")
# Gallery code cells with printed output between them; literal blocks in an
# example's prose; the main page's programs (the includenodoc directive).
PAGES_WITH_CODE = (
    "beginner/examples_tensor/tensor_basics.html",
    "beginner/examples_autograd/old_code_new_code.html",
    "beginner/pytorch_with_examples.html",
)
# Printed output: sphinx-gallery's, and that of this site's own programs and main-page excerpts.
CODE = "div.highlight pre:not(.sphx-glr-script-out pre, .pwe-script-output pre)"
OUTPUT = ".sphx-glr-script-out pre, .pwe-script-output pre"
BUTTON = "button.copybtn"


@pytest.fixture
def context(browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def open_page(context, url):
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector(BUTTON, state="attached")
    return page


def click_copy(page, code_block) -> str:
    """Hover a code block, click its button as a reader would; what the clipboard then holds."""
    page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
    code_block.hover()
    code_block.locator("xpath=following-sibling::button[1]").click()
    return page.evaluate("navigator.clipboard.readText()")


def lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_WITH_CODE)
def test_each_code_block_has_a_button_and_output_has_none(server, context, language, path):
    page = open_page(context, f"{server}/{language}/{path}")
    code_blocks = page.locator(CODE)
    assert code_blocks.count() > 0
    # Exactly one button, right after each block of code.
    buttons_after_code = page.locator(f"{CODE} + {BUTTON}")
    assert buttons_after_code.count() == code_blocks.count() == page.locator(BUTTON).count()
    assert page.locator(f".sphx-glr-script-out {BUTTON}, .pwe-script-output {BUTTON}").count() == 0
    assert not page.script_errors


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_WITH_CODE)
def test_button_copies_the_code_as_shown_and_no_output(server, context, language, path):
    page = open_page(context, f"{server}/{language}/{path}")
    printed = set().union(*(lines(text) for text in page.locator(OUTPUT).all_inner_texts()))
    for code_block in page.locator(CODE).all():
        copied = click_copy(page, code_block)
        # sphinx-copybutton drops the last newline, so that pasting into a shell does not run the code.
        assert copied == code_block.inner_text().removesuffix("\n")
        assert not lines(copied) & printed, f"printed output copied with the code in {path}"
    if "examples_tensor" in path or "pytorch_with_examples" in path:
        assert printed, "a page with output, so that the check above can fail"
    assert not page.script_errors


def sphinx_code_block(language: str, code: str) -> str:
    """A code block as Sphinx writes it for ``.. code-block:: <language>``."""
    body = highlight(code, get_lexer_by_name(language), HtmlFormatter(nowrap=True))
    return (f'<div class="highlight-{language} notranslate"><div class="highlight">'
            f"<pre><span></span>{body}</pre></div></div>")


CONSOLE_SESSIONS = {
    "pycon": (">>> x = torch.ones(2)\n"
              ">>> for value in x:\n"
              "...     print(value)\n"
              "...\n"
              "tensor(1.)\n"
              "tensor(1.)\n"),
    "console": ("$ python3 -m pip install nox\n"
                "Successfully installed nox\n"
                "$ python3 -m nox -s docs\n"),
}
COMMANDS_ONLY = {
    "pycon": "x = torch.ones(2)\nfor value in x:\n    print(value)",
    "console": "python3 -m pip install nox\npython3 -m nox -s docs",
}


def test_prompts_and_session_output_are_not_copied(server, context):
    path = "beginner/examples_tensor/tensor_basics.html"
    blocks = "".join(sphinx_code_block(language, code) for language, code in CONSOLE_SESSIONS.items())

    def add_console_sessions(route):
        response = route.fetch()
        html = response.text().replace('<div class="highlight-', f'{blocks}<div class="highlight-', 1)
        route.fulfill(response=response, body=html)

    context.route(f"{server}/en/{path}", add_console_sessions)
    page = open_page(context, f"{server}/en/{path}")
    for language, expected in COMMANDS_ONLY.items():
        session = page.locator(f"div.highlight-{language} pre")
        assert session.inner_text().startswith(CONSOLE_SESSIONS[language][:4])  # the prompt shows
        assert click_copy(page, session) == expected


@pytest.mark.parametrize("language,tooltip,name", [("en", "Copy", "Copy to clipboard"),
                                                   ("zh_CN", "复制", "复制到剪贴板")])
def test_button_speaks_the_page_language(server, context, language, tooltip, name):
    page = open_page(context, f"{server}/{language}/{PAGES_WITH_CODE[0]}")
    button = page.locator(BUTTON).first
    expect(button).to_have_attribute("data-tooltip", tooltip)
    expect(button).to_have_accessible_name(name)
    if language != "en":
        # What the page itself shows and speaks, not this test's expectations: the tooltip, and
        # the button's text (the <title> of its icon, where the accessible name comes from).
        shown = button.get_attribute("data-tooltip") + button.text_content()
        assert shown.strip(), "the button has no label"
        assert not re.search("[A-Za-z]", shown), shown


def test_button_shows_when_reached_with_the_keyboard(server, context):
    page = open_page(context, f"{server}/en/{PAGES_WITH_CODE[0]}")
    code_block = page.locator(CODE).first
    code_block.focus()  # the block scrolls, so it takes focus; then its links to PyTorch's docs; then the button
    for _ in range(code_block.locator("a[href]").count() + 1):
        page.keyboard.press("Tab")
    button = page.locator(BUTTON).first
    expect(button).to_be_focused()
    expect(button).to_have_css("opacity", "1")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
