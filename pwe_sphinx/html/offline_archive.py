"""Each language's whole site as one zip, for reading offline; its home page offers it.

A reader on a train, or behind a firewall, wants the lessons on disk. After
a language's HTML build, this writes ``<name>-<language>.zip`` into that
language's folder (``build/html/en/learning-pytorch-with-examples-en.zip``;
the name comes from the project's). It holds every file of the folder under
one top folder of the same name, so unzipping it makes one folder whose
``index.html`` opens the site from disk; the other language's site is not in
it. Left out: the archive itself, dot files (Sphinx's ``.buildinfo``) and the
language's 404 page, which only a host shows and whose links are paths from
the host's root (pwe_sphinx.html.not_found).

Pages link to each other by relative URLs, which work from disk. A link
whose target the archive does not hold (the other language's page behind
the language switch, the language chooser, the archive itself) is rewritten,
in the archive's copy only, to its published address under
``pwe_site_url``. The pages served online keep their relative links.

The ``offline-download`` directive puts the link on a page (the home page),
with the archive's size, which only the finished build knows: the directive
writes an empty ``pwe-offline-size`` span, and once every page is written
the span is filled in, in the archive's copy and in the served page alike.
Since the page is in the archive, its size label changes the archive's
size: the label is recomputed until it describes the archive that holds it
(a second round is nearly always the last).

The zip is as reproducible as the rest of the build: entries in name order,
one timestamp (``SOURCE_DATE_EPOCH``), one mode, through
pwe_sphinx.html.reproducible. It is written after every other
``build-finished`` handler (the Chinese downloads are rewritten there,
pwe_sphinx.i18n.downloads), and only when its bytes change.
"""

from __future__ import annotations

import io
import re
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit

from docutils import nodes
from docutils.parsers.rst import Directive

from pwe_sphinx.core.labels import _
from pwe_sphinx.core.language import FULL_WIDTH, language_url
from pwe_sphinx.core.zips import fixed_zip_time, write_zip

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

# What a language's folder holds that the archive does not: see the docstring.
LEFT_OUT = frozenset({"404.html"})
# A start tag, and in it the attributes that lead to another file. (A page's
# text, and the values of its attributes, have their < or > escaped.)
TAG = re.compile(r"<[a-zA-Z][^>]*>")
LINK = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
# The size label the directive leaves empty, as the HTML writer writes it.
SIZE_SPAN = re.compile(r'(<span class="pwe-offline-size">)[^<]*(</span>)')
ROUNDS = 4  # of recomputing the size label: see archive_with_size_label()


def archive_name(config: Config) -> str:
    """``learning-pytorch-with-examples-en``: the project's name in lower case, words joined by -, and the language."""
    project = re.sub(r"[^a-z0-9]+", "-", config.project.lower()).strip("-")
    return f"{project}-{config.language}"


class OfflineDownload(Directive):
    """``.. offline-download::`` with a paragraph or two of content: a link to this language's archive,
    its size (filled in by write_archive), and the content, which says how to use it."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        to_language_root = "../" * env.docname.count("/")
        link = nodes.reference("", str(_("Download the whole site")), classes=["pwe-offline-download"],
                               refuri=f"{to_language_root}{archive_name(env.config)}.zip")
        line = nodes.paragraph("", "", link, nodes.inline("", "", classes=["pwe-offline-size"]))
        line["translatable"] = False  # its words are labels, already in the page's language
        box = nodes.container(classes=["pwe-offline"])
        box += line
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def size_in_words(size: int) -> str:
    """The size after the link: " (zip, 1.3 MB)", or "（ZIP 压缩包，1.5 MB）"
    with no space before a full-width bracket."""
    words = str(_("(zip, {size} MB)")).format(size=f"{size / 1_000_000:.1f}")
    return words if words[:1] in FULL_WIDTH else f" {words}"


def rewrite_links(page_html: str, page: str, held: frozenset[str], published: str) -> str:
    """``page_html`` (the page at path ``page`` in a language's folder) with every relative link whose
    target is not in ``held`` (paths in that folder) made absolute under ``published``, the address
    of the folder online. Links to other sites and within the page stay as they are."""
    page_url = published + quote(page)
    root = urlsplit(published)

    def rewrite(match: re.Match[str]) -> str:
        reference = unescape(match[2])
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc or not parts.path:
            return match[0]  # another site, or this very page (#anchor)
        target = urlsplit(urljoin(page_url, reference))
        path = unquote(target.path)
        if (target.scheme, target.netloc) == (root.scheme, root.netloc) and path.startswith(root.path) \
                and path[len(root.path):] in held:
            return match[0]
        return f"{match[1]}{escape(target.geturl())}{match[3]}"

    return TAG.sub(lambda tag: LINK.sub(rewrite, tag[0]), page_html)


def site_files(folder: Path, archive: str) -> dict[str, bytes]:
    """Every file of a language's folder that goes into its archive, by path in the folder."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != archive and relative not in LEFT_OUT \
                and not any(part.startswith(".") for part in relative.split("/")):
            files[relative] = path.read_bytes()
    return files


def offline_copies(files: dict[str, bytes], published: str) -> dict[str, bytes]:
    """The files as the archive holds them: pages with the links the archive cannot hold made
    absolute, and any size label emptied (archive_with_size_label() fills it)."""
    held = frozenset(files)
    copies = dict(files)
    for name, data in files.items():
        if name.endswith(".html"):
            page = rewrite_links(data.decode("utf-8"), name, held, published)
            copies[name] = SIZE_SPAN.sub(r"\1\2", page).encode("utf-8")
    return copies


def zip_bytes(files: dict[str, bytes], top: str) -> bytes:
    buffer = io.BytesIO()
    write_zip(buffer, [(f"{top}/{name}", data) for name, data in files.items()], fixed_zip_time())
    return buffer.getvalue()


def with_size_label(files: dict[str, bytes], label: str) -> dict[str, bytes]:
    """The pages that carry a size label, with ``label`` in it; the other files as they are."""
    out: dict[str, bytes] = {}
    for name, data in files.items():
        if name.endswith(".html") and b'class="pwe-offline-size"' in data:
            page = SIZE_SPAN.sub(lambda match: match[1] + escape(label) + match[2], data.decode("utf-8"))
            data = page.encode("utf-8")
        out[name] = data
    return out


def archive_with_size_label(files: dict[str, bytes], top: str) -> tuple[bytes, str]:
    """The archive of ``files`` (under folder ``top``), and the size label its pages show.

    Starting from an empty label, each round puts the last round's size in
    the pages, until the size stays the same. Only a size within a few bytes
    of a rounding boundary can flip back and forth; after ROUNDS rounds the
    last one stands, off by a tenth of a megabyte at most.
    """
    label = ""
    for _round in range(ROUNDS):
        archive = zip_bytes(with_size_label(files, label), top)
        new_label = size_in_words(len(archive))
        if new_label == label:
            break
        label = new_label
    return archive, label


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def write_archive(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "html":
        return
    folder = Path(app.outdir)
    name = archive_name(app.config)
    files = site_files(folder, f"{name}.zip")
    archive, label = archive_with_size_label(offline_copies(files, language_url(app.config)), name)
    write_if_changed(folder / f"{name}.zip", archive)
    for page, data in with_size_label(files, label).items():
        if data != files[page]:
            write_if_changed(folder / page, data)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.i18n.language_switch")
    app.add_directive("offline-download", OfflineDownload)
    # After every other handler that writes into the language's folder (default priority 500).
    app.connect("build-finished", write_archive, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
