"""Mend the invalid or inaccessible HTML that the theme and sphinx-gallery write.

The Nu Html Checker and axe-core report these faults in their output. Each is
fixed as early as this package can reach it: in the doctree, in the template
context, or, for markup that furo's templates hard-code, in the written page
(see ``page_rewrites``).

* sphinx-gallery's thumbnails carry a ``tooltip`` attribute, which HTML does
  not have (its CSS shows the attribute on hover). The tooltip repeats the
  example's introduction, and on the Chinese site it would do so in English,
  since raw HTML is not translated; it is removed.
* furo's navigation tree gives each expand/collapse checkbox
  ``role="switch"``, which requires ``aria-checked``, a state that would
  then have to be kept in step by script. A plain checkbox already exposes
  its checked state to assistive technology, so the role is removed.
* Toctree captions (in the sidebar and on pages) have ``role="heading"``
  without the ``aria-level`` that role requires; they are level-2 headings.
* furo's two ``<aside>`` drawers are landmarks without names, which screen
  readers cannot tell apart; they are named.
* Code blocks scroll sideways when their lines are long, and so, on a phone,
  do furo's wrappers around tables and display formulas. A region that
  scrolls must be reachable with the keyboard: each ``<pre>`` of highlighted
  code and each table or formula wrapper gets ``tabindex="0"``.
"""

from __future__ import annotations

import re
from html import escape

from docutils import nodes
from sphinx.transforms import SphinxTransform

from pwe_sphinx.html.page_rewrites import register_rewrite
from pwe_sphinx.i18n.labels import _

TOOLTIP = re.compile(r'\s+tooltip="[^"]*"')
SWITCH_ROLE = re.compile(r'\s+role="switch"')
CAPTION = '<p class="caption" role="heading">'
SCROLLING_WRAPPER = re.compile(r'<div class="(?:table|math)-wrapper[^"]*"(?= *>)')


class DropGalleryTooltips(SphinxTransform):
    """Remove the ``tooltip`` attribute from sphinx-gallery's raw thumbnail HTML."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        for raw in self.document.findall(nodes.raw):
            if "html" in raw.get("format", "").split() and "tooltip=" in raw.astext():
                text = TOOLTIP.sub("", raw.astext())
                raw.replace_self(nodes.raw(text, text, format=raw["format"]))


def mend_navigation_tree(app, pagename, templatename, context, doctree) -> None:
    tree = context.get("furo_navigation_tree")
    if tree:
        context["furo_navigation_tree"] = SWITCH_ROLE.sub("", tree)


def mend_written_page(app, pagename: str, html: str) -> str:
    html = html.replace('<aside class="sidebar-drawer">',
                        f'<aside class="sidebar-drawer" aria-label="{escape(str(_("Site navigation")))}">')
    html = html.replace('<aside class="toc-drawer',
                        f'<aside aria-label="{escape(str(_("Contents of this page")))}" class="toc-drawer')
    html = html.replace(CAPTION, '<p class="caption" role="heading" aria-level="2">')
    html = SCROLLING_WRAPPER.sub(r'\g<0> tabindex="0"', html)
    return html.replace('<div class="highlight"><pre>', '<div class="highlight"><pre tabindex="0">')


def setup(app):
    app.add_transform(DropGalleryTooltips)
    # After furo's own handler, which builds the navigation tree.
    app.connect("html-page-context", mend_navigation_tree, priority=900)
    register_rewrite(app, mend_written_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
