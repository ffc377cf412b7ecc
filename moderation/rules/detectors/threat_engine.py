"""The compiled threat grammar (``threats``): acts, targets and forms, read in a comment's views."""

from __future__ import annotations

import re
from typing import NamedTuple

import ahocorasick

from ..normalise import Normalised
from .lexicon import SPACE, LastViews, PhraseIndex, Span, alternation, phrase, word_graph
from .threat_entries import VEIL_SEP, anchor, by_anchor, dying_forms, lead_with_words
from .threat_members import members_as_people
from .threat_words import (
    CALLS,
    CHAINED_IMPERATIVE,
    DEAR_GLUE,
    DEATH_TO_GLUE,
    DESERVE,
    DROPPED_SUBJECT,
    DYING_AUX,
    DYING_BLOCKERS,
    DYING_FUTURE_WORDS,
    FUTURE,
    FUTURE_AFTER_WHO,
    HYPOTHETICAL,
    INTENT_CLEAR,
    INTENT_HEDGED,
    LETHAL_DUE,
    MENTIONED_AFTER,
    NEGATED,
    NORMATIVE,
    NORMATIVE_AFTER_WHO,
    NOT_LETHAL_AFTER,
    PERSON_POSSESSED,
    POSSESSED,
    PROGRESSIVE,
    PUNCT_TO_SPACE,
    QUESTION_AFTER,
    RIGHT_GLUE,
    RIGHT_PLACE_GLUE,
    SENTENCE_START,
    SPEAKER_FORMS,
    STRONG_FORMS,
    THIRD,
    TRAVEL,
    TRAVEL_TO,
    WISH_AFTER,
    described,
    ends_with,
    ends_with_chained,
    exact_target,
    expand_phrases,
    is_reported,
    negated_span,
    prefilter_stems,
    right_target,
    targets_before,
    third_person,
    wish_start,
    word_start,
)


class Threat(NamedTuple):
    start: int
    end: int
    clear: bool
    who: str
    form: str


class Engine:
    """The compiled grammar: acts, targets and forms, built once per policy load."""

    def __init__(
        self, lists: dict[str, list[str]], groups: list[tuple[str, str]], people: list[tuple[str, str]]
    ) -> None:
        lists = {name: lead_with_words(name, terms) for name, terms in lists.items()}
        their = r"(?:your|ur|yer|his|her|their|ya|(?:[\w\-]+\s+){0,2}[\w\-]+'s)"
        slot = r"(?:[\w'+\-]+(?:\s+[\w'+\-]+){0,3}?)"
        slots = {"target": slot, "their": their}
        # "I hope someone *kills* you": the verbs' third-person forms read like the plain ones.
        verbs = lists["verbs"] + [third_person(t) for t in lists["verbs"]]
        verbs_unclear = lists["verbs_unclear"] + [third_person(t) for t in lists["verbs_unclear"]]
        # A veiled phrase ending in its target ("... happened to [target]") reads the target after it.
        veiled = [t.removesuffix(" [target]") for t in lists["veiled"]]
        self._veil_right = [
            re.compile(phrase(t.removesuffix(" [target]"), sep=VEIL_SEP))
            for t in lists["veiled"]
            if t.endswith(" [target]")
        ]
        veiled_acts = lists.get("veiled_acts", [])
        # Entries with a placeholder, by their first three letters (an act is read against its own few).
        self._placeholder: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        for t in [*verbs, *verbs_unclear, *veiled]:
            if "[" in t:
                sep = VEIL_SEP if t in veiled else SPACE
                rx = re.compile(phrase(t, {"target": f"({slot})", "their": f"({their})"}, stretch=True, sep=sep))
                self._placeholder.setdefault(anchor(t), []).append((rx, t))
        acts = {
            "v": verbs, "p": lists["participles"], "dn": expand_phrases([DESERVE, LETHAL_DUE]),
            "d": dying_forms(lists["dying"]),
            "death": ["death to", "death 2", "deth to"], "vu": verbs_unclear, "pu": lists["participles_unclear"],
            "veil": veiled, "veil_act": veiled_acts,
        }  # fmt: skip
        # Acts are found from their first three letters at a word start (one Aho-Corasick pass), then read with
        # the few patterns of that bucket, in this order: a word may be read several ways ("hurt": "I'll hurt
        # you", "you'll get hurt"; "burn": "burn the office", "I hope you burn"), each tried until one makes
        # a threat.
        buckets = by_anchor(acts)
        # A bucket's patterns are compiled the first time a comment has its letters: compiling them all took
        # most of the time a policy takes to load, and many buckets are rare.
        self._sources: dict[str, list[tuple[str, str]]] = {
            pair: [
                (kind, word_graph(terms, slots, stretch=True, sep=VEIL_SEP if kind == "veil" else SPACE) + r"\b")
                for kind, terms in by.items()
            ]
            for pair, by in buckets.items()
        }
        self._buckets: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        self._anchors = ahocorasick.Automaton()
        for pair in self._sources:
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
        self._first = ends_with(INTENT_CLEAR)
        self._hedged = ends_with(INTENT_HEDGED)
        self._calls = ends_with(CALLS)
        self._third = ends_with(THIRD)
        # "I'll wait for you after work and [act]": the intent carries over "and" to the act.
        self._chained = ends_with_chained(INTENT_CLEAR)
        # "Everyone go down to the office and [act]": a call carries over "and" the same way.
        self._calls_chained = ends_with_chained(CALLS)
        self._forms = (
            ("first", self._first), ("call", self._calls), ("first_hedged", self._hedged), ("third", self._third),
            ("first", DROPPED_SUBJECT), ("first", self._chained), ("first", TRAVEL_TO),
            ("call", self._calls_chained), ("imperative", CHAINED_IMPERATIVE), ("imperative", SENTENCE_START),
        )  # fmt: skip
        self.prefilter = prefilter_stems(acts)
        lists_by_kind = {
            "v": verbs, "p": lists["participles"], "d": lists["dying"], "vu": verbs_unclear,
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
        # The folded text, then the skeleton and the canonical view (evasive spellings of listed words read as the
        # words, "kil1 you", "killyou"), when they differ; kept for the comment read last.
        self.threats: LastViews[Threat] = LastViews(self._read)

    # ------------------------------------------------------------------ reading
    def _read(self, t: str, view: Normalised) -> list[Threat]:
        out: list[Threat] = []
        targets: list[Span] | None = None
        buckets = self._buckets
        sources = self._sources
        last_end = 0
        # Anchors at word starts: the text padded with a space, punctuation read as spaces (same length).
        for end, pair in self._anchors.iter(" " + t.translate(PUNCT_TO_SPACE)):
            s = end - 3  # offset in ``t`` of the anchor's first letter
            if s < last_end:
                continue
            found = None
            patterns = buckets.get(pair)
            if patterns is None:
                patterns = buckets[pair] = [(kind, re.compile(src)) for kind, src in sources[pair]]
            for kind, rx in patterns:
                km = rx.match(t, s)
                if km is not None:
                    if targets is None:
                        targets = members_as_people(t, self._targets.find(t))
                    found = self._one(t, kind, s, km.end(), km.group(), targets)
                    if found is not None:
                        break
            if found is None:
                continue
            start, end, clear, who, form = found
            if clear and (is_reported(t, start) or MENTIONED_AFTER.match(t, end) or QUESTION_AFTER.match(t, end)):
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
        if kind == "dn" and NOT_LETHAL_AFTER.match(t, e):
            return None  # "deserves a bullet-proof vest", "should get the chair of the committee"
        if kind in ("p", "pu", "dn"):
            return self._participle(t, kind != "pu", s, e, targets, kind == "dn")
        if kind == "d":
            return self._dying(t, s, e, targets)
        if kind == "veil":
            return self._veiled(t, s, e, act, targets)
        if kind == "veil_act":
            found = self._veiled(t, s, e, act, targets)
            start = self._speaker(t, s) if found is not None else None
            if found is None or start is None:
                return None
            return start, found[1], False, found[3], "veiled"
        if kind == "death":
            tgt = right_target(t, e, targets, DEATH_TO_GLUE)
            if tgt is None:
                return None
            return s, tgt.end, tgt.kind not in ("them", "someone"), described(tgt), "death_to"
        return None

    def _verb(
        self, t: str, strong: bool, s: int, e: int, act: str, targets: list[Span]
    ) -> tuple[int, int, bool, str, str] | None:
        tgt: Span | None = None
        end = e
        for pattern, _entry in self._placeholder.get(anchor(act), ()):
            pm = pattern.fullmatch(act)
            if pm is None:
                continue
            slot_start = s + pm.start(1)
            slot_end = s + pm.end(1)
            tgt = exact_target(slot_start, slot_end, targets, t)
            if tgt is None:
                return None
            break
        if tgt is None:
            tgt = right_target(t, e, targets, RIGHT_GLUE)
            m = RIGHT_PLACE_GLUE.match(t, e) if tgt is None else None
            if m is not None:
                # "burn the office", "shoot up the school": the act (with its particle) destroys a building, which
                # is never a figure of speech
                particle = m.group("particle")
                if self._destroy.match(f"{act} {particle}" if particle else act):
                    # the place's own words may begin with the article ("the office") or follow it ("parliament")
                    starts = {m.end(), m.start("article")} if m.group("article") else {m.end()}
                    tgt = next((p for p in self._places.find(t) if p.start in starts), None)
                    strong = True
            if tgt is None:
                return None
            end = tgt.end
        if self._tails.match(t, end) is not None:
            return None
        left = t[max(0, s - 80) : s]
        if NEGATED.search(left):
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
        if not strong and form == "first" and TRAVEL.search(left):
            # "I will come down there and smash every one of you": no figure of speech travels; but the travel must
            # come after the intent ("I'm going to write to my MP and destroy ..." goes nowhere)
            strong = rx is not self._chained or TRAVEL.search(m.group("middle") + "and ") is not None
        if strong and end == tgt.end and POSSESSED.match(t, end) and not PERSON_POSSESSED.match(t, end):
            strong = False  # "kill the minister's bill", "destroy the minister's argument": a thing of theirs
        clear = strong and form in STRONG_FORMS and tgt.kind != "them"
        if form == "imperative" and tgt.kind in ("person", "someone"):
            clear = False  # "kill him" alone may be a quote or a game; a person reads it
        return start, max(end, e), clear, described(tgt), form

    def _veiled(self, t: str, s: int, e: int, act: str, targets: list[Span]) -> tuple[int, int, bool, str, str] | None:
        """Menace without a violent word; always for a person to judge. The target, when the phrase has one, must
        be a person, staff, the Minister or a group ("I know where *the minister* lives")."""
        who = "the reader"
        for pattern, _entry in self._placeholder.get(anchor(act), ()):
            pm = pattern.fullmatch(act)
            if pm is None:
                continue
            tgt = exact_target(s + pm.start(1), s + pm.end(1), targets, t)
            if tgt is None:
                return None
            who = described(tgt)
            break
        else:
            if any(p.fullmatch(act) for p in self._veil_right):
                tgt = right_target(t, e, targets, RIGHT_GLUE)
                if tgt is None:
                    return None
                who, e = described(tgt), tgt.end
        if NEGATED.search(t[max(0, s - 30) : s]) or self._tails.match(t, e) is not None:
            return None  # "... will pay for this *at the election*": a figure of speech
        return s, e, False, who, "veiled"

    def _speaker(self, t: str, s: int) -> int | None:
        """Where the writer's intent to do the act at ``s`` begins ("*I'll* bring a gun to the office", "*Bring* a
        gun to ..."), or None when nobody here says they will do it ("Students who bring a knife ...")."""
        left = t[max(0, s - 80) : s]
        if NEGATED.search(left):
            return None
        for form, rx in self._forms:
            if form not in SPEAKER_FORMS:
                continue
            m = rx.search(left)
            if m is not None:
                return s if form == "imperative" else s - len(left) + word_start(m)
        m = PROGRESSIVE.search(left)
        return None if m is None else s - len(left) + word_start(m)

    def _participle(
        self, t: str, strong: bool, s: int, e: int, targets: list[Span], deserve: bool = False
    ) -> tuple[int, int, bool, str, str] | None:
        if self._tails.match(t, e) is not None:
            return None
        for tgt in targets_before(targets, s, 60):
            if deserve:  # "[target] deserve(s) a bullet": the act carries its own verb
                if DEAR_GLUE.fullmatch(t, tgt.end, s) is None:
                    continue
                return tgt.start, e, strong and tgt.kind not in ("them", "someone"), described(tgt), "normative"
            relative = t[tgt.start : tgt.end].endswith(("who", "whoever"))
            normative, future = (NORMATIVE_AFTER_WHO, FUTURE_AFTER_WHO) if relative else (NORMATIVE, FUTURE)
            if normative.fullmatch(t, tgt.end, s) is not None:
                if NEGATED.search(t, max(0, tgt.end - 1), s) or negated_span(t, tgt.end, s):
                    return None
                if HYPOTHETICAL.search(t, tgt.end, s):
                    return tgt.start, e, False, described(tgt), "hypothetical"
                clear = strong and tgt.kind not in ("them", "someone")
                return tgt.start, e, clear, described(tgt), "normative"
            if future.fullmatch(t, tgt.end, s) is not None:
                if negated_span(t, tgt.end, s):
                    return None
                # "Somebody's going to get stabbed" is the classic veiled threat; "you'll get hurt" may be a
                # warning, so predictions about "you" or a named person are for a person to judge.
                clear = strong and tgt.kind == "someone" and tgt.term in ("someone", "somebody")
                return tgt.start, e, clear, described(tgt), "future"
            if WISH_AFTER.fullmatch(t, tgt.end, s) is not None:
                opening = wish_start(t, tgt.start)
                if opening is not None:
                    clear = strong and tgt.kind not in ("them", "someone")
                    return opening, e, clear, described(tgt), "wish"
        return None

    def _dying(self, t: str, s: int, e: int, targets: list[Span]) -> tuple[int, int, bool, str, str] | None:
        nxt = re.match(r"\s*([\w']+)", t[e : e + 20])
        if (nxt is not None and nxt.group(1) in DYING_BLOCKERS) or self._tails.match(t, e) is not None:
            return None  # "... burns at the next election": a figure of speech
        for tgt in targets_before(targets, s, 50):
            glue = t[tgt.end : s]
            if glue.strip() == "" or re.fullmatch(r"\s+(?:all\s+|just\s+|would\s+|will\s+|'ll\s+)*", glue):
                opening = wish_start(t, tgt.start)
                if opening is not None:
                    clear = tgt.kind not in ("them", "someone")
                    return opening, e, clear, described(tgt), "wish"
            m = DYING_AUX.fullmatch(glue + " ") if glue else None
            if m is not None:
                if negated_span(t, tgt.end, s):
                    return None
                future = any(w in glue for w in DYING_FUTURE_WORDS)
                form = "future" if future else "normative"
                clear = not future and tgt.kind not in ("them", "someone")
                return tgt.start, e, clear, described(tgt), form
        return None
