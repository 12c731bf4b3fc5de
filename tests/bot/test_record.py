"""The Record facade: adding, duplicates, replace, remove, listings, autocomplete, concurrency."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from shared_data import SAMPLE, SHARED

from bot.errors import DuplicateSessionError, IngestError, NotFoundError
from bot.record import Record
from bot.settings import Settings

QMSUM = SHARED / "corpus" / "qmsum-committee"


def meeting_text(split: str, name: str, copies: int = 1) -> bytes:
    """A QMSum committee meeting as a "Speaker: words" transcript (as the benchmark writes it)."""
    turns = json.loads((QMSUM / split / f"{name}.json").read_text("utf-8"))["meeting_transcripts"]
    one = "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns)
    return "".join(f"{one}Session part {i}.\n\n" if copies > 1 else one for i in range(copies)).encode()


@pytest.fixture
async def record(tmp_path: Path) -> AsyncIterator[Record]:
    rec = await Record.open(tmp_path / "sub" / "record.sqlite3")
    try:
        yield rec
    finally:
        await rec.close()


async def test_add_reports_counts_and_lists_the_session(record: Record) -> None:
    """Adding the sample stores it with its speakers; sessions() and speakers() list it."""
    result = await record.add_session(
        SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="mod", date="2018-05-16"
    )
    assert result.statements == result.attributed + result.unattributed > 10
    assert {"Sadiq Khan", "Shaun Bailey", "Umnesh Desai", "Onkar Sahota"} <= set(result.speakers)
    [info] = await record.sessions()
    assert info.id == result.session.id and info.date == "2018-05-16" and info.added_by == "mod"
    names = [s.name for s in await record.speakers()]
    assert names[0] == "Sadiq Khan"
    assert [s.name for s in await record.speakers(info.id)] == names


async def test_same_content_twice_is_refused_naming_the_session(record: Record) -> None:
    """The same content again raises DuplicateSessionError naming the stored session."""
    first = await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod", title="MQT")
    crlf = SAMPLE.read_bytes().replace(b"\n", b"\r\n")  # same words, other line endings
    with pytest.raises(DuplicateSessionError) as err:
        await record.add_session(crlf, source_name="b.txt", added_by="mod")
    assert err.value.session_id == first.session.id and "MQT" in str(err.value)
    again = await record.add_session(crlf, source_name="b.txt", added_by="mod", replace=True)
    assert again.session.id == first.session.id and again.replaced is not None
    assert len(await record.sessions()) == 1


async def test_replace_and_remove_are_audited(record: Record) -> None:
    """replace_session keeps the id; remove_session deletes it; the audit log says who did what."""
    added = await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="alice")
    sid = added.session.id
    replaced = await record.replace_session(
        sid, meeting_text("val", "education_10"), source_name="m.txt", added_by="bob"
    )
    assert replaced.session.id == sid and replaced.format == "transcript"
    gone = await record.ask("what did Khan say on victim support")
    assert gone.speaker is None and all(p.speaker != "Sadiq Khan" for p in gone.passages)
    removed = await record.remove_session(sid, removed_by="carol")
    assert removed.id == sid and await record.sessions() == []
    with pytest.raises(NotFoundError):
        await record.remove_session(sid, removed_by="carol")
    log = [(e.actor, e.action) for e in await record.audit_log()]
    assert log == [("carol", "remove"), ("bob", "replace"), ("alice", "add")]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"\x00\x01\x02binary" * 50, "binary")],
)
async def test_bad_input_is_refused_with_a_clear_message(record: Record, data: bytes, message: str) -> None:
    """Empty and binary sources raise IngestError with a sentence saying why."""
    with pytest.raises(IngestError, match=message):
        await record.add_session(data, source_name="bad.txt", added_by="mod")
    assert await record.sessions() == []


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.remove_session(12, removed_by="mod"),
        lambda r: r.session_text(12),
        lambda r: r.replace_session(12, SAMPLE.read_bytes(), source_name="a.txt", added_by="mod"),
        lambda r: r.summary(session_id=12),
    ],
    ids=["remove", "text", "replace", "summary"],
)
async def test_missing_session_message_reads_right_on_every_platform(record: Record, call) -> None:
    """A missing session is named in a plain sentence with no command syntax of any one platform."""
    await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod")
    with pytest.raises(NotFoundError) as err:
        await call(record)
    message = str(err.value)
    assert "session 12" in message and message.endswith(".")
    assert not any(mark in message for mark in ("`", "/", "command", "lists"))


async def test_from_settings_opens_the_configured_store_with_its_size_limit(tmp_path: Path) -> None:
    """Record.from_settings opens ONRECORD_DB and refuses sources over ONRECORD_MAX_SOURCE_MB."""
    settings = Settings(_env_file=None, onrecord_db=tmp_path / "conf.sqlite3", onrecord_max_source_mb=0.001)
    async with await Record.from_settings(settings) as rec:
        assert rec.path == settings.onrecord_db and rec.max_source_bytes == settings.max_source_bytes
        with pytest.raises(IngestError, match="ONRECORD_MAX_SOURCE_MB"):
            await rec.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod")
        assert await rec.sessions() == []
    assert settings.onrecord_db.exists()


async def test_bad_date_is_refused(record: Record) -> None:
    """A date that is not YYYY-MM-DD is refused before anything is stored."""
    with pytest.raises(IngestError, match="YYYY-MM-DD"):
        await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod", date="16/05/2018")


async def test_people_are_merged_across_sessions(record: Record) -> None:
    """Kirsty Williams in two committee meetings is one speaker with two sessions."""
    await record.add_session(meeting_text("train", "education_1"), source_name="e1.txt", added_by="mod")
    await record.add_session(meeting_text("val", "education_18"), source_name="e18.txt", added_by="mod")
    kirsty = [s for s in await record.speakers() if s.name == "Kirsty Williams"]
    assert len(kirsty) == 1 and kirsty[0].sessions == 2


async def test_hand_added_alias_resolves_in_questions(record: Record) -> None:
    """An alias added by a moderator is understood in questions."""
    await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod")
    info = await record.add_alias("Sadiq Khan", "the boss", added_by="mod")
    assert "the boss" in info.aliases
    answer = await record.ask("what did the boss say about police cuts")
    assert answer.speaker == "Sadiq Khan" and answer.passages


async def test_topics_and_autocomplete(record: Record) -> None:
    """topics() ranks subject words; completion answers prefixes and odd input without raising."""
    await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod")
    terms = [t.term for t in await record.topics()]
    assert "victim" in terms[:5] and "crime" in terms[:5]
    assert "the" not in terms and "khan" not in terms
    assert "knife" in await record.complete_topics("kni")
    assert await record.complete_speakers("sad") == ["Sadiq Khan"]
    assert await record.complete_speakers("Des") == ["Umnesh Desai"]
    for odd in ['"', "*", "NEAR(", "🙂", "x" * 500, ""]:
        assert len(await record.complete_speakers(odd)) <= 25
        assert len(await record.complete_topics(odd)) <= 25


async def test_answers_keep_flowing_while_a_large_session_is_added(record: Record) -> None:
    """Questions are answered while a large session is being extracted and written."""
    await record.add_session(SAMPLE.read_bytes(), source_name="a.txt", added_by="mod")
    big = meeting_text("train", "covid_7", copies=6)
    adding = asyncio.create_task(record.add_session(big, source_name="big.txt", added_by="mod"))
    answered = 0
    while not adding.done():
        answer = await record.ask("what did Khan say on victim support")
        assert answer.passages and answer.passages[0].speaker == "Sadiq Khan"
        answered += 1
        await asyncio.sleep(0)
    result = await adding
    assert result.statements > 1000
    assert answered > 3
    assert len(await record.sessions()) == 2


async def test_closed_record_refuses_politely(tmp_path: Path) -> None:
    """Using a closed Record raises a user-facing error; closing twice is safe."""
    rec = await Record.open(tmp_path / "x.sqlite3")
    await rec.close()
    await rec.close()
    with pytest.raises(Exception, match="closed"):
        await rec.sessions()
