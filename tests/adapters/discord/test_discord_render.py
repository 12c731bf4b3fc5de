"""Rendering core answers for Discord: every message fits Discord's limits, and no word is cut."""

from __future__ import annotations

import json
import re

import pytest
from discord_markup import as_shown, live_markup
from hypothesis import given
from hypothesis import strategies as st
from shared_data import SAMPLE, SHARED

from adapters.discord.render import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    EMBEDS_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    TITLE_LIMIT,
    added_message,
    answer_pages,
    citation,
    clip,
    escape,
    sessions_embed,
    split_words,
)
from bot.models import AddResult, Answer, Passage, SessionInfo

COMMITTEE = SHARED / "corpus" / "qmsum-committee" / "val" / "covid_2.json"

words = st.lists(st.text(alphabet="abcdefghij*_>@#£’", min_size=1, max_size=12), min_size=0, max_size=80)
separators = st.sampled_from([" ", "  ", "\n", " \n"])


def turns() -> list[tuple[str, str]]:
    """Real committee turns (speaker, words), longest first."""
    data = json.loads(COMMITTEE.read_text(encoding="utf-8"))
    found = [(t["speaker"], t["content"]) for t in data["meeting_transcripts"]]
    return sorted(found, key=lambda t: -len(t[1]))


def passage(text: str, speaker: str | None = "Hon. Patty Hajdu", **extra: object) -> Passage:
    return Passage(
        session_id=7,
        title="Special Committee on the COVID-19 Pandemic",
        date="2020-04-29",
        speaker=speaker,
        text=text,
        start=0,
        end=len(text),
        **({"kind": "turn"} | extra),  # type: ignore[arg-type]
    )


def unescaped_words(description: str) -> list[str]:
    """The words of the quoted lines of a rendered description, markdown escapes removed."""
    quoted = [line[2:] for line in description.split("\n") if line.startswith("> ")]
    return re.sub(r"\\(.)", r"\1", " ".join(quoted)).split()


def assert_fits(embeds: list) -> None:
    for embed in embeds:
        assert len(embed.title or "") <= TITLE_LIMIT
        assert len(embed.description or "") <= DESCRIPTION_LIMIT
        assert len(embed.fields) <= FIELDS_LIMIT
        assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)
        assert len(embed) <= EMBEDS_TOTAL_LIMIT


@given(
    st.lists(st.tuples(words, separators)).map(lambda xs: " ".join(sep.join(w) for w, sep in xs)),
    st.integers(min_value=5, max_value=200),
)
def test_clip_keeps_whole_words_within_the_limit(text: str, limit: int) -> None:
    """clip never exceeds the limit and, when it shortens, ends on a whole word of the original."""
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if clipped == text:
        return
    assert clipped.endswith(ELLIPSIS)
    kept = clipped[: -len(ELLIPSIS)]
    assert text.startswith(kept)
    longest = max((len(w) for w in text.split()), default=0)
    if longest < limit - len(ELLIPSIS):
        assert text[len(kept) :][:1].isspace() or not kept


@given(words, st.integers(min_value=12, max_value=120))
def test_split_words_loses_nothing_and_never_cuts_a_word_that_fits(parts: list[str], limit: int) -> None:
    """Pieces fit the limit, rejoin to the same words, and split only between words."""
    text = " ".join(parts)
    pieces = split_words(text, limit)
    assert all(len(p) <= limit for p in pieces)
    if all(len(w) <= limit for w in parts):
        assert [w for p in pieces for w in p.split()] == text.split()


def test_a_huge_answer_is_paged_within_every_limit_without_losing_words() -> None:
    """Ten long committee turns (one of 12k characters) page within Discord's limits, every word kept."""
    real = turns()
    long_turn = " ".join(text for _, text in real[:12])
    passages = [passage(long_turn)] + [passage(text, speaker) for speaker, text in real[:9]]
    answer = Answer(
        question="what did " + "the minister " * 40 + "say about the wage subsidy?",
        speaker="Hon. Patty Hajdu",
        topic="wage subsidy",
        passages=tuple(passages),
        note="Some passages are unattributed. " * 60,
        suggestions=tuple(f"topic {i}" for i in range(200)),
        candidates=tuple(f"Candidate Name {i}" for i in range(200)),
    )
    pages = answer_pages(answer)
    assert len(pages) > 4
    assert_fits(pages)
    rendered = [w for page in pages for w in unescaped_words(page.description or "")]
    assert rendered == [w for p in passages for w in p.text.split()]
    assert all("page " in (page.footer.text or "") for page in pages)
    assert any(" · part 2 of " in (page.description or "") for page in pages)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"page": 4}, ", p. 4 · session 7"),
        ({"seconds": 3723.9}, ", at 1:02:03 · session 7"),
        ({"seconds": 75.0}, ", at 1:15 · session 7"),
        ({}, "(2020-04-29) · session 7"),
    ],
)
def test_citation_names_the_page_or_timestamp(extra: dict, expected: str) -> None:
    """A passage from a PDF cites its page; from captions, its timestamp."""
    assert citation(passage("words", **extra)).endswith(expected)


def test_unattributed_passage_is_marked_not_given_a_speaker() -> None:
    """A passage without a certain speaker says so instead of naming anyone."""
    rendered = citation(passage("words", speaker=None))
    assert "speaker not certain" in rendered
    assert "**" not in rendered


def test_reported_speech_is_not_shown_as_a_quotation() -> None:
    """A reporter's paraphrase is marked as reported, never block-quoted as the speaker's words."""
    said = "he had met with victims who feel like the police can't protect them"
    answer = Answer("q", None, None, (passage(said, kind="indirect"),))
    description = answer_pages(answer)[0].description or ""
    assert "> " not in description
    assert "*Reported:* he had met with victims" in description
    assert "reported speech" in description


def test_quoted_markdown_shows_as_written() -> None:
    """Markdown characters in a record are escaped so a quote cannot bold, strike or nest itself."""
    text = SAMPLE.read_text(encoding="utf-8").split("\n\n")[3] + " *not bold* ~~no~~ > no quote"
    description = answer_pages(Answer("q", None, None, (passage(text),)))[0].description or ""
    assert r"\*not bold\*" in description
    assert unescaped_words(description) == text.split()


def test_empty_answer_shows_the_note_and_suggestions() -> None:
    """No passages: the core's note is the message and suggestions follow as a field."""
    answer = Answer(
        "what did Khan say on trams?",
        "Sadiq Khan",
        "trams",
        (),
        note="Khan said nothing on trams.",
        suggestions=("victim support", "police"),
    )
    (page,) = answer_pages(answer)
    assert page.description == "Khan said nothing on trams."
    assert [(f.name, f.value) for f in page.fields] == [("Try", "victim support, police")]


def test_add_report_fits_in_one_message() -> None:
    """The report on a huge session with many speakers and warnings stays under 2000 characters."""
    info = SessionInfo(7, "T" * 300, "2020-04-29", "big.txt", 9000, 400, "mod", "2024-01-01T00:00:00+00:00")
    result = AddResult(
        info,
        9000,
        8000,
        1000,
        tuple(f"Speaker {i}" for i in range(400)),
        "transcript",
        "utf-8",
        warnings=tuple(f"A warning about page {i}" for i in range(200)),
    )
    message = added_message(result)
    assert len(message) <= CONTENT_LIMIT
    assert "1000 passages stored without a speaker" in message
    assert "and 390 more" in message


def test_long_session_list_is_cut_at_a_line_with_a_count() -> None:
    """500 sessions list as many whole lines as fit, then how many more there are."""
    sessions = [
        SessionInfo(i, f"Session number {i}", None, "x.txt", 10, 2, None, "2024") for i in range(500, 0, -1)
    ]
    embed = sessions_embed(sessions)
    description = embed.description or ""
    assert len(description) <= DESCRIPTION_LIMIT
    assert re.search(r"… and \d+ more$", description)
    assert all(line.startswith(("`", "…")) for line in description.split("\n"))


MENTIONS = (
    "Ask <@&123>, <@456> and <@!789>, @everyone and @here, in <#42> or https://discord.com/channels/1/2"
)
EMOJI = "<:wave:111> <a:spin:222> at <t:1700000000:R>, see </ask:333>"


@pytest.mark.parametrize("text", [MENTIONS, EMOJI, "a \\<@1> and \\\\<@2>", "no markup at all"])
def test_mentions_emoji_and_channel_links_show_as_written(text: str) -> None:
    """Mentions, custom emoji, timestamps and channel links in a record are shown as literal text."""
    rendered = escape(text)
    assert live_markup(text) or "markup" in text or "\\" in text
    assert live_markup(rendered) == []
    assert as_shown(rendered) == text


@given(st.text(alphabet="<>@&#!:/at0123456789 everyonhr\\*_`|~[]()", max_size=60))
def test_escaped_record_text_has_no_live_markup_and_reads_as_written(text: str) -> None:
    """Whatever a record holds, what Discord shows is exactly its characters, with nothing live."""
    text = text.strip()
    rendered = escape(text)
    assert live_markup(rendered) == []
    assert as_shown(rendered) == text


def test_a_quote_naming_a_role_and_everyone_is_the_records_words() -> None:
    """A passage holding <@&123>, <@456> and @everyone renders them as literal text in the quote."""
    said = "I told <@&123> and <@456> that @everyone pays the fare."
    description = answer_pages(Answer("q", None, None, (passage(said),)))[0].description or ""
    assert live_markup(description) == []
    assert as_shown(description.split("\n")[1]) == f"> {said}"


CLUSTERS = ["👩‍👩‍👧‍👦", "👍🏽", "🇬🇧", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "é", "a", "❤️", "🧑‍🚒"]


@given(st.lists(st.sampled_from(CLUSTERS), min_size=1, max_size=60), st.integers(min_value=8, max_value=40))
def test_no_emoji_or_accent_is_split(clusters: list[str], limit: int) -> None:
    """A run of ZWJ emoji, flags, skin tones and accents is cut only between what readers see."""
    text = "".join(clusters)
    bounds = {0}
    for cluster in clusters:
        bounds.add(max(bounds) + len(cluster))
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if clipped != text:
        assert len(clipped) - len(ELLIPSIS) in bounds
    at = 0
    for piece in split_words(text, limit):
        at += len(piece)
        assert at in bounds, (piece, at)


def test_passages_are_grouped_under_one_citation_per_speaker_and_session() -> None:
    """Interleaved passages of two speakers: one header per speaker, a position under each quote."""
    passages = (
        passage("first words of the minister", page=4),
        passage("the member asks a question", speaker="Bob Member", is_question=True, seconds=75.0),
        passage("second words of the minister", page=5),
    )
    (page,) = answer_pages(Answer("q", None, None, passages))
    lines = (page.description or "").split("\n")
    assert lines[:5] == [
        "**Hon. Patty Hajdu** — *Special Committee on the COVID-19 Pandemic* (2020-04-29) · session 7",
        "> first words of the minister",
        "*p. 4 · chars 0-27*",
        "> second words of the minister",
        "*p. 5 · chars 0-28*",
    ]
    assert lines[6].startswith("**Bob Member** — ")
    assert lines[8] == "*at 1:15 · chars 0-26 · question*"
    assert (page.description or "").count("Special Committee") == 2  # one header per group


def test_the_source_is_linked_when_the_record_has_an_address() -> None:
    """A passage from a fetched page links to it once, in its group's header."""
    url = "https://hansard.parliament.uk/commons/2024-01-10/debates/ABC(1)"
    with_link = answer_pages(
        Answer("q", None, None, (passage("a", source_url=url), passage("b", source_url=url)))
    )
    description = with_link[0].description or ""
    assert (
        description.count("[source](https://hansard.parliament.uk/commons/2024-01-10/debates/ABC%281%29)")
        == 1
    )
    assert "[source]" not in (answer_pages(Answer("q", None, None, (passage("a"),)))[0].description or "")


def test_more_passages_fit_a_page() -> None:
    """Ten short passages make two pages of up to six, not four of three."""
    passages = tuple(passage(f"passage number {i} of the record") for i in range(10))
    pages = answer_pages(Answer("q", None, None, passages))
    assert [(p.description or "").count("\n> ") for p in pages] == [6, 4]
    assert_fits(pages)


@pytest.mark.parametrize("with_passages", [True, False])
def test_the_names_to_choose_from_are_listed_once(with_passages: bool) -> None:
    """The core's note on an ambiguous name lists the candidates; no second list repeats them."""
    note = "'Smith' could mean Ann Smith, Bob Smith: which one? Showing each one's words."
    answer = Answer(
        "what did Smith say?",
        None,
        None,
        (passage("words"),) if with_passages else (),
        note=note,
        candidates=("Ann Smith", "Bob Smith"),
    )
    (page,) = answer_pages(answer)
    shown = (page.description or "") + "".join(f.value for f in page.fields)
    assert shown.count("Ann Smith") == 1
    assert [f.name for f in page.fields] == (["Note"] if with_passages else [])


def test_a_long_question_is_not_echoed_as_the_topic() -> None:
    """A 300-character "topic" (the question itself, already the title) stays out of the footer."""
    long_topic = "the effect of " + "the funding settlement on rural bus routes " * 7
    pages = answer_pages(Answer("q " + long_topic, "Hon. Patty Hajdu", long_topic, (passage("w"),)))
    assert pages[0].footer.text == "Understood: speaker Hon. Patty Hajdu"
    short = answer_pages(Answer("q", "Hon. Patty Hajdu", "buses", (passage("w"),)))
    assert short[0].footer.text == "Understood: speaker Hon. Patty Hajdu, topic buses"


def test_a_short_reply_is_shown_under_its_question_both_attributed() -> None:
    """ "Yes." comes with the question it agreed to (asker named), and a question with its reply."""
    long_question = "Did you press hard for access to graveyards? " * 20
    question = passage(long_question, speaker="Mr Scott", is_question=True)
    reply = passage("Yes.", speaker="Edwin Poots", in_reply_to=question)
    asked = passage(
        "Was the taskforce set up in time?", speaker="Mr Scott", is_question=True,
        reply=passage("It was not, in my view.", speaker="Naomi Long"),
    )
    pages = answer_pages(Answer("q", None, None, (reply, asked)))
    description = "\n".join(page.description or "" for page in pages)
    lines = description.split("\n")
    at = lines.index("> Yes.")
    assert lines[at - 1].startswith("-# Mr Scott asked: “Did you press hard") and lines[at - 1].endswith("…”")
    assert "-# Naomi Long replied: “It was not, in my view.”" in lines
    for page in pages:
        assert len(page.description or "") <= 4096
