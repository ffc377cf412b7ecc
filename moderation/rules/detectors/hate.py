"""Identity-directed hate without slurs (clause 2): a protected group crossed with what is said of it.

The groups are the register in ``policies/lexicons/groups/`` (one list per protected attribute, nouns and
adjective + "people" forms, Australian usage). What is said of them comes from lists in
``policies/lexicons/hate/``, each a *kind* a rule can report:

* ``dehumanising``: "[group] are vermin / like animals / a plague", "[group] breed like rats",
  "[group] don't deserve to live";
* ``expulsion``: "[group] should be deported / don't belong here / go back where they came from", and calls
  before the group ("deport all the [group]", "no more [group]");
* ``hatred``: "I hate / can't stand / am sick of [group]";
* ``attribute``: generalised negative claims, "[group] are criminals / all lazy", "[group] steal our jobs";
* ``rights``: denial of rights, "[group] shouldn't be allowed to vote", "[group] don't deserve welfare", and work,
  a home or a service refused by the writer, "I'd never hire a woman", "we won't rent to [group]";
* ``attribute`` also takes a group judged through one member, "typical Muslim behaviour", "Typical woman!", and a
  generalisation after a pronoun, "[group], they're all liars".

A claim about some of a group ("not all", "some", "a few"), a negated one ("[group] are not criminals"), a
group word used as an adjective for a thing ("I hate Chinese food") and a group named only in passing do not
fire. A finding is *clear* when it dehumanises a named group in the writer's own voice; quoted, reported,
negated or questioning text, "those people" without a group, and every other kind are for a person, so a
rule takes ``clear = true`` (hide) or ``false`` (queue). The explanation names the group and the attribute
the policy protects.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, NamedTuple

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised
from . import Context, Detector, register
from .lexicon import PhraseIndex, Span, alternation, group_label, groups_folder, read_terms, read_views

KINDS = ("dehumanising", "expulsion", "hatred", "attribute", "rights")
_COPULA = r"\s+(?:are|r|is|'re|were|be|=)"
# "every one of the [group] is ...": the group's whole, said one by one.
_INTENSIFIERS = (
    r"(?:\s+(?:all|just|only|nothing but|nothing more than|little more than|no better than|worse than|basically|"
    r"literally|simply|such|so|really|truly|totally|mostly|always|naturally|inherently|genetically|all just|"
    r"a bunch of|a pack of|a load of|a lot of|the|fucking|fkn|bloody|filthy|dirty|disgusting|stupid|dumb|"
    r"lazy|like|obviously|clearly|seriously|honestly|actually|definitely|all fucking|still|foreign|illegal|"
    r"invading|worthless|useless|vile|evil|smelly|stinking|rotten|savage|backward|third world|diseased))*"
)
# A phrase qualifying the group before what is said of it: "women *in this state* are ...".
_PP = (
    r"(?:\s+(?:in|from|at|around|across|of|living in|who live in|over in|down at)\s+"
    r"(?:this|the|our|my|that|these|those)?\s*[\w']+(?:\s+(?:state|country|suburb|area|town|city|street|estate))?)?"
)
_SUBJECT = (
    r"(?:i|we|i just|i really|i fucking|i honestly|i genuinely|honestly i|i absolutely|i truly|i'm|im|we're|"
    r"i am|we are|i still|i'll always|i will always|i always)"
)
_DET = (
    r"(?:(?:all|every|each)\s+(?:of\s+)?)?(?:(?:the|these|those|them|you|your|ur|fucking|bloody|filthy|dirty|"
    r"stinking|lot of|whole lot of)\s+){0,3}"
)
_ADVERBS = r"(?:\s+(?:all|just|really|always|only|basically|literally|mostly|simply|clearly|obviously|still))*"
# Words after a group phrase that make it an adjective for a thing ("Chinese food", "Muslim holidays") or a
# possessive, so the group is not what is talked about.
_CLOSED_AFTER = frozenset(
    "and or but because cause coz cos who that which they them are is were was in here there anymore so too all "
    "with for at to from as like since when the now either much more ever lol smh tbh honestly seriously period "
    "full stop end of story already honestly anyway though tho too, . ! ? ; :".split()
)
# "some [group]", "not all [group]": not a claim about the group.
_PARTIAL = re.compile(
    r"(?:\b(?:some|a few|few|not all|not every|many|certain|one|two|three|a couple of|a handful of|individual)"
    r"(?:\s+of(?:\s+(?:the|these|those))?)?\s+$)"
)
_WHOLE = re.compile(r"\b(?:every|each|every single|all)\s+one\s+of\s+(?:the|these|those)?\s*$")
_NEGATION_BEFORE = re.compile(
    r"\b(?:not|never|no one|nobody|noone|don't|dont|do not|doesn't|stop|quit|isn't|wasn't|false|myth|wrong|"
    r"racist|bigoted|disgusting)\b[^.!?]*$"
)
_REPORTED = re.compile(
    r"[\"\u201c\u2018]|\b(?:said|says|say|saying|told|tells|telling|wrote|writes|posted|reported|report|"
    r"quote|quoted|quoting|claimed|claims|claim|called|calling|yelled|screamed|shouted|heard|hear|think|thinks|"
    r"believe|believes|pretend|pretends|keeps saying|keep saying|imply|implies|implying|suggest|suggests|"
    r"argue|argues|arguing|why do|why does|how can|is it true)\b"
)
_STOP = frozenset(
    "the a an of with living who people persons person folk folks every each any one single like those these "
    "first all".split()
)
# Words that follow a group adjective ("muslim people", "gay guys"): a group phrase is found by its other word.
_HEADS = frozenset(
    "people persons person men women kids children youth youths teens families family folk folks guys blokes girls "
    "boys community communities population immigrants migrants refugees australians aussies residents "
    "neighbours".split()
)
_QUESTION_AFTER = re.compile(r"[^.!\n]{0,80}\?")
# "... they say", "... is what he told me": the words are someone else's.
_REPORTED_AFTER = re.compile(
    r"\W{0,4}(?:they|he|she|people|some|someone|somebody|the media|media|the left|leftists|libs|liberals|you|"
    r"my \w+|his \w+|her \w+|that's what|is what|was what)\s+(?:say|says|said|claim|claims|claimed|think|thinks|"
    r"told|tell|tells|keep saying|keeps saying|reckon|reckons|wrote|posted|yelled|shouted)\b"
)
# "[group], they're ___": a claim about them all, said after the group with a pronoun.
_THEY = r"\s*[,\-]?\s*(?:they're|theyre|they are|they r|they)(?=\s)"
# "typical" before a group or one member, and what may not come before it ("not typical Muslim behaviour").
_TYPICAL = re.compile(r"(?P<typical>\btypical)\s+(?:(?:fucking|fkn|bloody|fuckin)\s+)?$")
_NOT_TYPICAL = re.compile(
    r"\b(?:not|isn't|isnt|aren't|arent|wasn't|wasnt|nothing|hardly|far from|never)\s+(?:(?:a|an|the|very|that|so)\s+)?$"
)
# "Typical woman!": "typical" opens the sentence (or follows "so", "just", "how", "that's") and the group closes it.
_OPENS = re.compile(
    r"(?:^|[.!?;:,\-(\n]|\b(?:so|just|how|that's|thats|that is|its|it's|such|bloody|fucking|soo+|sooo+|again|yep|yeah))"
    r"\s*$"
)
_CLOSES = re.compile(r"\s*(?:$|[.!?,;:\u2026)]|[^\w\s'\-]|(?:lol|smh|again|eh|mate|as usual|as always)\b)")
# The writer, refusing: "I'd never hire", "we won't rent to", "my business will never serve".
_REFUSER = (
    r"(?:i|we|i'd|id|we'd|i'll|ill|we'll|i'm|im|we're|i would|we would|i will|we will|i just|i personally|"
    r"personally i|honestly i|my company|my business|our company|our business|my shop|our shop|my firm|our firm)"
)
# A word that makes the group an object: a preposition or a verb done to it ("against", "abuse", "support").
_OBJECT_BEFORE = re.compile(
    r"\b(?:against|towards|toward|about|for|to|at|by|with|on|from|over|abuse|abuses|abusing|abused|attack|attacks|"
    r"attacking|attacked|hate|hates|hating|hurt|hurts|hurting|target|targets|targeting|targetting|harass|harassing|"
    r"harassed|bully|bullies|bullying|bullied|discriminate|discriminating|discrimination|racism|violence|protect|"
    r"protecting|support|supporting|help|helping|welcome|welcoming|blame|blaming|blames)\s+"
    r"(?:(?:the|these|those|our|all|all the|many|local)\s+)?$"
)
_ONE_OF_THEM = re.compile(r"(?:^|\s)(?:a|an|any|every)\s+$")
# Someone in particular: "a man *who* hits women", "a woman *with* no experience".
_SOMEONE_IN_PARTICULAR = re.compile(r"\s+(?:who|whom|that|which|with|without|like|unless|if|whose)\b")
_KIND_WORDS = {
    "dehumanising": "dehumanising statement",
    "expulsion": "exclusion or expulsion",
    "hatred": "hatred",
    "attribute": "generalised negative claim",
    "rights": "denial of rights",
}


class Finding(NamedTuple):
    start: int
    end: int
    kind: str
    clear: bool
    who: str


@register
class IdentityHateDetector(Detector):
    """``kinds``: comma-separated kinds this rule reports; ``clear``: only clear ones (true) or the rest."""

    name = "identity_hate"
    params_spec = {"lexicons": str, "groups": str, "kinds": str, "clear": bool}
    required_params = frozenset({"lexicons", "groups", "kinds", "clear"})

    def __init__(self, params: dict[str, Any], base: Any) -> None:
        super().__init__(params, base)
        kinds = {k.strip() for k in params["kinds"].split(",") if k.strip()}
        unknown = kinds - set(KINDS)
        if not kinds or unknown:
            raise ValueError(f"identity_hate kinds must be some of {', '.join(KINDS)}; not {sorted(unknown)}")
        self.kinds = frozenset(kinds)
        self.clear = params["clear"]
        self.engine = _engine(self, params)
        self.prefilter_terms = self.engine.prefilter
        self.vocabulary = self.engine.vocabulary  # words whose evasive spellings the pipeline reads (variants.py)
        self.masked_vocabulary = self.engine.masked  # ... and words it reads with a vowel masked ("v*rmin")

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:
        out = []
        for f in self.engine.findings(n):
            if f.kind in self.kinds and f.clear is self.clear:
                explanation = f"{_KIND_WORDS[f.kind]} about {f.who}"
                if not self.clear:
                    explanation += ": a moderator decides"
                out.append(Hit(f.start, f.end, n.original[f.start : f.end], 1.0 if f.clear else 0.7, explanation))
        return out


_ENGINES: dict[str, HateEngine] = {}


def _engine(det: Detector, params: dict[str, Any]) -> HateEngine:
    folder = params["lexicons"].rstrip("/")
    lists = {
        name: read_terms(det, f"{folder}/{name}.txt")
        for name in (
            "dehumanising", "dehumanising_acts", "attributes", "behaviours", "expulsion", "expulsion_calls",
            "hatred", "rights", "stereotypes", "refusals",
        )
    }  # fmt: skip
    groups = groups_folder(det, params["groups"])
    key = hashlib.sha256(det.content().encode()).hexdigest()
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = HateEngine(lists, groups)
    return engine


class HateEngine:
    """The compiled lists: group phrases in one automaton, what follows and precedes them as patterns."""

    def __init__(self, lists: dict[str, list[str]], groups: list[tuple[str, str]]) -> None:
        others = [("those people", "them"), ("these people", "them"), ("people like that", "them")]
        self._groups = PhraseIndex(groups + others)
        # One member of a group ("muslim", "woman", "refugee"), read only where a form says it stands for them all
        # ("typical Muslim behaviour", "I'd never hire a woman").
        members = sorted({(t.removeprefix("every "), kind) for t, kind in groups if t.startswith("every ")})
        members = [(t, kind) for t, kind in members if not t.startswith(("single ", "last "))]
        self._members = PhraseIndex([(t, "member:" + kind) for t, kind in members])
        dehum = alternation(lists["dehumanising"])
        attrs = alternation(lists["attributes"])
        self._after: list[tuple[str, re.Pattern[str]]] = [
            ("dehumanising", re.compile(rf"{_PP}{_COPULA}{_INTENSIFIERS}\s+{dehum}\b")),
            ("dehumanising", re.compile(rf"{_PP}{_ADVERBS}\s+{alternation(lists['dehumanising_acts'])}\b")),
            (
                "rights",
                re.compile(
                    rf"{_PP}{_ADVERBS}\s+(?:should not|shouldn't|shouldnt|should never|must not|mustn't|can't|"
                    rf"cannot|cant|"
                    rf"should no longer|shouldn't ever|should not ever)\s+(?:be\s+(?:allowed|able|permitted|let)\s+to|"
                    rf"get\s+to|have\s+the\s+right\s+to|ever\s+be\s+allowed\s+to)\s+{alternation(lists['rights'])}\b"
                    rf"|{_PP}{_ADVERBS}\s+(?:shouldn't|shouldnt|should not|should never|must never|must not)\s+"
                    rf"{alternation(lists['rights'])}(?:\s*$|\s*[.!,;]|\s+(?:either|at all|anymore|ever|period)\b)"
                    rf"|{_PP}{_ADVERBS}\s+(?:don't|dont|do not|doesn't|does not|shouldn't|should not)\s+"
                    rf"(?:deserve|get|have a right to|need)\s+(?:any\s+|to\s+|the\s+)?{alternation(lists['rights'])}\b"
                    rf"|{_PP}{_ADVERBS}\s+(?:have|has|got)\s+no\s+(?:right|place|business)\s+(?:to\s+|in\s+|being\s+)?"
                    rf"{alternation(lists['rights'])}\b"
                    rf"|{_PP}{_ADVERBS}\s+(?:should|must|need to|needs to)\s+(?:all\s+)?be\s+"
                    rf"(?:banned|barred|excluded|stopped|kept|removed)\s+from\s+{alternation(lists['rights'])}\b"
                ),
            ),  # fmt: skip
            ("expulsion", re.compile(rf"{_PP}{_ADVERBS}\s+{alternation(lists['expulsion'])}\b")),
            ("attribute", re.compile(rf"{_PP}{_COPULA}{_INTENSIFIERS}\s+{attrs}\b")),
            ("attribute", re.compile(rf"{_PP}{_ADVERBS}\s+{alternation(lists['behaviours'])}\b")),
        ]
        self._they = re.compile(rf"{_PP}{_THEY}{_INTENSIFIERS}\s+{attrs}\b")
        self._after.append(("attribute", self._they))
        # Forms that read one member as the whole group: "typical [group] behaviour", "I'd never hire a [group]".
        typical_after, typical_alone = [], False
        for entry in lists["stereotypes"]:
            b, _, a = (part.strip() for part in entry.partition("[group]"))
            if b != "typical":
                raise ValueError(f"stereotypes.txt: {entry!r} must begin 'typical [group]'")
            if a:
                typical_after.append(a)
            else:
                typical_alone = True
        self._typical_after = re.compile(rf"\s+{alternation(typical_after)}\b") if typical_after else None
        self._typical_alone = typical_alone
        self._refusal = re.compile(
            rf"(?:^|[^\w']){_REFUSER}\s*{alternation(lists['refusals'])}\s+(?:a|an|any|another|more|the|other)?\s*$"
        )
        # Before the group: the writer's hatred ("I hate"), a call to remove it ("deport all the"); entries with
        # "[group]" say where the group goes ("send [group] back", "[group] make me sick").
        hatred_before, hatred_after, hatred_both = _split(lists["hatred"])
        calls_before, calls_after, calls_both = _split(lists["expulsion_calls"])
        self._before: list[tuple[str, re.Pattern[str]]] = [
            ("hatred", re.compile(rf"(?:^|[^\w']){_SUBJECT}\s*{alternation(hatred_before)}\s+{_DET}$")),
            ("expulsion", re.compile(rf"(?:^|[^\w']){alternation(calls_before)}\s+{_DET}$")),
            ("rights", re.compile(rf"(?:^|[.!?]\s*)no\s+{alternation(lists['rights'])}\s+for\s+{_DET}$")),
        ]
        if hatred_after:
            self._after.insert(0, ("hatred", re.compile(rf"{_PP}{_ADVERBS}\s+{alternation(hatred_after)}\b")))
        self._both: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
            (kind, re.compile(rf"(?:^|[^\w']){alternation([b])}\s+{_DET}$"), re.compile(rf"\s+{alternation([a])}\b"))
            for kind, pairs in (("hatred", hatred_both), ("expulsion", calls_both))
            for b, a in pairs
        ]
        # A rhetorical question says the same of the whole group: "why are women so useless", "why are [group]
        # such parasites" (a person decides: a question is never hidden).
        why = re.compile(r"(?:^|[^\w'])why\s+(?:are|r|do|is)\s+" + _DET + "$")
        self._both += [
            ("attribute", why, re.compile(rf"{_INTENSIFIERS}\s+{attrs}\b")),
            ("question", why, re.compile(rf"{_INTENSIFIERS}\s+{dehum}\b")),
        ]
        # Prefilter: each group phrase's longest word that is not "the", "people" and the like (its first five
        # letters, or a short word whole).
        prefixes: set[str] = set()
        heads = {w for term, _ in groups for w in term.split()[1:]} & _HEADS
        for term, _kind in groups:
            words = [w for w in term.rstrip("*").split() if w not in _STOP and w not in heads] or term.split()
            word = max(words, key=len)
            prefixes.add(" " + (word[:8] if len(word) >= 5 else word + " "))
        prefixes.update(" " + term for term, _ in others)
        for term, _kind in members:
            word = max(term.split(), key=len)
            prefixes.add(" " + (word[:8] if len(word) >= 5 else word + " "))
        self.prefilter = tuple(sorted(prefixes))
        # The group words (not "people" or "the"), for the pipeline's evasive spellings ("mus lims", "allmuslims").
        self.vocabulary = frozenset(
            w for term, _ in groups for w in term.rstrip("*").split() if w.isalpha() and len(w) >= 4 and w not in _STOP
        )
        # What is said of a group, single words: read with a vowel masked too ("v*rmin", "an*mals").
        self.masked = frozenset(
            w for name in ("dehumanising", "attributes") for w in lists[name] if w.isalpha() and len(w) >= 5
        )
        self._last: tuple[str, list[Finding]] = ("\x00", [])

    def findings(self, n: Normalised) -> list[Finding]:
        last = self._last
        if last[0] is n.original:
            return last[1]
        found = read_views(n, self._read)
        self._last = (n.original, found)
        return found

    def _read(self, t: str, view: Normalised) -> list[Finding]:
        spans = self._groups.find(t)
        spans += self._members.find(t)
        if not spans:
            return []
        spans.sort(key=lambda s: (s.start, -s.end))
        out: list[Finding] = []
        covered = -1
        for g in spans:
            if g.start < covered:
                continue  # a shorter group inside one already read ("people" in "muslim people")
            found = self._one(t, g)
            if found is None:
                continue
            start, end, kind = found
            if kind == "question":
                kind = "dehumanising"  # said as a question: for a person, never hidden
                clear = False
            else:
                clear = kind == "dehumanising" and g.kind != "them" and not _guarded(t, start, end)
            if g.kind.startswith(("group:", "member:")):
                who = group_label(g.kind.removeprefix("member:"), g.term)
            else:
                who = f"people referred to as {g.term!r}"
            a, b = view.span(start, end)
            out.append(Finding(a, b, kind, clear, who))
            covered = end
        return out

    def _one(self, t: str, g: Span) -> tuple[int, int, str] | None:
        left = t[max(0, g.start - 60) : g.start]
        if _PARTIAL.search(left) and not _WHOLE.search(left):
            return None
        if g.kind.startswith("member:"):
            return self._for_all(t, g, left)
        # "People who abuse refugees should be deported", "hate speech against Muslims should be banned": the group
        # is what something is done to, not what the sentence is about.
        for kind, rx in () if _OBJECT_BEFORE.search(left) else self._after:
            m = rx.match(t, g.end)
            if m is not None:
                return g.start, m.end(), kind
        for kind, before, after in self._both:
            m = before.search(left)
            if m is not None:
                am = after.match(t, g.end)
                if am is not None:
                    return g.start - len(left) + m.start() + (0 if m.group()[:1].isalnum() else 1), am.end(), kind
        if not _ends_group(t, g.end):
            return self._for_all(t, g, left)
        for kind, rx in self._before:
            m = rx.search(left)
            if m is not None:
                start = g.start - len(left) + m.start() + (0 if m.group()[:1].isalnum() else 1)
                return start, g.end, kind
        return self._for_all(t, g, left)

    def _for_all(self, t: str, g: Span, left: str) -> tuple[int, int, str] | None:
        """A group, or one member standing for it: judged as typical ("typical Muslim behaviour", "Typical
        woman!"), refused work, a home or a service by the writer ("I'd never hire a woman"), or generalised
        after a pronoun ("a woman, they're too emotional")."""
        at = g.start - len(left)
        m = _TYPICAL.search(left)
        if m is not None and not _NOT_TYPICAL.search(left, 0, m.start()):
            start = at + m.start("typical")
            if self._typical_after is not None:
                am = self._typical_after.match(t, g.end)
                if am is not None:
                    return start, am.end(), "attribute"
            if self._typical_alone and _OPENS.search(left, 0, m.start("typical")) and _CLOSES.match(t, g.end):
                return start, g.end, "attribute"
        m = self._refusal.search(left)
        if m is not None and _ends_group(t, g.end) and not _SOMEONE_IN_PARTICULAR.match(t, g.end):
            if not _REPORTED.search(left[: m.start() + 1].rpartition(".")[2]):
                return at + m.start() + (0 if m.group()[:1].isalnum() else 1), g.end, "rights"
        if g.kind.startswith("member:") and _ONE_OF_THEM.search(left):
            am = self._they.match(t, g.end)  # "a woman, they're too emotional"
            if am is not None:
                return g.start, am.end(), "attribute"
        return None


def _split(entries: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
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


def _ends_group(t: str, end: int) -> bool:
    """Does the group phrase end a noun phrase here (not "Chinese *food*", "Muslim *holidays*")?"""
    m = re.match(r"\s*([\w']+|[^\w\s])?", t[end : end + 30])
    word = m.group(1) if m else None
    return word is None or word in _CLOSED_AFTER or not word[:1].isalpha()


def _guarded(t: str, start: int, end: int) -> bool:
    """Quoted, reported, negated or asked: a person decides."""
    left = t[max(0, start - 90) : start]
    cut = max(left.rfind("."), left.rfind("!"), left.rfind("?"), left.rfind("\n"))
    if cut >= 0:
        left = left[cut + 1 :]
    if _REPORTED.search(left) or _NEGATION_BEFORE.search(left) or _REPORTED_AFTER.match(t, end):
        return True
    return _QUESTION_AFTER.match(t, end) is not None and "?" in t[end : end + 80].split(".")[0]
