"""Where a reply goes: back along the request it answers, whatever kind it was.

Slash commands and buttons carry a ``response_url``; a modal opened from a command keeps
that address in its private metadata; a mention is answered in its thread, a DM in the DM
(in the DM's thread when asked in one).
Failing all that, or when Slack refuses the ``response_url`` (it lasts 30 minutes and
takes five replies), the user gets a DM from the app, so an outcome is never lost.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import clients
from adapters.slack.blocks import Message, render_text
from bot.wording import WAITING_FOR_ADD

log = logging.getLogger(__name__)

URL_GONE = (
    "Slack no longer took replies for that request (its reply link expires after 30 minutes), so here it is:"
)


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The JSON a modal was opened with (empty when absent or unreadable)."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def response_url_of(body: dict[str, Any]) -> str | None:
    """The ``response_url`` that answers this request, if it has one."""
    if body.get("response_url"):
        return str(body["response_url"])
    urls = body.get("response_urls") or []
    if urls and urls[0].get("response_url"):
        return str(urls[0]["response_url"])
    if body.get("type") == "view_submission":
        url = view_metadata(body.get("view") or {}).get("response_url")
        return str(url) if url else None
    return None


def user_of(body: dict[str, Any]) -> str | None:
    """The id of the user behind a request of any kind."""
    if body.get("user_id"):
        return str(body["user_id"])
    user = body.get("user")
    if isinstance(user, dict) and user.get("id"):
        return str(user["id"])
    event = body.get("event") or {}
    return str(event["user"]) if event.get("user") else None


def payload(message: Message, response_type: str = "ephemeral") -> dict[str, Any]:
    """A message as a ``response_url`` post that adds to the conversation (never replaces)."""
    return {
        "text": message.text,
        "blocks": message.blocks,
        "response_type": response_type,
        "replace_original": False,
    }


async def respond(url: str, data: dict[str, Any]) -> bool:
    """POST ``data`` to a ``response_url``; False, logged, when Slack refused it.

    Slack answers an expired or used-up address with an HTTP error and a word such as
    ``expired_url``; slack_sdk returns that instead of raising, and Bolt's ``respond()``
    drops it, so it is checked here. The address itself is never logged: it can post.
    """
    response = await clients.webhook(url).send_dict(data)
    if response.status_code == 200:
        return True
    log.warning(
        "Slack refused a response_url post (HTTP %d: %s)", response.status_code, (response.body or "")[:100]
    )
    return False


async def direct_message(client: AsyncWebClient, user_id: str, messages: Sequence[Message]) -> None:
    """Send ``messages`` to the user's DM with the app (the app's Messages tab)."""
    for m in messages:
        await client.chat_postMessage(channel=user_id, text=m.text, blocks=m.blocks)


def waiting_note(body: dict[str, Any], client: AsyncWebClient) -> Callable[[str], Awaitable[None]]:
    """An add's ``progress``: the queueing sentence sent (as ``reply``) the moment the add starts waiting.

    Only ``WAITING_FOR_ADD`` is sent; the other steps pass in a moment, and a slash
    command's ``response_url`` takes only five replies.
    """

    async def progress(line: str) -> None:
        if line == WAITING_FOR_ADD:
            await reply(body, client, render_text(line))

    return progress


async def reply(
    body: dict[str, Any],
    client: AsyncWebClient,
    messages: Sequence[Message],
    *,
    response_type: str = "ephemeral",
) -> None:
    """Send ``messages`` back to where ``body`` came from (a DM if that way is closed)."""
    url = response_url_of(body)
    if url:
        for i, m in enumerate(messages):
            if not await respond(url, payload(m, response_type)):
                user = user_of(body)
                if user:
                    await direct_message(client, user, [*render_text(URL_GONE), *messages[i:]])
                return
        return
    event = body.get("event") or {}
    channel = event.get("channel")
    # A channel mention is answered in a thread (its own, or the one it was made in); a DM
    # at its top level, unless the question was asked inside a thread of the DM.
    thread_ts: str | None = event.get("thread_ts")
    if channel and event.get("channel_type") != "im":
        thread_ts = thread_ts or event.get("ts")
    if not channel:
        channel = user_of(body)
    if not channel:
        return
    for m in messages:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=m.text, blocks=m.blocks)
