"""Keep sphinx-gallery's garbage collection before each example cheap.

Before each example sphinx-gallery runs ``gc.collect()`` to take a memory
baseline for ``show_memory``, which this site leaves off. A full collection
walks every object the build process holds (Sphinx's environment, the
parsed documents and, from the first example on, all of torch): about
130 ms a time here, over a second per build. ``freeze_heap`` is a
sphinx-gallery reset function (conf.py lists it in ``reset_modules``) that
calls ``gc.freeze()`` just before, which moves every object alive at that
moment out of the collector's sight. Frozen objects are still freed by
reference counting as usual; only reference cycles among them wait for the
build to end, and examples here leave none worth the time.
"""

from __future__ import annotations

import gc
from typing import Any


def freeze_heap(gallery_conf: dict[str, Any], fname: str | None, when: str) -> None:
    if fname is not None and when == "before":
        gc.freeze()
