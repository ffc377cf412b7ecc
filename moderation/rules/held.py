"""Held letters read as two: "refugeeees" is "refugees", not the skeleton's "refuges".

The skeleton reads every held letter as one, which is right for "muuuslims" and "kiiill"; a listed word with a
double letter comes out as another word there ("refuges", "niger"), and English words are never taken for
listed ones. This module reads a held letter as two, towards the listed words of five letters or more, and
says which words with a held letter are ordinary English ("bannner", "asssess"), so that no evasive spelling is
read inside them.
"""

from __future__ import annotations

import bisect
import itertools
import re

from .normalise import Normalised

HELD_MIN = 5  # a held letter is read as two only towards listed words this long ("pooof" is not "poof")
HELD_RUNS = 3  # ... in a word with at most this many held letters
# A word of letters with a letter written three times or more ("refugeeees"), and the held runs in it.
_HELD_WORD = re.compile(r"(?<![\w@#])[^\W\d_]*([^\W\d_])\1\1[^\W\d_]*(?![\w@])")
_RUN = re.compile(r"([^\W\d_])\1\1+")
_DOUBLE = re.compile(r"([a-z])\1")


class HeldLetters:
    """The listed words a held letter read as two may spell, and the common words it may spell instead."""

    def __init__(self, held: frozenset[tuple[str, bool]], glue_common: frozenset[str]) -> None:
        """``held``: (word, any ending allowed) pairs of the vocabulary; ``glue_common``: common English words."""
        self.glue_common = glue_common
        # The listed words, and those a held letter read as two may spell: five letters or more, with a double
        # letter (with "any ending allowed" kept apart).
        self.all_words = frozenset(w for w, _ in held)
        doubled = [(w, prefix) for w, prefix in held if len(w) >= HELD_MIN and _DOUBLE.search(w)]
        self.held_words = frozenset(w for w, prefix in doubled if not prefix)
        self.held_prefixes = frozenset(w for w, prefix in doubled if prefix)

    def readings(self, text: str) -> list[tuple[int, int, str]]:
        """Words of ``text`` with a held letter that spell a listed word when a held letter is read as two
        ("refugeeees" -> "refugees", "fagggots" -> "faggots"), as (start, end, listed word) in ``text``'s offsets.

        The skeleton reads every held letter as one, which is right for "muuuslims" and "kiiill"; a word whose
        listed spelling has a double letter comes out as another word there ("refuges", "niger"). A word whose
        held letters read as one already spell a listed word is the skeleton's, and is left alone.

        The word is "" when a held letter read as two spells a common English word that is not listed
        ("bannner", "asssess", "coooks"): that word is what was written, and no evasive spelling is read inside it
        (the skeleton's "baner", "asess" and "coks" are one edit from listed words)."""
        out: list[tuple[int, int, str]] = []
        if not self.all_words:
            return out
        for m in _HELD_WORD.finditer(text):
            word = self._word(m.group())
            if word is not None:
                out.append((m.start(), m.end(), word))
        return out

    def _word(self, token: str) -> str | None:
        runs = [(m.start(), m.end()) for m in _RUN.finditer(token)]
        if len(runs) > HELD_RUNS:
            return None
        if _squeeze(token, runs, [1] * len(runs)) in self.all_words:
            return None
        plain = False
        # Fewest letters read as two first: "refugeeees" is "refugees", not "reefugees".
        for widths in sorted(itertools.product((1, 2), repeat=len(runs)), key=sum):
            if 2 not in widths:
                continue
            spelled = _squeeze(token, runs, list(widths))
            if spelled in self.held_words:
                return spelled
            if any(spelled[:k] in self.held_prefixes for k in range(HELD_MIN, len(spelled) + 1)):
                return spelled
            plain = plain or (len(spelled) >= HELD_MIN and spelled in self.glue_common)
        return "" if plain else None


def _squeeze(token: str, runs: list[tuple[int, int]], widths: list[int]) -> str:
    """``token`` with each held run written ``widths[i]`` times."""
    parts = []
    pos = 0
    for (s, e), width in zip(runs, widths, strict=True):
        parts.append(token[pos:s] + token[s] * width)
        pos = e
    parts.append(token[pos:])
    return "".join(parts)


def held_edits(
    n: Normalised, base: Normalised, held: HeldLetters
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """``held.readings`` of the folded text ``n`` in ``base``'s offsets (the skeleton, or ``n`` itself): the
    edits for the canonical view, (start, end, listed word), and the spans of ordinary words written with a held
    letter, where no evasive spelling is read."""
    edits: list[tuple[int, int, str]] = []
    plain: list[tuple[int, int]] = []
    for s, e, word in held.readings(n.text):
        a, b = n.span(s, e)
        if base.starts is None or base.ends is None:
            i, j = a, b
        else:
            i = bisect.bisect_left(base.starts, a)
            j = bisect.bisect_right(base.ends, b)
            if not (i < j and base.starts[i] == a and base.ends[j - 1] == b):
                continue
        if word:
            edits.append((i, j, word))
        else:
            plain.append((i, j))
    return edits, plain


def outside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Does ``[start, end)`` overlap none of ``spans``?"""
    return not any(start < e and end > s for s, e in spans)
