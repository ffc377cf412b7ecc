"""Evasive spellings the skeleton reads in a way that does not give back the listed word ("mus1ims" is "musiims",
"refug33" keeps its digits), a listed word split by a dot or a hyphen or a four-letter one by a space ("sl.ut",
"ki ll"), a four-letter word of a listed phrase less a letter ("kil yourself", "go fck yourself"), the hate
detector's own words misspelt or run together ("vermn", "muslimsarevermin"); and the lawful forms beside them:
counter-speech, a claim called propaganda, swearing not aimed at anyone, ordinary words with a typo."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules import Policy
from moderation.rules.variant_forms import i_for_l, phrase_drops, splits, tail_leet

from .support import hidden, queued_with_reason, rule_findings

NEGATED = "negated or condemned"
UNDIRECTED = "swearing not aimed at anyone"
TOWEL = "a towel on a head"


HIDDEN = [
    "mus1ims are verm1n",
    "Muslims are vermn",
    "immigrants are parasties",
    "muslimsarevermin",
    "allrefugeesarerats",
    "you sl.ut",
    "you sl ut",
    "you cu nt",
    "go fu ck yourself",
    "ill ki ll you",
    "go kil yourself",
    "kil yourself",
    "go fck yourself",
    "you towel head",
    "get off my feed you towel head",
    "I'll k1ll you",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_evasive_forms_are_hidden(policy: Policy, text: str) -> None:
    assert hidden(policy, text), text


FLAGGED = [
    "send every refug33 back where they came from",  # hostility to a group: queued, as "refugees" is
    "you abbo",
    "muzlims are vermin",  # a sneering spelling of the group: hate.slur_lesser queues it
]


@pytest.mark.parametrize("text", FLAGGED)
def test_evasive_forms_are_found(policy: Policy, text: str) -> None:
    assert rule_findings(policy, text), text


GUARDED = [
    ("The idea that Jews are rats is Nazi propaganda", NEGATED),
    ("the notion that refugees are parasites is a racist lie", NEGATED),
    ("Saying mus1ims are verm1n is vile", NEGATED),
    ("we had to fck off early to pick up the kids", UNDIRECTED),
    ("omg people seen me in my towel head after the shower", TOWEL),
]


@pytest.mark.parametrize(("text", "reason"), GUARDED)
def test_lawful_forms_are_queued_with_the_guards_reason(policy: Policy, text: str, reason: str) -> None:
    assert queued_with_reason(policy, text, reason), text


NOT_FLAGGED = [
    "He'll be right mate",
    "he ll be right",
    "the mus ic at the festival was great",
    "ki ds love the new park",
    "The kilometres to the nearest centrelink are ridiculous",
    "Ill help you fill in the form",
    "i lov the new playground",
    "Parasailing at the lake was fun",
    "the co-op on Main St is open",
    "e.g. the Cu nningham st office",
    "The minister should be ashamed of this",
]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_ordinary_words_are_not_read_as_listed_ones(policy: Policy, text: str) -> None:
    assert not rule_findings(policy, text), text


def test_the_forms_are_built_as_documented() -> None:
    assert "musiims" in set(i_for_l("muslims"))
    assert "refug33" in set(tail_leet("refugee", {"e": ["3"]}))
    assert (2, "sl.ut") in set(splits("slut"))
    assert ("kil yourself", "kil") in set(phrase_drops("kill yourself"))
    assert not list(phrase_drops("you are a worthless piece of rubbish"))  # too long a phrase


SLURS = ["faggot", "towelhead", "poofter", "wetback", "zipperhead", "golliwog"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SLURS), st.integers(min_value=2, max_value=5), st.sampled_from([".", "-"]))
def test_a_slur_split_anywhere_is_hidden_as_the_slur(policy: Policy, word: str, at: int, mark: str) -> None:
    """A slur aimed at the reader split by a dot or a hyphen is hidden as the slur written whole is (by a space,
    only where the halves are not both English words: "fag got" is not read)."""
    text = f"you {word[:at]}{mark}{word[at:]}"
    assert hidden(policy, f"you {word}")
    assert hidden(policy, text), text


CLAIMS = ["Jews are rats", "refugees are vermin", "Muslims are parasites", "migrants are cockroaches"]
FRAMES = ["The idea that {} is Nazi propaganda", "The lie that {} is a racist trope", "the claim that {} is a myth"]


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(CLAIMS), st.sampled_from(FRAMES))
def test_a_claim_called_propaganda_is_never_hidden(policy: Policy, claim: str, frame: str) -> None:
    assert hidden(policy, claim)
    assert not hidden(policy, frame.format(claim))
