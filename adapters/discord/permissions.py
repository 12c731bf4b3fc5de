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

    def __init__(self, role: str | None, *, configured: bool = False) -> None:
        """``role`` is the server's own name for the moderator role (never the setting's text).

        ``configured`` without ``role``: DISCORD_MODERATOR_ROLE names no role of this server.
        """
        needed = "the Manage Server permission"
        if role:
            needed = f"the {role!r} role or {needed}"
        elif configured:
            needed = f"the moderator role (DISCORD_MODERATOR_ROLE matches no role in this server) or {needed}"
        super().__init__(f"Sorry, only moderators can do that: it needs {needed}. Nothing was changed.")


def role_name(guild: discord.Guild | None, role: str | None) -> str | None:
    """The server's name of the role DISCORD_MODERATOR_ROLE names (by id or name), if it has one.

    A refusal shows this, not the setting: a token pasted into the setting by mistake would
    otherwise be shown to every member who tries a moderator command.
    """
    if not role or guild is None:
        return None
    wanted = role.strip().lstrip("@").casefold()
    return next((r.name for r in guild.roles if str(r.id) == wanted or r.name.casefold() == wanted), None)


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
            raise NotModerator(role_name(interaction.guild, role), configured=bool(role))
        return True

    return app_commands.check(predicate)
