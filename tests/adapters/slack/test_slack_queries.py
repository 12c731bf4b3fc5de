"""Parsing what users type after /onrecord or the app's mention."""

from __future__ import annotations

import pytest

from adapters.slack.queries import Command, UsageError, parse_command, strip_mentions, unescape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Command("help")),
        ("   ", Command("help")),
        ("help", Command("help")),
        (
            "ask what did Khan say on victim support",
            Command("ask", question="what did Khan say on victim support"),
        ),
        (
            "what did Khan say on victim support",
            Command("ask", question="what did Khan say on victim support"),
        ),
        ("ASK   what   about knives", Command("ask", question="what about knives")),
        ("quotes Khan", Command("quotes", speaker="Khan")),
        (
            "quotes Sadiq Khan on victim support",
            Command("quotes", speaker="Sadiq Khan", topic="victim support"),
        ),
        (
            "quotes Khan ON police on the streets",
            Command("quotes", speaker="Khan", topic="police on the streets"),
        ),
        ("speakers", Command("speakers")),
        ("topics", Command("topics")),
        ("sessions", Command("sessions")),
        ("add", Command("add")),
        ("add https://example.org/mqt", Command("add", url="https://example.org/mqt")),
        ("ADD <https://example.org/mqt|example.org/mqt>", Command("add", url="https://example.org/mqt")),
        ("add <http://example.org/a?b=1&c=2>", Command("add", url="http://example.org/a?b=1&c=2")),
        ("remove 3", Command("remove", session_id=3)),
        ("replace 12", Command("replace", session_id=12)),
        ('victim" OR *', Command("ask", question='victim" OR *')),
        ("summary 08:30", Command("summary", at="08:30")),
        ("summary at 7 pm Europe/Paris", Command("summary", at="7 pm", zone="Europe/Paris")),
        (
            "summary 07:45 UTC follow Sadiq Khan on knife crime",
            Command("summary", at="07:45", zone="UTC", speaker="Sadiq Khan", topic="knife crime"),
        ),
        ("summary 9am follow on knife crime", Command("summary", at="9am", topic="knife crime")),
        ("summary off", Command("summary", stop=True)),
        ("Summary STOP", Command("summary", stop=True)),
        ("summary", Command("summary")),
        ("SUMMARY   ", Command("summary")),
        ("summary 3", Command("summary", session_id=3)),
        ("summary 08", Command("summary", session_id=8)),
        ("summary at 8", Command("summary", at="8")),
        ("summary 8am", Command("summary", at="8am")),
        ("summary 8 UTC", Command("summary", at="8", zone="UTC")),
        ("summary of the budget debate", Command("ask", question="summary of the budget debate")),
        ("summary unfollow", Command("summary", unfollow=True)),
        ("summary UNFOLLOW Sadiq Khan", Command("summary", speaker="Sadiq Khan", unfollow=True)),
        (
            "summary unfollow Sadiq Khan on knife crime",
            Command("summary", speaker="Sadiq Khan", topic="knife crime", unfollow=True),
        ),
        ("summary unfollow on knife crime", Command("summary", topic="knife crime", unfollow=True)),
        ("summary unfollowing the budget", Command("ask", question="summary unfollowing the budget")),
    ],
)
def test_parse_command(text: str, expected: Command) -> None:
    """Subcommands are recognised; anything else is a question."""
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ask", "Ask a question"),
        ("quotes", "Name a speaker"),
        ("quotes  on victims", "Name a speaker"),
        ("remove", "Give the session id"),
        ("remove three", "Give the session id"),
        ("replace -1", "Give the session id"),
        ("ask " + "x" * 600, "over 500 characters"),
        ("summary 08:00 follow", "Say what to follow"),
        ("summary follow Khan", "Give the time first"),
        ("summary 08:00 Europe/London and more", "summary 08:30 Europe/London"),
        ("add example.org/mqt", "starting with http:// or https://"),
        ("add ftp://example.org/mqt", "starting with http:// or https://"),
        ("add https://a.example https://b.example", "Give one link"),
        ("summary unfollow on", "Say what to stop following"),
        ("summary unfollow Khan on", "Say what to stop following"),
    ],
)
def test_bad_commands_say_how_to_write_them(text: str, message: str) -> None:
    """Malformed commands raise a UsageError whose sentence shows the right form."""
    with pytest.raises(UsageError, match=message):
        parse_command(text)


@pytest.mark.parametrize(
    ("text", "moderated"),
    [
        ("summary", False),
        ("summary 3", False),
        ("summary of the budget debate", False),
        ("summary 08:30", True),
        ("summary at 8 Europe/Paris follow Khan", True),
        ("summary off", True),
        ("summary unfollow", True),
        ("summary unfollow Khan on knife crime", True),
        ("add", True),
        ("add https://example.org/mqt", True),
        ("remove 3", True),
        ("replace 3", True),
        ("sessions", False),
        ("quotes Khan", False),
    ],
)
def test_only_changes_need_a_moderator(text: str, moderated: bool) -> None:
    """Reading a summary is for members; setting or stopping the schedule, like changing sessions, is not."""
    assert parse_command(text).moderated is moderated


def test_slack_escaping_is_undone_before_parsing() -> None:
    """Slack sends & < > as entities; the core sees the characters the user typed."""
    assert unescape("Q&amp;A on &lt;tax&gt;") == "Q&A on <tax>"
    assert unescape("&amp;lt;") == "&lt;"


def test_mentions_are_stripped_from_mention_text() -> None:
    """The app's own mention (and other mention tokens) are removed before parsing."""
    assert strip_mentions("<@UBOT>  what did <!here> Khan say") == "what did Khan say"


def test_button_value_round_trips_and_rejects_garbage() -> None:
    """A Share button's value reads back to the same command; a forged one is a usage error."""
    command = Command("quotes", speaker="Khan", topic="victims")
    assert Command.from_value(command.to_value()) == command
    for bad in ("not json", '{"name": "remove", "session_id": 1}', '{"nme": "ask"}'):
        with pytest.raises(UsageError):
            Command.from_value(bad)
