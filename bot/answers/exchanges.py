"""Exchanges: a question and the reply that follows it, as the record orders them.

"Who asked the mayor about crime" wants the questions the mayor answered; the record says
who answered by who spoke next, which is evidence, where the question's wording (a name
in it, "Mr Chair, to the minister…") is only a hint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.answers.rank import Ranked

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
