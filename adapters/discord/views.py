"""The modal for pasting a record (page buttons live in ``pages``).

It routes failures to ``replies.report_error``, the same handler the command tree uses,
so a modal that fails tells the user and logs the traceback exactly once.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import ui

from adapters.discord.render import added_message
from adapters.discord.replies import defer, report_error, send_report, waiting_note
from bot.record import CommunityRecord

MODAL_TIMEOUT = 10 * 60.0  # well inside the 15-minute life of the token that opened it
PASTE_LIMIT = 4000  # Discord's maximum for one text input


def actor(user: discord.Member | discord.User) -> str:
    """How a Discord user is recorded as having added or removed something."""
    return f"{user.name} (discord:{user.id})"


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
        super().__init__(timeout=MODAL_TIMEOUT)
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
        await defer(interaction, ephemeral=True)  # the moderator's report, like /session add
        text = self._input(self.record_text).value
        title = self._input(self.session_title).value.strip() or None
        date = self._input(self.session_date).value.strip() or None
        result = await self.record.add_session(
            text.encode("utf-8"),
            source_name="pasted text",
            added_by=actor(interaction.user),
            title=title,
            date=date,
            progress=waiting_note(interaction),
        )
        await send_report(interaction, added_message(result))

    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """Same handling as the command tree's."""
        await report_error(interaction, error)
