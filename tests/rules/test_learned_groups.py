"""The learned model does not read the words that name protected groups: naming a group never raises its score,
so neutral and positive mentions of any group are not flagged by it (a model trained on abusive posts otherwise
learns that "Jews" or "Muslims" are abusive words in themselves)."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules.learned import LearnedModel
from moderation.rules.normalise import normalise

from .support import POLICIES, REPO

MODEL = LearnedModel.load()
GROUP_WORDS = sorted(MODEL.masked)


def _trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("train_learned", REPO / "scripts" / "train_learned.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(text: str) -> float:
    return MODEL.probabilities([normalise(text).text])[0]


def test_the_model_file_lists_the_group_words_of_the_register() -> None:
    words = _trainer().group_words(POLICIES)
    assert {"jews", "jew", "muslims", "muslim", "aboriginal", "refugees", "trans", "women", "gay"} <= words
    assert not {"people", "kids", "community", "the", "with", "non", "first"} & words
    # names of more than one word are masked as phrases: "non" and "first" alone are ordinary words
    assert {"non binary", "first nations", "torres strait islander", "people with disability"} <= words
    assert MODEL.masked == words  # retrain (make model) after editing the group register


ORDINARY = ["you", "are", "the", "pool", "a", "disgrace", "welcome", "here", "hate", "all", "vermin", "minister",
            "funding", "our", "neighbours", "scum"]  # fmt: skip
PLAIN = st.lists(st.sampled_from(ORDINARY), max_size=10)


@settings(max_examples=200, deadline=None)
@given(PLAIN, st.sampled_from(GROUP_WORDS), st.integers(min_value=0, max_value=10))
def test_naming_a_group_anywhere_never_changes_the_score(words: list[str], group: str, at: int) -> None:
    with_group = [*words[:at], group, *words[at:]]
    assert abs(score(" ".join(with_group)) - score(" ".join(words))) < 1e-9


NEUTRAL = [
    "{g} are welcome here",
    "My neighbours are {g} and they are lovely",
    "The survey asked {g} what they need",
    "Funding cuts hurt {g} the most",
    "I'm one of many {g} who rely on this service",
    "Happy holidays to all {g}",
]
GROUPS = ["Jews", "Muslims", "Aboriginal people", "refugees", "trans women", "gay men", "Sudanese Australians",
          "people with disability", "Chinese Australians", "women", "Sikhs", "asylum seekers", "non-binary people",
          "First Nations people", "Torres Strait Islander people"]  # fmt: skip


def test_a_name_of_several_words_is_masked_only_as_a_whole() -> None:
    """ "non" and "first" are read as words; "non binary" and "first nations" are names, not read."""
    assert score("Non-binary people built this town") == score("people built this town")
    assert score("First Nations people built this town") == score("people built this town")
    assert score("first in line") != score("in line")
    assert score("a non event") != score("a event")


def test_neutral_mentions_of_groups_are_below_the_threshold() -> None:
    scores = {(t, g): score(t.format(g=g)) for t in NEUTRAL for g in GROUPS}
    assert max(scores.values()) < MODEL.threshold, max(scores.items(), key=lambda kv: kv[1])
