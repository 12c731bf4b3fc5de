"""Prose attribution rules on real reports: roles, pronouns, headlines, groups, one person per record.

Each test reads an unmodified BBC News politics article (2004-05) from
``../shared/corpus/qa-dev/bbc/politics`` (BBC News dataset, Greene & Cunningham 2006;
see ``../shared/corpus/SOURCES.md``) or a PolNeAR dev article, and pins one rule of
``bot/attribution`` on the sentence it was written for.
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import pytest
from prose_statements import mention_of
from shared_data import CORPUS

from bot.ingest.attribution.prose import attribute_prose
from bot.models import Person, Statement

BBC = CORPUS / "qa-dev" / "bbc" / "politics"
POLNEAR = CORPUS / "polnear-dev" / "text"


@cache
def read(path: Path) -> tuple[str, tuple[Statement, ...], tuple[Person, ...]]:
    """The record's text, statements and people (read once per test session)."""
    text = path.read_text(encoding="utf-8")
    statements, people = attribute_prose(text)
    return text, tuple(statements), tuple(people)


def said(path: Path, words: str) -> Statement:
    """The one statement of the record whose words include the start of ``words``."""
    text, statements, _ = read(path)
    at = text.index(words)
    found = [s for s in statements if s.start <= at < s.end]
    assert len(found) == 1, found
    return found[0]


def speakers(path: Path) -> set[str]:
    """Everyone the record gives a statement to."""
    return {s.speaker for s in read(path)[1] if s.speaker}


def test_shadow_chancellor_is_not_the_chancellor() -> None:
    """128: "The shadow chancellor said …" is Oliver Letwin's, named before; "The chancellor" is Brown."""
    page = BBC / "128.txt"
    shadow = said(page, 'Mr Brown\'s "golden rule"')
    assert shadow.speaker == "Oliver Letwin"
    assert mention_of(read(page)[0], shadow) == "The shadow chancellor"
    assert said(page, "the longest period of growth").speaker == "Gordon Brown"


def test_a_spokesmans_words_are_his_role_not_his_principals() -> None:
    """027: the prime minister's official spokesman, and his "But he added:", are the role, not Tony Blair."""
    page = BBC / "027.txt"
    text, _, people = read(page)
    spokesman = said(page, "the Cabinet was still used")
    assert spokesman.speaker == "Prime minister's official spokesman"
    assert mention_of(text, spokesman) == "The prime minister's official spokesman"
    added = said(page, "You cannot, in a modern government")
    assert added.speaker == "Prime minister's official spokesman"
    assert mention_of(text, added) == "he"
    kinds = {p.name: p.kind for p in people}
    assert kinds["Prime minister's official spokesman"] == "role"
    assert "Tony Blair" not in speakers(page)


def test_unnamed_spokeswoman_of_a_named_body_is_that_bodys_spokeswoman() -> None:
    """211 and 244: "A Department for Constitutional Affairs spokeswoman said …", "… she said";
    "The Department for Education and Skills would not comment … A spokeswoman said: …"."""
    dca, dca_role = BBC / "211.txt", "Department for Constitutional Affairs spokeswoman"
    assert said(dca, "Lord Woolf and Lord Falconer agreed").speaker == dca_role
    assert said(dca, "Their disagreement is about").speaker == dca_role
    dfes, dfes_role = BBC / "244.txt", "Department for Education and Skills spokeswoman"
    assert said(dfes, "It is not news that Ms Kelly").speaker == dfes_role
    assert said(dfes, "claims Ms Kelly was in charge").speaker == dfes_role
    # An unnamed spokesman with no body named just before stays unknown: two may be two people.
    statements, _ = attribute_prose("Mr Smith left early.\n\nA spokesman said the talks had failed.")
    assert [s.speaker for s in statements] == [None]


def test_party_role_resolves_to_the_partys_person() -> None:
    """174: "The Scottish National Party's parliamentary leader argued …", then "She said:": Sturgeon."""
    page = BBC / "174.txt"
    assert said(page, "under the law, authorisation").speaker == "Nicola Sturgeon"
    assert said(page, "The Scottish Executive seemed to indicate").speaker == "Nicola Sturgeon"


def test_pronoun_goes_to_the_subject_not_a_person_only_mentioned() -> None:
    """128: "He also promised …" is Brown's (the subject), not Mandelson's (only in "a warning from")."""
    page = BBC / "128.txt"
    promised = said(page, "to increase free nursery education")
    assert promised.speaker == "Gordon Brown"
    assert "Peter Mandelson" not in speakers(page)


def test_a_role_given_to_nobody_is_the_salient_person_it_fits() -> None:
    """007: "The prime minister ratcheted up … He insisted" sits between a paragraph about Dr Fox
    (the Tory co-chairman) and one about Mr Blair: the role and its "He" are Tony Blair's.
    327: the lead "The attorney general has denied …" is Lord Goldsmith, named in the headline
    and in the next paragraph."""
    page = BBC / "007.txt"
    insisted = said(page, "he did not know the poll date")
    assert insisted.speaker == "Tony Blair"
    assert mention_of(read(page)[0], insisted) == "He"
    goldsmith = BBC / "327.txt"
    assert said(goldsmith, "his statement to Parliament about the legality").speaker == "Goldsmith"
    assert next(p for p in read(goldsmith)[2] if p.name == "Goldsmith").role == "attorney general"


def test_a_role_whose_salient_person_has_another_title_stays_unresolved() -> None:
    """211: "The UK's top judge has revealed …", and the next paragraph is about Lord Woolf, whom the
    record calls Lord Chief Justice: another title, so the lead stays unattributed (and Lord
    Hutton, only named as a possessor there, is never a candidate)."""
    lead = said(BBC / "211.txt", "he has clashed with ministers")
    assert lead.speaker is None


@pytest.mark.parametrize("name", ["007.txt", "019.txt", "327.txt", "408.txt"])
def test_headline_is_not_a_statement(name: str) -> None:
    """The first line of a BBC report is its headline: no statement comes from it."""
    text, statements, _ = read(BBC / name)
    headline_end = text.index("\n")
    assert not [s for s in statements if s.start < headline_end]


def test_title_case_headline_is_not_a_person() -> None:
    """A PolNeAR title-case headline is not a name for a later role ("The Democratic nominee") to take."""
    page = next(POLNEAR.glob("huff-post_2016-09-27_hillary-clinton-goe*.txt"))
    attacked = said(page, "her opponent as a fraud")
    assert attacked.speaker is None or len(attacked.speaker.split()) <= 3
    assert all(len(name.split()) <= 3 for name in speakers(page))


def test_role_before_an_honorific_is_the_role() -> None:
    """007: "former Tory Treasurer Lord Ashcroft" is the person Lord Ashcroft, a Conservative treasurer."""
    _, _, people = read(BBC / "007.txt")
    ashcroft = [p for p in people if "Ashcroft" in p.name]
    assert len(ashcroft) == 1
    person = ashcroft[0]
    assert "Treasurer" not in person.name and "Tory" not in person.name
    assert "Lord Ashcroft" in (person.name, *person.aliases)
    assert person.party == "Conservative"
    assert person.role is not None and "treasurer" in person.role


def test_parties_and_bodies_are_not_people() -> None:
    """408's "Labour" and 019's "the Scottish Executive" speak as groups: their claims are unattributed."""
    assert said(BBC / "019.txt", "Mr McConnell was speaking about adults").speaker is None
    assert "Labour" not in speakers(BBC / "408.txt")
    assert not {s for s in speakers(BBC / "019.txt") if "Executive" in s or "Alcohol" in s}


def test_one_person_one_speaker() -> None:
    """027: "Lord Butler", "Butler" and "Robin Butler" (named so in a quotation) are one speaker."""
    page = BBC / "027.txt"
    butlers = {name for name in speakers(page) if "Butler" in name}
    assert butlers == {"Robin Butler"}
    person = next(p for p in read(page)[2] if p.name == "Robin Butler")
    assert "Lord Butler" in person.aliases
    assert said(page, "Mr Blair bypassed the Cabinet").speaker == "Robin Butler"


def test_surname_and_full_name_are_one_person() -> None:
    """007: "Mr Blair" in Gateshead is Tony Blair, named in full in the first sentence."""
    assert said(BBC / "007.txt", "I have the same passion and hunger").speaker == "Tony Blair"


def test_saying_colon_gives_the_quotation_itself() -> None:
    """007: ", saying: “It's a fight …”" is a direct quotation, not a span opening with ': "'."""
    fight = said(BBC / "007.txt", "It's a fight for the future")
    assert fight.kind == "direct"
    assert fight.text.startswith("It's a fight")
    assert fight.speaker == "Tony Blair"


def test_telling_clause_is_its_own_statement() -> None:
    """408: "…, telling Radio 4's PM programme that Labour was not “rattled”" is split off, hearer skipped."""
    page = BBC / "408.txt"
    told = said(page, 'Labour was not "rattled"')
    assert told.text == 'Labour was not "rattled"'
    assert told.speaker == "Margaret Beckett"
    assert not [s for s in read(page)[1] if ", telling" in s.text]


def test_stage_direction_and_tagline_are_not_statements() -> None:
    """A quoted transcript's "(CROSSTALK.)" and the author's "Follow … on Twitter @…" are no one's words."""
    page = next(POLNEAR.glob("breitbart_2016-09-25_pence-gennifer-flowers*.txt"))
    text, statements, _ = read(page)
    assert text.count("(CROSSTALK.)") == 2
    assert not [s for s in statements if "CROSSTALK" in s.text or "Follow Pam Key" in s.text]
    assert said(page, "Well, look, Hillary Clinton apparently thinks").speaker is not None


def test_participle_clause_shares_the_main_subject() -> None:
    """"Trump was similarly defensive when … an architect who said …, saying, “Maybe he …”" is Trump's."""
    page = next(POLNEAR.glob("huff-post_2016-09-27_hillary-clinton-goe*.txt"))
    maybe = said(page, "Maybe he didn’t do a good job")
    assert maybe.kind == "direct"
    assert mention_of(read(page)[0], maybe) == "Trump"


def test_hard_wrapped_lines_are_not_headings() -> None:
    """128 re-wrapped at 60 columns, a blank line between lines (as saved transcripts are): lines are read."""
    body = (BBC / "128.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    lines = textwrap.wrap(body, 60)
    wrapped = "\n\n".join(lines)
    offsets, at = [], 0
    for line in lines:
        offsets.append(wrapped.index(line, at))
        at = offsets[-1] + len(line)
    # Lines with no quotation mark, continued by a lower-case line: alone, they would look like headings.
    mid = [
        (offsets[n], offsets[n] + len(line))
        for n, line in enumerate(lines[:-1])
        if lines[n + 1][0].islower() and '"' not in line
    ]
    assert len(mid) > 10
    statements = attribute_prose(wrapped)[0]
    assert [s for s in statements if any(a <= s.start < b for a, b in mid)]
    assert {"Oliver Letwin", "Gordon Brown"} <= {s.speaker for s in statements}


def test_subject_of_a_passive_reporting_verb_is_not_the_speaker() -> None:
    """244: "Ms Kelly, who is Catholic, is reported to be “pro-life”" is said about her, not by her."""
    reported = said(BBC / "244.txt", 'to be "pro-life"')
    assert reported.speaker is None
    assert said(BBC / "013.txt", "if there had there been a quota").speaker is None  # "was asked about"
