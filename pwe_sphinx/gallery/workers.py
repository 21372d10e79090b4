"""Run the examples in worker processes, but start no more workers than there are examples to run.

conf.py's ``pwe_example_workers`` (``PWE_EXAMPLE_WORKERS``, by default one
per core) is how many examples may run at once. This extension hands it to
sphinx-gallery as its ``parallel`` setting when the builder starts, not in
conf.py's ``sphinx_gallery_conf``: Sphinx writes a digest of the gallery's
configuration into every site (``.buildinfo``), and the site must not depend
on the machine's cores (a site merged from shards is the one-machine site).
``pwe_example_workers`` itself is registered as changing nothing written.

sphinx-gallery starts its pool for every gallery folder that has examples,
even when each one is up to date and none will run: on a rebuild after a page's text changed, or
after one example changed, starting workers (each importing
sphinx-gallery, and torch before its first example) would cost more than
the example. Before the gallery is generated, this extension counts the
examples whose checksum does not match their source, as sphinx-gallery
will, and lowers ``parallel`` to that count; with one or none to run, the
examples run in the build's own process, as in a serial build. The printed
numbers are the same either way (pwe_sphinx.gallery.threads).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging
from sphinx_gallery.utils import get_md5sum

logger = logging.getLogger(__name__)


def examples_to_run(gallery_conf) -> list[Path]:
    """The examples sphinx-gallery will run: those whose recorded checksum is not their source's.

    sphinx-gallery keeps a copy of each example beside its page, and the
    copy's checksum in ``<name>.py.md5``, taken in text mode.
    """
    stale = []
    src_dir = Path(gallery_conf["src_dir"])
    for examples, gallery in zip(gallery_conf["examples_dirs"], gallery_conf["gallery_dirs"]):
        for script in sorted((src_dir / examples).glob("*.py")):
            if re.search(gallery_conf["ignore_pattern"], script.name):
                continue
            checksum = src_dir / gallery / f"{script.name}.md5"
            if not checksum.is_file() or checksum.read_text() != get_md5sum(script, mode="t"):
                stale.append(script)
    return stale


def fit_workers(app) -> None:
    """Set sphinx-gallery's ``parallel`` to the workers allowed, at most the examples that will run
    (serial below two)."""
    gallery_conf = app.config.sphinx_gallery_conf
    count = len(examples_to_run(gallery_conf))
    workers = min(app.config.pwe_example_workers, count)
    gallery_conf["parallel"] = workers if workers > 1 else False
    logger.info(f"gallery.workers: {count} examples to run, "
                f"{workers if workers > 1 else 'no'} worker processes")


def setup(app):
    app.setup_extension("sphinx_gallery.gen_gallery")
    # Rebuild "": how many processes run the examples changes no page.
    app.add_config_value("pwe_example_workers", 1, "", types=frozenset({int}))
    # After sphinx-gallery completes its configuration (builder-inited, 10), before it runs examples (500).
    app.connect("builder-inited", fit_workers, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
