"""Sending requests to the served Bolt app exactly as Slack does, and serving it.

Form-encoded commands, JSON events and ``payload=`` interactivity, signed with the signing
secret: ``v0=HMAC-SHA256(v0:ts:body)``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from fake_slack import TEAM, Call, FakeSlack
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import HTTP_PATH, build_app
from bot.record import CommunityRecord, Record
from bot.settings import Settings

SECRET = "test-signing-secret"
MODERATOR = "UMOD"
MEMBER = "UMEMBER"


def in_team(record: Record, team_id: str = TEAM) -> CommunityRecord:
    """The record of a test workspace's community, as the app reads it for requests from there."""
    return record.community(f"slack:{team_id}")


def sign(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    """The X-Slack-Signature Slack would send for ``body`` at ``timestamp``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "onrecord_db": tmp_path / "onrecord.sqlite3",
        "slack_signing_secret": SECRET,
        "slack_moderators": MODERATOR,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass(frozen=True)
class Reply:
    """The HTTP answer the app gave Slack (the ack)."""

    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class SlackDriver:
    """Sends signed requests to the served app, as Slack would."""

    url: str
    fake: FakeSlack
    http: aiohttp.ClientSession
    counter: Iterator[int]

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        ts = timestamp or str(int(time.time()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature or sign(body, ts),
            **(headers or {}),
        }
        async with self.http.post(self.url, data=body, headers=sent) as resp:
            return Reply(resp.status, await resp.text())

    def command_body(
        self, text: str, user: str = MEMBER, channel: str = "C0CHAN", team: str = TEAM
    ) -> tuple[bytes, str]:
        key = f"cmd{next(self.counter)}"
        form = {
            "token": "legacy-token",
            "team_id": team,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/onrecord",
            "text": text,
            "api_app_id": "A0APP",
            "is_enterprise_install": "false",
            "response_url": self.fake.response_url(key),
            "trigger_id": f"trigger.{key}",
        }
        return urlencode(form).encode(), key

    async def command(
        self, text: str, user: str = MEMBER, channel: str = "C0CHAN", team: str = TEAM, **kwargs: Any
    ) -> Reply:
        body, _ = self.command_body(text, user, channel, team)
        return await self.post(body, "application/x-www-form-urlencoded", **kwargs)

    async def event(
        self, event: dict[str, Any], event_id: str, *, retry_num: int | None = None, team: str = TEAM
    ) -> Reply:
        envelope = {
            "token": "legacy-token",
            "team_id": team,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(json.dumps(envelope).encode(), "application/json", headers=headers)

    async def interact(self, payload: dict[str, Any]) -> Reply:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded")


@asynccontextmanager
async def serve(fake: FakeSlack, record: Record, settings: Settings) -> AsyncIterator[SlackDriver]:
    """The real AsyncApp, served by aiohttp on 127.0.0.1, with its Web API client on the fake."""
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    app = build_app(settings, record, client=client)
    runner = web.AppRunner(app.web_app(path=HTTP_PATH))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as http:
            yield SlackDriver(f"http://127.0.0.1:{port}{HTTP_PATH}", fake, http, itertools.count(1))
    finally:
        await runner.cleanup()


async def command_reply(slack: SlackDriver, fake: FakeSlack, text: str, *, user: str, channel: str) -> Call:
    """Send `/onrecord <text>` and return the one response_url post it caused (Bolt acks first)."""
    before = len(fake.of("response_url"))
    ack = await slack.command(text, user=user, channel=channel)
    assert ack.status == 200
    calls = await fake.wait_for("response_url", count=before + 1)
    return calls[before]
