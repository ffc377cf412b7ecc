"""The hate detector's compiled lists and how it reads a comment with them (see ``hate.py`` for the forms and
kinds): each group named is matched against what follows it, what precedes it and both, then against the forms
that read one member as the whole group."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..normalise import Normalised
from ..variants import zipf
from .hate_words import (
    ABUSED_AS,
    ADVERBS,
    ANIMAL_AFTER,
    CALLING,
    CLOSES,
    CLOSES_CLAUSE,
    COPULA,
    DENIED,
    DET,
    DISBELIEF_BEFORE,
    EVERYDAY_ZIPF,
    EXPEL_NOW,
    EXPEL_THEM,
    HUMAN_AFTER,
    INTENSIFIERS,
    LATER_WINDOW,
    LONG_WORD,
    NONE_ARE,
    NONE_OF_THEM,
    NONE_TRUSTED,
    NOT_TYPICAL,
    OBJECT_BEFORE,
    ONE_OF_THEM,
    OPENS,
    PARTIAL,
    PP,
    REFUSER,
    REPORTED,
    SELF_BEFORE,
    SOMEONE_IN_PARTICULAR,
    STOP,
    SUBJECT,
    THEM_ALL,
    THEY,
    TOO_MANY,
    TOO_MANY_AFTER,
    TYPICAL,
    TYPICAL_OF,
    VIRTUE_ADVERBS,
    WHOLE,
    YOU,
    YOU_BEFORE,
    ends_group,
    grouped,
    guarded,
    not_the_subject,
    rights_pattern,
    split,
)
from .lexicon import LastViews, PhraseIndex, Span, alternation, group_label, group_members, word_graph


class Finding(NamedTuple):
    start: int
    end: int
    kind: str
    clear: bool
    who: str


class HateEngine:
    """The compiled lists: group phrases in one automaton, what follows and precedes them as patterns."""

    def __init__(
        self, lists: dict[str, list[str]], groups: list[tuple[str, str]], heads: frozenset[str] = frozenset()
    ) -> None:
        # "you people" and "your lot" are left out: they are how a commenter addresses the department's staff.
        others = [
            ("those people", "them"),
            ("these people", "them"),
            ("people like that", "them"),
            ("your kind", "them"),
        ]
        self._groups = PhraseIndex(groups + others)
        # One member of a group ("muslim", "woman", "refugee"), read only where a form says it stands for them all
        # ("typical Muslim behaviour", "I'd never hire a woman").
        members = sorted(set(group_members(groups)))
        self._members = PhraseIndex([(t, "member:" + kind) for t, kind in members])
        dehum = alternation(lists["dehumanising"])
        # "[group] are sick of being blamed": a feeling of theirs, not an attribute said of them
        attrs = alternation(lists["attributes"]) + (
            r"\b(?!\s+(?:of\s+(?:\w+ing|the|this|that|these|those|it|you|us|them|people|everyone|our|their|your)|"
            r"and\s+tired|to\s+death)\b)"
        )
        self._after: list[tuple[str, re.Pattern[str]]] = [
            ("dehumanising", re.compile(rf"{PP}{COPULA}{INTENSIFIERS}\s+{dehum}\b")),
            ("dehumanising", re.compile(rf"{PP}{ADVERBS}\s+{alternation(lists['dehumanising_acts'])}\b")),
            ("rights", re.compile(rights_pattern(alternation(lists["rights"])))),
            ("expulsion", re.compile(rf"{PP}{ADVERBS}\s+{word_graph(lists['expulsion'])}\b")),
            ("attribute", re.compile(rf"{PP}{COPULA}{INTENSIFIERS}\s+{attrs}\b")),
            ("attribute", re.compile(rf"{PP}{ADVERBS}\s+{word_graph(lists['behaviours'])}\b")),
        ]
        # "[group] are never trustworthy", "[group] can't be trusted": a good quality denied to the whole group.
        virtues = rf"{VIRTUE_ADVERBS}\s+{alternation(lists['virtues'])}\b"
        self._after.append(("attribute", re.compile(rf"{PP}{DENIED}{virtues}")))
        # ... and to every member: "No woman is capable of running a department".
        self._none_are = re.compile(rf"{NONE_TRUSTED}|{NONE_ARE}{virtues}")
        self._they = re.compile(rf"{PP}{THEY}{INTENSIFIERS}\s+{attrs}\b")
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
        # "Muslim scum", "refugee parasites", "trans freaks": members called by a word right after the group's.
        dehumanising_words = set(lists["dehumanising"])
        called_dehum = [w for w in lists["called"] if w in dehumanising_words]
        called_other = [w for w in lists["called"] if w not in dehumanising_words]
        self._called = [
            (kind, re.compile(rf"\s+{alternation(words)}\b"))
            for kind, words in (("dehumanising", called_dehum), ("attribute", called_other))
            if words
        ]
        # The writer refuses ("I'd never hire a ..."), or tells the reader to, opening a sentence ("Never hire a ...",
        # "Don't ever rent to ...").
        self._refusal = re.compile(
            rf"(?:(?:^|[^\w']){REFUSER}\s*|(?:^|[.!?;:\n\"(]\s*|(?:^|\s)(?:just|so|and|please|pls)\s+))"
            rf"{alternation(lists['refusals'])}\s+(?:a|an|any|another|more|the|other)?\s*$"
        )
        # Before the group: the writer's hatred ("I hate"), a call to remove it ("deport all the"); entries with
        # "[group]" say where the group goes ("send [group] back", "[group] make me sick").
        hatred_before, hatred_after, hatred_both = split(lists["hatred"])
        calls_before, calls_after, calls_both = split(lists["expulsion_calls"])
        # "Trans people? I can't stand them": the writer's hatred said of the group a little later, as "them".
        self._hated_later = re.compile(
            rf"(?:^|[^\w']){SUBJECT}\s*{alternation(hatred_before)}\s+{THEM_ALL}(?=$|[^\w'])"
        )
        # "Immigrants are not idiots, they are vermin": called vermin as "they", later in the same sentence.
        self._called_later = re.compile(rf"(?:^|[^\w'])(?:they're|theyre|they are|they r){INTENSIFIERS}\s+{dehum}\b")
        self._before: list[tuple[str, re.Pattern[str]]] = [
            ("hatred", re.compile(rf"(?:^|[^\w']){SUBJECT}\s*{alternation(hatred_before)}\s+{DET}$")),
            ("expulsion", re.compile(rf"(?:^|[^\w']){alternation(calls_before)}\s+{DET}$")),
            ("rights", re.compile(rf"(?:^|[.!?]\s*)no\s+{alternation(lists['rights'])}\s+for\s+{DET}$")),
            # "you filthy Muslim", "ya dirty refugee": the reader abused as a member of the group.
            ("attribute", re.compile(rf"{YOU}(?:{ABUSED_AS}\s+)+$")),
        ]
        # "Can't stand Asians", "Despise trans people": the writer's hatred with "I" left out, opening a sentence.
        opening = [h for h in hatred_before if not h.startswith(("am ", "'m ", "have ", "'ve ", "want "))]
        self._before.append(
            (
                "hatred",
                re.compile(rf"(?:^|[.!?\n]\s*)(?:honestly\s+|seriously\s+|just\s+)?{alternation(opening)}\s+{DET}$"),
            )
        )
        self._after += [
            # "Africans go home", "migrants get out!": told to leave, closing the sentence.
            ("expulsion", re.compile(rf"{PP}\s+(?:{EXPEL_NOW})\s*(?:$|[.!,;])")),
            # "Refugees? Send them all back", "Muslims, deport them": the group named, then the call on "them".
            ("expulsion", re.compile(rf"{PP}\s*(?:\?+|,|:|-+|\.\.+)\s*(?:just\s+)?(?:{EXPEL_THEM})\b")),
        ]
        if hatred_after:
            self._after.insert(0, ("hatred", re.compile(rf"{PP}{ADVERBS}\s+{alternation(hatred_after)}\b")))
        # One regex pair per set of words after the group: an entry's "{a|b}" choices expand to every combination,
        # and a pair per combination was searched for at every group named.
        self._both: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
            (kind, re.compile(rf"(?:^|[^\w']){alternation(bs)}\s+{DET}$"), re.compile(rf"\s+{alternation(afters)}\b"))
            for kind, pairs in (("hatred", hatred_both), ("expulsion", calls_both))
            for bs, afters in grouped(pairs)
        ]
        # "Too many Indians here", "way too many Chinese!": the number of a group's members is the complaint, with
        # the group closing the sentence ("too many women are dying from violence" is not read).
        self._both.append(("expulsion", TOO_MANY, TOO_MANY_AFTER))
        # "I don't think Muslims are human": humanity denied by the writer's disbelief.
        self._both.append(("dehumanising", DISBELIEF_BEFORE, HUMAN_AFTER))
        # "So typical of women", "typical of Muslims, that": a group judged as a whole, closing the clause.
        self._both.append(("attribute", TYPICAL_OF, CLOSES_CLAUSE))
        # A rhetorical question says the same of the whole group: "why are women so useless", "are all [group]
        # terrorists?", "why are [group] such parasites" (a person decides: a question is never hidden).
        why = re.compile(
            r"(?:^|[^\w'])why\s+(?:are|r|do|is)\s+" + DET + r"$|(?:^|[.!?]\s*)(?:are|aren't|arent)\s+" + DET + "$"
        )
        self._both += [
            ("attribute", why, re.compile(rf"{INTENSIFIERS}\s+{attrs}\b")),
            ("question", why, re.compile(rf"{INTENSIFIERS}\s+{dehum}\b")),
        ]
        # Prefilter: each group phrase's longest word that is not "the", "people" and the like (its first eight
        # letters; a short word with nothing after it, so "jews." and "gay," are read too).
        prefixes: set[str] = set()
        after_adjective = {w for term, _ in groups for w in term.split()[1:]} & heads
        for term, _kind in groups:
            words = [w for w in term.rstrip("*").split() if w not in STOP and w not in after_adjective] or term.split()
            word = max(words, key=len)
            prefixes.add(" " + word[:8])
        prefixes.update(" " + term for term, _ in others)
        for term, _kind in members:
            word = max(term.split(), key=len)
            prefixes.add(" " + word[:8])
        self.prefilter = tuple(sorted(prefixes))
        # The group words (not "people" or "the"), for the pipeline's evasive spellings ("mus lims", "allmuslims").
        self.vocabulary = frozenset(
            w for term, _ in groups for w in term.rstrip("*").split() if w.isalpha() and len(w) >= 4 and w not in STOP
        )
        # What is said of a group, single words: read with a vowel masked too ("v*rmin", "an*mals").
        self.masked = frozenset(
            w for name in ("dehumanising", "attributes") for w in lists[name] if w.isalpha() and len(w) >= 5
        )
        # ... and read in their evasive spellings, and inside run-together tokens ("vermn", "muslimsarevermin").
        self.vocabulary |= self.masked
        # ... and the writer's hatred, one word ("despize", "l0athe").
        self.vocabulary |= {w for w in hatred_before if w.isalpha() and len(w) >= 4}
        # ... and the long, less common words of exclusion and denial ("depotred", "belnog"; not "should", "people"
        # or "office", which would send everyday comments to the slower reading).
        self.vocabulary |= {
            w
            for name in ("expulsion", "expulsion_calls", "rights")
            for entry in lists[name]
            for w in entry.split()
            if w.isalpha() and len(w) >= LONG_WORD and w not in STOP and zipf(w) < EVERYDAY_ZIPF
        }
        self.findings: LastViews[Finding] = LastViews(self._read)

    def _read(self, t: str, view: Normalised) -> list[Finding]:
        spans = self._groups.find(t)
        spans += self._members.find(t)
        if not spans:
            return []
        spans.sort(key=lambda s: (s.start, -s.end))
        out: list[Finding] = []
        covered = -1
        longest = (-1, -1)  # the longest group at the last start, found or not
        for g in spans:
            if g.start < covered:
                continue  # a shorter group inside one already read ("people" in "muslim people")
            if longest[0] < g.start < longest[1] and not_the_subject(t[max(0, longest[0] - 60) : longest[0]]):
                continue  # ... or in one that is some of a group or an object ("hate against trans women")
            if g.start != longest[0]:
                longest = (g.start, g.end)
            found = self._one(t, g)
            if found is None and g.kind.startswith("group:"):
                found = self._hated_after(t, g)
            if found is None:
                continue
            start, end, kind = found
            if kind == "question":
                kind = "dehumanising"  # said as a question: for a person, never hidden
                clear = False
            else:
                clear = kind == "dehumanising" and g.kind != "them" and not guarded(t, start, end)
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
        if PARTIAL.search(left) and not WHOLE.search(left):
            return None
        if g.kind.startswith("member:"):
            return self._for_all(t, g, left)
        # "People who abuse refugees should be deported", "hate speech against Muslims should be banned": the group
        # is what something is done to, not what the sentence is about.
        for kind, rx in () if OBJECT_BEFORE.search(left) else self._after:
            m = rx.match(t, g.end)
            if m is not None:
                return g.start, m.end(), kind
        for kind, before, after in self._both:
            m = before.search(left)
            if m is not None:
                am = after.match(t, g.end)
                if am is not None:
                    return g.start - len(left) + m.start() + (0 if m.group()[:1].isalnum() else 1), am.end(), kind
        if not ends_group(t, g.end):
            return self._for_all(t, g, left)
        for kind, rx in self._before:
            m = rx.search(left)
            if m is not None:
                start = g.start - len(left) + m.start() + (0 if m.group()[:1].isalnum() else 1)
                return start, g.end, kind
        return self._for_all(t, g, left)

    def _hated_after(self, t: str, g: Span) -> tuple[int, int, str] | None:
        """A group named, then the writer's hatred of "them" in the same sentence or the next ("I met a lot of
        Sudanese people last year and honestly I despise them"), or "they are [vermin]" in the same sentence; not
        when the group is what something is done to ("people who abuse refugees ... I hate them")."""
        if OBJECT_BEFORE.search(t[max(0, g.start - 60) : g.start]):
            return None
        rest = t[g.end : g.end + LATER_WINDOW]
        stops = [i for i, ch in enumerate(rest) if ch in ".!?\n"]
        if len(stops) > 1:
            rest = rest[: stops[1]]
        m = self._hated_later.search(rest)
        if m is not None:
            return g.start, g.end + m.end(), "hatred"
        # Called a dehumanising name as "they", in the same sentence: for a person (the antecedent is read, not
        # known), so an attribute, never hidden.
        m = self._called_later.search(rest[: stops[0]] if stops else rest)
        return None if m is None else (g.start, g.end + m.end(), "attribute")

    def _for_all(self, t: str, g: Span, left: str) -> tuple[int, int, str] | None:
        """A group, or one member standing for it: judged as typical ("typical Muslim behaviour", "Typical
        woman!"), refused work, a home or a service by the writer ("I'd never hire a woman"), or generalised
        after a pronoun ("a woman, they're too emotional")."""
        at = g.start - len(left)
        if g.kind.startswith("member:") and not CALLING.search(left) and not SELF_BEFORE.search(left):
            for kind, rx in self._called:
                am = rx.match(t, g.end)
                if am is not None:
                    return g.start, am.end(), kind
            # "you Muslim dog": the reader abused as a member, with an animal's name the list leaves out.
            am = ANIMAL_AFTER.match(t, g.end)
            if am is not None and YOU_BEFORE.search(left):
                return g.start, am.end(), "attribute"
        m = TYPICAL.search(left)
        if m is not None and not NOT_TYPICAL.search(left, 0, m.start()):
            start = at + m.start("typical")
            if self._typical_after is not None:
                am = self._typical_after.match(t, g.end)
                if am is not None:
                    return start, am.end(), "attribute"
            if self._typical_alone and OPENS.search(left, 0, m.start("typical")) and CLOSES.match(t, g.end):
                return start, g.end, "attribute"
        m = self._refusal.search(left)
        if m is not None and ends_group(t, g.end) and not SOMEONE_IN_PARTICULAR.match(t, g.end):
            if not REPORTED.search(left[: m.start() + 1].rpartition(".")[2]):
                return at + m.start() + (0 if m.group()[:1].isalnum() else 1), g.end, "rights"
        none = NONE_OF_THEM.search(left)
        if none is not None:
            am = self._none_are.match(t, g.end)  # "No woman is capable of running a department"
            if am is not None:
                return at + none.start("no"), am.end(), "attribute"
        if g.kind.startswith("member:") and ONE_OF_THEM.search(left):
            am = self._they.match(t, g.end)  # "a woman, they're too emotional"
            if am is not None:
                return g.start, am.end(), "attribute"
        return None
