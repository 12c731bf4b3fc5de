"""Build and run the Slack app: Socket Mode by default, HTTP with signing-secret checks.

``build_app`` is a factory (nothing is built at import time) so tests can hand in a Web
API client pointed at a local fake; ``run_slack`` opens the record, checks the tokens at
start-up, starts the background tasks and serves until stopped.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from collections.abc import Callable, Coroutine
from typing import Any, cast

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import commands, events, failures, views
from adapters.slack.events import EventDeduplicator
from adapters.slack.permissions import Moderators
from adapters.slack.summary import make_poster
from bot.daily.scheduler import SummaryScheduler
from bot.record import Record
from bot.settings import Settings

log = logging.getLogger(__name__)

HTTP_PATH = "/slack/events"

StartupTask = Callable[[AsyncApp, Record, Settings], Coroutine[Any, Any, None]]


async def run_summaries(app: AsyncApp, record: Record, settings: Settings) -> None:
    """Startup task: post each scheduled Slack channel's daily summary (see bot.daily.scheduler)."""
    await SummaryScheduler(record, "slack", make_poster(app.client)).run_forever()


def startup_tasks(settings: Settings) -> list[StartupTask]:
    """Coroutines run alongside the app for as long as it serves (cancelled at shutdown).

    Hook for long-running jobs such as the daily summary poster: add it to this list.
    Each gets the built app (``app.client`` posts messages), the open record and settings.
    """
    return [run_summaries]  # daily summaries, posted once per channel per day


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

    Without a signing secret (Socket Mode needs none) a random one is used, so an HTTP
    request can never pass verification by being signed with an empty key.
    """
    if client is None:
        token = _secret(settings.slack_bot_token)
        if not token:
            raise ValueError("SLACK_BOT_TOKEN is not set (see .env.example).")
        client = AsyncWebClient(token=token)
    signing_secret = _secret(settings.slack_signing_secret) or secrets.token_hex(32)
    app = AsyncApp(
        name="onrecord",
        client=client,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
    )
    moderators = Moderators(settings)
    app.middleware(EventDeduplicator().middleware)
    commands.register(app, record, settings, moderators)
    events.register(app, record, settings, moderators)
    views.register(app, record, settings, moderators)
    failures.register(app)
    return app


def _startup_problem(settings: Settings) -> str | None:
    if not settings.has_slack:
        return "SLACK_BOT_TOKEN is not set (see .env.example)."
    if settings.slack_mode == "socket" and not _secret(settings.slack_app_token):
        return "SLACK_APP_TOKEN (xapp-..., with connections:write) is needed for Socket Mode (see README)."
    if settings.slack_mode == "http" and not _secret(settings.slack_signing_secret):
        return "SLACK_SIGNING_SECRET is needed in HTTP mode to verify that requests come from Slack."
    return None


async def serve_http(app: AsyncApp, port: int, host: str | None = None) -> None:
    """Serve Slack's HTTP requests (signature-checked by Bolt) until cancelled."""
    runner = web.AppRunner(app.web_app(path=HTTP_PATH, port=port))
    await runner.setup()
    try:
        await web.TCPSite(runner, host=host, port=port).start()
        log.info("Slack app listening on port %d at %s", port, HTTP_PATH)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def serve_socket_mode(app: AsyncApp, app_token: str) -> None:
    """Hold a Socket Mode connection (opened via ``apps.connections.open``) until cancelled."""
    # The handler's methods are untyped in slack_bolt.
    handler = cast(Any, AsyncSocketModeHandler(app, app_token))
    try:
        await handler.connect_async()
        await asyncio.Event().wait()
    finally:
        await handler.close_async()


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
    record = await Record.from_settings(settings)
    tasks: list[asyncio.Task[None]] = []
    try:
        app = build_app(settings, record)
        try:
            identity = await app.client.auth_test()
        except SlackApiError as exc:
            print(f"onrecord: Slack refused the bot token ({exc.response.get('error')}).", file=sys.stderr)
            return 2
        log.info("Connected to Slack as %s in %s", identity.get("user"), identity.get("team"))
        tasks = [asyncio.create_task(task(app, record, settings)) for task in startup_tasks(settings)]
        for task in tasks:
            task.add_done_callback(_report_task_end)
        if settings.slack_mode == "http":
            await serve_http(app, settings.slack_port)
        else:
            await serve_socket_mode(app, _secret(settings.slack_app_token))
        return 0
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await record.close()
