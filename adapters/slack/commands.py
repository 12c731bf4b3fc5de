"""The ``/onrecord`` slash command: ack at once, then answer through the ``response_url``.

Reading commands (a session's summary among them) become core calls rendered by ``blocks``;
moderator commands (sessions, and setting, unfollowing or stopping the channel's daily
summary) check the configured moderators at run time before anything is opened, fetched or
changed.
``add <link>`` fetches through ``Record.add_url``, which refuses local and private
addresses; ``add`` alone opens the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, channels, replies, views
from adapters.slack.blocks import Message
from adapters.slack.communities import Communities
from adapters.slack.permissions import Moderators
from adapters.slack.queries import (
    Command,
    UsageError,
    parse_command,
    render_command,
    unescape,
)
from bot.daily.clock import DEFAULT_ZONE
from bot.record import CommunityRecord
from bot.settings import Settings


class Replier:
    """Replies to one slash command, through its ``response_url`` (it takes up to five)."""

    def __init__(self, command: dict[str, Any], client: AsyncWebClient) -> None:
        self.command = command
        self.client = client

    async def __call__(self, messages: Sequence[Message], response_type: str = "ephemeral") -> None:
        """Send ``messages``; a refused ``response_url`` falls back to a DM (see ``replies``)."""
        await replies.reply(self.command, self.client, messages, response_type=response_type)


def register(app: AsyncApp, where: Communities, settings: Settings, moderators: Moderators) -> None:
    """Register the ``/onrecord`` slash command; each reads the record of the workspace it is typed in."""

    @app.command("/onrecord")
    async def onrecord(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        send = Replier(command, client)
        record = where.of(command)
        parsed = parse_command(unescape(command.get("text", "")))
        user_id = command["user_id"]
        if parsed.moderated:
            await moderators.require(user_id, client)
            await _moderate(parsed, command, send, client, record)
            return
        if parsed.name in ("ask", "quotes"):
            visibility = settings.slack_answer_visibility
            share = visibility == "ephemeral"
            await send(await render_command(record, parsed, share=share), visibility)
            return
        await send(await render_command(record, parsed))


async def _moderate(
    parsed: Command, command: dict[str, Any], send: Replier, client: AsyncWebClient, record: CommunityRecord
) -> None:
    if parsed.name == "summary":
        await send(blocks.render_text(await _schedule(parsed, command, client, record)))
        return
    if parsed.name == "remove":
        assert parsed.session_id is not None
        removed = await record.remove_session(parsed.session_id, removed_by=f"slack:{command['user_id']}")
        await send(blocks.render_text(f"Removed session {removed.id}: {removed.title}."))
        return
    if parsed.name == "add" and parsed.url is not None:
        await send(blocks.render_text(f"Fetching {parsed.url} …"))
        result = await record.add_url(
            parsed.url, added_by=f"slack:{command['user_id']}", progress=replies.waiting_note(command, client)
        )
        await send(views.render_added(result))
        return
    metadata = {"channel": command.get("channel_id"), "response_url": command.get("response_url")}
    if parsed.name == "replace":
        assert parsed.session_id is not None
        known = {s.id: s for s in await record.sessions(limit=1000)}
        if parsed.session_id not in known:
            raise UsageError(f"There is no session {parsed.session_id}; see `/onrecord sessions`.")
        view = views.session_modal(metadata, replace=known[parsed.session_id])
    else:
        view = views.session_modal(metadata)
    await client.views_open(trigger_id=command["trigger_id"], view=view)


async def _schedule(
    parsed: Command, command: dict[str, Any], client: AsyncWebClient, record: CommunityRecord
) -> str:
    """Set, unfollow or stop the daily summary of the channel the command was typed in.

    Setting one first makes sure the app can post there (joining a public channel), so the
    confirmation never promises a post that Slack will refuse.
    """
    channel_id = command["channel_id"]
    if parsed.stop:
        return await record.remove_summary_schedule(platform="slack", channel_id=channel_id)
    if parsed.unfollow:
        return await record.remove_summary_follows(
            platform="slack", channel_id=channel_id, speaker=parsed.speaker, topic=parsed.topic
        )
    assert parsed.at is not None
    note = await channels.check_can_post(client, channel_id)
    confirmation = await record.set_summary_schedule(
        platform="slack",
        channel_id=channel_id,
        time_of_day=parsed.at,
        timezone=parsed.zone or DEFAULT_ZONE,
        set_by=f"slack:{command['user_id']}",
        follow_speaker=parsed.speaker,
        follow_topic=parsed.topic,
    )
    return f"{confirmation} {note}" if note else confirmation
