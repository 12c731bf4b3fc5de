"""Mentions of speakers in a sentence: the phrase naming who spoke, and what kind it is.

A reporting verb's subject is found by scanning left from the verb (``Mr Khan said``,
``Name, a description, said``, ``Mr Bailey became angry and said``) or right from an
inverted verb (``said Mr Khan``), and then classified: a person's name (titles, party and
role split off), a role (``the mayor``), a pronoun, or something else (an organisation, a
common noun). Who a mention refers to is ``people``'s work.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.ingest.attribution.segments import Token
from bot.ingest.attribution.speech_verbs import INTERPOSED, SPEECH_VERBS
from bot.ingest.attribution.subject_words import (
    BOUNDARY_WORDS,
    DETERMINERS,
    GROUP_NAMES,
    HONORIFICS,
    ORG_WORDS,
    PARTIES,
    PERSONAL_PRONOUNS,
    PREPOSITIONS,
    ROLE_NOUNS,
    SUBJECT_PRONOUNS,
    TITLE_WORDS,
)

_FEMALE_HONORIFICS = frozenset("mrs ms miss dame lady".split())
_MALE_HONORIFICS = frozenset("mr sir lord".split())
_NAME_PARTICLES = frozenset("de da del della der van von di du la le al bin ibn st.".split())
# Capitalised words that open sentences without being names.
_SENTENCE_OPENERS = frozenset(
    """the a an but and or however last this that these those when if after before on in at as for from
    by with while although though meanwhile yet so then now there here it its his her their our we
    they he she i you earlier later today yesterday asked speaking according one some many most all
    other both what why how who where despite during since until under over following among unlike
    like instead still even also again not no""".split()
)
_MAX_NP = 9
_GENERATIONS = frozenset(["II", "III", "IV", "JR", "SR"])  # "Vann R. Newkirk II"


@dataclass
class Mention:
    """A phrase naming who spoke, and what kind of phrase it is."""

    start: int
    end: int
    kind: str  # pronoun | relative | name | role | other
    name: str | None = None  # the person's name as written, titles stripped
    role: str | None = None
    party: str | None = None
    gender: str | None = None
    surname_only: bool = False
    word: str = ""
    honorific: str | None = None
    possessor: bool = False  # named as a possessor: "Lord Hutton's inquiry"


def _is_adverb(token: Token) -> bool:
    low = token.lower
    return token.is_word and not token.is_capitalised and (low in INTERPOSED or low.endswith("ly"))


def subject_before(toks: list[Token], verb: int, floor: int) -> tuple[Mention, int] | None:
    """The subject phrase ending just before ``toks[verb]`` (not before ``floor``)."""
    j = verb - 1
    while j >= floor and (_is_adverb(toks[j]) or toks[j].lower in ("day", "week", "night")):
        j -= 1
    if j < floor:
        return None
    tok = toks[j]
    if tok.is_word and tok.lower in SUBJECT_PRONOUNS:
        kind = "relative" if tok.lower in ("who", "which") else "pronoun"
        return Mention(tok.start, tok.end, kind, gender=PERSONAL_PRONOUNS.get(tok.lower), word=tok.lower), j
    if tok.is_word and tok.lower in PREPOSITIONS and not tok.is_capitalised:
        return None  # "began by asking": no subject right before the verb
    if tok.text == "," or tok.text == ")":
        # "Name, a description, said" / "Name (R-Ky.) said": the subject precedes the aside,
        # which may itself hold a comma ("Name, president of X, which …, said").
        # An appositive role ("Name, the city's director, said") yields to the name before it.
        opener = "," if tok.text == "," else "("
        k = j
        role: tuple[Mention, int] | None = None
        for _ in range(3):
            k -= 1
            while k >= floor and j - k < 30 and toks[k].text != opener and toks[k].quote is None:
                k -= 1
            if k <= floor or toks[k].text != opener:
                return role
            found = subject_before(toks, k, floor)
            if found is not None and found[0].kind == "name":
                return found
            if found is not None and found[0].kind == "role" and role is None:
                role = found
            if opener == "(":
                return role
        return role
    return _noun_phrase_before(toks, j, floor)


def coordinated_subject(toks: list[Token], verb: int, floor: int) -> tuple[Mention, int] | None:
    """``Mr Bailey became angry and said``: the subject at the start of the clause."""
    j = verb - 1
    while j >= floor and _is_adverb(toks[j]):
        j -= 1
    if j <= floor or toks[j].lower != "and":
        return None
    k = floor
    while k < j and (
        not toks[k].is_word or (toks[k].lower in _SENTENCE_OPENERS and toks[k].lower not in SUBJECT_PRONOUNS)
    ):
        k += 1
    if k >= j:
        return None
    tok = toks[k]
    if tok.lower in SUBJECT_PRONOUNS and tok.lower not in ("who", "which"):
        return Mention(
            tok.start, tok.end, "pronoun", gender=PERSONAL_PRONOUNS.get(tok.lower), word=tok.lower
        ), k
    mention = noun_phrase_after(toks, k, j)
    if mention is None or mention.kind not in ("name", "role"):
        return None
    return mention, k


def _noun_phrase_before(toks: list[Token], j: int, floor: int) -> tuple[Mention, int] | None:
    end_idx = j
    k = j
    saw_preposition = False
    while k >= floor and end_idx - k < _MAX_NP:
        tok = toks[k]
        if not tok.is_word:
            if tok.text in ("-", "’", "'", "&") and k > floor:
                k -= 1
                continue
            break
        low = tok.lower
        if low in DETERMINERS and not tok.is_capitalised:
            if k - 1 >= floor and toks[k - 1].lower in ("of", "for", "at") and end_idx - k < _MAX_NP - 2:
                saw_preposition = True
                k -= 2
                continue
            k -= 1
            break
        if (
            tok.is_capitalised
            and low in DETERMINERS
            and low in ("the", "a", "an", "his", "her", "their", "its")
        ):
            k -= 1
            break
        if low in PREPOSITIONS and not tok.is_capitalised:
            saw_preposition = True
            k -= 1
            continue
        if not tok.is_capitalised and (low in BOUNDARY_WORDS or low in SUBJECT_PRONOUNS):
            break
        if tok.is_capitalised and low in _SENTENCE_OPENERS and k < end_idx and low not in DETERMINERS:
            break
        k -= 1
    start_idx = k + 1
    while start_idx <= end_idx and not toks[start_idx].is_word:
        start_idx += 1
    if start_idx > end_idx:
        return None
    if toks[start_idx].lower in PREPOSITIONS:
        return None
    span = toks[start_idx : end_idx + 1]
    mention = describe(span, saw_preposition)
    return mention, start_idx


def noun_phrase_after(toks: list[Token], i: int, stop: int) -> Mention | None:
    """The phrase naming the speaker right after an inverted verb (``said Mr Khan``)."""
    if i >= stop:
        return None
    tok = toks[i]
    if tok.is_word and tok.lower in SUBJECT_PRONOUNS and tok.lower not in ("who", "which", "it", "you"):
        return Mention(tok.start, tok.end, "pronoun", gender=PERSONAL_PRONOUNS.get(tok.lower), word=tok.lower)
    k = i
    while k < stop and k - i < _MAX_NP:
        t = toks[k]
        if not t.is_word:
            if t.text in ("-", "’", "'") and k > i:
                k += 1
                continue
            break
        low = t.lower
        if t.is_capitalised or low in DETERMINERS or low in TITLE_WORDS or low in ROLE_NOUNS:
            k += 1
            continue
        if low in _NAME_PARTICLES and k > i:
            k += 1
            continue
        break
    if k == i:
        return None
    return describe(toks[i:k], False)


def describe(span: list[Token], saw_preposition: bool, *, possessor: bool = False) -> Mention:
    """Classify a subject phrase: a person's name, a role, or something else.

    ``possessor``: the phrase ends in a possessive (``Tony Blair's``), which names its
    possessor: the ``'s`` is not part of the name.
    """
    start, end = span[0].start, span[-1].end
    if saw_preposition:
        # "Mr. Morgan of the Sierra Club": the head is before the preposition; but in
        # "Secretary of State John Kerry" the words before it are a title.
        cut = next((i for i, t in enumerate(span) if t.lower in PREPOSITIONS and not t.is_capitalised), 0)
        if cut > 0 and all(t.lower in TITLE_WORDS or t.lower in ROLE_NOUNS for t in span[:cut]):
            tail = describe(span[cut + 1 :], False) if cut + 1 < len(span) else None
            if tail is not None and tail.kind == "name" and not tail.surname_only:
                tail.start, tail.end = start, end
                return tail
        if cut > 0:
            inner = describe(span[:cut], False)
            inner.start, inner.end = start, end
            return inner
    head = span[-1]
    if head.is_capitalised and not saw_preposition and (possessor or not _possessive(head.text)):
        run_start = len(span) - 1
        while run_start > 0 and (
            span[run_start - 1].is_capitalised or span[run_start - 1].lower in _NAME_PARTICLES
        ):
            run_start -= 1
        run = span[run_start:]
        role_words: list[str] = [t.lower for t in span[:run_start] if t.lower not in DETERMINERS]
        # "European Council President Donald Tusk": capitalised words before a title
        # describe the office; the name is what follows the title.
        # "The SNP's Nicola Sturgeon": what comes up to a possessive describes the person.
        owner = max((i for i, t in enumerate(run[:-1]) if _possessive(t.text)), default=-1)
        role_words.extend(_strip_possessive(t.lower.replace("’", "'")) for t in run[: owner + 1])
        run = run[owner + 1 :]
        lead = _title_lead(run)
        role_words.extend(t.lower for t in run[:lead])
        run = run[lead:]
        name_toks: list[Token] = []
        gender: str | None = None
        honorific = False
        honorific_text: str | None = None
        for idx, t in enumerate(run):
            low = t.lower
            rest_named = any(r.lower not in TITLE_WORDS for r in run[idx + 1 :])
            if not name_toks and low in TITLE_WORDS and rest_named:
                if low in HONORIFICS:
                    honorific = True
                    honorific_text = t.text
                    bare = low.rstrip(".")
                    gender = "f" if bare in _FEMALE_HONORIFICS else "m" if bare in _MALE_HONORIFICS else None
                else:
                    role_words.append(low)
                continue
            name_toks.append(t)
        party, role_words = split_party(role_words)
        role = " ".join(role_words) or None
        words = [t.text for t in name_toks]
        if possessor and words and _possessive(words[-1]):
            words[-1] = words[-1][:-2]
        org = (
            any(w.lower() in ORG_WORDS for w in words)
            or any(_acronym(w) for w in words)
            or (" ".join(words).lower() in GROUP_NAMES and not honorific)
            # "Fellow Republicans", "Scottish Nationalists": members of a group, many people.
            or (words[-1].lower().endswith("s") and words[-1].lower() in GROUP_NAMES)
            # "the Scottish Executive", "The Spectator": a person is not "the Name".
            or (run_start <= 1 and owner < 0 and span[0].lower == "the" and not honorific)
        )
        if len(words) == 1 and is_role_noun(words[0].lower()) and not honorific:
            # "Lawmaker urges …" (a headline), "Officials said": an office, not a name.
            return Mention(start, end, "other", role=words[0].lower())
        if words and not org:
            return Mention(
                start,
                end,
                "name",
                name=" ".join(words),
                role=role if role and is_role_noun(role.split()[-1]) else None,
                party=party,
                gender=gender,
                surname_only=len(words) == 1,
                word=("honorific" if honorific else ""),
                honorific=honorific_text,
            )
        return Mention(start, end, "other")
    low = head.lower
    # "the attorney general": a title with its postpositive is headed by the role noun.
    role_head = is_role_noun(low) or (low == "general" and len(span) > 2 and is_role_noun(span[-2].lower))
    if role_head and not saw_preposition and span[0].lower in ("the",):
        return Mention(start, end, "role", role=" ".join(t.lower for t in span[1:]))
    if is_role_noun(low) and not saw_preposition:
        # "a spokesman", "one aide": a person the report does not name.
        return Mention(start, end, "other", role=" ".join(t.lower for t in span))
    return Mention(start, end, "other")


def is_role_noun(word: str) -> bool:
    """A noun for a person by office or job; ``co-chairman`` by its last part."""
    return word in ROLE_NOUNS or word.rsplit("-", 1)[-1] in ROLE_NOUNS


def _acronym(word: str) -> bool:
    """``NASA``, ``FBI``: an organisation; an initial (``R.``) is part of a person's name."""
    bare = word.rstrip(".")
    return len(bare) > 1 and bare.isupper() and bare not in _GENERATIONS


def _title_lead(run: list[Token]) -> int:
    """Where a title sits after other capitalised words (``Oversight Chairman X``), its index.

    An honorific (``Lord``, ``Mr``) counts wherever it stands; otherwise only a role noun
    or an abbreviated title (``Sen.``), and only when a name follows it and a non-title
    word precedes it; otherwise 0 (nothing to split off).
    """
    for idx in range(1, len(run) - 1):
        # An honorific opens the name: "Tory Treasurer Lord Ashcroft" is the treasurer,
        # and the person is "Lord Ashcroft".
        if run[idx].lower in HONORIFICS and any(r.lower not in TITLE_WORDS for r in run[idx + 1 :]):
            return idx
    for idx in range(len(run) - 2, 0, -1):
        tok = run[idx]
        is_title = tok.lower in ROLE_NOUNS or (tok.text.endswith(".") and tok.lower in TITLE_WORDS)
        if not is_title:
            continue
        if all(r.lower in TITLE_WORDS for r in run[idx + 1 :]):
            return 0
        while idx > 0 and run[idx - 1].lower in TITLE_WORDS:
            idx -= 1
        return idx
    return 0


def split_party(words: list[str]) -> tuple[str | None, list[str]]:
    """The party a description names (``Liberal Democrat`` as one), and its other words."""
    party: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in PARTIES:
            party = party or PARTIES[pair]
            i += 2
            continue
        if words[i] in PARTIES:
            party = party or PARTIES[words[i]]
        else:
            rest.append(words[i])
        i += 1
    return party, rest


# Words that show a clause has passed its subject: auxiliaries, prepositions, subordinators.
_PAST_SUBJECT = frozenset(
    """is was were are be been being has have had will would can could may might shall should must
    do does did by as than against into over after before like including that who whom whose which
    when while if because whether""".split()
)
# Words that may open a sentence with a scene-setting phrase ending in a comma.
_SETTING_OPENERS = frozenset(
    """in on at during after before when while as asked speaking although though if since last earlier
    later meanwhile however taken writing interviewed""".split()
)


def subject_position(toks: list[Token], idx: int) -> bool:
    """The mention starting at ``toks[idx]`` is its sentence's subject, not something it mentions.

    Read leftwards: reaching the sentence start (past conjunctions, determiners and the
    words of a description) means subject; a verb, an auxiliary, a preposition or a
    subordinator first means the name is an object or sits inside a phrase. A comma that
    closes a scene-setting opening ("In his speech, he…", "Asked why, Lord Butler said")
    starts the clause again.
    """
    for k in range(idx - 1, -1, -1):
        tok = toks[k]
        if tok.quote is not None:
            return False
        if tok.text == ",":
            return toks[0].lower in _SETTING_OPENERS or toks[0].lower.endswith("ing")
        if not tok.is_word or tok.is_capitalised:
            continue
        low = tok.lower
        if low in _PAST_SUBJECT or low in PREPOSITIONS or low in SPEECH_VERBS:
            return False
        if low.endswith("ed") and low not in ROLE_NOUNS and low not in TITLE_WORDS:
            return False
    return True


def _possessive(word: str) -> bool:
    return word.endswith(("’s", "'s"))


def _strip_possessive(words: str) -> str:
    return words[:-2] if _possessive(words) else words


def _role_phrase_end(toks: list[Token], i: int, hi: int) -> int | None:
    """After ``the``: the end of a role phrase, or None when the words are not one.

    ``shadow chancellor``, ``prime minister's official spokesman``, ``Tory leader``: the
    phrase is lower-case words (party names may be capitalised) ending in a role noun;
    one followed by a capitalised name is that person's description, read with the name.
    """
    end: int | None = None
    for k in range(i, min(hi, i + 6)):
        tok = toks[k]
        if not tok.is_word or tok.quote is not None:
            break
        low = tok.lower.replace("’", "'")
        bare = _strip_possessive(low)
        if tok.is_capitalised and bare not in PARTIES:
            if end is not None and end == k:
                return None  # "the Tory leader Michael Howard"
            break
        if not tok.is_capitalised and (
            low in BOUNDARY_WORDS or low in SUBJECT_PRONOUNS or low in PREPOSITIONS
        ):
            break
        if is_role_noun(bare):
            end = k + 1  # past a possessive it may go on: "the prime minister's spokesman"
        elif bare == "general" and end == k:
            end = k + 1  # a title's postpositive: "the attorney general", "the secretary general"
    return end


def names_in(toks: list[Token], lo: int, hi: int, lower_words: frozenset[str] = frozenset()) -> list[Mention]:
    """Person names mentioned in ``toks[lo:hi]`` outside quotations, for later pronouns.

    ``lower_words``: words the report writes in lower case. A title-case headline
    ("Hillary Clinton Goes After Donald Trump As The New Mitt Romney") capitalises them,
    so after two words of a name, one of them ends it.
    """
    found: list[Mention] = []
    k = lo
    while k < hi:
        tok = toks[k]
        if tok.lower == "the":
            role_end = _role_phrase_end(toks, k + 1, hi)
            if role_end is not None:
                words = " ".join(t.lower for t in toks[k + 1 : role_end])
                found.append(
                    Mention(tok.start, toks[role_end - 1].end, "role", role=_strip_possessive(words))
                )
                k = role_end
                continue
        if not tok.is_capitalised or tok.quote is not None:
            k += 1
            continue
        e = k
        while e < hi and toks[e].is_capitalised and not _possessive(toks[e].text):
            low = toks[e].lower
            if e - k >= 2 and low in lower_words and low not in TITLE_WORDS and not is_role_noun(low):
                break
            e += 1
        if e < hi and toks[e].is_capitalised and e > k:
            e += 1  # "Tony Blair's government": the possessor is named too
        s = k
        while s < e and toks[s].lower in _SENTENCE_OPENERS:
            s += 1
        first = s
        while first > lo and (toks[first - 1].lower in TITLE_WORDS or toks[first - 1].lower in PARTIES):
            first -= 1
        if s < e and (k == 0 or toks[k - 1].lower not in DETERMINERS):
            mention = describe(toks[first:e], False, possessor=_possessive(toks[e - 1].text))
            mention.possessor = _possessive(toks[e - 1].text)
            honorific = mention.word == "honorific"
            if mention.kind == "name" and (not mention.surname_only or honorific):
                found.append(mention)
            elif mention.kind == "name":
                mention.word = "bare"
                found.append(mention)
        k = max(e, k + 1)
    return found
