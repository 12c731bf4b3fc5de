"""Speaker labels of transcripts: whether a label is a name, and whose (role, party, aliases).

A label is what precedes a turn: ``Lynne Neagle AM``, ``Hon. Bill Blair (Minister of
Public Safety)``, ``MR SMITH``, ``The Chair (Hon. Anthony Rota (Nipissing, Lib.))``.
Shared by the plain-text transcript reader and the structured formats (Hansard XML,
caption voice tags), so one person gets one canonical name whichever way they arrived.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    """A word list written as one string, for long vocabularies."""
    return text.split()


# Words a label may contain in lower case (particles of names and of offices).
_CONNECTORS = frozenset(
    _words("of the for and de da das del della der den di do dos du van von le la les al el bin ibn y")
    + _words("on in to at af ap")
)

# Whole labels that look like names but introduce something other than speech.
_NOT_SPEAKERS = frozenset(
    _words("""note notes nb ps question questions answer answers q a update updates warning source
    sources date
    time subject re title agenda item location venue present apologies attendees attendance summary
    background action actions decision decisions resolved motion amendment example tip important
    correction corrections transcript video audio photo photograph image caption read more related
    also see contact email e-mail tel telephone phone fax web website url link copyright page section
    chapter part figure table appendix annex minutes recommendation recommendations conclusion
    conclusions introduction objective objectives purpose result results outcome outcomes status yes
    no total ayes noes members committee editor editors update breaking live watch listen key points
    however but and so then now here there this that well meanwhile first second third finally
    next previously last today yesterday tomorrow monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    when where why what who how which while whilst after before during since until unless if
    though although because therefore thus hence moreover furthermore additionally example
    examples reference references notice please warning disclaimer abstract keywords method methods
    findings issue issues problem problems solution response reply statement statements quote
    topic topics theme themes purpose scope aim aims goal goals step steps option options cost costs
    total totals price prices rate rates figure figures chart charts map maps author authors by
    from to cc bcc sent received attachment attachments ref our your their his her its my the""")
)

# Acronyms that can open a line in capitals without being a speaker.
_CAPS_NOT_SPEAKERS = frozenset(
    _words("nato uk us usa eu un nhs bbc covid gdp tfl gla met mps api faq pdf html ps nb ok tv ceo cfo "
    "ftse fbi cia usd gbp eur ira uda")
)

_HONORIFIC_RE = re.compile(
    r"^(?:(?:the\s+)?(?:right\s+|rt\.?\s+)?(?:hon\.?|honourable|honorable)\s+"
    r"|(?:mr|mrs|ms|miss|mx|dr|prof|professor|sir|dame|cllr|councillor|councilmember|councilman|"
    r"councilwoman|alderman|senator|sen|rep|representative|judge|justice|rev|reverend)\.?\s+)",
    re.IGNORECASE,
)
SHORT_HONORIFICS = frozenset(
    _words("mr mrs ms miss mx dr prof professor cllr councillor councilmember councilman councilwoman")
    + _words("alderman senator")
)
_POSTNOMINAL_RE = re.compile(
    r"(?:[\s,]+(?:AM|MS|MP|MSP|MLA|MEP|MHK|TD|QC|KC|OBE|MBE|CBE|KBE|DBE|PhD|JP))+\.?$"
)

# Offices that speak in their own name in a record (``The Chair:``, ``Mr Speaker:``).
_OFFICES = {
    "chair": "Chair",
    "acting chair": "Acting Chair",
    "deputy chair": "Deputy Chair",
    "vice chair": "Vice Chair",
    "chairman": "Chair",
    "chairwoman": "Chair",
    "chairperson": "Chair",
    "convener": "Convener",
    "deputy convener": "Deputy Convener",
    "speaker": "Speaker",
    "deputy speaker": "Deputy Speaker",
    "presiding officer": "Presiding Officer",
    "deputy presiding officer": "Deputy Presiding Officer",
    "president": "President",
    "clerk": "Clerk",
    "moderator": "Moderator",
    "mayor": "Mayor",
    "deputy mayor": "Deputy Mayor",
    "principal deputy speaker": "Principal Deputy Speaker",
}

_PARTIES = {
    "lab": "Labour", "labour": "Labour", "lab/co-op": "Labour Co-op", "labour co-op": "Labour Co-op",
    "con": "Conservative", "conservative": "Conservative", "ld": "Liberal Democrat",
    "lib dem": "Liberal Democrat", "liberal democrat": "Liberal Democrat", "libdem": "Liberal Democrat",
    "snp": "SNP", "green": "Green", "grn": "Green", "gp": "Green", "pc": "Plaid Cymru",
    "plaid cymru": "Plaid Cymru", "plaid": "Plaid Cymru", "dup": "DUP", "sf": "Sinn Féin",
    "sinn féin": "Sinn Féin", "sinn fein": "Sinn Féin", "sdlp": "SDLP", "uup": "UUP",
    "alliance": "Alliance", "ind": "Independent", "independent": "Independent", "reform": "Reform UK",
    "reform uk": "Reform UK", "ukip": "UKIP", "lib": "Liberal", "liberal": "Liberal", "cpc": "Conservative",
    "ndp": "NDP", "bq": "Bloc Québécois", "bloc québécois": "Bloc Québécois", "d": "Democrat",
    "dem": "Democrat", "democrat": "Democrat", "democratic": "Democrat", "r": "Republican",
    "gop": "Republican", "republican": "Republican", "i": "Independent", "tuv": "TUV", "pup": "PUP",
}

# A label opening with "The" names an office, not a person.
_TITLE_HEAD = re.compile(r"^the\s+\S", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(?:minister|secretary|chair|chairman|chairwoman|mayor|leader|member|councillor|councilmember|"
    r"president|commissioner|deputy|speaker|officer|director|chief|head|adviser|advisor|spokesperson|"
    r"spokesman|spokeswoman|whip|governor|attorney|cabinet|clerk|inspector|executive|manager|"
    r"coordinator|chancellor|premier|treasurer|solicitor|judge|justice|convener|witness|professor|"
    r"lead|advocate|representative|assistant|superintendent|constable|commander|auditor|ombudsman|registrar|"
    r"mp|am|msp|mla|ms|mep)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Speaker:
    """Who a label names: canonical name, role and party, other ways to say the name.

    ``name_start``/``name_end`` locate, within the label string, the words the canonical
    name was read from (the mention a statement's attribution rests on).
    """

    name: str
    role: str | None
    party: str | None
    aliases: tuple[str, ...]
    name_start: int
    name_end: int
    is_office: bool = False

    @property
    def key(self) -> str:
        """Case-insensitive identity within one session."""
        return self.name.casefold()


def _title_word(word: str) -> str:
    parts = re.split(r"([-'’])", word.lower())
    out = "".join(p[:1].upper() + p[1:] if i % 2 == 0 else p for i, p in enumerate(parts))
    if out.startswith("Mc") and len(out) > 2:
        out = "Mc" + out[2].upper() + out[3:]
    return out


def _fix_case(name: str) -> str:
    if any(c.islower() for c in name):
        return name
    words = name.split()
    return " ".join(
        w.lower() if i and w.lower() in _CONNECTORS else _title_word(w) for i, w in enumerate(words)
    )


def is_name_like(label: str, *, caps_only: bool = False) -> bool:
    """True if ``label`` could be a speaker's name or office, not a heading or a sentence."""
    label = label.strip()
    if not label or len(label) > 70 or any(c.isdigit() for c in label):
        return False
    if any(c in label for c in '"“”!?;,:[]{}<>=/\\|@#$%^&*_~+'):
        return False
    words = label.split()
    if not 1 <= len(words) <= 8:
        return False
    folded = label.casefold().rstrip(".")
    if folded in _NOT_SPEAKERS or (len(words) == 1 and folded in _CAPS_NOT_SPEAKERS):
        return False
    if len(words) == 1 and len(folded.replace(".", "")) < 2:
        return False
    if not words[0][:1].isupper():
        return False
    if caps_only and any(c.islower() for c in label):
        return False
    for i, w in enumerate(words):
        bare = w.strip(".'’-")
        if not bare:
            return False
        if bare[:1].isupper():
            continue
        if i and (bare in _CONNECTORS or re.match(r"^[a-z]{1,3}['’][A-Z]", bare)):
            continue
        return False
    return words[-1].strip(".").casefold() not in _CONNECTORS


def _split_top(text: str, sep: str = ",") -> list[tuple[int, str]]:
    """Split at top-level ``sep`` (not inside parentheses); keep each item's start offset."""
    out: list[tuple[int, str]] = []
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == sep and depth == 0:
            out.append((start, text[start:i]))
            start = i + 1
    out.append((start, text[start:]))
    return out


def _paren_groups(text: str) -> list[tuple[int, str]]:
    """Top-level ``(...)`` groups of ``text`` as (offset of the content, content)."""
    groups: list[tuple[int, str]] = []
    depth, start = 0, 0
    for i, c in enumerate(text):
        if c == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif c == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, text[start:i]))
    return groups


def party_of(item: str) -> str | None:
    """The party an abbreviation or name in a label stands for, if it is one."""
    return _PARTIES.get(item.strip().strip(".").casefold())


def _strip_name(raw: str) -> tuple[str, str | None, int]:
    """Remove honorifics and post-nominals; return (bare name, honorific, offset of bare)."""
    name, honorific, offset = raw, None, 0
    while True:
        m = _HONORIFIC_RE.match(name)
        if not m or len(name) == m.end():
            break
        word = m.group(0).strip().rstrip(".").split()[-1]
        honorific = honorific or word
        offset += m.end()
        name = name[m.end() :]
    pm = _POSTNOMINAL_RE.search(name)
    if pm and pm.start() > 0:
        name = name[: pm.start()]
    return name.strip(), honorific, offset


@functools.lru_cache(maxsize=8192)
def parse_speaker(label: str) -> Speaker | None:
    """Read a full label (``Name (Role, Party)``) into a ``Speaker``, or None if not a name."""
    paren_at = label.find("(")
    head = label if paren_at < 0 else label[:paren_at]
    lead = len(head) - len(head.lstrip())
    head = head.strip()
    groups = _paren_groups(label) if paren_at >= 0 else []
    if not is_name_like(head):
        return _office_holder(head, groups)
    items = [(g0 + i0, it) for g0, g in groups for i0, it in _split_top(g)]
    office = _OFFICES.get(re.sub(r"^the\s+", "", head.casefold()).rstrip("."))
    if office is None and re.match(r"^(?:mr|madam)\.?\s+(?:deputy\s+)?speaker$", head, re.I):
        office = "Deputy Speaker" if "deputy" in head.casefold() else "Speaker"
    if office is None and _TITLE_HEAD.match(head) and _ROLE_WORDS.search(head):
        # "The First Minister (Alex Salmond)", "The Cabinet Secretary for Finance": a
        # described office, never a personal name ("The Minister" is no alias of anyone).
        held = _office_holder(head, groups)
        if held is not None:
            return held
        title = " ".join(head.split())
        return Speaker(title, title[4:], None, (), lead, lead + len(head), is_office=True)
    if office and items:
        # "The Chair (Hon. Anthony Rota (Nipissing, Lib.))": the person is inside.
        first_at, first = items[0]
        inner_head = first.split("(")[0]
        if is_name_like(inner_head.strip()) and not party_of(inner_head):
            inner = parse_speaker(first.strip())
            if inner is not None and not inner.is_office:
                shift = first_at + (len(first) - len(first.lstrip()))
                return Speaker(
                    name=inner.name,
                    role=office,
                    party=inner.party,
                    aliases=inner.aliases,
                    name_start=shift + inner.name_start,
                    name_end=shift + inner.name_end,
                )
    role = None
    party = None
    for _, item in items:
        text = item.strip()
        if "(" in text:
            inner_groups = _paren_groups(text)
            for _, g in inner_groups:
                for _, sub in _split_top(g):
                    party = party or party_of(sub)
            continue
        p = party_of(text)
        if p:
            party = party or p
        elif role is None and _ROLE_WORDS.search(text) and len(text) <= 120:
            role = " ".join(text.split())
    if office:
        name = re.sub(r"^(Mr|Madam)\.", r"\1", _fix_case(head))
        if office in ("Chair", "Acting Chair", "Deputy Chair", "Vice Chair", "Convener", "Presiding Officer",
                      "Deputy Presiding Officer", "Clerk", "Deputy Convener", "Moderator"):
            name = "The " + office
        return Speaker(name, role or office, party, (), lead, lead + len(head), is_office=True)
    bare, honorific, offset = _strip_name(head)
    if not bare or not is_name_like(bare):
        return None
    bare = _fix_case(bare)
    words = bare.split()
    if len(words) == 1 and honorific and honorific.casefold() in SHORT_HONORIFICS:
        name = f"{_title_word(honorific)} {bare}"
        start, end = lead, lead + len(head)
    else:
        name = bare
        start, end = lead + offset, lead + offset + len(_strip_name(head)[0])
    aliases: list[str] = []
    fixed_head = _fix_case(head)
    if fixed_head != name:
        aliases.append(fixed_head)
    if len(words) >= 2:
        surname = words[-1]
        aliases.append(surname)
        if honorific and honorific.casefold() in SHORT_HONORIFICS:
            aliases.append(f"{_title_word(honorific)} {surname}")
        if len(words) > 2:
            aliases.append(f"{words[0]} {surname}")
    return Speaker(name, role, party, tuple(dict.fromkeys(a for a in aliases if a != name)), start, end)


def _office_holder(head: str, groups: list[tuple[int, str]]) -> Speaker | None:
    """``The Minister for Transport, … (Stewart Stevenson)``: a described office, then the person."""
    if not groups or len(head) > 160 or not head[:1].isupper() or not _ROLE_WORDS.search(head):
        return None
    if any(c in head for c in '"“”!?;:[]{}<>'):
        return None
    at, inner_text = groups[0]
    inner = parse_speaker(inner_text.strip())
    if inner is None or inner.is_office:
        return None
    shift = at + (len(inner_text) - len(inner_text.lstrip()))
    role = " ".join(re.sub(r"^the\s+", "", head, flags=re.IGNORECASE).split())
    start, end = shift + inner.name_start, shift + inner.name_end
    return Speaker(inner.name, role, inner.party, inner.aliases, start, end)


def surname_key(name: str) -> str:
    """The casefolded last word of a name, to match ``Mr Khan`` with ``Sadiq Khan``."""
    return name.split()[-1].casefold() if name.split() else ""


# Labels that open a turn without saying whose it is (debate and hearing transcripts).
_ANONYMOUS = frozenset(
    [
        *_words("unknown unidentified male female voice voices audience crosstalk inaudible unintelligible"),
        *["unidentified male", "unidentified female", "unidentified speaker", "unknown speaker"],
        *["male speaker", "female speaker", "audience member", "unidentified participant"],
    ]
)


def is_anonymous_label(label: str) -> bool:
    """``MALE``, ``(UNKNOWN)``, ``Unidentified Speaker``: a new voice the record does not name."""
    return " ".join(label.strip().strip("()").split()).casefold() in _ANONYMOUS


_LABEL_WORD = r"(?:[A-Z][A-Za-z]+|[0-9][0-9A-Za-z]{0,3})"
_CODE_LABEL_RE = re.compile(rf"^{_LABEL_WORD}(?:[ \t]+{_LABEL_WORD}){{0,3}}$")


def label_office(label: str) -> Speaker | None:
    """A bold label that names a part, not a person: ``**Lead 2B**:`` (lead counsel for module 2B).

    Only a bold label reaches here: its mark-up says it is a speaker label, so a short
    label of capitalised words and codes is taken as the part someone speaks in.
    """
    head = " ".join(label.split())
    coded = any(c.isdigit() for c in head) or _ROLE_WORDS.search(head)
    if not coded or not _CODE_LABEL_RE.match(head):
        return None
    lead = len(label) - len(label.lstrip())
    return Speaker(head, head, None, (), lead, lead + len(label.strip()), is_office=True)
