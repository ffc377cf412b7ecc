"""modq policy check catches what it promises to: uncovered clauses, names alone, document drift, bad regexes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from moderation.rules import load_policy
from moderation.rules.checks import check_policy


def _problems(policy_dir: Path) -> list[str]:
    return [str(p) for p in check_policy(load_policy(policy_dir))]


def test_shipped_policy_is_clean(policy_copy: Path) -> None:
    assert _problems(policy_copy) == []


def test_rule_on_the_ministers_name_alone(policy_copy: Path) -> None:
    (policy_copy / "rules" / "zz.toml").write_text(
        '[[rule]]\nid = "bad.name"\nclause = "6"\nwords = ["carraway"]\naction = "queue"\nseverity = "low"\n'
        '[rule.examples]\nmatch = ["carraway"]\nno_match = ["x"]\n'
    )
    problems = _problems(policy_copy)
    assert any("bad.name" in p and "protected name" in p for p in problems)


def test_clause_without_a_rule(policy_copy: Path) -> None:
    clauses = policy_copy / "clauses.toml"
    clauses.write_text(clauses.read_text() + '\n[[clause]]\nid = "17"\ntitle = "Something new"\n')
    problems = _problems(policy_copy)
    assert any("clause 17" in p and "no enforce-mode rule" in p for p in problems)
    assert any("clause 17" in p and "no numbered heading" in p for p in problems)


def test_human_review_clause_cited_by_a_rule(policy_copy: Path) -> None:
    rules = policy_copy / "rules" / "spam.toml"
    rules.write_text(rules.read_text().replace('clause = "12"', 'clause = "15"'))
    problems = _problems(policy_copy)
    assert any("human-review-only but rules cite it" in p for p in problems)
    assert any("clause 12" in p for p in problems)


def test_document_version_and_titles(policy_copy: Path) -> None:
    doc = policy_copy.parent / "moderation_policy.md"
    version = tomllib.loads((policy_copy / "policy.toml").read_text())["policy"]["version"]
    doc.write_text(doc.read_text().replace(version, "2026.10.9").replace("### 9. Impersonation", "### 9. Fakes"))
    problems = _problems(policy_copy)
    assert any("version '2026.10.9'" in p for p in problems)
    assert any("clause 9 heading 'Fakes'" in p for p in problems)


def test_shadow_only_rule_does_not_enforce_a_clause(policy_copy: Path) -> None:
    rules = policy_copy / "rules" / "identity.toml"
    text = rules.read_text()
    text = text.replace('route = "media"\n', 'route = "media"\nmode = "shadow"\n')
    text = text.replace('action = "queue"\npriority = 60', 'action = "queue"\nmode = "shadow"\npriority = 60')
    rules.write_text(text)
    assert any("clause 9" in p for p in _problems(policy_copy))


def test_timing_check_reports_a_slow_rule_and_spares_the_shipped_ones(policy_copy: Path) -> None:
    from moderation.rules.checks import check_regex_time

    # Linear on RE2, but heavy per character: bounded repeats of classes inside a bounded repeat.
    body = """
[[rule]]
id = "slow.one"
clause = "1"
regex = '(?:[a-z]{1,30}[^a-z]{0,3}){1,30}!'
action = "queue"
severity = "low"
[rule.examples]
match = ["ab!"]
no_match = ["1"]
"""
    (policy_copy / "rules" / "zz.toml").write_text(body)
    problems = check_regex_time(load_policy(policy_copy), budget=0.004)
    assert [p for p in problems if "slow.one" in str(p)], problems
    assert all("slow.one" in str(p) for p in problems), problems
