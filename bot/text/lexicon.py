"""Every closed word list of the core, once: stopwords, honorifics, offices, months.

A word list kept in two places drifts (a month added to one, not the other); the language
helpers, the question reader and attribution all read these.
"""

from __future__ import annotations

# Function words and question scaffolding: never topic terms on their own.
STOPWORDS = frozenset(
    (
        "a an the of to in on for and or but nor with about what whats did does do doing done was were is "
        "are be been being am how who whom whose which when why where that this these those his her hers "
        "their theirs its it it's they them he him she we us our you your i me my mine as by at from into "
        "onto upon over under than then there here so such not no yes if else also too very just only can "
        "could would should will shall may might must have has had having get got any all some each every "
        "more most much many other another same own up down out off again further once both either "
        "neither let lets s t re ve ll d m o y say said says saying tell told think thought thinks "
        "opinion view views feel felt talk talked talking speak spoke spoken speaking discuss discussed "
        "discussing discussion mention mentioned mentions respond responded response reply replied answer "
        "answered summarise summarize summary summarised summarized elaborate elaborated explain "
        "explained regarding concerning according toward towards whether while during meeting committee "
        "group session people someone anyone everyone something anything question questions ask asked "
        "asking mr mrs ms miss dr hon"
    ).split()
)

# Words of courtesy and assent that make a turn without saying anything: "Thank you very
# much, my Lady.", "Yes, that's correct.", "Good morning, Chair." A turn of these alone is
# procedure, never a passage worth quoting on its own.
COURTESY = frozenset(
    (
        "thank thanks yes yeah yep no nope correct right okay ok sure please sorry indeed certainly "
        "absolutely quite exactly well good morning afternoon evening lady lord chair chairman chairwoman "
        "sir madam president minister fine great agreed agree true course that's it's i'm pleasure "
        "welcome fair enough understood noted apologies grateful"
    ).split()
)

# Titles before a name ("Mr Khan", "Cllr Desai"), lower-cased without the dot.
HONORIFICS = frozenset(
    (
        "mr mrs ms miss mx dr hon honourable rt right sir dame lord lady baroness professor prof cllr "
        "councillor rev reverend judge"
    ).split()
)
# Letters after a name ("Vaughan Gething AM").
SUFFIXES = frozenset(
    ["am", "ms", "mp", "msp", "mla", "mep", "td", "qc", "kc", "mbe", "obe", "cbe", "jr", "sr", "mpp", "mna"]
)

# Offices whose holder people call "the <office>".
OFFICE_WORDS = frozenset(
    (
        "mayor chair chairman chairwoman chairperson minister premier speaker president "
        "governor leader secretary commissioner clerk deputy first prime presiding officer convener "
        "convenor cabinet attorney general treasurer chancellor spokesman spokeswoman spokesperson "
        "counsel director moderator senator justice"
    ).split()
)
# Words that make an office a different office: "the shadow chancellor" is not "the chancellor".
# Bodies an office belongs to ("the council president", "the committee chair"): in the
# body's own session a role often leaves its body unsaid ("President", "Chair").
BODY_WORDS = frozenset("council committee assembly parliament senate house board commission cabinet".split())
OFFICE_MODIFIERS = frozenset("shadow deputy former vice junior acting assistant opposition".split())
# Heads of a role held for someone else: "the prime minister's official spokesman" is not the
# prime minister, so a question must ask for the spokesman to find him.
DEPENDENT_ROLE_WORDS = frozenset("spokesman spokeswoman spokesperson aide adviser advisor".split())
# What people call a party in a question, folded to a word of the party's own name.
PARTY_SYNONYMS = {
    "tory": "conservative",
    "tories": "conservative",
    "conservatives": "conservative",
    "libdem": "liberal",
    "lib": "liberal",
    "dem": "democrat",
    "dems": "democrat",
    "democratic": "democrat",
    "gop": "republican",
    "nationalist": "national",
    "snp": "national",
    "plaid": "plaid",
}

# In calendar order, so a month's number is its index + 1.
MONTH_NAMES = (
        "january february march april may june july august september october november december"
).split()
MONTHS = frozenset(MONTH_NAMES)
