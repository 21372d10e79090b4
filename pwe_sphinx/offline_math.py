"""Serve MathJax from the built site instead of a CDN.

Sphinx loads MathJax from jsDelivr by default, which an offline reader never
reaches. The ``sphinx-mathjax-offline`` package on PyPI ships MathJax 3; this
module copies the one bundle the site uses (TeX input, CommonHTML output) and
its web fonts into ``_static/mathjax`` and points ``mathjax_path`` at it. Only
pages with maths load it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset

BUNDLE = "tex-chtml.js"
FONTS = Path("output", "chtml", "fonts", "woff-v2")


def mathjax_source() -> Path:
    """The MathJax folder inside the installed sphinx-mathjax-offline."""
    try:
        dist = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError as err:
        raise ExtensionError("offline_math: install sphinx-mathjax-offline (requirements/docs.txt)") from err
    folder = Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))
    if not (folder / BUNDLE).is_file():
        raise ExtensionError(f"offline_math: {folder / BUNDLE} is missing from sphinx-mathjax-offline")
    return folder


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir, "_static", "mathjax")
    copy_asset(source / BUNDLE, target)
    copy_asset(source / FONTS, target / FONTS)


def use_local_mathjax(app, config) -> None:
    config.mathjax_path = f"mathjax/{BUNDLE}"


def setup(app):
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
