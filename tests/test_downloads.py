"""Each language's downloads are the lesson in that language, and the same program.

The English site offers the scripts as they are in examples_*/; the Chinese
site offers them with the docstring, the text blocks and the code comments
in Chinese (pwe_sphinx.i18n.downloads). Both are checked as a reader
gets them: through the links on the built pages, and inside the zips.
"""

from __future__ import annotations

import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, LANGUAGES, ROOT
from test_site import code_tokens
from tiny_sphinx import build, write

from pwe_sphinx.i18n.downloads import Translator, display_width, translate_script

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_PHRASE = re.compile(r"\b[A-Za-z]{2,}(?: [a-z]{2,}){3,}")
GALLERIES = sorted({example.parent.name for example in EXAMPLES})


def prose_of(source: str) -> str:
    """The docstring and the comment lines of a script: what a reader reads rather than runs."""
    docstring = source.split('"""')[1]
    comments = [line for line in source.splitlines() if line.lstrip().startswith("#")]
    return docstring + "\n".join(comments)


def downloads_of(site, language: str, relative: str) -> dict[str, Path]:
    """The files behind the page's download links, by suffix."""
    name = f"beginner/{Path(relative).parent}/{Path(relative).stem}"
    page_dir = (site.html / language / name).parent
    links = site.page(language, name).select("div.sphx-glr-download a")
    return {Path(a["href"]).suffix: page_dir / a["href"] for a in links}


def notebook_parts(text: str) -> tuple[str, str]:
    """A notebook's markdown and its code, each as one string."""
    cells = json.loads(text)["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code" and
                     not "".join(c["source"]).startswith("%"))
    return markdown, code


@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_english_downloads_are_the_scripts_themselves(site, relative):
    downloads = downloads_of(site, "en", relative)
    assert downloads[".py"].read_bytes() == (ROOT / relative).read_bytes()


@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_chinese_downloads_are_the_same_programs_in_chinese(site, relative):
    english = (ROOT / relative).read_text(encoding="utf-8")
    downloads = downloads_of(site, "zh_CN", relative)
    script = downloads[".py"].read_text(encoding="utf-8")
    assert code_tokens(script) == code_tokens(english), "the Chinese script is not the same program"
    # English sentences (runs of four words or more) are gone from the prose, Chinese is there.
    left_in_english = ENGLISH_PHRASE.findall(prose_of(script))
    assert len(left_in_english) <= 0.1 * len(ENGLISH_PHRASE.findall(prose_of(english))), left_in_english
    assert CJK.search(prose_of(script))
    # The page's own title, in Chinese, heads the script.
    title = site.page("zh_CN", f"beginner/{Path(relative).parent}/{Path(relative).stem}").find("h1")
    assert title.get_text().replace("¶", "").strip() in script.split('"""')[1]

    markdown, code = notebook_parts(downloads[".ipynb"].read_text(encoding="utf-8"))
    assert CJK.search(markdown), "the notebook's text cells are not in Chinese"
    assert code_tokens(code) == code_tokens(english), "the notebook is not the same program"

    with zipfile.ZipFile(downloads[".zip"]) as archive:
        assert archive.read(Path(relative).name) == downloads[".py"].read_bytes()
        assert archive.read(f"{Path(relative).stem}.ipynb") == downloads[".ipynb"].read_bytes()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("gallery", GALLERIES)
def test_gallery_zips_hold_that_languages_files(site, language, gallery):
    index = site.page(language, f"beginner/{gallery}/index")
    index_dir = site.html / language / "beginner" / gallery
    zips = [index_dir / a["href"] for a in index.select("div.sphx-glr-download a") if a["href"].endswith(".zip")]
    assert len(zips) == 2, "expected a zip of scripts and a zip of notebooks"
    examples = [p for p in EXAMPLES if p.parent.name == gallery]
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names = sorted(archive.namelist())
            suffix = Path(names[0]).suffix
            assert names == sorted(f"{p.stem}{suffix}" for p in examples)
            for example in examples:
                expected = downloads_of(site, language, str(example))[suffix].read_bytes()
                assert archive.read(f"{example.stem}{suffix}") == expected, f"{path.name}: {example.name}"


class SameText(Translator):
    """A catalogue in which every message translates to itself."""

    def lookup(self, english: str) -> str:
        return english


@pytest.mark.unit
@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_a_script_translated_into_english_is_the_script_itself(relative):
    """Cutting a script into blocks and putting it back together loses nothing (no translation branch runs)."""
    source = (ROOT / relative).read_text(encoding="utf-8")
    assert translate_script(source, SameText({})) == source


SQUARES = '''\
"""
Squares of numbers
==================

This lesson prints the squares of a few numbers.

- a list item of the lesson
"""

# The numbers to square, kept small on purpose.
numbers = [1, 2, 3]

# %%
# Each square is the number times itself.
#
# A second paragraph that has no translation yet.
#
# The program prints this::
#
#     squares, one per line
#
# .. list-table::
#
#    * - number
#      - its square
#
# .. going-deeper::
#
#    A folded note about squares.

for number in numbers:
    print(number * number)  # one line per number
'''

# What a translator writes into the real catalogue, by the English of each message; any other
# message of the .pot stays untranslated, and a fuzzy one is not published.
CHINESE = {
    "Squares of numbers": "数的平方",
    "This lesson prints the squares of a few numbers.": "本课打印几个数的平方。",
    "a list item of the lesson": "本课的一个列表项",
    "Each square is the number times itself.": "每个平方都是这个数乘以它自己。",
    "The program prints this::": "程序打印出如下内容::",
    "squares, one per line": "平方数，每行一个",
    "its square": "它的平方",
    "A folded note about squares.": "关于平方的一条折叠说明。",
    "# The numbers to square, kept small on purpose.\nnumbers = [1, 2, 3]":
        "# 要求平方的数，特意取得很小。\nnumbers = [1, 2, 3]",
    "for number in numbers:\n    print(number * number)  # one line per number":
        "for number in numbers:\n    print(number * number)  # 每个数一行",
}
FUZZY = {"A second paragraph that has no translation yet.": "第二段"}


def gallery_project(root: Path) -> Path:
    """A one-example gallery, set up as the site's conf.py sets its galleries up for translation."""
    project = root / "project"
    write(project / "conf.py", textwrap.dedent('''\
        extensions = ["sphinx_gallery.gen_gallery", "pwe_sphinx.i18n.language_switch", "pwe_sphinx.i18n.downloads",
                      "pwe_sphinx.directives.going_deeper"]
        sphinx_gallery_conf = {"examples_dirs": ["examples"], "gallery_dirs": ["gallery"]}
        pwe_languages = {"en": "English", "zh_CN": "简体中文"}
        pwe_language_tags = {"en": "en", "zh_CN": "zh-CN"}
        locale_dirs = ["locale"]
        gettext_compact = False
        gettext_additional_targets = ["literal-block"]
        exclude_patterns = ["_build", "locale"]
    '''))
    write(project / "index.rst", "Home\n====\n\n.. toctree::\n\n   gallery/index\n")
    write(project / "examples" / "README.txt", "Lessons\n=======\n")
    write(project / "examples" / "squares.py", SQUARES)
    return project


def translate_the_pot(pot: Path, po: Path) -> set[str]:
    """Fill the .pot Sphinx extracted with CHINESE (FUZZY flagged fuzzy), as a translator's .po; its messages."""
    from babel.messages.pofile import read_po, write_po

    with pot.open(encoding="utf-8") as extracted:
        catalogue = read_po(extracted, locale="zh_CN")
    for message in catalogue:
        if message.id in CHINESE:
            message.string = CHINESE[message.id]
        elif message.id in FUZZY:
            message.string = FUZZY[message.id]
            message.flags.add("fuzzy")
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as translated:
        write_po(translated, catalogue)
    return {message.id for message in catalogue if message.id}


@pytest.mark.unit
def test_a_chinese_download_shows_what_a_real_catalogue_translates(tmp_path):
    """The oracle is Sphinx's own extraction: a tiny gallery built with ``-b gettext`` gives a real .pot,
    filled here with translations; the Chinese build's downloads must carry them where the catalogue has
    them, English where it has none (or only a fuzzy one), and the program unchanged."""
    project = gallery_project(tmp_path)
    build(project, "gettext")
    messages = translate_the_pot(project / "_build" / "gettext" / "gallery" / "squares.pot",
                                 project / "locale" / "zh_CN" / "LC_MESSAGES" / "gallery" / "squares.po")
    assert set(CHINESE) | set(FUZZY) <= messages, "the .pot does not hold the messages this test translates"
    build(project, "html", project / "_build" / "zh", language="zh_CN")

    downloads = project / "_build" / "zh" / "_downloads"
    [script_path] = downloads.rglob("squares.py")
    [notebook_path] = downloads.rglob("squares.ipynb")
    script = script_path.read_text(encoding="utf-8")
    assert code_tokens(script) == code_tokens(SQUARES), "the Chinese script is not the same program"
    compile(script, "squares.py", "exec")
    text_block_lines = "\n".join(line.removeprefix("# ") for line in script.split("\n"))  # a # %% block's text
    for english, chinese in CHINESE.items():
        assert chinese in script or chinese in text_block_lines, f"{english!r} is not translated in the script"
    for english in ("This lesson prints", "The numbers to square", "Each square is", "one line per number",
                    "a list item", "The program prints", "squares, one per line", "its square", "A folded note"):
        assert english not in script, f"{english!r} is left in English beside its translation"
    assert "A second paragraph that has no translation yet." in script, "a fuzzy message is not published"
    assert "# 每个平方都是这个数乘以它自己。" in script, "a text block's translation lost its comment form"
    title_lines = script.split("\n")
    title = title_lines.index("数的平方")
    assert set(title_lines[title + 1]) == {"="} and len(title_lines[title + 1]) >= display_width("数的平方")
    assert "- 本课的一个列表项" in title_lines, "the list item lost its marker"
    # A literal block, a table's cells and a going-deeper body keep their indentation; a cell the
    # catalogue leaves untranslated ("number") stays English.
    assert "#     平方数，每行一个" in title_lines and "#      - 它的平方" in title_lines
    assert "#    * - number" in title_lines and "#    关于平方的一条折叠说明。" in title_lines

    markdown, code = notebook_parts(notebook_path.read_text(encoding="utf-8"))
    for english in ("Squares of numbers", "This lesson prints the squares of a few numbers.",
                    "Each square is the number times itself."):
        assert CHINESE[english] in markdown and english not in markdown
    assert "A second paragraph that has no translation yet." in markdown
    assert "# 每个数一行" in code and code_tokens(code) == code_tokens(SQUARES)


@pytest.mark.unit
def test_a_message_without_translation_stays_english_as_on_the_page():
    relative = "examples_nn/polynomial_nn.py"
    source = (ROOT / relative).read_text(encoding="utf-8")
    only_the_title = Translator({"PyTorch: nn": "PyTorch：nn"})
    translated = translate_script(source, only_the_title)
    assert translated == source.replace("PyTorch: nn\n", "PyTorch：nn\n", 1)
