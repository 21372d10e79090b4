"""Make two builds of the same commit byte-identical.

* The zips sphinx-gallery writes ("Download all examples", "Download
  zipped") record each file's modification time, which differs from one
  checkout to the next. They are rewritten with one fixed time:
  ``SOURCE_DATE_EPOCH`` when set, else the earliest time a zip can hold.
* Running times change on every run. When ``SOURCE_DATE_EPOCH`` is set (a
  reproducible build, by the convention of reproducible-builds.org) conf.py
  hides them (sphinx-gallery's ``min_reported_time``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.zips import fixed_zip_time, write_zip

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

ZipTime = tuple[int, int, int, int, int, int]  # year, month, day, hour, minute, second


def normalise_zip(path: Path, date_time: ZipTime) -> None:
    """Rewrite a zip with its entries in name order and one timestamp.

    The file is written only when that changes its bytes, so a build that
    finds the zips already normalised (the Chinese build, see
    pwe_sphinx.gallery.follow) leaves them alone.
    """
    original_bytes = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(original_bytes)) as original:
        entries = [(info.filename, original.read(info)) for info in original.infolist()]
    rewritten = io.BytesIO()
    write_zip(rewritten, entries, date_time)
    if rewritten.getvalue() != original_bytes:
        path.write_bytes(rewritten.getvalue())


def normalise_gallery_zips(app: Sphinx) -> None:
    date_time = fixed_zip_time()
    for gallery in app.config.sphinx_gallery_conf["gallery_dirs"]:
        for path in sorted(Path(app.srcdir, gallery).glob("*.zip")):
            normalise_zip(path, date_time)


def setup(app: Sphinx) -> ExtensionMetadata:
    # After sphinx-gallery, which writes the zips when the builder starts.
    add_step(app, "normalise_gallery_zips", normalise_gallery_zips)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
