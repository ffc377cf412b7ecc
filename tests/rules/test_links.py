"""The link finder reads bare domains back from their ending; it must find exactly what one plain regular
expression over the whole text finds (the straightforward but slower way), on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.rules.detectors.spam import TLDS, find_links

REFERENCE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']{1,2000}"
    r"|(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}(?:" + TLDS + r")\b(?:/[^\s<>\"']{0,2000})?"
)


def reference(t: str) -> list[tuple[int, int]]:
    return [m.span() for m in REFERENCE.finditer(t)]


PIECES = st.sampled_from(
    ["http://", "https://", "www.", ".com", ".co", ".au", ".gov", "bit.ly", "/x", "t.co/abc", "a", "z9", "-", ".",
     "@", "_", " ", "é", "\n", "\"", "ok", "foo", "..", "example.com.au"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_same_links_as_the_plain_regex(text: str) -> None:
    assert find_links(text) == reference(text)


def test_examples() -> None:
    t = "see http://t.co/abc and bit.ly/x9, mail@foo.com or www.vic.gov.au/page."
    assert find_links(t) == reference(t)
    assert [t[s:e] for s, e in find_links(t)] == ["http://t.co/abc", "bit.ly/x9,", "www.vic.gov.au/page."]
    t = "bit.lywww.example.com.auhttp://http://"  # a link found inside a longer one that starts earlier
    assert find_links(t) == reference(t) == [(0, 21), (24, 38)]
