"""Page buttons that keep working: every button says in its custom id what to show next.

A button's custom id holds the listing (``kind``), what it lists (``ref``), who may turn
the pages (``owner``) and the page to show, e.g. ``onrecord:page:s:0:42:3:n``. The bot
registers ``PageTurn`` as a dynamic item, so a press is understood from the id alone: no
view has to be kept in memory, buttons work after the bot restarts, and nothing needs
the 15-minute interaction token of the original message (each press brings its own).
Each press recomputes its page from the store, so a page never shows stale text.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord import ui

from adapters.discord.replies import report_error, send
from bot.record import CommunityRecord

PAGE_ID = "onrecord:page:{kind}:{ref}:{owner}:{page}:{tag}"
PAGE_TEMPLATE = r"onrecord:page:(?P<kind>[a-z]):(?P<ref>\d+):(?P<owner>\d+):(?P<page>\d+):(?P<tag>[fpnl])"
COUNTER_ID = "onrecord:page:counter"  # the disabled "2 / 9" label; never pressed

Interaction = discord.Interaction[Any]


@dataclass(frozen=True)
class Page:
    """One page of a listing, ready to show: its embed, its number and how many there are."""

    embed: discord.Embed
    number: int  # from 0
    count: int


# kind -> how to build page ``page`` of listing ``ref`` from the store.
PageMaker = Callable[[CommunityRecord, int, int], Awaitable[Page]]


@dataclass(frozen=True)
class Listing:
    """A kind of paged listing: how to make a page, and whose pages they are."""

    make: PageMaker
    ask_again: str  # how a stranger gets their own, e.g. "ask your own with /ask"
    ends: bool = False  # also offer first / last page buttons (long listings)


LISTINGS: dict[str, Listing] = {}


def listing(kind: str, ask_again: str, *, ends: bool = False) -> Callable[[PageMaker], PageMaker]:
    """Register a page maker for ``kind`` (one lower-case letter, part of every custom id)."""

    def register(make: PageMaker) -> PageMaker:
        LISTINGS[kind] = Listing(make, ask_again, ends)
        return make

    return register


class PageTurn(ui.DynamicItem[ui.Button[Any]], template=PAGE_TEMPLATE):
    """A button that shows one page of a listing in place of the current one."""

    def __init__(
        self, kind: str, ref: int, owner: int, page: int, tag: str, *, label: str = "", **style: Any
    ):
        super().__init__(
            ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=PAGE_ID.format(kind=kind, ref=ref, owner=owner, page=page, tag=tag),
                **style,
            )
        )
        self.kind, self.ref, self.owner, self.page = kind, ref, owner, page

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> PageTurn:
        """Rebuild the button from a press: everything it needs is in the id."""
        return cls(
            match["kind"],
            int(match["ref"]),
            int(match["owner"]),
            int(match["page"]),
            match["tag"],
            label=getattr(item, "label", None) or "",
        )

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        """Only the person who asked turns the pages of their message."""
        if interaction.user.id == self.owner:
            return True
        listing = LISTINGS.get(self.kind)
        again = f"; {listing.ask_again}" if listing else ""
        await send(interaction, f"Only the person who asked can turn these pages{again}.", ephemeral=True)
        return False

    async def callback(self, interaction: Interaction) -> None:
        """Show the page this button names, with buttons for the pages around it."""
        try:
            listing = LISTINGS[self.kind]
            # The record of the server the button is pressed in, as for a command: a kept
            # question's number from another server's button finds nothing here.
            record = await interaction.client.communities.of(interaction)
            page = await listing.make(record, self.ref, self.page)
            await interaction.response.edit_message(
                embed=page.embed,
                view=page_buttons(self.kind, self.ref, self.owner, page),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except Exception as error:  # the one handler for page buttons, as the tree's is for commands
            await report_error(interaction, error)


def page_buttons(kind: str, ref: int, owner: int, page: Page) -> ui.View | None:
    """Previous / page counter / Next (and first / last for long listings); None for one page."""
    if page.count <= 1:
        return None
    last = page.count - 1
    at = page.number
    view = ui.View(timeout=None)
    ends = LISTINGS[kind].ends

    def turn(to: int, tag: str, label: str, emoji: str, disabled: bool) -> PageTurn:
        return PageTurn(
            kind, ref, owner, max(0, min(to, last)), tag, label=label, emoji=emoji, disabled=disabled
        )

    if ends:
        view.add_item(turn(0, "f", "First", "⏮", at == 0))
    view.add_item(turn(at - 1, "p", "Previous", "◀", at == 0))
    view.add_item(ui.Button(label=f"{at + 1} / {page.count}", custom_id=COUNTER_ID, disabled=True))
    view.add_item(turn(at + 1, "n", "Next", "▶", at >= last))
    if ends:
        view.add_item(turn(last, "l", "Last", "⏭", at >= last))
    return view
