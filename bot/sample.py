"""The sample session shipped with onrecord, loaded into an empty store on first run.

Someone trying onrecord with no chat tokens gets a console that can already answer
"what did Khan say on victim support?".
"""

from __future__ import annotations

from importlib import resources

from bot.record import Record

SAMPLE_FILE = "mayors-question-time-victim-support.txt"
SAMPLE_TITLE = "Mayor's Question Time: victim support"


def sample_bytes() -> bytes:
    """The sample news report of London Mayor's Question Time, as shipped in ``bot/data``."""
    return resources.files("bot.data").joinpath(SAMPLE_FILE).read_bytes()


async def ensure_sample(record: Record) -> bool:
    """Add the sample session if the store holds no session at all; True if it was added."""
    if await record.sessions(limit=1):
        return False
    await record.add_session(
        sample_bytes(), source_name=SAMPLE_FILE, added_by="onrecord sample", title=SAMPLE_TITLE
    )
    return True
