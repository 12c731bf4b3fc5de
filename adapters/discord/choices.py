"""Autocomplete for every slash command option: speakers, topics, sessions, time zones.

Autocomplete answers within a hard time budget, returning nothing rather than letting
Discord report a failure; both the members' and the moderators' commands use these.
"""

from __future__ import annotations

import asyncio
import zoneinfo
from collections.abc import Awaitable, Sequence
from functools import cache
from typing import Any

import discord
from discord import app_commands

from adapters.discord.render import clip
from bot.errors import OnrecordError
from bot.record import CommunityRecord

Tree = app_commands.CommandTree[Any]
Interaction = discord.Interaction[Any]

CHOICES_LIMIT = 25  # Discord's maximum number of autocomplete choices
CHOICE_LIMIT = 100  # Discord's maximum length of a choice's name and value
AUTOCOMPLETE_SECONDS = 2.0  # Discord drops an autocomplete answer after 3 s


async def within_budget(lookup: Awaitable[list[str]]) -> list[str]:
    """The lookup's result, or nothing if it is slow or the input makes no sense yet."""
    try:
        async with asyncio.timeout(AUTOCOMPLETE_SECONDS):
            return await lookup
    except (TimeoutError, OnrecordError):
        return []


def string_choices(values: Sequence[str]) -> list[app_commands.Choice[str]]:
    """Autocomplete choices from names, capped at Discord's count and length limits."""
    seen: list[app_commands.Choice[str]] = []
    for value in values:
        if value and len(value) <= CHOICE_LIMIT and all(c.value != value for c in seen):
            seen.append(app_commands.Choice(name=value, value=value))
        if len(seen) == CHOICES_LIMIT:
            break
    return seen


async def speaker_choices(record: CommunityRecord | None, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for a speaker option: people on the community's record matching what was typed."""
    if record is None:
        return []
    return string_choices(await within_budget(record.complete_speakers(current, limit=CHOICES_LIMIT)))


async def topic_choices(record: CommunityRecord | None, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for a topic option: topics on the community's record matching what was typed."""
    if record is None:
        return []
    return string_choices(await within_budget(record.complete_topics(current, limit=CHOICES_LIMIT)))


async def session_choices(record: CommunityRecord | None, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete choices for a session option: the community's sessions by id, title words or date."""
    if record is None:
        return []
    try:
        async with asyncio.timeout(AUTOCOMPLETE_SECONDS):
            found = await record.find_sessions(current, limit=CHOICES_LIMIT)
    except (TimeoutError, OnrecordError):
        return []
    return [
        app_commands.Choice(
            name=clip(f"{s.id} · {s.title} ({s.date or 'no date'})", CHOICE_LIMIT), value=s.id
        )
        for s in found[:CHOICES_LIMIT]
    ]


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


async def timezone_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """IANA zone names containing what was typed (e.g. "london" -> Europe/London)."""
    wanted = current.strip().casefold().replace(" ", "_")
    found = [z for z in _zones() if wanted in z.casefold()][:CHOICES_LIMIT]
    return [app_commands.Choice(name=z, value=z) for z in found]
