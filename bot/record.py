"""The core's front door: the async API every adapter (CLI, console, Discord, Slack) calls.

Plain async methods in, frozen dataclasses from ``bot.models`` out; no platform types.
One ``Record`` wraps one SQLite store. It is a facade: each stage lives in its own package
(``bot.ingest``, ``bot.answers``, ``bot.catalog``, ``bot.summaries``, ``bot.daily``), all
sharing one ``bot.open_store.StoreHandles``; this class keeps the signatures that are the
contract between the core and the adapters, and every method is one delegation. It
touches no storage module itself.

Each community (a Discord server, a Slack workspace, the command line's ``local``) has its
own record in the store. ``Record.community(name)`` is a ``CommunityRecord``: every read
and write through it sees only that community's sessions, people, schedules and audit log
(and sessions the local community shares with everyone). A ``Record`` is itself the local
community's view, so the command line and the console need nothing more; the chat
adapters hold a resolver that gives them a ``CommunityRecord`` per server or workspace,
never the ``Record`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from bot.answers.rank import SHIPPED, Ranking
from bot.answers.service import READ_TIME_LIMIT_S, Answering
from bot.catalog.service import Listings
from bot.daily.clock import ChannelSchedule
from bot.daily.service import SummarySettings
from bot.errors import OnrecordError, StoreError
from bot.ingest.detect import FORMATS, extract_file, read_file
from bot.ingest.service import Progress, SessionIngest
from bot.installs.service import Installations
from bot.models import AddResult, Answer, DailySummary, Extraction, SessionInfo, SpeakerInfo, TopicInfo
from bot.open_store import StoreHandles, store_error
from bot.settings import Settings
from bot.summaries.gather import SummaryReads
from bot.text.names import NameIndex

if TYPE_CHECKING:
    from storage.audit import AuditEntry
    from storage.connection import Store
    from storage.schedules import PostRow

__all__ = ["LOCAL", "READ_TIME_LIMIT_S", "CommunityRecord", "Progress", "Record", "valid_community"]

LOCAL = "local"


def valid_community(name: str) -> bool:
    """Whether ``name`` can name a community: letters, digits and ``:._-``, at most 100 characters."""
    return bool(_COMMUNITY.fullmatch(name))


_COMMUNITY = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,99}")


class CommunityRecord:
    """One community's record: its sessions, people, schedules and audit log, and what it may ask.

    Get one from ``Record.community``; every method reads and writes only the community's
    own rows (reads include sessions the local community shares with everyone).
    """

    # The source formats ``add_session`` and ``extract_file`` can be told to read.
    FORMATS: ClassVar[tuple[str, ...]] = tuple(sorted(FORMATS))

    def __init__(self, handles: StoreHandles, community: str, *, ranking: Ranking = SHIPPED) -> None:
        if not valid_community(community):
            raise OnrecordError(
                f"{community[:100]!r} is not a community name: use letters, digits and :._- (up to 100)."
            )
        self._h = handles
        self.name = community
        self._ingest = SessionIngest(handles, community)
        self._answering = Answering(handles, community, ranking)
        self._listings = Listings(handles, community)
        self._summaries = SummarySettings(handles, community)
        self._summary_reads = SummaryReads(handles, community)

    def read_source_file(self, path: Path) -> bytes:
        """A source file's bytes for ``add_session``: a regular file only, size checked before reading."""
        return read_file(path, self._h.max_source_bytes)

    @staticmethod
    def extract_file(path: Path, *, format: str | None = None) -> Extraction:
        """Who said what in one file, storing nothing (``onrecord extract``); IngestError if unreadable."""
        return extract_file(path, format=format)

    # --- sessions (moderators) -------------------------------------------------------
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
        """Extract and store one session; readers see all of it or none of it.

        ``progress`` is told each step, ``bot.wording.WAITING_FOR_ADD`` among them when the
        add has to queue behind another one's write. Raises ``IngestError`` for unreadable
        input and ``DuplicateSessionError`` when the same content is stored already (unless
        ``replace``, which swaps it in place: the session with the same content, else the
        latest with the same title or source).
        """
        return await self._ingest.add(
            data,
            source_name=source_name,
            added_by=added_by,
            title=title,
            date=date,
            format=format,
            replace=replace,
            progress=progress,
        )

    async def add_url(
        self,
        url: str,
        *,
        added_by: str,
        title: str | None = None,
        date: str | None = None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Fetch a web page or document (safely: see ``bot.ingest.fetch``) and add it as a session.

        ``progress`` as for ``add_session``. Raises ``IngestError`` (a sentence for the
        moderator) for a refused address, a failed or slow fetch, or content that is not a
        page or document.
        """
        return await self._ingest.add_url(url, added_by=added_by, title=title, date=date, progress=progress)

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
        return await self._ingest.replace(
            session_id,
            data,
            source_name=source_name,
            added_by=added_by,
            title=title,
            date=date,
            format=format,
        )

    async def remove_session(self, session_id: int, *, removed_by: str) -> SessionInfo:
        """Remove one of the community's sessions and its statements; ``NotFoundError`` if it has none."""
        return await self._ingest.remove(session_id, removed_by=removed_by)

    async def share_session(self, session_id: int, *, shared: bool = True, by: str) -> SessionInfo:
        """Make a local session readable by every community (``shared=False``: only by the local one again).

        Only the local community may: ``OnrecordError`` from any other.
        """
        return await self._ingest.share(session_id, shared, by=by)

    async def sessions(self, limit: int = 50, offset: int = 0) -> list[SessionInfo]:
        """Stored sessions, newest first; ``offset`` skips that many (to page through them)."""
        return await self._listings.sessions(limit, offset)

    async def session_count(self) -> int:
        """How many sessions are stored (to say "and N more", or how many pages)."""
        return await self._listings.session_count()

    async def find_sessions(self, typed: str, limit: int = 25) -> list[SessionInfo]:
        """Sessions for autocomplete, searched across every session, never raising on odd input.

        ``typed`` matches a session's id exactly, or the starts of words in its title or
        date ("victim sup", "2017-01"); the id match first, then newest first. Empty
        ``typed`` gives the newest sessions.
        """
        return await self._listings.find_sessions(typed, limit)

    async def session_text(self, session_id: int) -> str:
        """The stored text of a session (what passage offsets point into)."""
        return await self._listings.session_text(session_id)

    async def audit_log(self, limit: int = 50) -> list[AuditEntry]:
        """Who added, replaced or removed what, newest first."""
        return await self._listings.audit_log(limit)

    async def add_alias(self, speaker: str, alias: str, *, added_by: str) -> SpeakerInfo:
        """Teach the store another name for a person ("the mayor" for Sadiq Khan)."""
        return await self._listings.add_alias(speaker, alias, added_by=added_by)

    # --- questions -------------------------------------------------------------------
    async def ask(self, question: str, *, limit: int = 5) -> Answer:
        """Answer a free-text question with verbatim, cited passages."""
        return await self._answering.ask(question, limit=limit)

    async def quotes(
        self, speaker: str, topic: str | None = None, *, session_id: int | None = None, limit: int = 5
    ) -> Answer:
        """A speaker's passages, optionally on one topic (the structured form of ``ask``)."""
        return await self._answering.quotes(speaker, topic, session_id=session_id, limit=limit)

    async def keep_question(
        self, question: str | None = None, *, speaker: str | None = None, topic: str | None = None
    ) -> int:
        """Keep a question (free text, or a speaker and topic) under a number, once.

        A chat button can then ask for another page of its answer by that number, even
        after the bot restarts; its id has room for a number, not for a 500-character question.
        """
        return await self._answering.keep(question, speaker, topic)

    async def answer_kept(self, question_id: int, *, limit: int = 5) -> Answer:
        """Answer a kept question again; raises ``NotFoundError`` for an unknown number."""
        return await self._answering.answer_kept(question_id, limit=limit)

    # --- lists and autocomplete ------------------------------------------------------
    async def speakers(self, session_id: int | None = None) -> list[SpeakerInfo]:
        """People in the store (or one session), most statements first."""
        return await self._listings.speakers(session_id)

    async def topics(self, session_id: int | None = None, limit: int = 25) -> list[TopicInfo]:
        """The main topic terms in the store (or one session): common here, rare elsewhere."""
        return await self._listings.topics(session_id, limit)

    async def complete_speakers(self, prefix: str, limit: int = 25) -> list[str]:
        """Speaker names for autocomplete; fast and never raising on odd input."""
        return await self._listings.complete_speakers(prefix, limit)

    async def complete_topics(self, prefix: str, limit: int = 25) -> list[str]:
        """Topic terms for autocomplete; fast and never raising on odd input."""
        return await self._listings.complete_topics(prefix, limit)

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
        return await self._summaries.set_schedule(
            platform=platform,
            channel_id=channel_id,
            time_of_day=time_of_day,
            timezone=timezone,
            set_by=set_by,
            follow_speaker=follow_speaker,
            follow_topic=follow_topic,
            when_empty=when_empty,
        )

    async def remove_summary_schedule(self, *, platform: str, channel_id: str) -> str:
        """Stop a channel's daily summary (and its follows); a sentence saying what happened."""
        return await self._summaries.remove_schedule(platform=platform, channel_id=channel_id)

    async def remove_summary_follows(
        self, *, platform: str, channel_id: str, speaker: str | None = None, topic: str | None = None
    ) -> str:
        """Stop following a speaker and/or topic (with neither: everything) in a channel.

        The daily summary itself goes on; a sentence saying what was dropped, that the
        channel follows nothing of that, or that it has no daily summary.
        """
        return await self._summaries.remove_follows(
            platform=platform, channel_id=channel_id, speaker=speaker, topic=topic
        )

    async def summary_follows(self, *, platform: str, channel_id: str) -> list[tuple[str | None, str | None]]:
        """What a channel's daily summary follows, as (speaker, topic) pairs, oldest first."""
        return await self._summaries.follows(platform, channel_id)

    async def summary(self, session_id: int | None = None, since: str | None = None) -> DailySummary:
        """One session's summary (default: the newest), or every session added after ``since``."""
        return await self._summary_reads.summary(session_id, since)

    async def channel_summary(
        self, platform: str, channel_id: str, *, since: str | None, until: str
    ) -> DailySummary:
        """What one of the community's channels posts: sessions added in (since, until] and its follows."""

        async def quotes(speaker: str, topic: str | None, session_id: int) -> Answer:
            return await self.quotes(speaker, topic, session_id=session_id, limit=3)

        return await self._summary_reads.channel_summary(
            platform, channel_id, since=since, until=until, quotes=quotes, ask=self.ask
        )


class Record(CommunityRecord):
    """A store of sessions and the questions it can answer; itself the local community's view.

    ``community(name)`` gives any other community's view of the same store. The daily
    post ledger (``summary_schedules`` … ``fail_summary_post``) spans communities: the
    scheduler posts every community's channels, each summary read as its own community.
    """

    def __init__(self, path: Path, *, ranking: Ranking = SHIPPED) -> None:
        super().__init__(StoreHandles(Path(path)), LOCAL, ranking=ranking)
        self._ranking = ranking
        self._views: dict[str, CommunityRecord] = {LOCAL: self}
        self._installs = Installations(self._h)

    # --- chat app installations (Slack OAuth), opaque to the core --------------------
    async def save_installation(self, platform: str, key: str, data: dict[str, Any]) -> None:
        """Keep one workspace's installation of a chat app (its token included: the store is secret)."""
        await self._installs.save(platform, key, data)

    async def installation(self, platform: str, key: str) -> dict[str, Any] | None:
        """One workspace's installation, or None."""
        return await self._installs.find(platform, key)

    async def delete_installation(self, platform: str, key: str) -> None:
        """Forget one workspace's installation (the app was uninstalled there)."""
        await self._installs.delete(platform, key)

    async def issue_oauth_state(self) -> str:
        """A one-time state for an OAuth install flow (valid ten minutes)."""
        return await self._installs.issue_state()

    async def consume_oauth_state(self, state: str) -> bool:
        """Whether an OAuth state was issued and is still valid; it is used up either way."""
        return await self._installs.consume_state(state)

    async def move_community(self, source: str, target: str, *, by: str) -> int:
        """Give all of ``source``'s record to ``target`` (which has none yet), ids unchanged; sessions moved.

        For upgrading a one-server bot, whose store holds everything in ``local``, to that
        server's community. ``OnrecordError`` if ``target`` already has a record.
        """
        self.community(target)  # refuses a name that cannot be a community
        return await self.community(source)._ingest.move_to(target, by=by)

    def community(self, name: str) -> CommunityRecord:
        """The record of one community (``discord:<guild id>``, ``slack:<team id>``, ``local``, …).

        ``OnrecordError`` for a name that cannot be one (see ``valid_community``).
        """
        view = self._views.get(name)
        if view is None:
            view = CommunityRecord(self._h, name, ranking=self._ranking)
            if len(self._views) > 1024:  # views are cheap; only the caches they share are kept bounded
                self._views = {LOCAL: self}
            self._views[name] = view
        return view

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        max_source_bytes: int | None = None,
        ranking: Ranking = SHIPPED,
        check: bool = False,
    ) -> Record:
        """Open (creating and migrating if needed) the store at ``path``.

        ``max_source_bytes`` caps one uploaded or fetched source (None: no cap); ``ranking``
        holds the answer ranking's weights (a benchmark sweeps others). ``check`` reads
        every page first, as a long-running bot does at start-up. A file that cannot be
        used (damaged, not a database, on a full disk) raises ``StoreError``.
        """
        record = cls(Path(path), ranking=ranking)
        record.max_source_bytes = max_source_bytes
        await record._h.open(check=check)
        return record

    @classmethod
    async def from_settings(cls, settings: Settings, *, check: bool = False) -> Record:
        """Open the configured store (ONRECORD_DB) with the configured source size limit.

        Every adapter opens its store this way, so ONRECORD_MAX_SOURCE_MB holds everywhere.
        """
        return await cls.open(settings.onrecord_db, max_source_bytes=settings.max_source_bytes, check=check)

    async def close(self) -> None:
        """Close the store; safe to call twice."""
        await self._h.close()

    async def __aenter__(self) -> Record:
        return self

    async def __aexit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        """Close the store; a store fault leaving the block leaves as ``StoreError``.

        So ``async with await Record.open(...)`` around a command turns "database disk
        image is malformed" met halfway through into the sentence naming the file.
        """
        await self.close()
        if isinstance(exc, Exception) and not isinstance(exc, StoreError):
            error = store_error(self.path, exc)
            if error is not None:
                raise error from None

    @property
    def path(self) -> Path:
        """The SQLite file this record wraps."""
        return self._h.path

    @property
    def max_source_bytes(self) -> int | None:
        """The largest source accepted, in bytes (None: no cap)."""
        return self._h.max_source_bytes

    @max_source_bytes.setter
    def max_source_bytes(self, value: int | None) -> None:
        self._h.max_source_bytes = value

    # Used by benchmarks that write through storage directly.
    @property
    def _w(self) -> Store:
        return self._h.w

    @property
    def _r(self) -> Store:
        return self._h.r

    async def _refresh(self) -> NameIndex:
        return await self._h.refresh(LOCAL)

    async def channel_summary(
        self, platform: str, channel_id: str, *, since: str | None, until: str
    ) -> DailySummary:
        """What a channel's daily post holds, read as the community that set its schedule."""
        community = await self._summaries.community_of(platform, channel_id) or LOCAL
        # Through the community's own method: the local view is this Record, whose override this is.
        view = self.community(community)
        return await CommunityRecord.channel_summary(view, platform, channel_id, since=since, until=until)

    async def summary_community(self, platform: str, channel_id: str) -> str | None:
        """Which community set a channel's daily summary (None: it has none)."""
        return await self._summaries.community_of(platform, channel_id)

    def on_summary_schedule_change(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` whenever any community sets a channel's schedule (a sleeping scheduler re-reads)."""
        self._summaries.on_change(wake)

    # The post ledger the scheduler drives (bot.daily.scheduler.Ledger).
    async def summary_schedules(self, platform: str) -> list[ChannelSchedule]:
        """Every channel of ``platform`` with a daily summary, in every community."""
        return await self._summaries.schedules(platform)

    async def summary_post(self, platform: str, channel_id: str, local_day: str) -> PostRow | None:
        """The ledger entry of a channel's post on a local day."""
        return await self._summaries.post(platform, channel_id, local_day)

    async def summary_covered_until(self, platform: str, channel_id: str) -> str | None:
        """Up to when the channel's last post covered sessions (None: never posted)."""
        return await self._summaries.covered_until(platform, channel_id)

    async def summary_failed_posts(self, platform: str, channel_id: str, max_attempts: int) -> list[PostRow]:
        """A channel's refused posts with attempts left, of any day, oldest first (still owed)."""
        return await self._summaries.failed(platform, channel_id, max_attempts)

    async def claim_summary_post(self, **claim: Any) -> bool:
        """Atomically take a (channel, day) post; see ``storage.schedules.claim``."""
        return await self._summaries.claim(**claim)

    async def finish_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, message_ref: str | None
    ) -> None:
        """Mark a claimed post as done (``message_ref`` None: nothing needed posting)."""
        await self._summaries.finish(platform, channel_id, local_day, owner, message_ref)

    async def fail_summary_post(
        self, platform: str, channel_id: str, local_day: str, owner: str, error: str, retry_at: str
    ) -> None:
        """Mark a claimed post as refused by the platform, to be retried at ``retry_at``."""
        await self._summaries.fail(platform, channel_id, local_day, owner, error, retry_at)
