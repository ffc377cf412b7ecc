"""Comments too long to check whole: their first part is evaluated, and a person reads the rest.

Only ``EVALUATED_CHARS`` characters of a comment are evaluated (the platforms cap comments at about 8,000); a
longer one is evaluated up to there and queued for a person with a "too long" finding. Its text is kept whole,
and suppression orders are applied to all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from moderation.domain import Action, CommentInput, Finding, Mode, Severity, SuppressionOrder, Verdict

from .orders import CHUNK_OVERLAP
from .scan import MAX_HITS_PER_RULE
from .verdicts import RuleFacts, overridden, verdict

if TYPE_CHECKING:
    from .pipeline import Policy

EVALUATED_CHARS = 10_000
TOO_LONG_RULE = "policy.too_long"
TOO_LONG_PRIORITY = 50

Evaluate = Callable[[CommentInput, Sequence[SuppressionOrder], datetime | None, Mapping[str, str] | None], Verdict]


def evaluate_too_long(
    policy: Policy,
    evaluate: Evaluate,
    item: CommentInput,
    orders: Sequence[SuppressionOrder],
    now: datetime | None,
    overrides: Mapping[str, str] | None,
) -> Verdict:
    """A comment longer than ``EVALUATED_CHARS``: its first part is evaluated by ``evaluate`` as usual (so a
    clear violation there still acts), and a "too long" finding queues it for a person, who reads the rest."""
    text = item.text
    cut = EVALUATED_CHARS
    # End the window at a space near the limit, so no word is cut into something that reads otherwise.
    space = text.rfind(" ", cut - 200, cut)
    if space > 0:
        cut = space
    first = evaluate(replace(item, text=text[:cut]), orders, now, overrides)
    enforced, shadow, hide_now = list(first.findings), list(first.shadow_findings), first.hide_now
    # Suppression orders are applied to the whole text (read in bounded chunks): a protected name is hidden
    # wherever it is, not left up until a person reaches it.
    rule = policy.order_rule
    if orders and now is not None and rule is not None and (rule.admits is None or rule.admits(item)):
        facts = RuleFacts.of(rule)
        if overrides:
            facts = overridden(facts, overrides.get(rule.id))
        target = enforced if facts.mode is Mode.ENFORCE else shadow
        found = sum(1 for f in target if f.rule_id == rule.id)
        for h in policy.order_matcher(orders, now).text_hits(text, start=max(cut - CHUNK_OVERLAP, 0)):
            if h.end <= cut or found >= MAX_HITS_PER_RULE:
                continue  # inside the window, already evaluated
            found += 1
            target.append(
                Finding(
                    rule_id=rule.id, clause=rule.clause, severity=rule.severity, action=facts.action,
                    mode=facts.mode, start=h.start, end=h.end, match=h.match,
                    confidence=min(h.confidence, rule.confidence), explanation=h.explanation or rule.explanation,
                    rule_hash=rule.hash, priority=rule.priority, route=rule.route,
                )
            )  # fmt: skip
            if facts.hide_now and facts.mode is Mode.ENFORCE:
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
        explanation=f"too long: a person decides (only the first {cut:,} of {len(text):,} characters were checked)",
        priority=TOO_LONG_PRIORITY,
    )
    return verdict(policy.default_verdict, [*enforced, too_long], shadow, hide_now, policy.version)
