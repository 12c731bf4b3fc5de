"""The members' slash commands: /ask, /quotes, /speakers, /topics, /sessions, /summary.

Each command translates options into one ``Record`` call and renders the result; errors go
to the tree's single handler. Questions can take longer than Discord's 3 seconds, so they
defer first (the user sees "thinking…") and follow up. Autocomplete is ``choices.py``'s.
"""

from __future__ import annotations

from discord import app_commands

from adapters.discord.choices import Interaction, Tree, session_choices, speaker_choices, topic_choices
from adapters.discord.communities import Communities
from adapters.discord.render import answer_pages, sessions_embed, speakers_embed, topics_embed
from adapters.discord.replies import send
from adapters.discord.summary import summary_embeds
from adapters.discord.views import PagesView
from bot.models import Answer

ANSWER_LIMIT = 10  # passages fetched per answer; render pages them


async def send_answer(interaction: Interaction, answer: Answer) -> None:
    """An answer as an embed, with page buttons when it runs to more than one page."""
    pages = answer_pages(answer)
    if len(pages) == 1:
        await send(interaction, embed=pages[0])
        return
    view = PagesView(pages, owner_id=interaction.user.id)
    view.message = await send(interaction, embed=pages[0], view=view)


def register(tree: Tree, where: Communities) -> None:
    """Add the members' commands to ``tree``; each reads the record of the server it is used in."""

    @tree.command(name="ask", description="Ask what someone said, e.g. what did Khan say on victim support?")
    @app_commands.describe(question="For example: what did Khan say on victim support?")
    async def ask(interaction: Interaction, question: app_commands.Range[str, 1, 500]) -> None:
        record = await where.of(interaction)
        await interaction.response.defer(thinking=True)
        await send_answer(interaction, await record.ask(question, limit=ANSWER_LIMIT))

    @tree.command(name="quotes", description="A speaker's own words, optionally on one topic.")
    @app_commands.describe(speaker="Who spoke (surname, full name or title)", topic="What about (optional)")
    async def quotes(
        interaction: Interaction,
        speaker: app_commands.Range[str, 1, 100],
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        record = await where.of(interaction)
        await interaction.response.defer(thinking=True)
        await send_answer(interaction, await record.quotes(speaker, topic, limit=ANSWER_LIMIT))

    @quotes.autocomplete("speaker")
    async def quotes_speakers(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await speaker_choices(await where.quietly(interaction), current)

    @quotes.autocomplete("topic")
    async def quotes_topics(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await topic_choices(await where.quietly(interaction), current)

    @tree.command(name="speakers", description="Who is on record, optionally in one session.")
    @app_commands.describe(session="A session id (see /sessions)")
    async def speakers(interaction: Interaction, session: int | None = None) -> None:
        record = await where.of(interaction)
        await send(interaction, embed=speakers_embed(await record.speakers(session), session))

    @tree.command(name="topics", description="The main topics on record, optionally in one session.")
    @app_commands.describe(session="A session id (see /sessions)")
    async def topics(interaction: Interaction, session: int | None = None) -> None:
        record = await where.of(interaction)
        await send(interaction, embed=topics_embed(await record.topics(session), session))

    @tree.command(
        name="summary", description="A session's summary: who spoke, topics, exchanges, key figures."
    )
    @app_commands.describe(session="A session id (see /sessions); the newest session if left out")
    async def summary(interaction: Interaction, session: int | None = None) -> None:
        # Summarising a long session can take longer than Discord's 3 seconds.
        record = await where.of(interaction)
        await interaction.response.defer(thinking=True)
        await send(interaction, embeds=summary_embeds(await record.summary(session)))

    @speakers.autocomplete("session")
    @topics.autocomplete("session")
    @summary.autocomplete("session")
    async def session_id_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        return await session_choices(await where.quietly(interaction), current)

    @tree.command(name="sessions", description="The sessions on record, newest first.")
    async def sessions(interaction: Interaction) -> None:
        record = await where.of(interaction)
        await send(interaction, embed=sessions_embed(await record.sessions()))
