"""From matches to a verdict: a rule's matches become findings, and the findings one verdict.

Precedence: escalate > auto_hide > queue > approve. Findings are ordered strongest first (action, severity,
priority, confidence, then position). Shadow-mode findings (the rule's mode, or an override from the worker's
circuit breaker) are reported in ``Verdict.shadow_findings`` and never change the action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import NamedTuple, Protocol, TypeVar

from moderation.domain import (
    ACTION_PRECEDENCE,
    SEVERITY_RANK,
    Action,
    CommentInput,
    Finding,
    Mode,
    Route,
    Severity,
    Verdict,
)

from .model import Hit, Rule, positional_builder
from .scan import HASHTAG_CONFIDENCE, MAX_HITS_PER_RULE, Span

OVERRIDES = ("shadow", "queue_only")
HASHTAG_NOTE = " (in a hashtag: a moderator decides)"
_ROUTE_RANK = {Route.LEGAL: 3, Route.PRIVACY: 2, Route.MEDIA: 1}
_PRIORITY = attrgetter("priority")
# Enum members as module globals: reading ``Action.AUTO_HIDE`` goes through the enum class (slow on 3.11),
# and evaluation compares actions and modes for every finding.
_AUTO_HIDE, _ESCALATE, _QUEUE, _ENFORCE = Action.AUTO_HIDE, Action.ESCALATE, Action.QUEUE, Mode.ENFORCE


# Findings are built from plain tuples in this order (see ``positional_builder``), and read by name.
_finding = positional_builder(
    Finding,
    ("rule_id", "clause", "severity", "action", "mode", "start", "end", "match", "confidence", "explanation",
     "rule_hash", "priority", "route"),
)  # fmt: skip


_verdict = positional_builder(
    Verdict, ("action", "findings", "priority", "route", "policy_version", "hide_now", "shadow_findings")
)


class RuleFacts(NamedTuple):
    """What evaluation reads of a rule for each finding it makes (after the worker's override, if any)."""

    rule_id: str
    clause: str
    severity: Severity
    action: Action
    mode: Mode
    rule_hash: str
    priority: int
    route: Route | None
    explanation: str
    hide_now: bool
    admits: Callable[[CommentInput], bool] | None
    kind: str
    confidence: float  # the highest confidence its findings may report

    @classmethod
    def of(cls, r: Rule) -> RuleFacts:
        return cls(
            rule_id=r.id, clause=r.clause, severity=r.severity, action=r.action, mode=r.mode, rule_hash=r.hash,
            priority=r.priority, route=r.route, explanation=r.explanation, hide_now=r.hide_now, admits=r.admits,
            kind=r.kind, confidence=r.confidence,
        )  # fmt: skip


def check_overrides(overrides: Mapping[str, str]) -> None:
    """``ValueError`` naming the allowed values when an override is not one of ``OVERRIDES``."""
    for rid, val in overrides.items():
        if val not in OVERRIDES:
            raise ValueError(f"override for {rid!r} must be one of {OVERRIDES}, not {val!r}")


def overridden(facts: RuleFacts, override: str | None) -> RuleFacts:
    """A rule's facts after the worker's override for it: "shadow" (report only) or "queue_only" (its
    auto_hide becomes queue, and it never hides at once)."""
    if override == "shadow":
        return facts._replace(mode=Mode.SHADOW)
    if override == "queue_only":
        return facts._replace(action=_QUEUE if facts.action is _AUTO_HIDE else facts.action, hide_now=False)
    return facts


class Collected:
    """The findings of one comment so far, and what they call for."""

    __slots__ = ("enforced", "shadow", "hide_now", "hot")

    def __init__(self) -> None:
        self.enforced: list[Finding] = []
        self.shadow: list[Finding] = []
        self.hide_now = False  # an enforced rule wants the comment hidden now, even when escalated
        self.hot = False  # an enforced finding would hide the comment: the context guard reviews it

    def add_words(self, facts: RuleFacts, spans: list[Span], original: str) -> None:
        """A word rule's findings (its first ``MAX_HITS_PER_RULE`` spans). A hiding rule whose every match
        starts a #hashtag queues the comment instead."""
        if facts.action is _AUTO_HIDE and (
            spans[0].confidence <= HASHTAG_CONFIDENCE
            if len(spans) == 1
            else all(span.confidence <= HASHTAG_CONFIDENCE for span in spans)
        ):
            facts = facts._replace(action=_QUEUE, hide_now=False, explanation=facts.explanation + HASHTAG_NOTE)
        if facts.mode is _ENFORCE:
            target = self.enforced
            if facts.hide_now:
                self.hide_now = True
            if facts.action is _AUTO_HIDE:
                self.hot = True
        else:
            target = self.shadow
        cap = facts.confidence
        for span in spans[:MAX_HITS_PER_RULE] if len(spans) > MAX_HITS_PER_RULE else spans:
            start, end, conf = span.start, span.end, span.confidence
            target.append(
                _finding((
                    facts.rule_id, facts.clause, facts.severity, facts.action, facts.mode, start, end,
                    original[start:end], conf if cap >= 1 else min(conf, cap), facts.explanation, facts.rule_hash,
                    facts.priority, facts.route,
                ))
            )  # fmt: skip

    def add_hits(self, facts: RuleFacts, hits: list[Hit]) -> None:
        """A regex or detector rule's findings (its first ``MAX_HITS_PER_RULE`` hits)."""
        if facts.mode is _ENFORCE:
            target = self.enforced
            if facts.hide_now:
                self.hide_now = True
            if facts.action is _AUTO_HIDE:
                self.hot = True
        else:
            target = self.shadow
        cap = facts.confidence
        for hit in hits[:MAX_HITS_PER_RULE] if len(hits) > MAX_HITS_PER_RULE else hits:
            conf = hit.confidence
            target.append(
                _finding((
                    facts.rule_id, facts.clause, facts.severity, facts.action, facts.mode, hit.start, hit.end,
                    hit.match, conf if cap >= 1 else min(conf, cap), hit.explanation or facts.explanation,
                    facts.rule_hash, facts.priority, facts.route,
                ))
            )  # fmt: skip


def strongest_first(f: Finding) -> tuple[int, int, int, float, int]:
    """The sort key of findings: action, severity, priority, confidence (each strongest first), then position."""
    return (-ACTION_PRECEDENCE[f.action], -SEVERITY_RANK[f.severity], -f.priority, -f.confidence, f.start)


def verdict(default: Verdict, enforced: list[Finding], shadow: list[Finding], hide_now: bool, version: str) -> Verdict:
    """The verdict for a comment's findings; ``default`` (no enforced finding) carries the policy's
    no-finding action."""
    if shadow:
        shadow_sorted = tuple(sorted(shadow, key=strongest_first)) if len(shadow) > 1 else (shadow[0],)
        if not enforced:
            return default._replace(shadow_findings=shadow_sorted)
    elif not enforced:
        return default
    else:
        shadow_sorted = ()
    if len(enforced) > 1:
        enforced.sort(key=strongest_first)
        priority = max(map(_PRIORITY, enforced))
    else:
        priority = enforced[0].priority
    action = enforced[0].action
    route = None
    if action is _ESCALATE:
        escalations = [f for f in enforced if f.action is _ESCALATE and f.route is not None]
        route = max(escalations, key=_route_order).route
        # Escalated comments a hiding rule also flagged are hidden while they wait for the reviewer.
        if any(f.action is _AUTO_HIDE for f in enforced):
            hide_now = True
    else:
        hide_now = False
    return _verdict((action, tuple(enforced), priority, route, version, hide_now, shadow_sorted))


def _route_order(f: Finding) -> tuple[int, int]:
    return (f.priority, _ROUTE_RANK[f.route] if f.route is not None else 0)


class _Located(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_L = TypeVar("_L", bound=_Located)


def dedupe(hits: Sequence[_L], allow: list[tuple[int, int]]) -> list[_L]:
    """Drop hits inside allowed words (place names) and overlapping duplicates; of overlapping hits, the one
    starting first (the longest of those) is kept."""
    if allow:
        hits = [h for h in hits if not any(a_s < h.end and h.start < a_e for a_s, a_e in allow)]
    if len(hits) <= 1:
        return list(hits)
    if len(hits) == 2 and hits[0].start < hits[0].end <= hits[1].start:
        return list(hits)  # the common case: two separate matches, already in order (as sorting leaves them)
    out: list[_L] = []
    for h in sorted(hits, key=_earliest_longest):
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def _earliest_longest(h: _Located) -> tuple[int, int]:
    return (h.start, h.start - h.end)
