"""Start-up checks and the app manifest matching what the app listens for."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from fake_slack import FakeSlack
from slack_requests import MEMBER, make_settings, serve, sign
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_app, run_slack, serve_socket_mode
from bot.record import Record

MANIFEST = Path(__file__).resolve().parents[3] / "adapters" / "slack" / "manifest.yaml"
REFERENCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "reference"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"slack_bot_token": "xoxb-x"}, "SLACK_APP_TOKEN"),
        (
            {"slack_bot_token": "xoxb-x", "slack_mode": "http", "slack_signing_secret": None},
            "SLACK_SIGNING_SECRET",
        ),
    ],
)
async def test_missing_secret_fails_at_start_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], overrides: dict[str, object], message: str
) -> None:
    """run_slack refuses to start without the secret its mode needs, naming the setting."""
    code = await run_slack(make_settings(tmp_path, **overrides))
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "xoxb-x" not in err
    assert not (tmp_path / "onrecord.sqlite3").exists()


async def test_unsigned_http_request_fails_without_a_signing_secret(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """With no signing secret configured, a request signed with an empty key is still refused."""
    settings = make_settings(tmp_path, slack_signing_secret=None)
    async with serve(fake, record, settings) as slack:
        body, _ = slack.command_body("speakers")
        ts = str(int(time.time()))
        reply = await slack.post(body, "application/x-www-form-urlencoded", signature=sign(body, ts, ""))
    assert reply.status == 401
    assert fake.api_calls == []


def test_build_app_needs_no_network(tmp_path: Path) -> None:
    """Building the app makes no call (auth.test waits for the first request)."""
    client = AsyncWebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    app = build_app(make_settings(tmp_path), Record(tmp_path / "unused.sqlite3"), client=client)
    assert app.client is client


def test_manifest_declares_what_the_app_listens_for() -> None:
    """The manifest has the slash command, the events, interactivity, Socket Mode and the scopes used."""
    text = MANIFEST.read_text(encoding="utf-8")
    for needed in (
        "command: /onrecord",
        "- app_mention",
        "- message.im",
        "socket_mode_enabled: true",
        "is_enabled: true",
        "- commands",
        "- chat:write",
        "- app_mentions:read",
        "- im:history",
        "- files:read",
        "- usergroups:read",
        "- channels:read",
        "- groups:read",
        "- channels:join",
    ):
        assert needed in text, needed


async def test_socket_mode_acks_on_the_socket_and_answers(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """Socket Mode (the default): the app connects with the xapp token, acks the envelope, answers."""
    client = AsyncWebClient(token="xoxb-test", base_url=f"{fake.base_url}/api/")
    app = build_app(make_settings(tmp_path, slack_signing_secret=None), record, client=client)
    serving = asyncio.create_task(serve_socket_mode(app, "xapp-test"))
    try:
        await fake.wait_for("socket_connect")
        (opened,) = fake.of("apps.connections.open")
        assert opened.authorization == "Bearer xapp-test"
        command = {
            "team_id": "T0TEAM",
            "channel_id": "C0CHAN",
            "user_id": MEMBER,
            "command": "/onrecord",
            "text": "what did Khan say on victim support",
            "api_app_id": "A0APP",
            "response_url": fake.response_url("socket"),
            "trigger_id": "trigger.socket",
        }
        envelope = {"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True}
        await fake.push({**envelope, "payload": command})
        (ack,) = await fake.wait_for("socket_ack")
        assert ack.data["envelope_id"] == "env-1"
        (answer,) = await fake.wait_for("response_url")
        assert "£47m" in json.dumps(answer.data["blocks"], ensure_ascii=False)
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)


@pytest.mark.parametrize(
    ("key", "limit"),
    [("name", 35), ("description", 140), ("display_name", 80), ("command", 32), ("usage_hint", 1000)],
)
def test_manifest_values_fit_slacks_limits(key: str, limit: int) -> None:
    """Slack refuses a manifest whose fields run over its schema's lengths (slackapi/manifest-schema)."""
    values = [
        line.split(":", 1)[1].strip().strip('"')
        for line in MANIFEST.read_text(encoding="utf-8").splitlines()
        if line.strip().removeprefix("- ").startswith(f"{key}:")
    ]
    assert values, key
    assert all(1 <= len(v) <= limit for v in values), values


def test_manifest_is_valid_against_slacks_schema() -> None:
    """The manifest validates against Slack's published manifest schema (slackapi/manifest-schema 1.0.0)."""
    schema_path = REFERENCE / "slack-manifest-schema" / "manifest.schema.1.0.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(manifest)]
    assert errors == []
    assert set(manifest["oauth_config"]["scopes"]["bot"]) >= {"channels:read", "groups:read", "channels:join"}


def test_schema_check_would_catch_a_bad_manifest() -> None:
    """The same validation refuses a manifest whose app name is over 35 characters."""
    schema_path = REFERENCE / "slack-manifest-schema" / "manifest.schema.1.0.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    manifest["display_information"]["name"] = "x" * 36
    assert list(jsonschema.Draft7Validator(schema).iter_errors(manifest))
