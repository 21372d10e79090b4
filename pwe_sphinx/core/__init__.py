"""What every extension of the site shares, and nothing above it.

The bottom layer of ``pwe_sphinx``: it imports no other subpackage. The
extensions (``gallery``, ``directives``, ``i18n``, ``html``) import it, and
the programs in ``tools`` sit above them all. A helper that two layers need
lives here rather than in the first module that needed it, so that neither
layer imports the other.
"""
