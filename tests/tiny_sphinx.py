"""Build a throwaway Sphinx project in this process, as sphinx-gallery's own tests do.

The fast tier's tests write a small project (a conf.py and a page or two)
and build it here, in seconds, without torch or the examples.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace


class Collect:
    """A stream that keeps what Sphinx writes to it."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass


def build_html(project: Path, outdir: Path | None = None, parallel: int = 1, **overrides) -> str:
    """Build ``project``'s HTML into ``outdir`` (default ``_build/html``) from a fresh environment;
    the warnings. ``overrides`` are configuration values, as ``-D`` gives them."""
    outdir = outdir or project / "_build" / "html"
    warnings = Collect()
    # Sphinx registers its directives and roles in docutils' process-wide
    # tables; docutils_namespace() puts them back afterwards, as sphinx-build does.
    with docutils_namespace():
        app = Sphinx(str(project), str(project), str(outdir), str(outdir.parent / f"doctrees-{outdir.name}"),
                     "html", confoverrides=overrides, status=None, warning=warnings, freshenv=True,
                     parallel=parallel)
        app.build()
    return "".join(warnings.parts)
