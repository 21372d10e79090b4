"""Save the figures of the examples and of the executed scripts as SVG whose text stays text.

Why SVG, and why ``svg.fonttype: none``: a line plot drawn as vectors is
crisp at any zoom and usually smaller than its PNG, and with that setting
every label is a ``<text>`` element holding its string instead of glyph
outlines. The Chinese build can then put each label's translation in a copy
of the file (``pwe_sphinx.i18n.figure_text``) without running the example again,
and no build needs a font for Chinese: the reader's browser draws the text.

Three things make the files reproducible: a fixed ``svg.hashsalt``
(matplotlib otherwise salts the ids of its clip paths and markers with a
random uuid), no date in the file's metadata, and ids renamed in the order
they first appear (``canonical_ids``). matplotlib hashes a clip rectangle's
coordinates at full precision, and a figure laid out in a pool worker can
differ from the same figure laid out in another process in the last bits
of a coordinate: the file shows the same rounded numbers under another id.

The settings are applied around each save (``matplotlib.rc_context``), not
left in ``rcParams``, so that sphinx-gallery's own reset between examples
(``plt.rcdefaults()``) cannot undo them and no example sees them.

Thumbnails stay PNG. sphinx-gallery makes an example's thumbnail from the
first file it finds for the thumbnail's figure number, trying ``.png``
before ``.svg``; the scraper writes that PNG with the figure's text and
legends hidden, so a card looks the same in every language and carries no
words that would need translating (at thumbnail size they were unreadable).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.typing import RcKeyType
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.build_plan import add_step, build_plan
from pwe_sphinx.core.gallery_seam import checksum_files, figure_glob, image_paths, matplotlib_scraper

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SVG_SETTINGS: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": "pwe_sphinx"}
SAVE_OPTIONS: dict[str, Any] = {"format": "svg", "metadata": {"Date": None}}
# An id matplotlib makes from a hash (a letter for its kind, ten hex digits), where it is
# defined or referred to: ``id="p0f0b0c5fda"``, ``#m2e2dcf0bb5"``, ``url(#p0f0b0c5fda)``.
HASHED_ID = re.compile(r'(id="|#)([a-z])([0-9a-f]{10})(?=[")])')


def canonical_ids(svg: str) -> str:
    """The SVG with each hashed id renamed to its kind and its rank among those ids: ``p1``, ``m2``."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        kind, hashed = match.group(2), match.group(2) + match.group(3)
        if hashed not in names:
            counts[kind] = counts.get(kind, 0) + 1
            names[hashed] = f"{kind}{counts[kind]}"
        return str(match.group(1)) + names[hashed]

    return HASHED_ID.sub(rename, svg)


def make_ids_canonical(path: Path) -> None:
    """Rename the hashed ids of an SVG file that sphinx-gallery's scraper wrote."""
    svg = Path(path).read_text(encoding="utf-8")
    Path(path).write_text(canonical_ids(svg), encoding="utf-8")


def save_svg(figure: Figure, path: Path) -> None:
    """Write one figure as this site's SVG (text as text, reproducible ids, no date)."""
    import matplotlib

    drawn = io.StringIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        figure.savefig(drawn, **SAVE_OPTIONS)
    Path(path).write_text(canonical_ids(drawn.getvalue()), encoding="utf-8")


def save_without_text(figure: Figure, path: Path) -> None:
    """Write a PNG of the figure with no text drawn and its legends hidden, leaving the figure as it was.

    The text is left out by the renderer, not hidden artist by artist: an
    axis makes tick labels as it draws, copying the visibility of its first
    one, so hiding the labels would hide new ones for good. The figure keeps
    the layout its last save gave it (its layout engine rests meanwhile):
    saved after the SVG, it is not laid out a second time, which measuring
    every label for the layout made the larger part of the PNG's cost.
    """
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.legend import Legend

    legends = [legend for legend in figure.findobj(Legend) if legend.get_visible()]
    engine = figure.get_layout_engine()
    draw_text = RendererAgg.draw_text
    RendererAgg.draw_text = lambda *args, **kwargs: None  # type: ignore[method-assign]  # put back below
    for legend in legends:
        legend.set_visible(False)
    if engine is not None:
        figure.set_layout_engine("none")
    try:
        figure.savefig(path, format="png")
    finally:
        RendererAgg.draw_text = draw_text  # type: ignore[method-assign]
        for legend in legends:
            legend.set_visible(True)
        if engine is not None:
            figure.set_layout_engine(engine)


def thumbnail_number(block_vars: dict[str, Any]) -> int | None:
    """The figure number sphinx-gallery makes the thumbnail from, when it is one this scraper can know."""
    file_conf = block_vars.get("file_conf") or {}
    if file_conf.get("thumbnail_path") is not None and file_conf.get("thumbnail_number") is None:
        return None
    number = file_conf.get("thumbnail_number", 1)
    return number if isinstance(number, int) and number > 0 else None


def thumbnail_source(block_vars: dict[str, Any]) -> tuple[Figure, Path] | None:
    """The open figure the thumbnail is made from, if this code block drew it, and where its
    text-free PNG goes: found before sphinx-gallery's scraper saves and closes the figures."""
    import matplotlib.pyplot as plt

    paths = image_paths(block_vars)
    wanted = thumbnail_number(block_vars)
    for offset, number in enumerate(plt.get_fignums()):
        if len(paths) + offset + 1 == wanted:
            return plt.figure(number), Path(paths.image_path.format(wanted)).with_suffix(".png")
    return None


def svg_scraper(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any], **kwargs: Any) -> str:
    """sphinx-gallery's matplotlib scraper, saving SVG; conf.py names it in ``image_scrapers``.

    The thumbnail's text-free PNG is written after the figure's SVG, from
    the figure as that save laid it out (the scraper closes the figures, but
    a closed figure held here can still be saved).
    """
    import matplotlib

    thumbnail = thumbnail_source(block_vars)
    paths = image_paths(block_vars)
    saved_before = len(paths)
    with matplotlib.rc_context(SVG_SETTINGS):
        rst = matplotlib_scraper(block, block_vars, gallery_conf, **SAVE_OPTIONS, **kwargs)
    for image_path in paths.paths[saved_before:]:
        make_ids_canonical(Path(image_path).with_suffix(".svg"))
    if thumbnail is not None:
        save_without_text(*thumbnail)
    return rst


def drawn_in_an_older_format(gallery: Path) -> list[Path]:
    """Checksums of examples whose figures in ``gallery`` an older build saved: PNG only (before
    figures were SVG), or SVG with matplotlib's hashed ids (before ``canonical_ids``)."""
    stale = []
    for checksum in checksum_files(gallery, recursive=False):
        stem = checksum.name.removesuffix(".py.md5")
        figures = list((gallery / "images").glob(figure_glob(stem)))
        svgs = [figure for figure in figures if figure.suffix == ".svg"]
        if (figures and not svgs) or any(HASHED_ID.search(svg.read_text(encoding="utf-8")) for svg in svgs):
            stale.append(checksum)
    return stale


def rerun_outdated_examples(app: Sphinx) -> None:
    """Make sphinx-gallery run again the examples whose figures an older build saved differently.

    sphinx-gallery runs an example again only when the script's checksum
    changes; it does not notice that the scraper has. Removing the checksum
    it keeps beside the page is how it is told. A build that follows another
    one's gallery (``pwe_sphinx.gallery.follow``) writes nothing into docs/.
    """
    if build_plan(app).is_following:
        return
    for gallery in app.config.sphinx_gallery_conf["gallery_dirs"]:
        for checksum in drawn_in_an_older_format(Path(app.srcdir, gallery)):
            checksum.unlink()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_gallery.gen_gallery")
    app.setup_extension("pwe_sphinx.core.build_plan")
    add_step(app, "rerun_outdated_examples", rerun_outdated_examples)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
