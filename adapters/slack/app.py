"""Build and run the Slack app: Socket Mode by default, HTTP with signing-secret checks.

``build_app`` is a factory (nothing is built at import time) so tests can hand in a Web
API client pointed at a local fake; ``run_slack`` opens the record, checks the tokens at
start-up, starts the background tasks and serves until stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any, cast

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import clients, commands, events, failures, views
from adapters.slack.communities import Communities
from adapters.slack.events import EventDeduplicator
from adapters.slack.installations import BOT_SCOPES, StoreInstallations, StoreStates, client_for_channels
from adapters.slack.permissions import Moderators
from adapters.slack.summary import make_finder, make_poster, make_refusal_notifier
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record
from bot.settings import Settings

log = logging.getLogger(__name__)

HTTP_PATH = "/slack/events"

StartupTask = Callable[[AsyncApp, Record, Settings], Coroutine[Any, Any, None]]


async def run_summaries(app: AsyncApp, record: Record, settings: Settings) -> None:
    """Startup task: post each scheduled Slack channel's daily summary (see bot.daily.scheduler)."""
    # Several workspaces (OAuth): each channel is posted to with its own workspace's token.
    client_for = client_for_channels(record, app.client) if settings.slack_oauth else None
    scheduler = SummaryScheduler(
        record,
        "slack",
        make_poster(app.client, client_for),
        on_refused=make_refusal_notifier(app.client, client_for),
        find_earlier=make_finder(app.client, client_for),
    )
    await scheduler.run_forever()


def startup_tasks(settings: Settings) -> list[StartupTask]:
    """Coroutines run alongside the app for as long as it serves (cancelled at shutdown).

    Hook for long-running jobs such as the daily summary poster: add it to this list.
    Each gets the built app (``app.client`` posts messages), the open record and settings.
    """
    return [run_summaries]  # daily summaries, posted once per channel per day


class _OwnClientNotice(logging.Filter):
    """Drops Bolt's warning that its own read of SLACK_BOT_TOKEN goes unused.

    Bolt reads the ``SLACK_BOT_TOKEN`` environment variable by itself and warns when a
    client is handed in as well; the client carries that same token, so the warning is
    noise on every start.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _secret(value: object) -> str:
    getter = getattr(value, "get_secret_value", None)
    return str(getter()) if getter else ""


def build_app(
    settings: Settings,
    record: Record,
    client: AsyncWebClient | None = None,
    *,
    process_before_response: bool = False,
) -> AsyncApp:
    """The Bolt app with every onrecord listener registered.

    The Web API client (the one given, or one built from the bot token) gets slack_sdk's
    rate-limit and connection retry handlers; Bolt copies them into each listener's client.
    Without a signing secret (Socket Mode needs none) a random one is used, so an HTTP
    request can never pass verification by being signed with an empty key.
    """
    if client is None:
        token = _secret(settings.slack_bot_token)
        if not token and not settings.slack_oauth:
            raise ValueError("SLACK_BOT_TOKEN is not set (see .env.example).")
        client = clients.web_client(token, settings.slack_api_url)
    signing_secret = _secret(settings.slack_signing_secret) or secrets.token_hex(32)
    bolt_log = logging.getLogger("slack_bolt.AsyncApp")
    if not any(isinstance(f, _OwnClientNotice) for f in bolt_log.filters):
        bolt_log.addFilter(_OwnClientNotice())
    oauth: dict[str, Any] = {}
    if settings.slack_oauth:
        # Several workspaces: each installs through /slack/install, and each request is
        # answered with its own workspace's token, found in the store.
        client.token = None
        oauth["oauth_settings"] = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=_secret(settings.slack_client_secret),
            scopes=list(BOT_SCOPES),
            installation_store=StoreInstallations(record),
            installation_store_bot_only=True,
            state_store=StoreStates(record),
        )
    app = AsyncApp(
        name="onrecord",
        client=clients.with_retries(client),
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        **oauth,
    )
    moderators = Moderators(settings)
    app.middleware(EventDeduplicator().middleware)
    # Listeners get only this: the record of the workspace each request comes from.
    where = Communities(record, settings)
    commands.register(app, where, settings, moderators)
    events.register(app, where, settings, moderators)
    views.register(app, where, settings, moderators)
    failures.register(app)
    return app


def _startup_problem(settings: Settings) -> str | None:
    if not settings.has_slack:
        return "SLACK_BOT_TOKEN is not set (see .env.example)."
    if settings.slack_oauth and settings.slack_mode != "http":
        return "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (several workspaces) need SLACK_MODE=http."
    if settings.slack_mode == "socket" and not _secret(settings.slack_app_token):
        return "SLACK_APP_TOKEN (xapp-..., with connections:write) is needed for Socket Mode (see README)."
    if settings.slack_mode == "http" and not _secret(settings.slack_signing_secret):
        return "SLACK_SIGNING_SECRET is needed in HTTP mode to verify that requests come from Slack."
    return None


async def serve_http(
    app: AsyncApp, port: int, host: str | None = None, stop: asyncio.Event | None = None
) -> None:
    """Serve Slack's HTTP requests (signature-checked by Bolt) until ``stop`` is set or cancelled."""
    runner = web.AppRunner(app.web_app(path=HTTP_PATH, port=port))
    await runner.setup()
    try:
        await web.TCPSite(runner, host=host, port=port).start()
        log.info("Slack app listening on %s port %d at %s", host or "every interface", port, HTTP_PATH)
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()


class StartupError(Exception):
    """Slack refused a setting at start-up; the message is the one line the user sees."""


SOCKET_MODE_REFUSED = (
    "Slack refused SLACK_APP_TOKEN ({error}): use an app-level token (xapp-...) with "
    "connections:write, from Basic Information > App-Level Tokens (see README)."
)


async def socket_url(client: AsyncWebClient, app_token: str) -> str:
    """Ask ``apps.connections.open`` for a Socket Mode address, checking the app token.

    slack_sdk's own connect loop retries a refused token forever, logging a traceback each
    time, so the process would stay up serving nothing; asking first turns a wrong or
    revoked token into one ``StartupError``.
    """
    try:
        response = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        raise StartupError(SOCKET_MODE_REFUSED.format(error=exc.response.get("error"))) from exc
    return str(response["url"])


async def serve_socket_mode(
    app: AsyncApp, app_token: str, url: str | None = None, stop: asyncio.Event | None = None
) -> None:
    """Hold a Socket Mode connection at ``url`` (else one just issued) until ``stop`` or cancelled.

    Either way the websocket is closed before returning, so Slack stops sending to it at
    once instead of waiting for it to time out.
    """
    url = url or await socket_url(app.client, app_token)
    # The handler's methods are untyped in slack_bolt.
    handler = cast(Any, AsyncSocketModeHandler(app, app_token))
    handler.client.wss_uri = url  # connect with the address just issued, not a second one
    try:
        await handler.connect_async()
        await (stop or asyncio.Event()).wait()
    finally:
        await handler.close_async()
        log.info("Socket Mode connection closed")


def _stop_on_sigterm() -> asyncio.Event:
    """An event set when the process gets SIGTERM (what a service manager or container sends).

    Python's default for SIGTERM ends the process on the spot, leaving the websocket and
    the database unclosed; this turns it into an orderly stop, like Ctrl-C.
    """
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals here (Windows)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


def _report_task_end(task: asyncio.Task[None]) -> None:
    """A background job that dies is logged at once, not when the app stops."""
    if not task.cancelled() and task.exception() is not None:
        log.error("Slack background task %s failed", task.get_name(), exc_info=task.exception())


async def run_slack(settings: Settings) -> int:
    """Run the Slack app until interrupted; returns a process exit code."""
    problem = _startup_problem(settings)
    if problem:
        print(f"onrecord: {problem}", file=sys.stderr)
        return 2
    # The whole file is checked once here (see run_discord): a damaged store ends the
    # start with one sentence (StoreError) instead of failing members' questions later.
    record = await Record.from_settings(settings, check=True)
    tasks: list[asyncio.Task[None]] = []
    try:
        app = build_app(settings, record)
        if settings.slack_oauth:
            # No token of its own: each workspace's comes from its installation.
            log.info(
                "Slack OAuth: install at %s/slack/install",
                f"http://{settings.slack_host}:{settings.slack_port}",
            )
            tasks = [asyncio.create_task(task(app, record, settings)) for task in startup_tasks(settings)]
            for task in tasks:
                task.add_done_callback(_report_task_end)
            await serve_http(app, settings.slack_port, settings.slack_host, _stop_on_sigterm())
            return 0
        try:
            identity = await app.client.auth_test()
        except SlackApiError as exc:
            print(f"onrecord: Slack refused SLACK_BOT_TOKEN ({exc.response.get('error')}).", file=sys.stderr)
            return 2
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            # The address is a setting, so it is named, not shown: no setting's value is
            # printed in an error (a token pasted into the wrong line stays unseen).
            print(
                f"onrecord: cannot reach Slack's Web API ({type(exc).__name__}); "
                "check the network, a proxy, or SLACK_API_URL.",
                file=sys.stderr,
            )
            return 1
        app_token = _secret(settings.slack_app_token)
        url = await socket_url(app.client, app_token) if settings.slack_mode == "socket" else None
        log.info("Connected to Slack as %s in %s", identity.get("user"), identity.get("team"))
        tasks = [asyncio.create_task(task(app, record, settings)) for task in startup_tasks(settings)]
        for task in tasks:
            task.add_done_callback(_report_task_end)
        stop = _stop_on_sigterm()
        if settings.slack_mode == "http":
            await serve_http(app, settings.slack_port, settings.slack_host, stop)
        else:
            await serve_socket_mode(app, app_token, url, stop)
        log.info("Stopped on SIGTERM")
        return 0
    except StartupError as exc:
        print(f"onrecord: {exc}", file=sys.stderr)
        return 2
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await record.close()
