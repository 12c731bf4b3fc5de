"""The members' slash commands: /ask, /quotes, /speakers, /topics, /sessions, /summary.

Each command translates options into one ``Record`` call and renders the result; errors go
to the tree's single handler. Questions can take longer than Discord's 3 seconds, so they
defer first (the channel sees "thinking…", since answers are public) and follow up; an
error then replaces "thinking…" with a private message (``replies.report_error``).
Autocomplete is ``choices.py``'s.
"""

from __future__ import annotations

import math

from discord import app_commands

from adapters.discord.choices import Interaction, Tree, session_choices, speaker_choices, topic_choices
from adapters.discord.communities import Communities
from adapters.discord.pages import Page, listing, page_buttons
from adapters.discord.render import answer_pages, sessions_embed, speakers_embed, topics_embed
from adapters.discord.replies import defer, send
from adapters.discord.summary import summary_embeds
from bot.models import Answer
from bot.record import CommunityRecord

SESSIONS_PER_PAGE = 25  # a screenful; pages and autocomplete reach the rest
ANSWER_LIMIT = 10  # passages fetched per answer; render pages them


@listing("s", "list them yourself with /sessions", ends=True)
async def sessions_page(record: CommunityRecord, ref: int, number: int) -> Page:
    """Page ``number`` (from 0) of /sessions: SESSIONS_PER_PAGE sessions, newest first."""
    total = await record.session_count()
    count = max(1, math.ceil(total / SESSIONS_PER_PAGE))
    number = max(0, min(number, count - 1))
    first = number * SESSIONS_PER_PAGE
    shown = await record.sessions(SESSIONS_PER_PAGE, first)
    return Page(sessions_embed(shown, total, first), number, count)


@listing("a", "ask your own with /ask")
async def answer_page(record: CommunityRecord, question_id: int, number: int) -> Page:
    """Page ``number`` (from 0) of a kept question's answer, answered afresh from the store."""
    pages = answer_pages(await record.answer_kept(question_id, limit=ANSWER_LIMIT))
    number = max(0, min(number, len(pages) - 1))
    return Page(pages[number], number, len(pages))


async def send_answer(
    interaction: Interaction, record: CommunityRecord, answer: Answer, **asked: str | None
) -> None:
    """An answer as an embed, with page buttons when it runs to more than one page.

    ``asked`` is the question as given (``question=…``, or ``speaker=…`` and ``topic=…``);
    it is kept under a number only when there are pages to turn, and the buttons carry
    that number, so they work for as long as the store keeps the question.
    """
    pages = answer_pages(answer)
    view = None
    if len(pages) > 1:
        question_id = await record.keep_question(**asked)
        view = page_buttons("a", question_id, interaction.user.id, Page(pages[0], 0, len(pages)))
    await send(interaction, embed=pages[0], view=view)


def register(tree: Tree, where: Communities) -> None:
    """Add the members' commands to ``tree``; each reads the record of the server it is used in."""

    @tree.command(name="ask", description="Ask what someone said, e.g. what did Khan say on victim support?")
    @app_commands.describe(question="For example: what did Khan say on victim support?")
    async def ask(interaction: Interaction, question: app_commands.Range[str, 1, 500]) -> None:
        record = await where.of(interaction)
        await defer(interaction, ephemeral=False)
        answer = await record.ask(question, limit=ANSWER_LIMIT)
        await send_answer(interaction, record, answer, question=question)

    @tree.command(name="quotes", description="A speaker's own words, optionally on one topic.")
    @app_commands.describe(speaker="Who spoke (surname, full name or title)", topic="What about (optional)")
    async def quotes(
        interaction: Interaction,
        speaker: app_commands.Range[str, 1, 100],
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        record = await where.of(interaction)
        await defer(interaction, ephemeral=False)
        answer = await record.quotes(speaker, topic, limit=ANSWER_LIMIT)
        await send_answer(interaction, record, answer, speaker=speaker, topic=topic)

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
        await defer(interaction, ephemeral=False)
        await send(interaction, embeds=summary_embeds(await record.summary(session)))

    @speakers.autocomplete("session")
    @topics.autocomplete("session")
    @summary.autocomplete("session")
    async def session_id_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        return await session_choices(await where.quietly(interaction), current)

    @tree.command(name="sessions", description="The sessions on record, newest first, in pages.")
    async def sessions(interaction: Interaction) -> None:
        record = await where.of(interaction)
        page = await sessions_page(record, 0, 0)
        view = page_buttons("s", 0, interaction.user.id, page)
        await send(interaction, embed=page.embed, view=view)
