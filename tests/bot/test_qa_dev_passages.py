"""Every answer to the 124 typed questions of qa-dev, over its 20 real records, asked in process.

What must hold whatever the ranking does: no turn under five words stands alone (it comes
with the question it answered, or the reply it got); a question naming a speaker is
answered with that speaker's words only, or with none. A short reported claim in a news
report ("Labour was not 'rattled'") is a whole claim, not an acknowledgement, and has no
exchange to be shown in.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from bot.answers.exchanges import SHORT_WORDS
from bot.record import Record
from tests.shared_data import CORPUS

QA = CORPUS / "qa-dev"


async def test_no_short_passage_stands_alone_and_no_one_elses_words(tmp_path: Path) -> None:
    lines = [json.loads(x) for x in (QA / "qa.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    by_doc: dict[str, list[str]] = defaultdict(list)
    for q in lines:
        by_doc[q["doc"]].append(q["question"])
    asked = 0
    for n, (doc, questions) in enumerate(sorted(by_doc.items())):
        record = await Record.open(tmp_path / f"{n}.sqlite3")
        try:
            path = QA / doc
            await record.add_session(path.read_bytes(), source_name=path.name, added_by="test")
            for question in questions:
                answer = await record.ask(question, limit=3)
                asked += 1
                for p in answer.passages:
                    if p.kind == "turn" and len(p.text.split()) < SHORT_WORDS:
                        assert p.in_reply_to is not None or p.reply is not None, (question, p.text)
                if answer.speaker is not None and answer.passages:
                    # Several speakers are joined by " and "; a role may hold it too
                    # ("Department for Education and Skills spokeswoman").
                    speakers = {answer.speaker, *answer.speaker.split(" and ")}
                    assert {p.speaker for p in answer.passages} <= speakers, question
        finally:
            await record.close()
    assert asked == len(lines) == 124
