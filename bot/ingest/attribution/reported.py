"""Reported speech in news prose, and the statement drafts both kinds of speech make.

``X said (that) …``, ``X told reporters …``, ``…, officials said``, ``according to X``,
and the participle clauses that add to them (``…, adding that …``). The content is what
was said: the words after the reporting verb (its hearer and ``that`` skipped), cut at the
next clause with its own subject, or for a naming verb at the quoted label
(``called the plan “a disgrace”``). ``ReportedSpeech`` is the half of the prose reader that
does this; ``prose`` adds quotations and their cues.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.attribution import role_speakers
from bot.ingest.attribution.mentions import Mention, coordinated_subject, noun_phrase_after, subject_before
from bot.ingest.attribution.people import People
from bot.ingest.attribution.segments import Token
from bot.ingest.attribution.speech_verbs import (
    AMBIGUOUS_FORMS,
    HEARER_VERBS,
    INTERPOSED,
    NAMING_VERBS,
    QUESTION_VERBS,
    SPEECH_VERBS,
)
from bot.ingest.attribution.subject_words import PREPOSITIONS, ROLE_NOUNS

_PARTICIPLES = frozenset(
    [
        "adding",
        "saying",
        "noting",
        "arguing",
        "explaining",
        "insisting",
        "claiming",
        "warning",
        "asking",
        "suggesting",
        "stressing",
        "declaring",
        "calling",
        "promising",
        "vowing",
        "telling",
    ]
)
# Participles after a cue that say what the speaker was talking about ("…," she said,
# referring to the bank's sales targets): a statement of its own, by the same speaker.
_TOPIC_PARTICIPLES = frozenset(
    ["speaking", "talking", "referring", "referencing", "summing", "discussing", "describing", "emphasizing"]
)
_TOPIC_PREPOSITIONS = frozenset(["of", "to", "about", "on", "up"])  # "speaking of X"
_CONTENT_OPENERS = frozenset(["that", "whether", "if", "how", "what", "why", "when", "who", "where", "which"])
_HEARERS = frozenset(
    [
        "him",
        "her",
        "them",
        "me",
        "us",
        "you",
        "reporters",
        "journalists",
        "audience",
        "crowd",
        "members",
        "voters",
        "supporters",
        "viewers",
        "listeners",
        "readers",
        "lawmakers",
        "officials",
    ]
)
_TOPIC_VERBS = frozenset(
    ["talked", "talks", "talking", "spoke", "speaks", "speaking", "referred", "refers", "referring"]
)
_CLAUSE_JOINS = frozenset([",", ";", "and", "but", "though", "although", "while", "whereas", "yet"])
_TAIL_LIMIT = 7  # words allowed after a trailing cue: "…, he said on Tuesday."


@dataclass
class Source:
    """Who a statement rests on: the mention and the person it resolved to."""

    mention: Mention | None
    person: str | None


@dataclass
class Draft:
    """A statement being built: who, what kind, where; made final by ``finish``."""

    source: Source
    kind: str
    start: int
    end: int
    question: bool
    open_end: bool = False  # a quotation right after may continue it (a bare "he said" cue)


def _substantial(toks: list[Token], start: int, stop: int) -> bool:
    """At least three words (a quotation counts as many) between ``start`` and ``stop``."""
    words = 0
    for tok in toks[start:stop]:
        words += 3 if tok.quote is not None else 1 if tok.is_word else 0
        if words >= 3:
            return True
    return False


def _naming_end(toks: list[Token], start: int, stop: int) -> int:
    """``called the plan “a disgrace” after …``: what was said ends with the quoted name.

    A naming verb's object and its quoted label are the words attributed; the clause that
    follows (``after she…``) is the reporter's. Quoted labels joined by ``and``/``or`` go
    together. Without a quotation near the start, the content is left as it was.
    """
    if toks[start].lower in ("on", "for", "out", "up", "upon", "in"):
        return stop  # "called on the city to…", "called for…": a demand, not a label
    k = start
    while k < min(stop, start + 12) and toks[k].quote is None:
        if toks[k].text in (".", ";", ":"):
            return stop
        k += 1
    if k >= stop or toks[k].quote is None:
        return stop
    # More labels close behind ("a “liar” who is “amoral,” a “bully”") belong to it.
    end = k + 1
    j = end
    while j < stop and j - end < 3:
        if toks[j].quote is not None:
            end = j = j + 1
        elif toks[j].text in (".", ";", ":", "(", ")") or toks[j].is_capitalised:
            break
        else:
            j += 1
    return end


def _participle_at(toks: list[Token], i: int, stop: int) -> bool:
    """``, citing the audit``: a comma and a participle clause start at ``i``."""
    if i + 2 >= stop or toks[i].text != ",":
        return False
    tok = toks[i + 1]
    return tok.is_word and not tok.is_capitalised and tok.lower.endswith("ing") and len(tok.lower) > 4


_BE_FORMS = frozenset("is was were are be been being".split())


def _passive(toks: list[Token], v: int, lo: int) -> bool:
    """``Ms Kelly … is reported to be …``: a passive reporting verb, whose subject is talked about."""
    if toks[v].lower.endswith("ing"):
        return False  # "has been saying": progressive, active
    k = v - 1
    while k >= lo and toks[k].is_word and toks[k].lower.endswith("ly") and toks[k].lower not in _BE_FORMS:
        k -= 1  # "is widely reported"
    return k >= lo and toks[k].lower in _BE_FORMS


def _after_hearer(toks: list[Token], start: int, stop: int) -> int:
    """``telling Radio 4's PM programme that …``: what was said starts after the ``that``.

    The hearer of a telling verb is a phrase with no clause of its own; a comma or a
    quotation before any ``that`` means there is none, and the words start where they did.
    """
    for k in range(start, min(stop, start + 10)):
        if toks[k].lower == "that":
            return k + 1
        if toks[k].text in (",", ";", ":") or toks[k].quote is not None:
            break
    return start


def _setting_phrase(toks: list[Token], lo: int, stop: int) -> bool:
    """``In a statement,`` / ``On Tuesday,``: a short opening phrase that sets the scene."""
    first = toks[lo]
    if not (first.is_word and first.lower in PREPOSITIONS | {"during", "after", "before", "in"}):
        return False
    return stop - lo <= 8 and all(t.text != "," and t.quote is None for t in toks[lo:stop])


def _hearer_word(tok: Token) -> bool:
    """A word that can be part of the hearer of ``told``/``asked`` (``told reporters``)."""
    low = tok.lower
    return (
        tok.is_capitalised
        or low in _HEARERS
        or low in ("the", "a", "an", "his", "her", "their")
        or (tok.is_word and low in ROLE_NOUNS)
    )


class ReportedSpeech:
    """Reported-speech analysis over one report; the prose reader builds on it."""

    text: str
    people: People
    drafts: list[Draft]
    _colon_source: Source | None = None
    last_body: str | None = None  # the organisation the sentence before opened with

    def _is_cue_verb(self, toks: list[Token], v: int, lo: int) -> bool:
        """``toks[v]`` reports speech (a form that is also a noun needs a subject)."""
        tok = toks[v]
        if not tok.is_word or (tok.is_capitalised and v != lo):
            return False
        low = tok.lower
        if low not in SPEECH_VERBS:
            return low == "according" and v + 1 < len(toks) and toks[v + 1].lower == "to"
        return low not in AMBIGUOUS_FORMS or (v > lo and subject_before(toks, v, lo) is not None)

    def _plain_sentence(self, toks: list[Token], *, quotes_ok: bool = False) -> Draft | None:
        self._colon_source = None
        if toks[-1].text == ":":
            verbs = [v for v in range(len(toks)) if self._is_cue_verb(toks, v, 0)]
            found = subject_before(toks, verbs[-1] if verbs else len(toks) - 1, 0)
            if found is not None and found[0].kind in ("name", "pronoun", "role", "relative"):
                self._colon_source = self._source(found[0])
            return None
        return self._reported(toks, 0, len(toks), quotes_ok=quotes_ok)

    def _reported(self, toks: list[Token], lo: int, hi: int, *, quotes_ok: bool) -> Draft | None:
        end_tok = hi
        while end_tok > lo and toks[end_tok - 1].text in (".", "!", "?", ";", ")"):
            end_tok -= 1
        if end_tok <= lo:
            return None
        # "According to X, …" / "…, according to X."
        for v in range(lo, end_tok - 1):
            if toks[v].lower == "according" and toks[v + 1].lower == "to":
                return self._according(toks, lo, end_tok, v)
        verbs = [v for v in range(lo, end_tok) if self._is_cue_verb(toks, v, lo)]
        if not verbs:
            return None
        # "…, officials said (on Tuesday)." : a trailing cue.
        trailing = self._trailing(toks, lo, end_tok, verbs)
        if trailing is not None:
            return trailing
        clauses: list[tuple[int, Mention, int]] = []  # (verb, subject, subject start)
        for v in verbs:
            found = subject_before(toks, v, lo)
            if found is None and clauses and v - 1 > clauses[-1][0] + 2 and toks[v - 1].lower == "and":
                # "called X “a disgrace” and said …": a second verb of the same subject.
                clauses.append((v, clauses[-1][1], v))
                continue
            if found is None:
                found = coordinated_subject(toks, v, lo)
                if found is None or clauses:
                    continue
            mention, s_idx = found
            if clauses and not (s_idx > lo and toks[s_idx - 1].lower in _CLAUSE_JOINS):
                continue  # a verb inside the previous content ("said he thought …")
            between = [t for t in toks[clauses[-1][0] + 1 : s_idx - 1] if t.is_word] if clauses else []
            if toks[s_idx - 1].lower == "and" and between and all(t.is_capitalised for t in between):
                continue  # "said Lord Woolf and Lord Falconer agreed": one subject of the content
            clauses.append((v, mention, s_idx))
        first: Draft | None = None
        for n_clause, (v, mention, _) in enumerate(clauses):
            stop = clauses[n_clause + 1][2] - 1 if n_clause + 1 < len(clauses) else end_tok
            while stop > v and toks[stop - 1].lower in _CLAUSE_JOINS:
                stop -= 1
            start = self._content_start(toks, v, stop)
            if start is None:
                continue
            source = Source(None, None) if _passive(toks, v, lo) else self._source(mention)
            draft = self._indirect(source, toks, start, stop, toks[v].lower)
            first = first or draft
        return first

    def _according(self, toks: list[Token], lo: int, end_tok: int, v: int) -> Draft | None:
        mention = noun_phrase_after(toks, v + 2, end_tok)
        if mention is None:
            return None
        np_end = v + 2
        while np_end < end_tok and toks[np_end].end <= mention.end:
            np_end += 1
        if v == lo or (v == lo + 1 and not toks[lo].is_word):
            start = np_end + 1 if np_end < end_tok and toks[np_end].text == "," else np_end
            return self._indirect(self._source(mention), toks, start, end_tok, "according")
        stop = v - 1 if toks[v - 1].text == "," else v
        return self._indirect(self._source(mention), toks, lo, stop, "according")

    def _trailing(self, toks: list[Token], lo: int, end_tok: int, verbs: list[int]) -> Draft | None:
        """``…, officials said (on Tuesday).`` and ``…, she said, citing X.``: a trailing cue."""
        v = verbs[-1]
        if len(verbs) > 1 and verbs[-2] + 2 == v and toks[v - 1].text == ",":
            v = verbs[-2]  # "…, she said, citing the audit": the participle is a second verb
        tail_end = end_tok
        participle = _participle_at(toks, v + 1, end_tok)
        if participle:
            tail_end = v + 1
        if tail_end - v > _TAIL_LIMIT or any(t.lower in ("that", ",") for t in toks[v + 1 : tail_end]):
            return None
        found = subject_before(toks, v, lo)
        if found is not None:
            mention, start_idx = found
        else:
            after = noun_phrase_after(toks, v + 1, tail_end)
            if after is None:
                return None
            mention, start_idx = after, v
        if start_idx <= lo or toks[start_idx - 1].text != ",":
            return None
        quoted_tail = any(t.quote is not None for t in toks[v + 1 : tail_end])
        if quoted_tail or _setting_phrase(toks, lo, start_idx - 1):
            return None  # "In a statement, X said the …": the words said come after the verb
        source = self._source(mention)
        draft = self._indirect(source, toks, lo, start_idx - 1, toks[v].lower)
        if draft is not None and participle:
            self._participles(toks, v + 1, end_tok, source, topics=True)
        return draft

    def _content_start(self, toks: list[Token], v: int, end_tok: int) -> int | None:
        i = v + 1
        if i < end_tok and toks[i].text in (":", ","):
            i += 1
        verb = toks[v].lower
        if verb in _TOPIC_VERBS and i < end_tok and toks[i].lower in ("about", "of", "to", "on"):
            i += 1  # "talked about X": what was said is X
        window = toks[i : min(end_tok, i + 9)]
        for k, tok in enumerate(window):
            if tok.text in (",", ";") and verb not in HEARER_VERBS:
                break
            if tok.lower == "that" or (
                (tok.lower in _CONTENT_OPENERS or tok.lower == "to")
                and (k == 0 or (verb in HEARER_VERBS and all(_hearer_word(t) for t in window[:k])))
            ):
                i = i + k + (1 if tok.lower == "that" else 0)
                break
            hearer_then_topic = k > 0 and verb in HEARER_VERBS and tok.lower in ("on", "about", "over")
            if hearer_then_topic and all(_hearer_word(t) for t in window[:k]):
                i = i + k + 1
                break
        if not _substantial(toks, i, end_tok):
            return None
        return i

    def _indirect(self, source: Source, toks: list[Token], start: int, stop: int, verb: str) -> Draft | None:
        while start < stop and not (toks[start].is_word or toks[start].quote is not None):
            start += 1
        while stop > start and toks[stop - 1].text in (",", ";", ":", "-", "—"):
            stop -= 1
        if not _substantial(toks, start, stop):
            return None
        split = None
        for k in range(start + 2, stop - 2):
            if toks[k].text == "," and toks[k + 1].lower in _PARTICIPLES:
                split = k
                break
        end_at = split if split is not None else stop
        if verb in NAMING_VERBS:
            end_at = _naming_end(toks, start, end_at)
        first_word = toks[start].lower
        question = verb in QUESTION_VERBS or (first_word in ("whether", "if") and verb in QUESTION_VERBS)
        draft = Draft(source, "indirect", toks[start].start, toks[end_at - 1].end, question)
        self.drafts.append(draft)
        if split is not None:
            self._participles(toks, split, stop, source)
        return draft

    def _participles(
        self, toks: list[Token], i: int, stop: int, source: Source, *, topics: bool = False
    ) -> bool:
        """``…, adding that …``: a second reported statement by the same speaker.

        With ``topics`` (a cue after a quotation), ``…," she said, referring to X`` also
        counts: what she referred to is hers too. Returns True when one was made that runs
        to the sentence end, quotes included; False when none was made, or when the clause
        stops at a quotation that resumes the first one (``…, referring to X, “more”``).
        """
        for k in range(i, stop - 2):
            if toks[k].quote is not None and k > i:
                return False
            nxt = toks[k + 1].lower
            if toks[k].text == "," and (nxt in _PARTICIPLES or (topics and nxt in _TOPIC_PARTICIPLES)):
                start = k + 2
                topic_word = nxt in _TOPIC_PARTICIPLES and toks[start].lower in _TOPIC_PREPOSITIONS
                if toks[start].lower == "that" or toks[start].text in (",", ":") or topic_word:
                    start += 1  # ", saying: “…”" : the colon introduces the words, it is not one
                elif nxt in HEARER_VERBS:
                    start = _after_hearer(toks, start, stop)
                if start < stop and toks[start].text == ",":
                    start += 1
                if start + 1 < stop and toks[start + 1].text == "," and toks[start].lower in INTERPOSED:
                    start += 2  # "adding later, “…”"
                end_tok = stop
                resumes = False
                for q in range(start + 1, stop):
                    if toks[q].quote is not None and toks[q - 1].text == ",":
                        end_tok, resumes = q - 1, True
                        break
                while end_tok > start and toks[end_tok - 1].text in (".", "!", "?", ";", ")"):
                    end_tok -= 1
                if not _substantial(toks, start, end_tok):
                    return False
                only_quote = toks[start].quote is not None and end_tok - start == 1
                question = nxt == "asking"
                kind = "direct" if only_quote else "indirect"
                quote = toks[start].quote
                first = quote.start if only_quote and quote else toks[start].start
                last = quote.end if only_quote and quote else toks[end_tok - 1].end
                self.drafts.append(Draft(source, kind, first, last, question))
                return not resumes
        return False

    # -- speakers -----------------------------------------------------------------------
    def _source(self, mention: Mention) -> Source:
        person: str | None = None
        if mention.kind == "name":
            person = self.people.observe(mention, subject=True)
        elif mention.kind == "pronoun":
            person = self.people.resolve_pronoun(mention)
            self.people.note(mention.start, person)
        elif mention.kind == "role":
            person = self.people.resolve_role(mention) or self._role_speaker(mention)
            self.people.note(mention.start, person)
        elif mention.kind == "relative":
            person = self.people.resolve_relative(mention)
        elif mention.kind == "other":
            person = self._role_speaker(mention)
            if person is not None or mention.role is not None:
                self.people.note(mention.start, person)  # "a spokesman said": someone unnamed speaks
        return Source(mention, person)

    def _role_speaker(self, mention: Mention) -> str | None:
        """``A Department for Constitutional Affairs spokeswoman said``: a speaker known by role.

        A bare ``a spokeswoman`` speaks for the body the sentence before opened with, if any.
        """
        found = role_speakers.unnamed_role(self.text[mention.start : mention.end])
        if found is None:
            return None
        role, qualified = found
        if not qualified:
            if self.last_body is None:
                return None
            # "An executive spokesman" after "The Scottish Executive said …": the body's name
            # already holds the modifier.
            body = self.last_body.casefold().split()
            role = " ".join([self.last_body, *(w for w in role.split() if w.casefold() not in body)])
        return self.people.role_speaker(role)
