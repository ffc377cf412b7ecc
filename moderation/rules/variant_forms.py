"""More evasive spellings of the policy's words, for ``variants._build``: the forms the skeleton reads in a way
that does not give back the listed word, and the forms of short words that only their phrase makes clear.

* **"1" for "l"**: the skeleton reads a digit one, "|" or "!" between letters as "i" ("mus1ims" becomes "musiims"),
  so each "l" of a word of four letters or more may stand as "i" in the key ("musiims" is "muslims");
* **two digits or symbols at the end of a word** ("refug33", "hat3r5"): the skeleton reads leetspeak only when a
  letter follows, so the last two letters are keys of their own, as the last one is (``variants.edge_leet``);
* **a dot or a hyphen inside a word** ("sl.ut", "mus-lims"), as a space is, and a split four-letter word
  ("sl ut", "cu nt"), both halves two letters;
* **"z" for "s"** ("jewz", "parasitez", "despize"): one "s" of a word of four letters or more written "z", as it is
  said;
* **a letter dropped in a four-letter word of a listed phrase** ("kil yourself", "go fck yourself"): the word
  alone is too short to say what it stands for ("kil", "fck"), the phrase is not; the key is the whole phrase.

Every key goes through the same refusals as the others (an English word, an allowed word, a listed word).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

SPLIT_MARKS = (" ", ".", "-")
PHRASE_WORDS_MAX = 3  # phrases of this many words or fewer take a dropped letter in a four-letter word
SHORT = 4


def i_for_l(word: str) -> Iterator[str]:
    """``word`` with one "l" after its first letter written "i", and with every such "l" so written."""
    at = [i for i in range(1, len(word)) if word[i] == "l"]
    for i in at:
        yield word[:i] + "i" + word[i + 1 :]
    if len(at) > 1:
        yield "".join("i" if i in at else c for i, c in enumerate(word))


def z_for_s(word: str) -> Iterator[str]:
    """``word`` with one of its "s" written "z" ("jewz", "despize")."""
    if len(word) < SHORT:
        return
    for i, c in enumerate(word):
        if c == "s":
            yield word[:i] + "z" + word[i + 1 :]


def tail_leet(word: str, symbols: dict[str, list[str]]) -> Iterator[str]:
    """``word`` with digits or symbols for both of its last two letters ("refug33", "vermi|\\|" is not one)."""
    if len(word) < SHORT + 1:
        return
    for a in symbols.get(word[-2], []):
        for b in symbols.get(word[-1], []):
            if a not in "@$" and b not in "@$":
                yield word[:-2] + a + b


def splits(word: str) -> Iterator[tuple[int, str]]:
    """(where, ``word`` split there by a space, a dot or a hyphen), both halves two letters or more."""
    for i in range(2, len(word) - 1):
        for mark in SPLIT_MARKS:
            yield i, f"{word[:i]}{mark}{word[i:]}"


def split_keys(word: str, zipf: Callable[[str], float], common: float, two_letter: float) -> Iterator[str]:
    """The splits of ``word`` that are read as it: not a space between two common words ("wet back"), nor, in a
    four-letter word, a space beside a very common two-letter word ("he ll"); "sl ut", "ki ll", "fag.got" are."""
    for i, v in splits(word):
        a, b = zipf(word[:i]), zipf(word[i:])
        if v[i] != " " or ((max(a, b) < two_letter) if len(word) == SHORT else min(a, b) < common):
            yield v


def phrase_keys(
    phrases: Iterable[str], allowed: frozenset[str], zipf: Callable[[str], float], common: float
) -> Iterator[tuple[str, str]]:
    """(key, phrase) for each listed phrase less a letter of a four-letter word (``phrase_drops``), unless the
    short word is a common one ("hag", "cut") or the key is listed or allowed itself."""
    listed = set(phrases)
    for phrase in sorted(listed):
        for key, short in phrase_drops(phrase):
            if key not in listed and key not in allowed and zipf(short) < common:
                yield key, phrase


def phrase_drops(phrase: str) -> Iterator[tuple[str, str]]:
    """(key, the dropped word's spelling) for ``phrase`` with one letter after the first dropped from one of its
    four-letter words ("kil yourself", "go fck yourself")."""
    parts = phrase.split(" ")
    if not 2 <= len(parts) <= PHRASE_WORDS_MAX:
        return
    for n, part in enumerate(parts):
        if len(part) != SHORT or not part.isalpha():
            continue
        for i in range(1, SHORT):
            short = part[:i] + part[i + 1 :]
            yield " ".join([*parts[:n], short, *parts[n + 1 :]]), short
