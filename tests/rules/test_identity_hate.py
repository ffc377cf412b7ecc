"""Hate about protected groups without a slur (clause 2): the register of groups crossed with dehumanising,
exclusion, hatred, generalised and rights-denying claims, built from templates; neutral and positive mentions of
the same groups, quoted and negated claims and lawful policy criticism built the same way."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.domain import Action, ConfigError
from moderation.rules import Policy, load_policy

# Groups as Australian comments write them, with the protected attribute the explanation must name.
GROUPS = {
    "Muslims": "religion",
    "Muslim people": "religion",
    "Jews": "religion",
    "Jewish families": "religion",
    "Aboriginal people": "Aboriginal",
    "First Nations people": "Aboriginal",
    "Torres Strait Islanders": "Aboriginal",
    "refugees": "migration",
    "migrants": "migration",
    "asylum seekers": "migration",
    "Chinese people": "race",
    "Indians": "race",
    "the Sudanese community": "race",
    "African kids": "race",
    "trans people": "gender",
    "women": "gender",
    "gay men": "sexuality",
    "LGBTIQ+ people": "sexuality",
    "people with disability": "disability",
    "autistic people": "disability",
}
HATEFUL = {
    "dehumanising": [
        "{g} are vermin",
        "{g} are nothing but animals",
        "{g} are a plague on this country",
        "{g} breed like rats",
        "{g} are not human",
        "{g} don't deserve to live",
        "{g} are foreign filth",
        "{g} belong in a zoo",
        "{g} are worthless parasites",
    ],
    "expulsion": [
        "{g} should be deported",
        "{g} don't belong here",
        "{g} should go back where they came from",
        "{g} should all be locked up",
        "deport all the {g}",
        "send {g} back where they came from",
        "get {g} out of Bellmore",
        "{g} are not welcome in this country",
    ],
    "hatred": [
        "I hate {g}",
        "I can't stand {g}",
        "honestly I'm sick of {g}",
        "{g} make me sick",
        "{g} disgust me",
        "{g} make me want to throw up",
        "I h8 {g}",
    ],
    "attribute": [
        "{g} are all criminals",
        "{g} are lazy bludgers",
        "{g} steal our jobs",
        "{g} can't be trusted",
        "{g} are a joke",
        "{g} ruin everything they touch",
        "{g} are a drain on society",
    ],
    "rights": [
        "{g} shouldn't be allowed to vote",
        "{g} don't deserve the same rights as us",
        "{g} should not get Centrelink",
        "{g} have no right to be here",
        "{g} should be banned from public office",
        "{g} have no right to exist",
        "{g} have no right to be alive",
    ],
}
NEUTRAL = [
    "{g} are welcome here",
    "I love working with {g}",
    "{g} deserve better support from the department",
    "the new program for {g} starts in March",
    "{g} should be allowed to vote",
    "{g} are not criminals",
    "{g} belong here as much as anyone",
    "my neighbours are {g} and they are lovely",
    "what support is there for {g} in Bellmore?",
    "{g} have been let down by this government",
    "the minister should meet with {g} before deciding",
    "I hate the way {g} are treated by Centrelink",
    "{g} make this town better",
    "some {g} are struggling with the new forms",
]
QUOTED = [
    "my neighbour keeps saying {g} are vermin, how do I report him?",
    'the man on the train yelled "{g} are animals" and nobody did anything',
    "nobody should say {g} are vermin",
    "it is disgusting that people still claim {g} are a plague",
]
LAWFUL_POLICY = [
    "the minister's immigration policy is a disgrace",
    "refugee intake should be cut until housing catches up",
    "the NDIS changes are a mess and people with disability deserve better",
    "the department's gender policy is wrong and I will vote against it",
    "migration levels are too high for our infrastructure",
    "this multicultural grants program is a waste of money",
]


def _cases(templates: list[str]) -> list[tuple[str, str]]:
    return [(t.format(g=g), attr) for t, (g, attr) in itertools.product(templates, GROUPS.items())]


def _hate_findings(policy: Policy, text: str) -> list:
    return [f for f in policy.check(text).findings if f.rule_id.startswith("hate.group_")]


@pytest.mark.parametrize("kind", sorted(HATEFUL))
def test_hate_without_slurs_is_flagged_at_least_eight_in_ten(policy: Policy, kind: str) -> None:
    cases = _cases(HATEFUL[kind])
    missed = [t for t, _ in cases if not _hate_findings(policy, t)]
    assert 1 - len(missed) / len(cases) >= 0.8, missed[:20]


def test_neutral_and_positive_mentions_are_flagged_at_most_one_in_a_hundred(policy: Policy) -> None:
    cases = _cases(NEUTRAL)
    assert len(cases) >= 250
    flagged = [t for t, _ in cases if any(f.clause == "2" for f in policy.check(t).findings)]
    assert len(flagged) / len(cases) <= 0.01, flagged


@pytest.mark.parametrize("text", LAWFUL_POLICY)
def test_lawful_policy_criticism_is_not_hate(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert not _hate_findings(policy, text)
    assert v.action is not Action.AUTO_HIDE


@settings(max_examples=200, deadline=None)
@given(case=st.sampled_from(_cases(HATEFUL["dehumanising"])))
def test_dehumanising_a_named_group_is_hidden_and_names_it(policy: Policy, case: tuple[str, str]) -> None:
    text, attr = case
    v = policy.check(text)
    assert v.action is Action.AUTO_HIDE, text
    hide = [f for f in v.findings if f.rule_id == "hate.group_dehumanising"]
    assert hide and attr.lower() in hide[0].explanation.lower(), (text, [f.explanation for f in v.findings])
    assert text[hide[0].start : hide[0].end] == hide[0].match


@settings(max_examples=200, deadline=None)
@given(case=st.sampled_from(_cases(QUOTED)))
def test_quoted_reported_and_negated_claims_are_not_hidden_by_these_rules(
    policy: Policy, case: tuple[str, str]
) -> None:
    text, _ = case
    assert not [f for f in policy.check(text).findings if f.rule_id == "hate.group_dehumanising"], text


@settings(max_examples=200, deadline=None)
@given(
    case=st.sampled_from(_cases(HATEFUL["expulsion"] + HATEFUL["hatred"] + HATEFUL["attribute"] + HATEFUL["rights"]))
)
def test_other_hostility_is_queued_for_a_person_not_hidden(policy: Policy, case: tuple[str, str]) -> None:
    text, _ = case
    assert not [f for f in policy.check(text).findings if f.rule_id == "hate.group_dehumanising"], text


@settings(max_examples=100, deadline=None)
@given(
    group=st.sampled_from(["muslims", "refugees", "aboriginal people", "jews"]),
    noun=st.sampled_from(["vermin", "animals", "parasites", "cockroaches"]),
    quantifier=st.sampled_from(["some", "a few", "not all", "some of the"]),
)
def test_claims_about_some_of_a_group_are_not_about_the_group(
    policy: Policy, group: str, noun: str, quantifier: str
) -> None:
    assert not _hate_findings(policy, f"{quantifier} {group} are {noun}")


def test_a_group_word_used_for_a_thing_is_not_the_group(policy: Policy) -> None:
    for text in ["I hate Chinese food", "I can't stand Indian summers", "deport the Muslim holiday debate to page 3"]:
        assert not _hate_findings(policy, text), text


def test_the_register_is_a_word_list_staff_can_extend(tmp_path: Path) -> None:
    from .support import POLICIES, REPO

    dest = tmp_path / "policies"
    shutil.copytree(POLICIES, dest)
    shutil.copy(REPO / "moderation_policy.md", tmp_path / "moderation_policy.md")
    text = "Wiradjuri people are vermin"
    assert not [f for f in load_policy(dest).check(text).findings if f.rule_id == "hate.group_dehumanising"]
    with (dest / "lexicons" / "groups" / "aboriginal.txt").open("a", encoding="utf-8") as fh:
        fh.write("wiradjuri {@_people.txt}\n")
    assert [f for f in load_policy(dest).check(text).findings if f.rule_id == "hate.group_dehumanising"]


def test_a_bad_register_entry_is_a_policy_error_naming_the_file_and_line(tmp_path: Path) -> None:
    from .support import POLICIES, REPO

    dest = tmp_path / "policies"
    shutil.copytree(POLICIES, dest)
    shutil.copy(REPO / "moderation_policy.md", tmp_path / "moderation_policy.md")
    with (dest / "lexicons" / "hate" / "dehumanising.txt").open("a", encoding="utf-8") as fh:
        fh.write("rats {and|\n")
    with pytest.raises(ConfigError) as exc:
        load_policy(dest)
    assert "dehumanising.txt" in str(exc.value)
    assert "hate.group_dehumanising" in str(exc.value)


@settings(max_examples=60, deadline=None)
@given(
    group=st.sampled_from(["women", "Muslims", "refugees", "Aboriginal people", "trans people"]),
    claim=st.sampled_from(["so useless", "such criminals", "all drunks", "always such parasites"]),
)
def test_a_rhetorical_question_about_a_whole_group_is_queued_not_hidden(policy: Policy, group: str, claim: str) -> None:
    text = f"Why are {group} {claim}?"
    v = policy.check(text)
    assert v.action is Action.QUEUE, text
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "Why are refugees so poor when they arrive?",
        "Why do women always get paid less?",
        "Why are Aboriginal people so often in the news?",
    ],
)
def test_a_question_about_a_group_that_claims_nothing_of_it_is_not_hate(policy: Policy, text: str) -> None:
    assert not [f for f in policy.check(text).findings if f.rule_id.startswith("hate.")], text


def test_a_past_call_to_be_rid_of_a_group_is_still_read(policy: Policy) -> None:
    v = policy.check("It's time we got rid of all the Muslims")
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("The only good Muslim is a dead Muslim", True),
        ("the only good refugees are dead ones", True),
        ("the only good thing is the dead silence", False),
        ("the only good thing about winter is a dead calm morning on the bay", False),
    ],
)
def test_the_only_good_one_is_a_dead_one(policy: Policy, text: str, hidden: bool) -> None:
    assert (policy.check(text).action is Action.AUTO_HIDE) is hidden, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Muslims have no place in modern society", True),
        ("Refugees have no place in this country", True),
        ("Racism has no place in our society", False),
    ],
)
def test_no_place_for_a_group_is_hostility_and_no_place_for_racism_is_not(
    policy: Policy, text: str, flagged: bool
) -> None:
    found = any(f.rule_id == "hate.group_hostility" for f in policy.check(text).findings)
    assert found is flagged, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Trans women aren't real women", True),
        ("Refugees will never be real Australians", True),
        ("Trans women are real women", False),
        ("those are not real women in the ad, they are mannequins", False),
    ],
)
def test_denying_a_group_is_what_it_is_is_queued(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    found = any(f.rule_id == "hate.group_hostility" for f in v.findings)
    assert found is flagged and v.action is not Action.AUTO_HIDE, text


def test_a_respelled_group_word_used_as_a_slur_is_queued(policy: Policy) -> None:
    v = policy.check("Jooz control everything")
    assert v.action is Action.QUEUE and any(f.rule_id == "hate.slur_lesser" for f in v.findings)


@settings(max_examples=60, deadline=None)
@given(
    one=st.sampled_from(["Muslim", "Jew", "refugee", "woman", "female", "Aboriginal", "Indian", "migrant", "trans"]),
    noun=st.sampled_from(["behaviour", "mentality", "logic", "carry on", "bullshit"]),
)
def test_a_group_judged_through_one_typical_member_is_queued(policy: Policy, one: str, noun: str) -> None:
    text = f"typical {one} {noun}"
    v = policy.check(text)
    assert v.action is Action.QUEUE, text
    found = [f for f in v.findings if f.rule_id == "hate.group_hostility"]
    assert found and "generalised" in found[0].explanation, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Typical woman!", True),
        ("That's typical Muslims.", True),
        ("He jumped the queue again, typical refugee", True),
        ("a typical Muslim family celebrates Eid with a big lunch", False),
        ("the typical refugee story is one of courage", False),
        ("This is not typical Muslim behaviour", False),
        ("typical Chinese food is cheap and great", False),
        ("a typical woman's day in 1950 involved housework", False),
        ("typical politician behaviour", False),
    ],
)
def test_typical_alone_needs_to_close_the_sentence_and_a_thing_is_not_the_group(
    policy: Policy, text: str, flagged: bool
) -> None:
    v = policy.check(text)
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings) is flagged, text
    assert v.action is not Action.AUTO_HIDE


@settings(max_examples=60, deadline=None)
@given(
    opening=st.sampled_from(
        ["I'd never hire", "We won't rent to", "My business will never serve", "I refuse to employ"]
    ),
    group=st.sampled_from(["a woman", "a Muslim", "Indians", "an Aboriginal person", "refugees", "a trans woman"]),
    tail=st.sampled_from(["", ", they're too emotional", ". Simple as that", " ever again"]),
)
def test_work_a_home_or_a_service_refused_to_a_group_is_denial_of_rights_queued(
    policy: Policy, opening: str, group: str, tail: str
) -> None:
    text = f"{opening} {group}{tail}"
    v = policy.check(text)
    assert v.action is Action.QUEUE, text
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "I'd never hire a man who hits women",
        "I won't hire a woman with no experience for a senior role",
        "My old boss said he'd never hire a woman and I reported him to the commission",
        "Employers who say 'I'd never hire a woman' are breaking the law",
        "I would never hire a migrant agent again after that experience",
        "He'd never hire a woman, and the tribunal fined him",
    ],
)
def test_refusing_someone_in_particular_or_reporting_a_refusal_is_not_read(policy: Policy, text: str) -> None:
    assert not [f for f in policy.check(text).findings if f.rule_id.startswith("hate.group")], text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I'd never hire a woman, they're too emotional", True),
        ("Refugees, they're all criminals", True),
        ("Never trust Muslims, they are all liars", True),
        ("We support refugees, they are a joy to work with", False),
        ("Refugees, they are not criminals", False),
    ],
)
def test_a_claim_said_of_a_group_with_they_is_about_the_group(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings) is flagged, text
    assert v.action is not Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Women don't belong in parliament", True),
        ("Muslims don't belong in the police", True),
        ("Women belong in parliament", False),
        ("Indians are taking our jobs", True),
        ("Refugees are stealing all the houses", True),
        ("The Chinese are buying up all our farms", True),
        ("Indians are taking the lead in the cricket", False),
        ("Refugees are taking the English course at TAFE", False),
        ("Investors are buying up all the houses", False),
    ],
)
def test_exclusion_from_public_life_and_taking_what_is_ours_are_queued(
    policy: Policy, text: str, flagged: bool
) -> None:
    v = policy.check(text)
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings) is flagged, text
    assert v.action is not Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Aboriginal people get too many handouts", True),
        ("Refugees get free houses while we pay", True),
        ("Africans are ruining Melbourne", True),
        ("Migrants are flooding into our suburbs", True),
        ("The boat people should have been sent back", True),
        ("Refugees should never have been let in", True),
        ("Disabled people shouldn't have kids", True),
        ("Women shouldn't vote.", True),
        ("Refugees get free English classes at TAFE", False),
        ("Migrants are flooding into the job market, say economists", False),
        ("Refugees should have been given homes years ago", False),
        ("Women shouldn't have to work two jobs to pay rent", False),
        ("Disabled people shouldn't have to wait six months for the NDIS", False),
        ("Disabled people shouldn't work for less than the minimum wage", False),
    ],
)
def test_more_generalisations_exclusion_and_denial_are_queued(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings) is flagged, text
    assert v.action is not Action.AUTO_HIDE


def test_a_report_of_friends_calling_each_other_a_slur_is_queued_not_hidden(policy: Policy) -> None:
    v = policy.check("My gay mates call each other faggots all the time, it's banter")
    assert v.action is Action.QUEUE and any(f.rule_id == "hate.slur" for f in v.findings)
    assert policy.check("you faggots, all of you").action is Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I'd never hire an old person, they're too slow", True),
        ("We never hire older workers", True),
        ("An old person helped me at the counter today", False),
        ("Older workers deserve better support", False),
    ],
)
def test_older_workers_are_in_the_register(policy: Policy, text: str, flagged: bool) -> None:
    assert any(f.rule_id == "hate.group_hostility" for f in policy.check(text).findings) is flagged, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Muslims should be banned", True),
        ("Refugees should be deported", True),
        ("Hate speech against Muslims should be banned", False),
        ("People who abuse refugees should be deported", False),
        ("Discrimination against women should be banned", False),
        ("Lies about refugees are dangerous", False),
        ("Those who attack Jews are animals", False),
    ],
)
def test_a_group_that_something_is_done_to_is_not_what_is_judged(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert any(f.rule_id.startswith("hate.group") for f in v.findings) is flagged, text
    assert v.action is not Action.AUTO_HIDE, text


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Gay people are lesser beings", "hate.group_dehumanising"),
        ("Muslim ppl are animals", "hate.group_dehumanising"),  # "ppl" is "people"
        ("Trans ppl are freaks", "hate.group_hostility"),
        ("Put all the refugees in camps", "hate.group_hostility"),
    ],
)
def test_lesser_beings_ppl_and_camps_are_read(policy: Policy, text: str, rule: str) -> None:
    assert any(f.rule_id == rule for f in policy.check(text).findings), policy.check(text).findings


@pytest.mark.parametrize("text", ["trans ppl deserve better healthcare", "Indigenous ppl are amazing"])
def test_ppl_in_a_kind_sentence_is_not_flagged(policy: Policy, text: str) -> None:
    assert not policy.check(text).findings


@pytest.mark.parametrize(
    "text", ["Sudanese Australians are sick of being blamed for crime", "Refugees are sick and tired of waiting"]
)
def test_a_group_sick_of_something_is_not_called_sick(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("hate.") for f in policy.check(text).findings)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("your kind isn't welcome here", True),
        ("I don't want any more Muslims in my suburb", True),
        ("No blacks allowed", True),
        ("Those people are breeding like rabbits", True),
        ("Africans are all gang members", True),
        ("you people at centrelink are useless", False),  # how commenters address the department's staff
        ("you people never answer the phone", False),
        ("this kind of comment isn't welcome here", False),
        ("we don't want any more delays", False),
        ("no dogs allowed", False),
    ],
)
def test_exclusion_and_breeding_are_queued_and_staff_addressed_as_you_people_are_not(
    policy: Policy, text: str, flagged: bool
) -> None:
    v = policy.check(text)
    assert any(f.rule_id == "hate.group_hostility" for f in v.findings) is flagged, v.findings
    assert v.action is not Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("You can't trust women", True),
        ("All Chinese are spies", True),
        ("Indians stink", True),
        ("Jews are behind every war", True),
        ("Black people are less intelligent", True),
        ("Gay people shouldn't be allowed near kids", True),
        ("Old people are a waste of resources", True),
        ("I can't stand being around gay people", True),
        ("The world would be better off without Muslims", True),
        ("The world would be a better place if all refugees died", True),
        ("Wouldn't it be nice if the Jews just disappeared", True),
        ("the kids would be better off without the stress", False),
        ("Muslims smell nice at Eid with all the food", False),
        ("you can't trust the government", False),
        ("the Chinese spy balloon story was overblown", False),
        ("Refugee kids shouldn't be allowed near the border fence, it's dangerous", False),
    ],
)
def test_distrust_smell_blame_and_lesser_minds_are_queued(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert any(f.rule_id.startswith("hate.") for f in v.findings) is flagged, v.findings


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from("vwxyz")), max_size=20))
def test_grouped_pairs_give_back_exactly_the_pairs(pairs: list[tuple[str, str]]) -> None:
    from moderation.rules.detectors.hate_words import grouped

    out = grouped(pairs)
    assert {(b, a) for bs, afters in out for b in bs for a in afters} == set(pairs)
    assert len({b for bs, _ in out for b in bs}) == sum(len(bs) for bs, _ in out)  # each before in one group
