"""The policy's one Aho-Corasick automaton: every word the policy listens for, found in one pass over a view.

Its keys are every word-list term of every rule (and their masked spellings, "c*nt"), every regex rule's prefilter
words, every detector's trigger words, the allowed place names, the evasion triggers (``normalise``) and the
evasive spellings of listed words (``variants``). ``Automaton.scan`` walks one view of a comment and fills a
``Scan``: the word rules' spans, the prefilters seen, the allowed words, and what the evasive views need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

import ahocorasick

from .detectors import Detector
from .model import Rule, positional_builder
from .normalise import Normalised
from .skeleton import evasion_triggers
from .variants import LEAD_BOUNDS, TRAIL_BOUNDS, VariantTable, build_canonical, vowel_masks

MAX_HITS_PER_RULE = 5
# Confidence of a word found at the start of a #hashtag. A hiding rule whose every match is in a hashtag
# queues the comment instead: a hashtag names a topic, and whom it targets is for a person to judge.
HASHTAG_CONFIDENCE = 0.6
CANONICAL_CONFIDENCE = 0.85  # a match found only once evasive spellings were read as the listed word
SKELETON_CONFIDENCE = 0.9  # a match found only in the skeleton (leet, separators, stretched letters)

# What a key stands for. VARIANT: an evasive spelling of a listed word (variants.py); VOCAB: a listed word,
# reported only when it is glued to other letters ("faggotall"), for the run-together check.
TERM, PREFILTER, ALLOW, EVASIVE, VARIANT, VOCAB = 0, 1, 2, 3, 4, 5
_PATTERN_WORD = re.compile(r"[a-z]{5,}")
_ESCAPE = re.compile(r"\\[a-zA-Z]")


class Entry(NamedTuple):
    """One meaning of an automaton key. ``ref``: the rule's index (TERM, PREFILTER), the skeleton steps the
    trigger calls for (EVASIVE) or the evasive spelling's index in ``Automaton.variant_words`` (VARIANT)."""

    kind: int
    ref: int
    length: int
    whole: bool  # whole words only
    prefix: bool  # any ending allowed ("faggot*")
    evasion_ok: bool  # also looked for in the evasive views


class Span(NamedTuple):
    """A word rule's match (or a regular expression's) in original offsets."""

    start: int
    end: int
    confidence: float


class Spelling(NamedTuple):
    """An evasive spelling (VARIANT) or a glued listed word (VOCAB) seen in a view, in that view's offsets."""

    kind: int
    start: int
    end: int
    ref: int  # VARIANT: the index in ``Automaton.variant_words``


class Trigger(NamedTuple):
    """An evasion trigger seen in the folded text: where, and the skeleton steps it calls for."""

    start: int
    end: int
    steps: int


# Built from plain tuples in their fields' order, once per match (see ``positional_builder``), and read by name.
_span = positional_builder(Span, ("start", "end", "confidence"))
_trigger = positional_builder(Trigger, ("start", "end", "steps"))


class Scan:
    """What the automaton found in one comment, over all the views it scanned."""

    __slots__ = ("words", "prefilters", "allowed")

    def __init__(self) -> None:
        self.words: dict[int, list[Span]] = {}  # rule index -> its spans, at most 2 * MAX_HITS_PER_RULE
        self.prefilters: set[int] = set()  # rules whose prefilter words were seen
        self.allowed: list[tuple[int, int]] = []  # allowed words (place names), in original offsets


class Automaton:
    """The compiled automaton of a policy's rules (``rules`` and their ``compiled`` matchers, in policy order)."""

    def __init__(self, rules: Sequence[Rule], compiled: Sequence[Any], allow_terms: Sequence[str]) -> None:
        entries: dict[str, list[Entry]] = {}

        interned: dict[Entry, Entry] = {}

        def add(key: str, entry: Entry) -> None:
            entries.setdefault(key, []).append(interned.setdefault(entry, entry))

        self.evasion_needed = any(rule.evasion for rule in rules)
        self.maskable = maskable = maskable_words(rules)  # the reference matcher reads the same words
        for idx, (rule, matcher) in enumerate(zip(rules, compiled, strict=True)):
            if rule.kind == "words":
                for term in rule.terms:
                    prefix = term.endswith("*")
                    word = term.rstrip("*")
                    add(word, Entry(TERM, idx, len(word), rule.whole_word, prefix, rule.evasion))
                    if rule.evasion:
                        # Masked spellings ("c*nt", "sh*t"): one vowel replaced by a star, in the folded text.
                        for masked in masked_spellings(word, prefix, maskable):
                            add(masked, Entry(TERM, idx, len(masked), rule.whole_word, prefix, False))
            elif rule.kind == "regex":
                # Regex prefilter words must start a word ("hang" is not found in "change").
                for p in rule.prefilter:
                    add(p, Entry(PREFILTER, idx, len(p), True, False, rule.evasion))
            elif isinstance(matcher, Detector):
                for p in matcher.prefilter_terms:
                    add(p, Entry(PREFILTER, idx, len(p), False, False, True))
        for term in allow_terms:
            word = term.rstrip("*")
            add(word, Entry(ALLOW, -1, len(word), True, term.endswith("*"), True))
        # ``scan`` relies on this: a word's neighbours are read in the text padded with one space each side.
        for key, found in entries.items():
            if key != key.strip() and any(e.kind in (TERM, ALLOW) for e in found):
                raise ValueError(f"word-list term {key!r} starts or ends with a space (the loader folds them)")
        if self.evasion_needed:
            for trigger, step in evasion_triggers().items():
                add(trigger, Entry(EVASIVE, step, len(trigger), False, False, False))
        vocab, glue = vocabulary(rules, compiled)
        detector_words = {
            w
            for matcher in compiled
            if isinstance(matcher, Detector)
            for w in (*getattr(matcher, "vocabulary", ()), *getattr(matcher, "masked_vocabulary", ()))
        }
        phrases = {t.rstrip("*") for r in rules if r.kind == "words" and r.evasion for t in r.terms if " " in t}
        self.variants = VariantTable.build(vocab, allow_terms, glue, detector_words - maskable, phrases)
        # (listed word, characters to trim from the key's start, from its end)
        self.variant_words: list[tuple[str, int, int]] = []
        for key, variant in self.variants.keys.items():
            vid = len(self.variant_words)
            if variant.edge == 0:
                add(key, Entry(VARIANT, vid, len(key), True, variant.prefix, True))
                self.variant_words.append((variant.canonical, 0, 0))
            elif variant.edge < 0:
                for b in LEAD_BOUNDS:
                    add(b + key, Entry(VARIANT, vid, len(key) + 1, True, variant.prefix, True))
                self.variant_words.append((variant.canonical, 1, 0))
            else:
                for b in TRAIL_BOUNDS:
                    add(key + b, Entry(VARIANT, vid, len(key) + 1, True, variant.prefix, True))
                self.variant_words.append((variant.canonical, 0, 1))
        for word in self.variants.glue_words:
            add(word, Entry(VOCAB, 0, len(word), False, False, True))
        self.auto = ahocorasick.Automaton()
        # Most keys share their meanings with many others (a rule's masked spellings of one length): each
        # distinct meaning is stored once, which keeps the compiled policy small in a long-running worker.
        shared: dict[tuple[Entry, ...], tuple[Entry, ...]] = {}
        for key, found in entries.items():
            meanings = tuple(found)
            self.auto.add_word(key, shared.setdefault(meanings, meanings))
        self.empty = not entries
        if not self.empty:
            self.auto.make_automaton()

    def scan(
        self,
        view: Normalised,
        evasive_pass: bool,
        out: Scan,
        triggers: list[Trigger] | None = None,
        spellings: list[Spelling] | None = None,
        base_conf: float = 1.0,
    ) -> int:
        """One pass over ``view``: fills ``out``, ``triggers`` with the evasion triggers seen and ``spellings``
        with the evasive spellings and glued words seen (in ``view``'s own offsets). An evasive pass (over the
        skeleton or the canonical view) reads only the keys meant for those views. Returns the skeleton steps
        the triggers seen call for (0: none; only meaningful on the first pass)."""
        starts = view.starts
        steps = 0
        words, seen_prefilter, allow = out.words, out.prefilters.add, out.allowed.append
        # Spaces around the text let prefilters such as " st " and triggers such as " f u " match at either
        # end; no term starts or ends with a space, so no term's span reaches outside the text. Offsets
        # below are in the padded text ``p`` (text offset + 1) until a span is recorded; its spaces stand for
        # "no character" at either end (neither alphanumeric nor "@" nor "#").
        p = " " + view.text + " "
        for end, entries in self.auto.iter(p):
            end += 1  # padded offset just past the match
            # Unpacked in Entry's field order (this loop runs for every key seen in every comment).
            for kind, idx, length, whole, prefix, evasion_ok in entries:
                if kind == EVASIVE:
                    steps |= idx
                    if triggers is not None:
                        triggers.append(_trigger((end - length - 1, end - 1, idx)))
                    continue
                if kind >= VARIANT:
                    if spellings is None:
                        continue
                    vs, ve = end - length, end
                    if kind == VARIANT:
                        _, lead, trail = self.variant_words[idx]
                        vs += lead  # the key holds the character before or after the spelling
                        ve -= trail
                        before, after = p[vs - 1], p[ve]
                        if not (before.isalnum() or before == "@" or (after.isalnum() and not prefix)):
                            spellings.append(Spelling(kind, vs - 1, ve - 1, idx))
                        continue
                    before, after = p[vs - 1], p[ve]
                    # Glued on a side with three letters or more ("muslimsare", not "bitches").
                    if (after.isalpha() and p[ve + 1].isalpha() and p[ve + 2 : ve + 3].isalpha()) or (
                        before.isalpha()
                        and vs > 2
                        and (p[vs - 2].isalpha() and p[vs - 3].isalpha() or not p[vs - 2].isalpha())
                    ):  # (or one letter: "a z i p p e r h e a d" joins the article too)
                        spellings.append(Spelling(kind, vs - 1, ve - 1, idx))
                    continue
                if evasive_pass and not evasion_ok:
                    continue
                start = end - length
                if kind == PREFILTER:
                    if not whole or start <= 1 or not p[start - 1].isalnum():
                        seen_prefilter(idx)
                    continue
                conf = base_conf
                stop = end
                if whole:
                    # Whole words only; a word that is part of an @handle is a name, not language, and one
                    # that starts a #hashtag names a topic: reported, but never hidden by software alone.
                    before = p[start - 1]
                    if before.isalnum() or before == "@":
                        continue
                    if before == "#":
                        conf = HASHTAG_CONFIDENCE
                    if prefix:
                        while p[stop].isalnum():
                            stop += 1
                    elif p[stop].isalnum():
                        continue
                if starts is None:
                    s = start - 1
                    e = stop - 1
                else:
                    s, e = view.span(start - 1, stop - 1)
                if kind == ALLOW:
                    allow((s, e))
                    continue
                spans = words.get(idx)
                if spans is None:
                    words[idx] = [_span((s, e, conf))]
                elif len(spans) < MAX_HITS_PER_RULE * 2:
                    spans.append(_span((s, e, conf)))
        return steps

    def canonical(
        self, base: Normalised, found: list[Spelling], held: list[tuple[int, int, str]] | None = None
    ) -> Normalised:
        """``base`` with evasive spellings replaced by the listed words, glued words pulled apart and ``held``
        words (``held.held_edits``) read as the listed words they spell."""
        edits: list[tuple[int, int, str]] = list(held or ())
        glued: list[tuple[int, int]] = []
        for spelling in found:
            if spelling.kind == VARIANT:
                edits.append((spelling.start, spelling.end, self.variant_words[spelling.ref][0]))
            else:
                glued.append((spelling.start, spelling.end))
        if glued:
            edits.extend((pos, pos, " ") for pos in self.variants.glue_splits(base.text, glued))
        if not edits:
            return base
        return build_canonical(base, edits)


def vocabulary(rules: Sequence[Rule], compiled: Sequence[Any]) -> tuple[set[tuple[str, bool]], set[str]]:
    """The words evasive spellings are worked out for, each with "any ending allowed": every word of the
    word lists of rules that read evasions, and the words regular expressions and detectors look for. Also
    the words looked for inside run-together tokens: single-word list entries, prefilter and detector words
    (not the "you" and "stupid" of a listed phrase)."""
    words: set[tuple[str, bool]] = set()
    glue: set[str] = set()
    for rule, matcher in zip(rules, compiled, strict=True):
        if rule.kind == "words" and rule.evasion:
            for term in rule.terms:
                parts = term.rstrip("*").split()
                for i, part in enumerate(parts):
                    words.add((part, term.endswith("*") and i == len(parts) - 1))
                if len(parts) == 1:
                    glue.add(parts[0])
        elif rule.kind == "regex" and rule.evasion:
            source = _ESCAPE.sub(" ", rule.pattern.lower())
            words.update((w, False) for p in rule.prefilter for w in p.split() if w.isalpha())
            words.update((w, False) for w in _PATTERN_WORD.findall(source))
            glue.update(p for p in rule.prefilter if p.isalpha())
        elif isinstance(matcher, Detector):
            own = {p for p in matcher.prefilter_terms if p.isalpha()}
            own.update(getattr(matcher, "vocabulary", ()))
            words.update((w, False) for w in own)
            glue.update(own)
    return words, glue


def maskable_words(rules: Sequence[Rule]) -> frozenset[str]:
    """The words a phrase may hold masked: the single words listed by the word rules that read evasions
    ("go f*ck yourself" masks "fuck"; nobody writes "y*u idiot", and masking every word of the ten thousand
    directed phrases would take a third of the compiled policy's memory)."""
    return frozenset(
        term.rstrip("*")
        for rule in rules
        if rule.kind == "words" and rule.evasion
        for term in rule.terms
        if " " not in term
    )


def masked_spellings(word: str, prefix: bool = False, maskable: frozenset[str] | None = None) -> list[str]:
    """Masked spellings of ``word``: one vowel after the first letter replaced by "*" ("c*nt"), and, for
    single words of four letters or more, a run of two or three letters after the first replaced by as many
    stars ("f**k", "motherf***ers"). The last letter stays unless the term allows any ending, and at least
    two letters always stay, so "s***" is never taken for a word. In a phrase, with ``maskable`` given, only
    the vowels of the words in ``maskable`` are masked."""
    if maskable is not None and " " in word:
        out: set[str] = set()
        at = 0
        for part in word.split(" "):
            if part in maskable:
                out.update(
                    word[: at + i] + "*" + word[at + i + 1 :]
                    for i in range(1 if at == 0 else 0, len(part))
                    if part[i] in "aeiou"
                )
            at += len(part) + 1
        out.discard(word)
        return sorted(out)
    out = vowel_masks(word)
    if " " not in word and len(word) >= 4:
        last = len(word) if prefix else len(word) - 1
        for run in (2, 3):
            if len(word) - run < 2:
                continue
            for i in range(1, last - run + 1):
                if word[i : i + run].isalpha():
                    out.add(word[:i] + "*" * run + word[i + run :])
    out.discard(word)
    return sorted(out)
