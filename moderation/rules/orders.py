"""Court suppression orders: find protected names and aliases, evasion-tolerant and fuzzy.

``OrderMatcher(orders, now)`` keeps only the orders active at ``now`` and precompiles them. It is used
twice: by the pipeline for each new comment, and by the service's retroactive sweep when legal registers a
new order (every stored comment is checked again, so the matcher must be cheap on comments that do not
mention a protected name):

0. (``text_hits``, the sweep's entry) a regular expression per anchor over the folded text rules out at once
   nearly every comment that cannot name anyone protected (see ``_loose_searches``); it only skips work, so a
   text it lets through gets exactly the steps below and one it stops has no match in them;
1. one Aho-Corasick pass over the folded text (and, only if the text looks evasive, over its skeleton)
   for *anchors*: the first three letters of every name token at the start of a word (also with one of the
   first two doubled, "joordan"), and the compact name ("jordanmills"). A term is a candidate when all its
   long tokens are anchored (or two of them, allowing one typo past the third letter), or its compact form is;
2. only for candidate terms, words that start like the term are compared with it using
   rapidfuzz: every token of the term must be close to the aligned word (ratio >= 80) and the whole
   phrase close to the term (ratio >= 85), so "Jordon Mils" matches "Jordan Mills" but "Jordan Miller"
   does not; a single word that starts with the same letter is also compared with the compact term
   ("#JordanMills", "J-Mills", "jmills"), so "Mills" alone does not match the alias "J-Mills".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate

import ahocorasick
from rapidfuzz import fuzz

from moderation.domain import Action, Finding, Mode, Route, Severity, SuppressionOrder

from .model import Hit
from .normalise import LEET, Normalised, normalise
from .skeleton import evasion_triggers, skeleton_from_triggers

_WORD = re.compile(r"[^\W_]+")
TOKEN_RATIO = 80.0
PHRASE_RATIO = 85.0
COMPACT_RATIO = 88.0
DEFAULT_RULE_ID = "court.suppression_order"
DEFAULT_CLAUSE = "7"
# Long texts are read in chunks of this many characters, each overlapping the last by more than any protected
# name with its evasions is long, so memory stays bounded however long a comment is and no name is missed.
CHUNK_CHARS = 10_000
CHUNK_OVERLAP = 200

# What the skeleton may drop between two letters it keeps: anything not a letter, a digit or a leetspeak symbol.
_GAP = "(?:[^\\w" + re.escape("".join(sorted(c for c in LEET if not c.isalnum()))) + "]|_)*+"
_LEET_FOR: dict[str, str] = {}
for _sym, _letter in LEET.items():
    _LEET_FOR[_letter] = _LEET_FOR.get(_letter, "") + _sym


def _loose_letters(key: str) -> str:
    """``key`` read as the prefilter reads a text: leetspeak symbols as their letters, only letters and digits,
    every run of one character as one."""
    plain = "".join(LEET.get(c, c) for c in key if c.isalnum())
    return "".join(c for i, c in enumerate(plain) if i == 0 or c != plain[i - 1])


def _loose_searches(keys: Iterable[str]) -> list[re.Pattern[str]]:
    """Searches, one of which finds something in every folded text whose skeleton contains one of ``keys``.

    Why none can miss: the skeleton (``skeleton.py``) is the folded text with leetspeak symbols read as letters,
    separators deleted and runs of one character shortened. Read both with every leetspeak symbol as its letter,
    without what is neither a letter nor a digit, and with every run of a character as one (``_loose_letters``):
    they are then the same string, which contains the key read the same way. A search finds exactly that: each
    letter of the key (or its leetspeak symbol), the middle ones repeated, with such gaps between them. Adjacent
    classes are disjoint, so every repetition is possessive and a search is linear in the text. A key whose
    reading contains another key's reading needs no search of its own.
    """
    forms: list[str] = []
    for form in sorted({_loose_letters(k) for k in keys} - {""}, key=lambda f: (len(f), f)):
        if not any(f in form for f in forms):
            forms.append(form)
    out: list[re.Pattern[str]] = []
    for form in forms:
        spell = ["[" + re.escape(c + _LEET_FOR.get(c, "")) + "]" for c in form]
        middle = "".join(f"(?:{_GAP}{s})++" for s in spell[1:-1])
        last = _GAP + spell[-1] if len(spell) > 1 else ""
        out.append(re.compile(spell[0] + middle + last))
    return out


def _anchors(token: str) -> set[str]:
    """A token's first three letters, and its first four with one of its first two letters doubled ("jjor",
    "joor" for "jordan": a doubled letter is the cheapest evasion and the skeleton keeps doubles; a doubled third
    letter keeps "jor"). A shorter token is its own anchor. Four letters, not three: with runs of a letter read as
    one, "jjo" would leave the prefilter only "jo" to look for, and let a tenth of all comments through."""
    if len(token) < 3:
        return {token}
    return {token[:3], token[0] + token[:3], token[:2] + token[1:3]}


@dataclass(frozen=True)
class _Term:
    order: SuppressionOrder
    raw: str
    tokens: tuple[str, ...]
    compact: str


class OrderMatcher:
    """Precompiled matcher for the suppression orders active at ``now``.

    Args:
        orders: every known order; revoked, expired and not-yet-started ones are ignored.
        now: the moment to test activity at (the caller's clock; the matcher never reads one).
        rule_id, clause, rule_hash, priority: what ``findings`` records (the pipeline passes its rule's values).
    """

    def __init__(
        self,
        orders: Sequence[SuppressionOrder],
        now: datetime,
        *,
        rule_id: str = DEFAULT_RULE_ID,
        clause: str = DEFAULT_CLAUSE,
        rule_hash: str = "",
        priority: int = 100,
    ) -> None:
        self.now = now
        self.active = tuple(o for o in orders if o.active_at(now))
        self.rule_id, self.clause, self.rule_hash, self.priority = rule_id, clause, rule_hash, priority
        self.terms: list[_Term] = []
        self._needed: list[frozenset[int]] = []
        self._auto = ahocorasick.Automaton()
        anchors: dict[str, set[tuple[int, int]]] = {}
        for order in self.active:
            for raw in order.terms:
                skel = normalise(raw).evasion.text
                tokens = tuple(_WORD.findall(skel))
                if not tokens:
                    continue
                ti = len(self.terms)
                self.terms.append(_Term(order, raw, tokens, "".join(tokens)))
                anchors.setdefault("".join(tokens), set()).add((ti, -1))
                # A token is anchored by its first three letters; in a name made only of short tokens ("Li Wu",
                # or "Gggg Gjjj" whose skeleton is "g gj") every token is anchored whole.
                short = all(len(tok) < 3 for tok in tokens)
                anchored = frozenset(k for k, tok in enumerate(tokens) if len(tok) >= 3 or short)
                for k in anchored:
                    for anchor in _anchors(tokens[k]):
                        anchors.setdefault(anchor, set()).add((ti, k))
                # Which token prefixes the term needs before it is worth a fuzzy look.
                self._needed.append(anchored)
        for key, payload in anchors.items():
            self._auto.add_word(key, (0, (len(key), tuple(payload))))
        self._loose = _loose_searches(anchors)
        self._empty = not anchors
        if not self._empty:
            for trigger, step in evasion_triggers(whitespace=False).items():  # words are split anyway
                if trigger not in anchors:
                    self._auto.add_word(trigger, (1, (step, len(trigger))))
            self._auto.make_automaton()

    def __bool__(self) -> bool:
        return not self._empty

    def _candidates(self, t: str, triggers: list[tuple[int, int, int]] | None = None) -> tuple[set[int], int]:
        """Terms worth a fuzzy look in ``t``, and the skeleton steps the evasion triggers seen call for
        (their positions are appended to ``triggers`` when given)."""
        seen: dict[int, set[int]] = {}
        compact: set[int] = set()
        steps = 0
        for end, (kind, payload) in self._auto.iter(t):
            if kind == 1:
                steps |= payload[0]
                if triggers is not None:
                    triggers.append((end - payload[1] + 1, end + 1, payload[0]))
                continue
            size, places = payload
            start = end - size + 1
            for ti, k in places:
                if k == -1:
                    compact.add(ti)
                    continue
                if start == 0 or not t[start - 1].isalnum():
                    seen.setdefault(ti, set()).add(k)
        terms = set(compact)
        for ti, ks in seen.items():
            needed = self._needed[ti]
            # All long tokens anchored; a one-long-token term ("J-Mills") also matches compactly.
            if needed <= ks or len(ks) >= 2:
                terms.add(ti)
        return terms, steps

    def hits(self, n: Normalised) -> list[Hit]:
        """Matches in an already normalised comment, in original offsets."""
        if self._empty:
            return []
        triggers: list[tuple[int, int, int]] = []
        terms, steps = self._candidates(n.text, triggers)
        if not n.evasion_settled:  # (the pipeline may have answered already)
            # The skeleton is built only where the triggers are (whitespace does not matter: words are split).
            n.settle_evasion(bool(steps), skeleton_from_triggers(n, triggers) if steps else None)
        evasive = n.looks_evasive
        if evasive and n.evasion is not n:
            more, _ = self._candidates(n.evasion.text)
            terms |= more
        if not terms:
            return []
        view = n.evasion if evasive else n
        return self._fuzzy(view, terms)

    def text_hits(self, text: str, start: int = 0) -> list[Hit]:
        """Matches in a raw text from ``start`` on, in original offsets; a long text is read in overlapping
        chunks (see ``CHUNK_CHARS``)."""
        if self._empty:
            return []
        if start == 0 and len(text) <= CHUNK_CHARS:
            if text.isascii():  # folded, it is its lower case (line breaks aside, which the prefilter skips)
                return self.hits(normalise(text)) if self._may_name(text.lower()) else []
            n = normalise(text)
            return self.hits(n) if self._may_name(n.text) else []
        out: list[Hit] = []
        last_end = -1
        pos = start
        while pos < len(text):
            end = min(pos + CHUNK_CHARS, len(text))
            n = normalise(text[pos:end])
            for h in self.hits(n) if self._may_name(n.text) else ():
                s, e = h.start + pos, h.end + pos
                if s < last_end:  # already found in the overlap with the previous chunk
                    continue
                out.append(h._replace(start=s, end=e))
                last_end = e
            if end == len(text):
                break
            pos = end - CHUNK_OVERLAP
        return out

    def _may_name(self, folded: str) -> bool:
        """False when no view of this folded text can hold an anchor, so ``hits`` would find nothing."""
        if "()" in folded:  # the skeleton reads "()" as "o" ("J()hn"), which the loose searches do not
            return True
        for rx in self._loose:
            if rx.search(folded) is not None:
                return True
        return False

    def texts_with_hits(self, texts: Sequence[str]) -> list[int]:
        """The indices of ``texts`` that ``text_hits`` finds a match in, read as a batch (the sweep's way): the
        prefilter runs once over the short ASCII texts joined, and only those it lets through (with the others)
        are read one by one. A prefilter match that runs across the join lets every text it touches through."""
        if self._empty:
            return []
        maybe: set[int] = set()
        whole = "\n".join(texts)
        if whole.isascii() and "()" not in whole and max(map(len, texts), default=0) <= CHUNK_CHARS:
            plain: Sequence[int] = range(len(texts))  # the usual batch: every text read at once, as it is
        else:
            whole = ""
            plain = []
            for i, t in enumerate(texts):
                if t.isascii() and len(t) <= CHUNK_CHARS and "()" not in t:
                    plain.append(i)
                else:
                    maybe.add(i)
        if plain:
            starts = list(accumulate([len(texts[i]) + 1 for i in plain], initial=0))
            joined = (whole or "\n".join([texts[i] for i in plain])).lower()
            for rx in self._loose:
                for m in rx.finditer(joined):
                    first = bisect_right(starts, m.start()) - 1
                    last = bisect_right(starts, max(m.start(), m.end() - 1)) - 1
                    maybe.update(plain[first : last + 1])
        return [i for i in sorted(maybe) if self.text_hits(texts[i])]

    def _fuzzy(self, view: Normalised, term_ids: set[int]) -> list[Hit]:
        words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(view.text)]
        out: list[Hit] = []
        taken: set[int] = set()
        for ti in sorted(term_ids):
            term = self.terms[ti]
            k = len(term.tokens)
            first = term.tokens[0]
            head = first[:3] if len(first) >= 3 else first
            for i in range(len(words)):
                w = words[i][0]
                if i in taken or not (w.startswith(head) or w[:1] == term.compact[:1]):
                    continue
                span = self._match_at(words, i, term, k)
                if span is None:
                    continue
                last, score = span
                s, e = view.span(words[i][1], words[last][2])
                taken.update(range(i, last + 1))
                label = f"{term.order.case} ({term.order.court})"
                out.append(Hit(s, e, view.original[s:e], score / 100.0, f"protected by suppression order: {label}"))
        out.sort(key=lambda h: h.start)
        return out

    @staticmethod
    def _match_at(words: list[tuple[str, int, int]], i: int, term: _Term, k: int) -> tuple[int, float] | None:
        first = words[i][0]
        # A single word against the compact term: "jordanmills", "jmills".
        if len(term.compact) >= 4 and first[:1] == term.compact[:1]:
            score = fuzz.ratio(first, term.compact)
            if score >= COMPACT_RATIO:
                return i, score
        if k == 1 or i + k > len(words):
            return None
        window = words[i : i + k]
        for w, tok in zip(window, term.tokens, strict=True):
            if len(tok) == 1:
                if w[0] != tok:
                    return None
            elif fuzz.ratio(w[0], tok) < TOKEN_RATIO:
                return None
        score = fuzz.ratio(" ".join(w[0] for w in window), " ".join(term.tokens))
        if score >= PHRASE_RATIO:
            return i + k - 1, score
        return None

    def findings(self, text: str) -> list[Finding]:
        """Findings for one raw comment text: hide and escalate to legal, citing the suppression-order clause."""
        out = []
        for h in self.text_hits(text):
            out.append(
                Finding(
                    rule_id=self.rule_id,
                    clause=self.clause,
                    severity=Severity.CRITICAL,
                    action=Action.ESCALATE,
                    mode=Mode.ENFORCE,
                    start=h.start,
                    end=h.end,
                    match=h.match,
                    confidence=h.confidence,
                    explanation=h.explanation,
                    rule_hash=self.rule_hash,
                    priority=self.priority,
                    route=Route.LEGAL,
                )
            )
        return out
