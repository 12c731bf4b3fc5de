"""Slack's OAuth install kept in the onrecord store: Bolt's installation and state stores over ``Record``.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, the app is installed into each
workspace through Bolt's OAuth flow (``/slack/install`` → Slack → ``/slack/oauth_redirect``),
and every request is answered with the bot token of the workspace it comes from, found
here. The installations are rows of the store (``Record.save_installation``), not files
next to it; the OAuth states too, so any process can finish a flow another began.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import clients
from bot.record import Record

PLATFORM = "slack"
# The bot scopes an OAuth install asks for: those of manifest.yaml (a test keeps them equal).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "app_mentions:read",
    "im:history",
    "files:read",
    "usergroups:read",
    "channels:read",
    "groups:read",
    "channels:join",
    "channels:history",  # before resending a daily post: did the first attempt arrive?
    "groups:history",
)
log = logging.getLogger(__name__)


def installation_key(
    enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
) -> str:
    """One row per workspace (or per organisation, for an org-wide install)."""
    team = "" if is_enterprise_install else (team_id or "")
    return f"{enterprise_id or ''}:{team}"


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """An installation's dict with its times as timestamps, so it is JSON."""
    return {k: (v.timestamp() if isinstance(v, datetime) else v) for k, v in data.items()}


class StoreInstallations(AsyncInstallationStore):
    """Bolt's installation store, kept in the onrecord store (bot installations only)."""

    def __init__(self, record: Record) -> None:
        self._record = record

    @property
    def logger(self) -> logging.Logger:
        """The logger Bolt expects on a store."""
        return log

    async def async_save(self, installation: Installation) -> None:
        """Keep a workspace's installation (a reinstall replaces the old token)."""
        key = installation_key(
            installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        )
        await self._record.save_installation(PLATFORM, key, _plain(installation.to_dict()))
        log.info("Installed in Slack workspace %s", installation.team_id or installation.enterprise_id)

    async def async_save_bot(self, bot: Bot) -> None:
        """Bots are kept as part of their installation (``async_save``)."""

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        """The installation of a workspace (users' own tokens are not kept: the app needs none)."""
        data = await self._record.installation(
            PLATFORM, installation_key(enterprise_id, team_id, is_enterprise_install)
        )
        return Installation(**data) if data else None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        """The bot token and ids of a workspace's installation, or None."""
        found = await self.async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return found.to_bot() if found is not None and found.bot_token else None

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """Forget a workspace's installation (the app was uninstalled there)."""
        await self._record.delete_installation(PLATFORM, installation_key(enterprise_id, team_id, False))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget a workspace's bot (its installation holds it)."""
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class StoreStates(AsyncOAuthStateStore):
    """Bolt's OAuth state store, kept in the onrecord store: each state issued once, used once."""

    def __init__(self, record: Record) -> None:
        self._record = record

    @property
    def logger(self) -> logging.Logger:
        """The logger Bolt expects on a store."""
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state for one install flow."""
        return await self._record.issue_oauth_state()

    async def async_consume(self, state: str) -> bool:
        """Whether ``state`` came from here and is still valid (it cannot be used again)."""
        return await self._record.consume_oauth_state(state)


def client_for_channels(record: Record, base: AsyncWebClient) -> Any:
    """For the daily poster: the client with the bot token of the workspace whose channel it is.

    The channel's schedule says whose it is (``slack:<team id>``); that workspace's
    installation holds the token. A channel of a workspace no longer installed gets the
    base client, whose call Slack refuses (``not_authed``), which the scheduler reports.
    """

    async def client_for(channel_id: str) -> AsyncWebClient:
        community = await record.summary_community("slack", channel_id) or ""
        team = community.removeprefix("slack:")
        data = await record.installation(PLATFORM, installation_key(None, team, False)) if team else None
        token = (data or {}).get("bot_token")
        if not token:
            return base
        return clients.with_retries(AsyncWebClient(token=str(token), base_url=base.base_url))

    return client_for
