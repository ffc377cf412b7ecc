"""OrderMatcher: evasion-tolerant, fuzzy, active-only, and cheap enough for the retroactive sweep."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.domain import Action, Route
from moderation.rules.orders import OrderMatcher

from .support import DEMO_ORDER, DURING


@pytest.mark.parametrize(
    "text",
    [
        "Jordan Mills did it",
        "JORDAN MILLS. There, I said it.",
        "It's J0rdan M1lls from Wattle Street",
        "Jordan Mils did it",
        "Jordon Mills again",
        "J-Mills is the one they're protecting",
        "#JordanMills",
        "j.o.r.d.a.n m.i.l.l.s",
        "Jоrdаn Mіlls",  # Cyrillic о, а, і
        "Jordan\u200b Mills",
    ],
)
def test_matches(text: str) -> None:
    m = OrderMatcher([DEMO_ORDER], DURING)
    found = m.findings(text)
    assert found, text
    f = found[0]
    assert f.action is Action.ESCALATE and f.route is Route.LEGAL and f.clause == "7"
    assert text[f.start : f.end] == f.match and f.match


@pytest.mark.parametrize(
    "text", ["Jordan Miller won the tipping", "the Mills family farm", "Michael Jordan", "J.M. is a minor", "jordan"]
)
def test_does_not_match(text: str) -> None:
    assert OrderMatcher([DEMO_ORDER], DURING).findings(text) == []


def test_inactive_orders_are_ignored() -> None:
    assert not OrderMatcher([DEMO_ORDER], datetime(2025, 6, 1)).findings("Jordan Mills")
    assert not OrderMatcher([DEMO_ORDER], datetime(2027, 12, 31)).findings("Jordan Mills")
    assert not OrderMatcher([replace(DEMO_ORDER, revoked=True)], DURING).findings("Jordan Mills")
    assert not OrderMatcher([], DURING)
    open_ended = replace(DEMO_ORDER, until=None)
    assert OrderMatcher([open_ended], datetime(2040, 1, 1)).findings("Jordan Mills")


def test_retroactive_sweep_speed() -> None:
    """1,000,000 comments must take <= 20 s; 50,000 mixed comments here must take well under 1 s."""
    m = OrderMatcher([DEMO_ORDER], DURING)
    texts = [
        "The clinic in Bellmore opens at nine on weekdays.",
        "Why are the grants so slow? This is a joke, Minister.",
        "Jordan from the footy club says the oval is flooded.",
        "My mum works at the mill on Kinsale Road.",
        "Ѕtrange unicode text with café and naïve words",
    ] * 10_000
    start = time.perf_counter()
    hits = sum(1 for t in texts if m.findings(t))
    elapsed = time.perf_counter() - start
    assert hits == 0
    assert elapsed < 1.0 * 2, f"{elapsed:.2f}s for 50,000 comments (budget 1.0 s; x2 for a loaded machine)"


# Names made only of short tokens, or of letters repeated until the skeleton leaves one or two ("Gggg Gjjj" reads
# as "g gj"), have no three-letter prefix to anchor on: each token must then be anchored whole.
_NAME_WORD = st.text(alphabet="abgjkqwxyzĝ", min_size=1, max_size=9).map(str.capitalize)


@settings(max_examples=300, deadline=None)
@given(first=_NAME_WORD, last=_NAME_WORD, before=st.sampled_from(["", "everyone knows what ", "re: "]))
def test_any_protected_name_is_found_where_it_is_written(first: str, last: str, before: str) -> None:
    name = f"{first} {last}"
    m = OrderMatcher([replace(DEMO_ORDER, terms=(name,))], DURING)
    assert m.findings(f"{before}{name} did it"), name


@pytest.mark.parametrize("name", ["Li Wu", "Bo Xi", "Gggg Gjjj"])
def test_short_names_match_only_where_they_are_written(name: str) -> None:
    m = OrderMatcher([replace(DEMO_ORDER, terms=(name,))], DURING)
    assert m.findings(f"everyone knows what {name} did")
    assert not m.findings("the library was busy, we went for a walk with the kids to the gym")
