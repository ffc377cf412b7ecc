"""Bounded rules: policy patterns run on a linear-time engine (RE2), patterns it cannot run are refused
with the file, the rule and the reason, and very long comments are evaluated over a bounded window and
queued for a person with their text kept whole."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moderation.domain import Action, CommentInput, ConfigError
from moderation.rules import Policy, load_policy
from moderation.rules.pipeline import EVALUATED_CHARS, TOO_LONG_RULE
from moderation.rules.regex_safety import UnsafePattern, check_pattern, find_spans

from .support import DEMO_ORDER, DURING
from .test_cli import APP

runner = CliRunner()

# Each of these backtracks for seconds to minutes in Python's ``re`` on the texts below.
PATHOLOGICAL = [
    (r"free.*money.*now.*click", "free money now " * 540),  # 45 s on 8,000 characters before
    (r"(a+)+$", "a" * 5_000 + "!"),
    (r"(a*)*b", "a" * 5_000),
    (r"(\w+\s?)*x", "word " * 1_000),
    (r"(a|ab)+c", "ab" * 2_500),
    (r"(a|a)*b", "a" * 5_000),
    (r"(\d+)*z", "1" * 5_000),
    (r"(.*a){20}", "a" * 5_000),
]


def _rule(rule_id: str, pattern: str) -> str:
    return f"""
[[rule]]
id = "{rule_id}"
clause = "10"
regex = '{pattern}'
action = "queue"
severity = "low"
[rule.examples]
match = ["free money now click"]
"""


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL)
def test_pathological_patterns_run_in_milliseconds(pattern: str, text: str) -> None:
    compiled = check_pattern(pattern)
    start = time.process_time()
    find_spans(compiled, text)
    assert time.process_time() - start < 0.05


def test_the_reported_spam_pattern_is_bounded_through_the_pipeline(policy_copy: Path) -> None:
    (policy_copy / "rules" / "zz.toml").write_text(_rule("spam.slow", r"free.*money.*now.*click"))
    policy = load_policy(policy_copy)
    text = "free money now " * 533  # 7,995 characters that almost match
    start = time.process_time()
    verdict = policy.evaluate(CommentInput(text=text))
    assert time.process_time() - start < 0.5
    assert not [f for f in verdict.findings if f.rule_id == "spam.slow"]
    hit = policy.evaluate(CommentInput(text="free money now, click here"))
    assert [f.match for f in hit.findings if f.rule_id == "spam.slow"] == ["free money now, click"]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(x)\1", "backreference"),
        (r"(?P<n>a)(?P=n)", "backreference"),
        (r"free(?=money)", "lookahead"),
        (r"(?<!not )guilty", "lookbehind"),
        (r"a++b", "possessive"),
        (r"(?>ab)c", "atomic"),
        (r"end\Z", "escape"),
        (r"(.{900}){900}", "1000"),
        (r"(unclosed", "missing )"),
    ],
)
def test_patterns_the_engine_cannot_run_are_refused_naming_file_rule_and_reason(
    policy_copy: Path, pattern: str, reason: str
) -> None:
    (policy_copy / "rules" / "zz.toml").write_text(_rule("bad.one", pattern))
    with pytest.raises(ConfigError) as info:
        load_policy(policy_copy)
    message = str(info.value)
    assert "zz.toml:" in message and "rule 'bad.one'" in message and "regular expression refused" in message
    assert reason in message
    res = runner.invoke(APP, ["policy", "check", "--policy", str(policy_copy)])
    assert res.exit_code == 2
    assert "zz.toml" in res.output and "bad.one" in res.output and reason in res.output


def test_refusal_is_raised_not_printed(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UnsafePattern):
        check_pattern(r"(x)\1")
    assert capfd.readouterr().err == ""


def test_formerly_refused_nested_quantifiers_now_load_and_pass_the_check(policy_copy: Path) -> None:
    (policy_copy / "rules" / "zz.toml").write_text(_rule("spam.nested", r"(free\s*)+money"))
    res = runner.invoke(APP, ["policy", "check", "--policy", str(policy_copy)])
    assert res.exit_code == 0, res.output


# ---------------------------------------------------------------- very long comments
def test_a_comment_longer_than_the_window_is_queued_for_a_person(policy: Policy) -> None:
    text = "Thanks for the update on the hospital. " * 600  # ~23,000 characters, harmless
    v = policy.evaluate(CommentInput(text=text))
    assert v.action is Action.QUEUE
    (too_long,) = [f for f in v.findings if f.rule_id == TOO_LONG_RULE]
    assert "too long: a person decides" in too_long.explanation
    assert too_long.start <= EVALUATED_CHARS and too_long.start == too_long.end
    assert v.clauses == ()  # the finding cites no clause: nothing is hidden for being long


def test_a_short_comment_has_no_too_long_finding(policy: Policy) -> None:
    v = policy.evaluate(CommentInput(text="Thanks for the update. " * 100))
    assert not [f for f in v.findings if f.rule_id == TOO_LONG_RULE]


def test_a_clear_violation_inside_the_window_still_acts(policy: Policy) -> None:
    text = "go fuck yourself you idiot. " + "blah " * 5_000
    v = policy.evaluate(CommentInput(text=text))
    assert v.action is Action.AUTO_HIDE
    assert {f.rule_id for f in v.findings} >= {TOO_LONG_RULE, "offensive.directed"}
    assert v.findings[0].rule_id != TOO_LONG_RULE  # the violation leads, the length note follows


def test_a_five_megabyte_comment_is_quick_and_small(policy: Policy) -> None:
    text = "free money now " * 350_000  # 5.25 MB
    item = CommentInput(text=text)
    tracemalloc.start()
    start = time.process_time()
    v = policy.evaluate(item)
    took = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert took < 0.5, took
    assert peak < 20_000_000, peak  # bytes allocated while evaluating, beyond the text itself
    assert v.action is Action.QUEUE and any(f.rule_id == TOO_LONG_RULE for f in v.findings)


def test_a_protected_name_past_the_window_is_still_hidden_and_escalated(policy: Policy) -> None:
    text = "Long story about the footy season. " * 700 + "And Jordan Mills was there." + " more" * 100
    assert text.index("Jordan") > EVALUATED_CHARS
    v = policy.evaluate(CommentInput(text=text), orders=[DEMO_ORDER], now=DURING)
    assert v.action is Action.ESCALATE and v.hide_now
    (name,) = [f for f in v.findings if f.rule_id == "legal.suppression_order"]
    assert text[name.start : name.end] == name.match == "Jordan Mills"
    assert any(f.rule_id == TOO_LONG_RULE for f in v.findings)


def test_the_order_matcher_reads_five_megabytes_in_bounded_memory() -> None:
    from moderation.rules.orders import OrderMatcher

    matcher = OrderMatcher([DEMO_ORDER], DURING)
    text = "вот такая история " * 290_000 + " jordan mills "  # non-ASCII: the per-character normaliser path
    tracemalloc.start()
    hits = matcher.text_hits(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [text[h.start : h.end].strip() for h in hits] == ["jordan mills"]
    assert peak < 30_000_000, peak
