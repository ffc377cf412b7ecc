"""A commenter who may be at risk of harming themselves is never hidden by software: the comment is queued at the
top so a person answers first, and the explanation says it is not a breach."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.domain import Action
from moderation.rules import Policy

AT_RISK = [
    "I want to kill myself",
    "i just want to end it all",
    "I'm thinking about ending my life",
    "im going to hurt myself tonight",
    "I don't want to be here anymore",
    "I dont want to wake up tomorrow",
    "I'm suicidal and nobody at Centrelink answers",
    "everyone would be better off without me",
    "I can't go on like this",
]

NOT_AT_RISK = [
    "I want to end this program",
    "I could kill myself for forgetting the form",
    "I'm going to end it there, thanks all",
    "this policy should be killed off",
    "I want to be here when the minister visits",
    "the kids would be better off without the new fees",
]


def _at_risk(policy: Policy, text: str) -> bool:
    return any(f.rule_id == "wellbeing.at_risk" for f in policy.check(text).findings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    said=st.sampled_from(AT_RISK),
    before=st.sampled_from(["", "Honestly. ", "After three months without payment ", "@dcw_vic "]),
    after=st.sampled_from(["", ".", " and no one cares", " #help"]),
    shout=st.booleans(),
)
def test_at_risk_words_are_queued_at_the_top_never_hidden(
    policy: Policy, said: str, before: str, after: str, shout: bool
) -> None:
    text = before + said + after
    if shout:
        text = text.upper()
    v = policy.check(text)
    assert _at_risk(policy, text), text
    assert v.action is Action.QUEUE and not v.hide_now, text
    assert v.priority >= 95
    finding = next(f for f in v.findings if f.rule_id == "wellbeing.at_risk")
    assert "not a breach" in finding.explanation and "13 11 14" in finding.explanation


@pytest.mark.parametrize("text", NOT_AT_RISK)
def test_figures_of_speech_and_plans_are_not_read_as_risk(policy: Policy, text: str) -> None:
    assert not _at_risk(policy, text), policy.check(text).findings


def test_telling_someone_else_to_harm_themselves_is_still_hidden(policy: Policy) -> None:
    v = policy.check("just kill yourself")
    assert v.action is Action.AUTO_HIDE
    assert not _at_risk(policy, "just kill yourself")


@pytest.mark.parametrize(
    "text", ["I want to kill myself, fuck this department", "fuck you all, I don't want to be here anymore"]
)
def test_swearing_beside_words_of_risk_is_queued_not_hidden(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is Action.QUEUE and not v.hide_now, v.findings
    assert v.priority >= 95
    assert any("wellbeing.at_risk also found" in f.explanation for f in v.findings)


def test_a_protected_identifier_beside_words_of_risk_is_still_hidden(policy: Policy) -> None:
    v = policy.check("I want to kill myself, my medicare number is 2123 45670 1")
    assert v.action is Action.AUTO_HIDE or v.hide_now, v.findings
