"""Who may change the record: the run-time moderator check behind every moderator command.

``default_member_permissions`` (Manage Server) only hides commands by default; server
admins can grant them to anyone in Integrations settings, so each moderator command checks
again when it runs: the configured ``DISCORD_MODERATOR_ROLE`` (a role name or id) or the
Manage Server permission in that channel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

T = TypeVar("T")

MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)


class NotModerator(app_commands.CheckFailure):
    """Raised by the moderator check; its text is the polite refusal shown to the user."""

    def __init__(self, role: str | None) -> None:
        needed = "the Manage Server permission"
        if role:
            needed = f"the {role!r} role or {needed}"
        super().__init__(f"Sorry, only moderators can do that: it needs {needed}. Nothing was changed.")


def has_role(member: discord.Member, role: str) -> bool:
    """Whether ``member`` holds a role whose id or name (case-insensitive) is ``role``."""
    wanted = role.strip().lstrip("@").casefold()
    return any(str(r.id) == wanted or r.name.casefold() == wanted for r in member.roles)


def is_moderator(
    user: discord.Member | discord.User, permissions: discord.Permissions, role: str | None
) -> bool:
    """Manage Server, or the configured moderator role; never outside a server."""
    if not isinstance(user, discord.Member):
        return False
    if permissions.manage_guild:
        return True
    return bool(role) and has_role(user, role or "")


def moderators_only(role: str | None) -> Callable[[T], T]:
    """An app command check refusing anyone who is not a moderator (see module docstring)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if not is_moderator(interaction.user, interaction.permissions, role):
            raise NotModerator(role)
        return True

    return app_commands.check(predicate)
