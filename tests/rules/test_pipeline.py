"""Verdicts: precedence, routes, hide-now, shadow mode, overrides, defaults, recorded identity."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from moderation.domain import Action, CommentInput, Mode, Route
from moderation.rules import Policy, load_policy

from .support import DEMO_ORDER, DURING, POLICIES


def test_no_finding_goes_to_queue_at_low_priority(policy: Policy) -> None:
    v = policy.check("When does the clinic open on Saturday?")
    assert v.action is Action.QUEUE and not v.findings
    assert v.priority == policy.no_finding_priority < 20
    published = tomllib.loads((POLICIES / "policy.toml").read_text())["policy"]["version"]
    assert v.policy_version == policy.version == published


def test_default_can_be_approve(policy_copy: Path) -> None:
    meta = policy_copy / "policy.toml"
    meta.write_text(meta.read_text().replace('no_finding_action = "queue"', 'no_finding_action = "approve"'))
    assert load_policy(policy_copy).check("Thanks for the update").action is Action.APPROVE


def test_precedence_escalate_over_auto_hide_over_queue(policy: Policy) -> None:
    v = policy.check("Helen Carraway is corrupt, fuck you")
    assert v.action is Action.ESCALATE and v.route is Route.LEGAL
    assert v.hide_now  # escalated, and a hiding rule also fired
    assert [f.action for f in v.findings][:2] == [Action.ESCALATE, Action.AUTO_HIDE]
    assert policy.check("fuck you, this is crap").action is Action.AUTO_HIDE
    assert policy.check("this is crap").action is Action.QUEUE


def test_findings_are_ordered_strongest_first(policy: Policy) -> None:
    v = policy.check("this is crap, you dickhead, I will kill you")
    ranks = [(f.action, f.severity) for f in v.findings]
    assert v.findings[0].rule_id == "threat.grammar"
    assert ranks[-1][0] is Action.QUEUE


def test_findings_record_rule_identity(policy: Policy) -> None:
    v = policy.check("what a cunt")
    f = v.findings[0]
    rule = policy.by_id[f.rule_id]
    assert f.rule_hash == rule.hash and len(f.rule_hash) == 64
    assert f.clause == rule.clause and f.clause in policy.clauses
    assert "what a cunt"[f.start : f.end] == f.match == "cunt"


def test_mild_swearing_in_criticism_is_queued_not_hidden(policy: Policy) -> None:
    for text in [
        "This is crap policy and the Minister bloody well knows it.",
        "What a shitshow. Fix it.",
        "Damn it, Minister Carraway, some of us are choosing between heating and food.",
    ]:
        v = policy.check(text)
        assert v.action is not Action.AUTO_HIDE, text


def test_criticism_and_names_are_not_acted_on(policy: Policy) -> None:
    for text in [
        "Minister Carraway should resign over the way this has been handled.",
        "Priya Raman earns over $400k a year and still can't get the basics right.",
        "Tom Whitlock's statement answered none of the questions.",
        "Worst-run department in the state. DCW never listens.",
    ]:
        assert policy.check(text).findings == (), text


def test_suppression_order_hides_and_escalates(policy: Policy) -> None:
    item = CommentInput(text="Everyone knows it's Jordan  Mills from year 9")
    v = policy.evaluate(item, orders=[DEMO_ORDER], now=DURING)
    assert v.action is Action.ESCALATE and v.route is Route.LEGAL and v.hide_now
    f = v.findings[0]
    assert f.rule_id == "legal.suppression_order" and item.text[f.start : f.end] == "Jordan  Mills"


def test_orders_only_while_active(policy: Policy) -> None:
    item = CommentInput(text="Jordan Mills did it")
    assert not policy.evaluate(item, orders=[DEMO_ORDER], now=datetime(2025, 12, 31)).findings
    assert not policy.evaluate(item, orders=[DEMO_ORDER], now=datetime(2028, 1, 1)).findings
    from dataclasses import replace

    revoked = replace(DEMO_ORDER, revoked=True)
    assert not policy.evaluate(item, orders=[revoked], now=DURING).findings
    assert policy.evaluate(item, orders=[DEMO_ORDER], now=DURING).findings


def test_orders_require_now(policy: Policy) -> None:
    with pytest.raises(ValueError, match="now"):
        policy.evaluate(CommentInput(text="x"), orders=[DEMO_ORDER])


def test_shadow_override_reports_without_acting(policy: Policy) -> None:
    text = "what a cunt"
    v = policy.evaluate(CommentInput(text=text), overrides={"offensive.severe": "shadow"})
    assert v.action is not Action.AUTO_HIDE
    assert [f.rule_id for f in v.shadow_findings] == ["offensive.severe"]
    assert v.shadow_findings[0].mode is Mode.SHADOW


def test_queue_only_override(policy: Policy) -> None:
    v = policy.evaluate(CommentInput(text="what a cunt"), overrides={"offensive.severe": "queue_only"})
    assert v.action is Action.QUEUE and v.findings[0].action is Action.QUEUE
    order_v = policy.evaluate(
        CommentInput(text="Jordan Mills"), [DEMO_ORDER], DURING, overrides={"legal.suppression_order": "queue_only"}
    )
    assert order_v.action is Action.ESCALATE and not order_v.hide_now


def test_bad_override_value(policy: Policy) -> None:
    with pytest.raises(ValueError, match="override"):
        policy.evaluate(CommentInput(text="x"), overrides={"offensive.severe": "off"})


def test_shadow_mode_in_the_file(policy_copy: Path) -> None:
    path = policy_copy / "rules" / "offensive.toml"
    text = path.read_text()
    path.write_text(text.replace('id = "offensive.severe"\n', 'id = "offensive.severe"\nmode = "shadow"\n', 1))
    v = load_policy(policy_copy).check("what a cunt")
    assert v.action is not Action.AUTO_HIDE and v.shadow_findings


def test_conditions(policy: Policy) -> None:
    assert not policy.evaluate(CommentInput(text="hello", author_prior_hidden=2)).findings
    v = policy.evaluate(CommentInput(text="hello", author_prior_hidden=5))
    assert [f.rule_id for f in v.findings] == ["harass.repeat_offender"]


def test_impersonation(policy: Policy) -> None:
    fake = CommentInput(text="Send us your bank details", author_name="DCW Victoria Official", author_id="9")
    real = CommentInput(text="Thanks all", author_name="DCW Victoria", author_id="1000000001")
    v = policy.evaluate(fake)
    assert v.action is Action.ESCALATE and v.route is Route.MEDIA
    assert not policy.evaluate(real).findings
    staff = policy.evaluate(CommentInput(text="Statement", author_handle="priya_raman_dcw", author_id="7"))
    assert [f.rule_id for f in staff.findings] == ["impersonation.staff_official"]
    assert staff.action is Action.ESCALATE and staff.route is Route.MEDIA
    namesake = policy.evaluate(CommentInput(text="Hi", author_name="Priya Raman", author_id="8"))
    assert [f.rule_id for f in namesake.findings] == ["impersonation.staff"] and namesake.action is Action.QUEUE


def test_sub_judice_and_defamation_never_auto_hide(policy: Policy) -> None:
    v = policy.check("Daniel Foster lit the fire, lock him up")
    assert v.action is Action.ESCALATE and v.route is Route.LEGAL and not v.hide_now
    v = policy.check("Helen Carraway took bribes from developers")
    assert v.action is Action.ESCALATE and not v.hide_now


def test_evaluate_is_deterministic(policy: Policy) -> None:
    text = "F.U.C.K this department, ring 0491 570 156, Helen Carraway is a crook"
    assert policy.check(text) == policy.check(text)


def test_mixed_timezones_are_a_clear_error(policy: Policy) -> None:
    from datetime import UTC

    with pytest.raises(ValueError, match="timezone"):
        policy.evaluate(CommentInput(text="x"), orders=[DEMO_ORDER], now=datetime(2026, 11, 21, tzinfo=UTC))


def test_importing_the_rules_loads_no_outer_layer() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import moderation.rules; from moderation.rules import load_policy; load_policy(); "
        "bad = [m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'moderation.store', 'moderation.services', "
        "'moderation.cli', 'typer') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_a_hiding_rule_matched_only_in_a_hashtag_queues(policy: Policy) -> None:
    tagged = policy.check("voted liberal again #fuck off")
    assert tagged.action is Action.QUEUE
    directed = [f for f in tagged.findings if f.rule_id == "offensive.directed"]
    assert directed and directed[0].action is Action.QUEUE and "hashtag" in directed[0].explanation
    assert policy.check("voted liberal again, fuck off").action is Action.AUTO_HIDE
    # One match outside a hashtag is enough for the rule to hide.
    assert policy.check("fuck off #fuck off").action is Action.AUTO_HIDE


def test_slurs_not_aimed_at_a_person_are_first_in_the_queue(policy: Policy) -> None:
    quoted = policy.check("the sign said no niggers allowed, in 1950")
    assert quoted.action is Action.QUEUE and quoted.priority >= 90
    assert quoted.findings[0].rule_id == "hate.slur_reclaimed"
    assert policy.check("shut up you n1gger").action is Action.AUTO_HIDE
    assert policy.check("Don't let poofters near our kids").action is Action.AUTO_HIDE
