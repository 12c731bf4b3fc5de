"""Session summaries on real records: the sample Question Time report and a QMSum meeting."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from shared_data import SAMPLE, SHARED

from bot.errors import NotFoundError
from bot.ingest.detect import extract, extract_file
from bot.models import Extraction, Quote, SessionSummary, Statement
from bot.record import Record
from bot.summaries.figures import find_figures
from bot.summaries.summarise import summarise_session
from bot.wording import counted

QMSUM = SHARED / "corpus" / "qmsum-committee" / "val" / "education_0.json"  # QMSum (MIT), Welsh Parliament


@pytest.fixture(scope="module")
def sample() -> tuple[Extraction, SessionSummary]:
    ex = extract_file(SAMPLE)
    return ex, summarise_session(ex.statements, title="Mayor's Question Time", people=ex.people)


def qmsum_text(path: Path) -> tuple[str, list[str]]:
    """The meeting as ``Speaker: words`` paragraphs, the way eval/qmsum_bench.py writes it."""
    turns = json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"]
    text = "".join(f"{t['speaker']}: {t['content'].strip()}\n\n" for t in turns)
    return text, sorted({t["speaker"] for t in turns})


@pytest.fixture(scope="module")
def meeting() -> tuple[Extraction, SessionSummary, list[str]]:
    text, speakers = qmsum_text(QMSUM)
    ex = extract(text.encode("utf-8"), QMSUM.name)
    return ex, summarise_session(ex.statements, title="education_0", people=ex.people), speakers


def surname(name: str) -> str:
    core = re.sub(r"\(.*?\)|\b(AM|MS|MP)\b|^(Mr|Mrs|Ms|Dr|Hon|Professor)\.?\s+", "", name).strip()
    return core.split()[-1]


def test_sample_names_everyone_who_spoke(sample: tuple[Extraction, SessionSummary]) -> None:
    """Khan, Bailey, Desai and Sahota are all listed, with how much each said."""
    _, summary = sample
    names = {s.name for s in summary.speakers}
    for who in ("Khan", "Bailey", "Desai", "Sahota"):
        assert any(who in n for n in names), who
    assert all(s.statements >= 1 and s.words >= 1 for s in summary.speakers)
    assert summary.speakers[0].name.endswith("Khan")  # the mayor said the most


def test_sample_victim_support_exchange(sample: tuple[Extraction, SessionSummary]) -> None:
    """Bailey asks, Khan answers, and the answer's gist is Khan's £47m / 15 percent words."""
    _, summary = sample
    found = [e for e in summary.exchanges if "Bailey" in e.asker and "Khan" in e.answerer]
    assert found
    answer = " ".join(q.text for e in found for q in e.answer)
    assert "£47m" in answer
    assert "15 percent" in answer


@pytest.mark.parametrize(
    ("figure", "speaker"),
    [
        ("£47m", "Khan"),
        ("15 percent", "Khan"),
        ("£45 million", "Khan"),  # "The mayor talked about … a £45 million grant" (reported speech)
        ("34 new projects", "Khan"),  # "On May 10 he announced he would also be giving … 34 new projects"
        ("£10bn", "Bailey"),
    ],
)
def test_sample_figures_with_their_speaker(
    sample: tuple[Extraction, SessionSummary], figure: str, speaker: str
) -> None:
    """Each key figure is listed once with the person who stated it."""
    _, summary = sample
    matches = [f for f in summary.figures if f.figure == figure]
    assert len(matches) == 1
    assert matches[0].speaker is not None and speaker in matches[0].speaker
    assert figure in matches[0].context.text


def test_every_quote_is_the_records_own_words(sample: tuple[Extraction, SessionSummary]) -> None:
    """Exchanges and figure contexts are verbatim slices of the source at their offsets."""
    ex, summary = sample
    quotes = [f.context for f in summary.figures]
    for e in summary.exchanges:
        quotes += [e.question, *e.answer]
    assert quotes
    for q in quotes:
        assert ex.text[q.start : q.end] == q.text


def test_sample_topics_come_from_the_text(sample: tuple[Extraction, SessionSummary]) -> None:
    """Topics are phrases the record uses; victim support and violent crime are among them."""
    ex, summary = sample
    lowered = ex.text.lower()
    assert all(t.lower() in lowered for t in summary.topics)
    assert {"victim support", "violent crime"} <= {t.lower() for t in summary.topics}
    assert not any("khan" in t.lower() or "bailey" in t.lower() for t in summary.topics)


def test_meeting_lists_members_and_witnesses(meeting: tuple[Extraction, SessionSummary, list[str]]) -> None:
    """Every member and witness who spoke in the QMSum meeting is in the summary."""
    _, summary, speakers = meeting
    listed = " | ".join(s.name for s in summary.speakers)
    for who in speakers:
        assert surname(who) in listed, who
    # Witnesses (no AM suffix) as well as members.
    assert "Heaney" in listed and "Edwards" in listed


def test_meeting_topics_and_exchanges(meeting: tuple[Extraction, SessionSummary, list[str]]) -> None:
    """The meeting's topics are its own phrases; its exchanges are questions answered by another."""
    ex, summary, _ = meeting
    assert len(summary.topics) >= 5
    assert all(t.lower() in ex.text.lower() for t in summary.topics)
    assert any(t.lower() in ("children", "coronavirus", "pandemic", "foster carers") for t in summary.topics)
    assert 1 <= len(summary.exchanges) <= 6
    for e in summary.exchanges:
        assert e.asker != e.answerer
        assert ex.text[e.question.start : e.question.end] == e.question.text
        assert all(ex.text[q.start : q.end] == q.text for q in e.answer)


def test_answers_are_chosen_by_content_not_position(
    meeting: tuple[Extraction, SessionSummary, list[str]],
) -> None:
    """A reply's gist is not its opening pleasantry: no gist sentence starts with thanks."""
    _, summary, _ = meeting
    for e in summary.exchanges:
        for q in e.answer:
            assert not q.text.lower().startswith(("thank you", "thanks")), q.text


def test_empty_session_summarises_to_nothing() -> None:
    """No statements: zero counts and empty lists, not an error."""
    summary = summarise_session([], title="Empty")
    assert summary.statements == 0 and not summary.speakers and not summary.exchanges and not summary.figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("committing £47m of funds over the next three years", ["£47m"]),
        ("more than 15 percent from the previous mayor", ["15 percent"]),
        ("about 50 per cent of contact with Childline", ["50 per cent"]),
        ("a £45 million grant for groups", ["£45 million"]),
        ("giving £1.4 to fund 34 new projects as part of this fund", ["£1.4", "34 new projects"]),
        ("there were nearly 1,500 children accessing childcare", ["1,500 children"]),
        ("$73 billion for the wage subsidy and 7 million Canadians", ["$73 billion", "7 million Canadians"]),
        ("On May 10 he announced it; since 2018 over 62 died", []),
        ("the summit on April 10 at 10 am took 3 hours", []),
        ("we came back to it 90 again, 100 more times", []),
    ],
)
def test_find_figures(text: str, expected: list[str]) -> None:
    """Money, percentages and counts are found as written; dates, years, times and durations are not."""
    assert [f.text for f in find_figures(text)] == expected


def test_figure_values_merge_repeats() -> None:
    """£47m and £47 million are the same amount."""
    a, b = find_figures("£47m and later £47 million")
    assert a.value == b.value == 47e6 and a.kind == b.kind == "money"


async def test_record_summary_of_a_stored_session(tmp_path: Path) -> None:
    """Record.summary reads a stored session back into the same summary; a missing id is a clear error."""
    async with await Record.open(tmp_path / "s.db") as record:
        added = await record.add_session(SAMPLE.read_bytes(), source_name=SAMPLE.name, added_by="test")
        daily = await record.summary()
        assert [s.session_id for s in daily.sessions] == [added.session.id]
        one = daily.sessions[0]
        assert {"Khan", "Bailey", "Desai", "Sahota"} <= {n.name.split()[-1] for n in one.speakers}
        assert any(f.figure == "£47m" for f in one.figures)
        text = await record.session_text(added.session.id)
        assert all(text[f.context.start : f.context.end] == f.context.text for f in one.figures)
        assert (await record.summary(since=added.session.added_at)).sessions == ()
        with pytest.raises(NotFoundError, match="no session 999"):
            await record.summary(999)


def all_quotes(summary: SessionSummary) -> list[Quote]:
    quotes = [f.context for f in summary.figures]
    for e in summary.exchanges:
        quotes += [e.question, *e.answer]
    return quotes


def test_every_quote_keeps_its_statements_kind(sample: tuple[Extraction, SessionSummary]) -> None:
    """Each quote lies inside one statement and carries that statement's kind (reported stays reported)."""
    ex, summary = sample
    for q in all_quotes(summary):
        (home,) = [s for s in ex.statements if s.start <= q.start and q.end <= s.end]
        assert q.kind == home.kind, q.text
    assert {q.kind for q in all_quotes(summary)} >= {"direct", "indirect"}


@pytest.mark.parametrize(
    ("asker", "kind", "has", "lacks"),
    [
        # Khan's reply to Bailey's £10bn question exists only as the reporter's paraphrase.
        ("Bailey", "indirect", "£45 million grant", ""),
        # Khan's reply to Desai is reported ("referred to the Young Londoners Fund") and then
        # quoted ("But he added: …"): the quoted words are the gist, the paraphrase is not.
        ("Desai", "direct", "home office’s own research", "Young Londoners Fund"),
    ],
)
def test_reply_prefers_the_answerers_own_words(
    sample: tuple[Extraction, SessionSummary], asker: str, kind: str, has: str, lacks: str
) -> None:
    """A reply's gist is the answerer's verbatim words when any; else reported speech, all of one kind."""
    _, summary = sample
    replies = [e for e in summary.exchanges if asker in e.asker and has in " ".join(q.text for q in e.answer)]
    assert len(replies) == 1
    (reply,) = replies
    assert {q.kind for q in reply.answer} == {kind}
    assert not lacks or all(lacks not in q.text for q in reply.answer)


def test_passages_of_a_reply_are_never_merged(sample: tuple[Extraction, SessionSummary]) -> None:
    """Two passages of a reply stay two quotes in record order, never one string spanning both."""
    _, summary = sample
    multi = [e for e in summary.exchanges if len(e.answer) > 1]
    assert multi
    for e in multi:
        assert all(a.end <= b.start for a, b in itertools.pairwise(e.answer))


@pytest.mark.parametrize(
    ("figure", "kind"), [("£47m", "direct"), ("15 percent", "direct"), ("£45 million", "indirect")]
)
def test_figure_context_says_whether_it_was_reported(
    sample: tuple[Extraction, SessionSummary], figure: str, kind: str
) -> None:
    """A figure's context is marked reported when the record only paraphrases the speaker."""
    _, summary = sample
    (found,) = [f for f in summary.figures if f.figure == figure]
    assert found.context.kind == kind


def test_figure_keeps_the_quoted_version_over_the_reported_one() -> None:
    """A figure both reported and quoted is shown once, with the speaker's own words."""
    reported = Statement("Ann Lee", "the council would spend £5m on roads", "indirect", 0, 38)
    quoted = Statement("Ann Lee", "We will spend £5m on the roads this year.", "direct", 50, 91)
    summary = summarise_session([reported, quoted], title="t")
    (figure,) = summary.figures
    assert figure.context.kind == "direct" and figure.context.start == 50


@pytest.mark.parametrize(
    ("meeting_file", "vague"),
    [
        (SAMPLE, {"increase", "detail", "differently"}),
        (QMSUM.parent / "covid_2.json", {"continue", "support"}),
    ],
)
def test_topics_leave_out_vague_single_words(meeting_file: Path, vague: set[str]) -> None:
    """Generic nouns, -ly adverbs and words mostly used as verbs are not topics; phrases fill in."""
    if meeting_file.suffix == ".json":
        text, _ = qmsum_text(meeting_file)
        ex = extract(text.encode("utf-8"), meeting_file.name)
    else:
        ex = extract_file(meeting_file)
    topics = summarise_session(ex.statements, title="t", people=ex.people).topics
    assert len(topics) >= 6
    assert not vague & {t.lower() for t in topics}
    assert sum(" " in t for t in topics) >= 2


def test_topics_ignore_accents_in_speaker_names(
    meeting: tuple[Extraction, SessionSummary, list[str]],
) -> None:
    """ "Siân" said in the meeting is the speaker listed as "Sian Gwenllian AM", not a topic."""
    _, summary, _ = meeting
    assert not {"siân", "sian"} & {t.lower() for t in summary.topics}


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [(1, "statement", "1 statement"), (0, "word", "0 words"), (2, "more session", "2 more sessions")],
)
def test_counted(n: int, noun: str, expected: str) -> None:
    """Counts take the singular only for one."""
    assert counted(n, noun) == expected


def test_a_trimmed_figure_context_is_marked_as_cut(sample: tuple[Extraction, SessionSummary]) -> None:
    """A figure's words cut out of a longer sentence carry an ellipsis; whole sentences do not."""
    ex, summary = sample
    by_figure = {f.figure: f.context for f in summary.figures}
    bailey = by_figure["£10bn"]  # his sentence runs on past the trimmed context
    assert bailey.cut_after and not bailey.cut_before
    assert bailey.framed("“", "”").endswith("” …")
    assert ex.text[bailey.start : bailey.end] == bailey.text
    whole = by_figure["£47m"]  # the whole of Khan's sentence
    assert not whole.cut_before and not whole.cut_after
    assert whole.framed("“", "”") == f"“{whole.text}”"
