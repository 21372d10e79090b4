"""Each language's downloads are the lesson in that language, and the same program.

The English site offers the scripts as they are in examples_*/; the Chinese
site offers them with the docstring, the text blocks and the code comments
in Chinese (pwe_sphinx.translated_downloads). Both are checked as a reader
gets them: through the links on the built pages, and inside the zips.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, LANGUAGES, ROOT
from pwe_sphinx.translated_downloads import Translator, translate_script
from test_site import code_tokens

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


@pytest.mark.parametrize("relative", [str(p) for p in EXAMPLES])
def test_a_script_translated_into_english_is_the_script_itself(relative):
    source = (ROOT / relative).read_text(encoding="utf-8")
    assert translate_script(source, SameText({})) == source


def test_a_message_without_translation_stays_english_as_on_the_page():
    relative = "examples_nn/polynomial_nn.py"
    source = (ROOT / relative).read_text(encoding="utf-8")
    only_the_title = Translator({"PyTorch: nn": "PyTorch：nn"})
    translated = translate_script(source, only_the_title)
    assert translated == source.replace("PyTorch: nn\n", "PyTorch：nn\n", 1)
