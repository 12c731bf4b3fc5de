"""A local stand-in for Discord's gateway and REST API, spoken to by the real discord.py client.

It serves just enough of the wire protocol for a bot to log in, sync its commands and
receive interactions: ``GET /users/@me``, ``GET /oauth2/applications/@me``, the command
sync ``PUT``, the gateway websocket (HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats),
interaction callbacks and the interaction webhooks. Every HTTP request is recorded so tests
assert on what the client actually sent, and attachments are served from ``/files/``.

Facts learned the hard way and encoded here: discord.py parses a body as JSON only when
the content type is exactly ``application/json``; callbacks are posted with
``?with_response=1`` and the client expects ``{"interaction": {"id": ...}}`` back; an
interaction payload needs ``version`` and ``attachment_size_limit``.

Besides the requests, the fake keeps what the channel would *show* (``Shown``), following
Discord's documented rules for interaction messages: a deferral (callback type 5) posts a
"thinking…" message, public unless the deferral carried the ephemeral flag; the first
follow-up after it edits that message instead of posting a new one, and its own ephemeral
flag is ignored, so an error sent "privately" after a public deferral is seen by everyone.
Deleting the original (``DELETE …/messages/@original``) removes it, and a follow-up after
that is a new message with its own flags. Editing or deleting a message that is gone
answers 404 Unknown Message.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "fake-token"  # the only token the fake accepts
APPLICATION_ID = 900000000000000001
BOT_USER_ID = 900000000000000002
GUILD_ID = 900000000000000010
CHANNEL_ID = 900000000000000020
# A second server with its own channel, for tests of one community against another.
GUILD_B_ID = 900000000000000011
CHANNEL_B_ID = 900000000000000021
MODERATOR_ROLE_ID = 900000000000000030
MANAGE_GUILD = 1 << 5
# View Channel, Send Messages, Embed Links, Read Message History, Use Application Commands.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31)


@dataclass
class Request:
    """One HTTP request the client sent to the fake."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    response: Any = None

    @property
    def callback_type(self) -> int | None:
        """The interaction response type of a callback request, else None."""
        if self.path.endswith("/callback") and isinstance(self.json, dict):
            return int(self.json["type"])
        return None


EPHEMERAL = 1 << 6
UNKNOWN_MESSAGE = {"message": "Unknown Message", "code": 10008}


@dataclass
class Shown:
    """One message as Discord shows it: who can see it and what it says now."""

    id: str
    token: str
    ephemeral: bool
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    thinking: bool = False  # a deferral's "… is thinking" placeholder, not yet edited
    deleted: bool = False

    @property
    def public(self) -> bool:
        """Whether everyone in the channel sees this message."""
        return not self.ephemeral and not self.deleted

    def update(self, body: dict[str, Any]) -> None:
        """Apply an edit (only the keys present change), as Discord's PATCH does."""
        for key in ("content", "embeds", "components"):
            if key in body and body[key] is not None:
                setattr(self, key, body[key])
        self.thinking = False


@dataclass
class FakeDiscord:
    """The fake server; ``await start()``, point discord.py at it, ``await stop()``."""

    requests: list[Request] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    identify_payloads: list[dict[str, Any]] = field(default_factory=list)
    refused_channels: set[str] = field(default_factory=set)
    # The servers the bot is in at READY, and who is a member of which (GET .../members/{user}).
    guilds: list[dict[str, Any]] = field(default_factory=lambda: [guild_payload()])
    members: dict[int, set[int]] = field(default_factory=dict)
    left_guilds: list[str] = field(default_factory=list)
    close_codes: list[int | None] = field(default_factory=list)  # each gateway connection's, as it ended
    shown: dict[str, Shown] = field(default_factory=dict)  # by message id, in order of posting
    _originals: dict[str, str] = field(default_factory=dict)  # token -> original response message id
    _component_messages: dict[str, str] = field(default_factory=dict)  # token -> clicked message id
    # How many of the next channel messages are made but never answered (the connection
    # closes first: a timeout on the way back, as far as the bot can tell).
    drop_answers: int = 0
    # channel id -> messages the bot made there, oldest first (what history reads).
    channel_messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(910000000000000000))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    port: int = 0

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._api)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Close open websockets and the server."""
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        """The server's origin, e.g. ``http://127.0.0.1:1234``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` should be."""
        return f"{self.base}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` should be."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> int:
        """A fresh snowflake."""
        return next(self._ids)

    def serve_file(self, name: str, data: bytes) -> str:
        """Serve ``data`` as an attachment and return its URL."""
        self.files[name] = data
        return f"{self.base}/files/{name}"

    # --- what tests wait on ----------------------------------------------------------
    async def wait_for(self, predicate: Callable[[Request], bool], within: float = 10.0) -> Request:
        """The first recorded request matching ``predicate``, waiting for it if needed."""

        async def first() -> Request:
            async with self._changed:
                while True:
                    for request in self.requests:
                        if predicate(request):
                            return request
                    await self._changed.wait()

        return await asyncio.wait_for(first(), within)

    def requests_for(self, token: str) -> list[Request]:
        """Every callback and webhook request made for one interaction token."""
        return [r for r in self.requests if f"/{token}/" in r.path or r.path.endswith(f"/{token}")]

    def messages(self) -> list[dict[str, Any]]:
        """The body of every message the bot sent or edited (callbacks and webhooks)."""
        found = []
        for r in self.requests:
            if r.callback_type in (4, 7):
                found.append(r.json["data"])
            elif r.path.startswith("/webhooks/") and r.method in ("POST", "PATCH") and r.json is not None:
                found.append(r.json)
        return found

    async def wait_for_callback(self, token: str, within: float = 10.0) -> Request:
        """The interaction callback (initial response) for ``token``."""
        return await self.wait_for(lambda r: r.path.endswith(f"/{token}/callback"), within)

    async def wait_for_followup(self, token: str, within: float = 10.0) -> Request:
        """The first follow-up message (webhook POST) for ``token``."""
        return await self.wait_for(
            lambda r: r.method == "POST" and r.path.endswith(f"/webhooks/{APPLICATION_ID}/{token}"), within
        )

    # --- gateway ---------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH event to every connected client."""
        message = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for ws in self._sockets:
            await ws.send_str(json.dumps(message))

    async def send_interaction(self, payload: dict[str, Any]) -> None:
        """Deliver an ``INTERACTION_CREATE`` as Discord would."""
        if "message" in payload:  # a button press: its response may edit that message
            self._component_messages[str(payload["token"])] = str(payload["message"]["id"])
        await self.dispatch("INTERACTION_CREATE", payload)

    async def wait_for_shown(self, token: str, within: float = 10.0) -> Shown:
        """The first message of an interaction that shows something (not "thinking…", not deleted)."""

        def settled() -> Shown | None:
            return next((m for m in self.shown_for(token) if not m.thinking and not m.deleted), None)

        async def first() -> Shown:
            async with self._changed:
                while (found := settled()) is None:
                    await self._changed.wait()
                return found

        return await asyncio.wait_for(first(), within)

    def shown_for(self, token: str) -> list[Shown]:
        """The messages an interaction posted (its original response and follow-ups)."""
        return [m for m in self.shown.values() if m.token == token]

    def message_payload(self, message_id: str) -> dict[str, Any]:
        """A shown message as Discord puts it in a button press's ``message``."""
        return self._message({}, self.shown[message_id])

    def public_for(self, token: str) -> list[Shown]:
        """What of an interaction's messages the whole channel can still see."""
        return [m for m in self.shown_for(token) if m.public]

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        close_code: int | None = None
        while True:
            message = await ws.receive()
            if message.type is WSMsgType.CLOSE:
                close_code = int(message.data)  # the code the client closed with
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                break
            if message.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif frame["op"] == 2:
                self.identify_payloads.append(frame["d"])
                await self.dispatch("READY", self._ready())
                for guild in self.guilds:
                    await self.dispatch("GUILD_CREATE", guild)
                self.identified.set()
        self._sockets.remove(ws)
        if not ws.closed:
            await ws.close()
        async with self._changed:
            self.close_codes.append(close_code)
            self._changed.notify_all()
        return ws

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": bot_user(),
            "guilds": [{"id": g["id"], "unavailable": True} for g in self.guilds],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }

    # --- REST ------------------------------------------------------------------------
    async def _file(self, request: web.Request) -> web.Response:
        self.downloads.append(request.match_info["name"])
        data = self.files.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.content_type == "application/json":
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            form = await request.post()
            raw = form.get("payload_json")
            body = json.loads(str(raw)) if raw is not None else None
        recorded = Request(request.method, path, dict(request.query), dict(request.headers), body)
        status, reply = self._route(recorded)
        recorded.response = reply
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()
        channel_post = recorded.method == "POST" and path.startswith("/channels/")
        if self.drop_answers and status == 200 and channel_post:
            self.drop_answers -= 1
            if request.transport is not None:
                request.transport.close()  # the message stands; its answer never arrives
            return web.Response(status=200)
        if reply is None:
            return web.Response(status=status)
        # Exactly this content type: discord.py leaves anything else (even "; charset=utf-8") as text.
        return web.Response(
            status=status, body=json.dumps(reply).encode(), headers={"Content-Type": "application/json"}
        )

    def _route(self, r: Request) -> tuple[int, Any]:
        parts = r.path.strip("/").split("/")
        if r.path == "/users/@me":
            if r.headers.get("Authorization") != f"Bot {TOKEN}":
                return 401, {"message": "401: Unauthorized", "code": 0}
            return 200, bot_user()
        if r.path == "/oauth2/applications/@me":
            return 200, application()
        if parts[:3] == ["users", "@me", "guilds"] and r.method == "DELETE":
            self.left_guilds.append(parts[3])
            return 204, None
        if parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members" and r.method == "GET":
            if int(parts[3]) not in self.members.get(int(parts[1]), set()):
                return 404, {"message": "Unknown Member", "code": 10007}
            user = {"id": parts[3], "username": "member", "discriminator": "0", "avatar": None}
            return 200, {**Member(user_id=int(parts[3])).payload(), "user": user}
        if r.path == "/gateway/bot":
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": {}}
        if parts[0] == "applications" and parts[-1] == "commands" and r.method == "PUT":
            app_id = str(APPLICATION_ID)
            return 200, [{**c, "id": str(self.next_id()), "application_id": app_id} for c in r.json]
        if parts[0] == "interactions" and parts[-1] == "callback":
            token = parts[2]
            interaction = {"id": parts[1], "type": r.json["type"]}
            data = r.json.get("data") or {}
            if r.json["type"] == 5:
                interaction["response_message_loading"] = True
            if r.json["type"] in (4, 5):  # a new message: the answer, or "thinking…"
                shown = self._post(token, data, thinking=r.json["type"] == 5)
                self._originals[token] = shown.id
            elif r.json["type"] in (6, 7) and token in self._component_messages:
                self._originals[token] = self._component_messages[token]
                if r.json["type"] == 7:
                    clicked = self.shown.get(self._component_messages[token])
                    if clicked is not None:
                        clicked.update(data)
            return 200, {"interaction": interaction}
        if parts[0] == "webhooks":
            return self._webhook(r, parts)
        if parts[0] == "channels" and parts[-1] == "messages" and r.method == "POST":
            # A bot message in a channel (the daily summary); refused_channels answer 403.
            if parts[1] in self.refused_channels:
                return 403, {"message": "Missing Permissions", "code": 50013}
            body = r.json or {}
            made = self.channel_messages.setdefault(parts[1], [])
            # enforce_nonce: a repeat of a nonce (Discord: within minutes) gets the message back.
            if body.get("enforce_nonce") and body.get("nonce") is not None:
                for earlier in made:
                    if earlier.get("nonce") == body["nonce"]:
                        return 200, earlier
            message = {**self._message(body), "channel_id": parts[1], "nonce": body.get("nonce")}
            message.pop("webhook_id")
            made.append(message)
            return 200, message
        if parts[0] == "channels" and parts[-1] == "messages" and r.method == "GET":
            # Newest first, without nonces, as Discord lists them ("after" is not applied:
            # every message the fake made is recent).
            made = self.channel_messages.get(parts[1], [])
            listed = [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(made)]
            return 200, listed[: int(r.query.get("limit", 50))]
        return 404, {"message": f"fake Discord has no route {r.method} {r.path}", "code": 0}

    def _post(self, token: str, body: dict[str, Any], thinking: bool = False) -> Shown:
        """A new message in the channel, visible to all unless flagged ephemeral."""
        shown = Shown(str(self.next_id()), token, bool(int(body.get("flags") or 0) & EPHEMERAL))
        shown.update(body)
        shown.thinking = thinking
        self.shown[shown.id] = shown
        return shown

    def _webhook(self, r: Request, parts: list[str]) -> tuple[int, Any]:
        """Follow-ups and edits of an interaction's messages, by Discord's rules (module doc)."""
        token = parts[2]
        body = r.json or {}
        if len(parts) == 3 and r.method == "POST":
            original = self.shown.get(self._originals.get(token, ""))
            if original is not None and original.thinking and not original.deleted:
                # The first follow-up after a deferral edits "thinking…"; its flags are ignored.
                original.update(body)
                return 200, self._message(body, original)
            return 200, self._message(body, self._post(token, body))
        if len(parts) == 5 and parts[3] == "messages":
            message_id = self._originals.get(token) if parts[4] == "@original" else parts[4]
            shown = self.shown.get(message_id or "")
            if shown is None or shown.deleted:
                return 404, UNKNOWN_MESSAGE
            if r.method == "DELETE":
                shown.deleted = True
                return 204, None
            if r.method == "PATCH":
                shown.update(body)
            return 200, self._message(body, shown)
        return 404, {"message": f"fake Discord has no route {r.method} {r.path}", "code": 0}

    def _message(self, body: dict[str, Any], shown: Shown | None = None) -> dict[str, Any]:
        """A message object as Discord returns it: what was sent, or ``shown`` as it now is."""
        if shown is not None:
            body = {
                "content": shown.content,
                "embeds": shown.embeds,
                "components": shown.components,
                "flags": EPHEMERAL if shown.ephemeral else 0,
            }
        return {
            "id": shown.id if shown is not None else str(self.next_id()),
            "channel_id": str(CHANNEL_ID),
            "type": 0,
            "content": body.get("content") or "",
            "author": bot_user(),
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2024-05-01T12:00:00+00:00",
            "edited_timestamp": None,
            "flags": body.get("flags", 0),
            "webhook_id": str(APPLICATION_ID),
            "application_id": str(APPLICATION_ID),
        }


# --- payload builders (shapes as Discord sends them) ---------------------------------
def bot_user() -> dict[str, Any]:
    """The bot's own user object."""
    return {"id": str(BOT_USER_ID), "username": "onrecord", "discriminator": "0", "avatar": None, "bot": True}


def application() -> dict[str, Any]:
    """The application object returned to ``application_info``."""
    return {
        "id": str(APPLICATION_ID),
        "name": "onrecord",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": {"id": "1", "username": "owner", "discriminator": "0", "avatar": None},
        "verify_key": "0" * 64,
        "flags": 0,
    }


def guild_payload(
    guild_id: int = GUILD_ID, channel_id: int = CHANNEL_ID, name: str = "Civic Watch"
) -> dict[str, Any]:
    """The GUILD_CREATE for a test guild, with an @everyone and a moderator role.

    Its one text channel is also its system channel; the bot's own member is in it (with
    the everyone role) so discord.py can work out what the bot may do there.
    """
    role = {"color": 0, "hoist": False, "managed": False, "mentionable": False, "position": 0}
    me = {
        "user": bot_user(),
        "roles": [],
        "joined_at": "2023-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }
    return {
        "id": str(guild_id),
        "name": name,
        "system_channel_id": str(channel_id),
        "owner_id": "1",
        "unavailable": False,
        "member_count": 3,
        "roles": [
            {**role, "id": str(guild_id), "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS)},
            {
                **role,
                "id": str(MODERATOR_ROLE_ID),
                "name": "Record keepers",
                "position": 1,
                "permissions": str(MEMBER_PERMISSIONS),
            },
        ],
        "channels": [
            {
                "id": str(channel_id),
                "type": 0,
                "name": "politics",
                "position": 0,
                "guild_id": str(guild_id),
                "permission_overwrites": [],
            },
        ],
        "members": [me],
        "emojis": [],
        "stickers": [],
        "features": [],
        "threads": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "voice_states": [],
        "presences": [],
    }


@dataclass
class Member:
    """Who is acting in an interaction."""

    user_id: int = 800000000000000001
    name: str = "reader"
    permissions: int = MEMBER_PERMISSIONS
    roles: tuple[int, ...] = ()

    def payload(self) -> dict[str, Any]:
        """The ``member`` object of an interaction."""
        return {
            "user": {"id": str(self.user_id), "username": self.name, "discriminator": "0", "avatar": None},
            "roles": [str(r) for r in self.roles],
            "joined_at": "2023-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(self.permissions),
        }


READER = Member()
MODERATOR = Member(user_id=800000000000000002, name="mod", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
ROLE_HOLDER = Member(user_id=800000000000000003, name="keeper", roles=(MODERATOR_ROLE_ID,))

_tokens = itertools.count(1)


def _base(
    kind: int, member: Member, data: dict[str, Any], guild: int | None = GUILD_ID, channel: int = CHANNEL_ID
) -> dict[str, Any]:
    """An interaction in ``guild`` (None: in a DM with the bot, where there is a user, no member)."""
    payload: dict[str, Any] = {
        "id": str(920000000000000000 + next(_tokens)),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": f"itoken-{next(_tokens)}",
        "version": 1,
        "app_permissions": str(MEMBER_PERMISSIONS),
        "locale": "en-GB",
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "data": data,
    }
    if guild is None:
        dm = 930000000000000000 + member.user_id % 1000
        payload.update(
            channel_id=str(dm),
            channel={"id": str(dm), "type": 1},
            user=member.payload()["user"],
            authorizing_integration_owners={"0": str(guild or 0)},
            context=1,
        )
        return payload
    payload.update(
        guild_id=str(guild),
        guild={"id": str(guild), "locale": "en-GB", "features": []},
        channel_id=str(channel),
        channel={"id": str(channel), "type": 0, "name": "politics", "guild_id": str(guild)},
        member=member.payload(),
        guild_locale="en-GB",
        authorizing_integration_owners={"0": str(guild)},
        context=0,
    )
    return payload


def option(name: str, value: Any, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    """One command option (3 string, 4 integer, 7 channel, 11 attachment)."""
    out: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        out["focused"] = True
    return out


def slash(
    name: str,
    *options: dict[str, Any],
    member: Member = READER,
    subcommand: str | None = None,
    resolved: dict[str, Any] | None = None,
    autocomplete: bool = False,
    guild: int | None = GUILD_ID,
    channel: int = CHANNEL_ID,
) -> dict[str, Any]:
    """An application command (type 2) or autocomplete (type 4) interaction in ``guild`` (None: a DM)."""
    opts: list[dict[str, Any]] = list(options)
    if subcommand is not None:
        opts = [{"name": subcommand, "type": 1, "options": opts}]
    data: dict[str, Any] = {"id": "1", "name": name, "type": 1, "options": opts}
    if guild is not None:
        data["guild_id"] = str(guild)
    if resolved:
        data["resolved"] = resolved
    return _base(4 if autocomplete else 2, member, data, guild, channel)


def attachment(fake: FakeDiscord, filename: str, content: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """An attachment option and its ``resolved`` block, the file served by ``fake``."""
    attachment_id = str(fake.next_id())
    url = fake.serve_file(filename, content)
    resolved = {
        "attachments": {
            attachment_id: {
                "id": attachment_id,
                "filename": filename,
                "size": len(content),
                "url": url,
                "proxy_url": url,
                "content_type": "text/plain; charset=utf-8",
            }
        }
    }
    return option("file", attachment_id, kind=11), resolved


def component(
    custom_id: str,
    message: dict[str, Any],
    member: Member = READER,
    guild: int | None = GUILD_ID,
    channel: int = CHANNEL_ID,
) -> dict[str, Any]:
    """A button press (type 3) on ``message``, in ``guild``."""
    payload = _base(3, member, {"custom_id": custom_id, "component_type": 2}, guild, channel)
    payload["message"] = message
    return payload


def modal_submit(custom_id: str, values: dict[str, str], member: Member = MODERATOR) -> dict[str, Any]:
    """A modal submission (type 5) with text input values keyed by their custom_id."""
    components = [
        {"type": 18, "id": i + 1, "component": {"type": 4, "custom_id": key, "value": value}}
        for i, (key, value) in enumerate(values.items())
    ]
    return _base(5, member, {"custom_id": custom_id, "components": components})
