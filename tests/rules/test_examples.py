"""Every rule's examples, from the policy files, run as tests (the same check ``modq policy check`` makes)."""

from __future__ import annotations

import pytest

from moderation.rules import Policy, load_policy

from .support import DEMO_ORDER, DURING, POLICIES

_POLICY = load_policy(POLICIES)
CASES = [
    pytest.param(rule.id, i, id=f"{rule.id}-{'match' if ex.should_match else 'no_match'}-{i}")
    for rule in _POLICY.rules
    for i, ex in enumerate(rule.examples)
]


def test_every_rule_has_examples_both_ways() -> None:
    missing = [r.id for r in _POLICY.rules if not any(not e.should_match for e in r.examples)]
    assert not missing, f"rules without a no_match example: {missing}"


@pytest.mark.parametrize(("rule_id", "index"), CASES)
def test_rule_example(policy: Policy, rule_id: str, index: int) -> None:
    rule = policy.by_id[rule_id]
    ex = rule.examples[index]
    verdict = policy.evaluate(ex.item, orders=[DEMO_ORDER], now=DURING)
    fired = [f for f in (*verdict.findings, *verdict.shadow_findings) if f.rule_id == rule_id]
    if ex.should_match:
        assert fired, f"{rule.source}:{ex.line}: {rule_id} should match {ex.item.text!r}"
        for f in fired:
            if f.end > f.start:
                assert ex.item.text[f.start : f.end] == f.match
    else:
        assert not fired, f"{rule.source}:{ex.line}: {rule_id} should not match {ex.item.text!r}: {fired[0].match!r}"
