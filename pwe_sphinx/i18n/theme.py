"""Translate the parts of the page frame that templates cannot.

Most of furo's frame goes through the template ``_()`` and is translated by
``docs/locale/<lang>/LC_MESSAGES/sphinx.po``. Two things are left:

* the site title and copyright line come from conf.py, which is read before
  the language is known; they are looked up in that same catalogue once the
  builder exists;
* a few accessible names are written in English: furo's navigation code
  names each expand/collapse checkbox "Toggle navigation of ..." (translated
  in the template context), and its templates hold some ``aria-label`` and
  SVG ``<title>`` texts (replaced in the pages this build wrote). Both get
  labels from this package's catalogue, so that a Chinese screen-reader user
  does not hear English.
"""

from __future__ import annotations

import re
from html import escape

from sphinx.locale import _ as site_text

from pwe_sphinx.html.page_rewrites import register_rewrite
from pwe_sphinx.i18n.labels import _

TRANSLATED_SETTINGS = ("html_title", "copyright")


def fixed_labels() -> dict[str, str]:
    """furo's hard-coded accessible names (aria-label, SVG <title>), translated."""
    english = [
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
    ]
    return {label: str(_(label)) for label in english}


NAVIGATION_TOGGLE = re.compile(r'aria-label="Toggle navigation of ([^"]*)"')


def translate_navigation_labels(app, pagename, templatename, context, doctree) -> None:
    """Translate the accessible names that furo's navigation code writes."""
    tree = context.get("furo_navigation_tree")
    if tree and app.config.language != "en":
        toggle = str(_("Toggle navigation of {title}"))
        context["furo_navigation_tree"] = NAVIGATION_TOGGLE.sub(
            lambda m: f'aria-label="{toggle.format(title=m.group(1))}"', tree)


def translate_settings(app) -> None:
    for name in TRANSLATED_SETTINGS:
        setattr(app.config, name, str(site_text(getattr(app.config, name))))


def translate_labels(app, pagename: str, html: str) -> str:
    if app.config.language == "en":
        return html
    for english, translated in fixed_labels().items():
        html = html.replace(f'aria-label="{english}"', f'aria-label="{escape(translated)}"')
        html = html.replace(f"<title>{english}</title>", f"<title>{escape(translated)}</title>")
    return html


def setup(app):
    app.setup_extension("pwe_sphinx.i18n.labels")
    app.connect("builder-inited", translate_settings)
    # After furo's own handler, which builds the navigation tree.
    app.connect("html-page-context", translate_navigation_labels, priority=900)
    register_rewrite(app, translate_labels)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
