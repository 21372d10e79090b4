"""Translate the parts of the page frame that templates cannot.

Most of furo's frame goes through the template ``_()`` and is translated by
``docs/locale/<lang>/LC_MESSAGES/sphinx.po``. Three things are left:

* the site title and copyright line come from conf.py, which is read before
  the language is known; they are looked up in that same catalogue once the
  builder exists;
* a few accessible names (``aria-label``, SVG ``<title>``) are written into furo's templates
  and its navigation code in English. They are replaced in the pages this
  build wrote, with labels from this package's catalogue, so that a Chinese
  screen-reader user does not hear English.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from sphinx.locale import _ as site_text

from pwe_sphinx.translations import _

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


def translate_settings(app) -> None:
    for name in TRANSLATED_SETTINGS:
        setattr(app.config, name, str(site_text(getattr(app.config, name))))


def remember_page(app, pagename, templatename, context, doctree) -> None:
    app.env.pwe_written_pages = getattr(app.env, "pwe_written_pages", set()) | {pagename}


def translate_labels(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.config.language == "en":
        return
    labels = fixed_labels()
    toggle = str(_("Toggle navigation of {title}"))
    for pagename in getattr(app.env, "pwe_written_pages", ()):
        path = Path(app.outdir, f"{pagename}.html")
        html = path.read_text(encoding="utf-8")
        for english, translated in labels.items():
            html = html.replace(f'aria-label="{english}"', f'aria-label="{escape(translated)}"')
            html = html.replace(f"<title>{english}</title>", f"<title>{escape(translated)}</title>")
        html = NAVIGATION_TOGGLE.sub(lambda m: f'aria-label="{toggle.format(title=m.group(1))}"', html)
        path.write_text(html, encoding="utf-8")
    app.env.pwe_written_pages = set()


def setup(app):
    app.setup_extension("pwe_sphinx.translations")
    app.connect("builder-inited", translate_settings)
    app.connect("html-page-context", remember_page)
    app.connect("build-finished", translate_labels)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
