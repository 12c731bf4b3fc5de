"""Moderators' slash commands: /session add|replace|remove and /daily set|unfollow|off.

The daily-summary schedule is ``/daily``, not a subcommand of ``/summary``: Discord applies
``default_member_permissions`` to a whole top-level command, and ``/summary`` (reading a
session's summary) is for every member.

``/session add`` takes an attachment, a ``url`` to fetch (``Record.add_url``, which refuses
local and private addresses), or neither, which opens a modal to paste the text.

Hidden from members by ``default_member_permissions`` (Manage Server) and checked again
when run (``permissions.moderators_only``), since server admins can re-grant them. Adding
a large file takes longer than Discord's 3 seconds, so these defer and then report what
was extracted: statements, speakers, and what could not be attributed. They defer
privately: the report, or a refused upload, is for the moderator, and Discord fixes a
reply's visibility at the deferral.
"""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.choices import (
    Interaction,
    Tree,
    session_choices,
    speaker_choices,
    timezone_choices,
    topic_choices,
)
from adapters.discord.communities import Communities
from adapters.discord.permissions import MODERATOR_PERMISSIONS, moderators_only
from adapters.discord.render import added_message, removed_message
from adapters.discord.replies import defer, send, send_report, waiting_note
from adapters.discord.views import PasteSessionModal, actor
from bot.daily.clock import DEFAULT_ZONE
from bot.errors import IngestError
from bot.settings import Settings


async def download(file: discord.Attachment, max_mb: float) -> bytes:
    """The attachment's bytes, refusing before download anything over the size limit."""
    if file.size > max_mb * 1024 * 1024:
        raise IngestError(
            f"{file.filename} is {file.size / 1024 / 1024:.1f} MB; sessions may be at most {max_mb:g} MB."
        )
    try:
        return await file.read()
    except discord.HTTPException as error:
        raise IngestError(
            f"{file.filename} could not be downloaded from Discord; please attach it again."
        ) from error


def register(tree: Tree, where: Communities, settings: Settings) -> None:
    """Add the moderators' commands to ``tree``; each changes only the record of the server it is used in."""
    moderators = moderators_only(settings.discord_moderator_role)
    max_mb = settings.onrecord_max_source_mb
    session = app_commands.Group(
        name="session",
        description="Add, replace or remove sessions on record (moderators).",
        default_permissions=MODERATOR_PERMISSIONS,
        guild_only=True,
    )

    @session.command(
        name="add", description="Add a session from an attached file or a web link, or paste its text."
    )
    @app_commands.describe(
        file="The record: a report, transcript or captions file. Leave out to paste text instead.",
        url="Or a link (http/https) to a web page or document to fetch instead of a file",
        title="Session title (read from the record if left out)",
        date="Session date, YYYY-MM-DD",
    )
    @moderators
    async def add(
        interaction: Interaction,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
        title: app_commands.Range[str, 1, 200] | None = None,
        date: app_commands.Range[str, 10, 10] | None = None,
    ) -> None:
        record = await where.of(interaction)
        if file is not None and url is not None:
            raise IngestError("Give either a file or a link, not both.")
        if file is None and url is None:
            await interaction.response.send_modal(PasteSessionModal(record, title, date))
            return
        await defer(interaction, ephemeral=True)
        if url is not None:
            result = await record.add_url(
                url.strip(),
                added_by=actor(interaction.user),
                title=title,
                date=date,
                progress=waiting_note(interaction),
            )
        else:
            assert file is not None
            data = await download(file, max_mb)
            result = await record.add_session(
                data,
                source_name=file.filename,
                added_by=actor(interaction.user),
                title=title,
                date=date,
                progress=waiting_note(interaction),
            )
        await send_report(interaction, added_message(result))

    @session.command(name="replace", description="Swap a stored session's content for a new version.")
    @app_commands.describe(
        id="The session to replace (see /sessions)",
        file="The new version of the record",
        title="New session title (read from the record if left out)",
        date="New session date, YYYY-MM-DD (read from the record if left out)",
    )
    @moderators
    async def replace(
        interaction: Interaction,
        id: int,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, 200] | None = None,
        date: app_commands.Range[str, 10, 10] | None = None,
    ) -> None:
        record = await where.of(interaction)
        await defer(interaction, ephemeral=True)
        data = await download(file, max_mb)
        result = await record.replace_session(
            id, data, source_name=file.filename, added_by=actor(interaction.user), title=title, date=date
        )
        await send(interaction, added_message(result))

    @session.command(name="remove", description="Remove a session and everything quoted from it.")
    @app_commands.describe(id="The session to remove (see /sessions)")
    @moderators
    async def remove(interaction: Interaction, id: int) -> None:
        record = await where.of(interaction)
        removed = await record.remove_session(id, removed_by=actor(interaction.user))
        await send(interaction, removed_message(removed))

    @replace.autocomplete("id")
    @remove.autocomplete("id")
    async def session_id_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        return await session_choices(await where.quietly(interaction), current)

    tree.add_command(session)
    tree.add_command(daily_group(where, settings))


def daily_group(where: Communities, settings: Settings) -> app_commands.Group:
    """/daily set, unfollow and off: a channel's daily summary and what it follows, moderators only."""
    moderators = moderators_only(settings.discord_moderator_role)
    daily = app_commands.Group(
        name="daily",
        description="A channel's daily summary of new sessions (moderators).",
        default_permissions=MODERATOR_PERMISSIONS,
        guild_only=True,
    )

    @daily.command(name="set", description="Post a summary of new sessions in a channel daily at a set time.")
    @app_commands.describe(
        channel="Where to post",
        time="Time of day, HH:MM (24-hour)",
        timezone=f"IANA time zone, e.g. Europe/Paris ({DEFAULT_ZONE} if left out)",
        follow_speaker="Also bring this speaker's new passages (optional)",
        follow_topic="Also bring new passages on this topic, or the speaker's on it (optional)",
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    @moderators
    async def set_summary(
        interaction: Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 8],
        timezone: app_commands.Range[str, 1, 64] = DEFAULT_ZONE,
        follow_speaker: app_commands.Range[str, 1, 100] | None = None,
        follow_topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        record = await where.of(interaction)
        confirmation = await record.set_summary_schedule(
            platform="discord",
            channel_id=str(channel.id),
            time_of_day=time,
            timezone=timezone,
            set_by=actor(interaction.user),
            follow_speaker=follow_speaker,
            follow_topic=follow_topic,
        )
        await send(interaction, f"{channel.mention}: {confirmation}")

    @daily.command(
        name="unfollow", description="Stop following a speaker or topic; the daily summary goes on."
    )
    @app_commands.describe(
        channel="The channel whose daily summary follows it",
        speaker="The followed speaker to drop (leave out speaker and topic to drop every follow)",
        topic="The followed topic to drop, or the speaker's follow on it",
    )
    @moderators
    async def unfollow(
        interaction: Interaction,
        channel: discord.TextChannel,
        speaker: app_commands.Range[str, 1, 100] | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        record = await where.of(interaction)
        dropped = await record.remove_summary_follows(
            platform="discord", channel_id=str(channel.id), speaker=speaker, topic=topic
        )
        await send(interaction, f"{channel.mention}: {dropped}")

    @set_summary.autocomplete("follow_speaker")
    async def speakers_to_follow(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await speaker_choices(await where.quietly(interaction), current)

    @set_summary.autocomplete("follow_topic")
    async def topics_to_follow(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(await where.quietly(interaction), current)

    async def followed(interaction: Interaction, current: str, part: int) -> list[app_commands.Choice[str]]:
        """What the chosen channel follows (its speakers or its topics), matching the input."""
        channel = getattr(interaction.namespace, "channel", None)
        record = await where.quietly(interaction)
        if channel is None or record is None:
            return []
        pairs = await record.summary_follows(platform="discord", channel_id=str(channel.id))
        typed = current.casefold()
        names = dict.fromkeys(n for n in (p[part] for p in pairs) if n and typed in n.casefold())
        return [app_commands.Choice(name=n[:100], value=n[:100]) for n in list(names)[:25]]

    @unfollow.autocomplete("speaker")
    async def followed_speakers(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await followed(interaction, current, 0)

    @unfollow.autocomplete("topic")
    async def followed_topics(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await followed(interaction, current, 1)

    @daily.command(name="off", description="Stop a channel's daily summary and what it follows.")
    @app_commands.describe(channel="The channel whose daily summary stops")
    @moderators
    async def summary_off(interaction: Interaction, channel: discord.TextChannel) -> None:
        record = await where.of(interaction)
        stopped = await record.remove_summary_schedule(platform="discord", channel_id=str(channel.id))
        await send(interaction, f"{channel.mention}: {stopped}")

    return daily
