"""The one place where pwe_sphinx touches sphinx-gallery's internals.

sphinx-gallery offers a configuration dictionary and scrapers as its public
surface; everything else this package relies on (running one example file,
the ``.md5`` checksum beside each copied example, the listener that generates
the gallery, the image path iterator, the source parser, the notebook writer,
the English running-time sentence, the file naming) is internal and may change
in any release.  Keeping every such use here, behind small named functions,
means an upgrade touches one module, and ``tests/test_gallery_seam.py``
exercises each of them against the installed version so a break fails in one
place.  Importing this module refuses a sphinx-gallery outside the range it was
written for.  See ``maintaining/upstream-proposals.md`` for the public APIs we
would like instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

import sphinx_gallery

#: The sphinx-gallery releases this seam was checked against (lowest included, highest excluded).
SUPPORTED_RANGE = ((0, 22), (0, 23))


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numeric parts of a version string, so "0.22.1.dev0" compares as (0, 22, 1)."""
    parts = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def check_version(version: str) -> None:
    """Refuse a sphinx-gallery whose internals this seam has not been checked against."""
    low, high = SUPPORTED_RANGE
    found = version_tuple(version)
    if not low <= found < high:
        wanted = f">={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"
        raise ImportError(
            f"pwe_sphinx needs sphinx-gallery {wanted}, but found {version}. Install the pinned "
            "version (pip install -r requirements/docs.txt); to move to a new release, run "
            "tests/test_gallery_seam.py against it, fix pwe_sphinx/core/gallery_seam.py, and widen "
            "SUPPORTED_RANGE there."
        )


check_version(sphinx_gallery.__version__)

# Imported after the gate so a wrong version reports the range, not a missing name.
from sphinx_gallery import gen_gallery, notebook
from sphinx_gallery.directives import imgsgnode as imgsgnode  # re-exported for html.inline_figures
from sphinx_gallery.py_source_parser import Block as Block  # re-exported for core.example_source
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from sphinx_gallery.utils import get_md5sum

#: The extension that conf.py loads and our extensions depend on.
EXTENSION = "sphinx_gallery.gen_gallery"

#: The sentence sphinx-gallery ends every example page with (English, not translatable upstream).
RUNNING_TIME_SENTENCE = "Total running time of the script:"
#: The same line as it appears in the rendered text, with its two figures captured.
RUNNING_TIME = re.compile(r"^Total running time of the script: \((\d+) minutes ([\d.]+) seconds\)$")
#: The class of a gallery card's title.
CARD_TITLE_CLASS = "sphx-glr-thumbnail-title"
#: The markup of a gallery card's title, captured around the title text.
CARD_TITLE = re.compile(rf'(<div class="{CARD_TITLE_CLASS}">)(.*?)(</div>)', re.DOTALL)
#: The class of the container of a gallery card.
CARD_CONTAINER_CLASS = "sphx-glr-thumbcontainer"
#: The class of the block that holds an example's printed output.
OUTPUT_CLASS = "sphx-glr-script-out"
#: The directive line that opens an example's printed output in its generated page.
OUTPUT_START = f".. rst-class:: {OUTPUT_CLASS}"
#: The comment before each block of a generated page, naming the source lines it came from.
SOURCE_LINES = re.compile(r"^\.\. GENERATED FROM PYTHON SOURCE LINES (\d+)-(\d+)\s*$")
#: The indent of the recorded output lines under their ``.. code-block:: none``.
OUTPUT_INDENT = "    "
#: The label sphinx-gallery puts before an example's download links.
DOWNLOADS_LABEL = ".. _sphx_glr_download_"
#: Figure file names: sphx_glr_<stem>_<3-digit number>.<ext>; the fallback alt text is the same stem.
FIGURE_NAME = re.compile(r"sphx_glr_(.+)_(\d{3})$")


def figure_glob(stem: str, suffix: str = "*") -> str:
    """The glob of an example's numbered figures in its gallery's ``images`` folder."""
    return f"sphx_glr_{stem}_[0-9][0-9][0-9].{suffix}"


def figure_file_name(stem: str) -> re.Pattern[str]:
    """The file names of an example's figures and thumbnail: the number or ``thumb`` after the name
    keeps ``polynomial_nn`` apart from a longer name that starts with it."""
    return re.compile(rf"sphx_glr_{re.escape(stem)}_(\d+|thumb)\.\w+")


def thumbnail_path(script: PurePath) -> PurePath:
    """Where sphinx-gallery writes the thumbnail of a generated example copy ``script``."""
    return script.parent / "images" / "thumb" / f"sphx_glr_{script.stem}_thumb.png"


# --- running examples -------------------------------------------------------------------------


def run_example_file(script: Path, gallery: Path, gallery_conf: dict[str, Any]) -> Any:
    """Run one example and write its page, figures and checksum, as sphinx-gallery would.

    This is how our own worker pool schedules examples instead of sphinx-gallery's loop.
    """
    from sphinx_gallery.gen_rst import generate_file_rst

    return generate_file_rst(script.name, str(gallery), str(script.parent), gallery_conf)


def failing_examples(gallery_conf: dict[str, Any]) -> dict[str, Any]:
    """The examples that raised during this build, keyed by path (sphinx-gallery's own record)."""
    failing: dict[str, Any] = gallery_conf.get("failing_examples", {})
    return failing


# --- the checksum files -----------------------------------------------------------------------


def checksum_path(script: Path, gallery: Path) -> Path:
    """The ``<name>.py.md5`` file that records the checksum of an example's copy in ``gallery``."""
    return gallery / f"{script.name}.md5"


def source_checksum(script: Path) -> str:
    """The checksum sphinx-gallery records for a script: md5 of its text, read in text mode."""
    checksum: str = get_md5sum(script, mode="t")
    return checksum


def checksum_is_current(script: Path, gallery: Path) -> bool:
    """Whether sphinx-gallery would skip ``script``: its recorded checksum matches its source."""
    recorded = checksum_path(script, gallery)
    return recorded.is_file() and recorded.read_text() == source_checksum(script)


def checksum_files(folder: Path, recursive: bool = True) -> list[Path]:
    """Every example checksum file under ``folder`` (or, not ``recursive``, in it), sorted."""
    return sorted(folder.rglob("*.py.md5") if recursive else folder.glob("*.py.md5"))


def remove_checksums(folder: Path) -> int:
    """Delete the checksum files under ``folder`` so every example there runs again; how many."""
    files = checksum_files(folder)
    for checksum in files:
        checksum.unlink()
    return len(files)


# --- generation listener ----------------------------------------------------------------------


def generation_listeners(app: Any) -> list[Any]:
    """The builder-inited listeners that are sphinx-gallery's gallery generation."""
    handler = getattr(gen_gallery, "generate_gallery_rst", None)
    return [listener for listener in app.events.listeners.get("builder-inited", [])
            if listener.handler is handler]


def disconnect_generation(app: Any) -> int:
    """Stop sphinx-gallery from generating (and running) the gallery in this build; how many removed."""
    found = generation_listeners(app)
    for listener in found:
        app.disconnect(listener.id)
    return len(found)


# --- scrapers ---------------------------------------------------------------------------------


def image_paths(block_vars: dict[str, Any]) -> Any:
    """The iterator of figure paths sphinx-gallery hands a scraper (``len``, ``paths``, ``image_path``)."""
    return block_vars["image_path_iterator"]


def matplotlib_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any],
                       **kwargs: Any) -> str:
    """sphinx-gallery's own matplotlib scraper, which ours wraps."""
    from sphinx_gallery.scrapers import matplotlib_scraper as scraper

    rst: str = scraper(block, block_vars, gallery_conf, **kwargs)
    return rst


# --- source and notebooks ---------------------------------------------------------------------


def split_blocks(script: Path | str) -> tuple[dict[str, Any], list[Block]]:
    """A gallery script's file configuration and its text and code blocks."""
    file_conf, blocks = split_code_and_text_blocks(str(script))[:2]
    return file_conf, blocks


def build_notebook(blocks: list[Block], gallery_conf: dict[str, Any], target_dir: Path | str) -> dict[str, Any]:
    """The Jupyter notebook sphinx-gallery makes from a script's blocks."""
    made: dict[str, Any] = notebook.jupyter_notebook(blocks, gallery_conf, str(target_dir))
    return made


def save_notebook(made: dict[str, Any], path: Path) -> None:
    """Write a notebook made by :func:`build_notebook`."""
    notebook.save_notebook(made, path)


def wrap_rst2md(wrapper: Callable[[Callable[..., str]], Callable[..., str]]) -> None:
    """Replace sphinx-gallery's rST-to-Markdown converter by ``wrapper(original)``, once; the
    original stays reachable as the wrapper's ``pwe_original``."""
    if getattr(notebook.rst2md, "pwe_wrapped", False):
        return
    original = notebook.rst2md
    wrapped = wrapper(original)
    wrapped.pwe_wrapped = True  # type: ignore[attr-defined]
    wrapped.pwe_original = original  # type: ignore[attr-defined]
    notebook.rst2md = wrapped
