"""`onrecord run slack` as a real process against the fake Slack API: start-up failures, stopping."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest
from fake_slack import FakeSlack

REPO = Path(__file__).resolve().parents[3]
APP_TOKEN = "xapp-1-revoked-secret"


async def start(tmp_path: Path, api_url: str, **settings: str) -> asyncio.subprocess.Process:
    """Start the Slack app in a child process, in an empty directory (no .env is read)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "ONRECORD_"))}
    env.update(
        PYTHONPATH=str(REPO),
        ONRECORD_DB=str(tmp_path / "onrecord.sqlite3"),
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_APP_TOKEN=APP_TOKEN,
        SLACK_API_URL=api_url,
    )
    env.update({name.upper(): value for name, value in settings.items()})
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; from adapters.cli import main; sys.exit(main())",
        "run",
        "slack",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process, within: float = 60.0) -> tuple[int, list[str]]:
    """The exit status and what stderr said beyond INFO logs, once the process ends by itself."""
    _, err = await asyncio.wait_for(process.communicate(), within)
    assert process.returncode is not None
    text = err.decode()
    assert "Traceback" not in text and "ERROR" not in text, text
    said = [line for line in text.splitlines() if line.strip() and not line.startswith("INFO ")]
    return process.returncode, said


async def test_refused_app_token_ends_the_process_with_one_line(fake: FakeSlack, tmp_path: Path) -> None:
    """apps.connections.open → invalid_auth: exit status 2 and one line naming SLACK_APP_TOKEN, no token."""
    fake.errors["apps.connections.open"] = "invalid_auth"
    code, lines = await finished(await start(tmp_path, f"{fake.base_url}/api/"))
    assert code == 2
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith("onrecord: Slack refused SLACK_APP_TOKEN (invalid_auth)")
    assert "connections:write" in line and APP_TOKEN not in line
    assert not fake.of("socket_connect")
    (opened,) = fake.of("apps.connections.open")
    assert opened.authorization == f"Bearer {APP_TOKEN}"


async def test_unreachable_slack_api_is_one_line(tmp_path: Path) -> None:
    """Nothing listening at the Web API address: one line saying Slack cannot be reached, no traceback."""
    code, lines = await finished(await start(tmp_path, "http://127.0.0.1:9/api/"))
    assert code == 1
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith("onrecord: cannot reach Slack's Web API (")
    assert "SLACK_API_URL" in line and "127.0.0.1:9" not in line  # the setting named, its value not shown


async def test_sigterm_closes_the_socket_mode_connection_and_exits(fake: FakeSlack, tmp_path: Path) -> None:
    """SIGTERM while serving: the websocket is closed (Slack sees it go), the process exits 0."""
    process = await start(tmp_path, f"{fake.base_url}/api/")
    try:
        await fake.wait_for("socket_connect", within=60)
        process.send_signal(signal.SIGTERM)
        code, lines = await finished(process, within=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0 and lines == []
    (closed,) = await fake.wait_for("socket_closed")
    assert closed.data["code"] is not None
    assert len(fake.of("apps.connections.open")) == 1


def listening_addresses(port: int) -> set[str]:
    """IPv4 addresses with a socket listening on ``port`` (Linux /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
async def test_http_mode_listens_on_localhost_by_default_and_stops_on_sigterm(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """HTTP mode binds 127.0.0.1 (SLACK_HOST's default), not every interface; SIGTERM ends it with 0."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await start(
        tmp_path, f"{fake.base_url}/api/", slack_mode="http", slack_signing_secret="s", slack_port=str(port)
    )
    try:
        for _ in range(300):
            if listening_addresses(port):
                break
            await asyncio.sleep(0.1)
        assert listening_addresses(port) == {"127.0.0.1"}
        process.send_signal(signal.SIGTERM)
        code, lines = await finished(process, within=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0 and lines == []
