"""Make two builds of the same commit byte-identical.

* The zips sphinx-gallery writes ("Download all examples", "Download
  zipped") record each file's modification time, which differs from one
  checkout to the next. They are rewritten with one fixed time:
  ``SOURCE_DATE_EPOCH`` when set, else the earliest time a zip can hold.
  sphinx-gallery writes them on every build; one whose bytes come out as
  they were gets its old modification time back, so that Sphinx does not
  read again, in each language, every page that offers it as a download
  (a rebuild after one edit read a dozen pages more for that alone).
* Running times change on every run. When ``SOURCE_DATE_EPOCH`` is set (a
  reproducible build, by the convention of reproducible-builds.org) conf.py
  hides them (sphinx-gallery's ``min_reported_time``).
"""

from __future__ import annotations

import hashlib
import io
import os
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


def gallery_zips(app: Sphinx) -> list[Path]:
    return [path for gallery in app.config.sphinx_gallery_conf["gallery_dirs"]
            for path in sorted(Path(app.srcdir, gallery).glob("*.zip"))]


def digest_and_time(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# Each gallery zip as it was before sphinx-gallery wrote it again: its digest and modification
# time, by the id of the build's application.
_before: dict[int, dict[Path, tuple[str, int]]] = {}


def remember_gallery_zips(app: Sphinx) -> None:
    """Before sphinx-gallery writes the zips: note each one's digest and modification time."""
    _before[id(app)] = {path: digest_and_time(path) for path in gallery_zips(app)}


def normalise_gallery_zips(app: Sphinx) -> None:
    """After sphinx-gallery wrote the zips: normalise them, and give one that came out as it was
    its old modification time back."""
    date_time = fixed_zip_time()
    before = _before.pop(id(app), {})
    for path in gallery_zips(app):
        normalise_zip(path, date_time)
        if path in before and digest_and_time(path)[0] == before[path][0]:
            os.utime(path, ns=(before[path][1], before[path][1]))


def setup(app: Sphinx) -> ExtensionMetadata:
    # Around sphinx-gallery, which writes the zips when the builder starts.
    add_step(app, "remember_gallery_zips", remember_gallery_zips)
    add_step(app, "normalise_gallery_zips", normalise_gallery_zips)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
