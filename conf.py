"""Sphinx configuration of "Learning PyTorch with Examples".

The sources are in docs/, the example scripts in examples_*/, and this file
sits at the top level, so builds pass ``-c .``: `nox -s docs` runs the English
build and then the Chinese one (``-D language=zh_CN``), each with its own
doctree folder. Paths below are relative to this file, except where Sphinx
reads them relative to docs/ (exclude_patterns, locale_dirs, the gallery).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "Learning PyTorch with Examples"
author = "The Learning PyTorch with Examples authors"
copyright = "2026, the Learning PyTorch with Examples authors"

language = "en"
root_doc = "index"
exclude_patterns = ["locale", "_root", "_executed"]

extensions = [
    # First: the fixed thread count, before anything starts a thread pool.
    "pwe_sphinx.gallery.threads",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    # Directives the pages use.
    "pwe_sphinx.directives.includenodoc",
    "pwe_sphinx.directives.going_deeper",
    "pwe_sphinx.directives.galleryitem",
    "pwe_sphinx.directives.pathcard",
    "pwe_sphinx.directives.exercises",
    "pwe_sphinx.directives.questions",
    "pwe_sphinx.directives.glossary",
    "pwe_sphinx.i18n.translation_status",
    # Running the examples.
    "pwe_sphinx.gallery.order",
    "pwe_sphinx.gallery.checks",
    "pwe_sphinx.gallery.follow",
    "pwe_sphinx.gallery.shard",
    "pwe_sphinx.gallery.workers",
    "pwe_sphinx.gallery.notebook_details",
    # The second language.
    "pwe_sphinx.i18n.gallery_messages",
    "pwe_sphinx.i18n.language_switch",
    "pwe_sphinx.i18n.chinese_search",
    "pwe_sphinx.i18n.downloads",
    "pwe_sphinx.i18n.figure_text",
    "pwe_sphinx.i18n.english_asides",
    "pwe_sphinx.i18n.bracket_spacing",
    "pwe_sphinx.i18n.glosses",
    "pwe_sphinx.i18n.bilingual",
    # The pages as written, and what publishing them needs.
    "pwe_sphinx.html.markup",
    "pwe_sphinx.html.inline_figures",
    "pwe_sphinx.html.theme_frame",
    "pwe_sphinx.html.mathml",
    "pwe_sphinx.html.search_ranking",
    "pwe_sphinx.html.page_metadata",
    "pwe_sphinx.html.torch_inventory",
    "pwe_sphinx.html.reproducible",
    "pwe_sphinx.html.not_found",
    "pwe_sphinx.html.offline_archive",
    # Loaded by the extensions above as they set up (listed here so this list names every
    # extension the build loads; a name already loaded is not set up twice, so the order stays theirs).
    "pwe_sphinx.core.build_plan",
    "pwe_sphinx.gallery.svg_figures",
    "pwe_sphinx.gallery.executed_scripts",
    "pwe_sphinx.directives.executed",
    "pwe_sphinx.directives.folder_listings",
    "pwe_sphinx.core.labels",
    "pwe_sphinx.i18n.catalogues",
    "sphinx.ext.intersphinx",
    "notfound.extension",
]

# Where the site is published: absolute links (canonical, hreflang, Open
# Graph) start here. The default is the preview address in the README.
pwe_site_url = os.environ.get("PWE_SITE_URL", "http://127.0.0.1:8000/")

# The languages of the site, each named in itself (for the language switch),
# and their BCP 47 tags (for hreflang). The first is the one whose build runs
# the examples.
pwe_languages = {"en": "English", "zh_CN": "简体中文"}
pwe_language_tags = {"en": "en", "zh_CN": "zh-CN"}

# Translation: per-document catalogues in docs/locale/zh_CN/LC_MESSAGES.
# Code blocks are messages too, so that their comments can be translated.
locale_dirs = ["locale"]
gettext_compact = False
gettext_additional_targets = ["literal-block"]

# PyTorch names in the examples' code link to PyTorch's documentation, through
# an inventory written from the installed torch (pwe_sphinx/html/torch_inventory.py).
pwe_torch_docs = "https://docs.pytorch.org/docs/stable/"

# Programs that pages show besides the gallery, run by the build like the
# examples (patterns relative to docs/): each lesson's exercises, whose
# solutions end its page (pwe_sphinx.directives.exercises), its questions, whose
# printed output is the answer (pwe_sphinx.directives.questions), and the
# installation page's check of the build's own torch.
pwe_exercises_dir = "../exercises"
pwe_questions_dir = "../questions"
pwe_executed_scripts = ["../exercises/*/*.py", "../questions/*/*.py", "install_check.py"]

# The pages that teach the examples, in the order a reader meets them: each
# gallery lists its examples in the order these pages first name them
# (pwe_sphinx.gallery.order).
pwe_teaching_pages = ["beginner/pytorch_with_examples.rst", "beginner/more_lessons.rst"]

# Every example ends with a plot; list here any that deliberately does not.
pwe_examples_without_figures = []

# Chinese search: jieba learns the glossary's terms and these words.
pwe_glossary = "glossary.tsv"
pwe_search_words = ["勒让德", "正弦", "三次多项式", "最小二乘"]

# English glosses: on each Chinese page the first mention of a glossary term
# is followed by its English (pwe_sphinx.i18n.glosses). These words contain a
# term without meaning it (底层 is "low-level", not a layer, and 隐藏层 is one word, "hidden layer"; 移动量 is a
# distance moved, not momentum): no gloss.
pwe_gloss_not_terms = ["底层", "顶层", "移动量", "两层", "隐藏层"]

# A copy button on every code block (sphinx-copybutton, whose script, styles
# and icons are bundled: nothing is fetched). Printed output is not code: the
# selector leaves out the highlighted blocks of printed output (sphinx-gallery's
# and pwe_sphinx.directives.executed's).
# Console prompts are stripped, and a session's output lines (those without a
# prompt) are not copied. The button's labels follow <html lang>, and
# sphinx-copybutton's own table has "zh-CN", which the Chinese pages declare.
copybutton_selector = "div[class*=highlight-]:not(.sphx-glr-script-out, .pwe-script-output) > div.highlight > pre"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_exclude = ".linenos"

html_theme = "furo"
html_title = "Learning PyTorch with Examples"
html_theme_options = {"top_of_page_buttons": []}  # no "view source" button
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]
html_css_files = ["pwe.css"]
html_favicon = "docs/_static/favicon.svg"
html_last_updated_fmt = None
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/language-switch.html",
        "sidebar/bilingual-switch.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}

# The examples and the executed scripts run side by side in this many worker
# processes, longest first, one torch thread each (pwe_sphinx.gallery.workers,
# pwe_sphinx.gallery.threads); 1 runs them one after another. It changes no
# page, so Sphinx does not count it as configuration the pages depend on.
pwe_example_workers = int(os.environ.get("PWE_EXAMPLE_WORKERS", os.cpu_count() or 1))
# Seconds an example or executed script may run before it fails the build by name.
pwe_example_time_limit = int(os.environ.get("PWE_EXAMPLE_TIME_LIMIT", 300))

sphinx_gallery_conf = {
    "examples_dirs": ["../examples_tensor", "../examples_autograd", "../examples_nn"],
    "gallery_dirs": ["beginner/examples_tensor", "beginner/examples_autograd", "beginner/examples_nn"],
    "filename_pattern": r"\.py$",  # run every example, not only plot_*.py
    "write_computation_times": False,  # that page loads jQuery and DataTables from CDNs
    # Figures are SVG whose text stays text, so that the Chinese build can
    # translate it (pwe_sphinx.gallery.svg_figures, pwe_sphinx.i18n.figure_text).
    "image_scrapers": ("pwe_sphinx.gallery.svg_figures.svg_scraper",),
    "reset_modules": (
        "matplotlib",  # sphinx-gallery's own: matplotlib's defaults for every example
        "pwe_sphinx.gallery.threads.fix_threads",  # the same numbers in every worker and mode
        "pwe_sphinx.gallery.checks.time_limit",  # pwe_example_time_limit seconds per example
        "pwe_sphinx.gallery.heap.freeze_heap",  # cheap gc.collect() before each example
    ),
    "reset_modules_order": "both",
    # Running times differ on every run: hidden in reproducible builds.
    "min_reported_time": float("inf") if os.environ.get("SOURCE_DATE_EPOCH") else 0,
    "show_memory": False,
}
