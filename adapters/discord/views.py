"""Interactive pieces: page buttons for long answers, and the modal for pasting a record.

Both route failures to ``replies.report_error``, the same handler the command tree uses,
so a button or modal that fails tells the user and logs the traceback exactly once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import discord
from discord import ui

from adapters.discord.render import added_message
from adapters.discord.replies import report_error, send
from bot.record import CommunityRecord

PAGE_TIMEOUT = 15 * 60.0  # an interaction token lives 15 minutes; so do the buttons
PASTE_LIMIT = 4000  # Discord's maximum for one text input


def actor(user: discord.Member | discord.User) -> str:
    """How a Discord user is recorded as having added or removed something."""
    return f"{user.name} (discord:{user.id})"


class PagesView(ui.View):
    """Previous / next buttons over a list of embeds; only the asker turns the pages."""

    def __init__(self, pages: Sequence[discord.Embed], owner_id: int, timeout: float = PAGE_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.index = 0
        self.message: discord.WebhookMessage | None = None
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1
        self.counter.label = f"{self.index + 1} / {len(self.pages)}"

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Let only the person who asked turn the pages of their answer."""
        if interaction.user.id == self.owner_id:
            return True
        await send(
            interaction,
            "Only the person who asked can turn these pages; ask your own with /ask.",
            ephemeral=True,
        )
        return False

    async def _show(self, interaction: discord.Interaction[Any], index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        self._sync()
        await interaction.response.edit_message(
            embed=self.pages[self.index], view=self, allowed_mentions=discord.AllowedMentions.none()
        )

    @ui.button(label="Previous", emoji="◀", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], button: ui.Button[PagesView]) -> None:
        """Show the page before this one."""
        await self._show(interaction, self.index - 1)

    @ui.button(label="1 / 1", style=discord.ButtonStyle.secondary, disabled=True)
    async def counter(self, interaction: discord.Interaction[Any], button: ui.Button[PagesView]) -> None:
        """Shows the page number; disabled, so never pressed."""

    @ui.button(label="Next", emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], button: ui.Button[PagesView]) -> None:
        """Show the page after this one."""
        await self._show(interaction, self.index + 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out once they can no longer work."""
        if self.message is None:
            return
        for item in self.children:
            if isinstance(item, ui.Button):
                item.disabled = True
        with contextlib.suppress(discord.HTTPException):  # the message may be gone already
            await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: ui.Item[Any]
    ) -> None:
        """Same handling as the command tree's."""
        await report_error(interaction, error)


class PasteSessionModal(ui.Modal, title="Add a session from pasted text"):
    """Lets a moderator paste a short record instead of attaching a file."""

    record_text: ui.Label[PasteSessionModal] = ui.Label(
        text="Record text",
        description="A transcript or report, up to 4000 characters. Attach a file for longer records.",
        component=ui.TextInput(
            custom_id="record_text", style=discord.TextStyle.paragraph, min_length=1, max_length=PASTE_LIMIT
        ),
    )
    session_title: ui.Label[PasteSessionModal] = ui.Label(
        text="Title",
        component=ui.TextInput(custom_id="session_title", required=False, max_length=200),
    )
    session_date: ui.Label[PasteSessionModal] = ui.Label(
        text="Date (YYYY-MM-DD)",
        component=ui.TextInput(custom_id="session_date", required=False, max_length=10),
    )

    def __init__(self, record: CommunityRecord, title: str | None = None, date: str | None = None) -> None:
        super().__init__(timeout=PAGE_TIMEOUT)
        self.record = record
        self._input(self.session_title).default = title
        self._input(self.session_date).default = date

    @staticmethod
    def _input(label: ui.Label[Any]) -> ui.TextInput[Any]:
        component = label.component
        assert isinstance(component, ui.TextInput)
        return component

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Store the pasted record and report what was extracted."""
        await interaction.response.defer(thinking=True)
        text = self._input(self.record_text).value
        title = self._input(self.session_title).value.strip() or None
        date = self._input(self.session_date).value.strip() or None
        result = await self.record.add_session(
            text.encode("utf-8"),
            source_name="pasted text",
            added_by=actor(interaction.user),
            title=title,
            date=date,
        )
        await send(interaction, added_message(result))

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Same handling as the command tree's."""
        await report_error(interaction, error)
