"""The words of an answer: cited passages, who was asked about, and an honest note.

Pure: given what ``bot.answers.retrieve`` found, this decides what the answer says,
including when nothing was found (what was searched, and where to look instead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.answers.exchanges import SHORT_WORDS, is_short, question_before, reply_after
from bot.answers.question import ParsedQuestion
from bot.answers.rank import Ranked, Ranking
from bot.models import SHARED_RECORD, Answer, Passage
from bot.summaries.centrality import Centrality, select_diverse
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
        source_url=row.source_name if row.source_name.startswith(("https://", "http://")) else None,
        source=SHARED_RECORD if row.shared else None,
    )



def in_exchange(
    row: StatementRow,
    score: float,
    near: Mapping[tuple[int, int], StatementRow],
    *,
    questions: bool,
) -> Passage:
    """A passage with its exchange: a question asked with the reply beneath it, a reply with its question.

    People asking about a minister's record want the question shown with the answer, and a
    short reply ("Yes.") means nothing without what it agreed to.
    """
    out = passage(row, score)
    if row.kind != "turn":
        return out  # a report's quotes are not exchanges: the one before is no question to it
    if row.is_question:
        # A question is shown with what it got back, whoever asked for it: "what was said
        # about the vote" answered by counsel's question is half an answer without the reply.
        reply = reply_after(row, near)
        if reply is not None or questions or is_short(row):
            return replace(out, reply=passage(reply)) if reply is not None else out
    asked = question_before(row, near)
    return replace(out, in_reply_to=passage(asked)) if asked is not None else out


def either(names: Sequence[str], joiner: str = "or") -> str:
    """Names as a sentence lists them: one alone, else commas and a last "or" (or "and")."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {joiner} " + names[-1]


# An ambiguous name's candidate speaks on the topic when their best passage scores at least
# this share of the best passage of any candidate.
IN_PLAY_SHARE = 0.5


def in_play(ranked: Sequence[Ranked], candidates: set[int], ranking: Ranking) -> set[int]:
    """Which of an ambiguous name's candidates said anything close to the best on the topic."""
    best: dict[int, float] = {}
    for r in ranked:
        pid = r.row.person_id
        if pid in candidates and pid is not None and r.coverage > 0:
            best[pid] = max(best.get(pid, 0.0), r.score)
    top = max(best.values(), default=0.0)
    return {pid for pid, score in best.items() if top and score >= IN_PLAY_SHARE * top}


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
    titles: Sequence[str] = (),
) -> Answer:
    """An honest empty answer: what was searched (which sessions, if few), and where to look instead."""
    if note is None:
        topic = f"'{parsed.topic}'" if parsed.topic else "anything"
        where = f"searched {sessions_searched} session{'s' if sessions_searched != 1 else ''}"
        if titles and not parsed.scope.label:
            where += ": " + "; ".join(titles)
        if parsed.scope.unmatched:
            where += f" (none is from {parsed.scope.label})"
        elif parsed.scope.label:
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


def central(rows: Sequence[StatementRow], limit: int) -> list[StatementRow]:
    """What a speaker mostly said, when asked with no topic: "what did Edwin Poots say?".

    Their first words in a session are often who they are and "Yes."; the passages most
    like the rest of their own words (and not like each other) say what they spoke about.
    Passages too short to stand alone are left out unless nothing else is there.
    """
    standing = [r for r in rows if not is_short(r)]
    if not standing:
        return list(rows[:limit])
    picked = select_diverse([r.text for r in standing], Centrality([r.text for r in standing]), limit)
    return [standing[i] for i in picked] or standing[:limit]


def worth_showing(passages: Sequence[Passage]) -> list[Passage]:
    """The passages, less transcript turns too short to mean anything alone and shown alone.

    "Successor Agency/City Council." or a lone "Yes." with no question found before it says
    nothing to a reader; a short turn inside its exchange, or a short reported claim in a
    report ("Labour was not 'rattled'"), stays.
    """
    def alone(p: Passage) -> bool:
        return p.in_reply_to is None and p.reply is None

    return [p for p in passages if not (p.kind == "turn" and len(p.text.split()) < SHORT_WORDS and alone(p))]
