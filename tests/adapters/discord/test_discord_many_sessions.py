"""A store of 1,500 sessions: /sessions pages to the oldest, autocomplete finds any session."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from discord_harness import Harness, start_bot, stop_bot
from fake_discord import GUILD_ID, MODERATOR, FakeDiscord, option, slash

from bot.record import Record
from bot.settings import Settings
from storage import sessions
from storage.connection import connect, migrate
from storage.sessions import NewSession
from storage.statements import NewStatement

SESSIONS = 1500
OLDEST_TITLE = "Allotments and village ponds committee"


def title_of(n: int) -> str:
    return OLDEST_TITLE if n == 1 else f"Planning committee meeting {n}"


async def build(path: Path) -> None:
    """1,500 one-statement sessions, session 1 the oldest, one a day from 2020-01-01."""
    store = await connect(path)
    await migrate(store)
    start = date(2020, 1, 1)
    for n in range(1, SESSIONS + 1):
        text = f"Chair: Meeting {n} is open."
        new = NewSession(
            title_of(n),
            (start + timedelta(days=n)).isoformat(),
            f"meeting-{n}.txt",
            "transcript",
            "utf-8",
            f"hash-{n}",
            "test",
            text,
        )
        statement = NewStatement("Chair", "turn", text, f"meeting {n} open", 4, 0, len(text))
        await sessions.store(store.conn, f"discord:{GUILD_ID}", new, [statement], [])
    await store.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 1,500-session store, built once for the module (about 3 s) and copied per test."""
    path = tmp_path_factory.mktemp("many") / "store.sqlite3"
    asyncio.run(build(path))
    return path


@pytest.fixture
async def many(settings: Settings, template: Path, fake: FakeDiscord) -> AsyncIterator[Harness]:
    shutil.copy(template, settings.onrecord_db)
    record = await Record.open(settings.onrecord_db)
    bot, task = await start_bot(settings, record, fake)
    try:
        yield Harness(bot, fake)
    finally:
        await stop_bot(bot, task)
        await record.close()


def session_ids(description: str) -> list[int]:
    """The session ids listed on a /sessions page, in order."""
    return [int(line.split("`")[1]) for line in description.split("\n") if line.startswith("`")]


async def test_sessions_pages_from_the_newest_to_the_oldest(many: Harness) -> None:
    """/sessions shows the newest 25 and how many more; Next, Last and Previous reach every session."""
    token = await many.interact(slash("sessions"))
    first = await many.fake.wait_for_shown(token)
    embed = first.embeds[0]
    assert session_ids(embed["description"]) == list(range(1500, 1475, -1))
    assert "… and 1475 more" in embed["description"]
    assert embed["footer"]["text"] == "1–25 of 1500 sessions, newest first"

    second = await many.press(first.id, "Next")
    assert session_ids(second.embeds[0]["description"]) == list(range(1475, 1450, -1))
    oldest = await many.press(first.id, "Last")
    assert session_ids(oldest.embeds[0]["description"]) == list(range(25, 0, -1))
    assert OLDEST_TITLE in oldest.embeds[0]["description"]
    assert "more" not in oldest.embeds[0]["description"]
    labels = {b["label"]: b.get("disabled", False) for b in oldest.components[0]["components"]}
    assert labels == {"First": False, "Previous": False, "60 / 60": True, "Next": True, "Last": True}
    back = await many.press(first.id, "Previous")
    assert session_ids(back.embeds[0]["description"]) == list(range(50, 25, -1))


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [("allot", 1), ("village POND", 1), ("1", 1), ("2020-01-02", 1), ("meeting 777", 777)],
)
async def test_session_autocomplete_finds_any_session(many: Harness, typed: str, wanted: int) -> None:
    """Typing a title word, the id or the date of session 1 (the oldest of 1,500) offers it first."""
    payload = slash("summary", option("session", typed, focused=True), autocomplete=True)
    reply = await many.reply(payload)
    choices = reply.json["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == wanted


async def test_moderators_session_autocomplete_finds_the_oldest(many: Harness) -> None:
    """/session remove's id autocomplete searches every session too."""
    payload = slash(
        "session",
        option("id", "ponds", focused=True),
        member=MODERATOR,
        subcommand="remove",
        autocomplete=True,
    )
    choices = (await many.reply(payload)).json["data"]["choices"]
    assert [c["value"] for c in choices] == [1]
    assert choices[0]["name"] == f"1 · {OLDEST_TITLE} (2020-01-02)"
