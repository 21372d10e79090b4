"""Link every page to the same page in the site's other languages.

Each language is built into its own folder under build/html (en/, zh_CN/),
with the same page names, so the counterpart of ``<lang>/<page>.html`` is
``<other>/<page>.html``. The links a reader follows are relative, so they
work over HTTP and from disk alike.

Adds to the template context ``pwe_languages`` (a list of dicts: code,
name, tag, url, current) for ``sidebar/language-switch.html``. For search
engines, which want absolute addresses, it puts into ``<head>`` a
``<link rel="alternate" hreflang>`` for each language and an ``x-default``
one for the language chooser at the site's root, all under
``pwe_site_url``, and makes that address plus the language the
``html_baseurl`` that Sphinx builds each page's canonical link from.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError

from pwe_sphinx.core.labels import _
from pwe_sphinx.core.language import language_url

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


def language_links(pagename: str, current: str, languages: dict[str, str],
                   tags: dict[str, str]) -> list[dict[str, str | bool]]:
    """The same page in each language, as URLs relative to ``pagename``."""
    to_site_root = "../" * (pagename.count("/") + 1)
    return [
        {
            "code": code,
            "name": name,
            "tag": tags[code],
            "url": f"{to_site_root}{code}/{pagename}.html",
            "current": code == current,
        }
        for code, name in languages.items()
    ]


def alternate_links(pagename: str, site_url: str, tags: dict[str, str]) -> str:
    """``<link rel="alternate" hreflang>`` tags with absolute addresses, the chooser as x-default."""
    targets = [(tag, f"{site_url}{code}/{pagename}.html") for code, tag in tags.items()]
    targets.append(("x-default", site_url))
    return "".join(f'\n<link rel="alternate" hreflang="{tag}" href="{escape(url)}">' for tag, url in targets)


def add_language_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                       doctree: nodes.document | None) -> None:
    config = app.config
    context["pwe_languages"] = language_links(pagename, config.language, config.pwe_languages,
                                              config.pwe_language_tags)
    context["pwe_language_label"] = str(_("Language"))
    alternates = alternate_links(pagename, config.pwe_site_url, config.pwe_language_tags)
    context["metatags"] = context.get("metatags", "") + alternates


def check_site_url(app: Sphinx, config: Config) -> None:
    if not config.pwe_site_url.startswith(("http://", "https://")) or not config.pwe_site_url.endswith("/"):
        raise ConfigError(f"language_switch: pwe_site_url must be an absolute http(s) address ending in /, "
                          f"not {config.pwe_site_url!r} (conf.py, or the PWE_SITE_URL environment variable)")
    if set(config.pwe_language_tags) != set(config.pwe_languages):
        raise ConfigError(f"language_switch: pwe_language_tags must give a tag for each language of "
                          f"pwe_languages and no other: {sorted(config.pwe_languages)} (conf.py)")
    if not config.html_baseurl:
        config.html_baseurl = language_url(config)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.core.labels")
    app.setup_extension("pwe_sphinx.i18n.catalogues")  # no translation that must not be published
    app.add_config_value("pwe_languages", {"en": "English"}, "html", types=frozenset({dict}))
    app.add_config_value("pwe_language_tags", {"en": "en"}, "html", types=frozenset({dict}))
    app.add_config_value("pwe_site_url", "http://127.0.0.1:8000/", "html", types=frozenset({str}))
    app.connect("config-inited", check_site_url)
    app.connect("html-page-context", add_language_links)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
