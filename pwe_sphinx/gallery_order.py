"""Order each gallery as the main page teaches its examples.

sphinx-gallery sorts a gallery's examples by their number of code lines
unless told otherwise, which puts "optim" before "nn". The lessons have an
order, and the main page (``docs/beginner/pytorch_with_examples.rst``) is
where it is written down: examples appear in the gallery in the order of the
main page's ``includenodoc`` lines, and any example the main page does not
show comes after them, by file name.

conf.py names this class as ``sphinx_gallery_conf["within_subsection_order"]``;
sphinx-gallery creates it with the gallery's source folder.
"""

from __future__ import annotations

import re
from pathlib import Path

MAIN_PAGE = Path("docs", "beginner", "pytorch_with_examples.rst")
INCLUDE = re.compile(r"^\.\. includenodoc:: .*/([^/]+\.py)\s*$", re.MULTILINE)


class MainPageOrder:
    def __init__(self, src_dir) -> None:
        self.src_dir = Path(src_dir)
        main_page = self.src_dir.parent / MAIN_PAGE
        self.taught = INCLUDE.findall(main_page.read_text(encoding="utf-8")) if main_page.is_file() else []

    def __repr__(self) -> str:  # sphinx-gallery compares configurations by repr
        return f"<{type(self).__name__}>"

    def __call__(self, filename) -> tuple[int, str]:
        name = Path(filename).name
        position = self.taught.index(name) if name in self.taught else len(self.taught)
        return position, name
