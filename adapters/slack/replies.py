"""Where a reply goes: back along the request it answers, whatever kind it was.

Slash commands and buttons carry a ``response_url``; a modal opened from a command keeps
that address in its private metadata; a mention is answered in its thread, a DM in the DM.
Failing all that, the user gets a DM from the app.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import Message


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


async def reply(
    body: dict[str, Any],
    client: AsyncWebClient,
    messages: Sequence[Message],
    *,
    response_type: str = "ephemeral",
) -> None:
    """Send ``messages`` back to where ``body`` came from."""
    url = response_url_of(body)
    if url:
        respond = AsyncRespond(response_url=url)
        for m in messages:
            await respond(text=m.text, blocks=m.blocks, response_type=response_type, replace_original=False)
        return
    event = body.get("event") or {}
    channel = event.get("channel")
    thread_ts: str | None = None
    if channel and event.get("channel_type") != "im":
        thread_ts = event.get("thread_ts") or event.get("ts")
    if not channel:
        channel = user_of(body)
    if not channel:
        return
    for m in messages:
        await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=m.text, blocks=m.blocks)
