/*
 * Chinese queries cut into the words the index holds (pwe_sphinx/i18n/chinese_search.py).
 *
 * The index was cut into words by jieba when the site was built; a reader
 * types without spaces (海森矩阵, 如何在GPU上运行). Sphinx's own splitQuery cuts
 * only at spaces and punctuation, so such a query is looked up whole and
 * finds nothing. This splitQuery:
 *
 *  - folds full-width letters, digits and punctuation to their usual forms
 *    (ＰｙＴｏｒｃｈ, ，) and lowercases, as the index was written;
 *  - splits at punctuation, then between Chinese and Latin runs
 *    (RMSprop为什么开始慢 -> rmsprop, 为什么开始慢);
 *  - cuts each Chinese run into words of the index itself: of all the ways to
 *    cover it with indexed words, the one covering the most characters, then
 *    with the fewest (so the longest) words; characters no indexed word
 *    covers are left out, as the indexer left out single characters;
 *  - drops the words that only make the query a question (为什么, 如何, 怎么,
 *    吗 ...), which say nothing of the topic.
 *
 * Sphinx writes this file into language_data.js as the language's splitter.
 * It runs once the index is loaded, since Sphinx queries only then.
 */
const ChineseQuery = {
  QUESTION_WORDS: new Set([
    "为什么", "为何", "如何", "怎么", "怎么样", "怎样", "什么", "是什么", "哪些", "哪个", "吗", "呢",
    "这么", "那么", "怎么办", "会怎样", "可以", "能否", "能不能", "一下",
  ]),
  HAN: /\p{Script=Han}+/gu,
  WORD: /[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu,
  words: null,
  longest: 0,

  indexedWords() {
    if (this.words === null) {
      this.words = new Set([
        ...Object.keys(Search._index.terms),
        ...Object.keys(Search._index.titleterms),
      ]);
      for (const word of this.words) this.longest = Math.max(this.longest, [...word].length);
    }
    return this.words;
  },

  /* The best cover of a run of Chinese characters by indexed words. */
  cut(run) {
    const words = this.indexedWords();
    const chars = [...run];
    // best[i]: the best cut of the first i characters, as [covered, count, words].
    const best = [[0, 0, []]];
    for (let end = 1; end <= chars.length; end++) {
      let choice = [best[end - 1][0], best[end - 1][1], best[end - 1][2]]; // character left out
      for (let start = Math.max(0, end - this.longest); start < end; start++) {
        const word = chars.slice(start, end).join("");
        if (end - start < 2 || !words.has(word)) continue;
        const [covered, count, cut] = best[start];
        const candidate = [covered + end - start, count + 1, cut];
        if (candidate[0] > choice[0] || (candidate[0] === choice[0] && candidate[1] < choice[1])) {
          choice = [candidate[0], candidate[1], [...cut, word]];
        }
      }
      best.push(choice);
    }
    return best[chars.length][2];
  },

  split(query) {
    const terms = [];
    for (const piece of query.normalize("NFKC").toLowerCase().split(this.WORD)) {
      let last = 0;
      for (const match of piece.matchAll(this.HAN)) {
        if (match.index > last) terms.push(piece.slice(last, match.index));
        terms.push(...this.cut(match[0]).filter((word) => !this.QUESTION_WORDS.has(word)));
        last = match.index + match[0].length;
      }
      if (last < piece.length) terms.push(piece.slice(last));
    }
    return terms.filter((term) => term);
  },
};

splitQuery = (query) => ChineseQuery.split(query);
