"""Evasive spellings of the policy's own words, worked out once when the policy loads.

The skeleton view (``normalise``) undoes evasions that can be undone character by character: lookalike letters,
leetspeak inside a word, letters split by dots or spaces, stretched letters. What it cannot undo needs to know
the words the policy listens for, so it lives here, built from the policy's *vocabulary* (every word of every
word list, every word a regular expression or a detector names):

* **one edit** on a word of five letters or more: a letter dropped, two neighbours swapped, a letter doubled
  ("fagot" is a real word and is never taken; "fagott", "faggto", "mulsims" are);
* **"z" for an "s"** ("jewz", "despize"), said the same;
* **a digit or symbol for the first or last letter** ("4sshole", "bitc#"), which the skeleton leaves alone because
  it only reads leetspeak between letters;
* **a vowel masked with "*"** in a detector's word ("k*ll", "m*rder", "v*rmin"; word lists mask their own words);
* **one space inside a word** ("fag got", "mus lims"), unless both halves are common words ("wet back");
* **words run together** ("faggotall", "allmuslims", "muslimsare"): a listed word glued to a very common word or to
  another listed word, inside a token that is not itself an English word ("transport", "cocktail", "penistone"
  are words, so they are never split);
* **a held letter in a word with a double letter** ("refugeeees", "niggggger"): the skeleton squeezes a held letter
  to one, which gives "refuges" and "niger", English words never taken for the listed ones; a held letter read as
  two gives the listed word itself (``held.HeldLetters``, words of five letters or more).

A spelling that is itself an English word (by the wordfreq corpus, the ``COMMON_ZIPF`` threshold) is never taken
for a listed word, and neither is a word of the allowed list (place names). The first three kinds become extra keys
of the pipeline's one Aho-Corasick automaton, so a comment without them costs nothing; run-together tokens are
found from the automaton's hits inside longer tokens. When a comment has any, the pipeline builds the
*canonical* view (``build_canonical``): the skeleton with each evasive spelling replaced by the listed word and
glued words pulled apart, spans still mapping to the original, and every rule and detector reads it too.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

from .held import HeldLetters
from .normalise import LEET, Normalised
from .variant_forms import i_for_l, phrase_keys, split_keys, tail_leet, z_for_s

EDIT_MIN = 5  # one-edit spellings only for words this long: shorter ones collide with ordinary words
DOUBLE_MIN = 4  # ... but a word this long may still have one letter doubled
GLUE_MIN = 4  # a listed word this long can be found glued to another word
COMMON_ZIPF = 1.5  # an English word at least this frequent (Zipf scale) is never read as an evasive spelling
GLUE_ZIPF = 3.5  # a word glued to a listed word must be this common ("all", "are", "the", "should", "filthy")
TWO_LETTER_ZIPF = 5.5  # ... and a two-letter one this common ("up", "go", "to"; not "er")
SPLIT_ZIPF = 3.0  # "wet back": a split whose halves are both this common is ordinary English
GLUE_SHORT_ZIPF = 4.5  # a four-letter word this common is not looked for inside run-together tokens

_LETTERS = re.compile(r"^[a-z]+$")
# Symbols standing for a letter at the edge of a word ("@" never opens one: that is an @handle).
_EDGE_LEET: dict[str, list[str]] = {}
for _sym, _letter in LEET.items():
    _EDGE_LEET.setdefault(_letter, []).append(_sym)


@functools.cache
def english() -> dict[str, float]:
    """English word frequencies (wordfreq's large list), read once per process."""
    import wordfreq  # imported here: loading its data is only needed when a policy is compiled

    return wordfreq.get_frequency_dict("en", wordlist="large")


def release_word_lists() -> None:
    """Let go of the English word list read while compiling a policy (about 27 MiB: our copy and wordfreq's own
    caches). For long-running processes that compile once; a later compile reads the list again (~0.3 s)."""
    english.cache_clear()
    _common_sorted.cache_clear()
    import sys

    wordfreq = sys.modules.get("wordfreq")
    if wordfreq is not None:
        wordfreq.get_frequency_dict.cache_clear()
        wordfreq.get_frequency_list.cache_clear()


def zipf(word: str) -> float:
    """The word's frequency on the Zipf scale (log10 of uses per billion words); 0 for unknown words."""
    f = english().get(word, 0.0)
    return math.log10(f) + 9 if f > 0 else 0.0


@functools.cache
def _common_sorted() -> list[str]:
    threshold = 10 ** (COMMON_ZIPF - 9)
    return sorted(w for w, f in english().items() if f >= threshold and w.isalpha())


def starts_common_word(prefix: str, unless: str = "") -> bool:
    """Does some common English word start with ``prefix`` (other than forms of ``unless``, the listed word the
    prefix stands for)? A variant with any ending must not reach an ordinary word."""
    words = _common_sorted()
    i = bisect.bisect_left(words, prefix)
    while i < len(words) and words[i].startswith(prefix):
        if not (unless and words[i].startswith(unless)):
            return True
        i += 1
    return False


def is_common(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


def edits(word: str) -> set[str]:
    """Every spelling one edit away: a letter dropped, two neighbouring letters swapped, a letter doubled."""
    out: set[str] = set()
    for i in range(len(word)):
        out.add(word[:i] + word[i + 1 :])
        out.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word) and word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    out.discard(word)
    return out


def edge_leet(word: str) -> set[str]:
    """The word with a digit or symbol for its first letter, its last, or both ("4sshole", "bitc#" is not one)."""
    firsts = [s for s in _EDGE_LEET.get(word[0], []) if s not in "@$"]  # "@x" is a handle; "$hit" the skeleton's
    lasts = _EDGE_LEET.get(word[-1], [])
    out = {f + word[1:] for f in firsts} | {word[:-1] + last for last in lasts}
    out |= {f + word[1:-1] + last for f in firsts for last in lasts}
    return out


@dataclass(frozen=True)
class Variant:
    """One automaton key standing for a listed word. ``prefix``: the key may be followed by any ending, which
    is kept ("motherfukers" -> "motherfuckers")."""

    canonical: str
    prefix: bool
    kind: str  # "edit", "leet", "split" or "mask"
    # The word less its first letter (-1) or its last (1): such a key is also found inside every use of the word
    # itself ("bitc" in "bitch"), so the automaton holds it with the character before or after it (see BOUNDS).
    edge: int = 0


# Characters that can stand before or after a word: the automaton's keys for the word less its first or last
# letter carry one of them, so that the plain word is not reported (text is padded with a space each side).
LEAD_BOUNDS = " \"'(#*-_/"
TRAIL_BOUNDS = " .,!?;:'\")*-_/"


class VariantTable:
    """The evasive spellings of one policy's vocabulary. Build with ``VariantTable.build``."""

    def __init__(
        self,
        keys: dict[str, Variant],
        vocab: frozenset[str],
        allowed: frozenset[str],
        common_glued: frozenset[str] = frozenset(),
        glue_common: frozenset[str] = frozenset(),
        held: frozenset[tuple[str, bool]] = frozenset(),
    ) -> None:
        self.keys = keys
        self.vocab = vocab  # words that can be found glued to another word
        self.allowed = allowed
        self.glue_words = vocab
        # What comment-time reading needs of the English word list, worked out once when the policy is compiled
        # (the whole list is about 30 MB, and a worker keeps its policy for weeks): the common words that hold a
        # glue word ("skillet" holds "kill"), and the words common enough to stand beside a glued word.
        self.common_glued = common_glued
        self.glue_common = glue_common
        self.held = HeldLetters(held, glue_common)

    @classmethod
    def build(
        cls,
        words: Iterable[tuple[str, bool]],
        allowed: Iterable[str],
        glue: Iterable[str] = (),
        masked: Iterable[str] = (),
        phrases: Iterable[str] = (),
    ) -> VariantTable:
        """``words``: (word, any ending allowed) pairs of the vocabulary; ``allowed``: the allowed-word list;
        ``glue``: the words looked for inside run-together tokens (the words that matter on their own, not the
        "you" and "stupid" of a listed phrase); ``masked``: the words also read with a vowel masked ("k*ll",
        "v*rmin"): the detectors' words, whose lists the automaton does not mask itself; ``phrases``: the listed
        phrases, read with a letter dropped from a four-letter word ("kil yourself")."""
        allowed_ = frozenset(a.rstrip("*") for a in allowed)
        return _build(frozenset(words), allowed_, frozenset(glue), frozenset(masked), frozenset(phrases))

    def glue_splits(self, text: str, hits: list[tuple[int, int]]) -> list[int]:
        """Where to insert a space so that listed words glued to others stand apart.

        ``hits``: spans of ``text`` where a listed word was found without a word boundary on one side.
        Returns the positions (in ``text``) before which a space goes: for each glued token, around its longest
        listed word whose remainders read as very common words or listed words ("allniggersshouldleave":
        all | niggers | should | leave; a plural "s" stays with the word it follows).
        """
        best: dict[tuple[int, int], tuple[int, list[int]]] = {}
        size = len(text)
        for s, e in hits:
            ts = s
            while ts > 0 and text[ts - 1].isalpha():
                ts -= 1
            te = e
            while te < size and text[te].isalpha():
                te += 1
            if (s == ts and e == te) or te - ts > 60 or _in_name_or_link(text, ts, te):
                continue
            token = text[ts:te]
            if token in self.allowed or token in self.common_glued or token in self.vocab:
                continue
            left, right = text[ts:s], text[e:te]
            cuts: list[int] = []
            if left:
                seg = self._segment(left)
                if seg is None and not (left in ("a", "u") and e - s >= EDIT_MIN):  # "a z i p p e r h e a d"
                    continue
                cuts.extend(ts + c for c in (seg or []))
                cuts.append(s)
            if right:
                seg = self._segment(right)
                if seg is not None:
                    cuts.append(e)
                    cuts.extend(e + c for c in seg)
                else:
                    plural = 2 if right.startswith("es") else 1 if right.startswith("s") else 0
                    if not plural:
                        continue
                    if len(right) > plural:  # "niggers|should": the plural stays with its word
                        seg = self._segment(right[plural:])
                        if seg is None:
                            continue
                        cuts.append(e + plural)
                        cuts.extend(e + plural + c for c in seg)
            old = best.get((ts, te))
            if old is None or e - s > old[0]:
                best[(ts, te)] = (e - s, cuts)
        return sorted({c for _, cuts in best.values() for c in cuts if 0 < c < size})

    def _segment(self, part: str, depth: int = 0) -> list[int] | None:
        """Offsets inside ``part`` between the common words it is made of (``[]``: one word), or None."""
        if self._word_ok(part):
            return []
        if depth >= 3 or len(part) > 30:
            return None
        for i in range(len(part) - 2, 1, -1):  # the longest first word first
            if self._word_ok(part[:i]):
                rest = self._segment(part[i:], depth + 1)
                if rest is not None:
                    return [i, *(i + c for c in rest)]
        return None

    def _word_ok(self, part: str) -> bool:
        # Two-letter words only when very common ("up", "go", "to"): others are mostly endings ("spic|er").
        if len(part) == 2:
            return part in self.glue_common
        return len(part) >= 3 and (part in self.vocab or part in self.glue_common)


def vowel_masks(word: str) -> set[str]:
    """``word`` with one vowel after its first letter written "*"."""
    return {word[:i] + "*" + word[i + 1 :] for i in range(1, len(word)) if word[i] in "aeiou"}


def _in_name_or_link(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` part of an @handle, a #hashtag or a link? Those run words together by design."""
    a = text.rfind(" ", 0, start) + 1
    b = text.find(" ", end)
    chunk = text[a : b if b != -1 else len(text)]
    return "@" in chunk or "#" in chunk or "/" in chunk or "www." in chunk or ".com" in chunk


@functools.lru_cache(maxsize=8)
def _build(
    words: frozenset[tuple[str, bool]],
    allowed: frozenset[str],
    glue: frozenset[str],
    masked: frozenset[str],
    phrases: frozenset[str] = frozenset(),
) -> VariantTable:
    vocab = {w for w, _ in words}
    prefix_words = {w for w, p in words if p}
    keys: dict[str, Variant] = {}

    def refuse(key: str, word: str, prefix: bool) -> bool:
        if key in vocab or key in allowed or len(key) < 4:
            return True
        if any(a.startswith(key) or key.startswith(a) for a in allowed if len(a) >= 4):
            return True
        return starts_common_word(key, word) if prefix else is_common(key)

    def add(key: str, variant: Variant) -> None:
        # A spelling one edit from two listed words is read as the rarer of them: "ooks" is "gooks" rather than
        # "books" (a word a spam rule names), "bukkae" either "bukkake" or "bukake".
        old = keys.get(key)
        if old is None or zipf(variant.canonical) < zipf(old.canonical):
            keys[key] = variant

    for word in sorted(vocab):
        if not _LETTERS.match(word):
            continue
        prefix = word in prefix_words
        if len(word) >= EDIT_MIN:
            for v in edits(word):
                edge = -1 if v == word[1:] else 1 if v == word[:-1] else 0
                # With any ending, "faggo" (the word less its last letter) would be found in "faggots" itself.
                any_ending = prefix and edge != 1
                if not refuse(v, word, any_ending):
                    add(v, Variant(word, any_ending, "edit", edge))
                elif any_ending and not refuse(v, word, False):
                    add(v, Variant(word, False, "edit", edge))  # the spelling alone, but not with any ending
        elif len(word) == DOUBLE_MIN:  # a four-letter word takes only a doubled letter ("staab", "killl")
            for i in range(len(word)):
                v = word[: i + 1] + word[i:]
                if not refuse(v, word, False):
                    add(v, Variant(word, False, "edit", 0))
        if len(word) >= GLUE_MIN:
            for v in edge_leet(word):
                if v not in allowed:
                    add(v, Variant(word, prefix, "leet"))
            # "mus1ims" (skeleton "musiims"), "refug33", "jewz"
            for v in (*i_for_l(word), *tail_leet(word, _EDGE_LEET), *z_for_s(word)):
                if not refuse(v, word, prefix):
                    add(v, Variant(word, prefix, "leet"))
            for v in split_keys(word, zipf, SPLIT_ZIPF, TWO_LETTER_ZIPF):  # "mus lims", "sl.ut", "ki ll"
                add(v, Variant(word, prefix, "split"))
    for key, phrase in phrase_keys(phrases, allowed, zipf, GLUE_ZIPF):  # "kil yourself", "go fck yourself"
        add(key, Variant(phrase, False, "edit"))
    # A vowel masked with "*" ("k*ll the minister", "st*b", "v*rmin"): never an English word, so only words too
    # short to say what they stand for are left out, and a spelling that also masks another listed word ("sh*t" is
    # "shit" before it is "shot").
    others = {m for w in vocab - masked if _LETTERS.match(w) for m in vowel_masks(w)}
    for word in sorted(masked):
        if _LETTERS.match(word) and len(word) >= DOUBLE_MIN:
            for key in vowel_masks(word) - others:
                if key not in keys:
                    add(key, Variant(word, False, "mask"))
    # Short everyday words ("fuck", "kill", "back") are left out: they begin and end too many ordinary words
    # ("fucking", "skills", "backed") for the check to be worth its cost on every comment.
    glued = frozenset(
        w for w in glue if len(w) >= GLUE_MIN and _LETTERS.match(w) and (len(w) >= 5 or zipf(w) < GLUE_SHORT_ZIPF)
    )
    common_glued = frozenset(_holding(_common_sorted(), glued))
    glue_common = frozenset(
        w
        for w, f in english().items()
        if (len(w) == 2 and f >= 10 ** (TWO_LETTER_ZIPF - 9)) or (len(w) >= 3 and f >= 10 ** (GLUE_ZIPF - 9))
    )
    table = VariantTable(keys, glued, allowed, common_glued, glue_common, frozenset(words))
    # The whole word list is read again only if another vocabulary is compiled in this process.
    english.cache_clear()
    _common_sorted.cache_clear()
    return table


def _holding(words: Iterable[str], parts: Iterable[str]) -> Iterator[str]:
    """The ``words`` that contain one of ``parts``."""
    auto = ahocorasick.Automaton()
    for part in parts:
        auto.add_word(part, part)
    if len(auto) == 0:
        return
    auto.make_automaton()
    for word in words:
        if next(auto.iter(word), None) is not None:
            yield word


def build_canonical(view: Normalised, edits_: list[tuple[int, int, str]]) -> Normalised:
    """``view`` with each edit ``(start, end, replacement)`` applied (insertions have start == end); every
    replaced character maps to the whole original span it stands for. Overlapping edits after the first are
    dropped."""
    t = view.text
    size = len(t)
    ostart: list[int] | range = view.starts if view.starts is not None else range(size)
    oend: list[int] | range = view.ends if view.ends is not None else range(1, size + 1)
    edits_.sort(key=lambda ed: (ed[0], -ed[1]))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, rep in edits_:
        if s < pos or (e == s and s == pos and parts and parts[-1] == rep and starts):
            continue
        parts.append(t[pos:s])
        starts.extend(ostart[pos:s])
        ends.extend(oend[pos:s])
        parts.append(rep)
        if e > s:
            a, b = ostart[s], oend[e - 1]
        else:  # an inserted space stands between two original characters
            a = b = ostart[s] if s < size else (oend[size - 1] if size else 0)
        starts.extend([a] * len(rep))
        ends.extend([b] * len(rep))
        pos = e
    parts.append(t[pos:])
    starts.extend(ostart[pos:])
    ends.extend(oend[pos:])
    return Normalised(view.original, "".join(parts), starts, ends)
