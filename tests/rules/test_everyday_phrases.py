"""Everyday phrases that hold a listed word and call no one anything, and places named like a street that are
no one's address: not findings. The same words aimed at a person, and real addresses, still are; and a scam posing
as a grateful victim is read beside the victims and helpers it imitates."""

from __future__ import annotations

import pytest

from moderation.rules import Policy


def rules(policy: Policy, text: str) -> set[str]:
    return {f.rule_id for f in policy.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "This is a knee-jerk reaction from the government",
        "another knee jerk policy announced on a Friday",
        "Classic scope creep on this project",
        "mission creep in the department again",
        "Happy April Fools day everyone",
        "fool me once, shame on you",
        "the early bird gets the worm",
        "GM....don't be the bird that didn't get the worm today",
        "I was ignorant of the new rule, sorry",
        "Get a life jacket before boarding the ferry",
        "coward punch laws should stay",
    ],
)
def test_an_everyday_phrase_is_not_name_calling(policy: Policy, text: str) -> None:
    assert "harass.insult_words" not in rules(policy, text), text


@pytest.mark.parametrize(
    "text",
    ["you're a knee-jerk idiot", "april fools, you're still a moron", "You are so ignorant of the facts", "you worm"],
)
def test_name_calling_beside_such_a_phrase_is_still_read(policy: Policy, text: str) -> None:
    assert "harass.insult_words" in rules(policy, text), text


@pytest.mark.parametrize(
    "text",
    ["I'm going to coward punch you at the pub", "I will coward punch the minister"],
)
def test_a_threat_that_names_an_offence_is_still_hidden(policy: Policy, text: str) -> None:
    assert "threat.grammar" in rules(policy, text), text


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ('"Care to explain?" - 2064 Supreme Court Confirmation Hearing', False),
        ("the 4 tennis courts at the reserve are closed", False),
        ("hearing at the 12 County Court list", False),
        ("she lives at 12 Smith Court Fitzroy", True),
        ("18 Federal Street, Parkes", True),
    ],
)
def test_a_court_is_no_ones_address(policy: Policy, text: str, address: bool) -> None:
    assert ("privacy.address" in rules(policy, text)) is address, text


@pytest.mark.parametrize(
    ("text", "scam"),
    [
        ("I recovered my lost bitcoin with help from @hackerjames, contact him", True),
        ("He helped me recover my stolen crypto, message him on Telegram", True),
        ("I lost my bitcoin in the crash, any advice?", False),
        ("The police helped me recover my stolen car", False),
        ("Contact them via the website, it's the official form", False),
    ],
)
def test_a_recovery_scam_posing_as_a_grateful_victim_is_read(policy: Policy, text: str, scam: bool) -> None:
    assert ("spam.scam_phrase" in rules(policy, text)) is scam, text
