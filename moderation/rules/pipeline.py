"""The rules pipeline: one comment in, one verdict out (no database, no clock, no network).

Speed comes from doing the expensive parts once:

* the text is normalised once (plain ASCII takes a ``str.lower()`` fast path);
* every word-list term of every rule, every regex rule's prefilter words, every detector's trigger words
  and the allowed place names go into **one** Aho-Corasick automaton (``scan``), scanned once over the folded
  text and, only when the text looks evasive, once over its skeleton;
* regular expressions run only when their prefilter words were seen; detectors do their own cheap checks
  (digit counts, "@" present) before any regex, and some wait behind a gate (``gates``).

``evaluate`` reads the comment's views (``_read``), picks the rules to try (``Gates.candidates``), collects
each rule's findings (``_collect``), lets the context guard review the ones that would hide the comment, and
builds the verdict (``verdicts``). ``reference.evaluate`` gives the same verdicts the plain, slow way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from moderation.domain import Action, CommentInput, SuppressionOrder, Verdict

from .detectors import Context, Detector
from .gates import Gates
from .guard import Guard
from .held import held_edits, outside
from .long_comments import EVALUATED_CHARS, TOO_LONG_PRIORITY, TOO_LONG_RULE, evaluate_too_long
from .model import Clause, Hit, Rule, positional_builder
from .normalise import Normalised, normalise
from .orders import OrderMatcher
from .regex_safety import find_spans
from .scan import (
    CANONICAL_CONFIDENCE,
    HASHTAG_CONFIDENCE,
    MAX_HITS_PER_RULE,
    SKELETON_CONFIDENCE,
    Automaton,
    Scan,
    Spelling,
    Trigger,
)
from .skeleton import RUN_STEP, skeleton_from_triggers
from .verdicts import (
    HASHTAG_NOTE,
    OVERRIDES,
    Collected,
    RuleFacts,
    check_overrides,
    dedupe,
    overridden,
    verdict,
)

__all__ = [
    "CANONICAL_CONFIDENCE",
    "EVALUATED_CHARS",
    "HASHTAG_CONFIDENCE",
    "HASHTAG_NOTE",
    "MAX_HITS_PER_RULE",
    "OVERRIDES",
    "TOO_LONG_PRIORITY",
    "TOO_LONG_RULE",
    "Policy",
]


class Policy:
    """A loaded, compiled policy. Build it with ``load_policy``; then call ``evaluate`` for each comment."""

    def __init__(
        self,
        base: Path,
        meta: dict[str, Any],
        clauses: dict[str, Clause],
        rules: list[tuple[Rule, Any]],
        guard: Guard | None = None,
    ) -> None:
        self.base = base
        self.guard = guard
        self.version: str = meta["version"]
        self.date: str = meta["date"]
        self.meta = meta
        self.clauses = clauses
        self.rules: list[Rule] = [r for r, _ in rules]
        self.by_id = {r.id: r for r in self.rules}
        # Each rule's matcher: a compiled pattern (regex rules), a Detector, or None (word rules).
        self.compiled: list[Any] = [c for _, c in rules]
        self.no_finding_action: Action = meta["no_finding_action"]
        self.no_finding_priority: int = meta["no_finding_priority"]
        self._order_cache: dict[tuple[SuppressionOrder, ...], OrderMatcher] = {}
        self.order_rule = next((r for r in self.rules if r.detector == "suppression_order"), None)
        self.automaton = Automaton(self.rules, self.compiled, meta["allow_terms"])
        for compiled in self.compiled:
            if isinstance(compiled, Detector):
                compiled.allow(meta["allow_terms"])
        self.variants = self.automaton.variants
        self.gates = Gates(self.rules, self.compiled)
        self.facts = [RuleFacts.of(r) for r in self.rules]
        # Detectors that can score a whole batch in one pass (see ``prime``).
        self._primers = [c for c in self.compiled if isinstance(c, Detector) and hasattr(c, "prime")]
        self.default_verdict = Verdict(
            action=self.no_finding_action,
            priority=self.no_finding_priority if self.no_finding_action is Action.QUEUE else 0,
            policy_version=self.version,
        )

    # ------------------------------------------------------------------ orders
    def order_matcher(self, orders: Sequence[SuppressionOrder], now: datetime) -> OrderMatcher:
        """An ``OrderMatcher`` for the orders active at ``now``, recording this policy's suppression rule."""
        try:
            active = tuple(o for o in orders if o.active_at(now))
        except TypeError as exc:  # comparing naive and aware datetimes
            raise ValueError("suppression orders and 'now' must both be timezone-aware, or both naive") from exc
        cached = self._order_cache.get(active)
        if cached is not None:
            return cached
        rule = self.order_rule
        kwargs: dict[str, Any] = {}
        if rule is not None:
            kwargs = {"rule_id": rule.id, "clause": rule.clause, "rule_hash": rule.hash, "priority": rule.priority}
        matcher = OrderMatcher(active, now, **kwargs)
        if len(self._order_cache) > 32:
            self._order_cache.clear()
        self._order_cache[active] = matcher
        return matcher

    def active_orders(self, orders: Sequence[SuppressionOrder], now: datetime | None) -> OrderMatcher | None:
        """The matcher for ``orders`` (None when there are none); ``ValueError`` when ``now`` is missing."""
        if not orders:
            return None
        if now is None:
            raise ValueError("evaluate(): 'now' is required when suppression orders are given")
        return self.order_matcher(orders, now)

    # ------------------------------------------------------------------ batches
    def prime(self, texts: Sequence[str]) -> None:
        """Let detectors that score a batch at once (the learned model) score these comment texts now; a later
        ``evaluate`` of one of them reads the score. Optional: ``evaluate`` alone gives the same verdicts."""
        if self._primers:
            folded = [normalise(t).text for t in texts if len(t) <= EVALUATED_CHARS]
            for detector in self._primers:
                detector.prime(folded)

    def evaluate_many(
        self,
        items: Sequence[CommentInput],
        orders: Sequence[SuppressionOrder] = (),
        now: datetime | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> list[Verdict]:
        """``evaluate`` for each comment, with the batch primed first (see ``prime``): the same verdicts, faster."""
        self.prime([i.text for i in items])
        evaluate = self.evaluate
        return [evaluate(i, orders, now, overrides) for i in items]

    # ------------------------------------------------------------------ evaluate
    def evaluate(
        self,
        item: CommentInput,
        orders: Sequence[SuppressionOrder] = (),
        now: datetime | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> Verdict:
        """Run every rule over one comment and return the verdict.

        Args:
            item: the comment and its author facts.
            orders: suppression orders; only those active at ``now`` apply.
            now: required when ``orders`` is non-empty (the pipeline never reads a clock); ignored otherwise.
            overrides: rule id -> "shadow" (report only) or "queue_only" (its auto_hide becomes queue).

        Raises:
            ValueError: ``orders`` given without ``now``, or an unknown override value.
        """
        if len(item.text) > EVALUATED_CHARS:
            return evaluate_too_long(self, self.evaluate, item, orders, now, overrides)
        matcher = self.active_orders(orders, now) if orders else None
        if overrides:
            check_overrides(overrides)
        n = normalise(item.text)
        found = self._read(n)
        candidates = self.gates.candidates(item, n.text, found, matcher)
        if not candidates:
            return self.default_verdict
        out = self._collect(item, n, found, candidates, matcher, overrides)
        guard = self.guard
        if guard is not None and (out.hot or guard.reads(out.enforced)):
            # Quotation, negation, self-reference, homonyms...: a guarded match is queued, never hidden; a
            # denied insult ("not stupid") is dropped.
            reviewed = guard.review(n, out.enforced)
            if reviewed is not None:
                out.enforced = reviewed
        return verdict(self.default_verdict, out.enforced, out.shadow, out.hide_now, self.version)

    def _read(self, n: Normalised) -> Scan:
        """Scan the comment's folded text, and the evasive views when it has any: the skeleton where the
        automaton saw evasion triggers, and the canonical view when it saw evasive spellings of listed words.
        The views are recorded on ``n``, so that detectors read the same ones."""
        found = Scan()
        automaton = self.automaton
        if automaton.empty:
            return found
        triggers: list[Trigger] = []
        spellings: list[Spelling] = []
        steps = automaton.scan(n, False, found, triggers, spellings)
        if not (self.automaton.evasion_needed and steps):
            n.settle_evasion(bool(steps))
            base = n
        else:
            skeleton = skeleton_from_triggers(n, triggers)
            n.settle_evasion(True, skeleton)
            base = n
            if skeleton.text != n.text:
                # Evasive spellings are read in the skeleton when it has any; some only the folded text
                # shows ("bukkke", whose "kkk" the skeleton shortens).
                in_skeleton: list[Spelling] = []
                automaton.scan(skeleton, True, found, None, in_skeleton, SKELETON_CONFIDENCE)
                if in_skeleton or not spellings:
                    base, spellings = skeleton, in_skeleton
        # A held letter read as two where that spells a listed word ("refugeeees"; the skeleton reads "refuges").
        held: list[tuple[int, int, str]] = []
        if steps & RUN_STEP and automaton.evasion_needed:
            held, plain = held_edits(n, base, automaton.variants.held)
            if plain and spellings:  # "bannner" is "banner", not the skeleton's "baner"
                spellings = [sp for sp in spellings if outside(plain, sp.start, sp.end)]
        if spellings or held:
            # Evasive spellings of listed words: read them as the words, and let every rule see that view.
            canonical = automaton.canonical(base, spellings, held)
            if canonical.text != base.text:
                n.canonical = canonical
                automaton.scan(canonical, True, found, None, None, CANONICAL_CONFIDENCE)
        return found

    def _collect(
        self,
        item: CommentInput,
        n: Normalised,
        found: Scan,
        candidates: list[int],
        matcher: OrderMatcher | None,
        overrides: Mapping[str, str] | None,
    ) -> Collected:
        """Each candidate rule's findings, in policy order."""
        out = Collected()
        ctx: Context | None = None
        all_facts = self.facts
        words, allowed = found.words, found.allowed
        for idx in candidates:
            facts = all_facts[idx]
            if facts.admits is not None and not facts.admits(item):
                continue
            if facts.kind == "words":
                spans = words[idx]
                if allowed or len(spans) > 1:
                    spans = dedupe(spans, allowed)
                    if not spans:
                        continue
                if overrides:
                    facts = overridden(facts, overrides.get(facts.rule_id))
                out.add_words(facts, spans, item.text)
                continue
            if facts.kind == "regex":
                hits = self._regex_hits(idx, n, allowed)
            else:
                if ctx is None:
                    ctx = Context(n, matcher)
                hits = self.compiled[idx].find(item, n, ctx)
                if type(hits) is not list:
                    hits = list(hits)
            if not hits:
                continue
            if overrides:
                facts = overridden(facts, overrides.get(facts.rule_id))
            out.add_hits(facts, hits)
        return out

    def _regex_hits(self, idx: int, n: Normalised, allow: list[tuple[int, int]]) -> list[Hit]:
        """Rule ``idx``'s regex matches on the folded text (and, for evasion rules, on the skeleton and the
        canonical view) in original offsets, without allowed words or overlaps."""
        pattern = self.compiled[idx]
        original = n.original
        if n.starts is None:
            hits = [_new_hit((s, e, original[s:e], 1.0, "")) for s, e in find_spans(pattern, n.text)]
        else:
            hits = [_hit(original, *n.span(s, e)) for s, e in find_spans(pattern, n.text)]
        if self.rules[idx].evasion:
            if n.looks_evasive:
                ev = n.evasion
                if ev.text != n.text:
                    hits.extend(
                        _hit(original, *ev.span(s, e), SKELETON_CONFIDENCE) for s, e in find_spans(pattern, ev.text)
                    )
            canon = n.canonical
            if canon is not None:
                hits.extend(
                    _hit(original, *canon.span(s, e), CANONICAL_CONFIDENCE) for s, e in find_spans(pattern, canon.text)
                )
        if len(hits) > 1 or (hits and allow):
            return dedupe(hits, allow)
        return hits

    def check(self, text: str, **fields: Any) -> Verdict:
        """Convenience for tools and tests: evaluate a bare text."""
        return self.evaluate(CommentInput(text=text, **fields))


_new_hit = positional_builder(Hit, ("start", "end", "match", "confidence", "explanation"))


def _hit(original: str, start: int, end: int, confidence: float = 1.0) -> Hit:
    return _new_hit((start, end, original[start:end], confidence, ""))
