"""Communities in the store: who owns a row, and which statements a community may read.

A community is a Discord server (``discord:<guild id>``), a Slack workspace
(``slack:<team id>``) or the command line's ``local`` (``--community``). Sessions, people,
schedules and the audit log carry their community's name. Statements carry a *bucket*:
one full-text index token naming the community of their session, or ``shared`` when the
local community has shared the session with everyone. A community reads exactly two
buckets, its own and the shared one; the lemma index prefixes every token with its bucket
(``c6c6f63616cxknife``), so searches, term counts and completions of one community never
see another's words.
"""

from __future__ import annotations

import re

LOCAL = "local"
SHARED_BUCKET = "shared"
# What a community name may be: short, printable, no spaces (ids and a prefix, e.g. discord:123).
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,99}")


def valid_name(community: str) -> bool:
    """Whether ``community`` is a usable community name (letters, digits and ``:._-``, ≤ 100)."""
    return bool(_NAME.fullmatch(community))


def bucket(community: str) -> str:
    """The index token of a community's own statements: ``c`` and the hex of its name.

    Hex keeps it one token for the unicode61 tokenizer whatever the name holds (``discord:1``
    would otherwise be two), and no hex token can be ``shared`` or a prefix of another bucket
    followed by ``x``.
    """
    if not valid_name(community):
        raise ValueError(f"{community!r} is not a community name")
    return "c" + community.encode("utf-8").hex()


def readable(community: str) -> tuple[str, str]:
    """The buckets ``community`` reads: its own and the shared one."""
    return (bucket(community), SHARED_BUCKET)


def term(bucket_token: str, word: str) -> str:
    """A lemma as the bucket-prefixed token the lemma index holds."""
    return f"{bucket_token}x{word}"
