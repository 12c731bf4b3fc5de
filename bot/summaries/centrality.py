"""Choose the passages and phrases of a session that carry it: centrality and coverage.

A summary that quotes the first sentence of everything says little; one that quotes the
sentences most like the rest of the session (and not like each other) says what the
session was about. Everything here returns slices of the record's own text.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from wordfreq import zipf_frequency

from bot.text.lexicon import STOPWORDS
from bot.text.words import lemma, words

# Words that fill committee talk without saying what it is about.
_PROCEDURAL_WORDS = """
    thank thanks chair minister deputy member members cabinet secretary okay ok yes yeah well
    right really actually obviously clearly indeed certainly course sure perhaps maybe quite
    lot lots bit kind sort thing things way ways point points time times today year years
    make made making go going gone went come coming came take taking put see look looking
    know known want need needs like good great important new able also even still already
    said say says mean means different many much first second next last one two three four
    five six seven eight nine ten per cent percent million billion pound pounds dollar
    dollars hon honourable gentleman lady colleague colleagues mr mrs ms dr professor sir
    ask asking answer answering question questions morning afternoon evening day days work
    working done doing do does did get got give given place part whole number area areas
    term terms around back across within without still ever never always every
"""
PROCEDURAL = frozenset(_PROCEDURAL_WORDS.split())
# Nouns that say how something is discussed in any field, not what: fine inside a phrase
# ("victim support"), too vague as a topic on their own.
_GENERIC_NOUNS = """
    detail concern issue matter aspect example increase decrease change difference problem
    situation context information process approach element factor regard respect basis case
    fact reason response view opinion idea stage step update position level support
"""
GENERIC = frozenset(_GENERIC_NOUNS.split())
# Words before a verb ("to continue", "we support", "will increase"): a single word that
# mostly follows one is an action, not a subject.
_VERB_CUES = frozenset(
    "to will would can could should must might shall we i you they he she not also "
    "i'm we're they're we'll i'll don't didn't won't".split()
)
_VERB_SHARE = 0.3
_STOP = STOPWORDS | PROCEDURAL
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)|\n")


@dataclass(frozen=True)
class Span:
    """A verbatim slice of a text, with its offsets in that text."""

    text: str
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` as verbatim spans (leading quotes and spaces trimmed).

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes) followed by
    whitespace, or at a line break, so "£1.4" and "3.5 per cent" stay whole.
    """
    out: list[Span] = []
    begin = 0
    for m in [*_BOUNDARY.finditer(text), None]:
        end = m.end() if m else len(text)
        raw = text[begin:end]
        lead = len(raw) - len(raw.lstrip(" \t\n\"“‘'"))
        body = raw[lead:].rstrip()
        if not any(q in body for q in '“"‘'):
            body = body.rstrip('”"’')  # the closing half of a quote opened before the sentence
        if sum(ch.isalpha() for ch in body) >= 3:
            start = begin + lead
            out.append(Span(body, start, start + len(body)))
        begin = end
    return out


def content_lemmas(text: str) -> list[str]:
    """The content words of ``text`` as lemmas: what a passage is about."""
    out: list[str] = []
    for word in words(text):
        low = word.lower()
        if low in _STOP or len(low) < 3 or low.isdigit():
            continue
        lem = lemma(word)
        if lem not in _STOP and len(lem) > 2:
            out.append(lem)
    return out


class Centrality:
    """TF-IDF vectors over a session's passages, and each passage's likeness to the whole.

    Built once per session; ``score`` of a text is its cosine similarity to the session's
    centroid, so sentences on what most of the session discusses score highest.
    """

    def __init__(self, documents: Sequence[str]) -> None:
        self._docs = [Counter(content_lemmas(d)) for d in documents]
        df: Counter[str] = Counter()
        for doc in self._docs:
            df.update(doc.keys())
        n = max(1, len(self._docs))
        self._idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        centroid: defaultdict[str, float] = defaultdict(float)
        for doc in self._docs:
            for t, w in self.vector_of(doc).items():
                centroid[t] += w
        self._centroid = _normalise(dict(centroid))

    def vector_of(self, counts: Counter[str]) -> dict[str, float]:
        """A unit-length TF-IDF vector for lemma counts."""
        return _normalise({t: (1 + math.log(c)) * self._idf.get(t, 1.0) for t, c in counts.items()})

    def vector(self, text: str) -> dict[str, float]:
        """A unit-length TF-IDF vector for a text."""
        return self.vector_of(Counter(content_lemmas(text)))

    def score(self, text: str) -> float:
        """How central ``text`` is to the session (0..1)."""
        return cosine(self.vector(text), self._centroid)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two unit vectors stored as dicts."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _normalise(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else {}


def select_diverse(
    items: Sequence[str], centrality: Centrality, k: int, *, redundancy: float = 0.7
) -> list[int]:
    """Indexes of up to ``k`` items by maximal marginal relevance: central, not repetitive."""
    vectors = [centrality.vector(t) for t in items]
    base = [centrality.score(t) for t in items]
    chosen: list[int] = []
    left = set(range(len(items)))
    while left and len(chosen) < k:

        def mmr(i: int) -> float:
            overlap = max((cosine(vectors[i], vectors[j]) for j in chosen), default=0.0)
            return (1 - redundancy) * base[i] - redundancy * overlap

        best = max(sorted(left), key=mmr)
        if base[best] <= 0.0:
            break
        chosen.append(best)
        left.remove(best)
    return chosen


def specificity(word: str) -> float:
    """How much a word says about a topic: rare in everyday English scores high.

    "now" and "because" are everywhere (Zipf ~6); "childcare" and "knife" are not. Uses
    wordfreq's frequency lists, which ship with the package (nothing is downloaded).
    """
    return max(0.3, 7.0 - zipf_frequency(word, "en"))


def key_phrases(
    passages: Sequence[tuple[str | None, str]], k: int = 8, *, exclude: frozenset[str] = frozenset()
) -> list[str]:
    """The session's main topics as phrases from its own text, most covering first.

    ``passages`` are (speaker, text). A phrase scores by how many passages and how many
    different speakers use it, weighted by how specific its words are, with two-word
    phrases ("victim support", "violent crime") preferred to their single words; shown in
    the form the record most often uses. ``exclude`` holds lemmas (speaker names, roles)
    that are who spoke, not what about (matched without case or accents). Single words
    too vague to stand alone (``_vague``) are left out; phrases containing them are not.
    """
    in_docs: Counter[tuple[str, ...]] = Counter()
    by_speaker: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    surface: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    as_verb: Counter[str] = Counter()
    excluded = {_fold(x) for x in exclude}
    for speaker, text in passages:
        as_verb.update(_after_verb_cues(text))
        seen: set[tuple[str, ...]] = set()
        for run in _content_runs(text):
            for n in (1, 2, 3):
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    key = tuple(lem for _, lem in gram)
                    if len(set(key)) < n or excluded.intersection(_fold(k) for k in key):
                        continue
                    surface[key][" ".join(w for w, _ in gram)] += 1
                    if key not in seen:
                        seen.add(key)
                        in_docs[key] += 1
                        by_speaker[key].add(speaker or "")
    scored: list[tuple[float, tuple[str, ...]]] = []
    for key, docs in in_docs.items():
        if docs < 2:
            continue
        weight = {1: 1.0, 2: 1.5, 3: 1.2}[len(key)]
        spec = sum(specificity(t) for t in key) / len(key)
        spread = 1 + 0.3 * min(4, len(by_speaker[key]) - 1)
        scored.append((weight * spec * docs**0.7 * spread, key))
    scored.sort(key=lambda x: (-x[0], x[1]))
    chosen: list[tuple[str, ...]] = []
    for _, key in scored:
        # A phrase used in at least a third of the passages its word is used in stands
        # for that word ("violent crime" for "crime"); a phrase overlapping a chosen one
        # is the same topic said twice.
        phrase = _widest(key, in_docs)
        if any(set(phrase) & set(c) for c in chosen):
            continue
        if len(phrase) == 1 and _vague(phrase[0], as_verb[phrase[0]], sum(surface[phrase].values())):
            continue
        chosen.append(phrase)
        if len(chosen) == k:
            break
    return [_display(surface[key]) for key in chosen]


def _fold(word: str) -> str:
    """Lower case without accents: "Siân" in the talk is the speaker listed as "Sian"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _after_verb_cues(text: str) -> Counter[str]:
    """Lemmas of words right after a verb cue ("to", "we", "will"): uses as a verb."""
    found: Counter[str] = Counter()
    tokens = words(text)
    for before, word in itertools.pairwise(tokens):
        if before.lower() in _VERB_CUES and len(word) > 2:
            found[lemma(word)] += 1
    return found


def _vague(lem: str, as_verb: int, uses: int) -> bool:
    """A single word too vague to be a topic on its own.

    Three cheap signs, none needing a tagger: a generic noun ("detail", "concern"); an
    adverb ("differently": a word plus -ly); a word mostly used as a verb ("continue").
    """
    if lem in GENERIC:
        return True
    stem = lem[:-2]
    if lem.endswith("ly") and len(stem) >= 4 and zipf_frequency(stem, "en") >= 3.0:
        return True
    return uses > 0 and as_verb / uses >= _VERB_SHARE


def _widest(key: tuple[str, ...], in_docs: Counter[tuple[str, ...]]) -> tuple[str, ...]:
    """Widen a word to its usual phrase, and a phrase to a name it is always part of."""
    while len(key) < 3:
        share = 3 if len(key) == 1 else 1.5
        n = len(key)
        wider = [
            g
            for g in in_docs
            if len(g) == n + 1 and (g[:n] == key or g[1:] == key) and in_docs[g] * share >= in_docs[key]
        ]
        if not wider:
            break
        key = max(wider, key=lambda g: (in_docs[g], g))
    return key


def _display(forms: Counter[str]) -> str:
    return max(forms.items(), key=lambda kv: (kv[1], kv[0].islower(), kv[0]))[0]


def _content_runs(text: str) -> list[list[tuple[str, str]]]:
    """Runs of adjacent content words (word, lemma), broken at stopwords and punctuation."""
    runs: list[list[tuple[str, str]]] = []
    for chunk in re.split(r"[.,;:!?()\"“”‘’\[\]—–…]|\s-\s", text):
        run: list[tuple[str, str]] = []
        for word in words(chunk):
            low = word.lower()
            lem = lemma(word) if len(low) > 2 and not low.isdigit() else ""
            if not lem or low in _STOP or lem in _STOP or "'" in low:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append((word, lem))
        if run:
            runs.append(run)
    return runs
