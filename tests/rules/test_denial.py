"""A denied insult is no insult: "Muslims are not stupid", "you're not an idiot for asking" leave no insult
finding (the guard's denial cue), while the same word said, or denied only to be turned on someone, still does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.rules import Policy

from .support import guard_problems

INSULT_RULES = ("harass.insult_words", "harass.insult")
SUBJECTS = ["Muslims are", "You are", "you're", "Refugees aren't", "They're", "he's", "The minister is", "she isn't"]
WORDS = ["stupid", "an idiot", "a moron", "idiots", "dumb", "a liar", "a coward", "cowards", "a fool", "a hypocrite"]
DENIALS = ["not", "never", "no longer"]


def insults(policy: Policy, text: str) -> list[str]:
    return [f.match for f in policy.check(text).findings if f.rule_id in INSULT_RULES]


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(subject=st.sampled_from(SUBJECTS), word=st.sampled_from(WORDS), denial=st.sampled_from(DENIALS))
def test_a_word_denied_is_no_insult_and_the_same_word_said_is(
    policy: Policy, subject: str, word: str, denial: str
) -> None:
    said = f"{subject.replace(' aren' + chr(39) + 't', ' are').replace(' isn' + chr(39) + 't', ' is')} {word}"
    assert insults(policy, said), said
    denied = f"{subject} {word}" if "n't" in subject else f"{subject} {denial} {word}"
    assert not insults(policy, denied), denied


@pytest.mark.parametrize(
    "text",
    [
        "you're not just stupid, you're a liar",  # "not just": the word is said
        "you are not as stupid as you look",  # a comparison, not a denial
        "At least he's not a coward like you",  # denied of him to be said of the reader
        "Muslims are not stupid, you are stupid",  # the second one is said
        "Not stupid?? you are an idiot",  # the denial is of another word
    ],
)
def test_a_word_said_beside_a_denial_is_still_an_insult(policy: Policy, text: str) -> None:
    assert insults(policy, text), text


def test_a_denial_drops_the_insult_but_not_the_other_findings(policy: Policy) -> None:
    v = policy.check("Immigrants are not idiots, they are vermin")
    assert not [f for f in v.findings if f.rule_id in INSULT_RULES]
    assert any(f.rule_id.startswith("hate.") for f in v.findings)


def test_a_denial_cue_whose_example_loses_its_finding_is_reported(policy_copy: Path) -> None:
    problems = guard_problems(policy_copy, '"At least he\'s not a coward like you"', '"He is not a coward"')
    assert any("should still be a finding" in m for m in problems)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Immigrants are not idiots, they are vermin", True),  # called vermin as "they", later in the sentence
        ("Women are incompetent", True),
        ("Immigrants always cause trouble", True),
        ("Why do immigrants always cause trouble?", True),
        ("Muslims were here first, they are not vermin", False),
        ("Immigrants work hard, they are the backbone of this country", False),
        ("Refugees in our town run the best bakery", False),  # "run the" alone is not "run the country"
        ("Refugees deserve help. The people who attack them? They are animals", False),  # another sentence
    ],
)
def test_what_is_said_of_a_group_after_a_denial_or_as_they(policy: Policy, text: str, read: bool) -> None:
    found = [f for f in policy.check(text).findings if f.rule_id.startswith("hate.")]
    assert bool(found) is read, (text, found)


def test_called_vermin_as_they_later_is_queued_not_hidden(policy: Policy) -> None:
    v = policy.check("Immigrants are not idiots, they are vermin")
    assert v.action.name != "AUTO_HIDE" and not v.hide_now


@pytest.mark.parametrize("text", ["not !dio+ ", "Muslims are not stupid", "you're not an idiot for asking"])
def test_the_reference_pipeline_drops_a_denied_insult_too(policy: Policy, text: str) -> None:
    from moderation.domain import CommentInput
    from moderation.rules import reference

    item = CommentInput(text=text)
    assert reference.evaluate(policy, item) == policy.evaluate(item)
    assert not insults(policy, text)
