"""The members' slash commands: /ask, /quotes, /speakers, /topics, /sessions, /summary.

Each command translates options into one ``Record`` call and renders the result; errors go
to the tree's single handler. Questions can take longer than Discord's 3 seconds, so they
defer first (the user sees "thinking…") and follow up. Autocomplete answers within a hard
time budget, returning nothing rather than letting Discord report a failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import Any

import discord
from discord import app_commands

from adapters.discord.render import answer_pages, clip, sessions_embed, speakers_embed, topics_embed
from adapters.discord.replies import send
from adapters.discord.summary import summary_embeds
from adapters.discord.views import PagesView
from bot.errors import OnrecordError
from bot.models import Answer
from bot.record import Record

ANSWER_LIMIT = 10  # passages fetched per answer; render pages them
CHOICES_LIMIT = 25  # Discord's maximum number of autocomplete choices
CHOICE_LIMIT = 100  # Discord's maximum length of a choice's name and value
AUTOCOMPLETE_SECONDS = 2.0  # Discord drops an autocomplete answer after 3 s

Tree = app_commands.CommandTree[Any]
Interaction = discord.Interaction[Any]


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


async def speaker_choices(record: Record, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for a speaker option: people on record matching what was typed."""
    return string_choices(await within_budget(record.complete_speakers(current, limit=CHOICES_LIMIT)))


async def topic_choices(record: Record, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete choices for a topic option: topics on record matching what was typed."""
    return string_choices(await within_budget(record.complete_topics(current, limit=CHOICES_LIMIT)))


async def session_choices(record: Record, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete choices for a session option: stored sessions whose id or title matches."""
    try:
        async with asyncio.timeout(AUTOCOMPLETE_SECONDS):
            sessions = await record.sessions()
    except (TimeoutError, OnrecordError):
        return []
    wanted = current.strip().casefold()
    matching = [s for s in sessions if not wanted or wanted in f"{s.id} {s.title}".casefold()]
    return [
        app_commands.Choice(
            name=clip(f"{s.id} · {s.title} ({s.date or 'no date'})", CHOICE_LIMIT), value=s.id
        )
        for s in matching[:CHOICES_LIMIT]
    ]


async def send_answer(interaction: Interaction, answer: Answer) -> None:
    """An answer as an embed, with page buttons when it runs to more than one page."""
    pages = answer_pages(answer)
    if len(pages) == 1:
        await send(interaction, embed=pages[0])
        return
    view = PagesView(pages, owner_id=interaction.user.id)
    view.message = await send(interaction, embed=pages[0], view=view)


def register(tree: Tree, record: Record) -> None:
    """Add the members' commands to ``tree``, each bound to ``record``."""

    @tree.command(name="ask", description="Ask what someone said, e.g. what did Khan say on victim support?")
    @app_commands.describe(question="For example: what did Khan say on victim support?")
    async def ask(interaction: Interaction, question: app_commands.Range[str, 1, 500]) -> None:
        await interaction.response.defer(thinking=True)
        await send_answer(interaction, await record.ask(question, limit=ANSWER_LIMIT))

    @tree.command(name="quotes", description="A speaker's own words, optionally on one topic.")
    @app_commands.describe(speaker="Who spoke (surname, full name or title)", topic="What about (optional)")
    async def quotes(
        interaction: Interaction,
        speaker: app_commands.Range[str, 1, 100],
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        await interaction.response.defer(thinking=True)
        await send_answer(interaction, await record.quotes(speaker, topic, limit=ANSWER_LIMIT))

    @quotes.autocomplete("speaker")
    async def quotes_speakers(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await speaker_choices(record, current)

    @quotes.autocomplete("topic")
    async def quotes_topics(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(record, current)

    @tree.command(name="speakers", description="Who is on record, optionally in one session.")
    @app_commands.describe(session="A session id (see /sessions)")
    async def speakers(interaction: Interaction, session: int | None = None) -> None:
        await send(interaction, embed=speakers_embed(await record.speakers(session), session))

    @tree.command(name="topics", description="The main topics on record, optionally in one session.")
    @app_commands.describe(session="A session id (see /sessions)")
    async def topics(interaction: Interaction, session: int | None = None) -> None:
        await send(interaction, embed=topics_embed(await record.topics(session), session))

    @tree.command(
        name="summary", description="A session's summary: who spoke, topics, exchanges, key figures."
    )
    @app_commands.describe(session="A session id (see /sessions); the newest session if left out")
    async def summary(interaction: Interaction, session: int | None = None) -> None:
        # Summarising a long session can take longer than Discord's 3 seconds.
        await interaction.response.defer(thinking=True)
        await send(interaction, embeds=summary_embeds(await record.summary(session)))

    @speakers.autocomplete("session")
    @topics.autocomplete("session")
    @summary.autocomplete("session")
    async def session_id_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        return await session_choices(record, current)

    @tree.command(name="sessions", description="The sessions on record, newest first.")
    async def sessions(interaction: Interaction) -> None:
        await send(interaction, embed=sessions_embed(await record.sessions()))
