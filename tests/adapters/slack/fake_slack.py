"""A local fake of the Slack Web API (and response_url, file downloads) on 127.0.0.1.

It records every call the real slack_sdk client makes, answers like Slack does for the
methods onrecord uses, and lets a test wait until a call arrives (Bolt acks first and
answers in the background).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER = "UBOT"
TEAM = "T0TEAM"
OAUTH_CLIENT_ID = "1111.2222"


@dataclass
class Call:
    """One request the app made: a Web API method, a response_url post or a download."""

    kind: str  # Web API method name, "response_url" or "download"
    data: dict[str, Any]
    authorization: str | None
    path: str
    status: int = 200  # 429 when the fake answered with a rate limit
    at: float = field(default_factory=time.monotonic)

    @property
    def blocks(self) -> list[dict[str, Any]]:
        """The message's blocks: Bolt posts them as JSON in a form field or as a list in JSON."""
        blocks: Any = self.data.get("blocks")
        return json.loads(blocks) if isinstance(blocks, str) else list(blocks or [])

    @property
    def rendered(self) -> str:
        """Everything a reader could see: the blocks as JSON plus the notification text."""
        return json.dumps(self.blocks, ensure_ascii=False) + str(self.data.get("text", ""))


@dataclass
class FakeSlack:
    """State of the fake: recorded calls, files to serve, canned errors."""

    calls: list[Call] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # kind -> Retry-After seconds of the next refusals: each call of that kind pops one and
    # is answered 429 ratelimited with that header, as Slack does past a method's rate tier.
    rate_limits: dict[str, list[int]] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # response_url keys answered 404 expired_url
    # channel -> error for posts there (not_in_channel, channel_not_found, is_archived…),
    # while posts elsewhere (the app's DM with a user, say) still go through.
    channel_errors: dict[str, str] = field(default_factory=dict)
    # OAuth install codes the fake "browser" got back from Slack, and whose team each is for.
    oauth_codes: dict[str, str] = field(default_factory=dict)
    # conversations.info answers; a channel not listed is a public one the app is in.
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    # method -> how many of its next calls are carried out but never answered (the
    # connection closes first: a timeout on the way back, as far as the app can tell).
    drop_answers: dict[str, int] = field(default_factory=dict)
    # channel -> messages posted there, oldest first (what conversations.history reads).
    posted: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    base_url: str = ""
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _ts: int = 0

    # --- what tests read -----------------------------------------------------------------
    def of(self, kind: str) -> list[Call]:
        """Calls of one kind, in order."""
        return [c for c in self.calls if c.kind == kind]

    @property
    def api_calls(self) -> list[Call]:
        """Every recorded request, Web API or otherwise."""
        return list(self.calls)

    async def wait_for(self, kind: str, count: int = 1, within: float = 10.0) -> list[Call]:
        """Wait until ``count`` calls of ``kind`` arrived; fail the test after ``within`` seconds."""

        def enough() -> bool:
            return len(self.of(kind)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), within)
            except TimeoutError:
                raise AssertionError(
                    f"expected {count} {kind} call(s); got {[c.kind for c in self.calls]}"
                ) from None
        return self.of(kind)

    async def settle(self, seconds: float = 0.3) -> None:
        """Give background handlers time to make calls a test expects NOT to happen."""
        await asyncio.sleep(seconds)

    def rate_limit(self, kind: str, *retry_after: int) -> None:
        """Answer the next ``len(retry_after)`` calls of ``kind`` with 429 and these Retry-After values."""
        self.rate_limits.setdefault(kind, []).extend(retry_after)

    def answered(self, kind: str) -> list[Call]:
        """Calls of one kind that Slack accepted (not rate limited, not expired)."""
        return [c for c in self.of(kind) if c.status == 200]

    def _limited(self, kind: str) -> int | None:
        waits = self.rate_limits.get(kind)
        return waits.pop(0) if waits else None

    def _too_many(self, retry_after: int) -> web.Response:
        return web.json_response(
            {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)}
        )

    def add_file(self, file_id: str, name: str, data: bytes) -> dict[str, Any]:
        """Serve a file for files.info and download; returns the stub an event carries."""
        self.files[file_id] = (name, data)
        return {"id": file_id, "name": name, "mode": "hosted", "file_access": "check_file_info"}

    def response_url(self, key: str) -> str:
        """A response_url that posts back to this fake."""
        return f"{self.base_url}/respond/{key}"

    # --- the server ----------------------------------------------------------------------
    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _next_ts(self) -> str:
        self._ts += 1
        return f"{int(time.time())}.{self._ts:06d}"

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        data: dict[str, Any] = dict(parse_qsl(request.query_string))
        raw = await request.read()
        if raw:
            if request.content_type == "application/json":
                data.update(json.loads(raw))
            else:
                data.update(parse_qsl(raw.decode()))
        limited = self._limited(method)
        status = 200 if limited is None else 429
        await self._record(Call(method, data, request.headers.get("Authorization"), request.path, status))
        if limited is not None:
            return self._too_many(limited)
        if method == "oauth.v2.access":
            # slack_sdk sends the client id and secret as HTTP Basic auth.
            basic = (request.headers.get("Authorization") or "").removeprefix("Basic ")
            with contextlib.suppress(ValueError):
                data.setdefault("client_id", base64.b64decode(basic).decode().partition(":")[0])
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        channel_error = self.channel_errors.get(str(data.get("channel")))
        if channel_error and method in ("chat.postMessage", "chat.postEphemeral", "conversations.join"):
            return web.json_response({"ok": False, "error": channel_error})
        answer = self._answer(method, data)
        if self.drop_answers.get(method, 0) > 0:
            self.drop_answers[method] -= 1
            if request.transport is not None:
                request.transport.close()  # done, but the client never hears so
            return web.Response(status=200)
        return web.json_response(answer)

    def _answer(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "oauth.v2.access":
            # The end of an OAuth install: a code Slack gave the browser, for that team's bot token.
            team = self.oauth_codes.get(str(data.get("code")))
            if team is None or data.get("client_id") != OAUTH_CLIENT_ID:
                return {"ok": False, "error": "invalid_code"}
            return {
                "ok": True,
                "app_id": "A0APP",
                "authed_user": {"id": "UINSTALLER"},
                "scope": "commands,chat:write",
                "token_type": "bot",
                "access_token": f"xoxb-{team.lower()}",
                "bot_user_id": BOT_USER,
                "team": {"id": team, "name": team.title()},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "onrecord",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            ws = self.base_url.replace("http://", "ws://")
            return {"ok": True, "url": f"{ws}/socket-mode"}
        if method == "chat.postMessage":
            ts = self._next_ts()
            metadata = data.get("metadata")
            message = {
                "type": "message",
                "ts": ts,
                "text": data.get("text", ""),
                "bot_id": "BBOT",
                "metadata": json.loads(metadata) if isinstance(metadata, str) else metadata,
            }
            self.posted.setdefault(str(data.get("channel")), []).append(message)
            return {"ok": True, "channel": data.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "conversations.history":
            # Newest first; metadata only when asked for, as Slack does.
            oldest = float(data.get("oldest") or 0)
            with_metadata = str(data.get("include_all_metadata")).lower() in ("1", "true")
            found = [
                {k: v for k, v in m.items() if k != "metadata" or with_metadata}
                for m in reversed(self.posted.get(str(data.get("channel")), []))
                if float(m["ts"]) >= oldest
            ]
            return {"ok": True, "messages": found, "has_more": False}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "views.open":
            return {"ok": True, "view": {"id": "VFAKE", **(data.get("view") or {})}}
        if method == "conversations.info":
            channel_id = str(data.get("channel"))
            if self.channel_errors.get(channel_id) == "channel_not_found":
                return {"ok": False, "error": "channel_not_found"}
            default = {"is_channel": True, "is_private": False, "is_member": True, "is_archived": False}
            info = self.channels.get(channel_id, default)
            return {"ok": True, "channel": {"id": channel_id, "name": channel_id.lower(), **info}}
        if method == "conversations.join":
            channel_id = str(data.get("channel"))
            info = self.channels.setdefault(channel_id, {"is_channel": True, "is_private": False})
            info["is_member"] = True
            return {"ok": True, "channel": {"id": channel_id, **info}}
        if method == "usergroups.users.list":
            group = self.usergroups.get(str(data.get("usergroup")))
            if group is None:
                return {"ok": False, "error": "no_such_subteam"}
            return {"ok": True, "users": group}
        if method == "files.info":
            file_id = str(data.get("file"))
            if file_id not in self.files:
                return {"ok": False, "error": "file_not_found"}
            name, content = self.files[file_id]
            return {
                "ok": True,
                "file": {
                    "id": file_id,
                    "name": name,
                    "size": len(content),
                    "url_private": f"{self.base_url}/files/{file_id}",
                    "url_private_download": f"{self.base_url}/files/{file_id}/download",
                },
            }
        return {"ok": True}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        limited = self._limited("response_url")
        status = 200 if limited is None else 429
        if request.match_info["key"] in self.gone:
            status = 404
        await self._record(
            Call("response_url", body, request.headers.get("Authorization"), request.path, status)
        )
        if limited is not None:
            return self._too_many(limited)
        if status == 404:
            return web.Response(status=404, text="expired_url")
        return web.Response(text="ok")

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        auth = request.headers.get("Authorization")
        await self._record(Call("download", {"file": file_id}, auth, request.path))
        if file_id not in self.files or auth != "Bearer xoxb-test":
            return web.Response(status=404)
        return web.Response(body=self.files[file_id][1])

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every ack the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await self._record(Call("socket_connect", {}, request.headers.get("Authorization"), request.path))
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0APP"}})
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                await self._record(Call("socket_ack", json.loads(message.data), None, request.path))
        await self._record(Call("socket_closed", {"code": ws.close_code}, None, request.path))
        return ws

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app."""
        await self.sockets[-1].send_json(envelope)

    def web_app(self) -> web.Application:
        """The aiohttp application serving the fake."""
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/files/{file_id}/download", self._download)
        app.router.add_get("/socket-mode", self._socket)
        return app
