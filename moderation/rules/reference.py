"""The reference evaluator: the policy's verdict worked out the plain, slow way, to check the fast pipeline against.

``Policy.evaluate`` is fast because it shares work: one automaton pass finds every rule's words at once, gates
skip rules that cannot match, and common verdicts take short cuts. ``evaluate`` here shares none of it: it
looks for every word of every rule with ``str.find``, tries every rule in turn, and builds each finding and the
verdict by name. The two must give the same verdict for every comment (``tests/rules/test_reference.py``).

What both read, because it is the policy's definition rather than a way of going fast: the folding and the
skeleton (``normalise``), the evasive spellings worked out when the policy loads (``variants``), the detectors,
the context guard and the handling of comments too long to check (``long_comments``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime

from moderation.domain import (
    ACTION_PRECEDENCE,
    SEVERITY_RANK,
    Action,
    CommentInput,
    Finding,
    Mode,
    Route,
    SuppressionOrder,
    Verdict,
)

from .detectors import Context
from .gates import gate_open
from .held import held_edits, outside
from .long_comments import EVALUATED_CHARS, evaluate_too_long
from .model import Hit, Rule
from .normalise import Normalised, normalise
from .orders import OrderMatcher
from .pipeline import Policy
from .regex_safety import find_spans
from .scan import (
    CANONICAL_CONFIDENCE,
    HASHTAG_CONFIDENCE,
    MAX_HITS_PER_RULE,
    SKELETON_CONFIDENCE,
    masked_spellings,
)
from .skeleton import RUN_STEP, evasion_triggers, skeleton_from_triggers
from .variants import LEAD_BOUNDS, TRAIL_BOUNDS, build_canonical
from .verdicts import HASHTAG_NOTE, OVERRIDES

ROUTE_RANK = {Route.LEGAL: 3, Route.PRIVACY: 2, Route.MEDIA: 1}


def evaluate(
    policy: Policy,
    item: CommentInput,
    orders: Sequence[SuppressionOrder] = (),
    now: datetime | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Verdict:
    """The verdict ``policy.evaluate`` must give for ``item`` (same arguments, same errors)."""
    if len(item.text) > EVALUATED_CHARS:
        return evaluate_too_long(policy, functools.partial(evaluate, policy), item, orders, now, overrides)
    matcher = policy.active_orders(orders, now)
    for rule_id, value in (overrides or {}).items():
        if value not in OVERRIDES:
            raise ValueError(f"override for {rule_id!r} must be one of {OVERRIDES}, not {value!r}")
    n = normalise(item.text)
    views = read_views(policy, n)
    allowed = [span for view, _ in views for span in _allowed_words(policy, view)]
    ctx = Context(n, matcher)
    enforced: list[Finding] = []
    shadow: list[Finding] = []
    hide_now = False
    for rule, compiled in zip(policy.rules, policy.compiled, strict=True):
        if rule.admits is not None and not rule.admits(item):
            continue
        if rule.kind == "words":
            hits = word_hits(rule, views, allowed, item.text, policy.automaton.maskable)
        elif rule.kind == "regex":
            hits = regex_hits(rule, compiled, n, views, allowed) if _regex_tried(rule, views) else []
        else:
            hits = list(compiled.find(item, n, ctx)) if _detector_tried(compiled, item, n, views, matcher) else []
        if not hits:
            continue
        action, mode, hide, explanation = rule.action, rule.mode, rule.hide_now, rule.explanation
        override = (overrides or {}).get(rule.id)
        if override == "shadow":
            mode = Mode.SHADOW
        elif override == "queue_only":
            hide = False
            if action is Action.AUTO_HIDE:
                action = Action.QUEUE
        if rule.kind == "words" and action is Action.AUTO_HIDE:
            if all(hit.confidence <= HASHTAG_CONFIDENCE for hit in hits):
                action, hide, explanation = Action.QUEUE, False, explanation + HASHTAG_NOTE
        for hit in hits[:MAX_HITS_PER_RULE]:
            finding = Finding(
                rule_id=rule.id, clause=rule.clause, severity=rule.severity, action=action, mode=mode,
                start=hit.start, end=hit.end, match=hit.match, confidence=min(hit.confidence, rule.confidence),
                explanation=hit.explanation or explanation, rule_hash=rule.hash, priority=rule.priority,
                route=rule.route,
            )  # fmt: skip
            if mode is Mode.ENFORCE:
                enforced.append(finding)
            else:
                shadow.append(finding)
        if mode is Mode.ENFORCE and hide:
            hide_now = True
    guard = policy.guard
    if guard is not None and guard.reads(enforced):
        reviewed = guard.review(n, enforced)
        if reviewed is not None:
            enforced = reviewed
    return plain_verdict(policy, enforced, shadow, hide_now)


def plain_verdict(policy: Policy, enforced: list[Finding], shadow: list[Finding], hide_now: bool) -> Verdict:
    """The strongest enforced finding's action, every finding ordered strongest first."""
    shadow = sorted(shadow, key=strength)
    if not enforced:
        return policy.default_verdict._replace(shadow_findings=tuple(shadow))
    enforced = sorted(enforced, key=strength)
    action = enforced[0].action
    route = None
    if action is Action.ESCALATE:
        routed = [f for f in enforced if f.action is Action.ESCALATE and f.route is not None]
        route = max(routed, key=lambda f: (f.priority, ROUTE_RANK[f.route])).route  # type: ignore[index]
        hide_now = hide_now or any(f.action is Action.AUTO_HIDE for f in enforced)
    return Verdict(
        action=action,
        findings=tuple(enforced),
        priority=max(f.priority for f in enforced),
        route=route,
        policy_version=policy.version,
        hide_now=hide_now and action is Action.ESCALATE,
        shadow_findings=tuple(shadow),
    )


def strength(f: Finding) -> tuple[int, int, int, float, int]:
    return (-ACTION_PRECEDENCE[f.action], -SEVERITY_RANK[f.severity], -f.priority, -f.confidence, f.start)


# ---------------------------------------------------------------------------------------------------- views
def read_views(policy: Policy, n: Normalised) -> list[tuple[Normalised, float]]:
    """The views the policy's words are looked for in, each with the confidence of a match found only there:
    the folded text; the skeleton, built where evasion triggers are, when it differs; the canonical view (the
    evasive spellings of listed words read as the words), when there are any. Recorded on ``n``."""
    views = [(n, 1.0)]
    steps = 0
    triggers: list[tuple[int, int, int]] = []
    if any(rule.evasion for rule in policy.rules):
        padded = f" {n.text} "
        for key, step in _triggers().items():
            for at in occurrences(padded, key) if key in padded else ():
                triggers.append((at - 1, at - 1 + len(key), step))
                steps |= step
    spellings = _spellings(policy, n)
    base = n
    if not steps:
        n.settle_evasion(False)
    else:
        skeleton = skeleton_from_triggers(n, triggers)
        n.settle_evasion(True, skeleton)
        if skeleton.text != n.text:
            views.append((skeleton, SKELETON_CONFIDENCE))
            in_skeleton = _spellings(policy, skeleton)
            if in_skeleton or not spellings:
                base, spellings = skeleton, in_skeleton
    held: list[tuple[int, int, str]] = []
    if steps & RUN_STEP:
        held, plain = held_edits(n, base, policy.variants.held)
        spellings = [sp for sp in spellings if outside(plain, sp[0], sp[1])]
    if spellings or held:
        edits = held + [(s, e, word) for s, e, word in spellings if word]
        glued = [(s, e) for s, e, word in spellings if not word]
        edits += [(pos, pos, " ") for pos in policy.variants.glue_splits(base.text, glued)] if glued else []
        canonical = build_canonical(base, edits) if edits else base
        if canonical.text != base.text:
            n.canonical = canonical
            views.append((canonical, CANONICAL_CONFIDENCE))
    return views


@functools.cache
def _triggers() -> dict[str, int]:
    return evasion_triggers()


def occurrences(text: str, key: str) -> Iterator[int]:
    """Every offset where ``key`` starts in ``text``, overlapping ones included."""
    at = text.find(key)
    while at != -1:
        yield at
        at = text.find(key, at + 1)


def _spellings(policy: Policy, view: Normalised) -> list[tuple[int, int, str]]:
    """Evasive spellings of listed words in ``view`` (start, end, the listed word), and listed words glued to
    other letters (start, end, ""), in ``view``'s offsets, in reading order."""
    p = f" {view.text} "
    found: list[tuple[tuple[int, int], tuple[int, int, str]]] = []
    for key, variant in policy.variants.keys.items():
        for at in occurrences(p, key) if key in p else ():
            vs, ve = at, at + len(key)
            if variant.edge < 0 and p[vs - 1] not in LEAD_BOUNDS:
                continue
            if variant.edge > 0 and p[ve] not in TRAIL_BOUNDS:
                continue
            before, after = p[vs - 1], p[ve]
            if before.isalnum() or before == "@" or (after.isalnum() and not variant.prefix):
                continue
            read_end = ve + 1 if variant.edge > 0 else ve  # where a reader that needs the bound finds it
            read_len = len(key) + (variant.edge != 0)
            found.append(((read_end, -read_len), (vs - 1, ve - 1, variant.canonical)))
    for word in policy.variants.glue_words:
        for vs in occurrences(p, word) if word in p else ():
            ve = vs + len(word)
            before, after = p[vs - 1], p[ve]
            # Glued on a side with three letters or more, or with a single letter ("a z i p p e r h e a d").
            glued_after = after.isalpha() and p[ve + 1 : ve + 3].isalpha() and len(p[ve + 1 : ve + 3]) == 2
            glued_before = before.isalpha() and vs > 2 and (not p[vs - 2].isalpha() or p[vs - 3 : vs - 1].isalpha())
            if glued_after or glued_before:
                found.append(((ve, -len(word)), (vs - 1, ve - 1, "")))
    return [spelling for _, spelling in sorted(found, key=lambda pair: pair[0])]


# ---------------------------------------------------------------------------------------------------- words
def find_word(
    view: Normalised, p: str, key: str, whole: bool, prefix: bool, conf: float
) -> Iterator[tuple[int, int, float, int]]:
    """Where ``key`` stands in ``view`` (``p``: its text with a space each side), as a whole word when ``whole``
    and with any ending when ``prefix``, as (start, end, confidence, where a reader reaches its end) in original
    offsets. A word inside an @handle is a name; one starting a #hashtag has ``HASHTAG_CONFIDENCE``."""
    for at in occurrences(p, key) if key in p else ():
        stop = at + len(key)
        confidence = conf
        if whole:
            before = p[at - 1]
            if before.isalnum() or before == "@":
                continue
            if before == "#":
                confidence = HASHTAG_CONFIDENCE
            if prefix:
                while p[stop].isalnum():
                    stop += 1
            elif p[stop].isalnum():
                continue
        s, e = view.span(at - 1, stop - 1)
        yield s, e, confidence, at + len(key)


def _allowed_words(policy: Policy, view: Normalised) -> Iterator[tuple[int, int]]:
    """The allowed words (place names) in ``view``, in original offsets."""
    p = f" {view.text} "
    for term in policy.meta["allow_terms"]:
        for s, e, _, _ in find_word(view, p, term.rstrip("*"), True, term.endswith("*"), 1.0):
            yield s, e


def word_hits(
    rule: Rule,
    views: list[tuple[Normalised, float]],
    allowed: list[tuple[int, int]],
    text: str,
    maskable: frozenset[str] | None = None,
) -> list[Hit]:
    """A word rule's matches: its terms in every view (the skeleton and the canonical view only for a rule that
    reads evasions), and their masked spellings ("c*nt") in the folded text; at most twice ``MAX_HITS_PER_RULE``
    are read, view by view in reading order; none inside an allowed word, and no two overlapping."""
    read: list[tuple[int, int, float]] = []
    for number, (view, conf) in enumerate(views):
        p = f" {view.text} "
        in_view = []
        for key, prefix, evasive_too in word_keys(rule.terms, rule.evasion, maskable):
            if key not in p or (number > 0 and not evasive_too):
                continue
            for s, e, c, reached in find_word(view, p, key, rule.whole_word, prefix, conf):
                in_view.append(((reached, -len(key)), (s, e, c)))
        read += [span for _, span in sorted(in_view, key=lambda pair: pair[0])]
    return _kept([Hit(s, e, text[s:e], c) for s, e, c in read[: 2 * MAX_HITS_PER_RULE]], allowed)


@functools.lru_cache(maxsize=256)
def word_keys(
    terms: tuple[str, ...], evasion: bool, maskable: frozenset[str] | None = None
) -> list[tuple[str, bool, bool]]:
    """The strings a word rule looks for: (key, any ending, also in the evasive views)."""
    keys: list[tuple[str, bool, bool]] = []
    for term in terms:
        word, prefix = term.rstrip("*"), term.endswith("*")
        keys.append((word, prefix, evasion))
        if evasion:
            keys.extend((masked, prefix, False) for masked in masked_spellings(word, prefix, maskable))
    return keys


def _kept(hits: list[Hit], allowed: list[tuple[int, int]]) -> list[Hit]:
    """Hits outside allowed words; of overlapping ones, the one starting first (the longest of those)."""
    out: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if any(a_s < hit.end and hit.start < a_e for a_s, a_e in allowed):
            continue
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


# ---------------------------------------------------------------------------------------------------- the others
def _regex_tried(rule: Rule, views: list[tuple[Normalised, float]]) -> bool:
    """A regex rule runs when it has no prefilter words or one starts a word in a view it reads."""
    if not rule.prefilter:
        return True
    for number, (view, _) in enumerate(views):
        if number > 0 and not rule.evasion:
            continue
        p = f" {view.text} "
        for word in rule.prefilter:
            if any(at <= 1 or not p[at - 1].isalnum() for at in occurrences(p, word)):
                return True
    return False


def regex_hits(
    rule: Rule, pattern: object, n: Normalised, views: list[tuple[Normalised, float]], allowed: list[tuple[int, int]]
) -> list[Hit]:
    """The pattern's matches in the folded text and, for a rule that reads evasions, in the evasive views."""
    spans: list[tuple[int, int, float]] = []
    for number, (view, conf) in enumerate(views):
        if number == 0 or rule.evasion:
            spans += [(*view.span(s, e), conf) for s, e in find_spans(pattern, view.text)]
    return _kept([Hit(s, e, n.original[s:e], c) for s, e, c in spans], allowed)


def _detector_tried(
    detector: object,
    item: CommentInput,
    n: Normalised,
    views: list[tuple[Normalised, float]],
    matcher: OrderMatcher | None,
) -> bool:
    """A detector runs when one of its trigger words is anywhere in a view and its gate is open."""
    triggers: tuple[str, ...] = getattr(detector, "prefilter_terms", ())
    if triggers and not any(word in f" {view.text} " for view, _ in views for word in triggers):
        return False
    gate: str = getattr(detector, "gate", "")
    return not gate or gate_open(gate, item, n.text, matcher)
