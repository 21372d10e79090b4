"""Link every page to the same page in the site's other languages.

Each language is built into its own folder under build/html (en/, zh_CN/),
with the same page names, so the counterpart of ``<lang>/<page>.html`` is
``<other>/<page>.html``. The links are relative, so they work over HTTP and
from disk alike.

Adds to the template context ``pwe_languages`` (a list of dicts: code,
name, tag, url, current) for ``sidebar/language-switch.html``, and puts a
``<link rel="alternate" hreflang>`` for each language into ``<head>``.
"""

from __future__ import annotations

from html import escape

from pwe_sphinx.translations import _

# BCP 47 tags for the hreflang and lang attributes.
LANGUAGE_TAGS = {"en": "en", "zh_CN": "zh-CN"}


def language_links(pagename: str, current: str, languages: dict[str, str]) -> list[dict]:
    """The same page in each language, as URLs relative to ``pagename``."""
    to_site_root = "../" * (pagename.count("/") + 1)
    return [
        {
            "code": code,
            "name": name,
            "tag": LANGUAGE_TAGS.get(code, code.replace("_", "-")),
            "url": f"{to_site_root}{code}/{pagename}.html",
            "current": code == current,
        }
        for code, name in languages.items()
    ]


def add_language_links(app, pagename, templatename, context, doctree) -> None:
    links = language_links(pagename, app.config.language, app.config.pwe_languages)
    context["pwe_languages"] = links
    context["pwe_language_label"] = str(_("Language"))
    alternates = "".join(
        f'\n<link rel="alternate" hreflang="{link["tag"]}" href="{escape(link["url"])}">' for link in links
    )
    context["metatags"] = context.get("metatags", "") + alternates


def setup(app):
    app.setup_extension("pwe_sphinx.translations")
    app.add_config_value("pwe_languages", {"en": "English"}, "html", types=frozenset({dict}))
    app.connect("html-page-context", add_language_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
