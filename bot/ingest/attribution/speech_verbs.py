"""Reporting verbs of news prose: the verbs that signal speech and the words that sit before them.

The lists are general English, not tuned to any one report: verbs of saying, telling,
writing and asking in their inflected forms, the subsets that name, ask or take a hearer,
and the adverbs and auxiliaries that sit between a subject and its verb ("has also said").
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
    cited:cites:citing:touted:touts:hailed:hails:decried:decries:blamed:blames
    talked:talks:talking spoke:speaks:speaking referred:refers:referring discussed:discusses""",
)

# Forms that are also common nouns or adjectives: a cue only with a clear subject.
AMBIGUOUS_FORMS = frozenset(
    """notes claims states reports answers questions remarks counters posts charges point pressed found
    find finds show shows showed showing thought promise promises state maintain continue counter
    charge report post deny confirm note claim add ask say tell write tweet argue warn insist
    explain declare announce acknowledge admit suggest respond reply recall predict contend stress
    emphasize emphasise concede allege assert complain boast vow pledge urge joke quip repeat
    observe remark agree demand believe think estimate conclude testify mention recount reiterate
    retort yell shout caution hint indicate reveal disclose lament wonder challenged probed call
    calls called attacks attacked defends mocks welcomes rejects dismissed described cited cites""".split()
)

# Verbs that name or label something ("called the plan “a disgrace”"): what was said is
# the object and its quoted label, not the rest of the sentence.
NAMING_VERBS = _forms(
    "call:called:calls:calling describe:described:describes:describing characterized:characterizes "
    "labeled:labelled:dubbed:branded"
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
    """also then later has have had would will was is were are again previously repeatedly recently
    once further publicly privately quickly simply only just even still now never reportedly
    subsequently too often explicitly specifically angrily first initially earlier has've last this
    on monday tuesday wednesday thursday friday saturday sunday yesterday today tonight week month
    year morning evening night afternoon not did does do could might may should must can already
    ever""".split()
)
