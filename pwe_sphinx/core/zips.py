"""Zips that are byte-identical from one build of the same commit to the next.

A zip records each file's modification time, which differs between
checkouts. Both the offline archive (html) and the translated downloads
(i18n) write zips, so the one way to write them lives beneath both: every
entry gets ``SOURCE_DATE_EPOCH`` when set, else the earliest time a zip can
hold.
"""

from __future__ import annotations

import os
import time
import zipfile
from typing import IO

EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def fixed_zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return EARLIEST_ZIP_TIME
    return max(EARLIEST_ZIP_TIME, time.gmtime(int(epoch))[:6])


def write_zip(target: str | os.PathLike[str] | IO[bytes], entries: list[tuple[str, bytes]],
              date_time: tuple[int, int, int, int, int, int]) -> None:
    """A zip of these (name, bytes) entries, in name order, all with one timestamp and mode."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
