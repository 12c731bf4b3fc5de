"""Stopping the bot process: SIGTERM and SIGINT close the gateway with 1000 and the store."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from fake_discord import APPLICATION_ID, FakeDiscord, option, slash

from bot.record import Record
from bot.settings import Settings

LAUNCHER = Path(__file__).with_name("run_against_fake.py")
REPO = Path(__file__).resolve().parents[3]
KHAN_QUESTION = "what did Khan say on victim support?"


async def start_process(fake: FakeDiscord, settings: Settings, **env: str) -> asyncio.subprocess.Process:
    """``onrecord run discord`` in its own process, against ``fake``, ready once it identified."""
    environment = {
        **os.environ,
        "ONRECORD_DB": str(settings.onrecord_db),
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_GUILD_ID": str(settings.discord_guild_id),
        "ONRECORD_LOG_LEVEL": "INFO",
        "PYTHONPATH": str(REPO),
        **env,
    }
    environment.pop("DISCORD_MODERATOR_ROLE", None)
    fake.identified.clear()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(LAUNCHER),
        fake.api_base,
        fake.gateway_url,
        env=environment,
        cwd=settings.onrecord_db.parent,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), 30)
    except TimeoutError:
        process.kill()
        output, _ = await process.communicate()
        pytest.fail("the bot process never identified:\n" + output.decode(errors="replace"))
    return process


async def stopped(process: asyncio.subprocess.Process) -> tuple[int, str]:
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, output.decode(errors="replace")


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT])
async def test_a_stop_signal_closes_the_gateway_with_1000_and_the_store(
    fake: FakeDiscord, settings: Settings, sent: signal.Signals
) -> None:
    """SIGTERM (systemd, Docker) or SIGINT: exit 0, gateway closed normally, SQLite closed cleanly."""
    process = await start_process(fake, settings)
    process.send_signal(sent)
    code, output = await stopped(process)
    assert code == 0, output
    assert fake.close_codes == [1000], output
    assert "Discord bot stopped; store closed" in output
    files = sorted(p.name for p in settings.onrecord_db.parent.iterdir())
    assert files == ["store.sqlite3"]  # no -wal or -shm left: the last connection closed cleanly


async def test_an_answer_in_flight_is_finished_before_closing(
    fake: FakeDiscord, settings: Settings, sample_record: Record
) -> None:
    """SIGTERM during a slow /ask: the answer is still delivered, then the gateway closes with 1000."""
    process = await start_process(fake, settings, ONRECORD_TEST_SLOW_ASK="1.5")
    payload = slash("ask", option("question", KHAN_QUESTION))
    await fake.send_interaction(payload)
    await fake.wait_for_callback(str(payload["token"]))  # deferred: the answer is now in flight
    process.send_signal(signal.SIGTERM)
    code, output = await stopped(process)
    assert code == 0, output
    answer = await fake.wait_for_followup(str(payload["token"]), within=1)
    assert "£47m" in answer.json["embeds"][0]["description"]
    assert fake.close_codes == [1000]
    assert answer.path == f"/webhooks/{APPLICATION_ID}/{payload['token']}"
