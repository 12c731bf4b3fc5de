"""Speakers known only by role, through the store: asked for by their role, never mistaken for
the person they speak for, on real BBC reports (../shared/corpus/qa-dev/bbc/politics)."""

from __future__ import annotations

from bot.record import Record
from tests.shared_data import CORPUS

BBC = CORPUS / "qa-dev" / "bbc" / "politics"


async def _add(record: Record, name: str) -> None:
    path = BBC / name
    await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")


async def test_the_spokesman_is_asked_for_by_his_role(record: Record) -> None:
    """027: "The prime minister's official spokesman said … But he added: …" answers for the role."""
    await _add(record, "027.txt")
    answer = await record.ask(
        "what did the prime minister's official spokesman say about taking decisions in Cabinet?"
    )
    assert answer.speaker == "Prime minister's official spokesman"
    assert answer.passages
    assert {p.speaker for p in answer.passages} == {"Prime minister's official spokesman"}
    assert any("take every decision in Cabinet" in p.text for p in answer.passages)


async def test_the_prime_minister_is_not_his_spokesman(record: Record) -> None:
    """027: Mr Blair never speaks; "the prime minister" must not find his spokesman's words."""
    await _add(record, "027.txt")
    answer = await record.ask("what did the prime minister say about taking decisions in Cabinet?")
    assert all(p.speaker != "Prime minister's official spokesman" for p in answer.passages)
    assert answer.speaker != "Prime minister's official spokesman"


async def test_a_bodys_spokeswoman_answers_to_the_words_people_use(record: Record) -> None:
    """244: "A spokeswoman said" after the Department for Education and Skills is named; asked
    as "the education department's spokeswoman"."""
    await _add(record, "244.txt")
    answer = await record.ask("what did the education department's spokeswoman say about Kelly?")
    assert answer.speaker == "Department for Education and Skills spokeswoman"
    assert answer.passages
    assert any("It is not news that Ms Kelly is a Catholic" in p.text for p in answer.passages[:3])
