"""The site's search ranking, in every language: pages holding more of the query's words first.

Sphinx's search keeps only the pages that hold every word of a query and
scores each by its one best word. That suits a list of keywords, not the
questions readers type (why is the learning rate so small, 为什么学习率这么小),
where one word may appear on no page and the page whose heading holds every
word should come first. ``search_ranking.js`` keeps the pages holding the
most words and sums their scores; it reaches the search page through
``html_search_scorer``, Sphinx's public hook for a scoring script, which
writes it into ``language_data.js``. Opened from disk (a reader's unzipped
copy of the site), the search page lists its results without the summaries
it cannot fetch, instead of failing each fetch.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

RANKING_SCRIPT = Path(__file__).with_name("search_ranking.js")


def use_ranking_script(app: Sphinx, config: Config) -> None:
    if config.html_search_scorer:
        return  # a project that names its own scorer keeps it
    config.html_search_scorer = str(RANKING_SCRIPT)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", use_ranking_script)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
