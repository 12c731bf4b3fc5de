"""Who said what in a news report: direct quotes and reported speech, with their speakers.

The report is read paragraph by paragraph and sentence by sentence (quotations are never
split). A quotation is attributed by the cue next to it: after it (``"…," he said``,
``"…," said Mr Khan``), before it (``The mayor responded: "…"``), or, for a paragraph that
is only a quotation, the speaker of the quotation just before (or the ``X continued:``
that introduced it). Reported speech is a reporting verb with a subject (``Mr Khan said
he…``, ``…, officials said``, ``according to X``). Short quoted phrases with no cue are
scare quotes and attribute nothing. Mentions resolve to one person per report through
``People``; when that is uncertain the speaker is ``None`` but the mention is still given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.attribution.cues import (
    AMBIGUOUS_FORMS,
    HEARER_VERBS,
    NAMING_VERBS,
    QUESTION_VERBS,
    ROLE_NOUNS,
    SPEECH_VERBS,
)
from bot.attribution.mentions import (
    Mention,
    People,
    coordinated_subject,
    names_in,
    noun_phrase_after,
    subject_before,
)
from bot.attribution.quotes import Quote, find_quotes
from bot.attribution.segments import Token, paragraphs, sentences, tokens
from bot.models import Person, Statement

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
_TURN_RE = re.compile(r"([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}):\s+")
# A sentence without any of these words reports no speech; most sentences skip the analysis.
_GATE_WORDS = SPEECH_VERBS | {"according"}
_TOPIC_VERBS = frozenset(
    ["talked", "talks", "talking", "spoke", "speaks", "speaking", "referred", "refers", "referring"]
)
_CLAUSE_JOINS = frozenset([",", ";", "and", "but", "though", "although", "while", "whereas", "yet"])
# After a quotation, a verb followed by these is not an inverted cue ("said Mr Khan").
_NOT_INVERTED = frozenset(["that", "this", "these", "those", "it", "to", "for", "by", "in", "on", "with"])
_TAIL_LIMIT = 7  # words allowed after a trailing cue: "…, he said on Tuesday."


@dataclass
class _Source:
    """Who a statement rests on: the mention and the person it resolved to."""

    mention: Mention | None
    person: str | None


@dataclass
class _Draft:
    source: _Source
    kind: str
    start: int
    end: int
    question: bool
    open_end: bool = False  # a quotation right after may continue it (a bare "he said" cue)


def attribute_prose(text: str) -> tuple[list[Statement], list[Person]]:
    """Statements (direct and reported speech) and the people who made them."""
    reader = _Reader(text)
    for start, end in paragraphs(text):
        reader.paragraph(start, end)
    return reader.finish()


_LOWER_WORD_RE = re.compile(r"(?<![\w.])[a-z][a-z'’-]{2,}")


def _lower_words(text: str) -> frozenset[str]:
    """Words the report writes in lower case: "Officials" opening a sentence is not a name."""
    return frozenset(_LOWER_WORD_RE.findall(text))


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


def _hearer_word(tok: Token) -> bool:
    """A word that can be part of the hearer of ``told``/``asked`` (``told reporters``)."""
    low = tok.lower
    return (
        tok.is_capitalised
        or low in _HEARERS
        or low in ("the", "a", "an", "his", "her", "their")
        or (tok.is_word and low in ROLE_NOUNS)
    )


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.people = People(_lower_words(text))
        self.drafts: list[_Draft] = []
        self.carry: _Source | None = None  # speaker of the previous paragraph's last quotation

    # -- paragraphs and sentences -------------------------------------------------------
    def paragraph(self, start: int, end: int) -> None:
        text = self.text
        quotes = find_quotes(text, start, end)
        carry, self.carry = self.carry, None
        last: _Draft | None = None
        adjacent: _Draft | None = None  # the statement the previous sentence made
        q_lo = 0
        for s_start, s_end in sentences(text, start, end, quotes):
            self.people.new_sentence()
            while q_lo < len(quotes) and quotes[q_lo].outer_end <= s_start:
                q_lo += 1
            q_hi = q_lo
            while q_hi < len(quotes) and quotes[q_hi].outer_start < s_end:
                q_hi += 1
            toks = tokens(text, s_start, s_end, quotes[q_lo:q_hi])
            if not toks:
                continue
            for mention in names_in(toks, 0, len(toks)):
                self.people.observe(mention)
            if q_hi > q_lo:
                made = self._quoted_sentence(toks, carry if last is None else None, last, adjacent)
            elif toks[-1].text == ":" or any(t.lower in _GATE_WORDS for t in toks):
                made = self._plain_sentence(toks)
            else:
                made = None  # no reporting verb: nothing said here
            last = made or last
            adjacent = made
            carry = None
        if last is not None and last.kind == "direct":
            self.carry = last.source
        elif self._ends_with_colon(start, end):
            self.carry = self._colon_source

    def _ends_with_colon(self, start: int, end: int) -> bool:
        return self.text[start:end].rstrip().endswith(":")

    _colon_source: _Source | None = None

    # -- sentences with quotations ------------------------------------------------------
    def _quoted_sentence(
        self, toks: list[Token], carry: _Source | None, last: _Draft | None, adjacent: _Draft | None
    ) -> _Draft | None:
        made: _Draft | None = None
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            if tok.quote is None:
                i += 1
                continue
            quote = tok.quote
            turn = _TURN_RE.match(self.text, quote.start, quote.end)
            if turn is not None and turn.end() < quote.end:
                # "PENCE: Well, look…" — a transcript quoted inside a report.
                label = turn.group(1)
                mention = Mention(quote.start, quote.start + len(label), "name", name=label.title())
                made = _Draft(self._source(mention), "direct", turn.end(), quote.end, False)
                made.question = self.text[quote.start : quote.end].rstrip("\"”' ").endswith("?")
                self.drafts.append(made)
                i += 1
                continue
            after = self._cue_after(toks, i)
            if after is not None:
                source, resume, _bare = after
                draft = self._direct(source, quote, toks, i, resume)
                draft.open_end = True
                made = draft
                if self._participles(toks, i + 1, n, source, topics=True):
                    return made
                i = self._extend_with_quotes(draft, toks, resume)
                continue
            before = self._cue_before(toks, i)
            if isinstance(before, str):
                lo = i
                while lo > 0 and toks[lo - 1].quote is None:
                    lo -= 1
                draft_r = self._reported(toks, lo if made is not None else 0, n, quotes_ok=True)
                return draft_r or made
            if before is not None:
                draft = self._direct(before, quote, toks, i, i + 1)
                made = draft
                i = self._extend_with_quotes(draft, toks, i + 1)
                continue
            if (i == 0 or all(not t.is_word for t in toks[:i])) and not self._cued_later(toks, i):
                cont = carry if carry is not None else (last.source if last is not None else None)
                if cont is None and made is not None:
                    cont = made.source
                if cont is not None:
                    source = cont
                    prior = made if made is not None else (adjacent if carry is None else None)
                    if prior is not None and prior.open_end and prior.source is source:
                        prior.end = quote.end
                        if self.text[quote.start : quote.end].rstrip("\"”“' ").endswith("?"):
                            prior.question = True
                        made = prior
                        i = self._extend_with_quotes(prior, toks, i + 1)
                        continue
                    draft = self._direct(source, quote, toks, i, i + 1)
                    made = draft
                    i = self._extend_with_quotes(draft, toks, i + 1)
                    continue
            i += 1
        if made is None:
            return self._plain_sentence(toks, quotes_ok=True)
        return made

    def _cued_later(self, toks: list[Token], qi: int) -> bool:
        """``“…” to get rich, she said``: words after the quotation, then a cue of its own.

        Such a sentence is attributed by that cue, not continued from the previous speaker.
        """
        n = len(toks)
        if qi + 1 >= n or not toks[qi + 1].is_word:
            return False
        for v in range(qi + 2, n):
            if toks[v].quote is not None:
                return False
            if not self._is_cue_verb(toks, v, qi + 1):
                continue
            found = subject_before(toks, v, qi + 1)
            if found is None or found[0].kind not in ("name", "pronoun", "role"):
                continue
            if toks[found[1] - 1].text == ",":
                return True
        return False

    def _direct(self, source: _Source, quote: Quote, toks: list[Token], qi: int, resume: int) -> _Draft:
        content = self.text[quote.start : quote.end].rstrip("\"”“' ")
        question = content.endswith("?")
        cue_words = {t.lower for t in toks[qi + 1 : resume] if t.is_word}
        cue_words |= {t.lower for t in toks[max(0, qi - 6) : qi] if t.is_word}
        if cue_words & QUESTION_VERBS:
            question = True
        draft = _Draft(source, "direct", quote.start, quote.end, question)
        self.drafts.append(draft)
        return draft

    def _extend_with_quotes(self, draft: _Draft, toks: list[Token], i: int) -> int:
        """Quotations later in the same sentence continue the same statement."""
        n = len(toks)
        while i < n:
            tok = toks[i]
            if tok.quote is not None:
                if self._cue_after(toks, i) is not None:
                    return i
                draft.end = tok.quote.end
                if tok.quote.end > tok.quote.start and self.text[tok.quote.end - 1] == "?":
                    draft.question = True
            elif tok.is_word and tok.lower in SPEECH_VERBS and tok.lower not in ("said", "says", "added"):
                return i + 1
            i += 1
        return i

    def _cue_after(self, toks: list[Token], qi: int) -> tuple[_Source, int, bool] | None:
        """``"…," he said`` / ``"…," said Mr Khan``: the source and the index after the cue."""
        n = len(toks)
        j = qi + 1
        while j < n and toks[j].text in (",", "—", "–", "-", "―"):
            j += 1
        if j >= n or toks[j].quote is not None:
            return None
        quote = toks[qi].quote
        assert quote is not None
        ends_open = self.text[quote.start : quote.end].rstrip("\"”' ")[-1:] in (",", "?", "!", "…", "—", "-")
        first = toks[j]
        if j > qi + 1 and toks[j - 1].text in ("―", "—", "–", "-"):
            mention = noun_phrase_after(toks, j, n)
            if mention is not None and mention.kind == "name":
                return self._source(mention), *self._cue_end(toks, j + 1)
        if first.is_word and first.lower in SPEECH_VERBS and not first.is_capitalised:
            if j + 1 < n and toks[j + 1].lower in _NOT_INVERTED:
                return None  # "“…” suggests that X": the quotation is the verb's subject
            mention = noun_phrase_after(toks, j + 1, n)
            if mention is not None:
                np_end = j + 1
                while np_end < n and toks[np_end].start < mention.end:
                    np_end += 1
                return self._source(mention), *self._cue_end(toks, np_end)
            return None
        limit = min(n, j + 24)  # room for an aside: "…," Name, a title of X, said
        for v in range(j + 1, limit):
            tok = toks[v]
            if tok.quote is not None or tok.text in (".", ";", "!", "?"):
                break
            is_cue = tok.is_word and tok.lower in SPEECH_VERBS and not tok.is_capitalised
            generic = ends_open and tok.is_word and not tok.is_capitalised and tok.lower.endswith(("ed", "s"))
            if not (is_cue or generic):
                continue
            found = subject_before(toks, v, j)
            if found is None:
                continue
            mention, start_idx = found
            if start_idx != j:
                continue
            if generic and not is_cue and mention.kind not in ("pronoun", "name"):
                continue
            return self._source(mention), *self._cue_end(toks, v + 1)
        return None

    def _cue_end(self, toks: list[Token], i: int) -> tuple[int, bool]:
        """Skip the rest of a cue clause up to the next quotation or the sentence end.

        Also says whether the cue was bare ("he said on Tuesday"): only then does a
        quotation that follows continue the same statement.
        """
        n = len(toks)
        words = 0
        while i < n and toks[i].quote is None:
            words += toks[i].is_word
            i += 1
        return i, words <= 3

    def _cue_before(self, toks: list[Token], qi: int) -> _Source | str | None:
        """``X said: "…"``: the source; ``"embedded"`` for a quote inside reported speech."""
        if qi == 0:
            return None
        lo = qi - 1
        while lo > 0 and toks[lo - 1].quote is None:
            lo -= 1
        prev = toks[qi - 1]
        verbs = [v for v in range(lo, qi) if self._is_cue_verb(toks, v, lo)]
        if prev.text == "," and qi >= 2 and toks[qi - 2].lower == "that" and verbs:
            return "embedded"  # "said via email that, “…”"
        if prev.is_word and prev.lower in SPEECH_VERBS and not self._ends_sentence(toks, qi):
            return "embedded" if verbs else None  # "what lawmakers called “fraud” …"
        if prev.text in (":", ",") or (prev.is_word and prev.lower in SPEECH_VERBS):
            if verbs:
                found = subject_before(toks, verbs[-1], lo) or coordinated_subject(toks, verbs[-1], lo)
                if found is not None:
                    return self._source(found[0])
                skip = 2 if toks[verbs[-1]].lower == "according" else 1
                mention = noun_phrase_after(toks, verbs[-1] + skip, qi)
                if mention is not None and mention.kind == "name":
                    return self._source(mention)
                return None
            if prev.text == ":":
                found = subject_before(toks, qi - 1, lo)
                if found is not None and found[0].kind in ("name", "pronoun", "role") and found[1] == lo:
                    return self._source(found[0])
            return None
        if prev.is_word and verbs:
            return "embedded"
        return None

    @staticmethod
    def _ends_sentence(toks: list[Token], qi: int) -> bool:
        return all(not t.is_word and t.quote is None for t in toks[qi + 1 :])

    def _is_cue_verb(self, toks: list[Token], v: int, lo: int) -> bool:
        tok = toks[v]
        if not tok.is_word or (tok.is_capitalised and v != lo):
            return False
        low = tok.lower
        if low not in SPEECH_VERBS:
            return low == "according" and v + 1 < len(toks) and toks[v + 1].lower == "to"
        return low not in AMBIGUOUS_FORMS or (v > lo and subject_before(toks, v, lo) is not None)

    # -- reported speech ----------------------------------------------------------------
    def _plain_sentence(self, toks: list[Token], *, quotes_ok: bool = False) -> _Draft | None:
        self._colon_source = None
        if toks[-1].text == ":":
            verbs = [v for v in range(len(toks)) if self._is_cue_verb(toks, v, 0)]
            found = subject_before(toks, verbs[-1] if verbs else len(toks) - 1, 0)
            if found is not None and found[0].kind in ("name", "pronoun", "role", "relative"):
                self._colon_source = self._source(found[0])
            return None
        return self._reported(toks, 0, len(toks), quotes_ok=quotes_ok)

    def _reported(self, toks: list[Token], lo: int, hi: int, *, quotes_ok: bool) -> _Draft | None:
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
            clauses.append((v, mention, s_idx))
        first: _Draft | None = None
        for n_clause, (v, mention, _) in enumerate(clauses):
            stop = clauses[n_clause + 1][2] - 1 if n_clause + 1 < len(clauses) else end_tok
            while stop > v and toks[stop - 1].lower in _CLAUSE_JOINS:
                stop -= 1
            start = self._content_start(toks, v, stop)
            if start is None:
                continue
            draft = self._indirect(self._source(mention), toks, start, stop, toks[v].lower)
            first = first or draft
        return first

    def _according(self, toks: list[Token], lo: int, end_tok: int, v: int) -> _Draft | None:
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

    def _trailing(self, toks: list[Token], lo: int, end_tok: int, verbs: list[int]) -> _Draft | None:
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

    def _indirect(
        self, source: _Source, toks: list[Token], start: int, stop: int, verb: str
    ) -> _Draft | None:
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
        draft = _Draft(source, "indirect", toks[start].start, toks[end_at - 1].end, question)
        self.drafts.append(draft)
        if split is not None:
            self._participles(toks, split, stop, source)
        return draft

    def _participles(
        self, toks: list[Token], i: int, stop: int, source: _Source, *, topics: bool = False
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
                if toks[start].lower == "that" or toks[start].text == "," or topic_word:
                    start += 1
                if start < stop and toks[start].text == ",":
                    start += 1
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
                self.drafts.append(_Draft(source, kind, first, last, question))
                return not resumes
        return False

    # -- speakers -----------------------------------------------------------------------
    def _source(self, mention: Mention) -> _Source:
        person: str | None = None
        if mention.kind == "name":
            person = self.people.observe(mention, subject=True)
        elif mention.kind == "pronoun":
            person = self.people.resolve_pronoun(mention)
            if person is not None:
                self.people.note(mention.start, person)
        elif mention.kind == "role":
            person = self.people.resolve_role(mention)
            if person is not None:
                self.people.note(mention.start, person)
        elif mention.kind == "relative":
            person = self.people.resolve_relative(mention)
        return _Source(mention, person)

    def finish(self) -> tuple[list[Statement], list[Person]]:
        text = self.text
        out: list[Statement] = []
        spoken: set[str] = set()
        for d in sorted(self.drafts, key=lambda d: (d.start, d.end)):
            start, end = d.start, d.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            speaker = self.people.canonical(d.source.person) if d.source.person else None
            if speaker:
                spoken.add(speaker)
            mention = d.source.mention
            out.append(
                Statement(
                    speaker=speaker,
                    text=text[start:end],
                    kind="direct" if d.kind == "direct" else "indirect",
                    start=start,
                    end=end,
                    mention_start=mention.start if mention else None,
                    mention_end=mention.end if mention else None,
                    is_question=d.question,
                )
            )
        return out, self.people.people(spoken)
