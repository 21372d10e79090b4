"""The ``going-deeper`` directive: a derivation folded away until the reader asks for it.

A lesson shows code, its printed output and its figures; the reasoning that
explains a number (an eigenvalue, a stability limit, the lag of gradient
descent, a Taylor expansion) is worth reading once, not every time. In an
example script it goes in a text cell, indented under the directive::

    # %%
    # Why a learning rate of 1e-6?
    # ----------------------------
    #
    # One sentence a reader in a hurry needs.
    #
    # .. going-deeper::
    #
    #    The derivation, with its formulas:
    #
    #    .. math::
    #
    #       \\lambda_{\\max} = ...

The page shows the content in a ``<details>`` element, closed, whose
``<summary>`` is the label "Going deeper" in the page's language
(``pwe_sphinx.core.labels``). The content is ordinary rst of the page, so
its paragraphs are messages of the page's catalogue like any other. Code
cells stay outside the block: a reader who skips every derivation still
follows the code, the output and the figures.

The downloaded script keeps the directive as written, which reads as an
indented aside. The notebook gets the same closed ``<details>``
(``pwe_sphinx.gallery.notebook_details``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from pwe_sphinx.core.labels import going_deeper_label

if TYPE_CHECKING:
    from docutils.nodes import NodeVisitor
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator

CLASS = "pwe-going-deeper"


class going_deeper(nodes.General, nodes.Element):
    """A ``<details>`` element, closed, whose ``<summary>`` is the node's ``summary`` attribute."""


def visit_going_deeper_html(translator: HTML5Translator, node: going_deeper) -> None:
    translator.body.append(f'<details class="{CLASS}"><summary>{translator.encode(node["summary"])}</summary>\n')


def depart_going_deeper_html(translator: HTML5Translator, node: going_deeper) -> None:
    translator.body.append("</details>\n")


def pass_through(translator: NodeVisitor, node: going_deeper) -> None:
    """Writers without a folded block show the content as it is."""


class GoingDeeper(SphinxDirective):
    """Fold the derivation in the directive's content into a closed ``<details>``."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        if not "\n".join(self.content).strip():
            raise self.error("going-deeper: the block is empty; indent the derivation under the directive")
        block = going_deeper(summary=going_deeper_label(), classes=[CLASS])
        self.set_source_info(block)
        self.state.nested_parse(self.content, self.content_offset, block)
        return [block]


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.add_node(
        going_deeper,
        html=(visit_going_deeper_html, depart_going_deeper_html),
        latex=(pass_through, pass_through),
        text=(pass_through, pass_through),
        man=(pass_through, pass_through),
        texinfo=(pass_through, pass_through),
    )
    app.add_directive("going-deeper", GoingDeeper)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
