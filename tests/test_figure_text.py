"""Figures are SVG whose words are messages: extracted as drawn, translated in the Chinese pages.

The unit tests draw small figures with matplotlib and build a throwaway
project in this process (an executed script that draws one figure): its
English build, its gettext extraction and its Chinese build. The others read
the built site: every word a Chinese reader sees in a figure is the
catalogue's translation, and the English pages show the figures as the
examples drew them.
"""

from __future__ import annotations

import html
import re
import textwrap
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import EXAMPLES, ROOT, inline_figures
from tiny_sphinx import build, write

from pwe_sphinx.gallery.svg_figures import HASHED_ID, save_svg, save_without_text
from pwe_sphinx.i18n.catalogues import problems_in
from pwe_sphinx.i18n.figure_text import CJK_FONTS, figure_strings, has_words, translate_svg

CJK = re.compile(r"[\u4e00-\u9fff]")
LOCALE = ROOT / "docs" / "locale" / "zh_CN" / "LC_MESSAGES"


SVG_TEXT = {"{http://www.w3.org/2000/svg}text", "text"}
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


def drawn_strings(svg: str) -> list[str]:
    """Every plain string a figure shows (numbers included), in drawing order, as an XML parser reads it.

    A plain string is a ``<text>`` element with no child element; one drawn
    in pieces (mathtext's ``<tspan>`` glyphs) is no string a catalogue could
    hold. The parse is the oracle: the code under test finds and replaces
    strings with a regular expression of its own.
    """
    svg = svg[svg.index("<svg"):]  # a file's XML declaration and doctype, or a page's markup before it
    if "xlink:" in svg and XLINK not in svg:  # markup inlined in a page may rely on HTML's namespaces
        svg = svg.replace("<svg", f"<svg {XLINK}", 1)
    root = ElementTree.fromstring(svg)
    return [element.text or "" for element in root.iter() if element.tag in SVG_TEXT and len(element) == 0]


@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def small_figure(plt, order: int = 3):
    figure, axes = plt.subplots(layout="constrained")
    axes.semilogy(range(1, 2001), label=f"learned, order {order}")
    axes.axhline(10, label="least squares & <friends>")
    axes.set_xlabel("step")
    axes.set_ylabel("loss (log scale)")
    axes.set_title(r"$x^3$ fit")  # mathtext: drawn glyph by glyph, not a message
    axes.annotate("sin(x)", (5, 5))
    axes.legend()
    return figure


@pytest.mark.unit
@pytest.mark.parametrize("text,words", [
    ("step", True), ("loss (log scale)", True), ("predicted 7", True), ("RMSprop, lr 1e-3", True),
    ("cos(t), by hand", True), ("x", False), ("sin(x)", False), ("x − x³/6 − sin(x)", False),
    ("1e-3", False), ("−0.25", False), ("-inf", False), ("P₃", False),
])
def test_only_words_are_messages_not_numbers_or_maths(text, words):
    assert has_words(text) is words


@pytest.mark.unit
def test_a_figure_keeps_its_text_as_text_and_its_strings_as_drawn(plt, tmp_path):
    save_svg(small_figure(plt, order=5), tmp_path / "figure.svg")
    svg = (tmp_path / "figure.svg").read_text(encoding="utf-8")
    assert 'id="DejaVuSans-' not in svg, "text was drawn as glyph outlines"
    assert "<dc:date>" not in svg, "a date makes two builds differ"
    strings = [text for text, _line in figure_strings(svg)]
    # The f-string as it rendered; numbers, "sin(x)" and the mathtext title left out; escaping undone.
    assert sorted(strings) == sorted(["step", "loss (log scale)", "learned, order 5", "least squares & <friends>"])
    lines = svg.splitlines()
    for text, line in figure_strings(svg):
        assert html.escape(text, quote=False) in lines[line - 1]


@pytest.mark.unit
def test_the_same_figure_saves_to_the_same_bytes(plt, tmp_path):
    save_svg(small_figure(plt), tmp_path / "one.svg")
    save_svg(small_figure(plt), tmp_path / "two.svg")
    assert (tmp_path / "one.svg").read_bytes() == (tmp_path / "two.svg").read_bytes()


@pytest.mark.unit
def test_a_translated_copy_changes_only_the_translated_strings(plt, tmp_path):
    save_svg(small_figure(plt), tmp_path / "figure.svg")
    svg = (tmp_path / "figure.svg").read_text(encoding="utf-8")
    assert translate_svg(svg, {}) == svg
    copy = translate_svg(svg, {"step": "步数", "least squares & <friends>": "最小二乘 & <朋友>", "sin(x)": "正弦"})
    english, chinese = drawn_strings(svg), drawn_strings(copy)
    expected = [{"step": "步数", "least squares & <friends>": "最小二乘 & <朋友>"}.get(s, s) for s in english]
    assert chinese == expected  # maths is never replaced, even when a catalogue has it
    assert "loss (log scale)" in chinese  # no translation: stays English
    changed = [line for line in copy.splitlines() if CJK.search(line)]
    assert len(changed) == 2 and all(CJK_FONTS[0] in line and "sans-serif" in line for line in changed)
    assert len(copy.splitlines()) == len(svg.splitlines())


@pytest.mark.unit
def test_the_text_free_thumbnail_leaves_the_figure_whole(plt, tmp_path):
    # An axis makes tick labels as it draws; hiding them one by one lost those made meanwhile.
    figure = small_figure(plt)
    save_svg(figure, tmp_path / "before.svg")
    engine = figure.get_layout_engine()
    layouts = []
    execute = engine.execute
    engine.execute = lambda fig: layouts.append(fig) or execute(fig)
    save_without_text(figure, tmp_path / "thumbnail.png")
    assert layouts == [], "the thumbnail laid the figure out again instead of keeping the SVG's layout"
    assert figure.get_layout_engine() is engine
    save_svg(figure, tmp_path / "after.svg")
    assert layouts == [figure]  # the engine is back at work for the next save
    assert (tmp_path / "thumbnail.png").read_bytes().startswith(b"\x89PNG")
    before, after = ((tmp_path / name).read_text(encoding="utf-8") for name in ("before.svg", "after.svg"))
    assert drawn_strings(after) == drawn_strings(before)  # every tick label and legend entry is back


SCRIPT = '''\
"""
Count up
========

Plot the first squares.
"""

import matplotlib.pyplot as plt

count = 4
plt.plot([n * n for n in range(count)], label=f"first {count} squares")
plt.xlabel("number")
plt.ylabel("its square")
plt.legend()
plt.show()
'''


def sphinx_build(project: Path, builder: str, out: str, **overrides) -> None:
    build(project, builder, project / "_build" / out, **overrides)


@pytest.mark.unit
def test_extraction_and_translated_figures_in_a_tiny_site(tmp_path):
    project = tmp_path / "project"
    write(project / "conf.py", textwrap.dedent('''\
        extensions = ["pwe_sphinx.directives.executed", "pwe_sphinx.html.inline_figures"]
        pwe_executed_scripts = ["count_up.py"]
        pwe_languages = {"en": "English", "zh_CN": "简体中文"}
        pwe_language_tags = {"en": "en", "zh_CN": "zh-CN"}
        sphinx_gallery_conf = {"examples_dirs": [], "gallery_dirs": []}
        locale_dirs = ["locale"]
        gettext_compact = False
        exclude_patterns = ["_build", "_executed", "locale"]
    '''))
    write(project / "count_up.py", SCRIPT)
    write(project / "index.rst", "Squares\n=======\n\n.. executed:: /count_up.py\n")
    sphinx_build(project, "html", "en")
    english = project / "_executed" / "count_up" / "count_up_1.svg"
    drawn = english.read_bytes()

    sphinx_build(project, "gettext", "gettext")
    with (project / "_build" / "gettext" / "index.pot").open(encoding="utf-8") as pot:
        messages = {message.id: message for message in read_po(pot) if message.id}
    for text in ("first 4 squares", "number", "its square"):
        assert text in messages, f"{text!r} is not a message of the page"
        assert messages[text].locations[0][0].endswith("count_up_1.svg")
    assert not [m for m in messages if not has_words(m)], "numbers or maths became messages"

    write(project / "locale" / "zh_CN" / "LC_MESSAGES" / "index.po", textwrap.dedent('''\
        msgid ""
        msgstr ""
        "Content-Type: text/plain; charset=UTF-8\\n"

        msgid "first 4 squares"
        msgstr "前 4 个平方数"

        msgid "number"
        msgstr "数"

        #, fuzzy
        msgid "its square"
        msgstr "它的平方"
    '''))
    sphinx_build(project, "html", "zh", language="zh_CN")
    [figure] = inline_figures((project / "_build" / "zh" / "index.html").read_text(encoding="utf-8"))
    shown = drawn_strings(figure)
    assert "前 4 个平方数" in shown and "数" in shown
    assert "its square" in shown, "a fuzzy translation is not published; the string stays English"
    assert english.read_bytes() == drawn, "the Chinese build changed the English figure"
    [english_figure] = inline_figures((project / "_build" / "en" / "index.html").read_text(encoding="utf-8"))
    assert drawn_strings(english_figure) == drawn_strings(drawn.decode("utf-8"))
    for language in ("en", "zh"):
        assert not list((project / "_build" / language / "_images").glob("*.svg")), "a figure was also copied as a file"


def figure_messages(docname: str) -> dict[str, str]:
    """A page's figure messages (those located in an SVG) and their translations."""
    with (LOCALE / f"{docname}.po").open(encoding="utf-8") as po_file:
        catalogue = read_po(po_file)
    return {m.id: m.string for m in catalogue
            if m.id and any(location.endswith(".svg") for location, _ in m.locations)}


def shown_figures(site, language: str, docname: str) -> dict[str, str]:
    """Figure id (the drawn file's name) to its inline markup, for each figure the page shows."""
    page = (site.html / language / f"{docname}.html").read_text(encoding="utf-8")
    return {re.search(r'\bid="([^"]+)"', markup).group(1): markup for markup in inline_figures(page)}


def drawn_file(docname: str, figure_id: str) -> Path:
    """The SVG an example or an executed script drew, in docs/."""
    drawn = ROOT / "docs" / Path(docname).parent / "images" / f"{figure_id}.svg"
    return drawn if drawn.is_file() else next((ROOT / "docs" / "_executed").rglob(f"{figure_id}.svg"))


FIGURE_PAGES = [f"beginner/{p.parent}/{p.stem}" for p in EXAMPLES]


@pytest.mark.parametrize("docname", FIGURE_PAGES)
def test_every_word_in_a_chinese_figure_is_the_catalogues_translation(site, docname):
    messages = figure_messages(docname)
    untranslated = []
    figures = shown_figures(site, "zh_CN", docname)
    assert figures, f"{docname}: no SVG figure on the Chinese page"
    for name, markup in figures.items():
        english = drawn_strings(drawn_file(docname, name).read_text(encoding="utf-8"))
        chinese = drawn_strings(markup)
        assert len(english) == len(chinese), f"{name}: the Chinese page's figure has other text elements"
        for source, shown in zip(english, chinese, strict=True):
            if not has_words(source):
                assert shown == source, f"{name}: maths or a number changed: {source!r}"
                continue
            assert source in messages, f"{name}: {source!r} is not a message of {docname}.po"
            translation = messages[source]
            assert shown == (translation or source), f"{name}: {source!r} shows {shown!r}"
            if not translation:
                untranslated.append(source)
            elif translation != source:  # a name such as "TorchScript" may stay as it is, by choice
                assert CJK.search(shown), f"{name}: the translation of {source!r} is not Chinese"
    # A string left English is one the catalogue check lists, so the tests fail on it.
    listed = "\n".join(problems_in(LOCALE / f"{docname}.po"))
    assert all(repr(source[:60]) in listed for source in untranslated)


@pytest.mark.parametrize("docname", FIGURE_PAGES)
def test_english_figures_are_the_files_the_examples_drew(site, docname):
    figures = shown_figures(site, "en", docname)
    assert figures.keys() == shown_figures(site, "zh_CN", docname).keys(), "the languages show other figures"
    for name, markup in figures.items():
        drawn = drawn_file(docname, name)
        svg = drawn.read_text(encoding="utf-8")
        assert drawn_strings(markup) == drawn_strings(svg), f"{name}: the English page shows other words"
        assert "<text" in svg and 'id="DejaVuSans-' not in svg, f"{drawn}: text drawn as outlines"
        assert not CJK.search(svg), f"{drawn}: a Chinese word in the English figure"


@pytest.mark.unit
def test_examples_whose_figures_an_older_build_saved_run_again(tmp_path):
    # sphinx-gallery reruns an example only when its checksum file is gone.
    from pwe_sphinx.gallery.svg_figures import drawn_in_an_older_format

    figures = {"png_only": {".png": ""}, "hashed_ids": {".png": "", ".svg": '<clipPath id="p0f0b0c5fda">'},
               "current": {".png": "", ".svg": '<clipPath id="p1">'}, "plotless": {}}
    for stem, files in figures.items():
        write(tmp_path / f"{stem}.py.md5", "0" * 32)
        for suffix, text in files.items():
            write(tmp_path / "images" / f"sphx_glr_{stem}_001{suffix}", text)
    assert drawn_in_an_older_format(tmp_path) == [tmp_path / "hashed_ids.py.md5", tmp_path / "png_only.py.md5"]


@pytest.mark.unit
def test_ids_do_not_depend_on_the_last_bits_of_a_coordinate(plt, tmp_path):
    """matplotlib hashes a clip box's coordinates at full precision: two layouts that print the same
    numbers must still give the same file."""
    drawn = []
    for nudge in (0.0, 1e-13):
        figure = small_figure(plt)
        for axes in figure.axes:
            axes.set_position([0.1 + nudge, 0.1, 0.8, 0.8])
        save_svg(figure, tmp_path / f"{nudge}.svg")
        drawn.append((tmp_path / f"{nudge}.svg").read_text(encoding="utf-8"))
    assert drawn[0] == drawn[1]
    assert re.findall(r'<clipPath id="([^"]+)"', drawn[0]) == ["p1"]
    assert 'xlink:href="#m1"' in drawn[0] and not HASHED_ID.search(drawn[0])
