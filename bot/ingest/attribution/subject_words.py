"""Words a subject phrase is read with: where it starts and ends, and what kind of thing it names.

Scanning left from a reporting verb, the closed classes (pronouns, determiners,
prepositions, conjunctions) decide where the subject phrase starts and where it cannot
reach. The phrase itself ("Conservative assembly member Shaun Bailey") is then split into
honorific, title, party, role and name; a capitalised phrase ending in an organisation word
("Sierra Club") or a plural common noun opening a sentence ("Officials") is not a person.
"""

from __future__ import annotations

SUBJECT_PRONOUNS = frozenset("he she they it we i you who which".split())
PERSONAL_PRONOUNS = {"he": "m", "she": "f"}
DETERMINERS = frozenset(
    """the a an his her their its our my your this that these those some many several one two three
    four five six seven eight nine ten most other another each every both any all""".split()
)
PREPOSITIONS = frozenset("of for to at from with in by on about among within across near".split())
# Words that end a subject phrase when scanning left from a verb.
BOUNDARY_WORDS = frozenset(
    """and but or nor that because while when whereas if as so than then though although since until
    unless after before where whether why how what whom whose not no yet is was were are be been
    being has have had do does did this said says say told added noted wrote asked also""".split()
)

HONORIFICS = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. cllr mx""".split()
)
# Titles that precede a name and are not part of it ("Senate Majority Leader Mitch McConnell").
TITLE_WORDS = frozenset(
    """president vice senator sen sen. rep rep. representative governor gov gov. mayor minister
    secretary chancellor leader chairman chairwoman chair speaker judge justice general gen gen. lt
    lt. col col. sgt sgt. officer commissioner director chief deputy attorney prime first press
    spokesman spokeswoman spokesperson member assembly house senate majority minority whip candidate
    nominee democratic republican democrat conservative labour liberal green former then-rival then
    late state federal county city council councillor councilman councilwoman ambassador pastor
    bishop pope king queen prince princess professor coach captain host anchor editor reporter
    correspondent columnist economist analyst pollster strategist adviser advisor aide founder ceo
    cfo chairperson mp mep msp am del del. delegate mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady
    cllr""".split()
)
PARTIES = {
    "conservative": "Conservative",
    "tory": "Conservative",
    "labour": "Labour",
    "liberal democrat": "Liberal Democrat",
    "lib dem": "Liberal Democrat",
    "green": "Green",
    "snp": "SNP",
    "plaid": "Plaid Cymru",
    "ukip": "UKIP",
    "reform": "Reform UK",
    "democratic": "Democratic",
    "democrat": "Democratic",
    "republican": "Republican",
    "independent": "Independent",
    "tories": "Conservative",
    "conservatives": "Conservative",
    "lib dems": "Liberal Democrat",
    "liberal democrats": "Liberal Democrat",
    "scottish national": "SNP",
}
# Parties and other groups named without an organisation word: a claim by "Labour" or
# "the Tories" is the group's, never a person's.
GROUP_NAMES = frozenset(PARTIES) | frozenset(
    [
        *"tories conservatives democrats republicans greens nationalists unionists liberals".split(),
        *["lib dems", "liberal democrats", "plaid cymru", "sinn fein", "sinn féin"],
    ]
)
# Role nouns: a description headed by one of these can refer to a person.
ROLE_NOUNS = frozenset(
    """mayor senator president governor minister secretary chancellor leader chairman chairwoman chair
    speaker judge commissioner director chief spokesman spokeswoman spokesperson member candidate
    nominee congressman congresswoman councillor councilman councilwoman ambassador pastor bishop
    professor coach captain host anchor editor columnist economist analyst pollster strategist
    adviser advisor aide founder lawmaker legislator official officer prosecutor attorney sheriff
    premier mp representative delegate treasurer convener secretary-general""".split()
)
# Last words of proper names that belong to organisations, places or things, not people.
ORG_WORDS = frozenset(
    """office police fund authority hall party committee department house council news times post
    center centre foundation association university campaign agency service services institute group
    court commission board bureau ministry government administration league union bank company
    corporation inc corp ltd network journal press tribune herald guardian telegraph review magazine
    daily weekly show radio tv television channel project report survey poll trust society club
    church school college hospital station airport street road avenue square park bridge city county
    state states kingdom republic assembly parliament senate congress army navy force forces cabinet
    treasury summit conference executive act bill program programme plan initiative fbi cia nhs bbc cnn
    gop""".split()
)
# Capitalised only because they open a sentence: never a person's name.
COMMON_SUBJECTS = frozenset(
    """officials advisers advisors aides critics analysts residents voters protesters police sources
    observers economists lawmakers legislators investigators prosecutors researchers authorities
    experts scientists doctors witnesses neighbors neighbours supporters opponents members leaders
    officers staff students parents teachers workers people others many some both several most few
    reports documents data figures polls studies records""".split()
)
