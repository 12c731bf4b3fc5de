"""Which community's record a Discord interaction reads and writes: its server's, and only that.

A server's community is ``discord:<guild id>``, taken from the interaction Discord sent,
never from anything a user typed; so a Manage Server member moderates only their own
server's record, and a server someone invited the bot to cannot see or change another's.
In a DM there is no server: the user's one served server is used when there is exactly
one (looked up member by member over REST, which needs no privileged intent), otherwise
the answer asks them to use the command in the server whose record they mean.

``ONRECORD_COMMUNITIES`` (``Settings.serves``) limits the servers served at all: commands
in any other are refused, and ``OnrecordBot`` leaves such a server when it joins one.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import discord

from bot.errors import OnrecordError
from bot.record import CommunityRecord, Record
from bot.settings import Settings

log = logging.getLogger(__name__)

# In a DM, how many served servers are checked for the user before asking them to choose.
DM_LOOKUP_LIMIT = 25
# How long a DM user's server is remembered: autocomplete asks on every keystroke, and each
# lookup is up to DM_LOOKUP_LIMIT REST calls.
DM_MEMORY_SECONDS = 60.0

NOT_SERVED = (
    "This onrecord bot does not serve this server, so nothing here is read or changed. "
    "Its operator lists the servers it serves."
)
DM_NONE = "I am not in any server you are in, so I have no record to search for you here."
DM_MANY = (
    "You are in more than one server I serve, and each has its own record: "
    "ask in the server whose record you mean."
)
LEAVING = (
    "Hello! This onrecord bot is run for particular servers only, and this is not one of them, "
    "so it is leaving now. Nothing from this server was read or stored."
)


def community_name(guild_id: int) -> str:
    """The community of a Discord server."""
    return f"discord:{guild_id}"


class Communities:
    """Resolves an interaction to the ``CommunityRecord`` it may use (see the module docstring)."""

    def __init__(self, record: Record, settings: Settings) -> None:
        self._record = record
        self._settings = settings
        self.client: discord.Client | None = None  # set by the bot; needed only for DMs
        self._dm_servers: dict[int, tuple[float, int | str]] = {}  # user -> (until, guild id or refusal)

    def serves(self, guild_id: int) -> bool:
        """Whether the bot serves this server (``ONRECORD_COMMUNITIES``, or any when it is empty)."""
        return self._settings.serves(guild_id)

    def of_guild(self, guild_id: int) -> CommunityRecord:
        """A served server's record; ``OnrecordError`` for a server the bot does not serve."""
        if not self.serves(guild_id):
            raise OnrecordError(NOT_SERVED)
        return self._record.community(community_name(guild_id))

    async def of(self, interaction: discord.Interaction[Any]) -> CommunityRecord:
        """The record this interaction reads and writes; ``OnrecordError`` (a sentence) when there is none."""
        if interaction.guild_id is not None:
            return self.of_guild(interaction.guild_id)
        user = interaction.user
        now = time.monotonic()
        remembered = self._dm_servers.get(user.id)
        if remembered is None or remembered[0] < now:
            try:
                found: int | str = await self._only_server_of(user)
            except OnrecordError as refusal:
                found = str(refusal)
            if len(self._dm_servers) > 10_000:
                self._dm_servers.clear()
            remembered = self._dm_servers[user.id] = (now + DM_MEMORY_SECONDS, found)
        if isinstance(remembered[1], str):
            raise OnrecordError(remembered[1])
        return self.of_guild(remembered[1])

    async def quietly(self, interaction: discord.Interaction[Any]) -> CommunityRecord | None:
        """As ``of``, or None instead of a refusal (autocomplete shows nothing rather than failing)."""
        try:
            return await self.of(interaction)
        except OnrecordError:
            return None

    async def _only_server_of(self, user: discord.User | discord.Member) -> int:
        """The one served server ``user`` is a member of, else ``OnrecordError`` saying what to do."""
        guilds = [g for g in (self.client.guilds if self.client else []) if self.serves(g.id)]
        if len(guilds) > DM_LOOKUP_LIMIT:
            raise OnrecordError(DM_MANY)
        found: list[int] = []
        for guild in guilds:
            if guild.get_member(user.id) is None:
                try:
                    await guild.fetch_member(user.id)
                except discord.NotFound:
                    continue
                except discord.HTTPException as error:
                    log.warning("Could not check membership in guild %s: HTTP %s", guild.id, error.status)
                    continue
            found.append(guild.id)
            if len(found) > 1:
                raise OnrecordError(DM_MANY)
        if not found:
            raise OnrecordError(DM_NONE)
        return found[0]


async def leave_if_unserved(guild: discord.Guild, communities: Communities) -> bool:
    """Leave a server the bot does not serve, after one polite message to its system channel.

    The message is sent only where the bot may post (no system channel, or no permission:
    it leaves without a word). True if it left.
    """
    if communities.serves(guild.id):
        return False
    channel = guild.system_channel
    if channel is not None and channel.permissions_for(guild.me).send_messages:
        try:
            await channel.send(LEAVING, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            log.info("Could not say goodbye in guild %s: HTTP %s", guild.id, error.status)
    log.warning("Leaving guild %s: it is not in ONRECORD_COMMUNITIES", guild.id)
    await guild.leave()
    return True
