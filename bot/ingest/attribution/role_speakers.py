"""Speakers a report knows only by role: "the prime minister's official spokesman", "a spokeswoman".

News quotes people it never names: a spokesman, an aide, an adviser, speaking for someone
or something else ("the prime minister's official spokesman", "a Department for
Constitutional Affairs spokeswoman", "a Labour spokesman", "a spokesman for the Home
Office"). Their words are theirs, not their principal's, and not a person's either: such a
speaker is kept as the role itself, marked as a role. A bare "a spokeswoman" names no
principal; reports write it right after naming the body she speaks for ("The Department
for Education and Skills would not comment. A spokeswoman said: …"), so the body that is
the subject of the sentence just before is the principal. With no such body the speaker
stays unknown: two bare spokesmen in one report may be two people.
"""

from __future__ import annotations

from bot.ingest.attribution.segments import Token
from bot.ingest.attribution.subject_words import GROUP_NAMES, ORG_WORDS
from bot.text.lexicon import DEPENDENT_ROLE_WORDS

# Heads of a role whose holder speaks for someone else and is not named.
DEPENDENT_HEADS = DEPENDENT_ROLE_WORDS
_GENDER = {"spokesman": "m", "spokeswoman": "f"}
_ARTICLES = frozenset("a an the one".split())
_JOINERS = frozenset("of for and".split())  # inside a body's name: "Department for Education and Skills"
_PRINCIPAL_LINKS = frozenset(["for", "to"])  # "a spokesman for the Home Office", "an adviser to X"


def _bare(word: str) -> str:
    return word.strip(",.;:()\"“”").casefold().replace("’", "'")


def unnamed_role(phrase: str) -> tuple[str, bool] | None:
    """The role an unnamed speaker is known by, and whether it names whom they speak for.

    ``A Department for Constitutional Affairs spokeswoman`` -> (``Department for
    Constitutional Affairs spokeswoman``, True); ``a spokeswoman`` -> (``spokeswoman``,
    False); ``Mr Brown`` or ``the chancellor`` -> None (a person, or a principal's own office).
    The phrase must open with an article and be headed by a spokesman's or aide's noun,
    with at most a ``for``/``to`` phrase after the head.
    """
    words = phrase.split()
    if len(words) < 2 or _bare(words[0]) not in _ARTICLES:
        return None
    words = words[1:]
    head = max((i for i, w in enumerate(words) if _bare(w) in DEPENDENT_HEADS), default=-1)
    if head < 0:
        return None
    after = words[head + 1 :]
    if after and (_bare(after[0]) not in _PRINCIPAL_LINKS or len(after) < 2):
        return None
    before = words[:head]
    qualified = bool(after) or any(w[:1].isupper() or _bare(w).endswith("'s") for w in before)
    return " ".join(words).strip(",.;:"), qualified


def gender(role: str) -> str | None:
    """``spokeswoman`` -> ``f``: the pronoun that may continue this speaker."""
    words = [_bare(w) for w in role.split()]
    head = next((w for w in reversed(words) if w in DEPENDENT_HEADS), "")
    return _GENDER.get(head)


def body_opening(toks: list[Token], people: frozenset[str] = frozenset()) -> str | None:
    """The organisation a sentence opens with as its subject, or None.

    ``The Department for Education and Skills would not comment`` -> ``Department for
    Education and Skills``; ``Labour said`` -> ``Labour``. The name is a run of capitalised
    words (``of``/``for``/``and`` inside it) holding an organisation word, or a party's or
    group's name, followed by a lower-case word (its verb). ``people``: names of
    the report's people, which are never a body.
    """
    k = 0
    if k < len(toks) and toks[k].lower == "the":
        k += 1
    run: list[Token] = []
    while k < len(toks) and toks[k].quote is None and toks[k].is_word:
        tok = toks[k]
        joiner = tok.lower in _JOINERS and bool(run) and k + 1 < len(toks) and toks[k + 1].is_capitalised
        if not (tok.is_capitalised or joiner):
            break
        run.append(tok)
        k += 1
    if not run or k >= len(toks) or not toks[k].is_word or toks[k].is_capitalised:
        return None  # no verb follows (a quotation token is no word)
    name = " ".join(t.text for t in run)
    words = [t.lower for t in run]
    if name in people or not (any(w in ORG_WORDS for w in words) or " ".join(words) in GROUP_NAMES):
        return None
    return name
