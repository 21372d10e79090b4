/*
 * Search ranking of this site, in both languages (pwe_sphinx/html/search_ranking.py).
 *
 * Sphinx keeps a page only when it holds every word of the query, and scores
 * it by its single best word, so a page whose heading holds all the words
 * ranks no higher than one whose heading holds one of them, and a question
 * with one word that no page has finds nothing. Here, instead:
 *
 *  - the pages that hold the most of the query's words are kept (all of
 *    them when some page has them all, as in Sphinx);
 *  - a page scores the sum of its words' scores (a word in a heading counts
 *    three times a word in the text, as Sphinx's Scorer says), plus a bonus
 *    for each word in the page's own title, plus a weight for each word it
 *    holds, larger than any one word's score: more words come first;
 *  - a heading that holds the whole query as typed (Sphinx finds those
 *    apart, "为什么学习率这么小") comes before everything else.
 *
 * Sphinx writes this file into language_data.js, which furo's search page
 * loads after searchtools.js, so Search is defined here.
 */
if (typeof Search !== "undefined" && !Search.pwePerformTermsSearch) {
  // Opened from disk, the browser refuses the fetch() that reads each result's
  // page for its summary: list the results without one rather than fail.
  if (window.location.protocol === "file:") DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;

  const sphinxTermsSearch = Search.performTermsSearch;
  const PAGE_TITLE_BONUS = 10;
  // Each word a page holds counts more than any one word can score, so the
  // pages with more of the query's words come first.
  const WORD_WEIGHT = Scorer.title + PAGE_TITLE_BONUS + 5;

  Search.pwePerformTermsSearch = (searchTerms, excludedTerms) => {
    const found = new Map(); // file name -> {words, result}
    searchTerms.forEach((word) => {
      for (const result of sphinxTermsSearch(new Set([word]), excludedTerms)) {
        const file = result[5];
        const pageTitle = (result[1] || "").toLowerCase();
        const score = result[4] + (pageTitle.includes(word) ? PAGE_TITLE_BONUS : 0);
        const seen = found.get(file);
        if (seen) {
          seen.words += 1;
          seen.result[4] += score;
        } else {
          const copy = [...result];
          copy[4] = score;
          found.set(file, { words: 1, result: copy });
        }
      }
    });
    return [...found.values()].map((entry) => {
      entry.result[4] += WORD_WEIGHT * entry.words;
      return entry.result;
    });
  };
  Search.performTermsSearch = Search.pwePerformTermsSearch;

  // Higher than any sum of words above: a heading that says what the reader typed wins.
  const WHOLE_QUERY_IN_HEADING = 1000;
  Scorer.score = (result) =>
    result[6] === SearchResultKind.title ? result[4] + WHOLE_QUERY_IN_HEADING : result[4];
}
