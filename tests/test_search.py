"""Search as readers use it: the table of queries in Chromium, served and opened from disk.

tests/data/search_queries.tsv holds at least 40 Chinese and 20 English queries
typed as readers type them (no spaces, questions, API names inside Chinese,
full-width letters), each with the pages that should come first. Every query
must find something, and in each language at least 90% must have an expected
page among the first three. The whole table (query, number of results, first
three pages) is written to build/search-quality-<served|disk>.txt.
"""

from __future__ import annotations

import pytest
from conftest import ROOT
from search_quality import format_table, read_queries, run_table

QUERIES = read_queries()


@pytest.mark.unit
def test_the_table_has_enough_queries_in_each_language():
    languages = [query.language for query in QUERIES]
    assert languages.count("zh_CN") >= 40 and languages.count("en") >= 20


@pytest.mark.parametrize("where", ["served", "disk"])
def test_readers_queries_find_the_expected_pages(site, server, browser, where):
    root = server if where == "served" else site.html.as_uri()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    outcomes = run_table(page, root, QUERIES)
    context.close()
    report = format_table(outcomes, f"Search, {where}: {root}")
    (ROOT / "build" / f"search-quality-{where}.txt").write_text(report, encoding="utf-8")

    assert not errors, errors
    assert [o.query.text for o in outcomes if not o.found] == [], report
    for language in ("zh_CN", "en"):
        mine = [o for o in outcomes if o.query.language == language]
        hits = sum(o.expected_in_top_three for o in mine)
        assert hits >= 0.9 * len(mine), report


@pytest.mark.unit
def test_the_chinese_index_holds_the_sites_words_and_no_guessed_ones():
    """jieba's HMM glues unknown runs into words nobody types (其海森); the index keeps known words only."""
    from pwe_sphinx.i18n.chinese_search import ChineseSearch

    ChineseSearch.site_words = ("海森", "海森矩阵")
    words = ChineseSearch({}).split("其海森矩阵的特征值决定了学习率的上限")
    assert {"海森矩阵", "海森", "矩阵", "学习", "上限"} <= set(words)
    assert not {"其海森", "其海", "的特"} & set(words)
