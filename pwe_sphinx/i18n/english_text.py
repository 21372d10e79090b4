"""English words a Chinese reader would see: the one test of "is this Chinese?".

A Chinese technical page rightly keeps some Latin text: code and API names
(``nn.Linear``, ``state_dict``, ``backward()``, ``RMSprop``), acronyms (GPU,
ONNX), numbers and maths (``1e-6``, ``x²``, single-letter variables), and
the names of products and projects (PyTorch, Jupyter), listed in
``english_names.txt`` beside this module. Everything else made of Latin
letters is an English word left untranslated, and a run of them is an
English phrase: "Download Jupyter notebook", "Previous", "Made with".

:func:`english_phrases` finds those phrases in a piece of text. The
whole-site test applies it to the visible text of every Chinese page, the
catalogue check to every translation (``pwe_sphinx.i18n.catalogues``), and the
translation status page counts with it, so that the three agree on what
counts as English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("english_names.txt")

# Text that is not Latin script ends a phrase: CJK ideographs, kana and
# full-width forms (Chinese punctuation among them).
NOT_LATIN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f]+")
# A word: Latin letters, perhaps joined by hyphens or apostrophes ("warm-up", "it's").
WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
# Punctuation that may surround a word in prose without making it code.
PROSE_PUNCTUATION = "\"'\u2018\u2019\u201c\u201d.,;:!?()[]\u2026*"
# An English possessive set apart from its name ("@pradyunsg</a>'s").
POSSESSIVE = re.compile(r"['\u2019]s[.,;:!?]*")
# Marks that make a token code or maths: a dotted or underscored name, a call,
# an operator, a path, a decorator, a number with letters (1e-6, 3x, x2).
CODE_MARK = re.compile(r"[_=/\\@#$%^&*+<>|~{}`]|\w\.\w|\w\(|\w\[|\d")

JOINER = "\u2060"  # holds the words of a listed name together as one token
# An aside in full-width parentheses made of Latin text, 推理张量（inference tensor）:
# a term's English, given on purpose (pwe_sphinx.i18n.english_asides).
LATIN_ASIDE = re.compile(r"（(\s*[A-Za-z][^（）\u2e80-\u9fff]*?\s*)）")


@lru_cache(maxsize=1)
def allowed_names() -> tuple[frozenset[str], tuple[str, ...]]:
    """The names of english_names.txt: single words, and names of several words (longest first)."""
    lines = [line.strip() for line in NAMES_FILE.read_text(encoding="utf-8").splitlines()]
    names = [line.casefold() for line in lines if line and not line.startswith("#")]
    words = frozenset(name for name in names if " " not in name)
    phrases = tuple(sorted((name for name in names if " " in name), key=len, reverse=True))
    return words, phrases


def is_name(word: str) -> bool:
    """A listed name, an acronym or a name with capitals inside (GPU, PyTorch, ReLU), or a part of each."""
    words, _phrases = allowed_names()
    if word.casefold() in words or any(letter.isupper() for letter in word[1:]):
        return True
    parts = re.split(r"[-'\u2019]", word)
    return len(parts) > 1 and all(is_name(part) for part in parts)


def token_kind(token: str) -> str:
    """``word`` (English), ``name`` (may stay in a phrase without being English) or ``other`` (ends a phrase)."""
    if CODE_MARK.search(token):
        return "other" if not re.search(r"[A-Za-z]", token) else "name"
    if POSSESSIVE.fullmatch(token):
        return "word"  # "@pradyunsg's", set apart from its name by a link
    core = token.strip(PROSE_PUNCTUATION)
    if not core or not WORD.fullmatch(core):
        return "other"  # a number, a symbol, Greek letters
    if len(core) == 1 or is_name(core):
        return "name"  # a variable (x, a, b), or a name
    return "word"


def is_stray(token: str, kind: str) -> bool:
    """A single letter or mark at either end of a run: not part of the phrase as it is reported."""
    return kind != "word" and len(token.strip(PROSE_PUNCTUATION)) < 2


def english_phrases(text: str) -> list[str]:
    """Each run of English words in ``text`` that is not code, maths or a listed name, as it reads there.

    A phrase holds at least one English word, and the names and single
    letters among and around its words ("Download Jupyter notebook", "Fit a
    cubic"); CJK text, numbers, symbols and code end it.
    """
    _words, names = allowed_names()
    for name in names:  # a listed name of several words is one token, and a name: "Jupyter notebook"
        text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w.])", lambda m: m.group().replace(" ", JOINER),
                      text, flags=re.IGNORECASE)
    found = []
    for stretch in NOT_LATIN.split(text):
        run: list[tuple[str, str]] = []
        for token in [*re.split(r"[\s\u2013\u2014]+", stretch), ""]:
            kind = "name" if JOINER in token else token_kind(token)
            if kind != "other":
                run.append((token, kind))
                continue
            while run and is_stray(*run[-1]):
                run.pop()  # a variable or a stray mark ends no phrase
            while run and is_stray(*run[0]):
                run.pop(0)
            if any(kind == "word" for _token, kind in run):
                phrase = " ".join(token for token, _kind in run).replace(JOINER, " ")
                found.append(phrase.strip(PROSE_PUNCTUATION))
            run = []
    return found
