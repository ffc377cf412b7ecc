"""Forms found by a further round of comments the rules had never been tuned on: menace phrases that are also
everyday or political speech, a good quality denied to a whole group, hatred of a group said as "them" a sentence
later, "no [member] is ...", exclusion "out of sight", and staff named without a determiner. Each beside its
lawful look-alikes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules import Policy

from .support import POLICIES, hidden, rule_findings


def rules_of(policy: Policy, text: str, *prefixes: str) -> list[str]:
    """The rule ids of the findings of rules (not the model) whose ids start with one of ``prefixes``."""
    return [f.rule_id for f in rule_findings(policy, text) if f.rule_id.startswith(prefixes)]


# Phrases that menace in one comment and are a vote, a request or advice in another: never hidden by software.
NEVER_HIDDEN = [
    "You will pay for this at the next election.",
    "You will pay for this at the ballot box.",
    "I'll be waiting for your reply.",
    "I'll be waiting for the council to fix the road.",
    "Labor will get what's coming at the ballot box.",
    "Watch your back when you reverse out of that car park, the bollards are low.",
    "Can of petrol costs more than ever.",
    "We're coming for you at the next election.",
    "I'm coming for you minister, at the ballot box.",
]


@pytest.mark.parametrize("text", NEVER_HIDDEN)
def test_everyday_and_political_uses_of_menace_phrases_are_not_hidden(policy: Policy, text: str) -> None:
    assert not hidden(policy, text), policy.check(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "You will pay for this at the next election.",
        "I'll be waiting for your reply.",
        "We're coming for you at the next election.",
    ],
)
def test_a_vote_or_a_request_is_not_read_as_menace_at_all(policy: Policy, text: str) -> None:
    assert not rules_of(policy, text, "threat."), text


# Veiled threats in their plain forms: read, and queued for a person.
VEILED = [
    "You'll pay for this.",
    "One day you'll pay for this, with blood.",
    "We know where your kids go to school.",
    "watch your back pal",
    "Tell the minister I'll be waiting outside.",
    "Labor will get what's coming.",
]


@pytest.mark.parametrize("text", VEILED)
def test_veiled_menace_is_queued(policy: Policy, text: str) -> None:
    found = rules_of(policy, text, "threat.")
    assert found and not hidden(policy, text), (text, policy.check(text).findings)


# ... and where the words leave no everyday reading, hidden as before.
@pytest.mark.parametrize(
    "text",
    [
        "The nurse who turned my mum away will get what's coming. I know what car she drives.",
        "Next time I'm bringing a can of petrol.",
        "You'd better watch your back.",
        "I know where you live",
    ],
)
def test_unmistakable_menace_is_hidden(policy: Policy, text: str) -> None:
    assert hidden(policy, text), policy.check(text).findings


@pytest.mark.parametrize(
    "text",
    ["Staff should be beaten.", "The people at this office should be beaten.", "Caseworkers should be shot."],
)
def test_staff_named_without_the_or_by_their_office_are_targets(policy: Policy, text: str) -> None:
    assert rules_of(policy, text, "threat."), text


HATEFUL = [
    "Chinese people are never trustworthy.",
    "Gay men are never decent people.",
    "Aboriginal people aren't very smart.",
    "Women can't be trusted with money.",
    "No woman is capable of running a department.",
    "No Muslim can be trusted.",
    "No refugee is ever grateful.",
    "I met a lot of Sudanese people last year and honestly I despise them.",
    "Trans people? I can't stand them, not one bit.",
    "Disabled people should just stay at home out of sight.",
]


@pytest.mark.parametrize("text", HATEFUL)
def test_hate_without_a_slur_in_fresh_forms_is_queued(policy: Policy, text: str) -> None:
    found = rules_of(policy, text, "hate.")
    assert found and not hidden(policy, text), (text, policy.check(text).findings)


LAWFUL = [
    "Refugees are not criminals.",
    "Women are not less capable than men.",
    "Aboriginal people aren't lazy.",
    "Refugees are honest people.",
    "No woman is safe walking home at night.",
    "No refugee is turned away.",
    "No Muslim should be turned away.",
    "I met many Muslims at the expo and I admire them.",
    "Many women told me they can't stand the new forms.",
    "I hate how refugees are treated, I really do.",
    "Older Australians should stay at home if they feel unwell.",
]


@pytest.mark.parametrize("text", LAWFUL)
def test_lawful_look_alikes_are_left_alone(policy: Policy, text: str) -> None:
    assert not rules_of(policy, text, "hate."), text


def _virtues() -> list[str]:
    lines = (POLICIES / "lexicons" / "hate" / "virtues.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


GROUPS = ["Muslims", "Aboriginal people", "refugees", "women", "trans people", "Sudanese people", "Jews"]


@settings(max_examples=120, deadline=None)
@given(
    group=st.sampled_from(GROUPS),
    virtue=st.sampled_from(_virtues()),
    denial=st.sampled_from(["are never", "aren't", "are not", "can never be", "will never be"]),
)
def test_a_virtue_denied_to_a_group_is_read_and_granted_is_not(
    policy: Policy, group: str, virtue: str, denial: str
) -> None:
    denied = f"{group} {denial} {virtue}."
    granted = f"{group} are {virtue}."
    assert rules_of(policy, denied, "hate."), denied
    assert not hidden(policy, denied), denied
    assert not rules_of(policy, granted, "hate."), granted


EVASIVE = [
    "Gas the Jewz",
    "Jews are parasitez",
    "I despize Muslims",
    "Refugees should be depotred.",
    "Refugees should be deproted.",
    "Muslims dont belnog here.",
]


@pytest.mark.parametrize("text", EVASIVE)
def test_z_for_s_and_one_edit_in_exclusion_words_are_read(policy: Policy, text: str) -> None:
    assert rules_of(policy, text, "hate.", "threat."), text


@settings(max_examples=60, deadline=None)
@given(group=st.sampled_from(["muslims", "refugees", "migrants", "lesbians", "asians", "sudanese"]), data=st.data())
def test_a_group_word_with_z_for_s_is_read_as_the_word(policy: Policy, group: str, data: st.DataObject) -> None:
    at = data.draw(st.sampled_from([i for i, c in enumerate(group) if c == "s"]))
    evasive = group[:at] + "z" + group[at + 1 :]
    plain, spelled = f"I hate {group}", f"I hate {evasive}"
    rules = {f.rule_id for f in rule_findings(policy, plain)}
    # at least what the plain word gets ("muzlims" is also a slur of its own)
    assert rules and rules <= {f.rule_id for f in rule_findings(policy, spelled)}, (plain, spelled)


@pytest.mark.parametrize(
    "text", ["Kill all the Filipinas", "Hazaras should be deported", "I can't stand Palestinians", "Tamils are vermin"]
)
def test_more_national_origins_are_in_the_register(policy: Policy, text: str) -> None:
    assert rules_of(policy, text, "hate.", "threat."), text


@pytest.mark.parametrize(
    "text", ["Filipinas win the netball final", "Palestinian families arrive in Melbourne", "The Tamil school fete"]
)
def test_the_new_groups_named_neutrally_are_left_alone(policy: Policy, text: str) -> None:
    assert not policy.check(text).findings, text


@pytest.mark.parametrize("text", ["I want to die some days but I'm getting help.", "some days i just wanna die"])
def test_a_wish_to_die_reaches_a_person_and_is_never_hidden(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert "wellbeing.at_risk" in {f.rule_id for f in v.findings} and not hidden(policy, text), v.findings


THREATS_QUEUED = [
    "If someone stabbed the minister I wouldn't cry.",
    "Wouldn't shed a tear if the minister got shot.",
    "Nobody would miss the minister if he was hanged.",
    "The only solution is a bullet.",
    "The only answer for these people is the gallows.",
    "Time to bring out the guillotine for the minister.",
    "I'll be at the office tomorrow with my rifle.",
    "I'm going to make you suffer.",
    "I'll break every bone in your body.",
    "The streets will run red with your blood.",
    "u r dead mate",
]


@pytest.mark.parametrize("text", THREATS_QUEUED)
def test_threats_in_other_words_reach_a_person(policy: Policy, text: str) -> None:
    assert rules_of(policy, text, "threat."), text


def test_paying_to_see_harm_is_a_wish_of_harm(policy: Policy) -> None:
    assert hidden(policy, "I'd pay good money to see the minister get bashed.")


@pytest.mark.parametrize(
    "text",
    [
        "I wouldn't cry if the program was cut",
        "I'd cry if someone I love was shot",
        "The only solution is a bullet train",
        "The final solution was the Nazis' name for the Holocaust, never forget",
        "I'll be at the office tomorrow with my lunch",
        "The new tax will make you suffer at the checkout",
        "you're dead right about the roads",
    ],
)
def test_their_look_alikes_are_not_read_as_threats(policy: Policy, text: str) -> None:
    assert not rules_of(policy, text, "threat."), text


@pytest.mark.parametrize("text", ["the world would be better without you", "nobody would care if you died"])
def test_telling_someone_their_death_would_not_matter_is_queued(policy: Policy, text: str) -> None:
    found = {f.rule_id for f in rule_findings(policy, text)}
    assert "harass.death_wish" in found and not hidden(policy, text), found


@pytest.mark.parametrize(
    "text", ["the world would be better without this policy", "nobody would care if you changed it"]
)
def test_their_look_alikes_about_things_are_left_alone(policy: Policy, text: str) -> None:
    assert "harass.death_wish" not in {f.rule_id for f in rule_findings(policy, text)}, text


def test_do_us_a_favour_and_die_is_hidden_like_kill_yourself(policy: Policy) -> None:
    assert hidden(policy, "do us all a favour and die")
    assert not rule_findings(policy, "Do us a favour and drop the fees.")


def test_killing_yourself_with_work_is_an_idiom(policy: Policy) -> None:
    assert not hidden(policy, "You'll kill yourself working those hours.")
    assert hidden(policy, "just kill yourself")


@pytest.mark.parametrize(
    "text",
    [
        "Coon cheese was renamed Cheer a few years ago.",
        "The Honky Tonk bar has live music.",
    ],
)
def test_names_of_things_that_hold_a_listed_word_are_allowed(policy: Policy, text: str) -> None:
    assert not rules_of(policy, text, "hate."), text


@pytest.mark.parametrize("text", ["you dirty coon", "spic go home", "you honky"])
def test_the_same_words_said_of_people_are_still_read(policy: Policy, text: str) -> None:
    assert rules_of(policy, text, "hate."), text


@pytest.mark.parametrize(
    "text",
    [
        "go back to where you came from",
        "Send them back where they came from.",
        "you should go back to your own country",
    ],
)
def test_go_back_where_you_came_from_is_queued_not_hidden(policy: Policy, text: str) -> None:
    # Clause 2 covers it; the policy hides at once only slurs aimed at a person and dehumanising statements.
    assert "hate.go_back" in {f.rule_id for f in rule_findings(policy, text)} and not hidden(policy, text), text


def test_go_back_with_a_slur_at_the_reader_is_still_hidden(policy: Policy) -> None:
    assert hidden(policy, "go back to where you came from you dirty abo")


@pytest.mark.parametrize(
    "text",
    [
        "Official DCW support here: message us your MyGov login to fix your payment.",
        "dm me your bank details for the grant",
    ],
)
def test_a_request_for_a_login_or_bank_details_reaches_a_person_quickly(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert "spam.credential_request" in {f.rule_id for f in v.findings} and v.priority >= 85, v.findings


@pytest.mark.parametrize("text", ["never share your MyGov login with anyone", "update your bank details in the app"])
def test_advice_about_logins_is_not_a_request(policy: Policy, text: str) -> None:
    assert "spam.credential_request" not in {f.rule_id for f in policy.check(text).findings}, text


@pytest.mark.parametrize(
    "text",
    [
        "It's disgusting how refugees are spoken about online.",
        "This policy is disgusting.",
        "Disgusting decision by the department.",
    ],
)
def test_disgusting_said_of_a_thing_is_an_opinion_not_an_insult(policy: Policy, text: str) -> None:
    assert "harass.insult_words" not in {f.rule_id for f in rule_findings(policy, text)}, text


@pytest.mark.parametrize(
    "text", ["You are disgusting.", "you people are disgusting", "what a disgusting excuse for a minister"]
)
def test_disgusting_said_of_a_person_is_still_an_insult(policy: Policy, text: str) -> None:
    assert "harass.insult_words" in {f.rule_id for f in rule_findings(policy, text)}, text
