"""One typed settings object, read from the environment and ``.env``.

Secrets are ``SecretStr`` so they never print in a repr, a log line or an error message.
Each adapter checks for the fields it needs at start-up and fails with a clear message
then, not at the first command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from bot.errors import OnrecordError

DEFAULT_DB = Path("data") / "onrecord.sqlite3"


class Settings(BaseSettings):
    """Every setting onrecord reads; ``.env.example`` documents each one."""

    # Blank lines copied from .env.example ("DISCORD_GUILD_ID=") mean "not set".
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    # Core
    onrecord_db: Path = Field(default=DEFAULT_DB)
    onrecord_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    onrecord_max_source_mb: float = 60.0
    onrecord_load_sample: bool = True
    # Discord guild ids and Slack team ids the bot serves, comma-separated ("" = any it is added to).
    onrecord_communities: str = ""

    # Discord
    discord_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_moderator_role: str | None = None

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    # Both set: the app installs into several workspaces through OAuth (tokens kept in the store).
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_mode: Literal["socket", "http"] = "socket"
    slack_port: int = 3000
    slack_host: str = "127.0.0.1"  # HTTP mode listens here; behind a proxy, not every interface
    slack_api_url: str = "https://slack.com/api/"  # another for GovSlack (slack-gov.com) or a test
    slack_moderators: str = ""
    slack_moderator_group: str | None = None
    slack_answer_visibility: Literal["ephemeral", "in_channel"] = "ephemeral"

    @field_validator("onrecord_log_level", mode="before")
    @classmethod
    def _level_in_any_case(cls, value: object) -> object:
        """``info`` and `` Debug `` name levels too; anything else fails as not a level."""
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def max_source_bytes(self) -> int:
        """ONRECORD_MAX_SOURCE_MB in bytes (a megabyte of 1024 * 1024, as ``bot.ingest.MB``)."""
        return int(self.onrecord_max_source_mb * 1024 * 1024)

    @property
    def slack_moderator_ids(self) -> frozenset[str]:
        """Slack user IDs allowed to add, replace and remove sessions."""
        return frozenset(x.strip() for x in self.slack_moderators.split(",") if x.strip())

    @property
    def served_communities(self) -> frozenset[str] | None:
        """ONRECORD_COMMUNITIES as a set of guild and team ids, or None when every one is served."""
        ids = frozenset(x.strip() for x in self.onrecord_communities.split(",") if x.strip())
        return ids or None

    def serves(self, community_id: str | int) -> bool:
        """Whether a Discord guild id or Slack team id is one the bot serves (ONRECORD_COMMUNITIES)."""
        served = self.served_communities
        return served is None or str(community_id) in served

    @property
    def has_discord(self) -> bool:
        """Whether a Discord token is configured."""
        return self.discord_token is not None and bool(self.discord_token.get_secret_value())

    @property
    def slack_oauth(self) -> bool:
        """Whether SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set (install into many workspaces)."""
        secret = self.slack_client_secret.get_secret_value() if self.slack_client_secret else ""
        return bool(self.slack_client_id) and bool(secret)

    @property
    def has_slack(self) -> bool:
        """Whether Slack is configured: a bot token, or an OAuth client (``slack_oauth``)."""
        token = self.slack_bot_token is not None and bool(self.slack_bot_token.get_secret_value())
        return token or self.slack_oauth


def load_settings() -> Settings:
    """Read settings from the environment and ``.env`` in the working directory.

    A bad value fails at start-up naming the setting and the problem, never echoing the
    value itself (it could be a token pasted into the wrong line), in any letter case.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise OnrecordError(f"Invalid setting(s) in the environment or .env: {problems}.") from None
    except SettingsError:
        raise OnrecordError(
            "A setting in the environment or .env could not be read; check each line against .env.example."
        ) from None


def _problem(err: ErrorDetails) -> str:
    """``NAME: what is wrong`` for one validation error, with no trace of the value given."""
    name = ".".join(str(p) for p in err["loc"]).upper()
    message = str(err["msg"])
    given = err.get("input")
    if isinstance(given, str) and given.strip() and given.strip().casefold() in message.casefold():
        message = "not a valid value (see .env.example)"
    return f"{name}: {message}"
