"""What users ask, parsed and answered: shared by the slash command, mentions, DMs and Share.

``parse_command`` is a pure function over the text after ``/onrecord`` (or after the app's
mention); ``render_command`` turns a reading command into core calls rendered as blocks.
``summary`` is both: alone or with a session id it is a members' read, with a time,
``unfollow`` or ``off`` it is the moderators' daily schedule (``Command.moderated`` tells
them apart).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from adapters.slack import answers, blocks
from adapters.slack.blocks import Message
from adapters.slack.summary import render_summary
from bot.errors import OnrecordError
from bot.record import CommunityRecord

READ_COMMANDS = frozenset({"ask", "quotes", "speakers", "topics", "sessions", "help"})
# Always moderators'; "summary" is too, but only when it sets or stops the schedule.
MODERATOR_COMMANDS = frozenset({"add", "remove", "replace"})
ANSWER_LIMIT = 5
MAX_QUESTION_CHARS = 500

_MENTION = re.compile(r"<[@!#][^>]*>")
_ON = re.compile(r"(?:^|\s+)on\s+", re.IGNORECASE)
# "summary [at] 08:30 [Europe/Paris] [follow Khan [on knife crime]]"; the time is checked by
# the core, this only finds where each part is. A bare number is a session id (a time needs
# ":", "am"/"pm" or "at"); words not starting with a time are a question.
_SUMMARY = re.compile(
    r"^(?:at\s+)?(?P<at>\d{1,2}(?:[:.h]\d{2})?(?:\s*[ap]m)?)"
    r"(?:\s+(?!follow\b)(?P<zone>\S+))?"
    r"(?P<follows>\s+follow(?:\s+(?P<follow>.*))?)?$",
    re.IGNORECASE,
)
_SUMMARY_START = re.compile(r"^(?:at\s+)?\d", re.IGNORECASE)
_SUMMARY_OFF = frozenset({"off", "stop"})
_UNFOLLOW = re.compile(r"^unfollow(?:\s+(?P<what>.*))?$", re.IGNORECASE)
UNFOLLOW_USAGE = (
    "Say what to stop following: `/onrecord summary unfollow Khan`, `unfollow Khan on knife crime`, "
    "`unfollow on knife crime`, or `unfollow` alone for everything."
)
SUMMARY_USAGE = (
    "Read the newest session's summary with `/onrecord summary`, session 3's with "
    "`/onrecord summary 3`. Moderators set this channel's daily summary with "
    "`/onrecord summary 08:30 Europe/London`, optionally `follow Khan on knife crime`, "
    "drop a follow with `/onrecord summary unfollow Khan on knife crime` (`unfollow` alone: all), "
    "and stop it with `/onrecord summary off`."
)
SCHEDULE_IN_SLASH = (
    "Set, unfollow or stop a channel's daily summary with `/onrecord summary 08:30`, "
    "`/onrecord summary unfollow Khan` or `/onrecord summary off` typed in that channel "
    "(moderators only)."
)

HELP = """*onrecord* answers from the record of political sessions, in the speakers' own words.
• `/onrecord what did Khan say on victim support` (or `/onrecord ask …`): cited passages
• `/onrecord quotes Khan on victim support`: one speaker's passages, optionally on a topic
• `/onrecord speakers`, `/onrecord topics`, `/onrecord sessions`: what the record holds
• `/onrecord summary` (the newest session) or `/onrecord summary 3` (session 3): who spoke, \
the topics, the exchanges and the key figures
• Mention @onrecord with a question in a channel and the answer comes in a thread.
Moderators: `/onrecord add` (paste a text or attach a file), `/onrecord add <link>` (fetch a web \
page or document), `/onrecord replace <id>`, \
`/onrecord remove <id>`, or DM the app a file with the message `add`.
Daily summary (moderators): `/onrecord summary 08:30 Europe/London` posts what is new in this \
channel each day (zone optional, Europe/London by default); add `follow Khan on knife crime` \
for a speaker's or topic's new passages, `/onrecord summary unfollow Khan on knife crime` to drop \
one (`unfollow` alone drops them all, the summary goes on); `/onrecord summary off` stops it. \
Invite @onrecord to the channel first: it posts only where it is a member."""


class UsageError(OnrecordError):
    """The command text could not be understood; the message says how to write it."""


@dataclass(frozen=True)
class Command:
    """What a user asked for, independent of how it reached the app."""

    name: str
    question: str = ""
    speaker: str | None = None
    topic: str | None = None
    session_id: int | None = None
    at: str | None = None  # summary: time of day as typed
    zone: str | None = None  # summary: IANA zone name as typed
    stop: bool = False  # summary off
    unfollow: bool = False  # summary unfollow [speaker] [on topic]: drop follows, keep the schedule
    url: str | None = None  # add: a link to fetch instead of opening the form

    @property
    def moderated(self) -> bool:
        """Whether only moderators may run it: changing sessions, or the daily schedule and its follows."""
        if self.name == "summary":
            return self.at is not None or self.stop or self.unfollow
        return self.name in MODERATOR_COMMANDS

    def to_value(self) -> str:
        """A compact form for a button's value (≤ 2000 chars), read back by ``from_value``."""
        fields = {k: v for k, v in asdict(self).items() if v is not False and v not in (None, "")}
        return json.dumps(fields, ensure_ascii=False)[:2000]

    @classmethod
    def from_value(cls, value: str) -> Command:
        """Read a command back from a button value; odd values become a usage error."""
        try:
            fields = json.loads(value)
            command = cls(**fields)
        except (ValueError, TypeError) as exc:
            raise UsageError("That button no longer works; ask the question again.") from exc
        if command.name not in READ_COMMANDS:
            raise UsageError("That button no longer works; ask the question again.")
        return command


async def _sources(record: CommunityRecord, session_ids: set[int]) -> dict[int, str]:
    """Where each session came from (a file name or a web address), for the source link."""
    if not session_ids:
        return {}
    return {s.id: s.source_name for s in await record.sessions(limit=1000) if s.id in session_ids}


def unescape(text: str) -> str:
    """Undo Slack's escaping of ``<``, ``>`` and ``&`` in text users typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mentions(text: str) -> str:
    """Remove ``<@U…>``/``<!here>``-style tokens (the app's own mention, mostly)."""
    return " ".join(_MENTION.sub(" ", text).split())


def _session_id(rest: str, name: str) -> int:
    if not rest.strip().isdigit():
        raise UsageError(f"Give the session id: `/onrecord {name} 3` (see `/onrecord sessions`).")
    return int(rest.strip())


_LINK = re.compile(r"^<(?P<url>[^|>]+)(?:\|[^>]*)?>$")
ADD_USAGE = (
    "Give one link starting with http:// or https://, e.g. `/onrecord add https://example.org/report`; "
    "`/onrecord add` alone opens a form to paste a text or attach a file."
)


def parse_link(rest: str) -> str:
    """The web address after ``add``, as typed or as Slack formats it (``<https://…|label>``)."""
    words = rest.split()
    if len(words) != 1:
        raise UsageError(ADD_USAGE)
    m = _LINK.match(words[0])
    url = m.group("url") if m else words[0]
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(ADD_USAGE)
    return url


def _follow_parts(text: str) -> tuple[str | None, str | None]:
    """Read 'Khan on knife crime' as (speaker, topic); either may be missing."""
    parts = _ON.split(text, maxsplit=1)
    speaker = parts[0].strip() or None
    topic = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    return speaker, topic


def parse_unfollow(what: str) -> Command:
    """Read what follows ``summary unfollow``: a speaker, ``on`` a topic, both, or nothing (all)."""
    what = what.strip()
    if what.lower() == "on" or what.lower().endswith(" on"):
        raise UsageError(UNFOLLOW_USAGE)
    speaker, topic = _follow_parts(what)
    return Command("summary", speaker=speaker, topic=topic, unfollow=True)


def parse_summary(rest: str) -> Command | None:
    """Read what follows ``summary``; None when it is neither a read nor a schedule but a question."""
    rest = rest.strip()
    if not rest:
        return Command("summary")
    if rest.isdigit():
        return Command("summary", session_id=int(rest))
    if rest.lower() in _SUMMARY_OFF:
        return Command("summary", stop=True)
    unfollow = _UNFOLLOW.match(rest)
    if unfollow:
        return parse_unfollow(unfollow.group("what") or "")
    if not _SUMMARY_START.match(rest):
        if rest.lower().startswith("follow"):
            raise UsageError("Give the time first: `/onrecord summary 08:30 follow Khan on knife crime`.")
        return None
    m = _SUMMARY.match(rest)
    if m is None:
        raise UsageError(SUMMARY_USAGE)
    speaker = topic = None
    if m.group("follows"):
        speaker, topic = _follow_parts(m.group("follow") or "")
        if speaker is None and topic is None:
            raise UsageError("Say what to follow: `follow Khan`, `follow Khan on crime`, `follow on crime`.")
    return Command("summary", speaker=speaker, topic=topic, at=m.group("at"), zone=m.group("zone"))


def parse_command(text: str) -> Command:
    """Turn the text after ``/onrecord`` (already unescaped) into a ``Command``.

    A text that does not start with a known subcommand is a question.
    """
    text = " ".join(text.split())
    if not text:
        return Command("help")
    word, _, rest = text.partition(" ")
    name = word.lower()
    if name == "add" and rest.strip():
        return Command("add", url=parse_link(rest))
    if name in ("speakers", "topics", "sessions", "help", "add"):
        return Command(name)
    if name in ("remove", "replace"):
        return Command(name, session_id=_session_id(rest, name))
    if name == "summary":
        summary = parse_summary(rest)
        if summary is not None:
            return summary
    if name == "quotes":
        parts = _ON.split(rest, maxsplit=1)
        speaker = parts[0].strip()
        if not speaker:
            raise UsageError("Name a speaker: `/onrecord quotes Khan` or `/onrecord quotes Khan on victims`.")
        topic = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
        return Command("quotes", speaker=speaker, topic=topic)
    question = rest if name == "ask" else text
    if not question.strip():
        raise UsageError("Ask a question: `/onrecord ask what did Khan say on victim support`.")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(f"That question is over {MAX_QUESTION_CHARS} characters; ask a shorter one.")
    return Command("ask", question=question)


async def render_command(
    record: CommunityRecord, command: Command, *, share: bool = False, shared_by: str | None = None
) -> list[Message]:
    """Run a reading command against the record and render the result.

    ``share`` puts a Share button under an answer (a private one); ``shared_by`` ends a
    shared answer with who shared it.
    """
    if command.name in ("ask", "quotes"):
        if command.name == "ask":
            answer = await record.ask(command.question, limit=ANSWER_LIMIT)
        else:
            assert command.speaker is not None
            answer = await record.quotes(command.speaker, command.topic, limit=ANSWER_LIMIT)
        return answers.render_answer(
            answer,
            share=command.to_value() if share else None,
            shared_by=shared_by,
            sources=await _sources(record, {p.session_id for p in answer.passages}),
        )
    if command.name == "speakers":
        return blocks.render_speakers(await record.speakers())
    if command.name == "topics":
        return blocks.render_topics(await record.topics())
    if command.name == "sessions":
        return blocks.render_sessions(await record.sessions())
    if command.name == "summary":
        if command.moderated:  # only the slash command, in the channel, sets a schedule
            raise UsageError(SCHEDULE_IN_SLASH)
        return [render_summary(await record.summary(command.session_id), label="Summary")]
    return blocks.render_text(HELP)
