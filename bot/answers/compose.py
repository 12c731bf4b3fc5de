"""The words of an answer: cited passages, who was asked about, and an honest note.

Pure: given what ``bot.answers.retrieve`` found, this decides what the answer says,
including when nothing was found (what was searched, and where to look instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answers.question import ParsedQuestion
from bot.answers.rank import Ranked, Ranking
from bot.models import SHARED_RECORD, Answer, Passage
from bot.text.names import NameIndex

if TYPE_CHECKING:
    from storage.statements import StatementRow


def passage(row: StatementRow, score: float = 0.0) -> Passage:
    """A stored statement as a cited passage."""
    return Passage(
        session_id=row.session_id,
        title=row.title,
        date=row.date,
        speaker=row.speaker,
        kind=row.kind,  # type: ignore[arg-type]
        text=row.text,
        start=row.start,
        end=row.end,
        is_question=row.is_question,
        page=row.page,
        seconds=row.seconds,
        score=round(score, 4),
        source=SHARED_RECORD if row.shared else None,
    )


def speaker_label(parsed: ParsedQuestion, index: NameIndex) -> str | None:
    """The asked-about speaker(s) by canonical name, when the name was unambiguous."""
    names: list[str] = []
    for m in parsed.speakers:
        if len(m.person_ids) != 1:
            return None
        names.append(index.people[m.person_ids[0]].name)
    return " and ".join(dict.fromkeys(names)) or None


def nothing_found(
    parsed: ParsedQuestion,
    who: str | None,
    sessions_searched: int,
    suggestions: Sequence[str],
    *,
    candidates: Sequence[str] = (),
    note: str | None = None,
) -> Answer:
    """An honest empty answer: what was searched, and where to look instead."""
    if note is None:
        topic = f"'{parsed.topic}'" if parsed.topic else "anything"
        where = f"searched {sessions_searched} session{'s' if sessions_searched != 1 else ''}"
        if parsed.scope.label:
            where += f" ({parsed.scope.label})"
        if who:
            note = f"No statements by {who} mention {topic}; {where}."
        else:
            terms = ", ".join(parsed.terms) or "no searchable words"
            note = f"Nothing on the record mentions {topic} (looked for: {terms}); {where}."
        if suggestions:
            note += " Perhaps: " + ", ".join(suggestions) + "."
    return Answer(
        question=parsed.text,
        speaker=who,
        topic=parsed.topic,
        passages=(),
        note=note,
        suggestions=tuple(suggestions),
        candidates=tuple(candidates),
    )


def names(index: NameIndex, ids: Sequence[int]) -> list[str]:
    """The canonical names of person ids, sorted (ids not in the index left out)."""
    return sorted({index.people[i].name for i in ids if i in index.people})


def speakers_found(ranked: Sequence[Ranked], limit: int = 10) -> tuple[str, ...]:
    """Named speakers of the best-covering passages, best first."""
    if not ranked:
        return ()
    best = max(r.coverage for r in ranked)
    names: dict[str, None] = {}
    for r in ranked:
        if r.row.speaker and r.coverage >= best - 0.25 and r.score > 0:
            names.setdefault(r.row.speaker, None)
    return tuple(list(names)[:limit])


def chosen(ranked: Sequence[Ranked], limit: int, ranking: Ranking) -> list[Ranked]:
    """The best ``limit`` distinct passages, dropping those far below the best (padding)."""
    seen: set[tuple[int, int, int]] = set()
    out: list[Ranked] = []
    floor = ranked[0].score * ranking.min_relative_score if ranked else 0.0
    for r in ranked:
        if r.score < floor:
            break
        key = (r.row.session_id, r.row.start, r.row.end)
        if key not in seen:
            seen.add(key)
            out.append(r)
        if len(out) >= limit:
            break
    return out
