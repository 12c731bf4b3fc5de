"""The daily summary, platform-neutral: who spoke, on what, who asked whom, which figures.

Extractive only. Every sentence a summary shows is a verbatim slice of the record (with
its offsets) or a count; the only words of our own are the frame ("asked", "answered").
Each slice keeps its statement's kind: reported speech ("indirect", the reporter's
paraphrase) is never the speaker's words, so renderers mark it as reported and never put
it in quotation marks. Slices from different statements stay separate ``Quote`` objects,
so no rendering can glue two passages into one quotation that was never said.
Passages are chosen by centrality and coverage (``bot.summaries.centrality``), not by position.
Adapters render these dataclasses; nothing here knows a platform.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from bot.models import (
    Exchange,
    KeyFigure,
    Person,
    Quote,
    SessionSummary,
    SpeakerShare,
    Statement,
)
from bot.summaries.centrality import Centrality, cosine, key_phrases, select_diverse, sentences
from bot.summaries.figures import find_figures
from bot.text.words import lemma, words

MAX_EXCHANGES = 6
MAX_FIGURES = 10
MAX_TOPICS = 8
_ASKING = re.compile(
    r"\b(?:can|could|will|would) you\b|\bI (?:just )?want to (?:know|focus|ask)\b|\bI(?:'m|’m| am) asking\b"
    r"|\b(?:what|how|why|when|whether) (?:is|are|will|would|do|does|has|have)\b",
    re.IGNORECASE,
)
_MIN_GIST_WORDS = 6


def summarise_session(
    statements: Sequence[Statement],
    *,
    title: str,
    date: str | None = None,
    session_id: int | None = None,
    people: Sequence[Person] = (),
) -> SessionSummary:
    """Summarise one session's statements (in record order) without leaving its words."""
    spoken = [s for s in statements if s.text.strip()]
    attributed = [s for s in spoken if s.speaker]
    centrality = Centrality([s.text for s in spoken])
    known = {p.name: p for p in people}
    names = {s.speaker for s in attributed if s.speaker}
    exclude = _name_lemmas([*names, *(p.role or "" for p in people)])
    return SessionSummary(
        session_id=session_id,
        title=title,
        date=date,
        statements=len(spoken),
        unattributed=len(spoken) - len(attributed),
        speakers=_shares(attributed, known),
        topics=tuple(key_phrases([(s.speaker, s.text) for s in spoken], MAX_TOPICS, exclude=exclude)),
        exchanges=_exchanges(attributed, centrality),
        figures=_figures(spoken, centrality),
    )


def _name_lemmas(names: Sequence[str]) -> frozenset[str]:
    return frozenset(lemma(w) for name in names for w in words(name) if len(w) > 1)


def _shares(attributed: Sequence[Statement], known: dict[str, Person]) -> tuple[SpeakerShare, ...]:
    n_statements: Counter[str] = Counter()
    n_words: Counter[str] = Counter()
    n_questions: Counter[str] = Counter()
    for s in attributed:
        assert s.speaker is not None
        n_statements[s.speaker] += 1
        n_words[s.speaker] += len(words(s.text))
        n_questions[s.speaker] += int(_asks(s))
    shares = [
        SpeakerShare(
            name=name,
            role=known[name].role if name in known else None,
            party=known[name].party if name in known else None,
            statements=n_statements[name],
            words=n_words[name],
            questions=n_questions[name],
        )
        for name in n_statements
    ]
    shares.sort(key=lambda x: (-x.words, x.name))
    return tuple(shares)


def _asks(statement: Statement) -> bool:
    return statement.is_question or "?" in statement.text or bool(_ASKING.search(statement.text))


def _runs(attributed: Sequence[Statement]) -> list[list[Statement]]:
    """Consecutive statements by one speaker: a turn in the conversation."""
    runs: list[list[Statement]] = []
    for s in attributed:
        if runs and runs[-1][0].speaker == s.speaker:
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def _candidates(run: Sequence[Statement]) -> list[Quote]:
    """A turn's sentences worth showing: its verbatim ones if it has any, else reported ones.

    A reporter's paraphrase is weaker evidence of what someone said than their own words,
    so it is the fallback, never mixed in with the verbatim sentences.
    """
    out: list[Quote] = []
    for s in run:
        for span in sentences(s.text):
            if len(words(span.text)) >= _MIN_GIST_WORDS:
                out.append(Quote(span.text, s.start + span.start, s.start + span.end, s.kind))
    verbatim = [q for q in out if q.verbatim]
    return verbatim or out


def _best(
    quotes: Sequence[Quote], centrality: Centrality, *, towards: str = "", asking: bool = False
) -> list[tuple[float, Quote]]:
    """Rank sentences: central to the session, on the other side's subject, figures help."""
    target = centrality.vector(towards) if towards else {}
    ranked: list[tuple[float, Quote]] = []
    for q in quotes:
        vec = centrality.vector(q.text)
        score = centrality.score(q.text) + 1.5 * cosine(vec, target)
        if asking and (q.text.rstrip("”’\"')").endswith("?") or _ASKING.search(q.text)):
            score += 0.5
        if find_figures(q.text):
            score += 0.2
        n = len(words(q.text))
        score *= 0.7 if n > 60 else 1.0
        ranked.append((score, q))
    ranked.sort(key=lambda x: (-x[0], x[1].start))
    return ranked


def _exchanges(attributed: Sequence[Statement], centrality: Centrality) -> tuple[Exchange, ...]:
    """Question runs answered by someone else, the most central and varied first chosen."""
    runs = _runs(attributed)
    found: list[Exchange] = []
    for ask, reply in itertools.pairwise(runs):
        if not any(_asks(s) for s in ask):
            continue
        asked, answered = _candidates(ask), _candidates(reply)
        if not asked or not answered:
            continue
        answer_text = " ".join(s.text for s in reply)
        question = _best(asked, centrality, towards=answer_text, asking=True)[0][1]
        top = _best(answered, centrality, towards=question.text)
        gist = [q for _, q in top[:2] if len(words(q.text)) <= 60] or [top[0][1]]
        found.append(
            Exchange(
                asker=str(ask[0].speaker),
                answerer=str(reply[0].speaker),
                question=question,
                answer=tuple(sorted(gist, key=lambda q: q.start)),
            )
        )
    texts = [e.question.text + " " + " ".join(q.text for q in e.answer) for e in found]
    chosen = select_diverse(texts, centrality, MAX_EXCHANGES, redundancy=0.5)
    return tuple(found[i] for i in sorted(chosen))


def _trimmed(rest: str, *, at_end: bool) -> bool:
    """Whether words were left out between a context and the sentence it was cut from."""
    rest = rest.strip()
    if not rest:
        return False
    if at_end:
        return rest[-1] not in ".?!…\"”’"
    return True


def _figures(spoken: Sequence[Statement], centrality: Centrality) -> tuple[KeyFigure, ...]:
    """Figures stated in the session, one per (speaker, amount), attributed ones first."""
    seen: set[tuple[str | None, str, float, str]] = set()
    found: list[KeyFigure] = []
    # The speaker's own words first, so a figure both quoted and reported keeps the quote.
    for s in sorted(spoken, key=lambda s: s.kind == "indirect"):
        for f in find_figures(s.text):
            key = (s.speaker, f.kind, f.value, f.unit)
            if key in seen:
                continue
            seen.add(key)
            context = Quote(
                f.context,
                s.start + f.context_start,
                s.start + f.context_end,
                s.kind,
                cut_before=_trimmed(s.text[: f.context_start], at_end=True),
                cut_after=_trimmed(s.text[f.context_end :], at_end=False),
            )
            found.append(KeyFigure(figure=f.text, kind=f.kind, speaker=s.speaker, context=context))
    if len(found) > MAX_FIGURES:
        order = {"money": 0, "percent": 1, "count": 2}
        found.sort(key=lambda k: (k.speaker is None, order[k.kind], -centrality.score(k.context.text)))
        found = found[:MAX_FIGURES]
    found.sort(key=lambda k: k.context.start)
    return tuple(found)
