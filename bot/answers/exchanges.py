"""Exchanges: a question and the reply that follows it, as the record orders them.

"Who asked the mayor about crime" wants the questions the mayor answered; the record says
who answered by who spoke next, which is evidence, where the question's wording (a name
in it, "Mr Chair, to the minister…") is only a hint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.answers.rank import Ranked
from bot.text.lexicon import COURTESY, STOPWORDS
from bot.text.names import NameIndex, find_mentions

if TYPE_CHECKING:
    from storage.statements import StatementRow

# How many statements after a question its answer may start (the asker may go on first).
EXCHANGE_REACH = 4


def following_places(ranked: Sequence[Ranked]) -> list[tuple[int, int]]:
    """The (session, position) places where a reply to each passage may start."""
    return [(r.row.session_id, r.row.position + d) for r in ranked for d in range(1, EXCHANGE_REACH + 1)]


def put_to(
    ranked: Sequence[Ranked], after: Mapping[tuple[int, int], StatementRow], person_ids: set[int]
) -> list[Ranked]:
    """The passages, in order, that one of ``person_ids`` answered.

    ``after`` holds the statements at ``following_places(ranked)``. A question was put to
    someone when the next statement by anyone other than the asker is theirs (the asker's
    own follow-on sentences are skipped): the exchange the record shows, not a guess from
    the question's wording.
    """
    out: list[Ranked] = []
    for r in ranked:
        if r.row.person_id in person_ids:
            continue
        for d in range(1, EXCHANGE_REACH + 1):
            nxt = after.get((r.row.session_id, r.row.position + d))
            if nxt is not None and nxt.person_id is not None and nxt.person_id == r.row.person_id:
                continue  # the asker goes on
            if nxt is not None and nxt.person_id in person_ids:
                out.append(r)
            break
    return out


# A turn shorter than this says little on its own ("Yes.", "Correct.", "Four, I think.").
SHORT_WORDS = 5
# A turn needs this many words beyond courtesy and function words to say something.
SUBSTANCE_WORDS = 2


def is_short(row: StatementRow) -> bool:
    """Whether a passage is too short to stand on its own: it is shown within its exchange.

    Short in words ("Yes."), or made of courtesy alone ("Thank you very much, my Lady."):
    either way the reader needs the question it answered to know what it means.
    """
    words = row.text.split()
    if len(words) < SHORT_WORDS:
        return True
    substance = 0
    for i, raw in enumerate(words):
        word = raw.strip(".,;:!?\"“”‘’()-—").lower()
        if not word or word in STOPWORDS or word in COURTESY:
            continue
        if i and raw[:1].isupper() and not words[i - 1].endswith((".", "?", "!")):
            continue  # a name addressed ("Thank you, Mr Poole.") is no substance
        substance += 1
        if substance >= SUBSTANCE_WORDS:
            return False
    return True


def substance_first(ranked: Sequence[Ranked]) -> list[Ranked]:
    """``ranked`` with passages worth quoting on their own ahead of bare acknowledgements.

    A one-word turn borrows the score of the question before it, so "Yes." would outrank
    the same speaker's substantive reply; it keeps its order among the short ones.
    """
    return [r for r in ranked if not is_short(r.row)] + [r for r in ranked if is_short(r.row)]


def around_places(rows: Sequence[StatementRow]) -> list[tuple[int, int]]:
    """The places where the question before and the reply after each passage may be."""
    return [
        (r.session_id, r.position + d)
        for r in rows
        for d in (*range(-EXCHANGE_REACH, 0), *range(1, EXCHANGE_REACH + 1))
    ]


def _other_turn(
    row: StatementRow, near: Mapping[tuple[int, int], StatementRow], step: int
) -> StatementRow | None:
    """The nearest other speaker's statement before (``step`` -1) or after (+1) this one.

    The speaker's own statements in the same turn are stepped over, within EXCHANGE_REACH.
    """
    for d in range(1, EXCHANGE_REACH + 1):
        other = near.get((row.session_id, row.position + step * d))
        if other is None:
            return None
        if row.person_id is not None and other.person_id == row.person_id:
            continue
        return other
    return None


def question_before(row: StatementRow, near: Mapping[tuple[int, int], StatementRow]) -> StatementRow | None:
    """The question this passage replies to: the last other speaker's turn before it, if a question.

    The speaker's own earlier sentences in the same reply are skipped; a turn by someone
    else that asks nothing (a statement, a call to speak) means this is no reply.
    """
    prev = _other_turn(row, near, -1)
    return prev if prev is not None and prev.is_question and prev.person_id != row.person_id else None


def reply_after(row: StatementRow, near: Mapping[tuple[int, int], StatementRow]) -> StatementRow | None:
    """The reply to this question: the next other speaker's turn after it (the asker may go on)."""
    return _other_turn(row, near, 1)


def spoken_to(
    rows: Sequence[StatementRow],
    near: Mapping[tuple[int, int], StatementRow],
    person_ids: set[int],
    index: NameIndex,
) -> list[int]:
    """Which of ``rows`` (by index) were said to one of ``person_ids``, best evidence first.

    "What did the Presiding Officer say to Ms Goldie": words that name her come first, then
    words next to her own turn (a reply to her, or words she answered). ``near`` holds the
    statements at ``around_places(rows)``. Nothing here guesses from topic alone.
    """
    named: list[int] = []
    beside: list[int] = []
    for i, row in enumerate(rows):
        if any(set(m.person_ids) & person_ids for m in find_mentions(row.text, index)):
            named.append(i)
            continue
        beside_turns = (_other_turn(row, near, -1), _other_turn(row, near, 1))
        if any(x is not None and x.person_id in person_ids for x in beside_turns):
            beside.append(i)
    return named + beside

