"""Installing into a second workspace through Bolt's OAuth flow, against the fake's oauth.v2.access.

With SLACK_CLIENT_ID/SLACK_CLIENT_SECRET the app has no token of its own: /slack/install
starts the flow, /slack/oauth_redirect finishes it, the installation is kept in the store
(not a file), and that workspace's requests are answered with that workspace's token.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml
from fake_slack import OAUTH_CLIENT_ID, FakeSlack
from slack_requests import MEMBER, make_settings, serve

from adapters.slack.app import _startup_problem
from adapters.slack.installations import BOT_SCOPES
from bot.record import Record

REPO = Path(__file__).resolve().parents[3]

OTHER = "T0OTHER"


async def test_install_into_a_second_workspace_and_its_token_answers_it(
    fake: FakeSlack, record: Record, tmp_path: Path
) -> None:
    """Install T0OTHER; a DM question from T0OTHER is answered with xoxb-t0other; the row is in the store."""
    settings = make_settings(
        tmp_path, slack_client_id=OAUTH_CLIENT_ID, slack_client_secret="oauth-secret", slack_mode="http"
    )
    async with serve(fake, record, settings) as slack:
        base = slack.url.rsplit("/slack/events", 1)[0]
        async with slack.http.get(f"{base}/slack/install", allow_redirects=False) as page:
            assert page.status in (200, 302)
            body = await page.text()
            cookie = page.cookies["slack-app-oauth-state"].value
            found = re.search(r'href="(https://[^"]*/oauth/v2/authorize\?[^"]*)"', body)
            location = page.headers.get("Location") or (found.group(1) if found else "")
        authorize = parse_qs(urlparse(location.replace("&amp;", "&")).query)
        assert authorize["client_id"] == [OAUTH_CLIENT_ID]
        assert "commands" in authorize["scope"][0].split(",")
        state = authorize["state"][0]
        fake.oauth_codes["code-123"] = OTHER
        # Slack sends the browser back with a code and the state, and the browser sends the
        # install page's cookie (marked Secure: a browser on https would; the test sends it).
        browser = {"Cookie": f"slack-app-oauth-state={cookie}"}
        redirect = f"{base}/slack/oauth_redirect?code=code-123&state={state}"
        async with slack.http.get(redirect, headers=browser) as done:
            assert done.status == 200, await done.text()
        (access,) = fake.of("oauth.v2.access")
        assert access.data["code"] == "code-123"
        # A replayed state is refused: each is used once.
        async with slack.http.get(redirect, headers=browser) as again:
            assert again.status != 200
        question = {
            "type": "message",
            "channel": "D0DM",
            "channel_type": "im",
            "user": MEMBER,
            "text": "what did Khan say on victim support",
            "ts": "1715000001.000200",
            "event_ts": "1715000001.000200",
        }
        await slack.event(question, "EvOAuth1", team=OTHER)
        (post,) = await fake.wait_for("chat.postMessage")
        assert post.authorization == "Bearer xoxb-t0other"
        assert "£47m" not in post.rendered  # the new workspace's record is its own, and empty
    with sqlite3.connect(settings.onrecord_db) as db:
        ((platform, key, data),) = db.execute("SELECT platform, key, data FROM installations").fetchall()
    assert (platform, key) == ("slack", f":{OTHER}") and "xoxb-t0other" in data


def test_an_oauth_install_asks_for_the_manifests_scopes() -> None:
    """The scopes /slack/install asks for are exactly the manifest's bot scopes."""
    manifest = yaml.safe_load((REPO / "adapters" / "slack" / "manifest.yaml").read_text("utf-8"))
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_oauth_needs_http_mode(tmp_path: Path) -> None:
    """Socket Mode has no redirect address for an install to come back to: start-up says so."""
    settings = make_settings(tmp_path, slack_client_id=OAUTH_CLIENT_ID, slack_client_secret="s")
    assert settings.has_slack and settings.slack_oauth
    assert "SLACK_MODE=http" in (_startup_problem(settings) or "")
