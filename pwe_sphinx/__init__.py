"""Sphinx extensions of the "Learning PyTorch with Examples" site.

One module per concern, each with its own ``setup()``; conf.py lists the
extensions it uses. The subpackages are layers, top to bottom::

    tools > html > i18n > directives > gallery > core

A module imports only from its own subpackage or from a layer below it,
lazy imports inside functions included, so no import cycle can form
between subpackages; the ``[tool.importlinter]`` contract in pyproject.toml
(``tests/test_architecture.py``) enforces it, and that only the core's seam
imports sphinx-gallery.

``core``
    what several layers share, beneath them all: the extension's labels
    (``_``), language policy (is this build translated, where catalogues
    live, how they are read), the names of what the build writes, reading a
    script's title, intro and cells, the glossary file, reproducible zips,
    the English a translated node keeps.
``gallery``
    running the examples and the other programs the pages show: their order,
    time limit and figures, their worker processes and fixed thread count,
    running one shard of them or none (a build from shards), the Chinese
    build's wait for the English one's gallery.
``directives``
    what the pages write: ``includenodoc``, ``galleryitem``, ``exercises``,
    ``questions``, ``executed``, ``glossary-table``, and what they share (a
    base for a file argument, a table builder).
``i18n``
    the second language: the catalogue check, the translation-status page,
    the figures' words, translated downloads, Chinese search, the language
    switch, 中英对照 (the English originals beneath the translation).
``html``
    the pages as written and what publishing them needs: valid and
    accessible markup, furo's frame, MathML, page metadata, the PyTorch
    inventory, reproducible zips, 404 pages, the sitemap, search ranking.
``tools``
    programs rather than extensions: ``sitebuild`` drives the two-language
    build of ``nox -s docs``, ``serve`` the preview of ``nox -s serve``,
    ``inputs`` says what they read, and ``shards`` splits the examples over
    machines and merges what they produced.
"""
