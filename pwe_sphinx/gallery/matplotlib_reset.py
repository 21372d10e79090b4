"""Reset matplotlib between gallery examples without losing the CJK font.

sphinx-gallery's own reset calls ``plt.rcdefaults()``, which also drops any
font setting made in conf.py. This reset restores the defaults and then makes
Noto Sans CJK SC (Debian's ``fonts-noto-cjk``) the fallback family after the
default sans-serif font, so Latin text keeps its usual look and Chinese text
in a figure finds its glyphs. (matplotlib falls back along ``font.family``,
not along the fonts listed under a generic family such as ``sans-serif``.)
conf.py names it in ``sphinx_gallery_conf["reset_modules"]``.
"""

from __future__ import annotations

CJK_FONT = "Noto Sans CJK SC"


def reset_matplotlib(gallery_conf, fname) -> None:
    import matplotlib.pyplot as plt

    plt.rcdefaults()
    plt.rcParams["font.family"] = [*plt.rcParams["font.family"], CJK_FONT]
