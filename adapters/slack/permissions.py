"""Who may add, replace and remove sessions in Slack.

Slack has no per-command permissions, so moderators are configured: user IDs in
``SLACK_MODERATORS`` and, optionally, the members of one user group
(``SLACK_MODERATOR_GROUP``), read through ``usergroups.users.list`` and cached briefly.
"""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import PermissionDeniedError
from bot.settings import Settings

log = logging.getLogger(__name__)

GROUP_CACHE_SECONDS = 300.0

REFUSAL = (
    "Only moderators can add, replace or remove sessions or set the daily summary. "
    "A workspace admin can add you to SLACK_MODERATORS or the moderator user group."
)
# When the group could not be read, a refusal would tell a real moderator they are not one.
GROUP_UNREADABLE = {
    "missing_scope": (
        "I could not check the moderator group (SLACK_MODERATOR_GROUP): the app lacks the "
        "usergroups:read scope. A workspace admin can reinstall the app from its manifest; "
        "people listed in SLACK_MODERATORS can moderate meanwhile."
    ),
    "no_such_subteam": (
        "I could not check the moderator group: SLACK_MODERATOR_GROUP is not a user group of this "
        "workspace. A workspace admin can set it to the group's ID (S…); people listed in "
        "SLACK_MODERATORS can moderate meanwhile."
    ),
}
GROUP_UNREADABLE_OTHER = (
    "I could not check the moderator group (SLACK_MODERATOR_GROUP): Slack answered {error}. "
    "Try again in a minute; people listed in SLACK_MODERATORS can moderate meanwhile."
)


class Moderators:
    """The configured moderators, checked at the moment a command runs."""

    def __init__(self, settings: Settings) -> None:
        self.user_ids = settings.slack_moderator_ids
        self.group_id = settings.slack_moderator_group
        self._group: frozenset[str] = frozenset()
        self._group_read_at: float | None = None
        self._group_error: str | None = None  # Slack's error on the last read, if it failed

    async def _group_members(self, client: AsyncWebClient) -> frozenset[str]:
        if not self.group_id:
            return frozenset()
        now = time.monotonic()
        if self._group_read_at is not None and now - self._group_read_at < GROUP_CACHE_SECONDS:
            return self._group
        try:
            response = await client.usergroups_users_list(usergroup=self.group_id)
        except SlackApiError as exc:
            # A wrong group id or a missing usergroups:read scope must not lock out the
            # listed moderators; it is logged so an admin can fix the configuration.
            self._group_error = str(exc.response.get("error"))
            # The setting is named, not shown (no setting's value in a log line or an error).
            log.warning("Could not read SLACK_MODERATOR_GROUP's members: %s", self._group_error)
            return self._group
        self._group = frozenset(response.get("users") or ())
        self._group_read_at = now
        self._group_error = None
        return self._group

    async def is_moderator(self, user_id: str, client: AsyncWebClient) -> bool:
        """Whether ``user_id`` is a listed moderator or in the moderator group."""
        if user_id in self.user_ids:
            return True
        return user_id in await self._group_members(client)

    async def require(self, user_id: str, client: AsyncWebClient) -> None:
        """Raise ``PermissionDeniedError`` (a user-facing sentence) unless a moderator.

        If the moderator group could not be read, the sentence says so and names the fix
        instead of telling someone who may be in the group that they are not a moderator.
        """
        if await self.is_moderator(user_id, client):
            return
        if self._group_error is not None:
            error = self._group_error
            raise PermissionDeniedError(
                GROUP_UNREADABLE.get(error, GROUP_UNREADABLE_OTHER.format(error=error))
            )
        raise PermissionDeniedError(REFUSAL)
