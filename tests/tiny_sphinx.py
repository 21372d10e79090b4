"""Build a throwaway Sphinx project in this process, as sphinx-gallery's own tests do.

The fast tier's tests write a small project (a conf.py and a page or two)
and build it here, in seconds, without torch or the examples.
"""

from __future__ import annotations

from pathlib import Path

import sphinx.locale
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


def write(path: Path, text: str) -> Path:
    """Write one file of a tiny project, making its folders; its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build(project: Path, builder: str = "html", outdir: Path | None = None, parallel: int = 1, *,
          fresh: bool = True, **overrides) -> str:
    """Build ``project`` with ``builder`` into ``outdir`` (default ``_build/<builder>``) from a fresh
    environment, or from the saved one unless ``fresh``; the warnings. ``overrides`` are
    configuration values, as ``-D`` gives them."""
    outdir = outdir or project / "_build" / builder
    warnings = Collect()
    # Sphinx registers its directives and roles in docutils' process-wide
    # tables; docutils_namespace() puts them back afterwards, as sphinx-build does.
    # Its translators are process-wide too: a Chinese build's would otherwise
    # speak in the next English one (each language builds in its own process).
    try:
        with docutils_namespace():
            app = Sphinx(str(project), str(project), str(outdir), str(outdir.parent / f"doctrees-{outdir.name}"),
                         builder, confoverrides=overrides, status=None, warning=warnings, freshenv=fresh,
                         parallel=parallel)
            app.build()
    finally:
        sphinx.locale.translators.clear()
    return "".join(warnings.parts)


def build_html(project: Path, outdir: Path | None = None, parallel: int = 1, *, fresh: bool = True,
               **overrides) -> str:
    """The HTML build of :func:`build`."""
    return build(project, "html", outdir or project / "_build" / "html", parallel, fresh=fresh, **overrides)
