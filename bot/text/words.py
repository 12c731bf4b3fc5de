"""Topic words: tokenise, lemmatise (knives -> knife, cuts -> cut) and drop stopwords.

Statements are indexed by their lemmas and questions are reduced to lemmas the same way,
so inflections match without a stemmer that keeps knife and knives apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from bot.text.lexicon import STOPWORDS

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)



def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, inner apostrophes kept), in order."""
    return WORD.findall(text)


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of one word, lower-cased (English lemmas from simplemma)."""
    low = word.lower().replace("’", "'")
    if low.isdigit():
        return low
    try:
        result = simplemma.lemmatize(low, lang="en")
    except (ValueError, TypeError):  # pragma: no cover - simplemma refuses odd input
        return low
    return str(result).lower()


def lemma_tokens(text: str) -> list[str]:
    """Every word of ``text`` as a lemma, stopwords included (the indexed form)."""
    out: list[str] = []
    for word in words(text):
        # The index tokenizer splits at apostrophes; keep the same words here.
        for part in re.split(r"['’]", lemma(word)):
            if part:
                out.append(part)
    return out


def lemma_text(text: str) -> str:
    """The indexed form of a statement: its lemmas joined by spaces."""
    return " ".join(lemma_tokens(text))


def topic_terms(text: str) -> list[str]:
    """Distinct content lemmas of a topic phrase, in order (stopwords and 1-letter words dropped)."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word.lower() in STOPWORDS:
            continue
        for part in re.split(r"['’]", lemma(word)):
            if len(part) > 1 and part not in STOPWORDS and part not in seen:
                seen[part] = None
    return list(seen)


def surface_words(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Distinct content words of ``text`` as typed (lower-cased), for the stemmed index.

    The stemmed index stems on its own, so these stay unlemmatised; a word is kept unless
    it is itself a stopword ("questioning" stays although its lemma "question" is one).
    """
    seen: dict[str, None] = {}
    for word in words(text):
        low = word.lower().replace("’", "'")
        for part in low.split("'"):
            if len(part) > 1 and part not in stopwords and part not in seen:
                seen[part] = None
    return list(seen)
