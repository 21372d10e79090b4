"""Chinese search that finds Chinese words, in the index and in the browser.

Three problems with Sphinx 9.0's Chinese search, fixed here:

* Without ``jieba`` the indexer silently indexes no Chinese at all. The
  Chinese build stops with an error instead.
* The generated ``language_data.js`` assigns ``window.Stemmer =
  ChineseStemmer``, a class that no shipped script defines, so the search page
  throws and shows nothing (sphinx-doc/sphinx#14229, fixed in Sphinx 9.1).
  The Chinese indexer stems Latin words with the English Snowball stemmer, so
  naming the language "English" for the script makes it load
  ``EnglishStemmer``, which exists. Only Sphinx before 9.1 gets this.
* The browser looks a query up as typed, cutting it only at spaces and
  punctuation: 海森矩阵 finds nothing though the index holds 海森 and 矩阵.
  ``chinese_search.js``, which Sphinx writes into ``language_data.js`` as the
  language's query splitter, cuts a query into the index's own words.
* jieba does not know this site's vocabulary (自动求导, 勒让德多项式, ...), and
  the browser looks a query up as one word. The glossary's Chinese terms and
  ``pwe_search_words`` are added to jieba's dictionary, so each is indexed
  whole as well as in its parts.

And one cost: Sphinx's indexer loads jieba's own main dictionary a second
time, as a user dictionary (350 000 ``add_word`` calls, about 2 s), unless
``html_search_options["dict"]`` names another. jieba loads that dictionary
anyway, so the indexer is told to load none. The dictionary itself is
loaded when the builder starts, which in the Chinese build of
``pwe_sphinx.tools.sitebuild`` is while it waits for the English build's examples.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from sphinx.errors import ConfigError
from sphinx.search import zh

from pwe_sphinx.core.build_plan import add_step
from pwe_sphinx.core.glossary import read_glossary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


# sphinx-doc/sphinx#14229: before 9.1 the Chinese search page asks for a stemmer no script defines.
NEEDS_STEMMER_FIX = sphinx.version_info[:2] < (9, 1)


QUERY_SPLITTER = Path(__file__).with_name("chinese_search.js")


class ChineseSearch(zh.SearchChinese):
    """Sphinx's Chinese indexer, with a stemmer name the browser can resolve and a query splitter."""

    if NEEDS_STEMMER_FIX:
        language_name = "English"
    js_splitter_code = QUERY_SPLITTER.read_text(encoding="utf-8")
    site_words: tuple[str, ...] = ()  # set from the configuration, see use_site_words()

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__({"dict": "", **options})
        import jieba

        for word in self.site_words:
            jieba.add_word(word, freq=SITE_WORD_FREQUENCY)

    def split(self, input: str) -> list[str]:
        """jieba's words of its dictionary and the site's, without the ones its HMM guesses.

        The HMM glues unknown runs into words nobody types (其海森, 上以, 一够); the
        query splitter can only cut a query into words the index holds, so
        those would be dead weight. A word jieba does not know goes into
        ``pwe_search_words`` instead.
        """
        # sphinx.search.zh has jieba's cut_for_search when jieba is installed, as this site requires.
        chinese = list(zh.cut_for_search(input, HMM=False))  # type: ignore[attr-defined]
        latin = [term.strip() for term in self.latin1_letters.findall(input)]
        self.latin_terms.update(latin)
        return chinese + latin


# High enough that jieba keeps each term whole rather than cutting it.
SITE_WORD_FREQUENCY = 100_000


def use_site_words(app: Sphinx, config: Config) -> None:
    if not config.language.startswith("zh"):
        return
    if not zh.JIEBA_DEFAULT_DICT:
        raise ConfigError("chinese_search: the Chinese build needs jieba (pip install jieba); without it "
                          "the search index has no Chinese words")
    glossary = Path(app.srcdir, config.pwe_glossary)
    words = [chinese for _english, chinese in read_glossary(glossary)]
    ChineseSearch.site_words = tuple(dict.fromkeys([*words, *config.pwe_search_words]))


def load_dictionary(app: Sphinx) -> None:
    if app.config.language.startswith("zh"):
        import jieba

        jieba.initialize()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("pwe_sphinx.directives.glossary")
    app.add_config_value("pwe_glossary", "glossary.tsv", "env", types=frozenset({str}))
    app.add_config_value("pwe_search_words", [], "env", types=frozenset({list}))
    app.add_search_language(ChineseSearch)
    app.connect("config-inited", use_site_words)
    # Early, before pwe_sphinx.gallery.follow waits for the English build.
    add_step(app, "load_dictionary", load_dictionary)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
