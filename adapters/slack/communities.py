"""Which community's record a Slack request reads and writes: its workspace's, and only that.

A workspace's community is ``slack:<team id>``, taken from the request Slack signed (the
slash command's ``team_id``, the event callback's, the interaction's ``team.id``), never
from anything typed; so a moderator acts only on their own workspace's record, and an
app installed into a second workspace cannot see or change the first one's. A DM to the
app is inside one workspace, so it reads that workspace's record.

``ONRECORD_COMMUNITIES`` (``Settings.serves``) limits the workspaces served: a request
from any other is refused with a sentence, and nothing is read or changed.
"""

from __future__ import annotations

from typing import Any

from bot.errors import OnrecordError
from bot.record import CommunityRecord, Record
from bot.settings import Settings

NOT_SERVED = (
    "This onrecord app does not serve this workspace, so nothing here is read or changed. "
    "Its operator lists the workspaces it serves."
)
NO_TEAM = "This request names no Slack workspace, so there is no record to use."


def community_name(team_id: str) -> str:
    """The community of a Slack workspace."""
    return f"slack:{team_id}"


def team_of(body: dict[str, Any]) -> str | None:
    """The workspace (team id) a slash command, event or interaction payload comes from."""
    team = body.get("team_id")
    if not team and isinstance(body.get("team"), dict):
        team = body["team"].get("id")
    if not team and isinstance(body.get("user"), dict):
        team = body["user"].get("team_id")
    if not team and isinstance(body.get("event"), dict):
        team = body["event"].get("team")
    return str(team) if team else None


class Communities:
    """Resolves a Slack request to the ``CommunityRecord`` it may use (see the module docstring)."""

    def __init__(self, record: Record, settings: Settings) -> None:
        self._record = record
        self._settings = settings

    def serves(self, team_id: str) -> bool:
        """Whether the app serves this workspace (``ONRECORD_COMMUNITIES``, or any when it is empty)."""
        return self._settings.serves(team_id)

    def of(self, body: dict[str, Any]) -> CommunityRecord:
        """The record of the workspace ``body`` comes from; ``OnrecordError`` if it is not served."""
        team = team_of(body)
        if team is None:
            raise OnrecordError(NO_TEAM)
        if not self.serves(team):
            raise OnrecordError(NOT_SERVED)
        return self._record.community(community_name(team))
