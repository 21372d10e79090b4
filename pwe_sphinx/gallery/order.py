"""Order each gallery as the tutorial pages teach its examples.

sphinx-gallery sorts a gallery's examples by their number of code lines
unless told otherwise, which puts "optim" before "nn". The lessons have an
order, and the tutorial pages are where it is written down: first the main
page (``docs/beginner/pytorch_with_examples.rst``), then "More lessons"
(``docs/beginner/more_lessons.rst``). Examples appear in a gallery in the
order those pages first name them in ``includenodoc`` or ``galleryitem``
lines, and any example neither page names comes after them, by file name.

conf.py names this class as ``sphinx_gallery_conf["within_subsection_order"]``;
sphinx-gallery creates it with the gallery's source folder.
"""

from __future__ import annotations

import re
from pathlib import Path

TEACHING_PAGES = (Path("docs", "beginner", "pytorch_with_examples.rst"), Path("docs", "beginner", "more_lessons.rst"))
NAMED_EXAMPLE = re.compile(r"^\.\. (?:includenodoc|galleryitem):: .*/([^/]+\.py)\s*$", re.MULTILINE)


def taught_order(project: Path) -> list[str]:
    """Example file names in the order the teaching pages first name them."""
    names = []
    for page in TEACHING_PAGES:
        if (project / page).is_file():
            names += NAMED_EXAMPLE.findall((project / page).read_text(encoding="utf-8"))
    return list(dict.fromkeys(names))


class TeachingOrder:
    def __init__(self, src_dir) -> None:
        self.src_dir = Path(src_dir)
        self.taught = taught_order(self.src_dir.parent)

    def __repr__(self) -> str:  # sphinx-gallery compares configurations by repr
        return f"<{type(self).__name__}>"

    def __call__(self, filename) -> tuple[int, str]:
        name = Path(filename).name
        position = self.taught.index(name) if name in self.taught else len(self.taught)
        return position, name
