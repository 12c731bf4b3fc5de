"""Word lists that signal speech in news prose: reporting verbs and the words around them.

The lists are general English, not tuned to any one report: verbs of saying, telling,
writing and asking in their inflected forms, the adverbs and auxiliaries that sit between a
subject and its verb ("has also said"), and the small closed classes (pronouns,
determiners, prepositions) a subject phrase is scanned through.
"""

from __future__ import annotations


def _forms(spec: str) -> frozenset[str]:
    """Expand ``say:said:says:saying tell:told ...`` (every form listed explicitly)."""
    return frozenset(form for group in spec.split() for form in group.split(":"))


# Verbs whose object is what was said; every listed form is a cue.
SPEECH_VERBS = _forms(
    """say:said:says:saying tell:told:tells:telling add:added:adds:adding
    write:wrote:writes:writing tweet:tweeted:tweets:tweeting note:noted:noting
    argue:argued:argues:arguing warn:warned:warns:warning insist:insisted:insists:insisting
    claim:claimed:claiming explain:explained:explains:explaining state:stated:stating
    declare:declared:declares:declaring announce:announced:announces:announcing
    acknowledge:acknowledged:acknowledges:acknowledging admit:admitted:admits:admitting
    suggest:suggested:suggests:suggesting ask:asked:asks:asking questioned:questioning
    respond:responded:responds:responding reply:replied:replies:replying answered:answering
    continue:continued:continues:recall:recalled:recalls:recalling
    predict:predicted:predicts:predicting contend:contended:contends:contending
    maintain:maintained:maintains:stress:stressed:stresses:stressing
    emphasize:emphasized:emphasizes:emphasizing emphasise:emphasised:emphasises:emphasising
    concede:conceded:concedes:conceding allege:alleged:alleges:alleging
    assert:asserted:asserts:asserting complain:complained:complains:complaining
    boast:boasted:boasts:boasting vow:vowed:vows:vowing promise:promised:promises:promising
    pledge:pledged:pledges:pledging urge:urged:urges:urging joke:joked:jokes:joking
    quip:quipped:quips:repeat:repeated:repeats:repeating observe:observed:observes:observing
    remark:remarked:confirm:confirmed:confirms:confirming deny:denied:denies:denying
    believe:believed:believes:think:thinks:thought estimate:estimated:estimates:estimating
    conclude:concluded:concludes:concluding testify:testified:testifies:testifying
    mention:mentioned:mentions:mentioning recount:recounted:recounts reiterate:reiterated:reiterates
    counter:countered:counters:retort:retorted:retorts yell:yelled:yells:yelling
    shout:shouted:shouts:shouting caution:cautioned:cautions:cautioning hint:hinted:hints
    indicate:indicated:indicates:indicating reveal:revealed:reveals:revealing
    disclose:disclosed:discloses lament:lamented:laments:lamenting post:posted
    agree:agreed:agrees:agreeing report:reported:reporting charge:charged:charges
    point:pointed wonder:wondered:wonders:wondering demand:demanded:demands:demanding
    predicts declares writes explains acknowledges admits proclaimed:proclaims
    scoffed:scoffs sneered mused:muses muttered whispered screamed:screams chanted:chants
    pressed:quizzed:challenged:probed inquired:enquired implored:pleaded:begged
    announced:announces accused:accuses:accusing tells:recommended:recommends
    find:found:finds:show:shows:showed:showing call:called:calls:calling
    blasted:blasts:slammed:slams:criticized:criticizes:criticised:praised:praises:lauded:lauds
    condemned:condemns:attacked:attacks:mocked:mocks:dismissed:dismisses:defended:defends
    rejected:rejects:welcomed:welcomes:exhorted:described:describes:describing
    characterized:characterizes:labeled:labelled:dubbed:branded:scolded:chided
    cited:cites:citing:touted:touts:hailed:hails:decried:decries:blamed:blames""",
)

# Forms that are also common nouns or adjectives: a cue only with a clear subject.
AMBIGUOUS_FORMS = frozenset(
    """notes claims states reports answers questions remarks counters posts charges point
    pressed found find finds show shows showed showing thought promise promises state
    maintain continue counter charge report post deny confirm note claim add ask say tell write
    tweet argue warn insist explain declare announce acknowledge admit suggest respond reply
    recall predict contend stress emphasize emphasise concede allege assert complain boast vow
    pledge urge joke quip repeat observe remark agree demand believe think estimate conclude
    testify mention recount reiterate retort yell shout caution hint indicate reveal disclose
    lament wonder challenged probed call calls called attacks attacked defends mocks welcomes
    rejects dismissed described cited cites""".split()
)

# Verbs that put a question: the statement asks.
QUESTION_VERBS = _forms(
    "ask:asked:asks:asking questioned:questioning quizzed pressed wonder:wondered:wonders:wondering "
    "inquired:enquired challenged probed"
)

# Verbs whose first object is the hearer ("told reporters that ..."), skipped before content.
HEARER_VERBS = _forms(
    "tell:told:tells:telling ask:asked:asks:asking questioned:questioning quizzed pressed urge:urged:"
    "urges:urging warn:warned:warns:warning assure:assured promise:promised:promised remind:reminded "
    "challenged probed accused:accuses:accusing implored begged"
)

# Words that may sit between a subject and its reporting verb.
INTERPOSED = frozenset(
    """also then later has have had would will was is were are again previously repeatedly
    recently once further publicly privately quickly simply only just even still now never
    reportedly subsequently too often explicitly specifically angrily first initially earlier
    has've last this on monday tuesday wednesday thursday friday saturday sunday yesterday today
    tonight week month year morning evening night afternoon had not did does do could might may
    should must can already ever""".split()
)

SUBJECT_PRONOUNS = frozenset("he she they it we i you who which".split())
PERSONAL_PRONOUNS = {"he": "m", "she": "f"}
DETERMINERS = frozenset(
    "the a an his her their its our my your this that these those some many several one two three "
    "four five six seven eight nine ten most other another each every both any all".split()
)
PREPOSITIONS = frozenset("of for to at from with in by on about among within across near".split())
# Words that end a subject phrase when scanning left from a verb.
BOUNDARY_WORDS = frozenset(
    """and but or nor that because while when whereas if as so than then though although since
    until unless after before where whether why how what whom whose not no yet is was were are be
    been being has have had do does did this said says say told added noted wrote asked also""".split()
)

HONORIFICS = frozenset(
    "mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. cllr mx".split()
)
# Titles that precede a name and are not part of it ("Senate Majority Leader Mitch McConnell").
TITLE_WORDS = frozenset(
    """president vice senator sen sen. rep rep. representative governor gov gov. mayor minister
    secretary chancellor leader chairman chairwoman chair speaker judge justice general gen gen.
    lt lt. col col. sgt sgt. officer commissioner director chief deputy attorney prime first
    press spokesman spokeswoman spokesperson member assembly house senate majority minority whip
    candidate nominee democratic republican democrat conservative labour liberal green former
    then-rival then late state federal county city council councillor councilman councilwoman
    ambassador pastor bishop pope king queen prince princess professor coach captain host anchor
    editor reporter correspondent columnist economist analyst pollster strategist adviser
    advisor aide founder ceo cfo chairperson mp mep msp am del del. delegate
    mr mr. mrs mrs. ms ms. dr dr. sir dame lord lady cllr""".split()
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
}
# Role nouns: a description headed by one of these can refer to a person.
ROLE_NOUNS = frozenset(
    """mayor senator president governor minister secretary chancellor leader chairman chairwoman
    chair speaker judge commissioner director chief spokesman spokeswoman spokesperson member
    candidate nominee congressman congresswoman councillor councilman councilwoman ambassador
    pastor bishop professor coach captain host anchor editor columnist economist analyst pollster
    strategist adviser advisor aide founder lawmaker legislator official officer prosecutor
    attorney sheriff premier mp representative delegate""".split()
)
# Last words of proper names that belong to organisations, places or things, not people.
ORG_WORDS = frozenset(
    """office police fund authority hall party committee department house council news times post
    center centre foundation association university campaign agency service services institute
    group court commission board bureau ministry government administration league union bank
    company corporation inc corp ltd network journal press tribune herald guardian telegraph
    review magazine daily weekly show radio tv television channel project report survey poll
    trust society club church school college hospital station airport street road avenue square
    park bridge city county state states kingdom republic assembly parliament senate congress
    army navy force forces ministry cabinet treasury summit conference act bill law program
    programme plan initiative fbi cia nhs bbc cnn gop""".split()
)
# Capitalised only because they open a sentence: never a person's name.
COMMON_SUBJECTS = frozenset(
    """officials advisers advisors aides critics analysts residents voters protesters police
    sources observers economists lawmakers legislators investigators prosecutors researchers
    authorities experts scientists doctors witnesses neighbors neighbours supporters opponents
    members leaders officers staff students parents teachers workers people others many some
    both several most few reports documents data figures polls studies records""".split()
)
