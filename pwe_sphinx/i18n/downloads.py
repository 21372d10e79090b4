"""Give each language's site downloads in its own language.

sphinx-gallery writes one ``.py``, one ``.ipynb`` and one zip per example,
plus a zip of each gallery, from the English scripts; every language's
build would copy those English files into its ``_downloads``. A reader of
the Chinese site should download the lesson they just read: its prose and
code comments in Chinese, its program unchanged.

When a translated build has written its pages, this module rewrites the
downloads it copied. Each example script is cut into sphinx-gallery's blocks
(the docstring, the ``# %%`` text blocks, the code blocks); every piece of
prose, every title and every code block is replaced by its translation from
the page's catalogue, the very messages the translated page shows; and the
script is put back together line for line, so that with no translation it is
byte for byte the English file. An exercise's starter script
(``pwe_sphinx.directives.exercises``), which its page shows whole, is
translated the same way from that page's catalogue: its docstring is the
exercise's title and task, its code after the docstring one message. The notebook is made from the translated
script by sphinx-gallery's own converter, and the zips are rewritten from
the translated files.

A message that has no translation yet stays in English in the download, as
it does on the page, so that editing an example never breaks the build of
the other language; the catalogue check (``nox -s i18n``, the tests) lists
what is left to translate.
"""

from __future__ import annotations

import ast
import io
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pwe_sphinx.core.example_source import code_after_docstring, docstring_statement
from pwe_sphinx.core.gallery_seam import build_notebook, save_notebook, split_blocks
from pwe_sphinx.core.language import is_translated, published_messages
from pwe_sphinx.core.paths import is_starter
from pwe_sphinx.core.zips import fixed_zip_time, write_zip
from pwe_sphinx.i18n.bracket_spacing import without_markdown_bracket_spaces

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>_:.])\1+$")
LIST_MARKER = re.compile(r"^([-*+] |\d+\. |#\. )")
TABLE_CELL = re.compile(r"^(\s*(?:\* )?- )(.*)$")
DOCSTRING_START = re.compile(r"\s*[rRuU]?(\"\"\"|\'\'\')")


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width font: CJK characters take two (as docutils counts)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Translator:
    """Looks up one page's messages; a message without a translation stays as it is, as on the page."""

    def __init__(self, messages: dict[str, str]) -> None:
        self.messages = messages

    def lookup(self, english: str) -> str | None:
        return self.messages.get(english)

    def translate(self, english: str) -> str:
        translated = self.lookup(english)
        return english if translated is None else translated


def translate_chunk(lines: list[str], translator: Translator) -> list[str]:
    """One blank-line-separated chunk of rst: a title, a paragraph, a list item, a literal or directive body.

    A chunk whose translation is the English text keeps its lines as they were.
    """
    if len(lines) == 2 and UNDERLINE.match(lines[1]) and not lines[0].startswith(" "):
        title = translator.translate(lines[0].strip())
        if title == lines[0].strip():
            return lines
        return [title, lines[1][0] * max(len(lines[1]), display_width(title))]
    if lines[0].startswith(".. "):
        return lines
    if lines[0].startswith((" ", "\t")):
        return translate_indented(lines, translator)
    marker = LIST_MARKER.match(lines[0])
    items = [i for i, line in enumerate(lines) if LIST_MARKER.match(line)]
    if marker and len(items) > 1:  # a list without blank lines between its items: one message per item
        return [line for start, end in zip(items, [*items[1:], len(lines)], strict=True)
                for line in translate_chunk(lines[start:end], translator)]
    prefix = marker.group(1) if marker else ""
    english = " ".join(line.strip() for line in lines).removeprefix(prefix.strip()).strip()
    translated = translator.translate(english)
    return lines if translated == english else [prefix + translated]


def translate_indented(lines: list[str], translator: Translator) -> list[str]:
    """A literal block (a message of its own) or a directive's body (table cells translated where known)."""
    indent = len(lines[0]) - len(lines[0].lstrip())
    literal = "\n".join(line[indent:] for line in lines)
    translated = translator.lookup(literal)
    if translated == literal:
        return lines
    if translated is not None:
        return [(" " * indent + line) if line else "" for line in translated.splitlines()]
    result = []
    for line in lines:
        cell = TABLE_CELL.match(line)
        result.append(cell.group(1) + (translator.lookup(cell.group(2).strip()) or cell.group(2))
                      if cell else line)
    return result


# A going-deeper block (pwe_sphinx.directives.going_deeper): the directive, then its indented body.
GOING_DEEPER = re.compile(r"^(\.\. going-deeper::[ \t]*\n)((?:[ \t]*\n|[ \t]+\S.*\n?)*)", re.MULTILINE)


def translate_text(text: str, translator: Translator) -> str:
    """An rst text block; the body of a going-deeper block is rst of its own, translated the same way."""
    pieces, position = [], 0
    for block in GOING_DEEPER.finditer(text):
        pieces.append(translate_chunks(text[position:block.start()], translator))
        pieces.append(block.group(1) + translate_body(block.group(2), translator))
        position = block.end()
    pieces.append(translate_chunks(text[position:], translator))
    return "".join(pieces)


def translate_body(body: str, translator: Translator) -> str:
    """A directive's indented body: unindented, translated as rst, indented again."""
    lines = body.split("\n")
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    translated = translate_chunks("\n".join(line[indent:] for line in lines), translator)
    return "\n".join((" " * indent + line) if line.strip() else line for line in translated.split("\n"))


def translate_chunks(text: str, translator: Translator) -> str:
    """rst, chunk by chunk, keeping its blank lines where they were."""
    out, chunk = [], []
    for line in [*text.split("\n"), None]:
        if line is not None and line.strip():
            chunk.append(line)
            continue
        if chunk:
            out.extend(translate_chunk(chunk, translator))
            chunk = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


def translate_code(original: str, content: str, translator: Translator) -> str:
    """A code block: the catalogue holds it without its surrounding blank lines."""
    core = content.strip("\n")
    if not core:
        return original
    return original.replace(core, translator.translate(core), 1)


def translate_script(source: str, translator: Translator) -> str:
    """The example script with its docstring, text blocks and code comments translated.

    sphinx-gallery's blocks give each piece's text and first line; the lines
    from one block's start to the next one's are that block's part of the
    file, separators and blank lines included.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".py", encoding="utf-8", delete=False) as scratch:
        scratch.write(source)
    try:
        _conf, blocks = split_blocks(scratch.name)
    finally:
        Path(scratch.name).unlink()
    lines = source.split("\n")
    starts = [block.lineno - 1 for block in blocks] + [len(lines)]
    parts = []
    for block, start, end in zip(blocks, starts[:-1], starts[1:], strict=True):
        original = "\n".join(lines[start:end])
        if block.type == "code":
            parts.append(translate_code(original, block.content, translator))
        else:
            parts.append(replace_text_block(original, block.content, translator))
    return "\n".join(parts)


def replace_text_block(original: str, content: str, translator: Translator) -> str:
    """Put a translated text block back in the form it had: a docstring or ``#`` comment lines."""
    translated = translate_text(content, translator)
    if translated == content:
        return original
    if DOCSTRING_START.match(original):
        return original.replace(content, translated, 1)
    lines = original.split("\n")
    comments = [line for line in lines if line.startswith("#")]
    commented = [f"# {line}" if line else "#" for line in translated.rstrip("\n").split("\n")]
    return "\n".join([*commented, *lines[len(comments):]])


def translate_shown_script(source: str, translator: Translator) -> str:
    """A script that a page shows whole (an exercise's starter): its docstring and its code translated.

    The docstring is the exercise, chunk by chunk as in a gallery script; the
    code after it is one message, as the page's code block
    (``pwe_sphinx.core.example_source.code_after_docstring``).
    """
    docstring = docstring_statement(ast.parse(source))
    if docstring is not None:
        text = str(cast(ast.Constant, docstring.value).value)  # a docstring statement's value is a str constant
        source = source.replace(text, translate_text(text, translator), 1)
    code = code_after_docstring(source)
    translated = translator.lookup(code)
    if translated is None or translated == code:
        return source
    return source.replace(code.strip("\n"), translated.strip("\n"), 1)


def notebook_of(script_text: str, gallery_conf: dict[str, Any], target_dir: Path) -> str:
    """sphinx-gallery's notebook for a script, as text."""
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch, "example.py")
        script.write_text(script_text, encoding="utf-8")
        _conf, blocks = split_blocks(script)
        notebook = build_notebook(blocks, gallery_conf, target_dir)
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                cell["source"] = [without_markdown_bracket_spaces(line) for line in cell["source"]]
        save_notebook(notebook, Path(scratch, "example.ipynb"))
        return Path(scratch, "example.ipynb").read_text(encoding="utf-8")


def translated_examples(app: Sphinx) -> dict[str, bytes]:
    """File name (``name.py``, ``name.ipynb``) to translated bytes, for every gallery example."""
    conf = app.config.sphinx_gallery_conf
    srcdir = Path(app.srcdir)
    locale_dir = srcdir / app.config.locale_dirs[0] / app.config.language / "LC_MESSAGES"
    files = {}
    for examples, gallery in zip(conf["examples_dirs"], conf["gallery_dirs"], strict=True):
        for script in sorted((srcdir / examples).resolve().glob("*.py")):
            translator = Translator(published_messages(locale_dir / gallery / f"{script.stem}.po"))
            text = translate_script(script.read_text(encoding="utf-8"), translator)
            files[script.name] = text.encode("utf-8")
            files[f"{script.stem}.ipynb"] = notebook_of(text, conf, srcdir / gallery).encode("utf-8")
    return files


def rewrite_zip(path: Path, translated: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as original:
        entries = [(info.filename, translated.get(Path(info.filename).name, original.read(info)))
                   for info in original.infolist()]
    buffer = io.BytesIO()
    write_zip(buffer, entries, fixed_zip_time())
    write_if_changed(path, buffer.getvalue())


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def translate_downloads(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html" or not is_translated(app.config):
        return
    translated = translated_examples(app)
    downloads = Path(app.outdir, "_downloads")
    for source, (docnames, destination) in sorted(app.env.dlfiles.items()):
        path = downloads / destination
        if path.suffix == ".zip":
            rewrite_zip(path, translated)
        elif is_starter(Path(source)):
            write_if_changed(path, translated_starter(app, Path(app.srcdir, source), sorted(docnames)[0]))
        elif path.name in translated:
            write_if_changed(path, translated[path.name])


def translated_starter(app: Sphinx, starter: Path, docname: str) -> bytes:
    """An exercise's starter, translated from the catalogue of the page that offers it."""
    locale_dir = Path(app.srcdir, app.config.locale_dirs[0], app.config.language, "LC_MESSAGES")
    translator = Translator(published_messages(locale_dir / f"{docname}.po"))
    return translate_shown_script(starter.read_text(encoding="utf-8"), translator).encode("utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.connect("build-finished", translate_downloads)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
