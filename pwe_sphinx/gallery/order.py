"""Order each gallery as the tutorial pages teach its examples.

sphinx-gallery sorts a gallery's examples by their number of code lines
unless told otherwise, which puts "optim" before "nn". The lessons have an
order, and the tutorial pages are where it is written down: conf.py's
``pwe_teaching_pages``, in the order a reader meets them (the main page,
then "More lessons"). Examples appear in a gallery in the order those pages
first name them in ``includenodoc`` or ``galleryitem`` lines, and any
example no page names comes after them, by file name.

This extension hands sphinx-gallery a :class:`TeachingOrder` as its
``within_subsection_order`` before sphinx-gallery reads its configuration.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.typing import ExtensionMetadata

NAMED_EXAMPLE = re.compile(r"^\.\. (?:includenodoc|galleryitem):: .*/([^/]+\.py)\s*$", re.MULTILINE)


def taught_order(pages: list[Path]) -> list[str]:
    """Example file names in the order the teaching pages first name them."""
    names = []
    for page in pages:
        names += NAMED_EXAMPLE.findall(page.read_text(encoding="utf-8"))
    return list(dict.fromkeys(names))


class TeachingOrder:
    """sphinx-gallery's sort key: an example's place in the teaching order, then its name."""

    def __init__(self, pages: list[Path]) -> None:
        self.taught = taught_order(pages)

    def __repr__(self) -> str:  # sphinx-gallery and Sphinx compare configurations by repr
        return f"<{type(self).__name__} {self.taught}>"

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        position = self.taught.index(name) if name in self.taught else len(self.taught)
        return position, name


def use_teaching_order(app: Sphinx, config: Config) -> None:
    pages = [Path(app.srcdir, page) for page in config.pwe_teaching_pages]
    missing = [str(page) for page in pages if not page.is_file()]
    if missing:
        raise ConfigError(f"gallery.order: pwe_teaching_pages names pages that do not exist: "
                          f"{', '.join(missing)} (conf.py)")
    config.sphinx_gallery_conf["within_subsection_order"] = TeachingOrder(pages)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_config_value("pwe_teaching_pages", [], "env", types=frozenset({list, tuple}))
    # Before sphinx-gallery fills in and checks its configuration (config-inited, priority 10).
    app.connect("config-inited", use_teaching_order, priority=5)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
