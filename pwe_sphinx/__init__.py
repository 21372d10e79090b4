"""Sphinx extensions of the "Learning PyTorch with Examples" site.

One module per concern, each with its own ``setup()``; ``conf.py`` lists the
ones it uses. ``sitebuild`` is not an extension: it drives the two-language
build that ``nox -s docs`` runs.
"""
