"""Write the team's functional suite, data/functional/suite.jsonl, from the templates below.

Run from the repository root: ``python scripts/build_functional_suite.py``. The output is deterministic (no random
draw: every choice is a hash of the case's class and text), so rerunning gives the same file; it is checked in.

Each line is one comment in the interchange format that ``modq check --jsonl`` and ``modq eval`` read (``id``,
``text``, ``platform``, ``account``, ``author``), with

* ``label``: the demo corpus's category for the comment (``threat``, ``hate``, ``ordinary``, ``lawful_criticism``,
  ...): a violation or not, for precision and recall;
* ``class``: what the case tests (``threat_direct``, ``guard_quoted``, ``identity_neutral`` ...; see CLASSES);
* ``expected``: what the policy must do with it: ``flag`` (at least queue it), ``must_not_auto_hide`` (a person
  decides: queueing is right, hiding is wrong) or ``must_not_flag`` (leave it alone);
* ``target``: whom the comment is about: ``commenter``, ``staff``, ``minister``, ``department``, ``group:<name>``
  or ``none``.

Hateful cases and their lawful look-alikes use the same groups, words and targets, so that a detector that keys on
a group's name or on a word, rather than on what is said about it, shows up in the per-class rates. The slurs come
from the policy's own word lists (policies/lexicons); the evasive spellings are made from them by rule (one letter
dropped, swapped or doubled, digits for letters, separators, words run together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "functional" / "suite.jsonl"
PER_CLASS = 110  # at most this many cases of each class (a deterministic sample of its combinations)

FLAG, NOT_HIDE, NOT_FLAG = "flag", "must_not_auto_hide", "must_not_flag"

# class -> (expected outcome, label, what it tests)
CLASSES: dict[str, tuple[str, str, str]] = {
    "threat_direct": (FLAG, "threat", "first-person threat of violence: intent, act, target"),
    "threat_conditional": (FLAG, "threat", "threat on a condition: 'if you ... I'll ...'"),
    "threat_normative": (FLAG, "threat", "'... deserve to be / should be [harmed]'"),
    "threat_wish": (FLAG, "threat", "wish of harm: 'I hope ... gets ...'"),
    "threat_call": (FLAG, "threat", "call to violence: 'someone should ...', 'let's go ...', 'death to ...'"),
    "threat_veiled": (FLAG, "threat", "veiled threat: 'I know where you work', 'watch your back'"),
    "threat_evasive": (FLAG, "threat", "a threat with the violent word spelt evasively"),
    "threat_idiom": (NOT_FLAG, "ordinary", "violent words in idioms: 'I'll kill it at the fun run'"),
    "hate_dehumanising": (FLAG, "hate", "'[group] are [vermin ...]', no slur"),
    "hate_exclusion": (FLAG, "hate", "expulsion and exclusion: 'should be deported', 'don't belong here'"),
    "hate_i_hate": (FLAG, "hate", "'I hate / can't stand [group]'"),
    "hate_generalised": (FLAG, "hate", "generalised negative claims about a group"),
    "hate_rights_denial": (FLAG, "hate", "denial of rights: '[group] shouldn't be allowed to vote'"),
    "identity_neutral": (NOT_FLAG, "ordinary", "neutral mention of a protected group"),
    "identity_positive": (NOT_FLAG, "ordinary", "positive mention of a protected group"),
    "slur_plain": (FLAG, "hate", "a listed slur, spelt plainly"),
    "slur_single_edit": (
        FLAG,
        "hate",
        "a listed slur of five letters or more with one letter dropped, swapped or doubled",
    ),
    "slur_digits": (FLAG, "hate", "a listed slur with digits or symbols for letters"),
    "slur_separators": (FLAG, "hate", "a listed slur with spaces, dots or dashes between its letters"),
    "slur_run_together": (FLAG, "hate", "a listed slur run together with the words around it"),
    "guard_quoted": (NOT_HIDE, "ordinary", "a quote or report of abuse: 'he called me a [slur] and I reported it'"),
    "guard_counter_speech": (NOT_HIDE, "ordinary", "counter-speech against hate"),
    "guard_negation": (NOT_HIDE, "ordinary", "negated hate: 'nobody should say [group] are [noun]'"),
    "guard_question": (NOT_HIDE, "ordinary", "a question about a word"),
    "guard_self_reference": (NOT_HIDE, "ordinary", "self-reference and reclaimed use by members of the group"),
    "guard_homonym": (NOT_HIDE, "ordinary", "a listed word in its other, innocent sense"),
    "guard_self_harm_support": (NOT_HIDE, "ordinary", "supportive or help-seeking text about self-harm"),
    "guard_undirected_profanity": (NOT_HIDE, "mild_swearing_criticism", "profanity aimed at no one"),
    "lawful_criticism": (NOT_FLAG, "lawful_criticism", "criticism of the department, the minister or staff"),
    "lawful_criticism_rough": (NOT_HIDE, "mild_swearing_criticism", "blunt criticism with mild swearing"),
}

# Protected groups as the policy names them, with Australian usage: (name, plural noun, adjective + noun form).
GROUPS: list[tuple[str, str, str]] = [
    ("muslim", "Muslims", "Muslim people"),
    ("jewish", "Jews", "Jewish people"),
    ("aboriginal", "Aboriginal people", "Aboriginal and Torres Strait Islander people"),
    ("first_nations", "First Nations people", "Indigenous people"),
    ("torres_strait", "Torres Strait Islanders", "Torres Strait Islander families"),
    ("migrant", "migrants", "migrant families"),
    ("refugee", "refugees", "refugee families"),
    ("asylum", "asylum seekers", "people seeking asylum"),
    ("chinese", "Chinese", "Chinese people"),
    ("indian", "Indians", "Indian people"),
    ("sudanese", "Sudanese", "Sudanese people"),
    ("african", "Africans", "African people"),
    ("asian", "Asians", "Asian people"),
    ("lebanese", "Lebanese", "Lebanese people"),
    ("vietnamese", "Vietnamese", "Vietnamese people"),
    ("pacific", "Pacific Islanders", "Pasifika people"),
    ("hindu", "Hindus", "Hindu people"),
    ("gay", "gays", "gay people"),
    ("lesbian", "lesbians", "lesbian women"),
    ("trans", "trans people", "transgender people"),
    ("lgbtiq", "LGBTIQ+ people", "queer people"),
    ("women", "women", "women in this state"),
    ("disability", "disabled people", "people with disability"),
    ("autistic", "autistic people", "people with autism"),
]


@dataclass(frozen=True)
class Target:
    """Whom a threat names: object form, subject form, whether a verb after it takes "-s", and its kind."""

    obj: str
    subj: str
    third: bool
    kind: str


PEOPLE: list[Target] = [
    Target("you", "you", False, "commenter"),
    Target("you and your family", "you and your family", False, "commenter"),
    Target("that idiot Dave", "that idiot Dave", True, "commenter"),
    Target("the bloke who posted this", "the bloke who posted this", True, "commenter"),
    Target("the minister", "the minister", True, "minister"),
    Target("Minister Carraway", "Minister Carraway", True, "minister"),
    Target("Helen Carraway", "Helen Carraway", True, "minister"),
    Target("Priya Raman", "Priya Raman", True, "staff"),
    Target("the Secretary", "the Secretary", True, "staff"),
    Target("Tom Whitlock", "Tom Whitlock", True, "staff"),
    Target("your staff", "your staff", False, "staff"),
    Target("the caseworker who knocked back my claim", "the caseworker who knocked back my claim", True, "staff"),
    Target("the woman at the front counter", "the woman at the front counter", True, "staff"),
    Target("everyone in that office", "everyone in that office", True, "staff"),
]


def group_targets() -> list[Target]:
    out = []
    for name, noun, adj in GROUPS:
        out.append(
            Target(
                f"every one of the {noun}" if noun[0].islower() else f"every one of those {noun}",
                noun,
                False,
                f"group:{name}",
            )
        )
        out.append(Target(f"all the {adj}", adj, False, f"group:{name}"))
    return out


THREAT_VERBS = ["kill", "stab", "shoot", "murder", "strangle", "bash", "behead", "burn", "gut", "slaughter"]
THREAT_PP = {
    "kill": "killed",
    "stab": "stabbed",
    "shoot": "shot",
    "murder": "murdered",
    "strangle": "strangled",
    "bash": "bashed",
    "behead": "beheaded",
    "burn": "burned alive",
    "gut": "gutted like a fish",
    "slaughter": "slaughtered",
    "hang": "hanged",
    "lynch": "lynched",
    "execute": "executed",
}
VERB_S = {"bash": "bashes", "slaughter": "slaughters"}

# Listed slurs (policies/lexicons/slurs.txt and slurs_reclaimed.txt) and what they target.
SLURS: list[tuple[str, str]] = [
    ("towelhead", "muslim"),
    ("raghead", "muslim"),
    ("faggot", "gay"),
    ("poofter", "gay"),
    ("boong", "aboriginal"),
    ("wetback", "migrant"),
    ("golliwog", "african"),
    ("zipperhead", "asian"),
    ("shemale", "trans"),
    ("nigger", "african"),
    ("sandnigger", "muslim"),
    ("spic", "migrant"),
    ("curry muncher", "indian"),
]
LONG_SLURS = [s for s, _ in SLURS if len(s) >= 5 and " " not in s]

DEHUMANISING = [
    "animals",
    "vermin",
    "rats",
    "cockroaches",
    "parasites",
    "a disease",
    "a plague on this country",
    "filth",
    "subhuman",
    "savages",
    "an infestation",
    "not even human",
    "a cancer",
    "beasts",
]
ACCOUNTS = [("facebook", "1000000001"), ("instagram", "17841400000000001"), ("x", "1500000000000000001")]


def h(*parts: str) -> int:
    return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12], 16)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def verb_s(verb: str) -> str:
    return VERB_S.get(verb, verb + "s")


def agree(t: Target, singular: str, plural: str) -> str:
    return singular if t.third else plural


# ----------------------------------------------------------------------------------------------------- threats
def threat_direct() -> Iterator[tuple[str, str]]:
    intents = [
        "I'm going to {v}",
        "I will {v}",
        "I'll {v}",
        "we're gonna {v}",
        "I am going to come down there and {v}",
        "I swear I'll {v}",
        "one day I'm going to {v}",
        "I'm gonna personally {v}",
        "we will {v}",
        "next time I see them I'll {v}",
    ]
    for t in PEOPLE + group_targets():
        for i in intents:
            for v in THREAT_VERBS:
                yield cap(i.format(v=v)) + f" {t.obj}", t.kind


def threat_conditional() -> Iterator[tuple[str, str]]:
    conds = [
        "If you cut my payment again",
        "If my claim gets knocked back one more time",
        "If they build that mosque here",
        "If I see {t} at the shops",
        "If this goes through",
        "Keep it up and",
        "If you lot keep ignoring me",
    ]
    results = ["I'll {v} {t}", "I will {v} {t}", "I'm going to {v} {t}", "we'll {v} {t}", "I'll come and {v} {t}"]
    for t in PEOPLE + group_targets()[::3]:
        for c in conds:
            for r in results:
                for v in THREAT_VERBS[:6]:
                    yield f"{c.format(t=t.obj)} {r.format(v=v, t=t.obj)}", t.kind


def threat_normative() -> Iterator[tuple[str, str]]:
    forms = [
        "{s} {deserve} to be {pp}",
        "{s} should be {pp}",
        "{s} ought to be {pp}",
        "{s} {need} to be {pp}",
        "{s} should all be {pp}",
        "honestly {s} should be {pp} for this",
    ]
    for t in PEOPLE[2:] + group_targets():
        for f in forms:
            for pp in THREAT_PP.values():
                text = f.format(
                    s=t.subj, pp=pp, deserve=agree(t, "deserves", "deserve"), need=agree(t, "needs", "need")
                )
                yield cap(text), t.kind


def threat_wish() -> Iterator[tuple[str, str]]:
    forms = [
        "I hope {s} {get} {pp}",
        "I hope someone {vs} {o}",
        "Hope {s} {die} in a fire",
        "I wish someone would {v} {o}",
        "I really hope {s} {get} {pp} on the way home",
        "Can't wait until someone {vs} {o}",
        "Hopefully {s} {get} {pp} soon",
    ]
    for t in PEOPLE + group_targets():
        for f in forms:
            for v in THREAT_VERBS:
                text = f.format(
                    s=t.subj,
                    o=t.obj,
                    pp=THREAT_PP[v],
                    v=v,
                    vs=verb_s(v),
                    get=agree(t, "gets", "get"),
                    die=agree(t, "dies", "die"),
                )
                yield cap(text), t.kind


def threat_call() -> Iterator[tuple[str, str]]:
    forms = [
        "Someone should {v} {o}",
        "Let's go {v} {o}",
        "Somebody needs to {v} {o}",
        "We need to {v} {o}",
        "Time to {v} {o}",
        "Round them up and {v} {o}",
        "Go and {v} {o}, all of you",
        "Death to {o}",
        "Who's coming with me to {v} {o}?",
        "Everyone grab a knife and {v} {o}",
    ]
    for t in PEOPLE[2:] + group_targets():
        for f in forms:
            for v in THREAT_VERBS:
                obj = t.subj if f.startswith("Death") else t.obj
                yield f.format(v=v, o=obj), t.kind


def threat_veiled() -> Iterator[tuple[str, str]]:
    about = [
        ("you", "commenter"),
        ("Priya Raman", "staff"),
        ("the minister", "minister"),
        ("Tom Whitlock", "staff"),
        ("Helen Carraway", "minister"),
        ("that caseworker", "staff"),
        ("your staff", "staff"),
    ]
    forms = [
        "I know where {o} {work}",
        "I know where {o} {live}",
        "Watch your back, {o}",
        "{O} had better watch {their} back",
        "I know what car {o} {drive}",
        "It would be a shame if something happened to {o}",
        "See {o} in the car park after work",
        "{O} won't feel so safe walking home tonight",
        "I've got {pos} home address now",
        "Tell {o} I'll be waiting outside the office",
        "Enjoy {pos} last week on earth",
        "{O} will get what's coming, mark my words",
    ]
    for o, kind in about:
        you = o == "you"
        plural = o == "your staff"
        for f in forms:
            text = f.format(
                o=o,
                O=cap(o),
                work="work" if you or plural else "works",
                live="live" if you or plural else "lives",
                drive="drive" if you or plural else "drives",
                their="your" if you else "their" if plural else "their",
                pos="your" if you else f"{o}'s" if not plural else "their",
            )
            yield text, kind


def evasive_word(word: str, style: int) -> str:
    """A deterministic evasive spelling of ``word``: digits, separators, a dropped, swapped or doubled letter."""
    digits = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})
    if style == 0:
        return word.translate(digits)
    if style == 1:
        return " ".join(word)
    if style == 2:
        return ".".join(word)
    if style == 3 and len(word) >= 5:
        i = len(word) // 2
        return word[:i] + word[i + 1 :]
    if style == 4 and len(word) >= 5:
        i = len(word) // 2 - 1
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if style == 5:
        i = len(word) // 2
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word.replace("i", "!").replace("a", "@").replace("o", "0")


def threat_evasive() -> Iterator[tuple[str, str]]:
    forms = ["I'm going to {v} {o}", "I will {v} {o}", "Someone should {v} {o}", "I hope someone {v}s {o}"]
    for t in PEOPLE + group_targets()[::4]:
        for f in forms:
            for v in ("kill", "murder", "shoot", "strangle", "stab", "slaughter"):
                for style in range(7):
                    ev = evasive_word(v, style)
                    if ev == v:
                        continue
                    yield f.format(v=ev, o=t.obj), t.kind


def threat_idiom() -> Iterator[tuple[str, str]]:
    texts = [
        "I'll kill it at the fun run on Sunday",
        "Dying to see the new pool open",
        "Shoot me an email with the details",
        "This heat is killing me, when do the cooling centres open?",
        "We smashed the fundraising target, thanks all",
        "The council shot down the proposal again",
        "Break a leg at the concert tonight kids",
        "I could murder a meat pie right now",
        "My feet are killing me after the walk for wellbeing",
        "The comedian at the festival absolutely killed it",
        "I'll take a stab at filling in the form",
        "Knock 'em dead at your job interview",
        "Going to bash out my submission tonight",
        "Can someone blow up the balloons for the opening?",
        "That new playground is a blast, the kids loved it",
        "The minister's speech bombed, but the plan is fine",
        "Traffic on the Monash is murder this morning",
        "We're going to crush it at trivia night",
        "I nearly died laughing at the mascot",
        "You'll kill yourself laughing at this video of the opening",
        "Pull the trigger on that booking before it sells out",
        "She's a knockout in the new ad",
        "The footy team got slaughtered on Saturday",
        "Let's hit the road early to beat the traffic",
        "Time to kill before my appointment, any cafes nearby?",
        "I'd kill for a bus that runs on time",
        "The heat is murder on my tomatoes",
        "Our team is going to destroy them in the charity match",
        "I'm dead keen on the new bike lanes",
        "Dead set the best service I've had from a government office",
        "That queue was a killer",
        "Fire away with your questions in the comments",
        "My phone died halfway through the call",
        "The old bridge will be demolished in March",
        "Stop shooting yourselves in the foot with these delays",
        "We'll burn through the budget at this rate",
        "The kids are dying to try the water park",
        "He'll kill me if I forget the forms again haha",
        "Shoot, I missed the registration deadline",
        "Just kill the old website already, the new one is better",
    ]
    for text in texts:
        yield text, "none"
        yield text.lower().rstrip(".?!") + " lol", "none"


# ----------------------------------------------------------------------------------------------------- hate
def for_groups(forms: Iterable[str], **extra: list[str]) -> Iterator[tuple[str, str]]:
    keys = list(extra)
    for name, noun, adj in GROUPS:
        for g in (noun, adj):
            for f in forms:
                if not keys:
                    yield cap(f.format(g=g)), f"group:{name}"
                    continue
                for value in extra[keys[0]]:
                    yield cap(f.format(g=g, **{keys[0]: value})), f"group:{name}"


def hate_dehumanising() -> Iterator[tuple[str, str]]:
    forms = [
        "{g} are {n}",
        "{g} are nothing but {n}",
        "all {g} are {n}",
        "{g} are just {n}, always have been",
        "Let's be honest, {g} are {n}",
        "{g} r {n}",
        "face it, {g} are {n}",
    ]
    return for_groups(forms, n=DEHUMANISING)


def hate_exclusion() -> Iterator[tuple[str, str]]:
    forms = [
        "{g} should be deported",
        "{g} don't belong here",
        "send {g} back where they came from",
        "kick all {g} out of the country",
        "{g} should not be allowed in Australia",
        "no more {g} in this suburb",
        "ban {g} from our pools",
        "get {g} out of Bellmore",
        "{g} should go back to where they belong",
        "{g} are not welcome here, get out",
        "keep {g} out of our schools",
        "deport the lot of {g}",
    ]
    return for_groups(forms)


def hate_i_hate() -> Iterator[tuple[str, str]]:
    forms = [
        "I hate {g}",
        "I can't stand {g}",
        "I despise {g}",
        "{g} make me sick",
        "I fucking hate {g}",
        "I hate all {g}",
        "honestly I can't stand {g}",
        "I loathe {g} and always will",
        "I hate {g} so much",
        "{g} disgust me",
    ]
    return for_groups(forms)


def hate_generalised() -> Iterator[tuple[str, str]]:
    forms = [
        "{g} are all criminals",
        "{g} are lazy and live off welfare",
        "all {g} are thieves",
        "{g} are ruining this country",
        "{g} are dirty",
        "{g} can't be trusted",
        "{g} are all liars",
        "every one of the {g} is a bludger",
        "{g} are a danger to our kids",
        "{g} are stupid",
        "{g} bring nothing but crime",
        "{g} are all the same, useless",
    ]
    return for_groups(forms)


def hate_rights_denial() -> Iterator[tuple[str, str]]:
    forms = [
        "{g} shouldn't be allowed to vote",
        "{g} should not get Centrelink",
        "{g} don't deserve housing",
        "{g} have no right to be here",
        "{g} shouldn't be allowed to work with kids",
        "{g} should be banned from public office",
        "{g} shouldn't be allowed to own property",
        "{g} don't deserve the same rights as us",
        "no jobs for {g}",
        "{g} should never be allowed to marry",
    ]
    return for_groups(forms)


def identity_neutral() -> Iterator[tuple[str, str]]:
    forms = [
        "Will the clinic have interpreters for {g}?",
        "The new centre will serve {g} across Bellmore",
        "How many {g} applied for the grant last year?",
        "Are there housing programs for {g}?",
        "My neighbours are {g} and we share a fence",
        "Is there a liaison officer for {g} at the department?",
        "The report has a section on {g} in regional Victoria",
        "What does the budget do for {g}?",
        "Can {g} apply for the energy rebate?",
        "The survey asked {g} about transport",
    ]
    return for_groups(forms)


def identity_positive() -> Iterator[tuple[str, str]]:
    forms = [
        "{g} make this suburb better",
        "Proud to live alongside {g}",
        "Thank you for supporting {g}",
        "{g} are welcome here",
        "Great to see the department consulting {g}",
        "Love seeing {g} in the new ad",
        "{g} have made Bellmore what it is",
        "Happy to have {g} on the advisory board",
        "Good on you for funding services for {g}",
        "{g} deserve the same respect as everyone",
    ]
    return for_groups(forms)


# ----------------------------------------------------------------------------------------------------- slurs
def slur_frames() -> list[tuple[str, str]]:
    return [
        ("shut up you {s}", "commenter"),
        ("you're a {s} and everyone knows it", "commenter"),
        ("typical {s}, get off this page", "commenter"),
        ("go home {s}", "commenter"),
        ("another {s} whinging about the budget", "commenter"),
        ("look at this {s} posting again", "commenter"),
        ("the {s} at the front counter was useless", "staff"),
        ("that {s} caseworker knocked back my claim", "staff"),
        ("Carraway is a {s} lover", "minister"),
        ("the minister is a {s}", "minister"),
        ("no {s} should get a cent", "none"),
        ("sick of every {s} in this town", "none"),
    ]


def slur_cases(spell: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    for slur, group in SLURS:
        for form in spell.get(slur, []):
            for frame, kind in slur_frames():
                yield cap(frame.format(s=form)), kind if kind != "none" else f"group:{group}"


def slur_plain() -> Iterator[tuple[str, str]]:
    return slur_cases({s: [s] for s, _ in SLURS})


def slur_single_edit() -> Iterator[tuple[str, str]]:
    spell: dict[str, list[str]] = {}
    for s in LONG_SLURS:
        forms = []
        for i in range(1, len(s) - 1):  # a dropped letter, inside the word
            forms.append(s[:i] + s[i + 1 :])
        for i in range(1, len(s) - 2):  # two neighbours swapped
            if s[i] != s[i + 1]:
                forms.append(s[:i] + s[i + 1] + s[i] + s[i + 2 :])
        for i in range(1, len(s) - 1):  # a letter doubled
            forms.append(s[: i + 1] + s[i] + s[i + 1 :])
        spell[s] = [f for f in dict.fromkeys(forms) if f != s]
    return slur_cases(spell)


def slur_digits() -> Iterator[tuple[str, str]]:
    maps = [
        {"a": "4", "e": "3", "i": "1", "o": "0"},
        {"o": "0"},
        {"i": "1", "a": "@"},
        {"e": "3", "s": "$"},
        {"o": "()", "a": "4"},
        {"g": "9", "o": "0"},
    ]
    spell = {}
    for s, _ in SLURS:
        forms = [s.translate(str.maketrans(m)) for m in maps]  # type: ignore[arg-type]
        spell[s] = [f for f in dict.fromkeys(forms) if f != s]
    return slur_cases(spell)


def slur_separators() -> Iterator[tuple[str, str]]:
    spell = {}
    for s, _ in SLURS:
        w = s.replace(" ", "")
        spell[s] = [" ".join(w), ".".join(w), "-".join(w), "_".join(w), "*".join(w)]
    return slur_cases(spell)


def slur_run_together() -> Iterator[tuple[str, str]]:
    frames = [
        ("youfilthy{s}", "commenter"),
        ("gohome{s}", "commenter"),
        ("shutupyou{s}", "commenter"),
        ("typical{s}", "commenter"),
        ("{s}sall over this page", "none"),
        ("bloody{s}s everywhere", "none"),
        ("all{s}sshouldleave", "none"),
        ("stupid{s} at the front desk", "staff"),
    ]
    for slur, group in SLURS:
        w = slur.replace(" ", "")
        for frame, kind in frames:
            yield cap(frame.format(s=w)), kind if kind != "none" else f"group:{group}"


# ----------------------------------------------------------------------------------------------------- guarded
def guard_quoted() -> Iterator[tuple[str, str]]:
    forms = [
        "He called me a {s} and I reported it",
        "Someone yelled '{s}' at my son on the tram. Reported to PTV.",
        "My daughter was called a {s} at school today and the principal did nothing",
        "A man at the bus stop called my mum a {s}. Where do we report this?",
        "Got called a {s} in the car park of your office, please do something about security",
        "The graffiti on the community hall says '{s}', can the council remove it?",
        "My grandfather was called a {s} every day at work in the 70s",
        "'{s}' is what they shouted at us. We've made a police report.",
        "A councillor called the new CEO a {s} at last night's meeting",
        "The player was suspended for calling the umpire a {s}",
    ]
    for s, group in SLURS:
        for f in forms:
            yield f.format(s=s), f"group:{group}"
    quote_forms = [
        "The man on the train said '{g} are {n}'. I told the driver.",
        "My neighbour keeps saying {g} are {n}, how do I report him?",
        "Someone wrote '{g} should be deported' on our fence. Reported to police.",
    ]
    yield from for_groups(quote_forms, n=DEHUMANISING[:4])


def guard_counter_speech() -> Iterator[tuple[str, str]]:
    forms = [
        "Saying {g} are {n} is disgusting",
        "Anyone who calls {g} {n} should be ashamed",
        "It's not ok to call {g} {n}",
        "Calling {g} {n} is racist and you know it",
        "People saying {g} should be deported need to have a hard look at themselves",
        "Stop posting that {g} are {n}, it's hate speech",
    ]
    yield from for_groups(forms, n=DEHUMANISING[:3])
    for s, group in SLURS:
        for f in (
            "Using the word '{s}' on this page is not on, mods please remove",
            "Calling people {s} is vile. Stop it.",
            "There's no place for words like {s} here",
        ):
            yield f.format(s=s), f"group:{group}"


def guard_negation() -> Iterator[tuple[str, str]]:
    forms = [
        "Nobody should say {g} are {n}",
        "{g} are not {n}, they're our neighbours",
        "No one is saying {g} are {n}",
        "{g} aren't {n} and never were",
        "I don't hate {g}, I hate this policy",
    ]
    return for_groups(forms, n=DEHUMANISING[:3])


def guard_question() -> Iterator[tuple[str, str]]:
    forms = [
        "Is '{s}' a slur? My kid heard it at school",
        "Why is {s} considered offensive?",
        "What does {s} mean? Someone used it at my son",
        "Is it ok to say {s} or is that offensive?",
        "Can someone explain why '{s}' got my comment hidden?",
        "Genuine question: where does the word {s} come from?",
    ]
    for s, group in SLURS:
        for f in forms:
            yield f.format(s=s), f"group:{group}"


def guard_self_reference() -> Iterator[tuple[str, str]]:
    texts = [
        ("As a proud poofter I'll be marching at Pride on Saturday", "gay"),
        ("Us poofters have been coming to this pool for 30 years", "gay"),
        ("Old poofter here, thanks for the rainbow crossing", "gay"),
        ("Proud dyke and mum of two, loved the new family day", "lesbian"),
        ("We dykes are running the sausage sizzle at the fair", "lesbian"),
        ("My nigga and I went to the Bellmore festival, great day", "african"),
        ("Me and my niggas loved the basketball courts", "african"),
        ("Queer and here, thanks for the Pride flag on the building", "lgbtiq"),
        ("This queer family says thank you to the staff at the clinic", "lgbtiq"),
        ("I'm a fag and proud of it, happy Midsumma everyone", "gay"),
        ("As a wog kid from Bellmore I loved the new multicultural festival", "migrant"),
        ("Us wogs did the catering for the opening, hope you liked it", "migrant"),
        ("Speaking as a tranny from the 90s, things are better now", "trans"),
        ("As a gay man, I loved the ad", "gay"),
        ("Being a queer Muslim, I'm glad the forum included us", "muslim"),
        ("I'm an autistic bloke and the sensory room is brilliant", "autistic"),
        ("I'm a spastic, my mates say it and I don't mind, but the ramps are great", "disability"),
        ("Sudanese and proud, thanks for the soccer program", "sudanese"),
        ("Lebo from Lakemba here, visiting family in Bellmore", "lebanese"),
        ("This old poof thanks you for the accessible toilets", "gay"),
    ]
    for text, group in texts:
        yield text, f"group:{group}"
        yield text.lower(), f"group:{group}"


def guard_homonym() -> Iterator[tuple[str, str]]:
    texts = [
        "Faggots and peas for tea tonight, a proper British dinner",
        "My nan's faggots recipe is the best",
        "A faggot of sticks for the fire",
        "Bought faggots from the butcher for the cook-off",
        "The kitchen at the community centre is spic and span",
        "Keep the toilets spic and span please",
        "Homo sapiens have been in Australia for 65,000 years",
        "Lost my fags at the bus stop, anyone seen them?",
        "Bumming a fag off a mate outside the office",
        "Flame retardant cladding should be mandatory",
        "The Dutch dyke held back the sea",
        "Picked up a wog from the kids, off work all week",
        "Half the office has the wog going round",
        "The golliwog doll at the museum came with a history panel",
        "Retard the timing on the old mower and it runs fine",
        "The fire retardant drop saved the township",
        "Fag ends all over the playground, can you put bins in?",
        "A tranny is what my dad called the car's transmission",
        "The ute's tranny is shot again",
        "Queer Street is what my nan called being broke",
        "Mong is a word for a mongrel dog where I grew up",
        "We saw a mongrel dog in the park",
        "Spastic colon is an old name for IBS, my GP said",
        "The boong is a rock formation? no sorry, I meant the bong",
        "Coon cheese changed its name to Cheer",
        "My grandad used to roll his own fags",
        "Gay means happy in the old carols we sang at the concert",
        "Knocker-uppers were a real job in England",
        "We had a gay old time at the Christmas party",
        "Bundles of faggots were used as fuel in old bakeries",
    ]
    for text in texts:
        yield text, "none"
        yield text + " haha", "none"


def guard_self_harm_support() -> Iterator[tuple[str, str]]:
    texts = [
        "Please don't ever kill yourself, call Lifeline on 13 11 14",
        "If you're thinking of hurting yourself, please reach out",
        "I tried to kill myself last year and the mental health team saved me",
        "Some days I want to die, where can I get help?",
        "Don't hang yourself mate, talk to someone first",
        "You don't have to end it, Beyond Blue is there 24/7",
        "My brother killed himself in March. Please fund more mental health beds",
        "I've been cutting myself again, who do I call at night?",
        "I don't want to be alive anymore, is there anyone I can talk to?",
        "Suicide took my best mate. Ask R U OK today",
        "To anyone feeling like killing themselves: you matter, please call 13 11 14",
        "Thinking about ending it all lately. Is the crisis line free?",
        "Don't kill yourself over a Centrelink debt, it's not worth it",
        "I wanted to kill myself after the robodebt letter, please fix this system",
        "Self-harm support groups in Bellmore? Asking for my daughter",
        "Never give up, nobody should kill themselves alone",
        "If your mate talks about suicide, take it seriously",
        "Please nobody go hang yourself over this, talk to us",
        "I overdosed last year. The hospital staff were amazing",
        "Kill yourself is never the answer, reach out to Lifeline",
        "Mate please don't go and kill yourself over this debt",
        "Don't you dare hang yourself, we need you here",
    ]
    for text in texts:
        yield text, "none"
        yield text.lower(), "none"
        yield text + " ❤️", "none"


def guard_undirected_profanity() -> Iterator[tuple[str, str]]:
    texts = [
        "We got to fuck off early from work for the long weekend",
        "Fucking hell what a day at the clinic",
        "Shit, I missed the bus again",
        "This weather is fucked",
        "Holy shit the new pool looks amazing",
        "We had a fucking great time at the festival",
        "Fuck yeah, finally a skate park",
        "Bloody oath, best news all year",
        "Shit happens, thanks for fixing it quickly",
        "Fucking finally! The road is open",
        "What the fuck is this weather",
        "Oh fuck, I forgot to renew my rego",
        "That's some good shit, well done",
        "Fuck me dead, the line at the office was long but the staff were great",
        "Jesus fucking Christ it's hot",
        "Arse over tit on the new footpath, but all good",
        "Crap, the form crashed again, trying later",
        "Bugger, missed the deadline",
        "Piss-poor weather for the fun run but we had a ball",
        "Damn, that new library is fucking gorgeous",
        "Fuckin oath the volunteers were legends",
        "Shit yeah, free parking at the hospital",
        "Oh shit, is the pool open on Monday?",
        "Fuck it, I'm going to the open day anyway",
        "Fucking brilliant work by the SES crew",
    ]
    for text in texts:
        yield text, "none"
        yield text.lower(), "none"


def lawful_criticism() -> Iterator[tuple[str, str]]:
    forms = [
        ("The minister has failed Bellmore. Resign now.", "minister"),
        ("Carraway's housing plan is a disgrace", "minister"),
        ("This department is incompetent and wasteful", "department"),
        ("Priya Raman should be sacked over this", "staff"),
        ("Your staff were rude and unhelpful on the phone", "staff"),
        ("Vote them out at the next election", "minister"),
        ("Pathetic excuse for a budget", "department"),
        ("Eighteen months late and over budget. Shameful.", "department"),
        ("I waited three hours and nobody could answer my question", "staff"),
        ("Helen Carraway is out of touch with regional Victoria", "minister"),
        ("The department lied about the waiting lists", "department"),
        ("Tom Whitlock's statement was spin and nothing else", "staff"),
        ("Sack the lot of them, this is a joke", "department"),
        ("You should be ashamed of how you treat carers", "department"),
        ("This is the worst run department in the state", "department"),
        ("Another useless announcement with no money behind it", "department"),
        ("My claim has been lost three times. Hopeless.", "staff"),
        ("The caseworker clearly didn't read my file", "staff"),
        ("Stop wasting money on ads and fix the hospital", "department"),
    ]
    for text, kind in forms:
        yield text, kind
        yield text.lower(), kind
        yield text.upper(), kind


def lawful_criticism_rough() -> Iterator[tuple[str, str]]:
    forms = [
        ("Bloody useless department, fix the roads", "department"),
        ("What a shit budget for Bellmore", "department"),
        ("The minister is full of crap", "minister"),
        ("This is a damn disgrace, Carraway", "minister"),
        ("Piss-poor effort from the department again", "department"),
        ("Your hotline is fucking useless", "department"),
        ("Bullshit. The clinic was never 'on time'.", "department"),
        ("Pull your bloody finger out, minister", "minister"),
        ("Crap service at the Bellmore office today", "staff"),
        ("Absolute shitshow of a rollout", "department"),
        ("Carraway's plan is a pile of shit", "minister"),
        ("The minister is a liar and a hypocrite on housing", "minister"),
        ("Stop bullshitting us about the waiting list", "department"),
    ]
    for text, kind in forms:
        yield text, kind
        yield text.lower(), kind
        yield text + "!!", kind


BUILDERS = {
    "threat_direct": threat_direct,
    "threat_conditional": threat_conditional,
    "threat_normative": threat_normative,
    "threat_wish": threat_wish,
    "threat_call": threat_call,
    "threat_veiled": threat_veiled,
    "threat_evasive": threat_evasive,
    "threat_idiom": threat_idiom,
    "hate_dehumanising": hate_dehumanising,
    "hate_exclusion": hate_exclusion,
    "hate_i_hate": hate_i_hate,
    "hate_generalised": hate_generalised,
    "hate_rights_denial": hate_rights_denial,
    "identity_neutral": identity_neutral,
    "identity_positive": identity_positive,
    "slur_plain": slur_plain,
    "slur_single_edit": slur_single_edit,
    "slur_digits": slur_digits,
    "slur_separators": slur_separators,
    "slur_run_together": slur_run_together,
    "guard_quoted": guard_quoted,
    "guard_counter_speech": guard_counter_speech,
    "guard_negation": guard_negation,
    "guard_question": guard_question,
    "guard_self_reference": guard_self_reference,
    "guard_homonym": guard_homonym,
    "guard_self_harm_support": guard_self_harm_support,
    "guard_undirected_profanity": guard_undirected_profanity,
    "lawful_criticism": lawful_criticism,
    "lawful_criticism_rough": lawful_criticism_rough,
}


def sample(cls: str, cases: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """At most PER_CLASS distinct cases, chosen by hash (stable), spread over targets, in a stable order."""
    unique = dict.fromkeys(cases)
    ranked = sorted(unique, key=lambda c: h(cls, c[0]))
    if len(ranked) <= PER_CLASS:
        return ranked
    # Round-robin over the kinds of target (commenter, staff, minister, department, group, none) so that each
    # is represented, in hash order within each.
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for c in ranked:
        by_kind.setdefault(c[1].split(":")[0], []).append(c)
    out: list[tuple[str, str]] = []
    queues = [by_kind[k] for k in sorted(by_kind)]
    i = 0
    while len(out) < PER_CLASS:
        q = queues[i % len(queues)]
        if q:
            out.append(q.pop(0))
        i += 1
    return out


def build() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for cls, builder in BUILDERS.items():
        expected, label, _ = CLASSES[cls]
        for n, (text, target) in enumerate(sample(cls, builder()), start=1):
            key = " ".join(text.split())
            if key in seen:
                continue
            seen.add(key)
            platform, account = ACCOUNTS[h("platform", text) % len(ACCOUNTS)]
            author = h("author", text) % 9000 + 1000
            rows.append(
                {
                    "id": f"fs-{cls}-{n:03d}",
                    "platform": platform,
                    "account": account,
                    "author": {"id": f"fs{author}", "handle": f"resident_{author}", "name": f"Resident {author}"},
                    "text": text,
                    "label": label,
                    "class": cls,
                    "expected": expected,
                    "target": target,
                }
            )
    return rows


def main() -> None:
    rows = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row["class"])] = counts.get(str(row["class"]), 0) + 1
    for cls, count in counts.items():
        print(f"{cls:28} {count:5}  {CLASSES[cls][0]}")
    print(f"{len(rows)} cases written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
