"""The hate detector's grammar words: what stands between a group and what is said of it, what makes a claim
about some of a group or someone in particular, and the cues that leave a finding for a person."""

from __future__ import annotations

import re

# "[group] are ...", and likenings: "[group] remind me of rats", "[group] act like animals".
COPULA = r"\s+(?:are|r|is|'re|were|be|=|remind me of|remind us of|act like|behave like|tend to be|are known to be)"
# "every one of the [group] is ...": the group's whole, said one by one.
INTENSIFIERS = (
    r"(?:\s+(?:all|just|only|nothing but|nothing more than|little more than|no better than|worse than|basically|"
    r"literally|simply|such|so|really|truly|totally|mostly|always|naturally|inherently|genetically|all just|"
    r"a bunch of|a pack of|a load of|a lot of|the|fucking|fkn|bloody|filthy|dirty|disgusting|stupid|dumb|"
    r"lazy|like|obviously|clearly|seriously|honestly|actually|definitely|all fucking|still|foreign|illegal|"
    r"invading|worthless|useless|vile|evil|smelly|stinking|rotten|savage|backward|third world|diseased))*"
)
# A phrase qualifying the group before what is said of it: "women *in this state* are ...".
PP = (
    r"(?:\s+(?:in|from|at|around|across|of|living in|who live in|over in|down at)\s+"
    r"(?:this|the|our|my|that|these|those)?\s*[\w']+(?:\s+(?:state|country|suburb|area|town|city|street|estate))?)?"
)
SUBJECT = (
    r"(?:i|we|i just|i really|i fucking|i fkn|i fuckin|i freaking|i friggin|i bloody|i seriously|i honestly|"
    r"i genuinely|honestly i|i absolutely|i truly|i'm|im|we're|"
    r"i am|we are|i still|i'll always|i will always|i always)"
)
DET = (
    r"(?:(?:all|every|each)\s+(?:of\s+)?)?(?:(?:the|these|those|them|you|your|ur|fucking|bloody|filthy|dirty|"
    r"stinking|lot of|whole lot of)\s+){0,3}"
)
# Words that abuse someone as a member of a group ("you *filthy* Muslim"); not "bloody" ("you bloody Aussies"
# is as often praise).
ABUSED_AS = (
    r"(?:filthy|dirty|stinking|stinky|smelly|grubby|feral|disgusting|stupid|dumb|lazy|greedy|useless|worthless|"
    r"sneaky|typical|fucking|fkn)"
)
# The reader, addressed ("you filthy Muslim", "ya dirty refugee", "you Muslim dog").
YOU = r"(?:^|[^\w'])(?:you|ya|u|yer)\s+"
ADVERBS = r"(?:\s+(?:all|just|really|always|only|basically|literally|mostly|simply|clearly|obviously|still))*"
# Words after a group phrase that make it an adjective for a thing ("Chinese food", "Muslim holidays") or a
# possessive, so the group is not what is talked about.
CLOSED_AFTER = frozenset(
    "and or but because cause coz cos who that which they them are is were was in here there anymore so too all "
    "with for at to from as like since when the now either much more ever lol smh tbh honestly seriously period "
    "full stop end of story already honestly anyway though tho too, . ! ? ; :".split()
)
# "some [group]", "not all [group]": not a claim about the group.
PARTIAL = re.compile(
    r"(?:\b(?:some|a few|few|not all|not every|(?<!too )(?<!so )many|certain|one|two|three|a couple of|a handful of|"
    r"individual)"
    r"(?:\s+of(?:\s+(?:the|these|those))?)?\s+$)"
)
WHOLE = re.compile(r"\b(?:every|each|every single|all)\s+one\s+of\s+(?:the|these|those)?\s*$")
NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|no one|nobody|noone|don't|dont|do not|doesn't|stop|quit|isn't|wasn't|false|myth|wrong|"
    r"racist|bigoted|disgusting)\b[^.!?]*$"
)
REPORTED = re.compile(
    r"[\"\u201c\u2018]|\b(?:said|says|say|saying|told|tells|telling|wrote|writes|posted|reported|report|"
    r"quote|quoted|quoting|claimed|claims|claim|called|calling|yelled|screamed|shouted|heard|hear|think|thinks|"
    r"thinking|imagine|imagining|believe|believes|pretend|pretends|keeps saying|keep saying|imply|implies|"
    r"implying|suggest|suggests|argue|argues|arguing|why do|why does|how can|is it true)\b"
)
STOP = frozenset(
    "the a an of with living who people persons person folk folks every each any one single like those these "
    "first all".split()
)
QUESTION_AFTER = re.compile(r"[^.!\n]{0,80}\?")
# "... they say", "... is what he told me": the words are someone else's.
REPORTED_AFTER = re.compile(
    r"\W{0,4}(?:they|he|she|people|some|someone|somebody|the media|media|the left|leftists|libs|liberals|you|"
    r"my \w+|his \w+|her \w+|that's what|is what|was what)\s+(?:say|says|said|claim|claims|claimed|think|thinks|"
    r"told|tell|tells|keep saying|keeps saying|reckon|reckons|wrote|posted|yelled|shouted)\b"
)
# "[group], they're ___": a claim about them all, said after the group with a pronoun.
THEY = r"\s*(?:[,\-?:.!]+\s*)?(?:they're|theyre|they are|they r|they)(?=\s)"
# "typical" before a group or one member, and what may not come before it ("not typical Muslim behaviour").
TYPICAL = re.compile(r"(?P<typical>\btypical)\s+(?:(?:fucking|fkn|bloody|fuckin)\s+)?$")
NOT_TYPICAL = re.compile(
    r"\b(?:not|isn't|isnt|aren't|arent|wasn't|wasnt|nothing|hardly|far from|never)\s+(?:(?:a|an|the|very|that|so)\s+)?$"
)
# "Typical woman!": "typical" opens the sentence (or follows "so", "just", "how", "that's") and the group closes it.
OPENS = re.compile(
    r"(?:^|[.!?;:,\-(\n]|\b(?:so|just|how|that's|thats|that is|its|it's|such|bloody|fucking|soo+|sooo+|again|yep|yeah))"
    r"\s*$"
)
CLOSES = re.compile(r"\s*(?:$|[.!?,;:\u2026)]|[^\w\s'\-]|(?:lol|smh|again|eh|mate|as usual|as always)\b)")
# The writer, refusing: "I'd never hire", "we won't rent to", "my business will never serve".
REFUSER = (
    r"(?:i|we|i'd|id|we'd|i'll|ill|we'll|i'm|im|we're|i would|we would|i will|we will|i just|i personally|you|one|"
    r"personally i|honestly i|my company|my business|our company|our business|my shop|our shop|my firm|our firm)"
)
# A word that makes the group an object: a preposition or a verb done to it ("against", "abuse", "support").
OBJECT_BEFORE = re.compile(
    r"\b(?:against|towards|toward|about|for|to|at|by|with|on|from|over|abuse|abuses|abusing|abused|attack|attacks|"
    r"attacking|attacked|hate|hates|hating|hurt|hurts|hurting|target|targets|targeting|targetting|harass|harassing|"
    r"harassed|bully|bullies|bullying|bullied|discriminate|discriminating|discrimination|racism|violence|protect|"
    r"protecting|support|supporting|help|helping|welcome|welcoming|blame|blaming|blames|hatred of|fear of|"
    r"vilification of|vilifying|persecution of|persecuting|treatment of|mistreatment of|demonising|demonizing)\s+"
    r"(?:(?:the|these|those|our|all|all the|many|local)\s+)?$"
)
ONE_OF_THEM = re.compile(r"(?:^|\s)(?:a|an|any|every)\s+$")
# Someone in particular: "a man *who* hits women", "a woman *with* no experience".
SOMEONE_IN_PARTICULAR = re.compile(r"\s+(?:who|whom|that|which|with|without|like|unless|if|whose)\b")
KIND_WORDS = {
    "dehumanising": "dehumanising statement",
    "expulsion": "exclusion or expulsion",
    "hatred": "hatred",
    "attribute": "generalised negative claim",
    "rights": "denial of rights",
}


def split(entries: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Entries without "[group]" (said before the group), "[group] ..." (after it) and "... [group] ..." (both)."""
    before: list[str] = []
    after: list[str] = []
    both: list[tuple[str, str]] = []
    for e in entries:
        if "[group]" not in e:
            before.append(e)
            continue
        b, _, a = (part.strip() for part in e.partition("[group]"))
        if b and a:
            both.append((b, a))
        elif a:
            after.append(a)
        elif b:
            before.append(b)
    return before, after, both


def grouped(pairs: list[tuple[str, str]]) -> list[tuple[list[str], list[str]]]:
    """``(before, after)`` pairs gathered into the fewest (befores, afters) whose every combination is a pair:
    befores that take the same set of afters go together, in the order they first appear."""
    afters: dict[str, set[str]] = {}
    for b, a in pairs:
        afters.setdefault(b, set()).add(a)
    out: dict[frozenset[str], list[str]] = {}
    for b, aset in afters.items():
        out.setdefault(frozenset(aset), []).append(b)
    return [(bs, sorted(aset)) for aset, bs in out.items()]


def ends_group(t: str, end: int) -> bool:
    """Does the group phrase end a noun phrase here (not "Chinese *food*", "Muslim *holidays*")?"""
    m = re.match(r"\s*([\w']+|[^\w\s])?", t[end : end + 30])
    word = m.group(1) if m else None
    return word is None or word in CLOSED_AFTER or not word[:1].isalpha()


def guarded(t: str, start: int, end: int) -> bool:
    """Quoted, reported, negated or asked: a person decides."""
    left = t[max(0, start - 90) : start]
    cut = max(left.rfind("."), left.rfind("!"), left.rfind("?"), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 1 :]
    if REPORTED.search(left) or NEGATION_BEFORE.search(left) or REPORTED_AFTER.match(t, end):
        return True
    return QUESTION_AFTER.match(t, end) is not None and "?" in t[end : end + 80].split(".")[0]


# "So typical of women": the same judgement of a whole group, said with "of" (the group closes the clause).
TYPICAL_OF = re.compile(
    r"(?:^|[.!?;:,\-(\n]|\b(?:so|just|how|that's|thats|that is|its|it's|soo+|again|yep|yeah))\s*typical\s+of\s+"
    r"(?:(?:the|those|these|them|you|fucking|bloody)\s+){0,2}$"
)
CLOSES_CLAUSE = CLOSES
# Told to leave, right after the group and closing the sentence: "Africans go home", "migrants get out!".
EXPEL_NOW = (
    r"(?:go|get|fuck off|piss off|bugger off|rack off|clear off|nick off|shoo|go on|just go)\s+(?:back\s+)?"
    r"(?:home|out|back)(?:\s+(?:now|already|then|and stay there|where you belong|where they belong))?"
)
# A call on "them" after the group and a pause: "Refugees? Send them all back", "Muslims, deport them".
EXPEL_THEM = (
    r"(?:send|ship|fly)\s+(?:them|em|'em)\s+(?:all\s+)?(?:back|home|away|out)"
    r"|deport\s+(?:them|em|'em)|(?:kick|boot|throw|chuck|get|keep)\s+(?:them|em|'em)\s+(?:all\s+)?out"
    r"(?:\s*(?:$|[.!,;?])|\s+(?:of|now|already|for good)\b)"
    r"|get\s+rid\s+of\s+(?:them|em|'em)|turn\s+(?:them|em|'em)\s+(?:all\s+)?(?:back|away)"
)


# "It's not ok to call Lebanese rats": the group is called the word, not named by the two together.
CALLING = re.compile(r"\bcall(?:s|ed|ing)?\s+(?:all\s+|the\s+|them\s+)?$")

# "Too many Indians here", "way too many Chinese!": the number of a group's members is the complaint, with the
# group closing the sentence ("too many women are dying from violence" is not read).
TOO_MANY = re.compile(
    r"(?:^|[^\w'])(?:too|far too|way too|so bloody|so fucking) many\s+(?:bloody\s+|fucking\s+|fkn\s+)?$"
)
TOO_MANY_AFTER = re.compile(
    r"(?:\s+(?:here|around here|these days|nowadays|already|everywhere|now|coming in|getting in|being let in|"
    r"in (?:this|our|my) (?:country|suburb|suburbs|town|city|state|street|area)|in australia))?\s*(?:$|[.!?,;])"
)
# "We queer freaks will be at Pride": the writer's own group, called a word in fun or reclaimed.
SELF_BEFORE = re.compile(r"(?:^|[^\w'])(?:we|us|i'm a|im a|i am a|as a|fellow|proud)\s+$")
# "you Muslim dog": the reader abused as a member, with an animal's name that called.txt leaves out.
YOU_BEFORE = re.compile(YOU + "$")
ANIMAL_AFTER = re.compile(r"\s+(?:dog|mongrel|pig|swine|animal|rat|monkey|ape|cow|bitch)\b")
# "I don't think Muslims are human": humanity denied by the writer's disbelief, the clause closing after it.
DISBELIEF_BEFORE = re.compile(
    r"(?:^|[^\w'])(?:i|we)\s+(?:honestly\s+|really\s+|genuinely\s+|just\s+|still\s+)?"
    r"(?:don't|dont|do not|never)\s+(?:think|believe|consider)\s+" + DET + "$"
)
HUMAN_AFTER = re.compile(
    rf"{COPULA}\s+(?:even\s+|really\s+|fully\s+)?(?:human|humans|human beings|people|real people)"
    r"(?=\s*(?:$|[.!?,;]|\s(?:at all|either|anymore|really|tbh|honestly)\b))"
)


def not_the_subject(left: str) -> bool:
    """Is a group after ``left`` only some of it ("not all"), or what something is done to ("hate against")?"""
    return OBJECT_BEFORE.search(left) is not None or (PARTIAL.search(left) is not None and not WHOLE.search(left))


def rights_pattern(rights: str) -> str:
    """What is said after a group that denies it ``rights`` (an alternation of the rights list): "shouldn't be
    allowed to vote", "don't deserve welfare", "have no right to ...", "should be kept out of schools"."""
    return (
        rf"{PP}{ADVERBS}\s+(?:should not|shouldn't|shouldnt|should never|must not|mustn't|can't|"
        rf"cannot|cant|"
        rf"should no longer|shouldn't ever|should not ever)\s+(?:be\s+(?:allowed|able|permitted|let)\s+to|"
        rf"get\s+to|have\s+the\s+right\s+to|ever\s+be\s+allowed\s+to)\s+{rights}\b"
        rf"|{PP}{ADVERBS}\s+(?:shouldn't|shouldnt|should not|should never|must never|must not)\s+"
        rf"{rights}(?:\s*$|\s*[.!,;]|\s+(?:either|at all|anymore|ever|period)\b)"
        rf"|{PP}{ADVERBS}\s+(?:don't|dont|do not|doesn't|does not|shouldn't|should not)\s+"
        rf"(?:deserve|get|have a right to|need)\s+(?:any\s+|to\s+|the\s+)?{rights}\b"
        rf"|{PP}{ADVERBS}\s+(?:have|has|got)\s+no\s+(?:right|place|business)\s+(?:to\s+|in\s+|being\s+)?"
        rf"{rights}\b"
        rf"|{PP}{ADVERBS}\s+(?:should|must|need to|needs to)\s+(?:all\s+)?be\s+"
        rf"(?:banned|barred|excluded|stopped|kept|removed)\s+from\s+{rights}\b"
        rf"|{PP}{ADVERBS}\s+(?:should|must|need to|needs to)\s+(?:all\s+)?be\s+kept\s+out\s+of\s+"
        rf"{rights}\b"
    )


# A good quality denied ("[group] are never trustworthy", "can't be trusted") and the words that may sit between
# the denial and the quality ("not very smart", "never any good").
DENIED = (
    r"(?:\s+(?:are|r|is|were)\s+(?:not|never|rarely|seldom|not ever|never ever)|\s+(?:aren't|arent|isn't|isnt|weren't)"
    r"|\s+(?:can|could|will|would)\s+(?:not|never)\s+be|\s+(?:can't|cant|cannot|won't|wont|couldn't)\s+(?:ever\s+)?be)"
)
VIRTUE_ADVERBS = r"(?:\s+(?:very|really|truly|that|so|particularly|exactly|ever|even|remotely))*"
# "No woman is ...": every member denied it, opening a sentence.
NONE_OF_THEM = re.compile(r"(?:^|[.!?]\s*)(?P<no>no)\s+(?:single\s+)?$")
NONE_ARE = r"\s+(?:is|will ever be|can ever be|could ever be|has ever been|can be|will be|is ever|is really)(?=\s)"
NONE_TRUSTED = r"\s+(?:can|could|should)\s+(?:ever\s+)?be\s+trusted\b"  # "No Muslim can be trusted"
# The writer's hatred of "them" after a group is named ("Trans people? I can't stand them"): how far it is read.
THEM_ALL = r"(?:them|'em|em|them all|all of them|every one of them|every last one of them|the lot of them)"
LATER_WINDOW = 160
# Words of the exclusion and denial lists this long are read in their evasive spellings too.
LONG_WORD = 6
EVERYDAY_ZIPF = 4.5  # ... unless a word this common (Zipf scale): "should", "office", "support"
