"""News-writing patterns of attribution: names with initials and titles, mixed quote marks,
long asides between a quotation and its cue, and the other shapes reporters use."""

from __future__ import annotations

import pytest

from bot.attribution.prose import attribute_prose
from bot.models import Statement


def _at(text: str, words: str) -> Statement:
    start = text.index(words)
    found = [s for s in attribute_prose(text)[0] if s.start <= start < s.end]
    assert len(found) == 1, found
    return found[0]


def _mention(text: str, s: Statement) -> str | None:
    return None if s.mention_start is None or s.mention_end is None else text[s.mention_start : s.mention_end]


@pytest.mark.parametrize(
    ("text", "words", "speaker", "mention"),
    [
        (
            '"The bridge is safe," Carol T. Nguyen, an engineer for the county, said on Monday.',
            "The bridge is safe",
            "Carol T. Nguyen",
            "Carol T. Nguyen",
        ),
        (
            '"We will appeal," said Harbor Authority Chairman Leon Fisk.',
            "We will appeal",
            "Leon Fisk",
            "Harbor Authority Chairman Leon Fisk",
        ),
        (
            '“The numbers do not add up," Ohio Sen. Dana Wright said.',
            "The numbers do not",
            "Dana Wright",
            "Ohio Sen. Dana Wright",
        ),
        (
            '"Water bills will rise," Ruth Ames, the utility director of the city, '
            "one of the towns hit by the drought, said at a hearing.",
            "Water bills will rise",
            "Ruth Ames",
            "Ruth Ames",
        ),
    ],
)
def test_speaker_names_in_news_style(text: str, words: str, speaker: str, mention: str) -> None:
    """Initials, titles after an office's name, mixed quote marks and long asides keep the speaker."""
    s = _at(text, words)
    assert s.kind == "direct"
    assert s.speaker == speaker
    assert _mention(text, s) == mention
