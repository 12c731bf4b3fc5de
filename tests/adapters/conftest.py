"""Fixtures every adapter's link tests share: a local page to fetch, and fetching it allowed."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

import bot.ingest.fetch

COMMITTEE_TRANSCRIPT = """Transport committee, 3 March 2024

Chair: Welcome to this meeting of the transport committee.

Jane Porter: I oppose the bus fare rise; it falls hardest on shift workers.

Tom Ames: The bus fare rise is needed to keep rural routes running.
"""


@pytest.fixture
async def committee_site() -> AsyncIterator[tuple[str, list[str]]]:
    """A local web server serving a committee transcript; yields its base URL and the paths requested."""
    hits: list[str] = []

    async def transcript(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text=COMMITTEE_TRANSCRIPT, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/transport.txt", transcript)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", hits
    finally:
        await runner.cleanup()


@pytest.fixture
def local_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let fetches reach the test server on 127.0.0.1, as tests/bot/ingest/test_fetch.py does."""
    local = (bot.ingest.fetch.Endpoint("127.0.0.1"),)
    monkeypatch.setattr(bot.ingest.fetch, "fetch", functools.partial(bot.ingest.fetch.fetch, allow=local))
