"""furo's page frame, named for screen readers and translated.

Most of furo's frame goes through the template ``_()`` and is translated by
``docs/locale/<lang>/LC_MESSAGES/sphinx.po``. What is left is mended here,
each where it is made, in the order of the lists below:

* The site title and copyright line come from conf.py, which is read before
  the language is known; they are looked up in that same catalogue once the
  builder exists.
* furo's navigation code (Python, run in ``html-page-context``) gives each
  expand/collapse checkbox ``role="switch"``, which requires an
  ``aria-checked`` state that would then have to be kept in step by script;
  a plain checkbox already exposes its state, so the role goes. It names each
  checkbox "Toggle navigation of ...", in English. Both are mended in the
  template context, after furo's handler (``NAVIGATION_MENDS``).
* furo's ``page.html`` hard-codes its two ``<aside>`` drawers without names
  (landmarks that screen readers cannot tell apart), and some ``aria-label``
  and SVG ``<title>`` texts in English, outside any block a template could
  override. ``docs/_templates/page.html`` extends furo's and passes furo's
  rendered ``body`` block through :func:`mend_frame` (``FRAME_MENDS``), so
  the page is written once, already mended, by whichever process renders it.
  The labels come from this package's catalogue, so that a Chinese
  screen-reader user does not hear English. The footer's credit joins
  furo's author and furo with an English possessive outside any ``_()``
  ("@pradyunsg's Furo"); it becomes the label "{author}'s" there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from html import escape
from typing import TYPE_CHECKING

from sphinx.locale import _ as site_text

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.labels import _

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

TRANSLATED_SETTINGS = ("html_title", "copyright")

# furo's hard-coded accessible names (aria-label, SVG <title>), in English.
FIXED_LABELS = (
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "Contents",
    "Menu",
    "Expand",
    "Light mode",
    "Dark mode",
    "Auto light/dark, in light mode",
    "Auto light/dark, in dark mode",
)
SWITCH_ROLE = re.compile(r'\s+role="switch"')
NAVIGATION_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')
FURO_AUTHOR_POSSESSIVE = re.compile(r"(<a class=\"muted-link\" href=\"https://pradyunsg.me\">@pradyunsg</a>)'s")


def translate_settings(app: Sphinx) -> None:
    for name in TRANSLATED_SETTINGS:
        setattr(app.config, name, str(site_text(getattr(app.config, name))))


def drop_switch_roles(tree: str, language: str) -> str:
    return SWITCH_ROLE.sub("", tree)


def translate_navigation_toggles(tree: str, language: str) -> str:
    if language == "en":
        return tree
    toggle = str(_("Toggle navigation of {title}"))
    return NAVIGATION_TOGGLE.sub(lambda m: f'aria-label="{escape(toggle.format(title=m.group(1)))}"', tree)


def name_drawers(html: str, language: str) -> str:
    html = html.replace('<aside class="sidebar-drawer">',
                        f'<aside class="sidebar-drawer" aria-label="{escape(str(_("Site navigation")))}">')
    return html.replace('<aside class="toc-drawer',
                        f'<aside aria-label="{escape(str(_("Contents of this page")))}" class="toc-drawer')


def translate_fixed_labels(html: str, language: str) -> str:
    if language == "en":
        return html
    for english in FIXED_LABELS:
        translated = escape(str(_(english)))
        html = html.replace(f'aria-label="{english}"', f'aria-label="{translated}"')
        html = html.replace(f"<title>{english}</title>", f"<title>{translated}</title>")
    return html


def translate_credit(html: str, language: str) -> str:
    if language == "en":
        return html
    return FURO_AUTHOR_POSSESSIVE.sub(lambda match: str(_("{author}'s")).format(author=match.group(1)), html)


# Each mend takes markup and the page's language and returns the markup mended.
Mend = Callable[[str, str], str]
NAVIGATION_MENDS = (drop_switch_roles, translate_navigation_toggles)
FRAME_MENDS = (name_drawers, translate_fixed_labels, translate_credit)


def apply(mends: Iterable[Mend], markup: str, language: str) -> str:
    for mend in mends:
        markup = mend(markup, language)
    return markup


def mend_frame(language: str, rendered: str) -> str:
    """furo's rendered ``body`` block, mended (called by docs/_templates/page.html)."""
    return apply(FRAME_MENDS, str(rendered), language)


def mend_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    if context.get("furo_navigation_tree"):
        context["furo_navigation_tree"] = apply(NAVIGATION_MENDS, context["furo_navigation_tree"],
                                                app.config.language)
    context["pwe_mend_frame"] = partial(mend_frame, app.config.language)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    add_step(app, "translate_settings", translate_settings)
    # After furo's own handler (priority 500), which builds the navigation tree.
    app.connect("html-page-context", mend_navigation, priority=900)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
