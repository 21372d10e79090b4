"""Edit the HTML files that this build wrote, once it has written them.

Some markup comes straight from the theme's templates, with no hook to change
it before it is written. Modules of this package that need to mend such
markup register a function ``rewrite(app, pagename, html) -> html`` here;
after a successful HTML build each page written by that build is passed
through the registered functions in turn, in the order they were
registered, and saved if one changed it.

Not safe for parallel writing: with ``-j N`` Sphinx writes pages in worker
processes, whose ``html-page-context`` events never reach the list of
written pages kept here, so their pages would stay unmended (a ``-j 2``
build differed from a ``-j 1`` one until this said so). Declaring it makes
Sphinx write serially; reading stays parallel. tests/test_reproducible.py
checks that ``-j 2`` gives the same site as ``-j 1``.
"""

from __future__ import annotations

from pathlib import Path


def register_rewrite(app, rewrite) -> None:
    app.setup_extension("pwe_sphinx.html.page_rewrites")
    app.pwe_page_rewrites.append(rewrite)


def remember_page(app, pagename, templatename, context, doctree) -> None:
    app.pwe_written_pages.add(pagename)


def rewrite_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for pagename in sorted(app.pwe_written_pages):
        path = Path(app.outdir, f"{pagename}.html")
        original = html = path.read_text(encoding="utf-8")
        for rewrite in app.pwe_page_rewrites:
            html = rewrite(app, pagename, html)
        if html != original:
            path.write_text(html, encoding="utf-8")
    app.pwe_written_pages.clear()


def setup(app):
    if not hasattr(app, "pwe_page_rewrites"):
        app.pwe_page_rewrites = []
        app.pwe_written_pages = set()
        app.connect("html-page-context", remember_page)
        app.connect("build-finished", rewrite_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": False}
