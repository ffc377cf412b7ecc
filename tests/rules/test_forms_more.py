"""More forms of threats and of hate without slurs, and the lawful look-alikes beside them: reported abuse ("calls
me", "kept screaming"), a writer likening themselves to a word, a threat asked as a question, a report that ends
"is what he screamed". Each case says whether the comment is hidden at once, queued for a person (with the
guard's reason where the guard queues it) or not flagged at all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules import Policy

from .support import hidden, queued_with_reason, rule_findings

QUOTED = "quoted or reported"
SELF = "self-reference or reclaimed use"


# Lawful forms that hold a listed word or a threat's words: queued with the guard's reason, never hidden.
GUARDED = [
    ("My neighbour calls me a towelhead every morning", QUOTED),
    ("this bloke in the carpark kept screaming faggot over and over", QUOTED),
    ("He was screaming faggot at me in the carpark", QUOTED),
    ("I look like such a faggot in this photo lol", SELF),
    ("I wanna be a poofter when I grow up, they have the best parties", SELF),
    ("I'm such a faggot for musicals", SELF),
    ("Someone should blow up the mosque is what he screamed at the imam", QUOTED),
    ("Muslims are a disease according to the troll who posted here", QUOTED),
    ("He kept yelling towelhead across the carpark until security came", QUOTED),
    ("I look like a total boong after a week at the beach lmao", SELF),
]


@pytest.mark.parametrize(("text", "reason"), GUARDED)
def test_lawful_forms_are_queued_with_the_guards_reason(policy: Policy, text: str, reason: str) -> None:
    assert queued_with_reason(policy, text, reason), text


# The same words aimed at the reader are still hidden.
STILL_HIDDEN = [
    "you look like a poofter",
    "I think you look like a faggot",
    "stop screaming you faggot",
    "you faggot",
]


@pytest.mark.parametrize("text", STILL_HIDDEN)
def test_the_same_words_aimed_at_the_reader_are_hidden(policy: Policy, text: str) -> None:
    assert hidden(policy, text)


# Threats: hidden when clear; queued when the form is for a person to judge.
THREATS_HIDDEN = [
    "I'm coming down to the office to strangle whoever is in charge",
    "Everyone go down to the office and beat the staff senseless",
    "go down to the office and stab the staff",
    "hope someone stabs that caseworker",
    "People who run this department should be shot",
    "whoever approved this should be hanged",
    "the minister should b hanged",
    "Muslims need to be wiped off the earth",
    "I wil kill you",
    "landlords shuld be shot",
    "That commenter deserves a good bashing",
    "Someone should blow up the mosque",
    "someone should shoot the mayor",
    "hope every one of the staff there gets bashed",
]
THREATS_QUEUED = [
    "The next caseworker who hangs up on me is getting punched",
    "Round up the caseworkers and hang them",
    "should we hang the minister?",
    "lol just shoot the mayor",
    "gays deserve to be stoned",
    "I know which car you drive and when you leave work",
    "You're going to regret this when I find where you live",
]


@pytest.mark.parametrize("text", THREATS_HIDDEN)
def test_clear_threats_are_hidden(policy: Policy, text: str) -> None:
    assert "threat.grammar" in {f.rule_id for f in policy.check(text).findings}, text
    assert hidden(policy, text)


@pytest.mark.parametrize("text", THREATS_QUEUED)
def test_unclear_threats_are_queued(policy: Policy, text: str) -> None:
    rules = {f.rule_id for f in rule_findings(policy, text)}
    assert rules & {"threat.grammar_unclear", "threat.grammar"}, text
    assert not hidden(policy, text)


# Hate about a group without a slur: queued (only dehumanising statements are hidden).
HATE_QUEUED = [
    "Refugees? Send them all back",
    "Muslims, deport them",
    "Africans go home",
    "migrants get out!",
    "Can't stand Asians",
    "so typical of women",
    "That's so typical of Muslims.",
    "Women shouldn't have the vote",
    "all those Somalis should be sent packing",
    "Muslims shouldn't be allowed to build mosques here",
    "Never trust a Jew",
    "never trust an Arab",
    "you can't trust a refugee",
    "You are a disgrace to your people, you filthy Muslim",
    "Take a bath, you smelly African.",
]


@pytest.mark.parametrize("text", HATE_QUEUED)
def test_hostility_to_a_group_is_queued(policy: Policy, text: str) -> None:
    assert "hate.group_hostility" in {f.rule_id for f in rule_findings(policy, text)}, text
    assert not hidden(policy, text)


@pytest.mark.parametrize(
    ("text", "hidden_at_once"),
    [
        ("Indians remind me of rats", True),
        ("Refugees act like animals", True),
        ("Women remind me of my mum", False),
        ("my kids act like animals at dinner", False),
    ],
)
def test_likening_a_group_to_vermin_is_dehumanising(policy: Policy, text: str, hidden_at_once: bool) -> None:
    assert hidden(policy, text) is hidden_at_once, text
    assert ("hate.group_dehumanising" in {f.rule_id for f in policy.check(text).findings}) is hidden_at_once


def test_a_religion_is_not_a_group_of_people_to_software(policy: Policy) -> None:
    """Criticism of a religion, however harsh, is a person's call: "Islam" is not in the group register."""
    assert not hidden(policy, "Islam is a disease")
    assert not hidden(policy, "Islam is a disease and every Muslim carries it")


# What the new forms must not read: errands, idioms, plans, neutral mentions, criticism.
NOT_FLAGGED = [
    "Go to the service centre and ask the staff for help",
    "Everyone go down to the office and thank the staff",
    "Go down to the pub and smash a parmy with the lads",
    "I'm coming down to the office to fight this decision",
    "I'm heading to the gym to kill it",
    "the minister is getting roasted on talkback",
    "Hope someone shoots me an email about this",
    "should I kill some time at the library before my appointment?",
    "Refugees? send them our love",
    "Muslims, get them out to vote!",
    "Older women go home from hospital too early",
    "Refugee kids go home after school to crowded flats",
    "I can't stand the way refugees are treated",
    "so typical of the department",
    "That's typical of Muslim hospitality, they fed the whole street",
    "Islam is a religion of peace",
    "the mayor should be voted out",
    "just fire the mayor already",
    "That minister deserves a good kicking at the ballot box",
    "Women shouldn't have to vote twice because of your broken website",
    "we got absolutely stoned at the festival",
    "The minister is an incompetent disgrace and should resign",
    "Jewish and Muslim leaders met at the town hall",
    "Muslims should be allowed to build mosques",
    "the staff there are lovely",
    "I hope the staff there get a pay rise",
    "My neighbour is a Jew and she's lovely",
    "never trust a politician",
    "The refugee family moved in next door",
    "Christian Porter resigned",
    "thank you lazy Sunday crowd",
    "you should b proud of the volunteers",
]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_look_alikes_are_not_flagged(policy: Policy, text: str) -> None:
    assert rule_findings(policy, text) == [], text


_ERRANDS = ["ask", "thank", "help", "support", "visit", "call", "email", "meet", "pay"]
_PEOPLE = ["the staff", "the caseworkers", "the minister", "the mayor", "whoever is in charge"]
_JOURNEYS = ["go down to the office and", "everyone head over to Bellmore and", "I'm coming down to the office to"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_JOURNEYS), st.sampled_from(_ERRANDS), st.sampled_from(_PEOPLE))
def test_a_journey_before_an_errand_is_never_a_threat(policy: Policy, journey: str, verb: str, who: str) -> None:
    text = f"{journey} {verb} {who}"
    assert not {f.rule_id for f in policy.check(text).findings} & {"threat.grammar", "threat.grammar_unclear"}, text


# People named by what they do or believe are people: a call for violence against them is a threat.
@pytest.mark.parametrize(
    "text",
    [
        "All landlords are parasites and should be shot",
        "I will kill every cyclist on Beach Road",
        "Every teacher should be shot",
        "smokers deserve to die",
    ],
)
def test_violence_against_people_by_role_is_hidden(policy: Policy, text: str) -> None:
    assert any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text
    assert hidden(policy, text)


@pytest.mark.parametrize(
    "text",
    [
        "Feral cats should be shot on sight",
        "Landlords should be taxed more",
        "refugees are welcome and should be protected",
        "I will stop every cyclist on Beach Road for a chat",
        "every student should be killing it this term",
        "the police shot a man in Melbourne yesterday",
    ],
)
def test_roles_and_claims_without_violence_are_not_threats(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), text
