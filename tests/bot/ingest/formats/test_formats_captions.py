"""Captions: WebVTT voice tags and SRT, with the time each statement was spoken."""

from __future__ import annotations

import pytest

from bot.errors import IngestError
from bot.ingest.detect import extract

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Sadiq Khan>We have funded victim support

00:00:04.000 --> 00:00:07.500
<v Sadiq Khan>across every borough.

01:02:13.000 --> 01:02:16.000
<v.question Shaun Bailey>How many victims have you met?</v>

01:02:17.000 --> 01:02:19.000
<v Sadiq Khan>Many.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
>> Good morning, welcome to the

2
00:00:03,000 --> 00:00:05,000
council meeting.

3
00:00:06,500 --> 00:00:08,000
>> <i>Present.</i>

4
00:00:09,000 --> 00:00:11,000
>> Councilmember Kalb?
"""


def test_vtt_voices_become_turns_with_times() -> None:
    """Consecutive cues of one voice form a turn; each statement carries its start time."""
    result = extract(VTT.encode(), "meeting.vtt")
    assert result.format == "vtt"
    got = [(s.speaker, s.text, s.seconds) for s in result.statements]
    assert got == [
        ("Sadiq Khan", "We have funded victim support across every borough.", 1.0),
        ("Shaun Bailey", "How many victims have you met?", 3733.0),
        ("Sadiq Khan", "Many.", 3737.0),
    ]
    assert result.statements[1].is_question
    for s in result.statements:
        assert result.text[s.start : s.end] == s.text
        assert result.text[s.mention_start : s.mention_end] == s.speaker


def test_srt_speaker_changes_without_names() -> None:
    """SRT cues with ``>>`` changes give unattributed turns that keep their times."""
    result = extract(SRT.encode(), "meeting.srt")
    assert result.format == "srt"
    got = [(s.speaker, " ".join(s.text.split()), s.seconds) for s in result.statements]
    assert got == [
        (None, "Good morning, welcome to the council meeting.", 1.0),
        (None, "Present.", 6.5),
        (None, "Councilmember Kalb?", 9.0),
    ]


def test_vtt_with_name_labels_in_text() -> None:
    """Captions that write ``NAME:`` in the cue text are read as a transcript."""
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMAYOR SCHAAF: Good morning.\n\n"
        "00:00:03.000 --> 00:00:04.000\nCOUNCILMEMBER KALB: Present.\n\n"
        "00:00:05.000 --> 00:00:06.000\nMAYOR SCHAAF: Thank you.\n\n"
        "00:00:07.000 --> 00:00:08.000\nand welcome back.\n"
    )
    result = extract(vtt.encode(), "labels.vtt")
    got = [(s.speaker, " ".join(s.text.split()), s.seconds) for s in result.statements]
    assert got == [
        ("Mayor Schaaf", "Good morning.", 1.0),
        ("Councilmember Kalb", "Present.", 3.0),
        ("Mayor Schaaf", "Thank you. and welcome back.", 5.0),
    ]


def test_malformed_vtt() -> None:
    """A VTT with a broken timestamp is refused with a clear message."""
    with pytest.raises(IngestError, match="valid WebVTT"):
        extract(b"WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\nHello\n", "bad.vtt")
