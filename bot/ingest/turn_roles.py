"""Offices learned from how turns work: who says "I am", who is told "you are", who is "my Lady".

A transcript rarely writes an office next to its holder's name, but its turns say who holds
it, in three ways that belong to the language of hearings, debates and meetings, not to any
one record:

* **Self-identification.** Inside a turn, "I am the First Minister of the government",
  "as First Minister, I …", "my approach as First Minister", "myself, as Secretary of State"
  or "when I became Secretary of State" gives the office to the turn's speaker.
* **Identification of the person addressed.** "it is very well known that you are the First
  Minister of Wales", "As First Minister you chair …", "your role as Speaker" or "you were
  made the Secretary of State" gives the office to the one told so, who is the speaker of the
  next turn only when that turn answers: the telling turn asks something, the next turn is
  another speaker's, and every such telling of that office points at the same person (an
  office the record points at two people by is given to neither).
* **Vocatives of the presiding office.** "my Lady", "Madam President", "Presiding Officer",
  "Mr Speaker" at the end of a turn hand the floor to the one addressed; where those
  hand-overs point at one speaker, and that speaker is seen presiding (they call the next
  speaker by name, and that person speaks next), the office is theirs ("the chair", "the
  president", "the presiding officer", "the speaker").

Words inside quotation marks are someone else's (a statement read out, a letter) and are
not read. Past offices ("you were", "you have been", "I was", "when I became", "during my
time as", "former") are told apart from present ones and give only "the former …": a
career summary ("you have also been health minister") or aside ("when I was Speaker") does
not make someone the office a question asks about. A witness examined in an office they
have since left is found by what they say of it in the present ("myself, as Secretary of
State, …"), which hearings are full of.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.models import Statement
from bot.text.lexicon import HONORIFICS, OFFICE_MODIFIERS, OFFICE_WORDS, STOPWORDS
from bot.text.names import core_name, office_titles

# Office words that can end an office's name: "first" and "prime" only ever qualify one.
_HEADS = OFFICE_WORDS - {"first", "prime", "deputy", "cabinet", "presiding", "general"}
_JOINERS = frozenset(["of", "for", "and", "without", "the"])
_COMPLEMENT = frozenset(["of", "for", "without"])
_MAX_OFFICE_WORDS = 9
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Quoted material: a read-out statement or letter is not the speaker saying who they are.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")

_ARTICLE = r"(?:(?:the|a|an)\s+)?"
_BE_PRESENT = r"(?:am|'m|’m|remain)"
_BEEN = r"have\s+been|'ve\s+been|’ve\s+been|served\s+as"
_BE_PAST = rf"(?:was\s+(?:made|appointed|elected)(?:\s+as)?|was|became|{_BEEN})"
_YOU_PRESENT = r"(?:are|'re|’re|remain)"
_YOU_PAST = rf"(?:were\s+(?:made|appointed|elected)(?:\s+as)?|were|became|{_BEEN})"
_ROLE_NOUNS = r"(?:role|position|capacity|post|job|approach|view|duties|responsibilities)"
# A span of office looks back on it: "from my time as health minister".
_SPAN_NOUNS = r"(?:time|tenure|period|term|days|years)"

# Each cue: (pattern ending where the office begins, tense).
_SELF_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\bI\s+{_BE_PRESENT}\s+{_ARTICLE}(?=\S)"), "present"),
    (re.compile(rf"\bI\s+{_BE_PAST}\s+{_ARTICLE}(?=\S)"), "past"),
    (re.compile(rf"\bas\s+{_ARTICLE}(?=[A-Z])(?P<office>[^,;.?!]+?),?\s+I\b(?!['’])"), "present"),
    (re.compile(rf"\b(?:myself|I),\s+as\s+{_ARTICLE}(?=\S)"), "present"),
    (
        re.compile(rf"\bmy\s+(?:\w+\s+){{0,3}}?{_ROLE_NOUNS}(?:\s+of\s+\w+)?,?\s+as\s+{_ARTICLE}(?=\S)"),
        "present",
    ),
    (re.compile(rf"\bmy\s+{_SPAN_NOUNS}\s+as\s+{_ARTICLE}(?=\S)"), "past"),
)
_YOU_CUES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\byou\s+{_YOU_PRESENT}\s+{_ARTICLE}(?=\S)", re.I), "present"),
    (re.compile(rf"\byou\s+{_YOU_PAST}\s+{_ARTICLE}(?=\S)", re.I), "past"),
    (re.compile(rf"\bas\s+{_ARTICLE}(?=[A-Z])(?P<office>[^,;.?!]+?),?\s+you\b", re.I), "present"),
    (re.compile(rf"\byour\s+{_ROLE_NOUNS}\s+as\s+{_ARTICLE}(?=\S)", re.I), "present"),
    (re.compile(rf"\byour\s+{_SPAN_NOUNS}\s+as\s+{_ARTICLE}(?=\S)", re.I), "past"),
)

# Vocatives of a presiding office, and the titles the one addressed is then called by.
_MADAM = r"\b(?:Madam|Madame|Mister|Mr\.?)\s+"
_SET_OFF = r"(?:^|[,.;!?]\s*)"
_ENDS = r"\s*(?=[,.;!?]|$)"
_VOCATIVES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bmy\s+(?:Lady|Lord)\b(?!\s+[A-Z])"), ("the chair",)),
    (re.compile(_MADAM + r"(?:Chair|Chairman|Chairwoman|Chairperson)\b", re.I), ("the chair",)),
    (re.compile(_MADAM + r"President\b", re.I), ("the president", "the chair")),
    (re.compile(_MADAM + r"Deputy\s+Speaker\b", re.I), ("the deputy speaker",)),
    (re.compile(_MADAM + r"Speaker\b", re.I), ("the speaker",)),
    (re.compile(_MADAM + r"Mayor\b", re.I), ("the mayor",)),
    # Bare offices are vocatives only when set off by punctuation: "Thank you, Chair."
    (re.compile(_SET_OFF + r"(?:Chair|Chairman|Chairwoman|Chairperson)" + _ENDS, re.I), ("the chair",)),
    (re.compile(_SET_OFF + r"Presiding\s+Officer" + _ENDS, re.I), ("the presiding officer", "the chair")),
    (re.compile(_SET_OFF + r"Conv[ea]n[eo]r" + _ENDS, re.I), ("the convener", "the chair")),
)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")
# A call: a turn that is only a name ("Mr Poole.", "Councilmember Fife?"), or "I call X".
_CALL = re.compile(
    r"^\s*(?:(?:thank\s+you|thanks)[,.]?\s+)?(?:I\s+call\s+)?"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*[.?!]?\s*$"
)


@dataclass(frozen=True)
class Turn:
    """Consecutive statements of one speaker: what they said before someone else spoke."""

    speaker: str | None
    text: str
    is_question: bool


@dataclass(frozen=True)
class Learned:
    """An office a rule gave a speaker, with the rule and the words it rests on."""

    speaker: str
    office: str
    rule: str  # self | addressed | presiding
    past: bool = False


def turns(statements: Sequence[Statement]) -> list[Turn]:
    """The record's turns, in order: a new turn wherever the speaker changes."""
    out: list[Turn] = []
    pieces: list[str] = []
    speaker: str | None = None
    question = False
    started = False
    for s in statements:
        if s.kind != "turn":
            continue
        if started and s.speaker == speaker:
            pieces.append(s.text)
            question = question or s.is_question
            continue
        if started:
            out.append(Turn(speaker, "\n".join(pieces), question))
        speaker, pieces, question, started = s.speaker, [s.text], s.is_question, True
    if started:
        out.append(Turn(speaker, "\n".join(pieces), question))
    return out


def _office_at(text: str, at: int) -> str | None:
    """The office named from ``at`` on: "First Minister of Wales", "the security minister".

    The run holds capitalised words, office words, modifiers and joiners, and ends at
    punctuation. It must hold an office's head word ("minister", "secretary", "chair"); one
    lower-case word may qualify the head ("the security minister") and lower-case words may
    follow a joiner after it ("minister of justice"). A possessive is not the office ("the
    First Minister's office"), and a capitalised word straight after the head is a name
    ("minister Vaughan Gething"), not more of the office.
    """
    run: list[str] = []
    pos = at
    qualifiers = 0
    for m in _WORD.finditer(text, at):
        if text[pos : m.start()].strip():
            break
        w = m.group()
        low = w.casefold()
        if low.endswith(("'s", "’s")):
            return None
        head_seen = any(x.casefold() in _HEADS for x in run)
        office = low in OFFICE_WORDS or low in OFFICE_MODIFIERS
        if low in _JOINERS:
            if not any(x.casefold() in _HEADS for x in run):
                return None  # "inviting the Minister": a joiner before the head is no office
        elif office:
            pass
        elif w[:1].isupper():
            if run and run[-1].casefold() in _HEADS:
                break  # "minister Vaughan Gething"
        elif head_seen:
            # "minister of justice", "First Minister of the government": a complement after
            # "of"/"for"; never after "and" ("First Minister and the decision-making").
            joiner = next((x.casefold() for x in reversed(run) if x.casefold() != "the"), "")
            if joiner not in _COMPLEMENT:
                break
        else:
            qualifiers += 1
            if qualifiers > 1 or low in STOPWORDS or low.endswith(("ing", "ly")):
                return None
        run.append(w)
        pos = m.end()
        if len(run) >= _MAX_OFFICE_WORDS:
            break
    while run and (run[-1].casefold() in _JOINERS or run[-1].casefold() in OFFICE_MODIFIERS):
        run.pop()
    if not any(w.casefold() in _HEADS for w in run):
        return None
    return " ".join(run)


def _said(text: str) -> str:
    """A turn's words without quoted material, same length so offsets hold."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def _cued(text: str, cues: Iterable[tuple[re.Pattern[str], str]]) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []
    for pattern, tense in cues:
        for m in pattern.finditer(text):
            if "office" in m.groupdict() and m.group("office"):
                office = _office_at(text, m.start("office"))
                if office and office != m.group("office").strip():
                    office = None  # "as First Minister of Wales you": the whole phrase, or nothing
            else:
                office = _office_at(text, m.end())
            if office:
                before = text[max(0, m.start() - 12) : m.start()].casefold()
                past = (
                    tense == "past"
                    or "former" in office.casefold()
                    or bool(re.search(r"\b(?:when|while|whilst)\s*$", before))
                )
                found.append((office, past))
    return found


def _calls(turns_: Sequence[Turn], people: Mapping[str, set[str]]) -> Counter[str]:
    """How often each speaker calls the next speaker by name, and that person speaks next."""
    out: Counter[str] = Counter()
    for cur, nxt in itertools.pairwise(turns_):
        if not cur.speaker or not nxt.speaker or cur.speaker == nxt.speaker:
            continue
        m = _CALL.match(cur.text)
        if not m:
            continue
        called = {w.casefold().strip(".") for w in m.group("name").split()} - HONORIFICS
        if called and called <= people.get(nxt.speaker, set()):
            out[cur.speaker] += 1
    return out


def _name_words(name: str) -> set[str]:
    return {w.casefold().strip(".") for w in (*core_name(name).split(), *name.split())}


def learn(statements: Sequence[Statement]) -> list[Learned]:
    """Every office the three turn rules give, one entry per speaker and office."""
    ts = turns(statements)
    learned: dict[tuple[str, str], Learned] = {}

    def give(speaker: str, office: str, rule: str, past: bool) -> None:
        key = (speaker, office.casefold())
        old = learned.get(key)
        if old is None or (old.past and not past):
            learned[key] = Learned(speaker, office, rule, past)

    # Self-identification: the turn's own speaker.
    for t in ts:
        if t.speaker:
            for office, past in _cued(_said(t.text), _SELF_CUES):
                give(t.speaker, office, "self", past)

    # The person addressed: the next speaker, when the telling turn asks and they answer.
    pointed: dict[str, Counter[str]] = defaultdict(Counter)
    tense: dict[tuple[str, str], bool] = {}
    spelled: dict[str, str] = {}
    for cur, nxt in itertools.pairwise(ts):
        if not cur.speaker or not nxt.speaker or cur.speaker == nxt.speaker or not cur.is_question:
            continue
        for office, past in _cued(_said(cur.text), _YOU_CUES):
            key = office.casefold()
            pointed[key][nxt.speaker] += 1
            spelled.setdefault(key, office)
            tense[(key, nxt.speaker)] = tense.get((key, nxt.speaker), True) and past
    for key, votes in pointed.items():
        if len(votes) == 1:
            (speaker,) = votes
            give(speaker, spelled[key], "addressed", tense[(key, speaker)])

    # Vocatives of the presiding office, where the one they point at is seen presiding.
    people = {t.speaker: _name_words(t.speaker) for t in ts if t.speaker}
    callers = _calls(ts, people)
    handed: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for cur, nxt in itertools.pairwise(ts):
        if not cur.speaker or not nxt.speaker or cur.speaker == nxt.speaker:
            continue
        said = _said(cur.text).strip()
        last = _SENTENCE_END.split(said)[-1]
        for pattern, titles in _VOCATIVES:
            m = pattern.search(last)
            # A hand-over: the vocative closes the turn ("It does, my Lady."), or the turn is
            # that one sentence ("My Lady, if that's an appropriate point to break."). Said
            # in passing inside an answer, it hands nothing over.
            if m and (not last[m.end() :].strip(" .?!") or last == said):
                handed[titles][nxt.speaker] += 1
                break
    for titles, votes in handed.items():
        (speaker, n), *rest = votes.most_common()
        if callers[speaker] and n >= 2 and n >= 3 * sum(c for _, c in rest):
            for title in titles:
                give(speaker, title.removeprefix("the "), "presiding", False)
    return list(learned.values())


def offices(statements: Sequence[Statement]) -> dict[str, list[str]]:
    """For each speaker, the titles ("the first minister", "the chair") the turn rules give.

    A past office gives only "the former …" titles: "the health minister" asked of a hearing
    means whoever held it in the period examined, and a witness told "you have also been
    health minister" years before is not that person.
    """
    out: dict[str, list[str]] = defaultdict(list)
    for item in learn(statements):
        for t in office_titles(item.office):
            if item.past:
                t = "the former " + t.removeprefix("the ")
            if t not in out[item.speaker]:
                out[item.speaker].append(t)
    return dict(out)
