"""The context guard: quotation, negation, questions, self-reference, homonyms, self-harm support and undirected
swearing are queued with the guard's reason, never hidden; the same words aimed at a person still are."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.domain import Action, ConfigError
from moderation.rules import Policy, load_policy
from moderation.rules.checks import run_guard_examples

from .support import POLICIES, guard_problems, hidden


def reasons(policy: Policy, text: str) -> str:
    return " | ".join(f.explanation for f in policy.check(text).findings)


# Comments the policy hides at once when they stand alone for language, hate, threats or harassment (clauses 1-4,
# the ones the guard covers: a quoted Medicare number is still published): every such rule example.
def _hide_worthy() -> list[str]:
    policy = load_policy(POLICIES)
    out = []
    for rule in policy.rules:
        for ex in rule.examples:
            t = ex.item.text
            if not (ex.should_match and '"' not in t and ex.item == type(ex.item)(text=t) and hidden(policy, t)):
                continue
            if all(f.clause in ("1", "2", "3", "4") for f in policy.check(t).findings):
                out.append(t)
    out += ["you fagott", "refugees are vremin", "go home you f4ggot", "muslimsare vermin"]
    return sorted(set(out))


HIDE_WORTHY = _hide_worthy()
REPORTS = [
    'he called me "{x}" and I reported it',
    'Someone wrote "{x}" under my post',
    "Nobody should ever say '{x}' to anyone",
    "The message said “{x}” and the police have it",
]


def test_there_is_enough_to_wrap() -> None:
    assert len(HIDE_WORTHY) >= 20


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(x=st.sampled_from(HIDE_WORTHY), template=st.sampled_from(REPORTS))
def test_wrapping_hide_worthy_text_in_a_quoted_report_never_hides(policy: Policy, x: str, template: str) -> None:
    text = template.format(x=x)
    v = policy.check(text)
    assert v.action is not Action.AUTO_HIDE and not v.hide_now, (text, v.findings)


@pytest.mark.parametrize("x", HIDE_WORTHY)
def test_the_same_text_alone_is_hidden(policy: Policy, x: str) -> None:
    assert hidden(policy, x)


GUARDED = [
    ("he called me a faggot and I reported it", "quoted or reported"),
    ("he called me a f4ggot and I reported it", "quoted or reported"),  # evasive spellings too
    ("a bloke yelled boong at my son at the footy", "quoted or reported"),
    ("Nobody should say refugees are vermin", "negated"),
    ("It's not ok to call anyone a towelhead", "negated"),
    ("what does towelhead mean?", "a question about a word"),
    ("I'm a proud poofter and I'll be at the consultation", "self-reference"),
    ("Us poofters built half this town", "self-reference"),
    ("My nan made faggots and peas with gravy every Sunday", "innocent sense"),
    ("tie the faggot of sticks and put it on the fire", "innocent sense"),
    ("we got to fuck off early because the hall closed", "not aimed at anyone"),
    ("don't ever kill yourself, you matter", "self-harm"),
    ("you ever had someone tell you to go kill yourself", "quoted or reported"),
    ("if i hear one more bloke say faggot i will scream", "quoted or reported"),
    ("the racist chants calling people faggots were vile", "quoted or reported"),
    ("yeah im a faggot and id rather be a faggot than a bully", "self-reference"),
    ("well fuck you too then", "a retort"),
    ("fuck u right back", "a retort"),
    ("they keep calling him a faggot at school", "quoted or reported"),
    ("I didn't say refugees are vermin", "negated"),
    ("it's sick to joke that anyone should kill yourself", "negated"),
    ("faggots, chips and mushy peas at the chippy", "innocent sense"),
    ("as a queer performer, my work gets undervalued, and having it done by other faggots is worse", "self-reference"),
    ("they called the premier a towelhead on air", "quoted or reported"),  # someone else, not the reader, called it
    ("fined for calling the umpire a towelhead", "quoted or reported"),
    ("my son was told to go kill yourself at school, what do I do", "quoted or reported"),
    ("the number of times I have tweeted faggot uncensored", "quoted or reported"),  # the word itself, written out
    ("Mate please don't go and kill yourself over this debt", "self-harm"),
    ("don't you dare kill yourself, we need you here", "self-harm"),
]


@pytest.mark.parametrize(("text", "reason"), GUARDED)
def test_guarded_matches_are_queued_with_the_reason(policy: Policy, text: str, reason: str) -> None:
    v = policy.check(text)
    assert v.action is Action.QUEUE, v.findings
    assert reason in reasons(policy, text)


STILL_HIDDEN = [
    "you faggot",
    "go home you boong",
    "refugees are vermin",
    "fuck off minister",
    "the minister can fuck off",
    "just kill yourself",
    "he is a faggot and so are you, you faggot",  # a direct insult in its own clause
    "you dirty towelhead, what does that mean to you",
    "if you don't like it, kill yourself",  # "don't" is not next to the words
    "you a faggot if you eat pork chops",  # a directed slur: no homonym guards it
    "kill yourself lol",  # "laughing" is the idiom, not any laugh
    "go kill yourself, laughing stock",  # the idiom reads on at once: a comma ends it
    "I'm gay, you faggot",  # saying who you are does not make a slur at the reader less aimed
    "im gay. faggots like him should be banned from the library",  # another sentence: no cue
    "I'm calling you a towelhead because you are one",  # "calling you": aimed at the reader
    "I don't care, go kill yourself",  # "don't" three words back is not talking anyone out of it
]


@pytest.mark.parametrize("text", STILL_HIDDEN)
def test_abuse_without_a_cue_is_still_hidden(policy: Policy, text: str) -> None:
    assert hidden(policy, text), policy.check(text).findings


def test_supportive_self_harm_text_reaches_a_person_first(policy: Policy) -> None:
    v = policy.check("please don't kill yourself, call Lifeline on 13 11 14")
    assert v.action is Action.QUEUE
    assert v.priority >= 95
    assert v.priority >= policy.check("you're an idiot").priority


def test_a_guarded_finding_keeps_its_span_rule_and_clause(policy: Policy) -> None:
    text = "he called me a faggot and I reported it"
    # The learned model scores the whole comment, not the word, so its finding is not expected in both.
    found = policy.check("faggot").findings
    plain = {(f.rule_id, f.clause, f.start, f.end) for f in found if not f.rule_id.startswith("learned.")}
    assert plain
    got = policy.check(text).findings
    assert {f.rule_id for f in got} >= {r for r, *_ in plain}
    for f in got:
        assert text[f.start : f.end] == f.match


def test_guard_examples_pass_policy_check(policy: Policy) -> None:
    assert run_guard_examples(policy) == []


def test_guard_example_that_fails_is_reported(policy_copy: Path) -> None:
    old, new = 'not_guarded = ["you faggot", "refugees are vermin"', 'not_guarded = ["he called me a faggot"'
    assert any("should still be hidden" in m for m in guard_problems(policy_copy, old, new))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("window = 8", "window = 0"), "window must be an integer"),
        (('clauses = ["1", "2", "3", "4"]', 'clauses = ["1", "99"]'), "clause '99' is not in clauses.toml"),
        (('rules = ["offensive.directed"]', 'rules = ["offensive.nope"]'), "unknown rule 'offensive.nope'"),
        (('name = "question"', 'name = "question"\nbefor = ["x"]'), "unknown key(s) ['befor']"),
        (('reason = "a word with an innocent sense (sloping): a person decides"', ""), "a homonym needs reason"),
        (("dismiss = true", 'dismiss = "yes"'), "dismiss must be true or false"),
        (("next_sentence = true", "next_sentence = 1"), "next_sentence must be true or false"),
        (('held_by = ["wellbeing.at_risk"]', 'held_by = ["wellbeing.nope"]'), "unknown rule 'wellbeing.nope'"),
    ],
)
def test_bad_guard_file_is_refused_with_file_and_line(policy_copy: Path, edit: tuple[str, str], message: str) -> None:
    path = policy_copy / "guard.toml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_policy(policy_copy)
    assert "guard.toml" in str(err.value)
    assert message in str(err.value)


def test_without_a_guard_file_the_words_alone_decide(policy_copy: Path) -> None:
    (policy_copy / "guard.toml").unlink()
    bare = load_policy(policy_copy)
    assert bare.guard is None
    assert hidden(bare, "he called me a faggot and I reported it")


@pytest.mark.parametrize(
    "text",
    ["You'll kill yourself laughing at this video", "you will kill yourself trying to park there on a Saturday"],
)
def test_an_idiom_cue_drops_the_finding_instead_of_queueing_it(policy: Policy, text: str) -> None:
    v = policy.check(text)
    assert not [f for f in v.findings if f.rule_id == "harass.self_harm"], v.findings
    assert not hidden(policy, text)


def test_a_dismissing_cue_whose_example_still_finds_is_reported(policy_copy: Path) -> None:
    old = 'guarded = ["You\'ll kill yourself laughing at this video of the opening"'
    problems = guard_problems(policy_copy, old, 'guarded = ["just kill yourself"')
    assert any("idiom still gives a finding" in m for m in problems)
