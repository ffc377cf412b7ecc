"""Shared constants and helpers for the rules tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from moderation.domain import Action, Finding, SuppressionOrder
from moderation.rules import Policy

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
SHARED_DATA = REPO.parent / "shared" / "data"

DEMO_ORDER = SuppressionOrder(
    id=1,
    case="DPP v J.M. (a minor)",
    court="County Court of Victoria",
    terms=("Jordan Mills", "J-Mills"),
    starts=datetime(2026, 1, 1),
    until=datetime(2027, 12, 31),
)
DURING = datetime(2026, 11, 21, 9, 0)


def hidden(policy: Policy, text: str) -> bool:
    """Does the policy hide ``text`` at once?"""
    v = policy.check(text)
    return v.action is Action.AUTO_HIDE or v.hide_now


def rule_findings(policy: Policy, text: str) -> list[Finding]:
    """Findings of the rules (the learned model's are left out: it only ever queues)."""
    return [f for f in policy.check(text).findings if not f.rule_id.startswith("learned.")]


def queued_with_reason(policy: Policy, text: str, reason: str) -> bool:
    """Is ``text`` not hidden, with a rule's finding that carries ``reason`` (a guard cue's) in its explanation?"""
    return not hidden(policy, text) and any(reason in f.explanation for f in rule_findings(policy, text))


def guard_problems(policy_dir: Path, old: str, new: str) -> list[str]:
    """``modq policy check``'s messages about ``guard.toml`` in a policy copy once ``old`` there reads ``new``."""
    from moderation.rules import load_policy
    from moderation.rules.checks import check_policy

    path = policy_dir / "guard.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [p.message for p in check_policy(load_policy(policy_dir)) if "guard.toml" in p.where]
