"""Whether the app can post in a channel, checked when a daily summary is set, and what to say when it cannot.

A daily summary is posted by the app itself (``chat.postMessage``), which works only in a
channel the app is a member of. Setting one is therefore checked with
``conversations.info``: a public channel is joined (``channels:join``); a private one must
invite the app, and a DM cannot hold a daily summary. Slack answers ``channel_not_found``
for a private channel the app is not in, as if it did not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import OnrecordError

log = logging.getLogger(__name__)

INVITE_APP = "invite the app there with `/invite @onrecord`"
INVITE = INVITE_APP + ", then set the summary again"
NOT_IN_DM = "A daily summary is posted in a channel, not a DM: type `/onrecord summary 08:30` in the channel."
NOT_VISIBLE = (
    "I can't see this channel, so I could not post its daily summary: if it is private, " + INVITE + "."
)
NOT_JOINED = "I could not join this channel ({error}), so I could not post its daily summary: " + INVITE + "."
ARCHIVED = "This channel is archived, so no daily summary can be posted in it."
UNCHECKED = (
    "(I could not check that I can post here: the app lacks the channels:read or groups:read "
    "scope; reinstall it from the manifest.)"
)

# What each refusal of a post means for the moderator who set the summary, and the fix.
# These are the refusals no retry can cure; anything else is retried by the scheduler.
POST_REFUSALS = {
    "not_in_channel": "the app is not a member: " + INVITE_APP,
    "channel_not_found": (
        "Slack says the channel does not exist or the app cannot see it: if it is private, " + INVITE_APP
    ),
    "is_archived": "the channel is archived: unarchive it, or set the summary in another channel",
    "restricted_action": "the workspace does not let the app post there: a workspace admin can allow it",
    "restricted_action_read_only_channel": "the channel is read-only: ask an admin, or use another channel",
}


class ChannelRefusedError(OnrecordError):
    """The app cannot post in the channel; the message says what to do."""


async def check_can_post(client: AsyncWebClient, channel_id: str) -> str | None:
    """Make sure the app can post in ``channel_id``; a note for the moderator, or None.

    Raises ``ChannelRefusedError`` (a sentence naming the fix) when it cannot. Joins a
    public channel it is not yet in.
    """
    if channel_id.startswith("D"):
        raise ChannelRefusedError(NOT_IN_DM)
    try:
        channel: dict[str, Any] = (await client.conversations_info(channel=channel_id)).get("channel") or {}
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error == "channel_not_found":
            raise ChannelRefusedError(NOT_VISIBLE) from exc
        if error == "missing_scope":
            log.warning("conversations.info refused for missing scope; channel %s not checked", channel_id)
            return UNCHECKED
        raise
    if channel.get("is_im"):
        raise ChannelRefusedError(NOT_IN_DM)
    if channel.get("is_archived"):
        raise ChannelRefusedError(ARCHIVED)
    if channel.get("is_member"):
        return None
    try:
        await client.conversations_join(channel=channel_id)
    except SlackApiError as exc:
        raise ChannelRefusedError(NOT_JOINED.format(error=exc.response.get("error"))) from exc
    name = channel.get("name")
    return f"I joined #{name} to post it there." if name else "I joined this channel to post it there."
