"""Sphinx extensions of the "Learning PyTorch with Examples" site.

One module per concern, each with its own ``setup()``; ``conf.py`` lists the
ones it uses. Three modules are tools rather than extensions: ``sitebuild``
drives the two-language build that ``nox -s docs`` runs, ``serve`` the live
preview of ``nox -s serve``, and ``catalogues`` checks and tidies the
translation catalogues (``nox -s i18n``, the tests).
"""
