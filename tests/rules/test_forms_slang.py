"""Spellings, slang and menace found by another round of comments the rules had not seen: small capitals from "fancy
text" generators, a hooked f, "6" for "g", slang for killing ("murda", "murk", "put one in your skull"), and menace
without a named act ("a rope for every politician", "you'll regret this, minister")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules import Policy

from .support import hidden

SMALL_CAPS = str.maketrans("abcdefghijklmnoprstuvwyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ")
PLAIN = [
    "you faggot",
    "you are a moron",
    "muslims are vermin",
    "i will kill you",
    "go kill yourself",
    "thanks for the update on the road works",
    "the library opens at nine",
]


def rule_ids(policy: Policy, text: str) -> set[str]:
    return {f.rule_id for f in policy.check(text).findings if not f.rule_id.startswith("learned.")}


@settings(max_examples=60, deadline=None)
@given(text=st.sampled_from(PLAIN), upper=st.booleans())
def test_small_capitals_read_as_the_plain_letters(policy: Policy, text: str, upper: bool) -> None:
    fancy = text.translate(SMALL_CAPS)
    assert fancy != text
    assert rule_ids(policy, fancy) == rule_ids(policy, text), fancy


@pytest.mark.parametrize("text", ["you ƒaggot", "you fa66ot", "you fa6got"])
def test_lookalike_letters_and_digits_are_read(policy: Policy, text: str) -> None:
    assert hidden(policy, text), policy.check(text).findings


@pytest.mark.parametrize("text", ["covid19 vaccines at 6pm", "call 1800 646 464", "room 6b is open", "b6 bus stop"])
def test_six_in_everyday_text_is_not_a_letter(policy: Policy, text: str) -> None:
    assert not rule_ids(policy, text), policy.check(text).findings


@pytest.mark.parametrize(
    ("text", "hide"),
    [
        ("Im gonna murda u", True),
        ("I'll murk the minister", True),
        ("i'll put one in your skull", True),
        ("I'm gonna smoke you", False),  # also "beat you in a race": queued for a person
    ],
)
def test_slang_for_killing_is_a_threat(policy: Policy, text: str, hide: bool) -> None:
    assert any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), text
    assert hidden(policy, text) is hide


@pytest.mark.parametrize("text", ["I'll smoke you at the fun run on Sunday", "murky water in the creek again"])
def test_the_same_words_in_sport_and_weather_are_not_threats(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), text


@pytest.mark.parametrize(
    "text",
    [
        "A rope for every politician",
        "Gallows for traitors",
        "Lamp posts and rope, that's what they need",
        "Line them up against the wall",
        "You'll regret this, minister",
        "you'll regret the day you crossed me",
    ],
)
def test_menace_without_a_named_act_reaches_a_person(policy: Policy, text: str) -> None:
    assert any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), text
    assert not hidden(policy, text)


@pytest.mark.parametrize(
    "text",
    [
        "You'll regret this purchase, the quality is poor",
        "you will regret it if you miss the deadline",
        "you're dead right about the parking",
        "you're dead to me",
        "A rope for every climber is required on the course",
        "the lamp posts on Smith Street need new globes",
    ],
)
def test_advice_and_everyday_speech_are_not_menace(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), text
