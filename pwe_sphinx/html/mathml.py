"""Render maths as MathML when the site is built: no script, nothing to download.

Sphinx's default, MathJax, typesets formulas in the browser with a script of
more than a megabyte, which made the main page eight times heavier than any
other. Browsers now lay out MathML themselves (Chromium since version 109,
Firefox and Safari long before), and screen readers read it. This module
converts each ``:math:`` role and ``.. math::`` block from LaTeX to MathML
with ``latex2mathml`` while the page is written, so the page carries its
formulas as markup.

A formula that ``latex2mathml`` cannot convert is a build warning (an error
under ``-W``) naming the file, the line and the LaTeX, never a silently
missing formula.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)


def to_mathml(node: nodes.math | nodes.math_block, display: str) -> str | None:
    latex = node.astext()
    try:
        return convert(latex, display=display)
    except Exception as err:  # latex2mathml raises many kinds, all meaning "cannot convert"
        logger.warning("mathml: cannot convert %r to MathML: %s", latex, err, location=node)
        return None


def visit_math(translator: HTML5Translator, node: nodes.math) -> None:
    mathml = to_mathml(node, "inline")
    if mathml is not None:
        translator.body.append(mathml)
    raise nodes.SkipNode


def visit_displaymath(translator: HTML5Translator, node: nodes.math_block) -> None:
    mathml = to_mathml(node, "block")
    if mathml is not None:
        translator.body.append(translator.starttag(node, "div", CLASS="math-block"))
        if node.get("number"):
            translator.body.append(f'<span class="eqno">({node["number"]})</span>')
        translator.body.append(mathml + "</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
