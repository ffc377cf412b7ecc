"""The word tables of the threat grammar (``threats``): forms, glue between a verb and its target, reporting
words; and the helpers that turn the editable lists into patterns and read a target around an act."""

from __future__ import annotations

import re

from .lexicon import Span, group_label, word_graph

_ADV = (
    r"(?:(?:f[\w*]{0,5}(?:ing|in|n)|bloody|personally|literally|actually|just|really|gladly|happily|"
    r"definitely|seriously|absolutely|honestly|totally|straight up|then|all|soon|eventually|one day|also|"
    r"still|quietly|slowly|finally|going to|gonna|go|come|and|come and|go and|come round and|come over and|"
    r"come down there and|come down and|come over there and|come there and|come to your house and|"
    r"find you and|find him and|find her and|find them and|hunt you down and|track you down and|"
    r"get a gun and|get my gun and|go out and|have to|make sure i|make sure to|myself)\s+)"
)
# "I" and "we" with a modal of intent. Clear ones state intent; hedged ones ("I could", "I'd") are queued.
INTENT_CLEAR = [
    "{i|we} {'ll|will|shall|wil|wll|whill}",
    "ill",
    "{i'm|im|i am|we're|were|we are} {going to|gonna|gunna|gona|gon|goin to|going 2|goin 2}",
    "{i|we} {gonna|gunna|gona}",
    "{imma|ima|i'ma|i'mma|ima gonna}",
    "{i|we} {want to|wanna|plan to|intend to|want 2}",
    "{i'm|im|i am|we're|we are} {about to|coming to|ready to|planning to|planning on|going to go|gonna go}",
    "{i|we} swear {to god|} {i'll|ill|i will|we'll|we will}",
    "{i|we} {promise|guarantee} {i'll|ill|i will|we'll}",
    "{i|we} {can't|cant|cannot} wait to",
    "{i'd|id|i would|we'd|we would} {love|like} to",
    "{i'm|im|i am} {gonna|going to} have to",
    "{i|we}'ll have to",
    "next time {i'll|ill|i will|we'll}",
    "{i|we} {will|'ll} be {coming|going} to",
]
INTENT_HEDGED = [
    "{i|we} {could|might|may|should|would|'d|ought to|need to|have to|must|gotta|got to}",
    "{i'd|id|i would} {happily|gladly|pay someone to|pay somebody to|pay anyone to|pay good money for someone to}",
    "{i|we} feel like",
    "{i'm|im|i am} tempted to",
    "{i'm|im|i am} {going to|gonna} end up",
    "{i|we} {wish|hope} {i|we} could",
]
# "Gonna stab the next caseworker": intent with "I" left out, opening a sentence.
DROPPED_SUBJECT = re.compile(rf"(?:^|[.!?;:\n\"(])\s*(?:gonna|gunna|gona|going to|about to)\s+{_ADV}{{0,3}}$")
# Calls on others: "someone should", "let's", "time to", "can someone".
CALLS = [
    "{someone|somebody|anyone|anybody|people|everyone|everybody|y'all|you all|you guys|u guys|we all|all of you}"
    " {should|needs to|need to|has to|have to|must|ought to|oughta|gotta|got to|better|go|just|please|pls}",
    "{someone|somebody} {please|pls|plz|just|already}",
    "{someone|somebody|anyone} {needs|need} to go",
    "{let's|lets|let us} {go|all|just|} {and|}",
    "{it's|its|about|} time {to|we|someone|somebody|for someone to}",
    "{can|could|will|would|won't|wont} {someone|somebody|anyone|anybody} {please|pls|just|} {go|}",
    "{why|how come} {hasn't|hasnt|has not|didn't|didnt|doesn't|doesnt|won't|wont} {anyone|someone|somebody} {yet|}",
    "{i|we} {wish|hope|pray} {someone|somebody|anyone|some hero} {would|will|does|could}",
    "{it would|it'd|itd|wouldn't it|would it not|would} be {great|good|nice|awesome|lovely|a blessing|a public service}"
    " if {someone|somebody|anyone|some hero|one of you} {would|could|just|finally|}",
    "{we|you|u|y'all|you all|they} {should|need to|must|have to|gotta|ought to|oughta|better} {all|just|} {go|}",
    "{go|go and|just go|go on and|do the world a favour and|do us all a favour and|do everyone a favour and}",
    "{i|we} {hope|wish|pray} {someone|somebody|one day someone|one of you|some hero}",
    "{hope|hoping|hopefully|praying} {someone|somebody|one day someone|some hero}",
    "{should|shall|do} {we|i} {all|just|}",
    "{can't|cant|cannot} wait {until|till|'til|for the day|for the day when} {someone|somebody|one of you}",
    "{everyone|everybody|someone|somebody|y'all|you all|guys|lads|boys|let's|lets|we} {grab|get|bring|take|pick up}"
    " {a|your|ur|some|the|their|our} [thing] and",
    "{round them up|round em up|round 'em up|line them up|line em up|line 'em up|grab them|find them} and",
    "{who's|whos|who is|who else is|anyone} {coming|keen|in|up for it|up for} {with me|} to",
    "{who wants|anyone want|anyone wanna|who else wants|who wants} to {help me|}",
    "{join me|come with me|help me|help us} {to|and|}",
]
# Third person: "he'll", "my brother is going to" (reported or relayed intent: queued).
THIRD = [
    "{he|she|they|someone|somebody|my brother|my mates|my boys|the boys|the lads|my son|my husband|my dad|people}"
    " {'ll|will|is going to|'s going to|are going to|'re going to|is gonna|'s gonna|are gonna|'re gonna|gonna|"
    "wants to|want to|wanna|would|could|might}",
]
# Between a subject target and a participle: "[target] should be", "[target] deserve to be", "[target] will get".
_NORM_AUX = (
    r"(?:should|shud|shld|shuld|shoud|must|need to|needs to|deserve to|deserves to|ought to|oughta|have to|"
    r"has to|gotta|got to|better|can all|can|could|would|'d|to|all need to|all deserve to|should all|must all|"
    r"all should|all must)"
)
# A phrase qualifying a target before its verb: "the staff *at Bellmore* deserve ...", "muslims *in this country*".
_PP = (
    r"(?:\s+(?:at|in|from|of|on|over at|down at|who work at|working at)\s+"
    r"(?:the\s+|that\s+|this\s+|our\s+|your\s+)?[\w']+(?:\s+[\w']+)?"
    r"|\s+(?:who|that|which)(?:\s+[\w']+){1,6}?|\s+(?:there|in there|down there))?"  # "the bloke *who posted this*"
)
NORMATIVE = re.compile(  # "landlords *are parasites and* should be shot": a claim about them may come first
    rf"{_PP}(?:\s+(?:are|is|r)(?:\s+[\w'-]+){{1,4}}?\s+and)?"
    rf"\s+(?:all\s+|just\s+|really\s+|honestly\s+|seriously\s+|frankly\s+|simply\s+|literally\s+)?{_NORM_AUX}"
    rf"\s+(?:all\s+|just\s+|really\s+|simply\s+)?(?:be|b|get|go and get|be fucking|get fucking)\s+"  # "shud b shot"
    r"(?:(?:all|just|publicly|slowly|immediately|fucking|bloody|fkn)\s+)?"
)
FUTURE = re.compile(
    _PP
    + r"\s*(?:'ll|will|'re going to|are going to|is going to|'s going to|are gonna|'re gonna|is gonna|'s gonna|gonna|"
    r"r gonna|re gonna|s gonna|re going to|s going to|'re gunna|are gunna|gunna)\s+(?:all\s+|just\s+|definitely\s+|"
    r"probably\s+|soon\s+|eventually\s+)?(?:be|get|end up|end up getting|end up being|wind up)\s+"
    r"(?:(?:all|just|fucking|bloody)\s+)?"
    # "the next caseworker who hangs up on me *is getting* punched": one person, present tense for the future
    r"|" + _PP + r"\s*(?:is|'s|s)\s+(?:definitely\s+|so\s+|totally\s+)?getting\s+(?:(?:fucking|bloody)\s+)?"
)
# After a target that ends in "who" ("the people who", "anyone who", "whoever"): its clause, then the same.
AFTER_WHO = r"(?:\s+[\w']+){1,6}?"
NORMATIVE_AFTER_WHO = re.compile(AFTER_WHO + NORMATIVE.pattern)
FUTURE_AFTER_WHO = re.compile(AFTER_WHO + "(?:" + FUTURE.pattern + ")")
# Intent with a journey before the act: "I'm coming down to the office to strangle ...".
TRAVEL_TO = re.compile(
    r"(?:^|[^\w'])(?:i'm|im|i am|we're|were|we are|i'll be|ill be|i will be|we'll be|we will be)\s+"
    r"(?:coming|going|heading|driving|walking|rocking up|turning up|getting on a plane)\s+(?:[\w']+,?\s+){0,6}?to\s+$"
)
# An imperative with a journey or a round-up first: "go down to the office and ...", "Round up the caseworkers
# and ...".
CHAINED_IMPERATIVE = re.compile(
    r"(?:^|[.!?;:\n\"(])\s*(?:(?:just|please|lol|so|then|everyone|everybody|guys|lads|boys|mate|mates|ok|okay)\b[\s,]*)*"
    r"(?:go|come|head|get|drive|walk|rock|round|line|grab|find|track|hunt)\b\s+(?:[\w']+,?\s+){0,8}?and\s+"
    r"(?:then\s+)?$"
)
WISH_AFTER = re.compile(
    _PP + r"\s+(?:(?:all|both)\s+)?(?:gets?|got|is|are|to be|be|will be|'ll be|would be|'d be|were|was|being|getting|"
    r"get|all get|end up|ends up|ends up getting|end up getting|)\s*(?:(?:all|just|fucking|bloody|finally)\s+)?"
)
WISH_BEFORE = re.compile(
    r"(?:^|[^\w'])(?:i|we|i'd|id|we'd|i would|we would|i really|we really|i just|i truly|i honestly)\s*"
    r"(?:really\s+|just\s+|truly\s+|honestly\s+|sincerely\s+)?(?:hope|wish|pray|want|would love|'d love|love|"
    r"'d like|would like|can't wait for|cant wait for|cannot wait for|can't wait till|cant wait till|"
    r"can't wait until|wanna see|want to see|would love to see|'d love to see|love to see|'d like to see|"
    r"would like to see|hope to see|can't wait to see|cant wait to see|pray for|hoping|praying|"
    r"pay good money to see|pay money to see|pay to see)\s+(?:that\s+)?$"
    r"|(?:^|[^\w'])(?:hope|hoping|hopefully|praying|may|can't wait till|cant wait till|can't wait until|"
    r"cant wait until|can't wait for|cant wait for|cannot wait until|can't wait for the day|"
    r"cant wait for the day)\s+(?:that\s+)?$"
    # "let" as a wish only when it is an imperative ("let him rot", "just let them die"), not "they let him die".
    r"|(?:^|[.!?,;:\-]\s*|(?:^|\s)(?:just|please|so|then|now|i say|should|must|i'd|we'd|id|i would|we would)\s+)"
    r"let\s+$"
)
# "[target] deserve(s) a bullet": the act carries its own verb.
DESERVE = (
    "{deserve|deserves|deserved|deserving|earned|earnt|need|needs} {a bullet|bullets|death|the rope|the noose|"
    "the electric chair|a beating|a bashing|a kicking|a good beating|a good bashing|a good kicking|a good flogging|"
    "a flogging|a belting|a good belting|to die|to hang|to burn|to swing|to be dead|a slow death|torture|"
    "torture and death|to be tortured|a painful death|to be put down|a firing squad|the firing squad|the gallows|"
    "a good hiding|a punch in the face|a smack in the mouth}"
)
# "[target] will get a bullet": only what can mean nothing but killing ("will get a beating" is sport talk).
LETHAL_DUE = (
    "{should get|will get|'ll get|ll get|is going to get|are going to get|is gonna get|are gonna get|is getting|"
    "are getting|needs to get|need to get|should be given} {a bullet|a bullet in the head|bullets|the rope|"
    "the noose|the firing squad|a firing squad|the gallows|a bullet between the eyes}"
)
# What after "a bullet", "the rope" makes them something else: "a bullet train", "bullet-proof", "the rope ladder".
NOT_LETHAL_AFTER = re.compile(
    r"[\s-]*(?:train|trains|proof|point|points|journal|list|hole|holes|ant|ants|time|speed|shaped|style|of|position|"
    r"role|job|seat|award|access|ladder|ladders|checked|swing|course|bridge|climb|climbing|work|tricks|knot|knots)\b"
)
DEAR_GLUE = re.compile(_PP + r"\s+(?:(?:all|really|just|truly|honestly|clearly)\s+)?")
DYING_AUX = re.compile(
    _PP
    + r"\s+(?:all\s+|just\s+)?(?:should|must|need to|needs to|deserve to|deserves to|ought to|oughta|have to|has to|"
    r"better|can|can go|go|can all|can just|should just|should go|should all|must all|all deserve to|"
    r"should fucking|can fucking|go and|will|'ll|are going to|'re going to|is going to|'s going to|gonna|"
    r"are gonna|'re gonna|is gonna|will all|'ll all)\s+(?:all\s+|just\s+|fucking\s+|go\s+|and\s+){0,3}$"
)
DYING_FUTURE_WORDS = ("will", "'ll", "going to", "gonna")
DEATH_TO_GLUE = re.compile(r"\s+(?:(?:all|every|each)\s+(?:of\s+)?)?(?:(?:the|those|these|you|your)\s+)?")
RIGHT_GLUE = re.compile(
    r"\s*(?:(?:up|down|out)\s+)?(?:(?:all|both|every|each|every last|every single)\s+(?:one\s+)?(?:of\s+)?)?"
    r"(?:(?:the|those|these|them|some|any|more|a few|a couple of|ya|your|ur)\s+)?(?:(?:fucking|bloody|fkn|"
    r"filthy|dirty|stupid|dumb)\s+)?"
)
RIGHT_PLACE_GLUE = re.compile(r"\s*(?:(?P<particle>down|up)\s+)?(?P<article>the\s+)?")
# An imperative opens a sentence or follows "so" or "then" ("..., then shoot them"). Lead-in words count only
# when they open it themselves ("just kill them", "seriously guys, kill them"): after a subject they are part of
# a statement ("it'll just kill more pensioners", "the heat will now kill").
SENTENCE_START = re.compile(
    r"(?:^|[.!?;:\n\"(]|\b(?:so|then)\b)\s*(?:(?:just|please|pls|plz|now|so|then|seriously|honestly|guys|mate|"
    r"mates|folks|everyone|lol|lmao|ok|okay|yeah|yes|hey|oi)\b[\s,]*)*(?:@\w+\s*)*$"
)
# The sentence the threat is in ends with a question mark: "so we should kill anyone who isn't white?" asks
# (often to mock or to check what someone meant); a person reads it.
QUESTION_AFTER = re.compile(r"[^.!\n?]*\?")
# "not", or "not" then one adverb ("the nazis did not just kill jews": a denial, not an imperative).
NEGATED = re.compile(
    r"(?:n't|\bnot|\bnever|\bno one|\bnobody|\bnoone)\s*(?:(?:just|even|really|ever|only|simply|actually)\s+)?$"
)
# A possibility or a prediction, not a demand: "she would be killed for that in Iran", "you could be shot".
HYPOTHETICAL = re.compile(r"(?:\b(?:could|would|might|may)|'d)\b|\bcan\s+(?!all\b)")
# Quotation and report cues in the same sentence before the threat: read as reported, queued for a person.
_REPORTED = re.compile(
    r"[\"\u201c]|\b(?:said|says|say|saying|told|tells|telling|threatened|threatening|wrote|writes|posted|"
    r"reported|report|quote|quoted|quoting|claimed|claims|called|calling|yelled|screamed|shouted|messaged|"
    r"texted|heard|joke|joking|jokes|song|lyrics|movie|film|game|book|novel|character|screaming|shouting|yelling|"
    r"chanting|chanted|chants|screams|shouts|yells)\b"
)
_REPORT_WINDOW = 90
# After the threat: a joke marker, or the threat named as a thing ("a 'death to ...' video"): a person decides.
MENTIONED_AFTER = re.compile(
    r"(?:\W+[\w']+){0,3}?\W*(?:lol|lool|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|jks|kidding|joking|/s)\b"
    r"|\W{0,3}(?:video|vid|song|meme|post|tweet|chant|chants|chanting|sign|signs|banner|shirt|t-shirt|tshirt|"
    r"joke|jokes|comment|comments|slogan|graffiti|flag|rally|march|protest|protesters|headline|article|clip|"
    r"line|lyric|lyrics|scene|episode|movie|film|game)\b"
)
DYING_BLOCKERS = frozenset(
    "out around on up with about over onto off back tight ten loose consequences calories fat money cash through "
    "for of laughing a an the my your his her their our it this that these those bright brightly".split()
)
TRAVEL = re.compile(
    r"\b(?:come|coming|go|going|turn up|rock up|show up|drive|find|hunt|track|wait for)\b[\w\s']{0,30}\band\s+$"
)
# Forms in which the writer means a veiled act: their own intent, hedged or not, a call, an imperative.
SPEAKER_FORMS = ("first", "call", "first_hedged", "imperative")
STRONG_FORMS = {"first", "call", "imperative", "normative", "wish", "death_to"}
FORM_WORDS = {
    "first": "first-person intent",
    "first_hedged": "first-person, hedged",
    "call": "a call on others to act",
    "imperative": "an imperative",
    "third": "third-person intent",
    "future": "a prediction of harm",
    "normative": "says they deserve it",
    "hypothetical": "a possibility or prediction, not a demand",
    "wish": "a wish of harm",
    "death_to": '"death to"',
    "veiled": "a veiled threat",
}


PUNCT_TO_SPACE = str.maketrans({c: " " for c in "\"'()[]{}<>.,;:!?*_#@/\\|~`^=+-"})
_SHORT_COMMON = 5  # a first word shorter than this is a common word ("put", "take"): the prefilter reads more


def prefilter_stems(acts: dict[str, list[str]]) -> tuple[str, ...]:
    """Words whose presence lets the detector run: for each act, its first word's first five letters after a
    space (and the same with doubled letters written once, as the skeleton writes held letters); a short first
    word ("put", "run", "take") is read with what follows it: the rest of a phrase ("take out", "put a bullet")
    or the longest literal part after a placeholder ("six feet under"), else the word and a space."""
    stems: set[str] = set()
    for kind, terms in acts.items():
        for term in terms:
            words = term.rstrip("*").split()
            first = words[0]
            segments = [seg.strip() for seg in re.split(r"\[\w+\]", term.rstrip("*"))]
            if len(segments) > 1:  # a placeholder: its longest literal part ("put a bullet in", "to death")
                longest = max(segments, key=len)
                if longest == segments[0]:
                    stems.add(" " + longest + " ")
                else:
                    stems.add(" " + longest if len(longest) >= _SHORT_COMMON else " " + first + " ")
            elif len(first) >= _SHORT_COMMON or len(words) == 1 and kind in ("p", "pu", "d"):
                stems.update(" " + v for v in {first[:5], re.sub(r"(.)\1+", r"\1", first)[:5]})
            elif len(words) > 1:
                stems.add(" " + term.rstrip("*"))
            else:
                stems.add(" " + first + " ")
    return tuple(sorted(s for s in stems if len(s.strip()) >= 2))


def expand_phrases(patterns: list[str]) -> list[str]:
    from ..word_lists import expand

    out: list[str] = []
    for p in patterns:
        # "{i|we} {'ll|will}": a contraction joins the word before it ("i'll", not "i 'll").
        out.extend(" ".join(e.split()).replace(" '", "'") for e in expand(p))
    return out


def ends_with(options: list[str]) -> re.Pattern[str]:
    """A pattern that finds one of ``options`` (then optional adverbs) at the end of a left context. The
    options are written as a word trie ("i (?:'ll|will|...)"), which the regex engine reads much faster than
    a flat list of thousands of phrases; "[thing]" stands for any one word ("grab a [thing] and")."""
    return re.compile(rf"(?:^|[^\w']){_trie(expand_phrases(options))}\s+{_ADV}{{0,3}}$")


def ends_with_chained(options: list[str]) -> re.Pattern[str]:
    """A pattern for one of ``options`` followed by a few words and "and" at the end of a left context: "I'll
    wait for you after work *and* ...", "I'm going to come down there *and* ..." (no sentence break between)."""
    return re.compile(
        rf"(?:^|[^\w']){_trie(expand_phrases(options))}\s+(?P<middle>(?:[\w']+,?\s+){{1,8}}?)and\s+(?:then\s+)?$"
    )


def _trie(phrases: list[str]) -> str:
    """One regex for ``phrases`` (word sequences) with shared words written once; "[thing]" is any one word."""
    return word_graph(phrases, {"thing": r"[\w']+"})


def third_person(term: str) -> str:
    """ "kill [target]" -> "kills [target]", "bash" -> "bashes", "bury" -> "buries"."""
    head, _, rest = term.partition(" ")
    if head.endswith(("sh", "ch", "ss", "x", "z")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def targets_before(targets: list[Span], s: int, reach: int) -> list[Span]:
    """Targets ending before ``s`` (within ``reach``), nearest first and, at the same end, longest first."""
    near = [tgt for tgt in targets if tgt.end <= s and s - tgt.end <= reach]
    near.sort(key=lambda tgt: (-tgt.end, tgt.start))
    return near


def right_target(t: str, e: int, targets: list[Span], glue: re.Pattern[str]) -> Span | None:
    """The target that starts after the act ``t[:e]``, with ``glue`` between ("kill *all the* muslims"): the
    nearest, and the longest of those starting there."""
    near = [tgt for tgt in targets if e <= tgt.start <= e + 40]
    if len(near) > 1:
        near.sort(key=lambda tgt: (tgt.start, -tgt.end))
    for tgt in near:
        if glue.fullmatch(t, e, tgt.start) is not None:
            return tgt
    return None


def exact_target(start: int, end: int, targets: list[Span], t: str) -> Span | None:
    """The target filling a placeholder exactly ("beat *the minister* to death"), "their" words included."""
    words = t[start:end]
    if words in ("your", "ur", "yer", "ya"):
        return Span(start, end, words, "you")
    if words in ("his", "her"):
        return Span(start, end, words, "person")
    if words == "their":
        return Span(start, end, words, "them")
    if words.endswith("'s"):
        end -= 2
    glue = RIGHT_GLUE
    for tgt in targets:
        if tgt.end == end and tgt.start >= start and glue.fullmatch(t, start, tgt.start) is not None:
            return tgt
    return None


def negated_span(t: str, start: int, end: int) -> bool:
    return re.search(r"\b(?:not|never|n't|no longer)\b|n't", t[start:end]) is not None


def is_reported(t: str, start: int) -> bool:
    """Is there a quotation mark or a reporting word earlier in the same sentence?"""
    left = t[max(0, start - _REPORT_WINDOW) : start]
    cut = max(left.rfind("."), left.rfind("!"), left.rfind("?"), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 1 :]
    return _REPORTED.search(left) is not None


def word_start(m: re.Match[str]) -> int:
    """Where a match's first word starts (a separator the pattern took before it skipped)."""
    return m.start() + (1 if m.group()[:1] and not m.group()[:1].isalnum() else 0)


def wish_start(t: str, start: int) -> int | None:
    """Where a wish naming the target at ``start`` opens ("*I hope* all the refugees get shot"), or None."""
    window = t[max(0, start - 60) : start]
    m = WISH_BEFORE.search(WHOLE_OF.sub("", window))
    return None if m is None else start - len(window) + word_start(m)


def described(tgt: Span) -> str:
    kind = tgt.kind
    if kind == "you":
        return f"the person addressed ({tgt.term!r})"
    if kind == "minister":
        return f"the Minister or a department head ({tgt.term!r})"
    if kind == "staff":
        return f"department staff ({tgt.term!r})"
    if kind.startswith("named:"):
        return f"a listed person: {kind[6:]}"
    if kind.startswith("group:"):
        return group_label(kind, tgt.term)
    if kind == "slur":
        return "a group named by a slur"
    if kind == "place":
        return f"a building ({tgt.term!r})"
    if kind == "them":
        return f"people referred to as {tgt.term!r}"
    if kind == "someone":
        return f"unspecified people ({tgt.term!r})"
    return f"a person ({tgt.term!r})"


# "I hope *all the* refugees get shot": the whole of a group between the wish and the group.
WHOLE_OF = re.compile(r"(?:\b(?:all|both|every one|every last one|each one|the|those|these|of)\s+)+$")
# A target's possession after it ("the minister's bill"), and the possessions that are people ("the minister's kids").
POSSESSED = re.compile(r"'s?\s+[a-z]")
PERSON_POSSESSED = re.compile(
    r"'s?\s+(?:whole\s+|entire\s+|little\s+)?(?:family|families|kids|kid|children|child|wife|husband|partner|son|sons|"
    r"daughter|daughters|mum|mother|dad|father|parents|brother|sister|baby|babies|grandkids|staff|mates|friends|"
    r"girlfriend|boyfriend|people|bodyguards?|driver|secretary|adviser|advisers)\b"
)
# "I'm bringing a gun to ...": intent in the present tense.
PROGRESSIVE = re.compile(r"(?:^|[^\w'])(?:i'm|im|i am|we're|we are)\s+(?:(?:just|really|definitely|so)\s+)?$")
