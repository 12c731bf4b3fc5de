"""Block Kit rendering of answers and lists: limits, splitting, escaping, citations and buttons."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack import blocks
from adapters.slack.answers import CONTEXT_ACTION_ID, SHARE_ACTION_ID, render_answer, render_context
from adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_HEADER_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES,
    MAX_SECTION_CHARS,
    escape,
    message_chars,
    text_chunks,
)
from bot.errors import OnrecordError
from bot.models import Answer, Passage, SessionInfo, SpeakerInfo


def passage(text: str, **kw: object) -> Passage:
    fields: dict[str, object] = {
        "session_id": 1,
        "title": "Mayor's Question Time",
        "date": "2018-05-17",
        "speaker": "Sadiq Khan",
        "kind": "direct",
        "text": text,
        "start": 10,
        "end": 10 + len(text),
    }
    fields.update(kw)
    return Passage(**fields)  # type: ignore[arg-type]


def answer(*passages: Passage, **kw: object) -> Answer:
    fields: dict[str, object] = {"question": "what did Khan say", "speaker": "Sadiq Khan", "topic": None}
    fields.update(kw)
    return Answer(passages=passages, **fields)  # type: ignore[arg-type]


def assert_within_limits(messages: list[blocks.Message]) -> None:
    assert 1 <= len(messages) <= MAX_MESSAGES
    for m in messages:
        assert len(m.blocks) <= MAX_BLOCKS
        assert message_chars(m.blocks) + len(m.text) <= MAX_MESSAGE_CHARS
        for b in m.blocks:
            if b["type"] == "section":
                assert len(b["text"]["text"]) <= MAX_SECTION_CHARS
            if b["type"] == "header":
                assert len(b["text"]["text"]) <= MAX_HEADER_CHARS
            if b["type"] == "rich_text":
                texts = [e["text"] for part in b["elements"] for e in part["elements"]]
                assert sum(len(t) for t in texts) <= MAX_SECTION_CHARS


def all_text(messages: list[blocks.Message]) -> str:
    return json.dumps([m.blocks for m in messages]) + "".join(m.text for m in messages)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel> listen", "&lt;!channel&gt; listen"),
        ("<@U123> and <!here>", "&lt;@U123&gt; and &lt;!here&gt;"),
        ("Q&A <b>", "Q&amp;A &lt;b&gt;"),
        ("&lt; already", "&amp;lt; already"),
    ],
)
def test_escape_neutralises_slack_markup(raw: str, escaped: str) -> None:
    """&, < and > become entities, so mentions in record text cannot ping."""
    assert escape(raw) == escaped


def rich_texts(messages: list[blocks.Message]) -> list[tuple[str, dict[str, object]]]:
    """(container type, text element) for every text inside the messages' rich text blocks."""
    return [
        (part["type"], element)
        for m in messages
        for b in m.blocks
        if b["type"] == "rich_text"
        for part in b["elements"]
        for element in part["elements"]
    ]


def mrkdwn_texts(messages: list[blocks.Message]) -> str:
    """Every text Slack parses as mrkdwn: sections, context parts and the fallback text."""
    out = [m.text for m in messages]
    for m in messages:
        for b in m.blocks:
            if b["type"] == "section":
                out.append(b["text"]["text"])
            if b["type"] == "context":
                out += [e["text"] for e in b["elements"]]
    return "\n".join(out)


def test_quote_with_channel_mention_is_plain_rich_text() -> None:
    """A quote holding <!channel> is one plain text element of a rich text quote: shown, never parsed."""
    said = "Everyone <!channel> must hear: <@U999> is wrong & late."
    messages = render_answer(answer(passage(said)))
    assert ("rich_text_quote", {"type": "text", "text": said}) in rich_texts(messages)
    parsed = mrkdwn_texts(messages)
    assert "<!channel>" not in parsed and "<@U999>" not in parsed


@pytest.mark.parametrize(
    "said",
    [
        "The fare rise is *not* fair.",
        "_Nobody_ asked for ~cuts~ to `route 9`.",
        "```\nliteral block\n``` and *bold _nested_ ~all~*",
    ],
)
def test_formatting_marks_in_record_text_show_literally(said: str) -> None:
    """*bold*, _italic_, ~strike~ and backticks in a record are unstyled text, exactly as recorded."""
    messages = render_answer(answer(passage(said)))
    (quoted,) = [e for kind, e in rich_texts(messages) if kind == "rich_text_quote"]
    assert quoted == {"type": "text", "text": said}  # no "style": Slack shows the marks as typed
    assert said not in mrkdwn_texts(messages)


def citations(blocks_: list[dict[str, object]]) -> list[str]:
    """The mrkdwn sections citing a group (speaker · title · date · session)."""
    return [
        b["text"]["text"] for b in blocks_ if b["type"] == "section" and " · session " in b["text"]["text"]
    ]  # type: ignore[index]


def places(messages: list[blocks.Message]) -> list[str]:
    """Each passage's place line ("[1] chars 10–16 · p. 4"), in order."""
    return [
        e["text"] for kind, e in rich_texts(messages) if kind == "rich_text_section" and e["text"][:1] == "["
    ]


def test_one_header_per_answer_and_one_citation_per_group() -> None:
    """One header for the answer; each speaker/session group cited once; each passage says where it is."""
    p1 = passage("First.", page=4, seconds=754.0)
    p2 = passage("Second.", speaker="Shaun Bailey", kind="indirect", start=100, end=107)
    messages = render_answer(answer(p1, p2))
    blocks_ = messages[0].blocks
    assert [b["text"]["text"] for b in blocks_ if b["type"] == "header"] == ["What Sadiq Khan said"]
    assert citations(blocks_) == [
        "*Sadiq Khan* · _Mayor's Question Time_ · 2018-05-17 · session 1",
        "*Shaun Bailey* · _Mayor's Question Time_ · 2018-05-17 · session 1",
    ]
    assert places(messages) == ["[1] chars 10–16 · p. 4 · at 12:34", "[2] chars 100–107 · reported speech"]


def test_unattributed_passage_says_so() -> None:
    """A passage without a certain speaker is cited as unattributed, never given a name."""
    blocks_ = render_answer(answer(passage("Words.", speaker=None), speaker=None))[0].blocks
    (cite,) = citations(blocks_)
    assert cite.startswith("*Unattributed (speaker not certain)*")


def test_five_short_passages_are_few_blocks() -> None:
    """Five passages of one speaker in one session: header, intro, one citation, 5 quotes, 1 button row."""
    ps = [passage(f"Point {i}.", start=i * 100, end=i * 100 + 8) for i in range(5)]
    (message,) = render_answer(answer(*ps, topic="victims"), share='{"name": "ask"}')
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "context", "section", *["rich_text"] * 5, "actions"]
    assert message.blocks[0]["text"]["text"] == "Sadiq Khan on victims"


def test_source_link_only_for_a_clean_web_address() -> None:
    """A session from a web address links it; a file name or a URL that would break the link does not."""
    p = passage("Words.")
    for source, linked in [
        ("https://hansard.parliament.uk/debates/1", "<https://hansard.parliament.uk/debates/1|source>"),
        ("report.pdf", None),
        ("https://x.example/a|<!channel>", None),
    ]:
        (cite,) = citations(render_answer(answer(p), sources={1: source})[0].blocks)
        assert (linked in cite) if linked else ("<" not in cite), (source, cite)


def test_many_passages_split_into_messages_at_passage_boundaries() -> None:
    """Forty 1000-char passages fill several messages within limits, each passage whole with its place."""
    ps = [passage(f"P{i} " + "x" * 995, start=i * 2000, end=i * 2000 + 1000) for i in range(40)]
    messages = render_answer(answer(*ps))
    assert_within_limits(messages)
    assert len(messages) > 1
    for m in messages:
        quotes = [e for kind, e in rich_texts([m]) if kind == "rich_text_quote"]
        assert len(quotes) == len(places([m]))


def test_overflow_beyond_five_messages_says_what_was_left_out() -> None:
    """More than five messages' worth of passages ends with a note, never a sixth message."""
    ps = [passage("y" * 2900, start=i * 3000, end=i * 3000 + 2900) for i in range(40)]
    messages = render_answer(answer(*ps))
    assert len(messages) == MAX_MESSAGES
    assert "not shown" in json.dumps(messages[-1].blocks)


def test_buttons_go_on_the_last_message_share_first_then_context_per_passage() -> None:
    """One row of buttons ends the last message: Share, then Context 1..n carrying each passage's place."""
    ps = [passage("z" * 2500, start=i * 3000, end=i * 3000 + 2500) for i in range(12)]
    messages = render_answer(answer(*ps), share='{"name": "ask"}')
    assert_within_limits(messages)
    actions = [(i, b) for i, m in enumerate(messages) for b in m.blocks if b["type"] == "actions"]
    assert len(actions) == 1 and actions[0][0] == len(messages) - 1
    buttons = messages[-1].blocks[-1]["elements"]
    assert buttons[0]["action_id"] == SHARE_ACTION_ID
    assert [b["action_id"] for b in buttons[1:]] == [f"{CONTEXT_ACTION_ID}:{n}" for n in range(1, 13)]
    assert json.loads(buttons[2]["value"]) == {"session": 1, "start": 3000, "end": 5500}


def test_no_match_has_no_share_and_says_its_suggestions_once() -> None:
    """An empty answer offers no Share or Context; 'Perhaps: …' in the note is not repeated as 'Try:'."""
    note = "No speaker called 'Kahn' is on the record. Perhaps: Sadiq Khan."
    a = answer(speaker=None, note=note, suggestions=("Sadiq Khan",))
    (message,) = render_answer(a, share='{"name": "ask"}')
    assert all(b["type"] != "actions" for b in message.blocks)
    shown = json.dumps(message.blocks)
    assert shown.count("Sadiq Khan") == 1 and "Try:" not in shown


def test_empty_answer_shows_note_and_suggestions_escaped() -> None:
    """No passages: the honest note and suggestions are shown, with markup escaped."""
    a = answer(note="No statements by <Khan> mention 'trams'.", suggestions=("Sadiq Khan", "Shaun Bailey"))
    (message,) = render_answer(a)
    text = all_text([message])
    assert "&lt;Khan&gt;" in text and "Shaun Bailey" in text
    assert "&lt;Khan&gt;" in message.text or "trams" in message.text


def test_long_speaker_title_header_is_truncated() -> None:
    """A 400-char session title still yields a header within 150 chars."""
    (message,) = render_answer(answer(passage("Hi.", title="T" * 400)))
    assert_within_limits([message])


def test_lists_split_into_sections_within_limits() -> None:
    """Hundreds of sessions or speakers render as several sections, each within limits."""
    sessions = [
        SessionInfo(i, f"Session <{i}> " + "t" * 80, None, "x.txt", 3, 2, None, "now") for i in range(300)
    ]
    speakers = [SpeakerInfo(i, f"Person {i}", "Role", "Party", (), 4, 1) for i in range(300)]
    for messages in (blocks.render_sessions(sessions), blocks.render_speakers(speakers)):
        assert_within_limits(messages)
    assert "&lt;7&gt;" in all_text(blocks.render_sessions(sessions))


def test_long_passage_is_split_into_rich_text_blocks_at_whitespace() -> None:
    """A 6000-char passage becomes several rich text quotes within the section limit, no word cut."""
    words = [f"word{i}" for i in range(900)]
    (message,) = render_answer(answer(passage(" ".join(words))))
    assert_within_limits([message])
    quoted = [e["text"] for kind, e in rich_texts([message]) if kind == "rich_text_quote"]
    assert len(quoted) >= 3
    assert " ".join(quoted).split() == words


def test_reported_passage_is_marked_and_not_a_rich_text_quote() -> None:
    """Reported speech is a rich text section opening with an italic 'Reported:', never a quote."""
    said = "he had met victims <!channel> who feel *unsafe*"
    messages = render_answer(answer(passage(said, kind="indirect")))
    elements = rich_texts(messages)
    label = {"type": "text", "text": "Reported: ", "style": {"italic": True}}
    assert ("rich_text_section", label) in elements
    assert ("rich_text_section", {"type": "text", "text": said}) in elements
    assert all(kind != "rich_text_quote" for kind, _ in elements)


def test_unbroken_long_token_is_hard_cut_within_the_limit() -> None:
    """A 7000-char run with no spaces is cut into pieces within the limit, nothing lost."""
    chunks = text_chunks("<" * 7000)
    assert all(len(c) <= MAX_SECTION_CHARS for c in chunks)
    assert "".join(chunks) == "<" * 7000


def test_multiline_passage_keeps_its_line_breaks() -> None:
    """Paragraphs of one passage stay in one rich text element, line breaks and all."""
    assert text_chunks("First paragraph.\n\nSecond paragraph.") == ["First paragraph.\n\nSecond paragraph."]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_~`<>&!@\n\t€")), min_size=0, max_size=8000))
def test_any_text_splits_within_limits_and_loses_no_word(text: str) -> None:
    """Property: any passage text splits into pieces within the section limit, words in order."""
    chunks = text_chunks(text)
    assert all(0 < len(c) <= MAX_SECTION_CHARS for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_context_of_a_passage_no_longer_in_the_record_is_a_sentence() -> None:
    """A Context button whose offsets run past the stored text (a replaced session) says to ask again."""
    with pytest.raises(OnrecordError, match="no longer in the record"):
        render_context("A short record.", 1, 0, 500)


def test_context_cuts_at_words_and_marks_the_cuts() -> None:
    """Long record text either side is cut at a space and marked with an ellipsis; the passage is whole."""
    text = "word " * 400 + "THE PASSAGE ITSELF" + " more" * 400
    start = text.index("THE")
    (message,) = render_context(text, 3, start, start + len("THE PASSAGE ITSELF"))
    before, quote, after = (p["elements"][0]["text"] for p in message.blocks[1]["elements"])
    assert before.startswith("… word") and after.endswith("more …")
    assert quote == "THE PASSAGE ITSELF"


def test_a_short_reply_is_shown_with_its_question_both_attributed() -> None:
    """ "Yes." arrives with the question it agreed to, each with its speaker, within Slack's limits."""
    long_question = "Did you press hard for access to graveyards? " * 30
    question = passage(long_question, speaker="Mr Scott", is_question=True)
    reply = passage("Yes.", speaker="Edwin Poots", in_reply_to=question)
    asked = passage("Was the taskforce set up in time?", speaker="Mr Scott", is_question=True,
                    reply=passage("It was not, in my view.", speaker="Naomi Long"))
    messages = render_answer(answer(reply, asked, speaker=None))
    assert_within_limits(messages)
    texts = [e["text"] for _, e in rich_texts(messages)]
    assert any(t.startswith("Mr Scott asked: “Did you press hard") and t.endswith("…”") for t in texts)
    assert ("rich_text_quote", {"type": "text", "text": "Yes."}) in rich_texts(messages)
    assert "Naomi Long replied: “It was not, in my view.”" in texts
