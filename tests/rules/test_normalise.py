"""The normaliser folds evasions and always maps spans back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules.normalise import normalise


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＦＵＣＫ", "fuck"),  # fullwidth (NFKC)
        ("fцck", "fuck"),  # Cyrillic tse
        ("сunt", "cunt"),  # Cyrillic es
        ("ѕhіt", "shit"),  # Cyrillic dze and i
        ("fυck", "fuck"),  # Greek upsilon
        ("f\u200bu\u200cc\u200dk", "fuck"),  # zero-width characters
        ("\u202efuck\u202c", "fuck"),  # bidi override
        ("fück", "fuck"),  # combining diaeresis dropped
        ("ᶠᵘᶜᵏ", "fuck"),  # modifier letters (NFKC)
        ("I’ll", "i'll"),  # typographic apostrophe
    ],
)
def test_folded_view(text: str, folded: str) -> None:
    assert normalise(text).text == folded


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [
        ("f.u.c.k", "fuck"),
        ("f u c k you", "fuck you"),
        ("f-u-c-k-e-d", "fucked"),
        ("fuuuuuuck", "fuck"),
        ("sh1t", "shit"),
        ("$hit", "shit"),
        ("b!tch", "bitch"),
        ("wank3rs", "wankers"),
        ("hello   world", "hello world"),
        ("a f.u.c.k.i.n.g idiot", "a fucking idiot"),
        ("someone m.u.r.d.e.rs him", "someone murders him"),  # letters apart, then the ending together
        ("someone s t a bs him", "someone stabs him"),
        ("k-i-l-ling", "killing"),
        ("ki11 him", "kill him"),  # "11" ending a word is "ll"
        ("a11 of them", "all of them"),
    ],
)
def test_skeleton(text: str, skeleton: str) -> None:
    assert normalise(text).evasion.text == skeleton


@pytest.mark.parametrize(
    "text", ["0412 345 678", "call me at 10am", "it cost $5", "plain words here", "e.g. this", "room 1100, born 1911"]
)
def test_skeleton_leaves_numbers_and_plain_text_alone(text: str) -> None:
    n = normalise(text)
    assert n.evasion.text.replace("  ", " ") in (n.text, n.text.replace(".", "")) or n.evasion.text == n.text


def test_spans_highlight_the_original_words() -> None:
    text = "Go fуck yourselves, аrseholes"  # Cyrillic у and а
    n = normalise(text)
    start = n.text.index("fuck")
    s, e = n.span(start, start + 4)
    assert text[s:e] == "fуck"
    ev = normalise("total f.u.c.k.i.n.g mess").evasion
    i = ev.text.index("fucking")
    s, e = ev.span(i, i + len("fucking"))
    assert "total f.u.c.k.i.n.g mess"[s:e] == "f.u.c.k.i.n.g"


def test_ascii_fast_path_is_identity() -> None:
    n = normalise("Plain ASCII Text")
    assert n.starts is None and n.text == "plain ascii text"
    assert n.span(6, 11) == (6, 11)


hostile = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("\u200b\u200d\u202e\u2066\ufeff\u0301\u0308аеорсуxѕіΑΟΡ.-_*$@!10 \t\n")),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_offset_map_properties(text: str) -> None:
    n = normalise(text)
    for view in (n, n.evasion):
        size = len(view.text)
        if view.starts is not None:
            assert len(view.starts) == size == len(view.ends or [])
            assert all(0 <= a < b <= len(text) for a, b in zip(view.starts, view.ends or [], strict=True))
            assert view.starts == sorted(view.starts)
        for i in range(size):
            s, e = view.span(i, i + 1)
            assert 0 <= s < e <= len(text)
        if size:
            s, e = view.span(0, size)
            assert 0 <= s <= e <= len(text)
