"""The two ways of building the skeleton agree: the pipeline builds it only where its automaton saw evasion
triggers (``skeleton_from_triggers``), ``full_skeleton`` reads the whole text. For words written apart by single
spaces (where the triggers' description of leetspeak, spaced letters, held letters and "()" is complete), both
must give the same text and the same map back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules import Policy
from moderation.rules.normalise import normalise
from moderation.rules.skeleton import full_skeleton

WORDS = ["the", "pool", "is", "shut", "kill", "you", "minister", "thanks", "k1ll", "sh1t", "b00ng", "ki11", "f.u.c.k",
         "m.u.r.d.e.r", "shiiiit", "kiiiill", "J()hn", "$hit", "h@te", "3very", "a", "I", "12", "2026", "k-i-l-l",
         "k i l l", "5h1t", "c0ck", "n1gg3r", "@$$", "s.h.i.t.s", "sooo", "!!!", "w00t", "1337"]  # fmt: skip
TEXTS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=1000, deadline=None)
@given(TEXTS)
def test_the_skeleton_from_triggers_is_the_full_skeleton(policy: Policy, text: str) -> None:
    n = normalise(text)
    policy.evaluate_many([])  # nothing: the policy is loaded
    policy._read(n)
    from_triggers = n.evasion
    full = full_skeleton(normalise(text))
    assert from_triggers.text == full.text, (text, from_triggers.text, full.text)
    # Readers outside the pipeline (orders, protected names) build it only when the text looks evasive.
    assert normalise(text).evasion.text == full.text, text
    spans = [from_triggers.span(i, i + 1) for i in range(len(from_triggers.text))]
    assert spans == [full.span(i, i + 1) for i in range(len(full.text))], text
