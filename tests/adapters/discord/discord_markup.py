"""How Discord's client reads message text: its backslash escapes and its live markup.

Discord shows ``\\`` followed by any character that is not a letter, digit or space as that
character, and otherwise turns these into pills, highlights or pictures: user, role and
channel mentions, slash-command mentions, custom emoji, timestamps, ``@everyone`` and
``@here``, and links to a discord.com channel. Tests use this to check that record text
reaches the screen as the record's words.
"""

from __future__ import annotations

import re

_TOKENS = re.compile(
    r"(?P<escaped>\\[^0-9A-Za-z\s])"
    r"|(?P<live><@[!&]?\d+>|<#\d+>|</[\w -]+:\d+>|<a?:\w+:\d+>|<t:-?\d+(?::\w)?>|<id:\w+>"
    r"|@everyone|@here|https?://(?:[a-z]+\.)?discord(?:app)?\.com/channels/\S+)"
)


def live_markup(text: str) -> list[str]:
    """The mentions, emoji, timestamps and channel links Discord would render in ``text``."""
    return [m["live"] for m in _TOKENS.finditer(text) if m["live"]]


def as_shown(text: str) -> str:
    """``text`` with Discord's backslash escapes applied, as a reader sees the characters."""
    return re.sub(r"\\([^0-9A-Za-z\s])", r"\1", text)
