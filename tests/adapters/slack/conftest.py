"""Fixtures: the real Bolt app served on 127.0.0.1, talking to a fake Slack Web API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from fake_slack import FakeSlack
from shared_data import SAMPLE
from slack_requests import SlackDriver, in_team, make_settings, serve

from bot.record import Record
from bot.settings import Settings


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests see only the settings they build; a developer's SLACK_* must not leak in."""
    for name in list(os.environ):
        if name.startswith("SLACK_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    state = FakeSlack()
    runner = web.AppRunner(state.web_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.base_url = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


@pytest.fixture
async def record(tmp_path: Path) -> AsyncIterator[Record]:
    """A real store in a tmp SQLite file holding the sample session."""
    rec = await Record.open(tmp_path / "onrecord.sqlite3")
    await in_team(rec).add_session(
        SAMPLE.read_bytes(),
        source_name=SAMPLE.name,
        added_by="test",
        title="Mayor's Question Time: victim support",
        date="2018-05-17",
    )
    yield rec
    await rec.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def slack(fake: FakeSlack, record: Record, settings: Settings) -> AsyncIterator[SlackDriver]:
    """The app with default settings: ephemeral answers, UMOD the one moderator."""
    async with serve(fake, record, settings) as driver:
        yield driver
