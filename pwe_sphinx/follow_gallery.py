"""Let the second language's build overlap the first one's examples.

Running the examples is the one thing a build cannot avoid; everything else
should fit around it. ``pwe_sphinx.sitebuild`` therefore starts both
languages' builds at once, on their own cores:

* the *leading* build (the first language) runs sphinx-gallery as usual and,
  once the example pages, images and downloads are all written into docs/,
  creates the file named by ``PWE_ANNOUNCE_GALLERY_TO``;
* a *following* build (``PWE_AWAIT_GALLERY_FROM`` names that file) does not
  run sphinx-gallery's generation at all. It imports its extensions, loads
  its dictionaries, and then waits for the file before it reads a single
  source. From then on the two builds only read docs/, each writing to its
  own output and doctree folders.

A following build never writes into docs/, so two processes never write the
same file. Without either variable a build is an ordinary sphinx-gallery
build. If the leading build fails before it announces the gallery,
sitebuild stops the following ones; a following build whose parent has gone
stops by itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx_gallery import gen_gallery

ANNOUNCE = "PWE_ANNOUNCE_GALLERY_TO"
AWAIT = "PWE_AWAIT_GALLERY_FROM"
POLL_SECONDS = 0.05


def stop_generating(app) -> None:
    """Disconnect sphinx-gallery's generation: the leading build does it."""
    for listener in list(app.events.listeners["builder-inited"]):
        if listener.handler is gen_gallery.generate_gallery_rst:
            app.disconnect(listener.id)


def await_gallery(app) -> None:
    ready = Path(os.environ[AWAIT])
    parent = os.getppid()
    while not ready.exists():
        if os.getppid() != parent:
            raise ExtensionError(f"follow_gallery: the build that runs the examples has gone; "
                                 f"{ready} never appeared")
        time.sleep(POLL_SECONDS)


def announce_gallery(app) -> None:
    Path(os.environ[ANNOUNCE]).write_text("the gallery in docs/ is complete\n", encoding="utf-8")


def setup(app):
    app.setup_extension("sphinx_gallery.gen_gallery")
    if os.environ.get(AWAIT):
        stop_generating(app)
        # After pwe_sphinx.chinese_search loads jieba, before anything reads the gallery.
        app.connect("builder-inited", await_gallery, priority=200)
    elif os.environ.get(ANNOUNCE):
        # After sphinx-gallery (500) and everything that touches its output (900).
        app.connect("builder-inited", announce_gallery, priority=990)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
