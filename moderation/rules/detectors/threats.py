"""Threats of violence read by their grammar (clause 3): who means it, what act, against whom.

A threat needs three parts, each from a list comms and legal staff can edit (``policies/lexicons/threats/``):

* a **violent act**: a verb ("I will *stab* you"), a past participle ("they should be *hanged*"), an intransitive
  harm ("I hope you *die*") or "death to";
* a **target** where the grammar puts the person: a person ("you", "him", "your family"), the department's staff,
  the Minister, a listed person (``accounts.toml``), a protected group (``lexicons/groups/``) or, for acts of
  destruction, a building;
* a **form** that makes it meant rather than reported: first-person intent ("I'll", "we're going to", "imma"),
  a call ("someone should", "let's", "time to"), an imperative at the start of a sentence, a wish ("I hope
  [target] gets ..."), a normative claim ("[target] deserve to be ...", "[target] should hang"), a future
  ("you will be ..."), or "death to [target]".

Words for things are not targets, so figures of speech drop out by themselves ("I'll kill it at the fun run",
"kill the bill", "shoot me an email"); what may follow a verb and its person in a figure of speech ("kill them
with kindness", "smash them at the election", "hit you up later") is listed in ``idiom_tails.txt``.

Each finding is *clear* or not. Clear: an act from the clear lists, a form that states intent or a call, and a
target that is certainly a person or group. Figurative verbs ("smash", "beat"), hedged modals ("I could"),
third-person and second-person futures ("he'll", "you will be"), "them"/"they" as the only target, and
quoted or reported text are not clear. A rule takes one or the other (``clear = true`` hides, ``false`` queues),
and the explanation says who is targeted.

The text is read in the folded view and, when it looks evasive, in the skeleton too (``k1ll``, ``s.h.o.o.t``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from typing import Any, NamedTuple

import ahocorasick

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, register
from .lexicon import PhraseIndex, Span, alternation, group_label, groups_folder, phrase, read_terms, read_views

_ADV = (
    r"(?:(?:f[\w*]{0,5}(?:ing|in|n)|bloody|personally|literally|actually|just|really|gladly|happily|"
    r"definitely|seriously|absolutely|honestly|totally|straight up|then|all|soon|eventually|one day|also|"
    r"still|quietly|slowly|finally|going to|gonna|go|come|and|come and|go and|come round and|come over and|"
    r"come down there and|come down and|come over there and|come there and|come to your house and|"
    r"find you and|find him and|find her and|find them and|hunt you down and|track you down and|"
    r"get a gun and|get my gun and|go out and|have to|make sure i|make sure to|myself)\s+)"
)
# "I" and "we" with a modal of intent. Clear ones state intent; hedged ones ("I could", "I'd") are queued.
_INTENT_CLEAR = [
    "{i|we} {'ll|will|shall}",
    "ill",
    "{i'm|im|i am|we're|were|we are} {going to|gonna|gunna|gon|goin to}",
    "{i|we} {gonna|gunna}",
    "{imma|ima|i'ma|i'mma|ima gonna}",
    "{i|we} {want to|wanna|plan to|intend to}",
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
_INTENT_HEDGED = [
    "{i|we} {could|might|may|should|would|'d|ought to|need to|have to|must|gotta|got to}",
    "{i'd|id} {happily|gladly}",
    "{i|we} feel like",
    "{i'm|im|i am} tempted to",
    "{i'm|im|i am} {going to|gonna} end up",
    "{i|we} {wish|hope} {i|we} could",
]
# Calls on others: "someone should", "let's", "time to", "can someone".
_CALLS = [
    "{someone|somebody|anyone|anybody|people|everyone|everybody|y'all|you all|you guys|u guys|we all|all of you}"
    " {should|needs to|need to|has to|have to|must|ought to|oughta|gotta|got to|better|go|just|please|pls}",
    "{someone|somebody} {please|pls|plz|just|already}",
    "{someone|somebody|anyone} {needs|need} to go",
    "{let's|lets|let us} {go|all|just|} {and|}",
    "{it's|its|about|} time {to|we|someone|somebody|for someone to}",
    "{can|could|will|would|won't|wont} {someone|somebody|anyone|anybody} {please|pls|just|} {go|}",
    "{why|how come} {hasn't|hasnt|has not|didn't|didnt|doesn't|doesnt|won't|wont} {anyone|someone|somebody} {yet|}",
    "{i|we} {wish|hope|pray} {someone|somebody|anyone|some hero} {would|will|does|could}",
    "{we|you|u|y'all|you all|they} {should|need to|must|have to|gotta|ought to|oughta|better} {all|just|} {go|}",
    "{go|go and|just go|go on and}",
    "{i|we} {hope|wish|pray} {someone|somebody|one day someone|one of you|some hero}",
    "{can't|cant|cannot} wait {until|till|'til|for the day|for the day when} {someone|somebody|one of you}",
    "{everyone|everybody|someone|somebody|y'all|you all|guys|lads|boys|let's|lets|we} {grab|get|bring|take|pick up}"
    " {a|your|ur|some|the|their|our} [thing] and",
    "{round them up|round em up|round 'em up|line them up|line em up|line 'em up|grab them|find them} and",
    "{who's|whos|who is|who else is|anyone} {coming|keen|in|up for it|up for} {with me|} to",
    "{who wants|anyone want|anyone wanna|who else wants|who wants} to {help me|}",
    "{join me|come with me|help me|help us} {to|and|}",
]
# Third person: "he'll", "my brother is going to" (reported or relayed intent: queued).
_THIRD = [
    "{he|she|they|someone|somebody|my brother|my mates|my boys|the boys|the lads|my son|my husband|my dad|people}"
    " {'ll|will|is going to|'s going to|are going to|'re going to|is gonna|'s gonna|are gonna|'re gonna|gonna|"
    "wants to|want to|wanna|would|could|might}",
]
# Between a subject target and a participle: "[target] should be", "[target] deserve to be", "[target] will get".
_NORM_AUX = (
    r"(?:should|shud|must|need to|needs to|deserve to|deserves to|ought to|oughta|have to|has to|gotta|got to|"
    r"better|can all|can|could|would|'d|to|all need to|all deserve to|should all|must all|all should|all must)"
)
# A phrase qualifying a target before its verb: "the staff *at Bellmore* deserve ...", "muslims *in this country*".
_PP = (
    r"(?:\s+(?:at|in|from|of|on|over at|down at|who work at|working at)\s+"
    r"(?:the\s+|that\s+|this\s+|our\s+|your\s+)?[\w']+(?:\s+[\w']+)?"
    r"|\s+(?:who|that|which)(?:\s+[\w']+){1,6}?)?"  # "the bloke *who posted this* should be ..."
)
_NORMATIVE = re.compile(
    rf"{_PP}\s+(?:all\s+|just\s+|really\s+|honestly\s+|seriously\s+|frankly\s+|simply\s+|literally\s+)?{_NORM_AUX}"
    rf"\s+(?:all\s+|just\s+|really\s+|simply\s+)?(?:be|get|go and get|be fucking|get fucking)\s+"
    r"(?:(?:all|just|publicly|slowly|immediately|fucking|bloody|fkn)\s+)?"
)
_FUTURE = re.compile(
    _PP
    + r"\s*(?:'ll|will|'re going to|are going to|is going to|'s going to|are gonna|'re gonna|is gonna|'s gonna|gonna|"
    r"r gonna|re gonna|s gonna|re going to|s going to|'re gunna|are gunna|gunna)\s+(?:all\s+|just\s+|definitely\s+|"
    r"probably\s+|soon\s+|eventually\s+)?(?:be|get|end up|end up getting|end up being|wind up)\s+"
    r"(?:(?:all|just|fucking|bloody)\s+)?"
)
_WISH_AFTER = re.compile(
    _PP + r"\s+(?:(?:all|both)\s+)?(?:gets?|got|is|are|to be|be|will be|'ll be|would be|'d be|were|was|being|getting|"
    r"get|all get|end up|ends up|ends up getting|end up getting|)\s*(?:(?:all|just|fucking|bloody|finally)\s+)?"
)
_WISH_BEFORE = re.compile(
    r"(?:^|[^\w'])(?:i|we|i'd|id|we'd|i would|we would|i really|we really|i just|i truly|i honestly)\s*"
    r"(?:really\s+|just\s+|truly\s+|honestly\s+|sincerely\s+)?(?:hope|wish|pray|want|would love|'d love|love|"
    r"'d like|would like|can't wait for|cant wait for|cannot wait for|can't wait till|cant wait till|"
    r"can't wait until|wanna see|want to see|would love to see|'d love to see|love to see|'d like to see|"
    r"would like to see|hope to see|can't wait to see|cant wait to see|pray for|hoping|praying)\s+(?:that\s+)?$"
    r"|(?:^|[^\w'])(?:hope|hoping|hopefully|praying|may|can't wait till|cant wait till|can't wait until|"
    r"cant wait until|can't wait for|cant wait for|cannot wait until|can't wait for the day|"
    r"cant wait for the day)\s+(?:that\s+)?$"
    # "let" as a wish only when it is an imperative ("let him rot", "just let them die"), not "they let him die".
    r"|(?:^|[.!?,;:\-]\s*|(?:^|\s)(?:just|please|so|then|now|i say|should|must|i'd|we'd|id|i would|we would)\s+)"
    r"let\s+$"
)
_DEAR_GLUE = re.compile(_PP + r"\s+(?:(?:all|really|just|truly|honestly|clearly)\s+)?")
_DYING_AUX = re.compile(
    _PP
    + r"\s+(?:all\s+|just\s+)?(?:should|must|need to|needs to|deserve to|deserves to|ought to|oughta|have to|has to|"
    r"better|can|can go|go|can all|can just|should just|should go|should all|must all|all deserve to|"
    r"should fucking|can fucking|go and|will|'ll|are going to|'re going to|is going to|'s going to|gonna|"
    r"are gonna|'re gonna|is gonna|will all|'ll all)\s+(?:all\s+|just\s+|fucking\s+|go\s+|and\s+){0,3}$"
)
_DYING_FUTURE_WORDS = ("will", "'ll", "going to", "gonna")
_DEATH_TO_GLUE = re.compile(r"\s+(?:(?:all|every|each)\s+(?:of\s+)?)?(?:(?:the|those|these|you|your)\s+)?")
_RIGHT_GLUE = re.compile(
    r"\s*(?:(?:up|down|out)\s+)?(?:(?:all|both|every|each|every last|every single)\s+(?:one\s+)?(?:of\s+)?)?"
    r"(?:(?:the|those|these|them|some|any|more|a few|a couple of|ya|your|ur)\s+)?(?:(?:fucking|bloody|fkn|"
    r"filthy|dirty|stupid|dumb)\s+)?"
)
_RIGHT_PLACE_GLUE = re.compile(r"\s*(?:(?:down|up)\s+)?(?:the\s+)?")
_SENTENCE_START = re.compile(
    r"(?:^|[.!?;:\n\"(]|\b(?:just|please|pls|plz|now|so|then|seriously|honestly|guys|mate|mates|folks|"
    r"everyone))\s*(?:@\w+\s*)*$"
)
_NEGATED = re.compile(r"(?:n't|\bnot|\bnever|\bno one|\bnobody|\bnoone)\s*$")
# Quotation and report cues in the same sentence before the threat: read as reported, queued for a person.
_REPORTED = re.compile(
    r"[\"\u201c]|\b(?:said|says|say|saying|told|tells|telling|threatened|threatening|wrote|writes|posted|"
    r"reported|report|quote|quoted|quoting|claimed|claims|called|calling|yelled|screamed|shouted|messaged|"
    r"texted|heard|joke|joking|jokes|song|lyrics|movie|film|game|book|novel|character)\b"
)
_REPORT_WINDOW = 90
# After the threat: a joke marker, or the threat named as a thing ("a 'death to ...' video"): a person decides.
_MENTIONED_AFTER = re.compile(
    r"(?:\W+[\w']+){0,3}?\W*(?:lol|lool|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|jks|kidding|joking|/s)\b"
    r"|\W{0,3}(?:video|vid|song|meme|post|tweet|chant|chants|chanting|sign|signs|banner|shirt|t-shirt|tshirt|"
    r"joke|jokes|comment|comments|slogan|graffiti|flag|rally|march|protest|protesters|headline|article|clip|"
    r"line|lyric|lyrics|scene|episode|movie|film|game)\b"
)
_DYING_BLOCKERS = frozenset(
    "out around on up with about over onto off back tight ten loose consequences calories fat money cash through "
    "for of laughing a an the my your his her their our it this that these those bright brightly".split()
)
_TRAVEL = re.compile(
    r"\b(?:come|coming|go|going|turn up|rock up|show up|drive|find|hunt|track|wait for)\b[\w\s']{0,30}\band\s+$"
)
_STRONG_FORMS = {"first", "call", "imperative", "normative", "wish", "death_to"}
_FORM_WORDS = {
    "first": "first-person intent",
    "first_hedged": "first-person, hedged",
    "call": "a call on others to act",
    "imperative": "an imperative",
    "third": "third-person intent",
    "future": "a prediction of harm",
    "normative": "says they deserve it",
    "wish": "a wish of harm",
    "death_to": '"death to"',
    "veiled": "a veiled threat",
}


_PUNCT_TO_SPACE = str.maketrans({c: " " for c in "\"'()[]{}<>.,;:!?*_#@/\\|~`^=+-"})
_SHORT_COMMON = 5  # a first word shorter than this is a common word ("put", "take"): the prefilter reads more


def _prefilter(acts: dict[str, list[str]]) -> tuple[str, ...]:
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


class Threat(NamedTuple):
    start: int
    end: int
    clear: bool
    who: str
    form: str


@register
class ThreatDetector(Detector):
    """``clear = true``: only clear threats (for a hiding rule); ``false``: only the rest (for a queueing rule)."""

    name = "threat"
    params_spec = {"lexicons": str, "groups": str, "accounts_file": str, "clear": bool, "slurs": list}
    required_params = frozenset({"lexicons", "groups", "clear"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        self.clear = params["clear"]
        self.engine = _engine(self, params)
        self.prefilter_terms = self.engine.prefilter
        self.vocabulary = self.engine.vocabulary  # words whose evasive spellings the pipeline reads (variants.py)

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        want = self.clear
        out = []
        for t in self.engine.threats(n):
            if t.clear is want:
                explanation = f"threat of violence against {t.who} ({_FORM_WORDS[t.form]})"
                if not want:
                    explanation += ": a moderator decides"
                out.append(Hit(t.start, t.end, n.original[t.start : t.end], 1.0 if want else 0.7, explanation))
        return out


_ENGINES: dict[str, Engine] = {}


def _engine(det: Detector, params: dict[str, Any]) -> Engine:
    """One engine per distinct set of lists, shared by the clear and the unclear rule (so a comment is read
    once: the engine keeps its last answer)."""
    folder = params["lexicons"].rstrip("/")
    lists = {
        name: read_terms(det, f"{folder}/{name}.txt")
        for name in (
            "verbs", "verbs_unclear", "participles", "participles_unclear", "dying", "targets", "minister",
            "staff", "places", "idiom_tails", "veiled",
        )
    }  # fmt: skip
    groups = groups_folder(det, params["groups"])
    # A group named by a slur is a target like any other ("someone should shoot every [slur]"); the explanation
    # never repeats the slur.
    for file in params.get("slurs", []):
        for term in read_terms(det, file):
            word = term.rstrip("*")
            if " " in word or len(word) < 4:
                continue
            forms = {word} if word.endswith("s") else {word, word + "s"}
            groups += [(f, "slur") for f in forms]
            groups += [(f"{each} {word}", "slur") for each in ("every", "each", "any", "every single")]
    people: list[tuple[str, str]] = []
    if "accounts_file" in params:
        data = tomllib.loads(det.read(params["accounts_file"]))
        for p in data.get("person", []):
            role = str(p.get("role", ""))
            label = f"{p['name']} ({role})" if role else p["name"]
            names = [p["name"], *p.get("aliases", [])]
            last = p["name"].split()[-1]
            if len(last) >= 5:
                names.append(last)
            for name in names:
                people.append((" ".join(name.lower().split()), f"named:{label}"))
    key = hashlib.sha256(det.content().encode()).hexdigest()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = Engine(lists, groups, people)
    return engine


def _expand(patterns: list[str]) -> list[str]:
    from ..loader import expand

    out: list[str] = []
    for p in patterns:
        # "{i|we} {'ll|will}": a contraction joins the word before it ("i'll", not "i 'll").
        out.extend(" ".join(e.split()).replace(" '", "'") for e in expand(p))
    return out


def _ends_with(options: list[str]) -> re.Pattern[str]:
    """A pattern that finds one of ``options`` (then optional adverbs) at the end of a left context. The
    options are written as a word trie ("i (?:'ll|will|...)"), which the regex engine reads much faster than
    a flat list of thousands of phrases; "[thing]" stands for any one word ("grab a [thing] and")."""
    return re.compile(rf"(?:^|[^\w']){_trie(_expand(options))}\s+{_ADV}{{0,3}}$")


def _trie(phrases: list[str]) -> str:
    """One regex for ``phrases`` (word sequences), shared first words factored out."""
    tree: dict[str, Any] = {}
    for p in set(phrases):
        node = tree
        for word in p.split():
            node = node.setdefault(word, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        parts = []
        for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
            piece = r"[\w']+" if word == "[thing]" else re.escape(word).replace("'", "'?")
            rest = render(node[word])
            if rest:  # the phrase goes on; optional when it may also stop here
                piece += rf"(?:\s+{rest})" + ("?" if "" in node[word] else "")
            parts.append(piece)
        return "(?:" + "|".join(parts) + ")" if parts else ""

    return render(tree)


class Engine:
    """The compiled grammar: acts, targets and forms, built once per policy load."""

    def __init__(
        self, lists: dict[str, list[str]], groups: list[tuple[str, str]], people: list[tuple[str, str]]
    ) -> None:
        their = r"(?:your|ur|yer|his|her|their|ya|(?:[\w\-]+\s+){0,2}[\w\-]+'s)"
        slot = r"(?:[\w'+\-]+(?:\s+[\w'+\-]+){0,3}?)"
        slots = {"target": slot, "their": their}
        # "I hope someone *kills* you": the verbs' third-person forms read like the plain ones.
        verbs = lists["verbs"] + [_third_person(t) for t in lists["verbs"]]
        verbs_unclear = lists["verbs_unclear"] + [_third_person(t) for t in lists["verbs_unclear"]]
        # A veiled phrase ending in its target ("... happened to [target]") reads the target after it.
        veiled = [t.removesuffix(" [target]") for t in lists["veiled"]]
        self._veil_right = [
            re.compile(phrase(t.removesuffix(" [target]"))) for t in lists["veiled"] if t.endswith(" [target]")
        ]
        # Entries with a placeholder, by their first three letters (an act is read against its own few).
        self._placeholder: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        for t in [*verbs, *verbs_unclear, *veiled]:
            if "[" in t:
                rx = re.compile(phrase(t, {"target": f"({slot})", "their": f"({their})"}, stretch=True))
                self._placeholder.setdefault(t[:3], []).append((rx, t))
        dying = lists["dying"]
        dying_forms = []
        for d in dying:
            words = d.split()
            head, rest = words[0], " ".join(words[1:])
            third = head + ("es" if head.endswith(("sh", "ch", "s")) else "s")
            for form in (head, third):
                dying_forms.append(f"{form} {rest}".strip())
        deserve = _expand(
            ["{deserve|deserves|deserved|deserving|earned|earnt} {a bullet|bullets|death|the rope|the noose|"
             "the chair|a beating|a bashing|a kicking|to die|to hang|to burn|to swing|to be dead|a slow death|"
             "a painful death|to be put down|a firing squad|the firing squad|the gallows}"]
        )  # fmt: skip
        acts = {
            "v": verbs, "p": lists["participles"], "dn": deserve, "d": dying_forms, "death": ["death to"],
            "vu": verbs_unclear, "pu": lists["participles_unclear"], "veil": veiled,
        }  # fmt: skip
        # Acts are found from their first three letters at a word start (one Aho-Corasick pass), then read with
        # the few patterns of that bucket, in this order: a word may be read several ways ("hurt": "I'll hurt
        # you", "you'll get hurt"; "burn": "burn the office", "I hope you burn"), each tried until one makes
        # a threat.
        buckets: dict[str, dict[str, list[str]]] = {}
        for kind, terms in acts.items():
            for term in terms:
                buckets.setdefault(term[:3], {}).setdefault(kind, []).append(term)
        self._buckets: dict[str, list[tuple[str, re.Pattern[str]]]] = {
            pair: [(kind, re.compile(alternation(terms, slots, stretch=True) + r"\b")) for kind, terms in by.items()]
            for pair, by in buckets.items()
        }
        self._anchors = ahocorasick.Automaton()
        for pair in self._buckets:
            self._anchors.add_word(" " + pair, pair)
        self._anchors.make_automaton()
        self._destroy = re.compile(
            r"(?:burn|torch|bomb|blow up|firebomb|set fire to|set alight|smash up|shoot up|trash|burn down|"
            r"blow|fire ?bomb|petrol bomb|molotov)\b"
        )
        entries: list[tuple[str, str]] = []
        pronouns = {"them": "them", "'em": "them", "em": "them", "they": "them"}
        persons = {"him", "her", "he", "she"}
        addressee = {"you", "u", "ya", "yah", "yous", "youse", "you all", "y'all", "ya'll", "you lot", "you guys"}
        for t in lists["targets"]:
            if t in pronouns:
                kind = "them"
            elif t in persons:
                kind = "person"
            elif t in addressee or t.startswith(("you ", "your", "yourself", "every one of you", "all of you")):
                kind = "you"
            elif t in ("someone", "somebody", "everyone", "everybody"):
                kind = "someone"
            else:
                kind = "person"
            entries.append((t, kind))
        entries.append(("u", "you"))  # too short for a word list
        entries += [(t, "minister") for t in lists["minister"]]
        entries += [(t, "staff") for t in lists["staff"]]
        entries += people
        entries += groups
        self._targets = PhraseIndex(entries)
        self._places = PhraseIndex([(t, "place") for t in lists["places"]])
        self._tails = re.compile(r"\s*" + alternation(lists["idiom_tails"]) + r"\b")
        self._first = _ends_with(_INTENT_CLEAR)
        self._hedged = _ends_with(_INTENT_HEDGED)
        self._calls = _ends_with(_CALLS)
        self._third = _ends_with(_THIRD)
        self._forms = (
            ("first", self._first), ("call", self._calls), ("first_hedged", self._hedged), ("third", self._third),
            ("imperative", _SENTENCE_START),
        )  # fmt: skip
        self.prefilter = _prefilter(acts)
        lists_by_kind = {
            "v": verbs, "p": lists["participles"], "d": dying, "vu": verbs_unclear,
            "pu": lists["participles_unclear"],
        }  # fmt: skip
        # The violent words only (not the veiled phrases' "where", "watch"): their evasive spellings are the
        # pipeline's to read ("murdr", "killyou"); ordinary words' typos are not evasion.
        self.vocabulary = frozenset(
            w
            for kind in ("v", "p", "d", "vu", "pu")
            for term in lists_by_kind[kind]
            for w in term.rstrip("*").split()
            if w.isalpha() and len(w) >= 4
        )
        self._last: tuple[str, list[Threat]] = ("\x00", [])

    # ------------------------------------------------------------------ reading
    def threats(self, n: Normalised) -> list[Threat]:
        last = self._last
        if last[0] is n.original:
            return last[1]
        # The folded text, then the skeleton and the canonical view (evasive spellings of listed words read as
        # the words, "kil1 you", "killyou"), when they differ.
        found = read_views(n, self._read)
        self._last = (n.original, found)
        return found

    def _read(self, t: str, view: Normalised) -> list[Threat]:
        out: list[Threat] = []
        targets: list[Span] | None = None
        buckets = self._buckets
        last_end = 0
        # Anchors at word starts: the text padded with a space, punctuation read as spaces (same length).
        for end, pair in self._anchors.iter(" " + t.translate(_PUNCT_TO_SPACE)):
            s = end - 3  # offset in ``t`` of the anchor's first letter
            if s < last_end:
                continue
            found = None
            for kind, rx in buckets[pair]:
                km = rx.match(t, s)
                if km is not None:
                    if targets is None:
                        targets = self._targets.find(t)
                    found = self._one(t, kind, s, km.end(), km.group(), targets)
                    if found is not None:
                        break
            if found is None:
                continue
            start, end, clear, who, form = found
            if clear and (_reported(t, start) or _MENTIONED_AFTER.match(t, end)):
                clear = False
            a, b = view.span(start, end)
            out.append(Threat(a, b, clear, who, form))
            last_end = end
        return out

    def _one(
        self, t: str, kind: str, s: int, e: int, act: str, targets: list[Span]
    ) -> tuple[int, int, bool, str, str] | None:
        if kind in ("v", "vu"):
            return self._verb(t, kind == "v", s, e, act, targets)
        if kind in ("p", "pu", "dn"):
            return self._participle(t, kind != "pu", s, e, targets, kind == "dn")
        if kind == "d":
            return self._dying(t, s, e, targets)
        if kind == "veil":
            return self._veiled(t, s, e, act, targets)
        if kind == "death":
            tgt = _right_target(t, e, targets, _DEATH_TO_GLUE)
            if tgt is None:
                return None
            return s, tgt.end, tgt.kind not in ("them", "someone"), _who(tgt), "death_to"
        return None

    def _verb(
        self, t: str, strong: bool, s: int, e: int, act: str, targets: list[Span]
    ) -> tuple[int, int, bool, str, str] | None:
        tgt: Span | None = None
        end = e
        for pattern, _entry in self._placeholder.get(act[:3], ()):
            pm = pattern.fullmatch(act)
            if pm is None:
                continue
            slot_start = s + pm.start(1)
            slot_end = s + pm.end(1)
            tgt = _exact_target(slot_start, slot_end, targets, t)
            if tgt is None:
                return None
            break
        if tgt is None:
            tgt = _right_target(t, e, targets, _RIGHT_GLUE)
            if tgt is None and self._destroy.match(act):
                places = self._places.find(t)
                m = _RIGHT_PLACE_GLUE.match(t, e)
                if m is not None:
                    tgt = next((p for p in places if p.start == m.end()), None)
                    strong = True  # "burn down the office": damage to a building is not a figure of speech
            if tgt is None:
                return None
            end = tgt.end
        if self._tails.match(t, end) is not None:
            return None
        left = t[max(0, s - 80) : s]
        if _NEGATED.search(left):
            return None
        start = s
        for form, rx in self._forms:
            m = rx.search(left)
            if m is not None:
                if form != "imperative":
                    start = s - len(left) + m.start() + (0 if m.group()[:1].isalnum() else 1)
                break
        else:
            return None
        if not strong and form == "first" and _TRAVEL.search(left):
            strong = True  # "I will come down there and smash every one of you": no figure of speech travels
        clear = strong and form in _STRONG_FORMS and tgt.kind != "them"
        if form == "imperative" and tgt.kind in ("person", "someone"):
            clear = False  # "kill him" alone may be a quote or a game; a person reads it
        return start, max(end, e), clear, _who(tgt), form

    def _veiled(self, t: str, s: int, e: int, act: str, targets: list[Span]) -> tuple[int, int, bool, str, str] | None:
        """Menace without a violent word; always for a person to judge. The target, when the phrase has one, must
        be a person, staff, the Minister or a group ("I know where *the minister* lives")."""
        who = "the reader"
        for pattern, _entry in self._placeholder.get(act[:3], ()):
            pm = pattern.fullmatch(act)
            if pm is None:
                continue
            tgt = _exact_target(s + pm.start(1), s + pm.end(1), targets, t)
            if tgt is None:
                return None
            who = _who(tgt)
            break
        else:
            if any(p.fullmatch(act) for p in self._veil_right):
                tgt = _right_target(t, e, targets, _RIGHT_GLUE)
                if tgt is None:
                    return None
                who, e = _who(tgt), tgt.end
        if _NEGATED.search(t[max(0, s - 30) : s]):
            return None
        return s, e, False, who, "veiled"

    def _participle(
        self, t: str, strong: bool, s: int, e: int, targets: list[Span], deserve: bool = False
    ) -> tuple[int, int, bool, str, str] | None:
        if self._tails.match(t, e) is not None:
            return None
        for tgt in _before(targets, s, 60):
            if deserve:  # "[target] deserve(s) a bullet": the act carries its own verb
                if _DEAR_GLUE.fullmatch(t, tgt.end, s) is None:
                    continue
                return tgt.start, e, strong and tgt.kind not in ("them", "someone"), _who(tgt), "normative"
            if _NORMATIVE.fullmatch(t, tgt.end, s) is not None:
                if _NEGATED.search(t, max(0, tgt.end - 1), s) or _negated_span(t, tgt.end, s):
                    return None
                clear = strong and tgt.kind not in ("them", "someone")
                return tgt.start, e, clear, _who(tgt), "normative"
            if _FUTURE.fullmatch(t, tgt.end, s) is not None:
                if _negated_span(t, tgt.end, s):
                    return None
                # "Somebody's going to get stabbed" is the classic veiled threat; "you'll get hurt" may be a
                # warning, so predictions about "you" or a named person are for a person to judge.
                clear = strong and tgt.kind == "someone" and tgt.term in ("someone", "somebody")
                return tgt.start, e, clear, _who(tgt), "future"
            if _WISH_AFTER.fullmatch(t, tgt.end, s) is not None:
                before = t[max(0, tgt.start - 60) : tgt.start]
                if _WISH_BEFORE.search(before):
                    clear = strong and tgt.kind not in ("them", "someone")
                    return tgt.start - len(before) + _last_word_start(before), e, clear, _who(tgt), "wish"
        return None

    def _dying(self, t: str, s: int, e: int, targets: list[Span]) -> tuple[int, int, bool, str, str] | None:
        nxt = re.match(r"\s*([\w']+)", t[e : e + 20])
        if nxt is not None and nxt.group(1) in _DYING_BLOCKERS:
            return None
        for tgt in _before(targets, s, 50):
            glue = t[tgt.end : s]
            if glue.strip() == "" or re.fullmatch(r"\s+(?:all\s+|just\s+|would\s+|will\s+|'ll\s+)*", glue):
                before = t[max(0, tgt.start - 60) : tgt.start]
                if _WISH_BEFORE.search(before):
                    clear = tgt.kind not in ("them", "someone")
                    return tgt.start - len(before) + _last_word_start(before), e, clear, _who(tgt), "wish"
            m = _DYING_AUX.fullmatch(glue + " ") if glue else None
            if m is not None:
                if _negated_span(t, tgt.end, s):
                    return None
                future = any(w in glue for w in _DYING_FUTURE_WORDS)
                form = "future" if future else "normative"
                clear = not future and tgt.kind not in ("them", "someone")
                return tgt.start, e, clear, _who(tgt), form
        return None


def _third_person(term: str) -> str:
    """ "kill [target]" -> "kills [target]", "bash" -> "bashes", "bury" -> "buries"."""
    head, _, rest = term.partition(" ")
    if head.endswith(("sh", "ch", "ss", "x", "z")):
        head += "es"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}".strip()


def _before(targets: list[Span], s: int, reach: int) -> list[Span]:
    """Targets ending before ``s`` (within ``reach``), nearest first and, at the same end, longest first."""
    near = [tgt for tgt in targets if tgt.end <= s and s - tgt.end <= reach]
    near.sort(key=lambda tgt: (-tgt.end, tgt.start))
    return near


def _right_target(t: str, e: int, targets: list[Span], glue: re.Pattern[str]) -> Span | None:
    """The target that starts after the act ``t[:e]``, with ``glue`` between ("kill *all the* muslims"): the
    nearest, and the longest of those starting there."""
    near = [tgt for tgt in targets if e <= tgt.start <= e + 40]
    if len(near) > 1:
        near.sort(key=lambda tgt: (tgt.start, -tgt.end))
    for tgt in near:
        if glue.fullmatch(t, e, tgt.start) is not None:
            return tgt
    return None


def _exact_target(start: int, end: int, targets: list[Span], t: str) -> Span | None:
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
    glue = _RIGHT_GLUE
    for tgt in targets:
        if tgt.end == end and tgt.start >= start and glue.fullmatch(t, start, tgt.start) is not None:
            return tgt
    return None


def _negated_span(t: str, start: int, end: int) -> bool:
    return re.search(r"\b(?:not|never|n't|no longer)\b|n't", t[start:end]) is not None


def _reported(t: str, start: int) -> bool:
    """Is there a quotation mark or a reporting word earlier in the same sentence?"""
    left = t[max(0, start - _REPORT_WINDOW) : start]
    cut = max(left.rfind("."), left.rfind("!"), left.rfind("?"), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 1 :]
    return _REPORTED.search(left) is not None


def _last_word_start(before: str) -> int:
    """Where the wish's opening words ("I hope") start in ``before``."""
    m = _WISH_BEFORE.search(before)
    if m is None:
        return len(before)
    return m.start() + (1 if m.group()[:1] and not m.group()[:1].isalnum() else 0)


def _who(tgt: Span) -> str:
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
