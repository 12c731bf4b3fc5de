"""The store's cached name index and statistics under a writer that invalidates them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.open_store import StoreHandles
from bot.record import Record
from bot.sample import SAMPLE_FILE, sample_bytes


async def test_a_rebuild_returns_an_index_even_if_a_writer_invalidates_it_meanwhile(tmp_path: Path) -> None:
    """An add finishing while answers rebuild the index must not hand them None (a crash in ask)."""
    path = tmp_path / "store.sqlite3"
    async with await Record.open(path) as record:
        await record.add_session(sample_bytes(), source_name=SAMPLE_FILE, added_by="test")
    handles = StoreHandles(path)
    await handles.open()
    try:
        for _ in range(20):
            handles.invalidate()
            rebuild = asyncio.create_task(handles.refresh("local"))
            while not rebuild.done():
                # What the writer does after each commit, at every point the rebuild awaits.
                handles.invalidate()
                await asyncio.sleep(0)
            index = await rebuild
            assert index is not None
            assert any("Khan" in person.name for person in index.people.values())
    finally:
        await handles.close()
