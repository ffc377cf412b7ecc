"""Place names and ordinary words that contain rude-looking parts are never hidden by automation."""

from __future__ import annotations

import pytest

from moderation.domain import Action
from moderation.rules import Policy

INNOCENT = [
    "The Cockburn council meeting is on Tuesday",
    "We drove through Mount Buggery on the way home",
    "Mt Buggery had spot fires too",
    "Tittybong is a lovely little town",
    "Holidaying at Dicky Beach over Christmas",
    "My assessment was delayed again",
    "First-class service at the Bellmore office",
    "a cocktail frank and a stale sandwich",
    "I trained as a nurse in Scunthorpe",
    "Family in Wonthaggi is collecting donations",
    "Please hold a session in Mooroolbark",
    "Is there a clinic closer to Nar Nar Goon?",
    "Coming from Koo Wee Rup for the market",
    "Grandad grew up in Essex and Middlesex",
    "The cockatoos wrecked the veggie patch at Cockatoo",
    "Penistone and Clitheroe are in England",
    "Arsenal won on the weekend",
    "shiitake mushrooms at the market",
    "Passing the class assessment was hard; the bass player assisted",
    "Kooyong and Kunyung are suburbs",
    "Dick Smith opened the store",
    "Helen Carraway should resign over this",
]


@pytest.mark.parametrize("text", INNOCENT)
def test_never_auto_hidden(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is not Action.AUTO_HIDE
    assert not v.hide_now
    assert all(f.action is not Action.AUTO_HIDE for f in v.findings)


@pytest.mark.parametrize("text", [t for t in INNOCENT if "Dick Smith" not in t])
def test_no_offensive_language_finding(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert not [f for f in v.findings if f.clause in ("1", "2")], [f.rule_id for f in v.findings]


def test_mount_buggery_at_most_queued(policy: Policy) -> None:
    v = policy.check("Mount Buggery")
    assert v.action in (Action.QUEUE, Action.APPROVE)


def test_the_same_words_are_still_caught_elsewhere(policy: Policy) -> None:
    assert policy.check("you absolute cunt").action is Action.AUTO_HIDE
    assert any(f.rule_id == "offensive.mild" for f in policy.check("what a load of buggery").findings)
