"""The core's front door: the async API every adapter (CLI, console, Discord, Slack) calls.

Plain async methods in, frozen dataclasses from ``bot.models`` out; no platform types.
One ``Record`` wraps one SQLite store. Work that is CPU-bound (extraction) runs in a
thread so a chat client's heartbeat never stalls behind a large upload.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from datetime import date as date_cls
from pathlib import Path
from typing import Any

from bot import answers
from bot.errors import DuplicateSessionError, IngestError, NotFoundError, OnrecordError
from bot.ingest import extract
from bot.models import AddResult, Answer, SessionInfo, SpeakerInfo, TopicInfo
from bot.preparation import Prepared, prepare, valid_date
from bot.questions import ParsedQuestion, SessionBrief, parse
from bot.schedule import ChannelSchedule
from bot.speakers import Known, Mention, NameIndex, alias_key, suggest
from bot.summaries import DailySummary
from bot.topics import STOPWORDS, lemma, words
from storage import audit, people, search, sessions
from storage.connection import QueryTimeoutError, Store, connect, migrate
from storage.schedules import PostRow
from storage.sessions import NewSession, SessionRow

Progress = Callable[[str], Awaitable[None]]

READ_TIME_LIMIT_S = 3.0


class Record:
    """A store of sessions and the questions it can answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.max_source_bytes: int | None = None
        self._writer: Store | None = None
        self._reader: Store | None = None
        self._write_lock = asyncio.Lock()
        self._version: int | None = None
        self._index: NameIndex | None = None
        self._stats: answers.CorpusStats | None = None
        self._briefs: list[SessionBrief] = []
        self._summary_wakers: list[Callable[[], None]] = []  # schedulers to wake on a change

    @classmethod
    async def open(cls, path: Path, *, max_source_bytes: int | None = None) -> Record:
        """Open (creating and migrating if needed) the store at ``path``."""
        record = cls(Path(path))
        record.max_source_bytes = max_source_bytes
        record._writer = await connect(record.path)
        try:
            await migrate(record._writer)
            record._reader = await connect(record.path)
        except BaseException:
            await record._writer.close()
            raise
        return record

    async def close(self) -> None:
        """Close the store; safe to call twice."""
        for store in (self._reader, self._writer):
            if store is not None:
                await store.close()
        self._reader = self._writer = None

    async def __aenter__(self) -> Record:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- plumbing ----------------------------------------------------------------------
    @property
    def _w(self) -> Store:
        if self._writer is None:
            raise OnrecordError("The record store is closed.")
        return self._writer

    @property
    def _r(self) -> Store:
        if self._reader is None:
            raise OnrecordError("The record store is closed.")
        return self._reader

    async def _refresh(self) -> NameIndex:
        """Rebuild cached names and statistics when the database changed (any process)."""
        conn = self._r.conn
        async with conn.execute("PRAGMA data_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if self._index is None or version != self._version:
            known = [
                Known(p.id, p.name, p.role, p.aliases, p.statements) for p in await people.all_people(conn)
            ]
            self._index = NameIndex.build(known)
            n, mean = await search.corpus_stats(conn)
            self._briefs = [SessionBrief(i, t, d) for i, t, d in await sessions.brief(conn)]
            self._stats = answers.CorpusStats(n, mean, len(self._briefs))
            self._version = version
        return self._index

    def _invalidate(self) -> None:
        self._index = None

    # --- sessions (moderators) -------------------------------------------------------
    async def _prepare(
        self,
        data: bytes,
        source_name: str,
        title: str | None,
        date: str | None,
        format: str | None,
        progress: Progress | None,
    ) -> Prepared:
        if date is not None and valid_date(date) is None:
            raise IngestError(f"{date!r} is not a date; use the form YYYY-MM-DD, e.g. 2018-05-16.")
        if progress:
            await progress(f"Reading {source_name} ({len(data):,} bytes)…")

        def work() -> Prepared:
            extraction = extract(data, source_name, format=format, max_bytes=self.max_source_bytes)
            return prepare(extraction, source_name=source_name, title=title, date=date)

        prepared = await asyncio.to_thread(work)
        if not prepared.statements:
            raise IngestError(f"{source_name}: no statements were found in it, so nothing was stored.")
        if progress:
            await progress(f"Storing {len(prepared.statements):,} statements…")
        return prepared

    async def _store(
        self, prepared: Prepared, added_by: str, source_name: str, replace_id: int | None
    ) -> int:
        ex = prepared.extraction
        new = NewSession(
            title=prepared.title,
            date=prepared.date,
            source_name=source_name,
            format=ex.format,
            encoding=ex.encoding,
            content_hash=prepared.content_hash,
            added_by=added_by,
            text=ex.text,
        )
        async with self._write_lock:
            session_id = await sessions.store(
                self._w.conn, new, prepared.statements, prepared.people, replace_id=replace_id
            )
        self._invalidate()
        return session_id

    async def _result(self, session_id: int, prepared: Prepared, replaced: SessionRow | None) -> AddResult:
        row = await sessions.get(self._w.conn, session_id)
        if row is None:  # pragma: no cover - just written
            raise NotFoundError(f"Session {session_id} vanished while it was being stored.")
        attributed = sum(1 for s in prepared.statements if s.speaker)
        speakers = tuple(dict.fromkeys(p.name for p in prepared.people))
        return AddResult(
            session=_info(row),
            statements=len(prepared.statements),
            attributed=attributed,
            unattributed=len(prepared.statements) - attributed,
            speakers=speakers,
            format=prepared.extraction.format,
            encoding=prepared.extraction.encoding,
            replaced=_info(replaced) if replaced else None,
            warnings=prepared.extraction.warnings,
        )

    async def add_session(
        self,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None = None,
        date: str | None = None,
        format: str | None = None,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> AddResult:
        """Extract and store one session in a single transaction.

        Raises ``IngestError`` for unreadable input and ``DuplicateSessionError`` when the
        same content is stored already (unless ``replace``, which swaps it in place: the
        session with the same content, else the latest with the same title or source).
        """
        prepared = await self._prepare(data, source_name, title, date, format, progress)
        existing = await sessions.find_by_hash(self._w.conn, prepared.content_hash)
        if existing is not None and not replace:
            raise DuplicateSessionError(existing.id, existing.title)
        target = existing
        if target is None and replace:
            for row in await sessions.listing(self._w.conn, limit=10_000):
                if row.title == prepared.title or row.source_name == source_name:
                    target = row
                    break
        session_id = await self._store(prepared, added_by, source_name, target.id if target else None)
        return await self._result(session_id, prepared, target)

    async def add_url(
        self, url: str, *, added_by: str, title: str | None = None, date: str | None = None
    ) -> AddResult:
        """Fetch a web page or document (safely: see ``bot.fetch``) and add it as a session."""
        from bot.fetch import fetch

        fetched = await fetch(url, max_bytes=self.max_source_bytes)
        return await self.add_session(
            fetched.data, source_name=fetched.url, added_by=added_by, title=title, date=date,
            format=fetched.format,
        )

    async def replace_session(
        self,
        session_id: int,
        data: bytes,
        *,
        source_name: str,
        added_by: str,
        title: str | None = None,
        date: str | None = None,
        format: str | None = None,
    ) -> AddResult:
        """Swap a stored session's content for a new version, keeping its id."""
        old = await sessions.get(self._w.conn, session_id)
        if old is None:
            raise NotFoundError(f"There is no session {session_id}; `sessions` lists the stored ones.")
        prepared = await self._prepare(data, source_name, title or old.title, date or old.date, format, None)
        same = await sessions.find_by_hash(self._w.conn, prepared.content_hash)
        if same is not None and same.id != session_id:
            raise DuplicateSessionError(same.id, same.title)
        await self._store(prepared, added_by, source_name, session_id)
        return await self._result(session_id, prepared, old)

    async def remove_session(self, session_id: int, *, removed_by: str) -> SessionInfo:
        """Remove a session and its statements; raises ``NotFoundError`` if absent."""
        async with self._write_lock:
            row = await sessions.remove(self._w.conn, session_id, removed_by)
        self._invalidate()
        if row is None:
            raise NotFoundError(f"There is no session {session_id}; `sessions` lists the stored ones.")
        return _info(row)

    async def sessions(self, limit: int = 50) -> list[SessionInfo]:
        """Stored sessions, newest first."""
        return [_info(r) for r in await sessions.listing(self._r.conn, limit)]

    async def session_text(self, session_id: int) -> str:
        """The stored text of a session (what passage offsets point into)."""
        text = await sessions.text_of(self._r.conn, session_id)
        if text is None:
            raise NotFoundError(f"There is no session {session_id}; `sessions` lists the stored ones.")
        return text

    async def audit_log(self, limit: int = 50) -> list[audit.AuditEntry]:
        """Who added, replaced or removed what, newest first."""
        return await audit.entries(self._r.conn, limit)

    async def add_alias(self, speaker: str, alias: str, *, added_by: str) -> SpeakerInfo:
        """Teach the store another name for a person ("the mayor" for Sadiq Khan)."""
        index = await self._refresh()
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
        async with self._write_lock:
            conn = self._w.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                await people.add_aliases(conn, pid, [(alias.strip(), key)], origin="manual")
                await audit.log(conn, added_by, "alias", None, f"{alias.strip()} -> {index.people[pid].name}")
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
        self._invalidate()
        for info in await self.speakers():
            if info.id == pid:
                return info
        raise NotFoundError(f"No speaker called {speaker!r} is on the record.")  # pragma: no cover

    # --- questions -------------------------------------------------------------------
    async def ask(self, question: str, *, limit: int = 5) -> Answer:
        """Answer a free-text question with verbatim, cited passages."""
        index = await self._refresh()
        parsed = parse(question, index, self._briefs, date_cls.today())
        return await self._answer(parsed, index, limit)

    async def quotes(
        self, speaker: str, topic: str | None = None, *, session_id: int | None = None, limit: int = 5
    ) -> Answer:
        """A speaker's passages, optionally on one topic (the structured form of ``ask``)."""
        index = await self._refresh()
        shown = f"what did {speaker} say" + (f" about {topic}" if topic else "")
        base = parse(f"about {topic}" if topic else "", index, (), date_cls.today())
        ids, how, score = index.lookup(speaker)
        if not ids:
            return answers.nothing_found(
                base,
                None,
                len(self._briefs),
                suggest(speaker, index),
                note=f"No speaker called {speaker!r} is on the record."
                + (
                    " Perhaps: " + ", ".join(suggest(speaker, index)) + "." if suggest(speaker, index) else ""
                ),
            )
        from bot.questions import Scope

        scope = base.scope
        if session_id is not None:
            scope = Scope(f"session {session_id}", (session_id,))
        mention = Mention(0, 0, speaker, tuple(sorted(ids)), score, how)
        parsed = ParsedQuestion(
            text=shown,
            intent="say",
            speakers=(mention,),
            topic=topic.strip() if topic and topic.strip() else None,
            focus_terms=base.focus_terms,
            context_terms=(),
            scope=scope,
        )
        return await self._answer(parsed, index, limit)

    async def _answer(self, parsed: ParsedQuestion, index: NameIndex, limit: int) -> Answer:
        limit = max(1, min(int(limit), 50))
        try:
            async with self._r.time_limit(READ_TIME_LIMIT_S):
                return await answers.answer(self._r.conn, parsed, index, self._stats_or_empty(), limit)
        except QueryTimeoutError:
            return Answer(
                question=parsed.text,
                speaker=answers.speaker_label(parsed, index),
                topic=parsed.topic,
                passages=(),
                note="That search took too long and was stopped; try fewer or more specific words.",
            )

    def _stats_or_empty(self) -> answers.CorpusStats:
        return self._stats or answers.CorpusStats(0, 0.0, 0)

    async def speakers(self, session_id: int | None = None) -> list[SpeakerInfo]:
        """People in the store (or one session), most statements first."""
        return [
            SpeakerInfo(p.id, p.name, p.role, p.party, p.aliases, p.statements, p.sessions)
            for p in await people.listing(self._r.conn, session_id)
        ]

    async def topics(self, session_id: int | None = None, limit: int = 25) -> list[TopicInfo]:
        """The main topic terms in the store (or one session): common here, rare elsewhere."""
        await self._refresh()
        stats = self._stats_or_empty()
        names = _name_words(self._index)
        if session_id is None:
            counts = dict(await search.common_terms(self._r.conn, 3000))
        else:
            from collections import Counter

            counts = dict(
                Counter(
                    t
                    for lem in await search.session_lemmas(self._r.conn, session_id)
                    for t in set(lem.split())
                )
            )
        keep = {t: c for t, c in counts.items() if _topical(t) and t not in names and c >= 2}
        glob = await search.doc_freqs(self._r.conn, list(keep)) if session_id is not None else keep
        n = max(stats.statements, 1)
        scored = sorted(
            keep.items(), key=lambda kv: -kv[1] * math.log(1 + n / max(glob.get(kv[0], kv[1]), 1))
        )
        return [TopicInfo(t, c) for t, c in scored[: max(0, limit)]]

    async def complete_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for autocomplete; fast and never raising on odd input."""
        index = await self._refresh()
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

    async def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Topic terms for autocomplete; fast and never raising on odd input."""
        text = str(prefix or "")[:100]
        ws = words(text)
        if not ws:
            return [t.term for t in await self.topics(limit=limit)]
        head = " ".join(w.casefold() for w in ws[:-1])
        last = ws[-1].casefold()
        found = await search.terms_with_prefix(self._r.conn, last, limit=200)
        terms = [t for t, _ in found if _topical(t)]
        if lemma(last) not in terms and _topical(lemma(last)) and found:
            terms.insert(0, lemma(last))
        return [f"{head} {t}".strip()[:100] for t in terms[: max(0, limit)]]

    # --- daily summaries (settings live in the core; posting is the adapters') -------
    async def set_summary_schedule(
        self,
        *,
        platform: str,
        channel_id: str,
        time_of_day: str,
        timezone: str,
        set_by: str,
        follow_speaker: str | None = None,
        follow_topic: str | None = None,
        when_empty: str = "skip",
    ) -> str:
        """Post a daily summary to ``channel_id`` at ``time_of_day`` (HH:MM) in ``timezone``.

        Returns a confirmation sentence; raises ``OnrecordError`` with a helpful message
        for a bad time or an unknown IANA zone name.
        """
        from bot.schedule import parse_time_of_day, parse_zone, schedule_row, schedule_sentence
        from storage import schedules

        at, zone = parse_time_of_day(time_of_day), parse_zone(timezone)
        row = schedule_row(platform, channel_id, at, zone, when_empty, set_by)
        speaker = (follow_speaker or "").strip()[:100] or None
        topic = (follow_topic or "").strip()[:100] or None
        async with self._write_lock:
            conn = self._w.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                await schedules.upsert_schedule(conn, row)
                if speaker or topic:
                    await schedules.add_follow(conn, platform, channel_id, speaker, topic, set_by, row.set_at)
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            follows = await schedules.follows(conn, platform, channel_id)
        for wake in self._summary_wakers:
            wake()
        return schedule_sentence(row, follows)

    def on_summary_schedule_change(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever a channel's schedule is set, so a sleeping scheduler re-reads it."""
        self._summary_wakers.append(wake)

    async def remove_summary_schedule(self, *, platform: str, channel_id: str) -> str:
        """Stop a channel's daily summary (and its follows); a sentence saying what happened."""
        from storage import schedules

        async with self._write_lock:
            removed = await schedules.remove_schedule(self._w.conn, platform, channel_id)
        return "Daily summary stopped for this channel." if removed else "This channel had no daily summary."

    async def summary(self, session_id: int | None = None, since: str | None = None) -> DailySummary:
        """One session's summary (default: the newest), or every session added after ``since``."""
        from bot import daily
        from bot.schedule import iso_now

        conn = self._r.conn
        if session_id is not None:
            one = await daily.session_summary(conn, session_id)
            return DailySummary(sessions=(one,), since=None, until=None)
        if since is not None:
            return await daily.window_summary(conn, since=since, until=iso_now())
        newest = await sessions.listing(conn, limit=1)
        if not newest:
            raise NotFoundError("There are no sessions on the record yet; add one first.")
        one = await daily.session_summary(conn, newest[0].id)
        return DailySummary(sessions=(one,), since=None, until=None)

    async def channel_summary(
        self, platform: str, channel_id: str, *, since: str | None, until: str
    ) -> DailySummary:
        """What a channel's daily post holds: sessions added in (since, until] and its follows."""
        from bot import daily
        from storage import schedules

        follows = await schedules.follows(self._r.conn, platform, channel_id)

        async def quotes(speaker: str, topic: str | None, session_id: int) -> Answer:
            return await self.quotes(speaker, topic, session_id=session_id, limit=3)

        return await daily.window_summary(
            self._r.conn, since=since, until=until, follows=follows, quotes=quotes, ask=self.ask
        )

    # The post ledger the scheduler drives (bot.schedule); SQL in storage.schedules.
    async def summary_schedules(self, platform: str) -> list[ChannelSchedule]:
        """Every channel of ``platform`` with a daily summary."""
        from bot.schedule import channel_schedule
        from storage import schedules

        return [channel_schedule(r) for r in await schedules.schedules(self._r.conn, platform)]

    async def summary_post(self, platform: str, channel_id: str, local_day: str) -> PostRow | None:
        """The ledger entry of a channel's post on a local day."""
        from storage import schedules

        return await schedules.post(self._w.conn, platform, channel_id, local_day)

    async def summary_covered_until(self, platform: str, channel_id: str) -> str | None:
        """Up to when the channel's last post covered sessions (None: never posted)."""
        from storage import schedules

        return await schedules.last_covered(self._w.conn, platform, channel_id)

    async def claim_summary_post(self, **claim: Any) -> bool:
        """Atomically take a (channel, day) post; see ``storage.schedules.claim``."""
        from storage import schedules

        async with self._write_lock:
            return await schedules.claim(self._w.conn, **claim)

    async def finish_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, message_ref: str | None
    ) -> None:
        """Mark a claimed post as done (``message_ref`` None: nothing needed posting)."""
        from bot.schedule import iso_now
        from storage import schedules

        async with self._write_lock:
            await schedules.mark_sent(
                self._w.conn,
                platform=platform,
                channel_id=channel_id,
                local_day=local_day,
                owner=owner,
                sent_at=iso_now(),
                message_ref=message_ref,
            )

    async def fail_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, error: str, retry_at: str
    ) -> None:
        """Mark a claimed post as refused by the platform, to be retried at ``retry_at``."""
        from storage import schedules

        async with self._write_lock:
            await schedules.mark_failed(
                self._w.conn,
                platform=platform,
                channel_id=channel_id,
                local_day=local_day,
                owner=owner,
                error=error,
                retry_at=retry_at,
            )


def _info(row: SessionRow) -> SessionInfo:
    return SessionInfo(
        id=row.id,
        title=row.title,
        date=row.date,
        source_name=row.source_name,
        statements=row.statements,
        speakers=row.speakers,
        added_by=row.added_by,
        added_at=row.added_at,
    )


def _topical(term: str) -> bool:
    return len(term) > 2 and term not in STOPWORDS and not term.isdigit() and term not in _GENERIC


def _name_words(index: NameIndex | None) -> set[str]:
    if index is None:
        return set()
    return {w.casefold() for p in index.people.values() for w in words(p.name)}


# Words too general to be a topic on their own.
_GENERIC = frozenset(
    [
        "be",
        "have",
        "do",
        "go",
        "make",
        "know",
        "see",
        "come",
        "take",
        "want",
        "look",
        "use",
        "find",
        "give",
        "work",
        "call",
        "try",
        "need",
        "seem",
        "put",
        "keep",
        "let",
        "begin",
        "show",
        "hear",
        "play",
        "run",
        "move",
        "live",
        "believe",
        "bring",
        "happen",
        "write",
        "provide",
        "sit",
        "stand",
        "lose",
        "pay",
        "meet",
        "include",
        "continue",
        "set",
        "learn",
        "change",
        "lead",
        "understand",
        "watch",
        "follow",
        "stop",
        "create",
        "speak",
        "read",
        "allow",
        "add",
        "spend",
        "grow",
        "open",
        "walk",
        "win",
        "offer",
        "remember",
        "consider",
        "appear",
        "buy",
        "wait",
        "serve",
        "die",
        "send",
        "expect",
        "build",
        "stay",
        "fall",
        "cut",
        "reach",
        "kill",
        "remain",
        "suggest",
        "raise",
        "pass",
        "sell",
        "require",
        "report",
        "thing",
        "way",
        "time",
        "year",
        "day",
        "week",
        "month",
        "lot",
        "part",
        "point",
        "case",
        "fact",
        "today",
        "yesterday",
        "really",
        "actually",
        "well",
        "now",
        "still",
        "even",
        "already",
        "yet",
        "though",
        "although",
        "because",
        "since",
        "however",
        "therefore",
        "whether",
        "one",
        "two",
        "three",
        "first",
        "second",
        "new",
        "old",
        "good",
        "great",
        "big",
        "small",
        "little",
        "large",
        "right",
        "left",
        "last",
        "next",
        "important",
        "different",
        "able",
        "sure",
        "clear",
        "certain",
        "particular",
        "whole",
        "early",
        "late",
        "own",
        "hon",
        "member",
        "thank",
        "thanks",
        "okay",
        "yes",
        "chair",
        "minister",
        "mister",
        "madam",
        "sir",
        "colleague",
        "gentleman",
        "lady",
    ]
)
