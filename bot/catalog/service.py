"""What the store holds, listed: sessions, speakers, topics, autocompletions, audit log.

Also the one edit to the list of names, aliases.

Autocompletion is called on every keystroke in a chat client, so it reads cached names and
never raises on odd input.
"""

from __future__ import annotations

import math
from collections import Counter

from bot.errors import NotFoundError, OnrecordError
from bot.ingest.service import no_session, session_info
from bot.models import SessionInfo, SpeakerInfo, TopicInfo
from bot.open_store import StoreHandles
from bot.text.lexicon import STOPWORDS
from bot.text.names import NameIndex, alias_key
from bot.text.words import lemma, words
from storage import audit, people, search, sessions


class Listings:
    """Reads that list what one community reads, and its alias teaching."""

    def __init__(self, handles: StoreHandles, community: str) -> None:
        self._h = handles
        self._c = community

    async def sessions(self, limit: int, offset: int = 0) -> list[SessionInfo]:
        """Stored sessions, newest first, from ``offset`` on (for paging)."""
        return [session_info(r) for r in await sessions.listing(self._h.r.conn, self._c, limit, offset)]

    async def session_count(self) -> int:
        """How many sessions the community reads."""
        return await sessions.count(self._h.r.conn, self._c)

    async def find_sessions(self, typed: str, limit: int) -> list[SessionInfo]:
        """Sessions matching what was typed: the id, or words of the title or date."""
        return [session_info(r) for r in await sessions.matching(self._h.r.conn, self._c, typed[:200], limit)]

    async def session_text(self, session_id: int) -> str:
        """The stored text of a session (what passage offsets point into)."""
        text = await sessions.text_of(self._h.r.conn, self._c, session_id)
        if text is None:
            raise no_session(session_id)
        return text

    async def audit_log(self, limit: int) -> list[audit.AuditEntry]:
        """Who added, replaced or removed what, newest first."""
        return await audit.entries(self._h.r.conn, self._c, limit)

    async def speakers(self, session_id: int | None) -> list[SpeakerInfo]:
        """People in the store (or one session), most statements first."""
        return [
            SpeakerInfo(p.id, p.name, p.role, p.party, p.aliases, p.statements, p.sessions)
            for p in await people.listing(self._h.r.conn, self._c, session_id)
        ]

    async def add_alias(self, speaker: str, alias: str, *, added_by: str) -> SpeakerInfo:
        """Teach the store another name for a person ("the mayor" for Sadiq Khan)."""
        index = await self._h.refresh(self._c)
        ids, _, _ = index.lookup(speaker)
        if not ids:
            raise NotFoundError(f"No speaker called {speaker!r} is on the record.")
        if len(ids) > 1:
            names = ", ".join(sorted(index.people[i].name for i in ids))
            raise OnrecordError(f"{speaker!r} could mean {names}; give the full name.")
        key = alias_key(alias)
        if not key:
            raise OnrecordError("An alias needs at least one letter or digit.")
        pid = ids.pop()
        async with self._h.transaction() as conn:
            if not await people.add_aliases(conn, self._c, pid, [(alias.strip(), key)], origin="manual"):
                raise OnrecordError(
                    f"{index.people[pid].name} is on the record shared with this community; "
                    "only its own moderators can name them."
                )
            await audit.log(
                conn, self._c, added_by, "alias", None, f"{alias.strip()} -> {index.people[pid].name}"
            )
        self._h.invalidate()
        for info in await self.speakers(None):
            if info.id == pid:
                return info
        raise NotFoundError(f"No speaker called {speaker!r} is on the record.")  # pragma: no cover

    async def topics(self, session_id: int | None, limit: int) -> list[TopicInfo]:
        """The main topic terms in the store (or one session): common here, rare elsewhere."""
        index = await self._h.refresh(self._c)
        conn = self._h.r.conn
        names = _name_words(index)
        if session_id is None:
            counts = dict(await search.common_terms(conn, self._c, 3000))
        else:
            lemmas = await search.session_lemmas(conn, self._c, session_id)
            counts = dict(Counter(t for lem in lemmas for t in set(lem.split())))
        keep = {t: c for t, c in counts.items() if topical(t) and t not in names and c >= 2}
        glob = await search.doc_freqs(conn, self._c, list(keep)) if session_id is not None else keep
        n = max(self._h.stats_or_empty(self._c).statements, 1)
        scored = sorted(
            keep.items(), key=lambda kv: -kv[1] * math.log(1 + n / max(glob.get(kv[0], kv[1]), 1))
        )
        return [TopicInfo(t, c) for t, c in scored[: max(0, limit)]]

    async def complete_speakers(self, prefix: str, limit: int) -> list[str]:
        """Speaker names for autocomplete; fast and never raising on odd input."""
        index = await self._h.refresh(self._c)
        want = " ".join(str(prefix or "").casefold().split())[:100]
        ranked = sorted(index.people.values(), key=lambda p: (-p.statements, p.name))
        out: list[str] = []
        for p in ranked:
            if p.statements == 0:
                continue
            forms = [p.name, *p.aliases]
            if not want or any(
                f.casefold().startswith(want) or any(w.startswith(want) for w in f.casefold().split())
                for f in forms
            ):
                out.append(p.name[:100])
            if len(out) >= limit:
                break
        return out

    async def complete_topics(self, prefix: str, limit: int) -> list[str]:
        """Topic terms for autocomplete; fast and never raising on odd input."""
        text = str(prefix or "")[:100]
        ws = words(text)
        if not ws:
            return [t.term for t in await self.topics(None, limit)]
        head = " ".join(w.casefold() for w in ws[:-1])
        last = ws[-1].casefold()
        found = await search.terms_with_prefix(self._h.r.conn, self._c, last, limit=200)
        terms = [t for t, _ in found if topical(t)]
        if lemma(last) not in terms and topical(lemma(last)) and found:
            terms.insert(0, lemma(last))
        return [f"{head} {t}".strip()[:100] for t in terms[: max(0, limit)]]


def topical(term: str) -> bool:
    """Whether a lemma can stand as a topic on its own (not a stopword, number or filler)."""
    return len(term) > 2 and term not in STOPWORDS and not term.isdigit() and term not in _GENERIC


def _name_words(index: NameIndex) -> set[str]:
    return {w.casefold() for p in index.people.values() for w in words(p.name)}


# Words too general to be a topic on their own.
_GENERIC = frozenset(
    """
    be have do go make know see come take want look use find give work call try need seem
    put keep let begin show hear play run move live believe bring happen write provide sit
    stand lose pay meet include continue set learn change lead understand watch follow stop
    create speak read allow add spend grow open walk win offer remember consider appear buy
    wait serve die send expect build stay fall cut reach kill remain suggest raise pass sell
    require report thing way time year day week month lot part point case fact today
    yesterday really actually well now still even already yet though although because since
    however therefore whether one two three first second new old good great big small little
    large right left last next important different able sure clear certain particular whole
    early late own hon member thank thanks okay yes chair minister mister madam sir
    colleague gentleman lady
    """.split()
)
