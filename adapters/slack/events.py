"""Events API: mentions answered in a thread, DMs to the app, and de-duplication.

Slack retries an event it thinks went unanswered (``X-Slack-Retry-Num``), so every event
id is remembered for a while and a repeat is acknowledged without running anything again.
A moderator's DM holding a file and the word "add" ingests the file.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import replies
from adapters.slack.blocks import render_text
from adapters.slack.communities import Communities
from adapters.slack.files import fetch_file
from adapters.slack.permissions import Moderators
from adapters.slack.queries import MODERATOR_COMMANDS, parse_command, render_command, strip_mentions, unescape
from adapters.slack.views import render_added
from bot.settings import Settings

log = logging.getLogger(__name__)

DEDUPE_CAPACITY = 5000
ADD_HINT = "To add a file as a session, send it with the message `add` (moderators only)."
MODERATE_IN_SLASH = "Use `/onrecord {name}` for that: it opens the form or checks the session id."


class EventDeduplicator:
    """Remembers the last ``capacity`` event ids, oldest forgotten first (one process)."""

    def __init__(self, capacity: int = DEDUPE_CAPACITY) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen, False for every repeat."""
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return False
        self._seen[event_id] = None
        if len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    async def middleware(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Global Bolt middleware: acknowledge a repeated event and stop there."""
        event_id = body.get("event_id")
        if (
            body.get("type") == "event_callback"
            and isinstance(event_id, str)
            and not self.first_time(event_id)
        ):
            log.info("Ignoring repeated event %s", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None


def register(app: AsyncApp, where: Communities, settings: Settings, moderators: Moderators) -> None:
    """Register the mention and DM listeners; each reads the record of the workspace the event is in."""
    max_mb = settings.onrecord_max_source_mb

    async def answer(body: dict[str, Any], client: AsyncWebClient, text: str) -> None:
        command = parse_command(unescape(strip_mentions(text)))
        if command.name in MODERATOR_COMMANDS:
            await replies.reply(body, client, render_text(MODERATE_IN_SLASH.format(name=command.name)))
            return
        await replies.reply(body, client, await render_command(where.of(body), command))

    @app.event("app_mention")
    async def on_mention(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        await answer(body, client, event.get("text", ""))

    @app.event("message")
    async def on_message(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        # Only direct messages to the app; edits, deletions and bot posts are ignored.
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        subtype = event.get("subtype")
        text = unescape(event.get("text") or "").strip()
        if subtype == "file_share" and text.lower() == "add":
            await moderators.require(event["user"], client)
            record = where.of(body)
            for file in event.get("files") or ():
                shared = await fetch_file(client, file, max_mb)
                result = await record.add_session(
                    shared.data,
                    source_name=shared.name,
                    added_by=f"slack:{event['user']}",
                    progress=replies.waiting_note(body, client),
                )
                await replies.reply(body, client, render_added(result))
            return
        if subtype == "file_share":
            await replies.reply(body, client, render_text(ADD_HINT))
            return
        if subtype is None and text:
            await answer(body, client, text)
