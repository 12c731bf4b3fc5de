"""The one way anything goes back to Discord: mentions always off, errors said plainly.

Every reply passes through ``send`` so no code path can forget ``allowed_mentions``: a
record quoting "@everyone" must never ping a server. ``report_error`` is the single place
an exception becomes a user-facing message (``OnrecordError`` text as it is) or a logged
traceback plus a short apology (anything else: the text could hold a path or a secret).

Errors stay private, which takes care after a deferral: Discord turns the first follow-up
into an edit of the "thinking…" message and ignores its ephemeral flag, so a private
follow-up after a public deferral would be shown to the whole channel. Commands therefore
defer through ``defer``, which records the visibility chosen; moderators' commands defer
privately, and an error after a public deferral first deletes the "thinking…" message,
after which the follow-up is a new, private message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.errors import OnrecordError
from bot.wording import WAITING_FOR_ADD

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong on our side while doing that. It has been logged; please try again."


async def send(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: list[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    ephemeral: bool = False,
) -> discord.WebhookMessage | None:
    """Reply to an interaction: the initial response if none was sent yet, else a follow-up.

    Returns the follow-up message (so a view can edit it later), or None for an initial
    response.
    """
    kwargs: dict[str, Any] = {"content": content, "ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = embeds
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
        interaction.extras.pop(PUBLIC_THINKING, None)  # "thinking…" has been replaced
        return message
    await interaction.response.send_message(**kwargs)
    return None


PUBLIC_THINKING = "onrecord.public_thinking"  # Interaction.extras key: a public "thinking…" is showing


async def defer(interaction: discord.Interaction[Any], *, ephemeral: bool) -> None:
    """Show "thinking…" (public, or only to the user) while a slow command works.

    Visibility is decided here, before anything is shown: Discord keeps the deferral's
    visibility for the reply that replaces "thinking…".
    """
    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    interaction.extras[PUBLIC_THINKING] = not ephemeral


# Set on an interaction once its deferred reply shows that an add is queueing.
_NOTED = "onrecord_progress_noted"


def waiting_note(interaction: discord.Interaction[Any]) -> Callable[[str], Awaitable[None]]:
    """An add's ``progress`` for a deferred command: the queueing sentence replaces "thinking…".

    Only ``WAITING_FOR_ADD`` is shown (the other steps pass in a moment); the deferred
    reply is edited in place, so it keeps the deferral's visibility. ``send_report`` then
    puts the outcome in that same message.
    """

    async def progress(line: str) -> None:
        if line == WAITING_FOR_ADD:
            await interaction.edit_original_response(content=line, allowed_mentions=NO_MENTIONS)
            interaction.extras[_NOTED] = True

    return progress


async def send_report(interaction: discord.Interaction[Any], content: str) -> None:
    """A deferred command's outcome: in place of its progress note if one is shown, else as ``send``."""
    if interaction.extras.get(_NOTED):
        await interaction.edit_original_response(content=content, allowed_mentions=NO_MENTIONS)
        return
    await send(interaction, content)


def user_message(error: BaseException) -> str | None:
    """The sentence to show for an expected failure, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(inner, OnrecordError):
            return str(inner)
        if isinstance(error, app_commands.TransformerError):
            return f"That {error.type.name} value was not understood: {error.value!r}."
        return None
    if isinstance(error, OnrecordError | app_commands.CheckFailure):
        return str(error)
    return None


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Tell the user what went wrong, logging a traceback when it is a bug; never raises."""
    message = user_message(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else interaction.type.name
        log.error("Unhandled error in Discord %s", command, exc_info=error)
        message = APOLOGY
    try:
        if interaction.extras.pop(PUBLIC_THINKING, False):
            # A follow-up would become the public "thinking…" message: remove that first.
            with contextlib.suppress(discord.NotFound):  # already gone is as good
                await interaction.delete_original_response()
        await send(interaction, message, ephemeral=True)
    except discord.HTTPException:
        # The interaction may have expired (15 minutes) or Discord refused; the log has it.
        log.warning("Could not deliver an error message to Discord", exc_info=True)
