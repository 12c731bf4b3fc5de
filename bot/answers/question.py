"""Understand a question: who it is about, what topic, which sessions, and what it wants.

Handles "what did X say/think (on|about) Y", "what did X say", "who asked about Y",
"what was said about Y", "what did X ask", and scoping words ("today", "last session",
"in May", "on 2024-05-10", a session's title). Anything else is read as a topic search,
so no wording is ever refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from bot.text.lexicon import HONORIFICS, MONTH_NAMES, OFFICE_WORDS, STOPWORDS
from bot.text.names import Mention, NameIndex, find_mentions, honorific_gender
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
_LINK = re.compile(r"^\s*(?:,|&|and)\s*$", re.IGNORECASE)
# "what did X say ...", "has X said ...", "what X thinks of ...": the words between the
# auxiliary and the first speech verb are who the question is about, whatever case they
# are typed in; that slot is never read as topic, and never answered with someone else's words.
SPEECH_VERBS = (
    "say|said|says|saying|think|thought|thinks|ask|asked|asks|asking|put|puts|tell|told|tells|"
    "argue|argued|claim|claimed|feel|felt|respond|responded|reply|replied|answer|answered|"
    "suggest|suggested|propose|proposed|want|wanted|state|stated|announce|announced|promise|promised|"
    "warn|warned|admit|admitted|insist|insisted|believe|believed|comment|commented|raise|raised|"
    "mention|mentioned|talk|talked|speak|spoke|reveal|revealed|explain|explained|question|questioned|"
    "make\\s+of|made\\s+of|add|added|describe|described|accuse|accused|deny|denied|concede|conceded"
)
# The asker's verbs in a speaker slot: the question-asking ones, and "put (it) to".
_ASKER_VERBS = _ASK_VERBS | {"put", "puts"}
_SLOT_OPENING = re.compile(
    r"^\W*(?:(?:can|could|would)\s+you\s+)?(?:(?:please\s+)?(?:tell|show|give|find)\s+(?:me|us)\s+)?"
    r"(?:(?:what|how|why|when|where|whether|if)\s+(?:(?:did|does|do|has|have|had|will|would)\s+)?"
    r"|(?:did|does|do|has|have|had|will|would)\s+)(?=\S)",
    re.IGNORECASE,
)
_SLOT_VERB = re.compile(rf"\s(?P<verb>{SPEECH_VERBS})\b", re.IGNORECASE)
# Words that open a slot that is no person: "what was said", "what do people think", "did anyone ask".
_NOT_A_PERSON = frozenset(
    "i you he she it we they people anyone anybody someone somebody everyone everybody nobody "
    "members member was were is are be been being this that these those there what which who "
    "any some all each".split()
)
# Heads of phrases that name a body, not a person: "what did the opposition parties say".
_GROUP_HEADS = frozenset(
    "party parties government committee council opposition ministers members witnesses panel "
    "panellists union unions department executive assembly house parliament board group groups "
    "campaigners critics officials experts meeting meetings discussion session hearing debate report "
    "document inquiry evidence bill amendment amendments".split()
)
# Heads that name a person without naming them: "the witness", "the spokeswoman".
_HUMAN_HEADS = frozenset(
    "witness spokesman spokeswoman spokesperson member mp msp mla councillor councilmember chair "
    "counsel candidate moderator senator representative congressman congresswoman lawyer".split()
)
# Verbs whose object is the one spoken to ("tell X", "told X"), and those that take "to X"
# ("say to X", "reply to X", "respond to X").
_TOLD_VERBS = frozenset(["tell", "tells", "told"])
_TO_VERBS = frozenset(
    "say said says reply replied answer answered respond responded write wrote put puts".split()
)
# "… say in (his|her|their) reply to X", "… say in response to X", "… say when replying to X".
_IN_REPLY = re.compile(
    r"\s+(?:in\s+(?:(?:his|her|their|the|a)\s+)?(?:reply|response|answer|answers|replies|responses)|"
    r"(?:when|while)\s+(?:replying|responding|answering)|replying|responding)\s+to\s+",
    re.IGNORECASE,
)
_ADDRESSEE_LEAD = re.compile(r"\s*(?:it\s+)?(?:to\s+)?", re.IGNORECASE)
_MAX_SLOT_WORDS = 9
_MONTH_RE = "|".join(MONTH_NAMES)


@dataclass(frozen=True)
class Scope:
    """Which sessions a question is limited to (all fields None: every session)."""

    label: str | None = None
    session_ids: tuple[int, ...] | None = None
    # The question named a time no session is from ("the vote in November 2020"): every
    # session is read, with the time as part of the topic.
    unmatched: bool = False


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


@dataclass(frozen=True)
class Slot:
    """The speaker slot of a question: where it is, and the verb that follows it."""

    start: int
    end: int
    verb: str
    verb_end: int


def _could_be_a_person(head: str, mixed_case: bool) -> bool:
    """Whether the last word of a phrase can name a person: a name, an office, a human noun.

    "the meeting", "WJEC" (an acronym is an organisation) and, where the user writes names
    with capitals, a lower-case word like "authorities" head phrases that are not people.
    """
    low = re.sub(r"['’]s$", "", head).lower()
    if low in _GROUP_HEADS:
        return False
    if low in OFFICE_WORDS or low in _HUMAN_HEADS:
        return True
    if mixed_case and len(head) > 1 and head.isupper():
        return False
    return not mixed_case or head[:1].isupper()


def speaker_slots(text: str) -> list[Slot]:
    """Every reading of the question as "what did <X> <verb> ...", shortest slot first.

    A title may hold a word that is also a speech verb ("the Secretary of State said"), so
    each verb after the opening gives one candidate; the caller keeps the first whose slot
    names someone on the record.
    """
    opening = _SLOT_OPENING.match(text)
    if not opening:
        return []
    start = opening.end()
    first = text[start:].split(maxsplit=1)[0].lower().strip("'’,") if text[start:].strip() else ""
    if first in _NOT_A_PERSON:
        return []
    mixed_case = text != text.lower()
    out: list[Slot] = []
    for m in _SLOT_VERB.finditer(text, start):
        who = text[start : m.start()].rstrip(" ,")
        words = who.split()
        if not words or words[-1].lower() in {"the", "of", "for", "and", "to", "in", "on", "a", "an"}:
            continue  # a name does not end in a function word: "the secretary of | state for ..."
        if len(words) > _MAX_SLOT_WORDS:
            break
        verb = m.group("verb")
        if mixed_case and verb[:1].isupper():
            continue  # "State" in "the Secretary of State" is part of a name
        heads = [part.split()[-1].strip("'’") for part in re.split(r",|\band\b", who) if part.split()]
        if not all(_could_be_a_person(h, mixed_case) for h in heads):
            # A body's words are everyone's in it: no one person is asked about. A longer
            # reading that runs past the verb into the topic ("… say about drafting his |
            # answer") ends the search, but keeps the shorter readings already found.
            break
        out.append(Slot(start, start + len(who), verb.lower(), m.end("verb")))
    return out


def _looks_like_given_name(word: str) -> bool:
    bare = word.strip(",.:;'’")
    return (
        bare[:1].isupper()
        and not bare.isupper()
        and not re.search(r"['’]s$", word)
        and bare.rstrip(".").lower() not in HONORIFICS
    )


def _resolve_part(text: str, start: int, end: int, index: NameIndex) -> Mention | None:
    """Who one name in the speaker slot means: the whole phrase, else the name it ends in.

    English puts a noun phrase's head last, so "the DUP's Edwin Poots" is Edwin Poots but
    "the prime minister's official spokesman" is not the prime minister; and a given name
    the record does not know ("Michael Howard" where only Sandra Howard speaks) keeps the
    surname from standing in for someone else.
    """
    phrase = text[start:end].strip()
    phrase = re.sub(r"['’]s$", "", phrase)
    if not phrase:
        return None
    ids, how, score = index.lookup(phrase)
    if not ids and phrase[:1].islower() and not phrase.lower().startswith("the "):
        ids, how, score = index.lookup(f"the {phrase}")  # "counsel", "chair"
    if ids:
        return Mention(start, start + len(phrase), phrase, tuple(sorted(ids)), score, how)
    inner = find_mentions(text, index, skip=[(0, start), (end, len(text) + 1)])
    last = [m for m in inner if not text[m.end : end].strip(" '’s")]
    if not last:
        return None
    head = last[-1]
    if any(_looks_like_given_name(w) for w in text[start : head.start].split()):
        return None
    asked = honorific_gender(phrase)
    if asked:
        agree = tuple(pid for pid in head.person_ids if index.gender_of(pid) in (None, asked))
        if not agree:
            return None  # "Mrs Howard" where only Mr Howard speaks
        head = replace(head, person_ids=agree)
    return head


def _resolve_slot(text: str, slot: Slot, index: NameIndex) -> tuple[Mention, ...] | None:
    """Every person the slot names ("Huw David and Carol Shillabeer"), or None if any is unknown."""
    parts: list[tuple[int, int]] = []
    at = slot.start
    for sep in re.finditer(r"\s*(?:,|&|\band\b)\s*", text[slot.start : slot.end]):
        parts.append((at, slot.start + sep.start()))
        at = slot.start + sep.end()
    parts.append((at, slot.end))
    whole = _resolve_part(text, slot.start, slot.end, index)
    if len(parts) == 1:
        return (whole,) if whole is not None else None
    if whole is not None and whole.start == slot.start:
        return (whole,)
    found: list[Mention] = []
    for s, e in parts:
        m = _resolve_part(text, s, e, index)
        if m is None:
            return None
        found.append(m)
    return tuple(found)


def _addressees(
    text: str, slot: Slot, index: NameIndex, skip: Sequence[tuple[int, int]]
) -> tuple[Mention, ...]:
    """Whom the asker put it to: "ask Drakeford about", "put to the First Minister", "say to Ms Goldie"."""
    lead = _ADDRESSEE_LEAD.match(text, slot.verb_end)
    at = lead.end() if lead else slot.verb_end
    to = re.match(r"\s*(?:it\s+)?to\b", text[slot.verb_end :], re.IGNORECASE)
    reply = _IN_REPLY.match(text, slot.verb_end)
    if reply:
        at = reply.end()  # "say in his reply to Sturgeon": Sturgeon was answered, not heard
    elif not (
        slot.verb in _ASKER_VERBS
        or slot.verb in _TOLD_VERBS
        or (to and slot.verb in _TO_VERBS)
    ):
        return ()
    later = [m for m in find_mentions(text, index, skip=[*skip, (0, at)]) if m.start >= at]
    gap = text[at : later[0].start].split() if later else []
    if later and all(w.rstrip(".").lower() in HONORIFICS for w in gap):
        return _speaker_mentions(text, later)
    return ()


def _slots_outside(text: str, spans: Sequence[tuple[int, int]]) -> list[Slot]:
    return [x for x in speaker_slots(text) if not any(a < x.end and x.start < b for a, b in spans)]


def parse(
    question: str, index: NameIndex, sessions: Sequence[SessionBrief] = (), today: date | None = None
) -> ParsedQuestion:
    """Read a question into speaker(s), topic, scope and intent; never raises on odd text."""
    text = _clean(question)
    scope, scope_spans = parse_scope(text, sessions, today or date.today())
    a_time = re.compile(r"^(?:[A-Z][a-z]+(?: \d{4})?|\d{4})$")
    if scope.session_ids == () and scope.label and a_time.match(scope.label):
        # "the firebreak in September" where no session is from September: the month is
        # part of what was said, not which sessions to read.
        scope, scope_spans = Scope(scope.label, None, unmatched=True), []
    who = _WHO.match(text)
    intent: Intent = "search"
    speakers: tuple[Mention, ...] = ()
    unknown: str | None = None
    addressees: tuple[Mention, ...] = ()
    if who:
        intent = "who"
        topic_from = who.end()
        cut = list(scope_spans)
        asking = who.group("verb").lower() in _ASK_VERBS
        if asking:
            # "who asked the mayor about crime": the person right after the verb was asked.
            lead = _ADDRESSEE_LEAD.match(text, who.end())
            at = lead.end() if lead else who.end()
            later = [m for m in find_mentions(text, index, skip=scope_spans) if m.start >= at]
            if later and not text[at : later[0].start].strip():
                addressees = _speaker_mentions(text, later)
                cut += [(m.start, m.end) for m in addressees]
                topic_from = addressees[-1].end
    elif slots := _slots_outside(text, scope_spans):
        # The question names its speaker by its shape: that slot is the speaker, or nobody.
        slot, resolved = slots[0], None
        for candidate in slots:
            resolved = _resolve_slot(text, candidate, index)
            if resolved:
                slot = candidate
                break
        asking = slot.verb in _ASKER_VERBS
        intent = "ask" if asking else "say"
        cut = [*scope_spans, (0, slot.end), (slot.end, slot.verb_end)]
        topic_from = slot.verb_end
        if resolved:
            speakers = resolved
            addressees = _addressees(text, slot, index, scope_spans)
            if addressees:
                cut += [(m.start, m.end) for m in addressees]
                topic_from = addressees[-1].end
        else:
            unknown = text[slot.start : slot.end]
    else:
        mentions = find_mentions(text, index, skip=scope_spans)
        speakers = _speaker_mentions(text, mentions)
        cut = [*scope_spans, *((m.start, m.end) for m in speakers)]
        topic_from = speakers[-1].end if speakers else 0
        after = text[topic_from:].lower().split()
        asking = bool(after) and after[0].strip("?.,") in _ASK_VERBS
        if speakers:
            intent = "ask" if asking else "say"
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


# "who asked the council to set up a fraud unit": asking someone *to do* something is a
# request, made in a statement as often as in a question. The words between the verb and
# "to" are its object only while none of them opens the topic ("about", "whether" …).
_REQUEST = re.compile(
    r"^\W*who\s+(?:else\s+)?(?:has\s+|had\s+)?asked\s+"
    r"(?:(?!about\b|on\b|whether\b|if\b|why\b|how\b|what\b|when\b|for\b)\S+\s+){1,5}?"
    r"to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|them\b|him\b|me\b|us\b)[a-z]+",
    re.IGNORECASE,
)


def asks_for_questions(parsed: ParsedQuestion) -> bool:
    """Whether the user wants questions put (who asked / what did X ask), not requests."""
    if parsed.intent == "ask":
        return True
    if parsed.intent == "who":
        m = _WHO.match(parsed.text)
        return bool(m and m.group("verb").lower() in _ASK_VERBS) and not _REQUEST.match(parsed.text)
    return False
