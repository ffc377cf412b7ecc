"""Threats read by grammar (clause 3): intent + violent act + target, in every form the issue names, built from
templates; figures of speech and reported threats built the same way must not be hidden."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from moderation.domain import Action
from moderation.rules import Policy
from moderation.rules.variants import COMMON_ZIPF, zipf

# Targets as the object of a verb, with the word the explanation must name.
OBJECTS = {
    "you": "addressed",
    "u": "addressed",
    "your whole family": "addressed",
    "him": "person",
    "her": "person",
    "the minister": "Minister",
    "Minister Carraway": "Helen Carraway",
    "Priya Raman": "Priya Raman",
    "the caseworkers": "staff",
    "your staff": "staff",
    "every one of you": "addressed",
    "all Muslims": "religion",
    "Muslim people": "religion",
    "every Jew": "religion",
    "Aboriginal people": "Aboriginal",
    "refugees": "migration",
    "trans people": "gender",
    "gay men": "sexuality",
    "people with disability": "disability",
    "the Sudanese community": "race",
}
# Targets as a subject ("X should be shot").
SUBJECTS = {k: v for k, v in OBJECTS.items() if k not in ("u", "him", "her", "every one of you")} | {
    "he": "person",
    "she": "person",
    "you": "addressed",
    "Whitlock": "Tom Whitlock",
}
VERBS = ["kill", "stab", "shoot", "strangle", "murder", "bash", "hurt", "behead", "punch", "slaughter"]
PARTICIPLES = ["killed", "shot", "hanged", "stabbed", "murdered", "lynched", "beheaded", "gassed", "strung up"]

OBJECT_TEMPLATES = [
    "I'm going to {v} {t}",
    "I will {v} {t}",
    "I'll {v} {t} when I see them",
    "imma {v} {t}",
    "we are going to {v} {t}",
    "I swear I'll {v} {t}",
    "If they cut my payment again I will {v} {t}",
    "next time I'm in there I'm gonna {v} {t}",
    "Someone should {v} {t}",
    "somebody needs to {v} {t}",
    "Let's go {v} {t}",
    "time to {v} {t}",
    "I'd love to {v} {t}",
    "can someone please {v} {t}",
    "I wish someone would {v} {t}",
    "{V} {t}!",
    "we should {v} {t}",
    "I want to {v} {t}",
    "he's going to {v} {t}",
    "I could {v} {t}",
]
SUBJECT_TEMPLATES = [
    "{t} deserve to be {p}",
    "{t} should be {p}",
    "{t} should all be {p}",
    "{t} needs to be {p}",
    "I hope {t} gets {p}",
    "I'd like to see {t} {p}",
    "{t} will be {p}",
    "{t} are going to get {p}",
]
DYING_TEMPLATES = ["I hope {t} dies", "{t} should die", "{t} must die", "{t} deserve to die", "death to {t}"]
VEILED = [
    "I know where you live",
    "I know where you work",
    "watch your back",
    "I know where the minister lives",
    "you've been warned",
    "sleep with one eye open",
    "I know what car you drive",
    "it would be a shame if something happened to your family",
    "your days are numbered",
    "we know where your kids go to school",
    "I'll be waiting for you after work",
    "you won't see it coming",
    "I know where Priya Raman lives",
    "better watch your back Tom",
    "accidents happen to people like you",
]
# Figures of speech, built from the same verbs: never a threat finding.
IDIOMS = [
    "I'll kill it at the fun run on Sunday",
    "dying to see the new pool open",
    "shoot me an email when the forms are ready",
    "this program should be killed off",
    "we'll smash them at the election",
    "my mum will kill me if I miss the bus",
    "the heat is killing me",
    "I could murder a pie right now",
    "kill the bill",
    "let's vote them out",
    "the minister should be sacked",
    "his proposal was shot down in parliament",
    "I'd kill for a coffee",
    "the paperwork will be the death of me",
    "the plan should be executed quickly",
    "they got smashed at the polls",
    "Carraway should be voted out at the next election",
    "hang the washing out before it rains",
    "we need to beat the traffic",
    "I'm going to shoot some hoops after work",
    "going to shoot photos at the event",
    "I'll hit you up later",
    "let's hang out after the meeting",
    "I'm going to kill you guys at trivia night",
    "kill them with kindness",
    "shoot them a message and ask",
    "I'll beat you to it",
    "that joke killed me",
    "the new rules will kill small business",
    "this policy will hurt families",
    "we're going to destroy them at the ballot box",
    "the budget cuts will hurt you and your family",
    "I nearly died laughing",
    "I hope the program dies a quick death",
    "I would never hurt you",
    "nobody should ever hurt refugees",
    "I'm not going to kill anyone, calm down",
    "I got hit by a bus of emails this morning",
    "I will take your life savings if the fees go up again",
    "I'll end your career at the ballot box",
    "we'll burn the house down at karaoke tonight",
    "I hope the bus hits the traffic before nine",
    "the council should smash the windows out of that old shed and rebuild it",
]


def _object_cases() -> list[tuple[str, str]]:
    out = []
    for tmpl, v, (t, who) in itertools.product(OBJECT_TEMPLATES, VERBS, OBJECTS.items()):
        out.append((tmpl.format(v=v, V=v.capitalize(), t=t), who))
    return out


def _subject_cases() -> list[tuple[str, str]]:
    out = []
    for tmpl, p, (t, who) in itertools.product(SUBJECT_TEMPLATES, PARTICIPLES, SUBJECTS.items()):
        out.append((tmpl.format(p=p, t=t), who))
    for tmpl, (t, who) in itertools.product(DYING_TEMPLATES, SUBJECTS.items()):
        if tmpl.startswith("death to") and t in ("he", "she", "you"):
            continue
        out.append((tmpl.format(t=t), who))
    return out


def _threat_findings(policy: Policy, text: str) -> list:
    return [f for f in policy.check(text).findings if f.clause == "3"]


def _flagged_rate(policy: Policy, texts: list[str]) -> tuple[float, list[str]]:
    missed = [t for t in texts if not _threat_findings(policy, t)]
    return 1 - len(missed) / len(texts), missed


def test_threats_are_flagged_at_least_nine_in_ten(policy: Policy) -> None:
    cases = [t for t, _ in _object_cases() + _subject_cases()] + VEILED
    assert len(cases) > 1500
    rate, missed = _flagged_rate(policy, cases)
    assert rate >= 0.9, (rate, missed[:20])


@pytest.mark.parametrize("text", IDIOMS)
def test_figures_of_speech_are_not_threats(policy: Policy, text: str) -> None:
    assert _threat_findings(policy, text) == [], text


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(_object_cases() + _subject_cases()))
def test_the_explanation_says_who_is_targeted(policy: Policy, case: tuple[str, str]) -> None:
    text, who = case
    grammar = [f for f in _threat_findings(policy, text) if f.rule_id.startswith("threat.grammar")]
    if not grammar:
        return  # the rate test above bounds how often this happens
    words = {
        "addressed": "addressed",
        "person": "person",
        "Minister": "Minister",
        "staff": "staff",
        "religion": "religion",
        "Aboriginal": "Aboriginal",
        "migration": "migration",
        "gender": "gender",
        "sexuality": "sexuality",
        "disability": "disability",
        "race": "race",
    }
    assert any(words.get(who, who) in f.explanation for f in grammar), (text, [f.explanation for f in grammar])


@settings(max_examples=200, deadline=None)
@given(
    verb=st.sampled_from(["kill", "stab", "murder", "behead", "strangle"]),
    target=st.sampled_from(["you", "the minister", "Muslim people", "your staff", "Priya Raman", "refugees"]),
    intent=st.sampled_from(["I'm going to", "I will", "I'll", "we're gonna", "I swear I'll"]),
)
def test_first_person_threats_with_a_clear_verb_are_hidden(policy: Policy, verb: str, target: str, intent: str) -> None:
    v = policy.check(f"{intent} {verb} {target}")
    assert v.action is Action.AUTO_HIDE
    assert any(f.rule_id == "threat.grammar" for f in v.findings)


@settings(max_examples=200, deadline=None)
@given(
    verb=st.sampled_from(["kill", "stab", "murder", "shoot"]),
    target=st.sampled_from(["you", "the minister", "Muslim people", "your staff"]),
    frame=st.sampled_from(
        ['he said "I\'ll {v} {t}" and I reported it', "my neighbour told me he would {v} {t}", "I won't {v} {t}"]
    ),
)
def test_reported_and_negated_threats_are_not_hidden_by_the_grammar(
    policy: Policy, verb: str, target: str, frame: str
) -> None:
    text = frame.format(v=verb, t=target)
    assert not [f for f in policy.check(text).findings if f.rule_id == "threat.grammar"], text


@settings(max_examples=200, deadline=None)
@given(
    verb=st.sampled_from(["kill", "stab", "murder", "shoot"]),
    spelling=st.sampled_from(["leet", "spaced", "dotted", "stretched"]),
    target=st.sampled_from(["you", "the minister", "every muslim"]),
)
def test_evasive_spellings_of_the_act_still_read_as_threats(
    policy: Policy, verb: str, spelling: str, target: str
) -> None:
    if spelling == "leet":  # the first vowel as a digit
        word = re.sub("[aeio]", lambda m: {"a": "4", "e": "3", "i": "1", "o": "0"}[m.group()], verb, count=1)
    elif spelling == "spaced":
        word = " ".join(verb)
    elif spelling == "dotted":
        word = ".".join(verb)
    else:
        word = re.sub(r"([aeiou])", r"\1\1\1", verb, count=1)
    text = f"I'm going to {word} {target}"
    assert _threat_findings(policy, text), text


def test_staff_and_minister_threats_name_the_target(policy: Policy) -> None:
    v = policy.check("someone should shoot the minister")
    assert v.action is Action.AUTO_HIDE
    assert any("Minister" in f.explanation for f in v.findings if f.rule_id == "threat.grammar")
    v = policy.check("I'll stab every caseworker at Bellmore")
    assert any("staff" in f.explanation for f in v.findings if f.rule_id == "threat.grammar")
    v = policy.check("I hope Carraway gets run over")
    assert any("Helen Carraway" in f.explanation for f in v.findings if f.rule_id == "threat.grammar")


def test_the_span_covers_the_threat_in_the_original_text(policy: Policy) -> None:
    text = "Honestly. I’m going to K1LL the Minister tomorrow"
    f = next(f for f in policy.check(text).findings if f.rule_id == "threat.grammar")
    assert text[f.start : f.end] == f.match
    assert "K1LL the Minister" in f.match


def test_unclear_threats_are_queued_not_hidden(policy: Policy) -> None:
    for text in [
        "you're going to get hurt",
        "I could strangle him",
        "we're going to smash you",
        "they should be hanged",
    ]:
        v = policy.check(text)
        assert v.action is Action.QUEUE, (text, v.action)
        assert any(f.rule_id == "threat.grammar_unclear" for f in v.findings), text


@settings(max_examples=150, deadline=None)
@given(
    phrase=st.sampled_from(
        [
            "I know where {t} lives",
            "it would be a shame if something happened to {t}",
            "I've got {p} home address now",
            "enjoy {p} last week on earth",
            "see {t} in the car park after work",
        ]
    ),
    target=st.sampled_from(
        [("the minister", "the minister's"), ("Priya Raman", "Priya Raman's"), ("that caseworker", "that caseworker's")]
    ),
)
def test_veiled_threats_are_queued_and_name_the_target(policy: Policy, phrase: str, target: tuple[str, str]) -> None:
    text = phrase.format(t=target[0], p=target[1])
    found = [f for f in policy.check(text).findings if f.rule_id == "threat.grammar_unclear"]
    assert found, text
    assert any(
        "veiled" in f.explanation
        and ("Minister" in f.explanation or "Raman" in f.explanation or "staff" in f.explanation)
        for f in found
    ), [f.explanation for f in found]


@pytest.mark.parametrize(
    "text",
    [
        "it would be a shame if something happened to the budget",
        "I know where the office is, I'll drop the form in",
        "see the minister at the community forum after work",
    ],
)
def test_veiled_phrases_about_things_are_not_threats(policy: Policy, text: str) -> None:
    assert not [f for f in policy.check(text).findings if f.rule_id.startswith("threat.grammar")], text


@settings(max_examples=150, deadline=None)
@given(
    verb=st.sampled_from(["kills", "stabs", "bashes", "strangles", "murders"]),
    frame=st.sampled_from(["I hope someone {v} {t}", "can't wait until someone {v} {t}"]),
    target=st.sampled_from(["the minister", "you", "the bloke who posted this", "every one of those Muslims"]),
)
def test_wishing_someone_else_would_do_it_is_a_threat(policy: Policy, verb: str, frame: str, target: str) -> None:
    text = frame.format(v=verb, t=target)
    assert any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text


# Third-person forms read by the wish frame ("I hope someone ___s you"), spelled the ways people dodge filters.
_THIRD = ["kills", "stabs", "murders", "strangles", "slaughters", "shoots"]


def _evade_third(verb: str, how: str, i: int) -> str:
    stem, tail = verb[:-1], verb[-1]
    if how == "letters":  # every letter but the ending apart: "m.u.r.d.e.rs", "s t a bs"
        sep = "." if i % 2 else " "
        return sep.join(stem[:-1]) + sep + stem[-1] + tail
    if how == "drop":  # one letter of the stem dropped (not the first)
        j = 1 + i % (len(stem) - 1)
        return verb[:j] + verb[j + 1 :]
    if how == "swap":  # two neighbours swapped (not the first)
        j = 1 + i % (len(verb) - 3)
        return verb[:j] + verb[j + 1] + verb[j] + verb[j + 2 :]
    j = i % len(verb)  # a letter doubled
    return verb[: j + 1] + verb[j:]


@settings(max_examples=200, deadline=None)
@given(
    verb=st.sampled_from(_THIRD),
    how=st.sampled_from(["letters", "drop", "swap", "double"]),
    i=st.integers(0, 50),
    target=st.sampled_from(["the minister", "you", "Priya Raman", "every one of those Muslims"]),
)
def test_evasive_third_person_acts_still_read_as_wishes_of_harm(
    policy: Policy, verb: str, how: str, i: int, target: str
) -> None:
    word = _evade_third(verb, how, i)
    assume(word != verb and zipf(word) < COMMON_ZIPF)  # a real English word is not an evasion
    text = f"I hope someone {word} {target}"
    assert any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text


@pytest.mark.parametrize("text", ["I will shot the minister", "Someone should shot every one of those Hindus"])
def test_shot_for_shoot_is_still_a_threat(policy: Policy, text: str) -> None:
    assert any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text


@pytest.mark.parametrize("text", ["I'll shot you an email tomorrow", "he shot the breeze with the minister"])
def test_shot_in_everyday_phrases_is_not_a_threat(policy: Policy, text: str) -> None:
    assert not any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text


@pytest.mark.parametrize(
    ("text", "slur"),
    [
        ("someone should shoot every faggot", "faggot"),
        ("I will kill all the towelheads", "towelhead"),
        ("we should kill the faggots", "faggot"),
    ],
)
def test_a_group_named_by_a_slur_is_a_target_and_the_explanation_never_repeats_it(
    policy: Policy, text: str, slur: str
) -> None:
    threats = [f for f in policy.check(text).findings if f.rule_id == "threat.grammar"]
    assert threats, text
    assert "a group named by a slur" in threats[0].explanation
    assert slur not in threats[0].explanation.lower()


@pytest.mark.parametrize(
    "text", ["just let him die", "Let them rot in a cell, let them die", "please let the minister die"]
)
def test_let_as_a_command_is_a_wish_of_harm(policy: Policy, text: str) -> None:
    assert {"threat.grammar", "threat.grammar_unclear"} & {f.rule_id for f in policy.check(text).findings}, text


@pytest.mark.parametrize("text", ["They let him die in the waiting room", "the hospital let her die alone"])
def test_let_in_a_report_of_what_happened_is_not_a_wish(policy: Policy, text: str) -> None:
    assert policy.check(text).action is not Action.AUTO_HIDE, policy.check(text).findings


def test_your_days_are_numbered_waits_for_a_person(policy: Policy) -> None:
    v = policy.check("Minister, your days are numbered")
    assert v.action is Action.QUEUE and "threat.menace_unclear" in {f.rule_id for f in v.findings}


@settings(max_examples=150, deadline=None)
@given(
    participle=st.sampled_from(PARTICIPLES),
    modal=st.sampled_from(["would be", "could be", "might be", "may be", "can be", "would get", "could get", "'d be"]),
    target=st.sampled_from(["she", "you", "the minister", "your staff", "Muslim people"]),
    tail=st.sampled_from(["for wearing that in Iran", "if the law changed", ""]),
)
def test_a_possibility_of_harm_is_queued_not_hidden(
    policy: Policy, participle: str, modal: str, target: str, tail: str
) -> None:
    # "She would be killed for wearing that in Iran", "you could be shot": a prediction, not a demand.
    text = f"{target}{'' if modal.startswith(chr(39)) else ' '}{modal} {participle} {tail}".strip()
    v = policy.check(text)
    assert v.action is not Action.AUTO_HIDE, (text, v.findings)
    assert "threat.grammar" not in {f.rule_id for f in v.findings}, (text, v.findings)
    if modal.split()[0] in ("would", "could", "can"):  # read, and said to be a possibility
        unclear = [f for f in v.findings if f.rule_id == "threat.grammar_unclear"]
        assert unclear and "possibility" in unclear[0].explanation, (text, v.findings)


@pytest.mark.parametrize("modal", ["should be", "must be", "deserve to be", "needs to be", "ought to be"])
def test_a_demand_for_harm_is_still_hidden(policy: Policy, modal: str) -> None:
    v = policy.check(f"the minister {modal} shot")
    assert v.action is Action.AUTO_HIDE, v.findings


@pytest.mark.parametrize(
    "text",
    [
        "the nazis did not just kill jews in those camps",
        "they never even shot anyone",
        "muslim migrant who stormed church screaming i will kill you escapes deportation",
        "the crowd was chanting we will kill you all, police said",
    ],
)
def test_denials_and_reports_of_violence_are_not_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is not Action.AUTO_HIDE, policy.check(text).findings


# Harm to what a person owns, and wishes of harm by an accident: threats as plain as any other.
PROPERTY_AND_ACCIDENT = [
    "I will slash your tyres",
    "the minister needs a bullet",
    "you deserve torture",
    "I'm going to beat the snot out of you",
    "I will end your life",
    "I'm going to burn your house down",
    "we will torch his car",
    "someone should firebomb the minister's office",
    "I'll smash your windows",
    "I hope you get hit by a bus",
    "hope she gets run over by a truck",
    "I hope the minister gets hit by a bus",
]


@pytest.mark.parametrize("text", PROPERTY_AND_ACCIDENT)
def test_threats_to_property_and_wished_accidents_are_hidden(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is Action.AUTO_HIDE and _threat_findings(policy, text), v.findings


# Menace aimed at a person's family or home: queued for a person, never hidden by software alone.
@pytest.mark.parametrize(
    "text",
    [
        "your family will pay for this",
        "your kids are going to pay for that",
        "I hope your house burns down",
        "I'll make sure you never walk again",
        "you won't live to see christmas",
        "get a rope",
    ],
)
def test_menace_to_family_and_home_is_queued(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is not Action.AUTO_HIDE and _threat_findings(policy, text), v.findings


@pytest.mark.parametrize(
    "text",
    [
        "your family will pay for this with higher power bills",
        "your kids will pay for this at the election",
        "our families will pay for this budget",
    ],
)
def test_paying_for_a_decision_is_not_menace(policy: Policy, text: str) -> None:
    assert not _threat_findings(policy, text)


def _veiled_sentences() -> list[str]:
    """Each entry of the shipped veiled list written out once: the first choice of each {a|b} group."""
    from moderation.rules import SOURCE_POLICY_DIR

    out = []
    for line in (SOURCE_POLICY_DIR / "lexicons" / "threats" / "veiled.txt").read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        text = re.sub(r"\{([^|}]*)[^}]*\}", r"\1", entry).rstrip("*")
        text = " ".join(text.replace("[target]", "the minister").replace("[their]", "your").split())
        out.append(text[:1].upper() + text[1:])
    return out


def test_every_veiled_phrase_in_the_shipped_list_is_read_however_it_begins(policy: Policy) -> None:
    """An act is found by its first letters: a phrase beginning "I'll", "we're" or "[their]" must be found too."""
    missed = [t for t in _veiled_sentences() if not _threat_findings(policy, t)]
    assert not missed, missed
    for text in ("I'll find you eventually", "We'll be waiting for the minister", "His days are numbered"):
        found = _threat_findings(policy, text)
        assert found and all(f.action is Action.QUEUE for f in found), text


def test_an_act_beginning_with_its_target_is_refused_at_load() -> None:
    from moderation.rules.detectors.threat_entries import lead_with_words

    with pytest.raises(ValueError, match="begins with a placeholder"):
        lead_with_words("veiled", ["[target] will pay"])
    assert lead_with_words("veiled", ["[their] days are numbered"])[0] == "your days are numbered"


@pytest.mark.parametrize(
    "text",
    [
        "I will burn down the office",
        "I will burn the school",
        "we should bomb the parliament",
        "I am going to shoot up the office",
        "I will shoot up the school",
    ],
)
def test_threats_to_a_building_named_with_its_article_or_particle_are_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is Action.AUTO_HIDE, text


@pytest.mark.parametrize("text", ["I will burn the toast", "I will shoot down the idea at the office"])
def test_destroying_words_about_things_that_are_not_buildings_are_not_threats(policy: Policy, text: str) -> None:
    assert not [f for f in policy.check(text).findings if f.rule_id.startswith("threat.grammar")], text


@settings(max_examples=60, deadline=None)
@given(
    act=st.sampled_from(["I will kill {t}", "I'm going to stab {t}", "I hope {t} gets shot"]),
    member=st.sampled_from(["a Muslim", "an Asian", "the next refugee", "a Jew"]),
)
def test_one_member_of_a_group_named_with_an_article_is_a_target(policy: Policy, act: str, member: str) -> None:
    text = act.format(t=member)
    assert any(f.rule_id == "threat.grammar" for f in policy.check(text).findings), text


@pytest.mark.parametrize(
    "text", ["I will bring a gun to the office tomorrow", "I am going to bring a knife to the council meeting"]
)
def test_bringing_a_weapon_to_a_workplace_or_meeting_is_queued(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is Action.QUEUE and any(f.rule_id == "threat.grammar_unclear" for f in v.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "just kill the minister",
        "seriously guys, kill the minister",
        "lol just shoot the minister",
        "if you see him, then shoot the minister",
        "@dcw_news kill the minister",
    ],
)
def test_an_imperative_after_lead_in_words_is_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is Action.AUTO_HIDE, policy.check(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "seceding won't work because it'll just kill more pensioners",
        "the heat will now kill the minister's garden and the lawn",
        "this cut will just kill the minister's chances",
    ],
)
def test_a_statement_about_what_something_will_do_is_not_an_imperative(policy: Policy, text: str) -> None:
    assert not [f for f in policy.check(text).findings if f.rule_id == "threat.grammar"], text


@settings(max_examples=40, deadline=None)
@given(
    frame=st.sampled_from(["so we should kill {t} ?", "I will kill {t}?", "should someone shoot {t} then?"]),
    target=st.sampled_from(["the minister", "anyone who isn't white", "every Muslim", "you"]),
)
def test_a_threat_asked_as_a_question_is_queued_not_hidden(policy: Policy, frame: str, target: str) -> None:
    text = frame.format(t=target)
    v = policy.check(text)
    assert v.action is not Action.AUTO_HIDE, (text, v.findings)
    assert not [f for f in v.findings if f.rule_id == "threat.grammar"], text


def test_a_question_before_the_threat_does_not_soften_it(policy: Policy) -> None:
    assert policy.check("Why? Because I will kill you").action is Action.AUTO_HIDE


@settings(max_examples=60, deadline=None)
@given(
    speaker=st.sampled_from(["I'll", "I'm going to", "We will", "Gonna", "Someone should", "I could"]),
    weapon=st.sampled_from(["a gun", "a knife", "my rifle", "a bomb"]),
    place=st.sampled_from(["the office", "school", "the council meeting", "parliament", "the minister's office"]),
)
def test_a_weapon_brought_to_a_workplace_is_queued_when_the_writer_means_to(
    policy: Policy, speaker: str, weapon: str, place: str
) -> None:
    text = f"{speaker} bring {weapon} to {place}"
    v = policy.check(text)
    assert v.action is Action.QUEUE and any(f.rule_id == "threat.grammar_unclear" for f in v.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm bringing a knife to the council meeting",
        "Bring a gun to the meeting tomorrow",
        "We're taking a gun to the rally",
    ],
)
def test_a_weapon_brought_in_the_present_tense_or_as_an_order_is_queued(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert v.action is Action.QUEUE and any(f.rule_id == "threat.grammar_unclear" for f in v.findings), text


@pytest.mark.parametrize(
    "text",
    [
        "Students who bring a knife to school will be suspended",
        "Never bring a knife to school",
        "Don't bring a knife to school, kids",
        "If you bring a knife to school you will be expelled",
        "Remember to bring a knife to school for the cooking class",
        "He said he would bring a gun to work and I called the police",
        "Parents are asking what happens when a child brings a knife to school",
    ],
)
def test_a_weapon_taken_somewhere_in_a_rule_a_report_or_a_warning_is_not_a_threat(policy: Policy, text: str) -> None:
    assert not _threat_findings(policy, text), text


def _veiled_acts() -> list[str]:
    """The first choice of each {a|b} group of each entry of the shipped veiled acts, said by "I'll"."""
    from moderation.rules import SOURCE_POLICY_DIR

    out = []
    path = SOURCE_POLICY_DIR / "lexicons" / "threats" / "veiled_acts.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            out.append("I'll " + " ".join(re.sub(r"\{([^|}]*)[^}]*\}", r"\1", entry).rstrip("*").split()))
    return out


def test_every_veiled_act_in_the_shipped_list_is_read_with_intent(policy: Policy) -> None:
    sentences = _veiled_acts()
    assert sentences
    for text in sentences:
        assert _threat_findings(policy, text), text
        assert not _threat_findings(policy, "Students who " + text.removeprefix("I'll ")), text


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("I'll shoot every Muslim", True),
        ("I'll kill every Muslim bastard", True),
        ("I'll shoot every Muslim I see", True),
        ("I will stab any refugee who comes near me", True),
        ("I will kill every Chinese in this town", True),
        ("I'll burn every Muslim restaurant", False),
        ("I'll burn every Muslim-owned shop in town", False),
        ("I'll burn every Muslim's house", False),
        ("I'll smash every Chinese restaurant review on the site", False),
        ("I will burn every Sudanese business", False),
    ],
)
def test_every_member_of_a_group_is_a_person_unless_the_word_describes_a_thing(
    policy: Policy, text: str, person: bool
) -> None:
    found = [f for f in _threat_findings(policy, text) if "protected group" in f.explanation]
    assert bool(found) is person, (text, [f.explanation for f in policy.check(text).findings])
    assert (policy.check(text).action is Action.AUTO_HIDE) is person, text


@pytest.mark.parametrize(
    "text",
    [
        "I'll wait for you after work and bash you",
        "I'm going to wait for that caseworker in the car park and bash her",
        "Gonna strangle the next centrelink worker who puts me on hold",
        "gonna hunt down the caseworker who cut my payment",
        "Next time I see the minister I'll knock his teeth out",
        "I'll knock your block off",
    ],
)
def test_intent_carried_over_and_or_with_i_left_out_is_a_clear_threat(policy: Policy, text: str) -> None:
    assert policy.check(text).action is Action.AUTO_HIDE, text


@pytest.mark.parametrize(
    "text",
    [
        "I'll go to the office and kill some time before my appointment",
        "I'm going to go home and kill it at trivia night",
        "Gonna kill it at the job interview tomorrow",
        "I'll wait for my caseworker to call and shoot her a text",
        "About to kill my caseworker with kindness",
    ],
)
def test_intent_carried_over_to_a_figure_of_speech_is_not_a_threat(policy: Policy, text: str) -> None:
    assert not _threat_findings(policy, text), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to write to my MP and destroy the minister's argument",
        "We'll rally outside parliament and smash the minister at the next election",
        "She said she's gonna kill him, I called 000",
        "I will kill the minister's bill in the senate",
        "I will destroy the minister's career",
    ],
)
def test_a_thing_of_theirs_or_someone_else_s_intent_is_never_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is not Action.AUTO_HIDE, text


@pytest.mark.parametrize(
    "text",
    ["I will kill the minister's family", "I will burn the minister's house down", "I'll stab the caseworker's kids"],
)
def test_threats_to_the_people_or_the_home_of_a_target_are_still_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is Action.AUTO_HIDE, text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I'm going to find out where the minister lives", True),
        ("We'll find out where that caseworker works", True),
        ("I'll find out where the office is and come in on Monday", False),
    ],
)
def test_finding_out_where_a_person_lives_is_a_veiled_threat(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert bool(_threat_findings(policy, text)) is flagged, text
    assert v.action is not Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Hang every last Muslim", True),
        ("I hope every Muslim family in Bellmore gets bombed", True),
        ("every last refugee family deserves a home", False),
        ("I'll visit every Muslim family in the street to hand out flyers", False),
    ],
)
def test_every_last_member_and_a_member_s_family_are_targets(policy: Policy, text: str, flagged: bool) -> None:
    assert bool(_threat_findings(policy, text)) is flagged, text


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("I'll put your head through a wall", True),
        ("I'll stomp on your head", True),
        ("I'll curb stomp every one of you", True),
        ("I'll teach you a lesson you won't forget", False),
    ],
)
def test_more_acts_of_violence_are_read(policy: Policy, text: str, hidden: bool) -> None:
    v = policy.check(text)
    assert _threat_findings(policy, text), text
    assert (v.action is Action.AUTO_HIDE) is hidden, text


@pytest.mark.parametrize(
    "text",
    [
        "I'll teach the minister a lesson at the next election",
        "I'll teach my kids a lesson about budgeting",
        "I'll put a stamp on the envelope",
        "We'll smash the minister in the next election",
    ],
)
def test_their_figures_of_speech_are_not(policy: Policy, text: str) -> None:
    assert not _threat_findings(policy, text), text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I hope Carraway's car gets torched", True),
        ("I hope the minister's office is firebombed", True),
        ("I hope the minister's house gets sold at a good price", False),
    ],
)
def test_a_wish_that_a_home_or_car_is_destroyed_is_a_veiled_threat(policy: Policy, text: str, flagged: bool) -> None:
    v = policy.check(text)
    assert bool(_threat_findings(policy, text)) is flagged, text
    assert v.action is not Action.AUTO_HIDE


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("I hope all Muslims get shot", True),
        ("I hope all the refugees get shot", True),
        ("I hope those caseworkers get bashed", True),
        ('He wrote "I hope all Muslims get shot" and I reported him', False),
    ],
)
def test_a_wish_of_harm_on_the_whole_of_a_group_is_read(policy: Policy, text: str, hidden: bool) -> None:
    v = policy.check(text)
    assert _threat_findings(policy, text), text
    assert (v.action is Action.AUTO_HIDE) is hidden, text


@pytest.mark.parametrize("text", ["I hope all refugees get housed", "I hope all the staff get paid on time"])
def test_a_kind_wish_for_the_whole_of_a_group_is_not(policy: Policy, text: str) -> None:
    assert not _threat_findings(policy, text), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to slit the throat of every Jew I meet",
        "I will cut the throat of every refugee",
        "I'm going to break the neck of the next caseworker I see",
        "I'll put a bullet in the head of every Muslim",
        "it's time to wipe out the Muslims",
        "we should eradicate the refugees",
    ],
)
def test_the_act_done_to_a_part_of_the_person_or_to_a_whole_group_is_hidden(policy: Policy, text: str) -> None:
    assert policy.check(text).action is Action.AUTO_HIDE, policy.check(text).findings


@pytest.mark.parametrize(
    "text",
    [
        "we should wipe out the debt",
        "this budget will wipe out pensioners' savings",
        "cuts will wipe out Aboriginal community services",
        "let's wipe out homelessness in a decade",
        "we need to eradicate racism against Muslims",
        "I'll break the neck of this bottle",
    ],
)
def test_wiping_out_a_thing_is_not_a_threat(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("threat.") for f in policy.check(text).findings)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("Im going to kil you", True),
        ("I'll ki11 you", True),  # "11" for "ll"
        ("Im going 2 kill u", True),
        ("deth to jews", True),
        ("death 2 all refugees", True),
        ("I hope your family gets cancer", True),
        ("let's go burn down centrelink", True),
        ("I'd love to see the minister swinging from a rope", True),
        ("I want to see you dead", True),
        ("You better watch yourself, I know your address", False),  # veiled: a person decides
        ("next time you'll be in a body bag", False),
        ("I'm going to make your life hell", False),
        ("I'm bringing a knife to the centrelink office", False),
        ("I'll put you up against a wall", True),
        ("someone should coward punch the minister", True),
        ("I'm going to kick your teeth in", True),
        ("I'll snot you", False),  # Australian for a punch, also said in jest: a person decides
        ("Gays should be thrown off buildings", True),
        ("Muslims should be nuked", True),
        ("Disabled babies should be euthanised", True),
        ("the minister deserves a punch in the face", True),
        ("If they let more refugees in, I'll start shooting people", False),
        ("Do the world a favour and shoot the minister", True),
        ("I'd pay someone to kill the minister", False),  # hedged: a person decides
        ("Take the minister out", False),
        ("Pity nobody has shot the minister yet", False),  # a wish in the past: veiled, a person decides
    ],
)
def test_more_threat_forms_are_read(policy: Policy, text: str, hidden: bool) -> None:
    v = policy.check(text)
    assert any(f.rule_id.startswith("threat.") for f in v.findings), v.findings
    assert (v.action is Action.AUTO_HIDE) is hidden, v.findings


@pytest.mark.parametrize(
    "text",
    [
        "I hope mum gets cancer treatment soon",
        "I hope the hospital gets cancer funding",
        "I can't wait to see the minister burn at the election",  # a figure of speech after a harm, as after an act
        "I hope the minister burns at the next election",
        "I want to see the minister at the town hall",
        "we'll see you at the office",
        "I'll turn up at your office on Monday with my documents",
        "They make my life hell with these forms",
        "Put the chairs against a wall please",
        "make the minister pay for this at the election",
        "my kid got thrown off the bus",
        "nuke the leftovers for 2 minutes",
        "I'll start shooting the video at 5",
        "do us all a favour and resign minister",
        "I'd pay someone to fix my fence",
        "take the minister out for dinner",
        "shame nobody has killed the bill yet",
    ],
)
def test_their_everyday_neighbours_are_not_threats(policy: Policy, text: str) -> None:
    assert not any(f.rule_id.startswith("threat.") for f in policy.check(text).findings), policy.check(text).findings
