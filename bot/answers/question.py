"""Understand a question: who it is about, what topic, which sessions, and what it wants.

Handles "what did X say/think (on|about) Y", "what did X say", "who asked about Y",
"what was said about Y", "what did X ask", and scoping words ("today", "last session",
"in May", "on 2024-05-10", a session's title). Anything else is read as a topic search,
so no wording is ever refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.text.lexicon import MONTH_NAMES, STOPWORDS
from bot.text.names import Mention, NameIndex, find_mentions
from bot.text.words import surface_words, topic_terms

Intent = Literal["say", "ask", "who", "search"]

MAX_QUESTION_CHARS = 2000

_WHO = re.compile(
    r"^\W*who\s+(?:else\s+)?(?:has\s+|had\s+|have\s+)?(?P<verb>asked|questioned|queried|spoke|speaks|talked|talks|said|"
    r"says|raised|mentioned|discussed|brought\s+up|argued|complained|called|critici[sz]ed|"
    r"commented|responded|answered|replied|warned|\w+)\b",
    re.IGNORECASE,
)
_ASK_VERBS = frozenset(
    ["ask", "asks", "asked", "asking", "question", "questions", "questioned", "query", "queried"]
)
_CONTEXT = re.compile(
    r"\b(?:when|while|whilst|as)\s+(?:he\s+|she\s+|they\s+|it\s+|we\s+)?(?:was\s+|were\s+)?"
    r"(?:talking|talked|discussing|discussed|speaking|answering|asked|responding|putting|dealing|"
    r"considering|debating|giving|being\s+asked)\b|\bin\s+the\s+(?:context|discussion|debate)\s+(?:of|on|about)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(
    r"^\W*(?i:what|how|why|when|where|did|does|has)\s+(?i:did|does|do|has|have|had|was|is\s+)?\s*"
    r"(?!(?:The|This|That|It|They|He|She|We|You|I|People|Everyone|Anyone|Members?)\b)"
    r"(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Sir)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+"
    r"(?:say|said|says|think|thought|ask|asked|mean|argue|argued|claim|claimed|feel|felt|tell|told|"
    r"respond|responded|reply|replied|answer|answered|suggest|suggested|propose|proposed|want|wanted)\b"
)
_LINK = re.compile(r"^\s*(?:,|&|and)\s*$", re.IGNORECASE)
_MONTH_RE = "|".join(MONTH_NAMES)


@dataclass(frozen=True)
class Scope:
    """Which sessions a question is limited to (all fields None: every session)."""

    label: str | None = None
    session_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ParsedQuestion:
    """A question as understood, with the parts an answer explains back to the user."""

    text: str
    intent: Intent
    speakers: tuple[Mention, ...] = ()
    topic: str | None = None
    focus_terms: tuple[str, ...] = ()
    context_terms: tuple[str, ...] = ()
    scope: Scope = field(default_factory=Scope)
    unknown_speaker: str | None = None
    # The topic's words as typed, for the stemmed index (questions naming no speaker).
    words: tuple[str, ...] = ()
    # Whom the questions were put to: "who asked the mayor about ..." (never a topic word).
    addressees: tuple[Mention, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        """Every topic lemma, focus first."""
        return self.focus_terms + tuple(t for t in self.context_terms if t not in self.focus_terms)


@dataclass(frozen=True)
class SessionBrief:
    """What scoping needs to know about a stored session."""

    id: int
    title: str
    date: str | None


def _clean(text: str) -> str:
    text = "".join(c if c.isprintable() else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUESTION_CHARS]


def parse_scope(
    text: str, sessions: Sequence[SessionBrief], today: date
) -> tuple[Scope, list[tuple[int, int]]]:
    """The session scope a question names, and the character spans that named it."""
    low = text.lower()
    spans: list[tuple[int, int]] = []
    dated = [s for s in sessions if s.date]

    def on_dates(label: str, keep: set[str], m: re.Match[str]) -> Scope:
        spans.append(m.span())
        return Scope(label, tuple(s.id for s in dated if (s.date or "")[:10] in keep))

    m = re.search(r"\btoday(?:'s)?\b", low)
    if m:
        return on_dates("today", {today.isoformat()}, m), spans
    m = re.search(r"\byesterday(?:'s)?\b", low)
    if m:
        return on_dates("yesterday", {(today - timedelta(days=1)).isoformat()}, m), spans
    m = re.search(
        r"\b(?:in|at|during)?\s*(?:the\s+)?(?:last|latest|most\s+recent|previous)\s+(?:session|meeting|sitting|hearing)\b",
        low,
    )
    if m and sessions:
        spans.append(m.span())
        latest = max(sessions, key=lambda s: ((s.date or ""), s.id))
        return Scope(f"the latest session ({latest.title})", (latest.id,)), spans
    m = re.search(r"\bon\s+(\d{4}-\d{2}-\d{2})\b", low)
    if m:
        return on_dates(m.group(1), {m.group(1)}, m), spans
    m = re.search(rf"\b(?:in|during)\s+({_MONTH_RE})(?:\s+(\d{{4}}))?\b", low)
    if m:
        month = MONTH_NAMES.index(m.group(1)) + 1
        year = m.group(2)
        spans.append(m.span())
        ids = tuple(
            s.id
            for s in dated
            if (s.date or "")[5:7] == f"{month:02d}" and (year is None or (s.date or "").startswith(year))
        )
        return Scope(f"{m.group(1).title()}{' ' + year if year else ''}", ids), spans
    m = re.search(r"\b(?:in|during)\s+((?:19|20)\d{2})\b", low)
    if m:
        spans.append(m.span())
        return Scope(m.group(1), tuple(s.id for s in dated if (s.date or "").startswith(m.group(1)))), spans
    # The longest title found in the question wins (one pass: no sort of every session).
    named: SessionBrief | None = None
    for s in sessions:
        title = s.title.lower().strip()
        if len(title) >= 6 and (named is None or len(s.title) > len(named.title)) and title in low:
            named = s
    if named is not None:
        title = named.title.lower().strip()
        at = low.find(title)
        spans.append((at, at + len(title)))
        same = tuple(x.id for x in sessions if x.title.lower().strip() == title)
        return Scope(named.title, same), spans
    return Scope(), spans


def _speaker_mentions(text: str, mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    """The mentions that are the subject: the first, and any joined to it by "and" or ","."""
    if not mentions:
        return ()
    chosen = [mentions[0]]
    for m in mentions[1:]:
        if _LINK.match(text[chosen[-1].end : m.start]):
            chosen.append(m)
        else:
            break
    return tuple(chosen)


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word.lower()).strip("'’,.:;?!\"“”()")


def _topic_phrase(text: str, after: int, cut: Sequence[tuple[int, int]]) -> str | None:
    """The topic as the user put it: the words after the speaker, minus scaffolding."""
    chars = list(text)
    for s, e in cut:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    rest = "".join(chars[after:])
    words = rest.split()
    while words and (_bare(words[0]) in STOPWORDS or _bare(words[0]) in {"", "s"}):
        words.pop(0)
    while words and _bare(words[-1]) in STOPWORDS:
        words.pop()
    phrase = " ".join(words).strip(" ?!.,;:")
    return phrase or None


def parse(
    question: str, index: NameIndex, sessions: Sequence[SessionBrief] = (), today: date | None = None
) -> ParsedQuestion:
    """Read a question into speaker(s), topic, scope and intent; never raises on odd text."""
    text = _clean(question)
    scope, scope_spans = parse_scope(text, sessions, today or date.today())
    who = _WHO.match(text)
    intent: Intent = "search"
    speakers: tuple[Mention, ...] = ()
    unknown: str | None = None
    subject: re.Match[str] | None = None
    addressees: tuple[Mention, ...] = ()
    if who:
        intent = "who"
        topic_from = who.end()
        cut = list(scope_spans)
        asking = who.group("verb").lower() in _ASK_VERBS
        if asking:
            # "who asked the mayor about crime": the person right after the verb was asked.
            later = [m for m in find_mentions(text, index, skip=scope_spans) if m.start >= who.end()]
            if later and not text[who.end() : later[0].start].strip():
                addressees = _speaker_mentions(text, later)
                cut += [(m.start, m.end) for m in addressees]
                topic_from = addressees[-1].end
    else:
        mentions = find_mentions(text, index, skip=scope_spans)
        speakers = _speaker_mentions(text, mentions)
        cut = [*scope_spans, *((m.start, m.end) for m in speakers)]
        topic_from = speakers[-1].end if speakers else 0
        after = text[topic_from:].lower().split()
        asking = bool(after) and after[0].strip("?.,") in _ASK_VERBS
        if speakers:
            intent = "ask" if asking else "say"
        else:
            subject = _SUBJECT.match(text)
            if subject and not any(s <= subject.start("who") < e for s, e in scope_spans):
                unknown = subject.group("who")
    if unknown and subject:
        # The unknown name is who was asked about, never a topic word ("Boris" in trams).
        topic_from = subject.end("who")
        cut.append((subject.start("who"), subject.end("who")))
    phrase = _topic_phrase(text, topic_from, cut)
    masked = "".join(" " if any(s <= i < e for s, e in cut) else c for i, c in enumerate(text))
    context = _CONTEXT.search(masked)
    if context and context.start() > 0:
        focus = topic_terms(masked[: context.start()])
        ctx = [t for t in topic_terms(masked[context.end() :]) if t not in focus]
    else:
        focus, ctx = topic_terms(masked), []
    if intent == "who":
        focus = [t for t in focus if t not in {"who", "else"}]
        if asking:
            intent = "who"
    return ParsedQuestion(
        text=text,
        intent=intent,
        speakers=speakers,
        topic=phrase,
        focus_terms=tuple(focus),
        context_terms=tuple(ctx),
        scope=scope,
        unknown_speaker=unknown,
        words=tuple(surface_words(masked)),
        addressees=addressees,
    )


def asks_for_questions(parsed: ParsedQuestion) -> bool:
    """Whether the user wants questions put (who asked / what did X ask)."""
    if parsed.intent == "ask":
        return True
    if parsed.intent == "who":
        m = _WHO.match(parsed.text)
        return bool(m and m.group("verb").lower() in _ASK_VERBS)
    return False
