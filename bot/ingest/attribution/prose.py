"""Who said what in a news report: direct quotes and reported speech, with their speakers.

The report is read paragraph by paragraph and sentence by sentence (quotations are never
split). A quotation is attributed by the cue next to it: after it (``"…," he said``,
``"…," said Mr Khan``), before it (``The mayor responded: "…"``), or, for a paragraph that
is only a quotation, the speaker of the quotation just before (or the ``X continued:``
that introduced it). Reported speech is a reporting verb with a subject (``Mr Khan said
he…``, ``…, officials said``, ``according to X``; see ``reported``). Short quoted phrases with no cue are
scare quotes and attribute nothing. Mentions resolve to one person per report through
``People``; when that is uncertain the speaker is ``None`` but the mention is still given.
"""

from __future__ import annotations

import re

from bot.ingest.attribution.mentions import (
    Mention,
    coordinated_subject,
    names_in,
    noun_phrase_after,
    subject_before,
    subject_position,
)
from bot.ingest.attribution.people import People
from bot.ingest.attribution.quotes import Quote, find_quotes
from bot.ingest.attribution.reported import Draft, ReportedSpeech, Source
from bot.ingest.attribution.role_speakers import body_opening
from bot.ingest.attribution.segments import Token, paragraphs, sentences, tokens
from bot.ingest.attribution.speech_verbs import QUESTION_VERBS, SPEECH_VERBS
from bot.models import Person, Statement

_TURN_RE = re.compile(r"([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}):\s+")
# A sentence without any of these words reports no speech; most sentences skip the analysis.
_GATE_WORDS = SPEECH_VERBS | {"according"}
# After a quotation, a verb followed by these is not an inverted cue ("said Mr Khan").
_NOT_INVERTED = frozenset(["that", "this", "these", "those", "it", "to", "for", "by", "in", "on", "with"])


def attribute_prose(text: str) -> tuple[list[Statement], list[Person]]:
    """Statements (direct and reported speech) and the people who made them."""
    reader = _Reader(text)
    blocks = list(paragraphs(text))
    for n, (start, end) in enumerate(blocks):
        before = text[blocks[n - 1][0] : blocks[n - 1][1]] if n else None
        after = text[blocks[n + 1][0] : blocks[n + 1][1]] if n + 1 < len(blocks) else None
        # A headline, caption or byline says nothing anyone said.
        if not _standalone(before, after) or not _heading(text[start:end]):
            reader.paragraph(start, end)
        elif n == 0:
            reader.headline(start, end)
    return reader.finish()


def _standalone(before: str | None, after: str | None) -> bool:
    """A line that stands apart from the prose around it, as a heading does.

    A hard-wrapped paragraph ("… a witness statement for" / "the purposes of …") also
    gives short lines with no full stop; they are told apart by their neighbours: a line
    underlined as a heading (``===``, ``^^^``) is one; otherwise the line before a heading
    ends a sentence (or there is none) and the one after starts one (or there is none).
    """
    if after is not None and set(after.strip()) <= set("=-^~*#_"):
        return True
    ends_sentence = before is None or before.rstrip("'\"’”)*_ ").endswith((".", "?", "!", ":", ";"))
    if not ends_sentence and not _heading(before or ""):
        return False
    return after is None or after.lstrip("\"“‘'(*_ ")[:1].isupper() or after.lstrip()[:1].isdigit()


_BYLINE_RE = re.compile(
    r"[\"“]?(?:(?:By|Posted by|Written by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"|Follow\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+on\s+[A-Z]\w+\s+@\w+\.?)[\"”]?$"
)
# A whole statement that is a bracketed mark: "(CROSSTALK.)", "[APPLAUSE]", "(inaudible)".
_STAGE_DIRECTION_RE = re.compile(r"[(\[][^()\[\]]{1,40}[)\]]\.?$")


def _heading(paragraph: str) -> bool:
    """A headline, subheading, caption or byline: a line that is not prose.

    A headline is the reporter's summary, not anyone's words: "Fox attacks Blair's Tory
    'lies'" is not Fox speaking, and quoting it as his would put words in his mouth. Such
    lines are told from the body by form, not wording: one short line with no
    sentence-final mark and no quotation in double marks (those carry a cue: '“…” ― Name'),
    or a byline: "By Name", or the author's tagline "Follow Name on Twitter @handle".
    Headlines that end in a full stop (some archives add one) read as sentences.
    """
    line = paragraph.strip()
    if _BYLINE_RE.match(line):
        return True
    if "\n" in line or any(mark in line for mark in '"“”'):
        return False
    core = line.rstrip("'’‘ ")
    return bool(core) and (core[-1].isalnum() or core[-1] in ")%") and len(line.split()) <= 20


_LOWER_WORD_RE = re.compile(r"(?<![\w.])[a-z][a-z'’-]{2,}")


def _lower_words(text: str) -> frozenset[str]:
    """Words the report writes in lower case: "Officials" opening a sentence is not a name."""
    return frozenset(_LOWER_WORD_RE.findall(text))


class _Reader(ReportedSpeech):
    def __init__(self, text: str) -> None:
        self.text = text
        self.lower_words = _lower_words(text)
        self.people = People(self.lower_words)
        self.drafts: list[Draft] = []
        self.carry: Source | None = None  # speaker of the previous paragraph's last quotation

    # -- paragraphs and sentences -------------------------------------------------------
    def headline(self, start: int, end: int) -> None:
        """The headline says who the report is about: "Goldsmith denies war advice claim"."""
        toks = tokens(self.text, start, end, [])
        self.people.headline([m for m in names_in(toks, 0, len(toks), self.lower_words) if m.start == start])

    def paragraph(self, start: int, end: int) -> None:
        text = self.text
        self.people.new_paragraph()
        quotes = find_quotes(text, start, end)
        carry, self.carry = self.carry, None
        last: Draft | None = None
        adjacent: Draft | None = None  # the statement the previous sentence made
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
            at = {tok.start: k for k, tok in enumerate(toks)}
            for mention in names_in(toks, 0, len(toks), self.lower_words):
                self.people.observe(mention, topic=subject_position(toks, at.get(mention.start, 0)))
            if q_hi > q_lo:
                made = self._quoted_sentence(toks, carry if last is None else None, last, adjacent)
            elif toks[-1].text == ":" or any(t.lower in _GATE_WORDS for t in toks):
                made = self._plain_sentence(toks)
            else:
                made = None  # no reporting verb: nothing said here
            last = made or last
            adjacent = made
            carry = None
            self.last_body = body_opening(toks)
        if last is not None and last.kind == "direct":
            self.carry = last.source
        elif self._ends_with_colon(start, end):
            self.carry = self._colon_source

    def _ends_with_colon(self, start: int, end: int) -> bool:
        return self.text[start:end].rstrip().endswith(":")

    # -- sentences with quotations ------------------------------------------------------
    def _quoted_sentence(
        self, toks: list[Token], carry: Source | None, last: Draft | None, adjacent: Draft | None
    ) -> Draft | None:
        made: Draft | None = None
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
                made = Draft(self._source(mention), "direct", turn.end(), quote.end, False)
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

    def _direct(self, source: Source, quote: Quote, toks: list[Token], qi: int, resume: int) -> Draft:
        content = self.text[quote.start : quote.end].rstrip("\"”“' ")
        question = content.endswith("?")
        cue_words = {t.lower for t in toks[qi + 1 : resume] if t.is_word}
        cue_words |= {t.lower for t in toks[max(0, qi - 6) : qi] if t.is_word}
        if cue_words & QUESTION_VERBS:
            question = True
        draft = Draft(source, "direct", quote.start, quote.end, question)
        self.drafts.append(draft)
        return draft

    def _extend_with_quotes(self, draft: Draft, toks: list[Token], i: int) -> int:
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

    def _cue_after(self, toks: list[Token], qi: int) -> tuple[Source, int, bool] | None:
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

    def _cue_before(self, toks: list[Token], qi: int) -> Source | str | None:
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
                found = self._participle_subject(toks, verbs[-1], lo) or subject_before(toks, verbs[-1], lo)
                found = found or coordinated_subject(toks, verbs[-1], lo)
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
    def _participle_subject(toks: list[Token], v: int, lo: int) -> tuple[Mention, int] | None:
        """``Trump was defensive when … an architect who said …, saying, “…”``: the clause's subject.

        A participle clause after a comma has no subject of its own; it shares the main
        clause's, which opens the sentence, not the nearest noun before the comma.
        """
        if v <= lo or toks[v - 1].text != "," or not toks[v].lower.endswith("ing"):
            return None
        k = lo
        while k < v and not toks[k].is_word:
            k += 1
        if k >= v or toks[k].lower in ("but", "and", "so", "yet"):
            k += 1
        mention = noun_phrase_after(toks, k, v)
        if mention is None or mention.kind not in ("name", "pronoun"):
            return None
        return mention, k

    @staticmethod
    def _ends_sentence(toks: list[Token], qi: int) -> bool:
        return all(not t.is_word and t.quote is None for t in toks[qi + 1 :])

    def finish(self) -> tuple[list[Statement], list[Person]]:
        text = self.text
        self.people.settle_roles(text)
        self.people.link_full_names(text)
        out: list[Statement] = []
        spoken: set[str] = set()
        for d in sorted(self.drafts, key=lambda d: (d.start, d.end)):
            start, end = d.start, d.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start or _STAGE_DIRECTION_RE.match(text, start, end):
                continue  # "(CROSSTALK.)" in a quoted transcript: a mark, not words said
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
