"""One spelling for what every surface shows: counts, recording times, speaker details.

Discord, Slack, the console and the CLI render the same dataclasses; the words they
share are spelt here once, so a citation or a count reads the same everywhere.
"""

from __future__ import annotations

GAP = " … "
"""What every rendering puts between two passages of one reply, so they never read as one."""


def counted(n: int, noun: str) -> str:
    """``n`` with ``noun`` in the right number: "1 statement", "3 statements" (regular nouns)."""
    return f"{n} {noun if n == 1 else noun + 's'}"


def speaker_details(name: str, role: str | None, party: str | None) -> str:
    """Role and party to show beside a name; a role the name already says is left out.

    Offices are stored with their title as role ("Speaker", "The First Minister"), and
    "Speaker (Speaker)" tells a reader nothing.
    """
    folded = name.casefold()
    return ", ".join(x for x in (role if role and role.casefold() not in folded else None, party) if x)


def clock(seconds: float) -> str:
    """A time into a recording as people write it: 1:02:13, or 4:05 under an hour.

    One spelling for every surface, so a citation reads the same in Discord, Slack and a terminal.
    """
    h, rem = divmod(int(seconds), 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# How much of the other side of an exchange is shown beside a passage.
EXCHANGE_CHARS = 280


def shortened(text: str, limit: int = EXCHANGE_CHARS) -> str:
    """The start of ``text`` cut at a word within ``limit`` characters, marked where it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def asked_line(speaker: str | None, text: str) -> str:
    """The question a passage replies to, as every surface introduces it."""
    return f"{speaker or 'Someone'} asked: “{shortened(text)}”"


def replied_line(speaker: str | None, text: str) -> str:
    """The reply that followed a question, as every surface introduces it."""
    return f"{speaker or 'Someone'} replied: “{shortened(text)}”"
