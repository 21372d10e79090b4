"""Reset matplotlib between gallery examples without losing the CJK font.

sphinx-gallery's own reset calls ``plt.rcdefaults()``, which also drops any
font setting made in conf.py. This reset restores the defaults and then puts
Noto Sans CJK SC (Debian's ``fonts-noto-cjk``) behind DejaVu Sans, so Latin
text keeps its usual look and Chinese text in a figure finds its glyphs.
conf.py names it in ``sphinx_gallery_conf["reset_modules"]``.
"""

from __future__ import annotations

CJK_FONT = "Noto Sans CJK SC"


def reset_matplotlib(gallery_conf, fname) -> None:
    import matplotlib.pyplot as plt

    plt.rcdefaults()
    use_cjk_fallback(plt.rcParams)


def use_cjk_fallback(rc_params) -> None:
    """Append the CJK font to the sans-serif list that the default family uses."""
    families = [name for name in rc_params["font.sans-serif"] if name != CJK_FONT]
    rc_params["font.sans-serif"] = [families[0], CJK_FONT, *families[1:]]


def cjk_font_installed() -> bool:
    from matplotlib import font_manager

    return any(font.name == CJK_FONT for font in font_manager.fontManager.ttflist)
