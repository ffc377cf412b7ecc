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
        # a letter doubled among the first three, which the anchors did not read
        "J00rdan Mills",
        "Joordan Mills is the boy",
        "Jjordan Mills",
        "Jordan Miills",
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


# The sweep's prefilter (``text_hits``) may only skip texts in which the matcher's own steps (``hits``) find nothing:
# names written with leetspeak, separators, stretched letters, lookalikes and invisible characters, among other text.
_LEET = str.maketrans({"o": "0", "i": "1", "l": "£", "s": "$", "a": "4", "g": "9", "e": "3"})
_LOOKALIKE = str.maketrans({"o": "о", "a": "а", "i": "і", "s": "ѕ", "e": "е"})  # Cyrillic


@st.composite
def _spelt(draw: st.DrawFn, name: str) -> str:
    """``name`` written as an evader would: each word plain, shouted, in leetspeak or lookalikes, its letters
    spaced or dotted, one letter stretched, or an invisible character inside."""
    words = []
    for word in name.replace("-", " ").split():
        style = draw(st.sampled_from(["plain", "upper", "leet", "lookalike", "chain", "stretch", "invisible"]))
        low = word.lower()
        if style == "chain":
            word = draw(st.sampled_from([". ", ".", "-", "_", " ", "*", "~"])).join(low)
        elif style in ("stretch", "leet"):
            k = draw(st.integers(0, len(low) - 1))
            letter = low[k].translate(_LEET) if style == "leet" else low[k] * draw(st.integers(3, 5))
            word = low[:k] + letter + low[k + 1 :]
        elif style == "invisible":
            k = draw(st.integers(1, len(low)))
            word = low[:k] + "\u200b" + low[k:]
        else:
            word = word.upper() if style == "upper" else low.translate(_LOOKALIKE) if style == "lookalike" else word
        words.append(word)
    return draw(st.sampled_from([" ", "-", "", "  ", "_"])).join(words)


_AROUND = st.lists(
    st.sampled_from(["the ", "jor", "mil", "family", "major", "g", "wu", "li", ".", "'", "\n", "#", "$", "ĝ", "ß", " "])
    | st.text(max_size=3),
    max_size=6,
).map("".join)


_DEMO_TERMS = ("Jordan Mills", "J-Mills")


@settings(max_examples=500, deadline=None)
@given(
    data=st.data(),
    case=st.sampled_from(
        [*((_DEMO_TERMS, w) for w in ("Jordan Mills", "J-Mills", "jmills", "Mills", "Jordan", "Jjordan Miills"))]
        + [(("Li Wu",), "Li Wu"), (("Gggg Gjjj",), "Gggg Gjjj"), (("Sally Agent",), "Sally Agent")]
    ),
)
def test_the_sweep_prefilter_skips_only_texts_without_a_match(
    data: st.DataObject, case: tuple[tuple[str, ...], str]
) -> None:
    from moderation.rules.normalise import normalise

    terms, written = case
    text = data.draw(_AROUND) + data.draw(_spelt(written)) + data.draw(_AROUND)
    m = OrderMatcher([replace(DEMO_ORDER, terms=terms)], DURING)
    assert m.text_hits(text) == m.hits(normalise(text))


@pytest.mark.parametrize(
    "text",
    [
        "J-Miiills",
        "Jooordan Miiills",
        "J_o_r_d_a_n M_i_l_l_s",
        "It's J0rdan M1lls",
        "J-M!lls",
        "jordan\u200bmills",
        "J()rdan Mills",
    ],  # fmt: skip
)
def test_the_sweep_prefilter_lets_evasive_names_through(text: str) -> None:
    from moderation.rules.normalise import normalise

    m = OrderMatcher([DEMO_ORDER], DURING)
    assert m.text_hits(text) == m.hits(normalise(text)) != []


@pytest.mark.parametrize("text", ["the minister joked", "Mind the jobs in mining", "JO MI", "j.o m.i"])
def test_the_sweep_prefilter_stops_texts_with_only_two_letters_of_a_token(text: str) -> None:
    # A doubled letter is anchored by four letters ("jjor", "joor"), not three ("jjo"): read with runs of a
    # letter as one, "jjo" is "jo", and the prefilter would let every "minister" and "job" through.
    m = OrderMatcher([DEMO_ORDER], DURING)
    assert not m._may_name(text.lower())


@pytest.mark.parametrize("text", ["R()b M()bbs", "it was r()b m()bbs again", "R()B M()BBS!"])
def test_the_sweep_reads_brackets_written_for_o_in_a_name(text: str) -> None:
    # Every "o" of the name written "()": the sweep must find it as the pipeline's own check does.
    from moderation.rules.normalise import normalise

    m = OrderMatcher([replace(DEMO_ORDER, terms=("Rob Mobbs",))], DURING)
    assert m.text_hits(text) == m.hits(normalise(text)) != []


PIECES = ["Jordan", "Mills", "J-Mills", "j0rdan m1lls", "jor", "dan mills", "JORD", "AN", "()", "J()rdan Mills",
          "Jördan Mills", "mills", "the", "pool", " ", "\n", ".", "-", "Jordan Miller", "x" * 10_001]  # fmt: skip
TEXTS = st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), max_size=12)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_batch_finds_exactly_the_texts_that_one_at_a_time_finds(texts: list[str]) -> None:
    """The sweep reads a batch through one prefilter pass over the texts joined; a name split across two texts
    ("...jor" + "dan mills...") must neither hide a match nor invent one."""
    m = OrderMatcher([DEMO_ORDER], DURING)
    assert m.texts_with_hits(texts) == [i for i, t in enumerate(texts) if m.text_hits(t)]
