"""Each language's downloads are the lesson in that language, and the same program.

The English site offers the scripts as they are in examples_*/; the Chinese
site offers them with the docstring, the text blocks and the code comments
in Chinese (pwe_sphinx.i18n.downloads). Both are checked as a reader
gets them: through the links on the built pages, and inside the zips.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import tokenize
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, LANGUAGES, ROOT
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from test_site import code_tokens

from pwe_sphinx.i18n.downloads import LIST_MARKER, UNDERLINE, Translator, display_width, translate_script

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


ZH = "ZH: "


def with_marked_comments(code: str) -> str:
    """What a translator does to a code block: each comment reworded, the program untouched."""
    lines = code.split("\n")
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.COMMENT and not token.string.startswith("#!"):
            row, column = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:column] + "# " + ZH + token.string[1:].strip() + line[token.end[1]:]
    return "\n".join(lines)


class FakeChinese(Translator):
    """A catalogue that changes every message it is asked for, as a real translation does.

    A code block of the script comes back with "ZH: " at the start of each
    comment; anything else (a title, a paragraph, a list item, a table cell, a
    literal block) comes back as "ZH: " and the English text.
    """

    def __init__(self, code_blocks: set[str]) -> None:
        super().__init__({})
        self.code_blocks = code_blocks

    def lookup(self, english: str) -> str:
        return with_marked_comments(english) if english in self.code_blocks else ZH + english


def blocks_of(source: str) -> list:
    """sphinx-gallery's blocks of a script (text and code), as the build cuts it."""
    scratch = Path(tempfile.mkdtemp()) / "example.py"
    scratch.write_text(source, encoding="utf-8")
    try:
        return split_code_and_text_blocks(str(scratch))[1]
    finally:
        shutil.rmtree(scratch.parent)


def comments_of(code: str) -> list[str]:
    return [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT]


def titles_of(text: str) -> list[tuple[str, str]]:
    """(title, underline) pairs of an rst text block."""
    lines = text.split("\n")
    return [(lines[i], lines[i + 1]) for i in range(len(lines) - 1)
            if lines[i].strip() and not lines[i].startswith(" ") and UNDERLINE.match(lines[i + 1])]


@pytest.mark.unit
@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_a_translated_script_changes_prose_titles_and_comments_and_keeps_the_program(relative):
    """Every translation branch of translate_script runs, with a catalogue that changes every message.

    The program (its tokens without comments) is the English one; each code
    block's comments are the translated ones; each title of the docstring and
    of the text blocks is translated, with an underline long enough for it; no
    line of prose is left as it was.
    """
    source = (ROOT / relative).read_text(encoding="utf-8")
    english = blocks_of(source)
    code_blocks = {block.content.strip("\n") for block in english if block.type == "code"}
    translated = translate_script(source, FakeChinese(code_blocks))
    assert translated != source
    assert code_tokens(translated) == code_tokens(source), "the translated script is not the same program"
    compile(translated, relative, "exec")

    blocks = blocks_of(translated)
    assert [block.type for block in blocks] == [block.type for block in english]
    for before, after in zip(english, blocks, strict=True):
        if before.type == "code":
            assert code_tokens(after.content) == code_tokens(before.content)
            assert [c for c in comments_of(after.content) if not c.startswith(f"# {ZH}")] == [], after.content
            assert len(comments_of(after.content)) == len(comments_of(before.content))
            continue
        expected_titles = [(ZH + title.strip(), underline[0]) for title, underline in titles_of(before.content)]
        titles = titles_of(after.content)
        assert [(title, underline[0]) for title, underline in titles] == expected_titles
        assert all(len(underline) >= display_width(title) for title, underline in titles)
        # Every paragraph and list item now starts with the translation; directives and indented
        # bodies (literal blocks, table rows) are checked through their first line or cells.
        prose = top_level_prose(after.content)
        assert prose, f"a text block without prose:\n{after.content}"
        left = [line for line in prose if not LIST_MARKER.sub("", line).startswith(ZH)]
        assert left == [], f"prose left in English:\n{left}"
        assert list_markers(prose) == list_markers(top_level_prose(before.content)), "list items lost their markers"


def top_level_prose(text: str) -> list[str]:
    """The lines of paragraphs, titles and list items: not underlines, directives or indented bodies,
    except the body of a going-deeper block, which is prose of the lesson folded away."""
    lines, inside = [], False
    for line in text.split("\n"):
        if line.startswith(".. going-deeper::"):
            inside = True
            continue
        if inside and line.strip() and not line.startswith(" "):
            inside = False
        if inside and line.startswith("   ") and not line.startswith("    "):
            line = line[3:]
        if line.strip() and not line.startswith((" ", ".. ")) and not UNDERLINE.match(line):
            lines.append(line)
    return lines


def list_markers(lines: list[str]) -> list[str]:
    return [marker.group(1) for marker in map(LIST_MARKER.match, lines) if marker]


@pytest.mark.unit
def test_a_message_without_translation_stays_english_as_on_the_page():
    relative = "examples_nn/polynomial_nn.py"
    source = (ROOT / relative).read_text(encoding="utf-8")
    only_the_title = Translator({"PyTorch: nn": "PyTorch：nn"})
    translated = translate_script(source, only_the_title)
    assert translated == source.replace("PyTorch: nn\n", "PyTorch：nn\n", 1)
