"""The rules pipeline: one comment in, one verdict out (no database, no clock, no network).

Speed comes from doing the expensive parts once:

* the text is normalised once (plain ASCII takes a ``str.lower()`` fast path);
* every word-list term of every rule, every regex rule's prefilter words, every detector's trigger words
  and the allowed place names go into **one** Aho-Corasick automaton, scanned once over the folded text
  and, only when the text looks evasive, once over its skeleton;
* regular expressions run only when their prefilter words were seen; detectors do their own cheap checks
  (digit counts, "@" present) before any regex.

Precedence: escalate > auto_hide > queue > approve. Shadow-mode findings (the rule's mode, or an override
from the worker's circuit breaker) are reported in ``Verdict.shadow_findings`` and never change the action.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import ahocorasick

from moderation.domain import (
    ACTION_PRECEDENCE,
    SEVERITY_RANK,
    Action,
    CommentInput,
    Finding,
    Mode,
    Route,
    Severity,
    SuppressionOrder,
    Verdict,
)

from .detectors import Context, Detector, looks_like_email
from .guard import Guard
from .model import Clause, Rule
from .normalise import Normalised, evasion_triggers, normalise, skeleton_from_triggers
from .orders import CHUNK_OVERLAP, OrderMatcher
from .regex_safety import find_spans
from .variants import LEAD_BOUNDS, TRAIL_BOUNDS, VariantTable, build_canonical

OVERRIDES = ("shadow", "queue_only")
# Only this many characters of a comment are evaluated (the platforms cap comments at about 8,000); a longer
# one is evaluated up to here and queued for a person with a "too long" finding. Its text is kept whole.
EVALUATED_CHARS = 10_000
TOO_LONG_RULE = "policy.too_long"
TOO_LONG_PRIORITY = 50
_new_tuple = tuple.__new__
_PRIORITY = itemgetter(11)  # Finding.priority
_ANY_DIGIT = re.compile(r"\d")
MAX_HITS_PER_RULE = 5
# Confidence of a word found at the start of a #hashtag. A hiding rule whose every match is in a hashtag
# queues the comment instead: a hashtag names a topic, and whom it targets is for a person to judge.
HASHTAG_CONFIDENCE = 0.6
HASHTAG_NOTE = " (in a hashtag: a moderator decides)"
_ROUTE_RANK = {Route.LEGAL: 3, Route.PRIVACY: 2, Route.MEDIA: 1}
# Enum members as module globals: reading ``Action.AUTO_HIDE`` goes through the enum class (slow on 3.11),
# and the loop below compares actions and modes for every finding.
_AUTO_HIDE, _ESCALATE, _QUEUE, _ENFORCE = Action.AUTO_HIDE, Action.ESCALATE, Action.QUEUE, Mode.ENFORCE

# Automaton payload kinds. _VARIANT: an evasive spelling of a listed word (variants.py); _VOCAB: a listed word,
# reported only when it is glued to other letters ("faggotall"), for the run-together check.
_TERM, _PREFILTER, _ALLOW, _EVASIVE, _VARIANT, _VOCAB = 0, 1, 2, 3, 4, 5
CANONICAL_CONFIDENCE = 0.85  # a match found only once evasive spellings were read as the listed word
_PATTERN_WORD = re.compile(r"[a-z]{5,}")
_ESCAPE = re.compile(r"\\[a-zA-Z]")


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
        self._compiled: list[Any] = [c for _, c in rules]
        self.no_finding_action: Action = meta["no_finding_action"]
        self.no_finding_priority: int = meta["no_finding_priority"]
        self._order_cache: dict[tuple[SuppressionOrder, ...], OrderMatcher] = {}
        self._order_rule = next((r for r in self.rules if r.detector == "suppression_order"), None)
        self._build_automaton(meta["allow_terms"])
        # Detectors that can score a whole batch in one pass (see ``prime``).
        self._primers = [c for c in self._compiled if isinstance(c, Detector) and hasattr(c, "prime")]
        self._default_verdict = Verdict(
            action=self.no_finding_action,
            priority=self.no_finding_priority if self.no_finding_action is Action.QUEUE else 0,
            policy_version=self.version,
        )

    # ------------------------------------------------------------------ compile
    def _build_automaton(self, allow_terms: list[str]) -> None:
        entries: dict[str, list[tuple[int, int, int, bool, bool, bool]]] = {}

        def add(key: str, payload: tuple[int, int, int, bool, bool, bool]) -> None:
            entries.setdefault(key, []).append(payload)

        self._evasion_needed = False
        for idx, (rule, compiled) in enumerate(zip(self.rules, self._compiled, strict=True)):
            if rule.evasion:
                self._evasion_needed = True
            if rule.kind == "words":
                for term in rule.terms:
                    prefix = term.endswith("*")
                    word = term.rstrip("*")
                    add(word, (_TERM, idx, len(word), rule.whole_word, prefix, rule.evasion))
                    if rule.evasion:
                        # Masked spellings ("c*nt", "sh*t"): one vowel replaced by a star, in the folded text.
                        for masked in _masked(word, prefix):
                            add(masked, (_TERM, idx, len(masked), rule.whole_word, prefix, False))
            elif rule.kind == "regex":
                # Regex prefilter words must start a word ("hang" is not found in "change").
                for p in rule.prefilter:
                    add(p, (_PREFILTER, idx, len(p), True, False, rule.evasion))
            elif isinstance(compiled, Detector):
                for p in compiled.prefilter_terms:
                    add(p, (_PREFILTER, idx, len(p), False, False, True))
        for term in allow_terms:
            word = term.rstrip("*")
            add(word, (_ALLOW, -1, len(word), True, term.endswith("*"), True))
        # _scan relies on this: a word's neighbours are read in the text padded with one space each side.
        for key, payloads in entries.items():
            if key != key.strip() and any(kind in (_TERM, _ALLOW) for kind, *_ in payloads):
                raise ValueError(f"word-list term {key!r} starts or ends with a space (the loader folds them)")
        if self._evasion_needed:
            for trigger, step in evasion_triggers().items():
                add(trigger, (_EVASIVE, step, len(trigger), False, False, False))
        vocab, glue = self._vocabulary()
        self.variants = VariantTable.build(vocab, allow_terms, glue)
        # (listed word, characters to trim from the key's start, from its end)
        self._variant_words: list[tuple[str, int, int]] = []
        for key, variant in self.variants.keys.items():
            vid = len(self._variant_words)
            if variant.edge == 0:
                add(key, (_VARIANT, vid, len(key), True, variant.prefix, True))
                self._variant_words.append((variant.canonical, 0, 0))
            elif variant.edge < 0:
                for b in LEAD_BOUNDS:
                    add(b + key, (_VARIANT, vid, len(key) + 1, True, variant.prefix, True))
                self._variant_words.append((variant.canonical, 1, 0))
            else:
                for b in TRAIL_BOUNDS:
                    add(key + b, (_VARIANT, vid, len(key) + 1, True, variant.prefix, True))
                self._variant_words.append((variant.canonical, 0, 1))
        for word in self.variants.glue_words:
            add(word, (_VOCAB, 0, len(word), False, False, True))
        self._auto = ahocorasick.Automaton()
        for key, payloads in entries.items():
            self._auto.add_word(key, tuple(payloads))
        self._has_auto = bool(entries)
        if self._has_auto:
            self._auto.make_automaton()
        # Rules that are not found through the automaton are tried on every comment, behind a cheap gate
        # shared by every rule with the same gate (see Detector.gate).
        self._always: list[int] = []
        self._gated: dict[str, list[int]] = {}
        for idx, (rule, compiled) in enumerate(zip(self.rules, self._compiled, strict=True)):
            if rule.kind == "regex" and not rule.prefilter:
                self._always.append(idx)
            elif isinstance(compiled, Detector) and not compiled.prefilter_terms:
                if compiled.gate:
                    self._gated.setdefault(compiled.gate, []).append(idx)
                else:
                    self._always.append(idx)
        inline = ("number", "email", "author", "repeat", "orders")
        self._g_number = self._gated.get("number", [])
        self._g_email = self._gated.get("email", [])
        self._g_author = self._gated.get("author", [])
        self._g_repeat = self._gated.get("repeat", [])
        self._g_orders = self._gated.get("orders", [])
        self._other_gates = [(gate, members) for gate, members in self._gated.items() if gate not in inline]
        # Detectors with prefilter terms may also have a gate; it is tested after the prefilter.
        self._post_gate = {
            idx: compiled.gate
            for idx, compiled in enumerate(self._compiled)
            if isinstance(compiled, Detector) and compiled.prefilter_terms and compiled.gate
        }

        self._regex_evasion = [r.evasion for r in self.rules]
        # Per-rule facts read on every evaluation, gathered into one tuple each.
        self._static = [
            (
                r.id, r.clause, r.severity, r.action, r.mode, r.hash, r.priority, r.route, r.explanation,
                r.hide_now, r.admits, r.kind, r.confidence,
            )
            for r in self.rules
        ]  # fmt: skip

    def _vocabulary(self) -> tuple[set[tuple[str, bool]], set[str]]:
        """The words evasive spellings are worked out for, each with "any ending allowed": every word of the
        word lists of rules that read evasions, and the words regular expressions and detectors look for. Also
        the words looked for inside run-together tokens: single-word list entries, prefilter and detector words
        (not the "you" and "stupid" of a listed phrase)."""
        words: set[tuple[str, bool]] = set()
        glue: set[str] = set()
        for rule, compiled in zip(self.rules, self._compiled, strict=True):
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
            elif isinstance(compiled, Detector):
                own = {p for p in compiled.prefilter_terms if p.isalpha()}
                own.update(getattr(compiled, "vocabulary", ()))
                words.update((w, False) for w in own)
                glue.update(own)
        return words, glue

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
        rule = self._order_rule
        kwargs: dict[str, Any] = {}
        if rule is not None:
            kwargs = {"rule_id": rule.id, "clause": rule.clause, "rule_hash": rule.hash, "priority": rule.priority}
        matcher = OrderMatcher(active, now, **kwargs)
        if len(self._order_cache) > 32:
            self._order_cache.clear()
        self._order_cache[active] = matcher
        return matcher

    # ------------------------------------------------------------------ scanning
    def _scan(
        self,
        view: Normalised,
        evasive_pass: bool,
        lex: dict[int, list[tuple[int, int, float]]],
        pre: set[int],
        allow: list[tuple[int, int]],
        triggers: list[tuple[int, int, int]] | None = None,
        variants: list[tuple[int, int, int, int]] | None = None,
        base_conf: float = 1.0,
    ) -> int:
        """One automaton pass over ``view``; fills ``lex``/``pre``/``allow``, and ``variants`` with the evasive
        spellings and glued words seen, as (kind, start, end, index) in ``view``'s own offsets. Returns the
        skeleton steps the evasion triggers seen call for (0: none; only meaningful on the first pass)."""
        starts = view.starts
        steps = 0
        # Spaces around the text let prefilters such as " st " and triggers such as " f u " match at either
        # end; no term starts or ends with a space, so no term's span reaches outside the text. Offsets
        # below are in the padded text ``p`` (text offset + 1) until a span is recorded; its spaces stand for
        # "no character" at either end (neither alphanumeric nor "@" nor "#").
        p = " " + view.text + " "
        for end, payloads in self._auto.iter(p):
            end += 1  # padded offset just past the match
            for kind, idx, length, whole, prefix, evasion_ok in payloads:
                if kind == _EVASIVE:
                    steps |= idx  # for triggers, the payload's index is the skeleton step they call for
                    if triggers is not None:
                        triggers.append((end - length - 1, end - 1, idx))
                    continue
                if kind >= _VARIANT:
                    if variants is not None:
                        vs, ve = end - length, end
                        if kind == _VARIANT:
                            _, lead, trail = self._variant_words[idx]
                            vs += lead  # the key holds the character before or after the spelling
                            ve -= trail
                            before, after = p[vs - 1], p[ve]
                            if not (before.isalnum() or before == "@" or (after.isalnum() and not prefix)):
                                variants.append((kind, vs - 1, ve - 1, idx))
                            continue
                        before, after = p[vs - 1], p[ve]
                        # Glued on a side with three letters or more ("muslimsare", not "bitches").
                        if (after.isalpha() and p[ve + 1].isalpha() and p[ve + 2 : ve + 3].isalpha()) or (
                            before.isalpha()
                            and vs > 2
                            and (p[vs - 2].isalpha() and p[vs - 3].isalpha() or not p[vs - 2].isalpha())
                        ):  # (or one letter: "a z i p p e r h e a d" joins the article too)
                            variants.append((kind, vs - 1, ve - 1, idx))
                    continue
                if evasive_pass and not evasion_ok:
                    continue
                start = end - length
                if kind == _PREFILTER:
                    if not whole or start <= 1 or not p[start - 1].isalnum():
                        pre.add(idx)
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
                if kind == _ALLOW:
                    allow.append((s, e))
                    continue
                hits = lex.get(idx)
                if hits is None:
                    lex[idx] = [(s, e, conf)]
                elif len(hits) < MAX_HITS_PER_RULE * 2:
                    hits.append((s, e, conf))
        return steps

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
            return self._evaluate_too_long(item, orders, now, overrides)
        matcher: OrderMatcher | None = None
        if orders:
            if now is None:
                raise ValueError("evaluate(): 'now' is required when suppression orders are given")
            matcher = self.order_matcher(orders, now)
        if overrides:
            for rid, val in overrides.items():
                if val not in OVERRIDES:
                    raise ValueError(f"override for {rid!r} must be one of {OVERRIDES}, not {val!r}")

        n = normalise(item.text)
        lex: dict[int, list[tuple[int, int, float]]] = {}
        pre: set[int] = set()
        allow: list[tuple[int, int]] = []
        if self._has_auto:
            triggers: list[tuple[int, int, int]] = []
            found: list[tuple[int, int, int, int]] = []
            steps = self._scan(n, False, lex, pre, allow, triggers, found)
            # The automaton's triggers answer "looks evasive" for free and say where; the skeleton is built
            # only there, and detectors reuse the same view.
            n._suspect = bool(steps)  # noqa: SLF001
            base = n
            if self._evasion_needed and steps:
                ev = n._evasion = skeleton_from_triggers(n, triggers)  # noqa: SLF001
                if ev.text != n.text:
                    # Evasive spellings are read in the skeleton when it has any; some only the folded text
                    # shows ("bukkke", whose "kkk" the skeleton shortens).
                    found_ev: list[tuple[int, int, int, int]] = []
                    self._scan(ev, True, lex, pre, allow, None, found_ev, 0.9)
                    if found_ev or not found:
                        base, found = ev, found_ev
            if found:
                # Evasive spellings of listed words: read them as the words, and let every rule see that view.
                canon = self._canonical(base, found)
                if canon.text != base.text:
                    n._canonical = canon  # noqa: SLF001
                    self._scan(canon, True, lex, pre, allow, None, None, CANONICAL_CONFIDENCE)

        # Candidate rules, in policy order: matched words, seen prefilters, rules tried on every comment,
        # and rules behind a gate that is open. The common gates are tested inline (this runs per comment).
        if self._always:
            candidates = [*lex, *pre, *self._always] if pre else [*lex, *self._always]
        else:
            candidates = [*lex, *pre] if pre else [*lex]
        t = n.text
        if self._g_number:
            if t.isascii():
                # Eight digits are needed; counting them on the bytes is much quicker than a regex search.
                b = t.encode()
                if len(b) - len(b.translate(None, _DIGIT_BYTES)) >= 8 and _ASCII_NUMBER.search(t) is not None:
                    candidates += self._g_number
            elif _NUMBER.search(t) is not None:
                candidates += self._g_number
        if self._g_email and "@" in t and looks_like_email(t):
            candidates += self._g_email
        if self._g_author and (item.author_name or item.author_handle):
            candidates += self._g_author
        if self._g_repeat and item.repeat_count > 0:
            candidates += self._g_repeat
        if self._g_orders and matcher:
            candidates += self._g_orders
        for gate, members in self._other_gates:
            if _gate_open(gate, item, t, matcher):
                candidates += members
        if pre and self._post_gate:  # these rules are candidates only through a seen prefilter
            for idx, gate in self._post_gate.items():
                if idx in pre and not _gate_open(gate, item, t, matcher):
                    candidates.remove(idx)
        if len(candidates) > 1:
            candidates.sort()

        enforced: list[Finding] = []
        shadow: list[Finding] = []
        hide_now = False
        hot = False  # an enforced finding would hide the comment: the context guard reviews it
        original = item.text
        ctx: Context | None = None
        static = self._static
        for idx in candidates:
            rid, clause, severity, action, mode, rhash, priority, route, expl, rule_hide, admits, kind, cap = static[
                idx
            ]
            if admits is not None and not admits(item):
                continue
            if kind == "words":
                spans = lex[idx]
                if allow or len(spans) > 1:
                    spans = _dedupe_spans(spans, allow)
                    if not spans:
                        continue
                if overrides:
                    action, mode, rule_hide = _overridden(overrides.get(rid), action, mode, rule_hide)
                if action is _AUTO_HIDE and (
                    spans[0][2] <= HASHTAG_CONFIDENCE
                    if len(spans) == 1
                    else all(c_ <= HASHTAG_CONFIDENCE for _, _, c_ in spans)
                ):
                    action, rule_hide, expl = _QUEUE, False, expl + HASHTAG_NOTE
                target = enforced if mode is _ENFORCE else shadow
                for h_start, h_end, h_conf in spans[:MAX_HITS_PER_RULE] if len(spans) > MAX_HITS_PER_RULE else spans:
                    target.append(
                        _new_tuple(
                            Finding,
                            (
                                rid, clause, severity, action, mode, h_start, h_end, original[h_start:h_end],
                                h_conf if cap >= 1 else min(h_conf, cap), expl, rhash, priority, route,
                            ),
                        )
                    )  # fmt: skip
                if rule_hide and mode is _ENFORCE:
                    hide_now = True
                if action is _AUTO_HIDE and mode is _ENFORCE:
                    hot = True
                continue
            if kind == "regex":
                hits = self._regex_hits(idx, n, allow)
            else:
                if ctx is None:
                    ctx = Context(n, matcher)
                hits = self._compiled[idx].find(item, n, ctx)
                if type(hits) is not list:
                    hits = list(hits)
            if not hits:
                continue
            if overrides:
                action, mode, rule_hide = _overridden(overrides.get(rid), action, mode, rule_hide)
            target = enforced if mode is _ENFORCE else shadow
            # Hits are (start, end, match, confidence, explanation): ``Hit`` named tuples or plain tuples.
            for h_start, h_end, h_match, h_conf, h_expl in (
                hits[:MAX_HITS_PER_RULE] if len(hits) > MAX_HITS_PER_RULE else hits
            ):
                # tuple.__new__ builds the named tuple without its keyword-handling constructor.
                target.append(
                    _new_tuple(
                        Finding,
                        (
                            rid, clause, severity, action, mode, h_start, h_end, h_match,
                            h_conf if cap >= 1 else min(h_conf, cap), h_expl or expl, rhash, priority, route,
                        ),
                    )
                )  # fmt: skip
            if rule_hide and mode is _ENFORCE:
                hide_now = True
            if action is _AUTO_HIDE and mode is _ENFORCE:
                hot = True

        if hot and self.guard is not None:
            # Quotation, negation, self-reference, homonyms...: a guarded match is queued, never hidden.
            reviewed = self.guard.review(n, enforced)
            if reviewed is not None:
                enforced = reviewed

        # The common verdicts inline (as ``_verdict`` builds them): no finding, or one that is not escalated.
        if not shadow:
            if not enforced:
                return self._default_verdict
            if len(enforced) == 1:
                top = enforced[0]
                if top[3] is not _ESCALATE:  # Finding.action
                    return _new_tuple(Verdict, (top[3], (top,), top[11], None, self.version, False, ()))
        return self._verdict(enforced, shadow, hide_now)

    def _canonical(self, base: Normalised, found: list[tuple[int, int, int, int]]) -> Normalised:
        """``base`` with evasive spellings replaced by the listed words and glued words pulled apart."""
        edits: list[tuple[int, int, str]] = []
        glued: list[tuple[int, int]] = []
        words = self._variant_words
        for kind, s, e, idx in found:
            if kind == _VARIANT:
                edits.append((s, e, words[idx][0]))
            else:
                glued.append((s, e))
        if glued:
            edits.extend((pos, pos, " ") for pos in self.variants.glue_splits(base.text, glued))
        if not edits:
            return base
        return build_canonical(base, edits)

    def _evaluate_too_long(
        self,
        item: CommentInput,
        orders: Sequence[SuppressionOrder],
        now: datetime | None,
        overrides: Mapping[str, str] | None,
    ) -> Verdict:
        """A comment longer than ``EVALUATED_CHARS``: its first part is evaluated as usual (so a clear violation
        there still acts), and a "too long" finding queues it for a person, who reads the rest."""
        text = item.text
        cut = EVALUATED_CHARS
        # End the window at a space near the limit, so no word is cut into something that reads otherwise.
        space = text.rfind(" ", cut - 200, cut)
        if space > 0:
            cut = space
        verdict = self.evaluate(replace(item, text=text[:cut]), orders, now, overrides)
        enforced, shadow, hide_now = list(verdict.findings), list(verdict.shadow_findings), verdict.hide_now
        # Suppression orders are applied to the whole text (read in bounded chunks): a protected name is hidden
        # wherever it is, not left up until a person reaches it.
        rule = self._order_rule
        if orders and now is not None and rule is not None and (rule.admits is None or rule.admits(item)):
            action, mode, rule_hide = rule.action, rule.mode, rule.hide_now
            if overrides:
                action, mode, rule_hide = _overridden(overrides.get(rule.id), action, mode, rule_hide)
            target = enforced if mode is _ENFORCE else shadow
            found = sum(1 for f in target if f.rule_id == rule.id)
            for h in self.order_matcher(orders, now).text_hits(text, start=max(cut - CHUNK_OVERLAP, 0)):
                if h.end <= cut or found >= MAX_HITS_PER_RULE:
                    continue  # inside the window, already evaluated
                found += 1
                target.append(
                    Finding(
                        rule.id, rule.clause, rule.severity, action, mode, h.start, h.end, h.match,
                        min(h.confidence, rule.confidence), h.explanation or rule.explanation, rule.hash,
                        rule.priority, rule.route,
                    )
                )  # fmt: skip
                if rule_hide and mode is _ENFORCE:
                    hide_now = True
        too_long = Finding(
            rule_id=TOO_LONG_RULE,
            clause="",
            severity=Severity.LOW,
            action=Action.QUEUE,
            mode=Mode.ENFORCE,
            start=cut,
            end=cut,
            match="",
            explanation=(
                f"too long: a person decides (only the first {cut:,} of {len(text):,} characters were checked)"
            ),
            priority=TOO_LONG_PRIORITY,
        )
        return self._verdict([*enforced, too_long], shadow, hide_now)

    def _regex_hits(
        self, idx: int, n: Normalised, allow: list[tuple[int, int]]
    ) -> list[tuple[int, int, str, float, str]]:
        """Rule ``idx``'s regex matches on the folded text (and, for evasion rules, on the skeleton) as
        (start, end, match, confidence, explanation) in original offsets, without allowed words or overlaps."""
        pattern = self._compiled[idx]
        if n.starts is None:
            spans = [(s, e, 1.0) for s, e in find_spans(pattern, n.text)]
        else:
            spans = [(*n.span(s, e), 1.0) for s, e in find_spans(pattern, n.text)]
        if self._regex_evasion[idx] and n.looks_evasive:
            ev = n.evasion
            if ev.text != n.text:
                spans.extend((*ev.span(s, e), 0.9) for s, e in find_spans(pattern, ev.text))
        canon = n._canonical  # noqa: SLF001
        if canon is not None and self._regex_evasion[idx]:
            spans.extend((*canon.span(s, e), CANONICAL_CONFIDENCE) for s, e in find_spans(pattern, canon.text))
        if not spans:
            return []
        original = n.original
        return [(s, e, original[s:e], c, "") for s, e, c in _dedupe(spans, allow)]

    def _verdict(self, enforced: list[Finding], shadow: list[Finding], hide_now: bool) -> Verdict:
        if shadow:
            shadow_sorted = tuple(sorted(shadow, key=_order)) if len(shadow) > 1 else (shadow[0],)
            if not enforced:
                return self._default_verdict._replace(shadow_findings=shadow_sorted)
        elif not enforced:
            return self._default_verdict
        else:
            shadow_sorted = ()
        if len(enforced) > 1:
            enforced.sort(key=_order)
            priority = max(map(_PRIORITY, enforced))
        else:
            priority = enforced[0][11]
        top = enforced[0]
        action = top[3]  # Finding.action
        route = None
        if action is _ESCALATE:
            escalations = [f for f in enforced if f.action is _ESCALATE and f.route is not None]
            route = max(escalations, key=lambda f: (f.priority, _ROUTE_RANK[f.route])).route  # type: ignore[index]
            # Escalated comments a hiding rule also flagged are hidden while they wait for the reviewer.
            if any(f.action is _AUTO_HIDE for f in enforced):
                hide_now = True
            return _new_tuple(
                Verdict, (action, tuple(enforced), priority, route, self.version, hide_now, shadow_sorted)
            )
        return _new_tuple(Verdict, (action, tuple(enforced), priority, None, self.version, False, shadow_sorted))

    def check(self, text: str, **fields: Any) -> Verdict:
        """Convenience for tools and tests: evaluate a bare text."""
        return self.evaluate(CommentInput(text=text, **fields))


def _masked(word: str, prefix: bool = False) -> list[str]:
    """Masked spellings of ``word``: one vowel after the first letter replaced by "*" ("c*nt"), and, for
    single words of four letters or more, a run of two or three letters after the first replaced by as many
    stars ("f**k", "motherf***ers"). The last letter stays unless the term allows any ending, and at least
    two letters always stay, so "s***" is never taken for a word."""
    out = {word[:i] + "*" + word[i + 1 :] for i in range(1, len(word)) if word[i] in "aeiou"}
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


_DIGIT_BYTES = b"0123456789"
_NUMBER = re.compile(r"\d(?:[ \-.()]{0,2}\d){7}")
_ASCII_NUMBER = re.compile(r"[0-9](?:[ \-.()]{0,2}[0-9]){7}")  # the same for ASCII text, and quicker


def _gate_open(gate: str, item: CommentInput, t: str, matcher: OrderMatcher | None) -> bool:
    """The cheap test a detector's gate names (see ``Detector.gate``)."""
    if gate == "digit":
        return _ANY_DIGIT.search(t) is not None
    if gate == "number":
        return _NUMBER.search(t) is not None
    if gate == "at":
        return "@" in t
    if gate == "email":
        return looks_like_email(t)
    if gate == "author":
        return bool(item.author_name or item.author_handle)
    if gate == "repeat":
        return item.repeat_count > 0
    if gate == "orders":
        return bool(matcher)
    return True


def _overridden(override: str | None, action: Action, mode: Mode, hide: bool) -> tuple[Action, Mode, bool]:
    """A rule's action, mode and hide-now flag after the worker's override for it (see ``OVERRIDES``)."""
    if override == "shadow":
        return action, Mode.SHADOW, hide
    if override == "queue_only":
        return (Action.QUEUE if action is Action.AUTO_HIDE else action), mode, False
    return action, mode, hide


def _order(f: Finding) -> tuple[int, int, int, float, int]:
    # (action, severity, priority, confidence, start) by position: a named tuple's fields read faster so.
    return (-ACTION_PRECEDENCE[f[3]], -SEVERITY_RANK[f[2]], -f[11], -f[8], f[5])


def _dedupe_spans(spans: list[tuple[int, int, float]], allow: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """``_dedupe`` for the automaton's (start, end, confidence) spans."""
    if allow:
        spans = [h for h in spans if not any(a_s < h[1] and h[0] < a_e for a_s, a_e in allow)]
    if len(spans) <= 1:
        return spans
    if len(spans) == 2 and spans[0][1] <= spans[1][0]:
        return spans  # the common case: two separate words, already in order
    out: list[tuple[int, int, float]] = []
    for h in sorted(spans, key=lambda h: (h[0], h[0] - h[1])):
        if out and h[0] < out[-1][1]:
            continue
        out.append(h)
    return out


_S = TypeVar("_S", bound=tuple[Any, ...])


def _dedupe(hits: list[_S], allow: list[tuple[int, int]]) -> list[_S]:
    """Drop hits inside allowed words (place names) and overlapping duplicates; keep the longest first.
    Hits are tuples starting (start, end, ...)."""
    if allow:
        hits = [h for h in hits if not any(a_s < h[1] and h[0] < a_e for a_s, a_e in allow)]
    if len(hits) <= 1:
        return hits
    out: list[_S] = []
    for h in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if out and h[0] < out[-1][1]:
            continue
        out.append(h)
    return out
