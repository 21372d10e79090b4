"""Sphinx extensions of the "Learning PyTorch with Examples" site.

One module per concern, each with its own ``setup()``; conf.py lists the
extensions it uses. The subpackages group them by what they work on:

``directives``
    what the pages write: ``includenodoc``, ``galleryitem``, ``exercises``,
    ``questions``, ``executed``, ``glossary-table``, ``translation-status``,
    and what they share (a base for a file argument, a table builder).
``gallery``
    running the examples and the other programs the pages show: their order,
    time limit and figures, their worker processes and fixed thread count,
    running one shard of them or none (a build from shards), the Chinese
    build's wait for the English one's gallery, and reading a script's
    title, intro and cells.
``i18n``
    the second language: the extension's own labels, the catalogue check,
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
