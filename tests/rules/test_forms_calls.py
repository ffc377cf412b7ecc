"""Calls to cage a group, send it to be killed, let it drown or wish it dead, and supremacist codes, found by
another round of comments the rules had not seen; each beside the lawful look-alikes a department's pages also
see."""

from __future__ import annotations

import pytest

from moderation.rules import Policy

from .support import hidden


def hate_rules(policy: Policy, text: str) -> set[str]:
    return {f.rule_id for f in policy.check(text).findings if f.rule_id.startswith(("hate.", "threat."))}


@pytest.mark.parametrize(
    "text",
    [
        "Women should be kept in cages",
        "Jews should be sent to the ovens",
        "Disabled people would be better off dead",
        "Refugees should be left to drown",
    ],
)
def test_caging_killing_and_death_wished_on_a_group_are_hidden(policy: Policy, text: str) -> None:
    assert hidden(policy, text), policy.check(text).findings


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Sink the boats!", "hate.let_drown"),
        ("let them drown, they chose to come", "hate.let_drown"),
        ("Muslims belong in the desert, not here", "hate.group_hostility"),
    ],
)
def test_calls_a_person_should_read_are_queued(policy: Policy, text: str, rule: str) -> None:
    assert rule in hate_rules(policy, text)
    assert not hidden(policy, text)


@pytest.mark.parametrize(
    "text",
    [
        "Turn back the boats, it's the only policy that works",
        "The boats sank off Christmas Island in 2010, a tragedy",
        "Muslims belong here as much as anyone",
        "Our old dog would be better off dead than suffering like this",
        "The kids should be kept in camps over the holidays, there's nothing else to do",
        "Refugees should be left to rebuild their lives in peace",
    ],
)
def test_policy_talk_and_everyday_uses_are_not_read(policy: Policy, text: str) -> None:
    assert not hate_rules(policy, text), policy.check(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "It's okay to be white",
        "The great replacement is happening right here",
        "Diversity is a code word for white genocide",
        "Bring back the White Australia policy",
        "Hitler had some good ideas",
    ],
)
def test_supremacist_codes_are_queued(policy: Policy, text: str) -> None:
    assert {"hate.extremist_slogan", "hate.atrocity_denial"} & hate_rules(policy, text), text
    assert not hidden(policy, text)


@pytest.mark.parametrize(
    "text",
    [
        "The White Australia policy ended in 1973",
        "The so-called great replacement conspiracy theory inspired the Christchurch attack",
        "the kebab shop on Main Street is open late",
    ],
)
def test_history_and_news_about_them_are_not_read(policy: Policy, text: str) -> None:
    assert not hate_rules(policy, text), policy.check(text).findings


def test_the_echo_marker_is_a_trial_recorded_but_never_acted_on(policy: Policy) -> None:
    v = policy.check("(((They))) control the banks")
    assert [f.rule_id for f in v.shadow_findings] == ["hate.echo"]
    assert "hate.echo" not in {f.rule_id for f in v.findings}
