"""``word_graph``: the compact form of a list's alternation reads exactly what the flat one reads."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules.detectors.lexicon import alternation, word_graph
from moderation.rules.word_lists import expand

WORDS = ["a", "the", "kill", "kills", "kil", "bring", "bringing", "gun", "to", "work", "off", "office", "[target]"]
SLOTS = {"target": r"(?:[\w'+\-]+(?:\s+[\w'+\-]+){0,3}?)"}

terms = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=12)
texts = st.lists(st.sampled_from([w for w in WORDS if w != "[target]"] + ["kiiill", "him", "x"]), max_size=8).map(
    " ".join
)


@settings(max_examples=300, deadline=None)
@given(terms, texts, st.booleans())
def test_reads_the_same_texts_as_the_flat_alternation(ts: list[str], text: str, stretch: bool) -> None:
    flat = re.compile(alternation(ts, SLOTS, stretch))
    graph = re.compile(word_graph(ts, SLOTS, stretch))
    assert (flat.fullmatch(text) is None) == (graph.fullmatch(text) is None), (ts, text)


@settings(max_examples=300, deadline=None)
@given(terms, texts)
def test_the_longest_term_wins_as_in_the_flat_alternation(ts: list[str], text: str) -> None:
    """Without placeholders, a match at the start of a text ends where the flat alternation's does."""
    ts = [t for t in ts if "[" not in t] or ["gun"]
    flat = re.compile(alternation(ts, stretch=True) + r"\b")
    graph = re.compile(word_graph(ts, stretch=True) + r"\b")
    a, b = flat.match(text), graph.match(text)
    assert (a and a.end()) == (b and b.end()), (ts, text)


def test_an_entry_with_many_choices_stays_small() -> None:
    entry = (
        "{bring|bringing|take|taking} {a|my|the|} {gun|rifle|knife|machete|bomb|axe|can of petrol} {to|into} "
        "{the office|work|school|parliament|the meeting|the town hall|the forum|centrelink|the centrelink office}"
    )
    ts = expand(entry)
    assert len(ts) > 2000
    graph = re.compile(word_graph(ts, stretch=True) + r"\b")
    assert len(word_graph(ts, stretch=True)) < len(alternation(ts, stretch=True)) / 50
    assert graph.match("taking my can of petrol into the centrelink office now").group().endswith("office")
    assert graph.match("bring gun to work") and not graph.match("bring a gun to the pub")
