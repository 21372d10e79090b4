"""Give the notebooks the closed "Going deeper" blocks that the pages have.

sphinx-gallery turns each text cell of an example into Markdown with its own
small converter (``sphinx_gallery.notebook.rst2md``), which knows ``note``
and ``warning`` but no directive of this site. A ``going-deeper`` block
(``pwe_sphinx.directives.going_deeper``) would reach the notebook as a line
``.. going-deeper::`` over an indented body whose formulas are left as rst.
The converter is therefore wrapped: each block becomes a closed
``<details>`` with the label in the build's language, its body unindented so
that the converter then turns its formulas and links into Markdown as it
does everywhere else.

sphinx-gallery has no hook for this, so the wrapper replaces the converter
in its module, where the notebook writer looks it up. ``install()`` is
idempotent; the build calls it at setup, and each worker process that
writes example pages (``pwe_sphinx.gallery.workers``) calls it too, because
a fresh process has the original converter.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

from pwe_sphinx.core.gallery_seam import wrap_rst2md
from pwe_sphinx.core.labels import going_deeper_label

# The directive line, then its blank-line-separated body indented by at least one space.
BLOCK = re.compile(r"^\.\. going-deeper::[ \t]*\n((?:[ \t]*\n|[ \t]+\S.*\n?)*)", re.MULTILINE)


def details_markdown(rst: str) -> str:
    """``rst`` with each going-deeper block as a ``<details>`` around its unindented body (still rst)."""

    def fold(match: re.Match[str]) -> str:
        body = textwrap.dedent(match.group(1)).strip("\n")
        return f"<details><summary>{going_deeper_label()}</summary>\n\n{body}\n\n</details>\n"

    return BLOCK.sub(fold, rst)


def install() -> None:
    """Wrap sphinx-gallery's rst-to-Markdown converter, once per process."""
    def fold_going_deeper(original: Callable[..., str]) -> Callable[..., str]:
        def rst2md(text: str, *args: Any, **kwargs: Any) -> str:
            return original(details_markdown(text), *args, **kwargs)
        return rst2md

    wrap_rst2md(fold_going_deeper)


def setup(app: Sphinx) -> ExtensionMetadata:
    install()
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
