"""Text normalisation with a map back to the original offsets.

Every detector matches against normalised text, but moderators must see the *original* words highlighted,
so each normalised view keeps, for every character, the start and end offsets of the original characters
it came from. Two views exist:

* ``Normalised.text`` (the *folded* view): Unicode NFKC per character, case folding, combining marks
  dropped (``fück`` -> ``fuck``), zero-width and bidirectional control characters removed, Cyrillic and
  Greek lookalike letters folded to Latin. Digits and punctuation are kept, so phone numbers, emails and
  links are found here.
* ``Normalised.evasion`` (the *skeleton*): the folded view with leetspeak mapped to letters
  (``sh1t``, ``$hit``, ``b!tch``), letters separated by dots, dashes, stars or spaces joined
  (``f.u.c.k``, ``f u c k``), runs of three or more of the same letter collapsed to one (``fuuuuck``),
  and runs of whitespace collapsed to one space. Built lazily, and only worth building when
  ``looks_evasive`` is true.

Plain ASCII text takes a fast path: its folded view is ``str.lower()`` with an identity offset map,
which is what keeps the pipeline above 100,000 comments a second.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that render as nothing or only steer direction: removed before matching.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)

# Lookalike letters from Cyrillic and Greek (after case folding), folded to the Latin letter they imitate.
HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ү": "y", "ц": "u", "ɡ": "g", "ӏ": "l", "п": "n", "г": "r", "з": "3", "ь": "b", "ъ": "b",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u",
    # Typographic quotes, so that "I’ll" reads like "I'll"
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    # Latin variants that NFKC leaves alone
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
}  # fmt: skip

# Leetspeak: digits and symbols standing for letters when they sit inside a word.
LEET = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "l",
}  # fmt: skip
_LEET_SYMBOLS = frozenset("@$!|+€£")
_SEPARATORS = frozenset(".-_*·•~'")

# Cheap test on the folded text: is there anything the skeleton would change?
_SUSPECT = re.compile(
    r"([^\W\d_])\1\1"  # a letter three times
    r"|[^\W\d_][0134578@$!|+][^\W\d_]"  # leet inside a word
    r"|[^\W\d_][0134578]|[0134578][^\W\d_]"  # leet digit next to a letter
    r"|(?<![^\W_])\$[^\W\d_]"  # $hit
    r"|(?<![^\W_])[^\W\d_][\s.\-_*·•~']{1,2}[^\W\d_][\s.\-_*·•~']{1,2}[^\W\d_](?![^\W_])"  # f.u.c.k / f u c k
    r"|\s\s"
)

_char_cache: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """Fold one character: NFKC, casefold, drop marks and invisibles, fold lookalikes."""
    out = _char_cache.get(ch)
    if out is not None:
        return out
    if ch in INVISIBLE or unicodedata.category(ch) == "Cf":
        out = ""
    else:
        parts: list[str] = []
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c in INVISIBLE:
                continue
            base = unicodedata.normalize("NFD", c)
            for b in base:
                if unicodedata.combining(b):
                    continue
                parts.append(HOMOGLYPHS.get(b, b))
        out = "".join(parts)
    if len(_char_cache) < 200_000:
        _char_cache[ch] = out
    return out


class Normalised:
    """A normalised view of a text, with offsets back into the original.

    ``starts[i]``/``ends[i]`` are the original offsets of the characters that produced normalised
    character ``i``; ``None`` means the identity map (the fast path).
    """

    __slots__ = ("original", "text", "starts", "ends", "_evasion", "_suspect")

    def __init__(self, original: str, text: str, starts: list[int] | None = None, ends: list[int] | None = None):
        self.original = original
        self.text = text
        self.starts = starts
        self.ends = ends
        self._evasion: Normalised | None = None
        self._suspect: bool | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the original text's offsets."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def original_slice(self, start: int, end: int) -> str:
        s, e = self.span(start, end)
        return self.original[s:e]

    @property
    def looks_evasive(self) -> bool:
        """True when the skeleton may differ from the folded text (so it is worth building)."""
        if self._suspect is None:
            self._suspect = _SUSPECT.search(self.text) is not None
        return self._suspect

    @property
    def evasion(self) -> Normalised:
        """The skeleton view (leet, separators, repeats); its spans also map to the original."""
        if self._evasion is None:
            self._evasion = _skeleton(self) if self.looks_evasive else self
        return self._evasion


def normalise(text: str) -> Normalised:
    """Fold ``text`` for matching; see the module docstring. Never raises on any ``str``."""
    if text.isascii():
        return Normalised(text, text.lower())
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch.lower())
            starts.append(i)
            ends.append(i + 1)
            continue
        folded = _fold_char(ch)
        for c in folded:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return Normalised(text, "".join(out), starts, ends)


def _is_letter(c: str) -> bool:
    return c.isalpha()


def _skeleton(n: Normalised) -> Normalised:
    """Build the evasion-tolerant view of an already folded text."""
    t = n.text
    size = len(t)
    if n.starts is None or n.ends is None:
        ostart = list(range(size))
        oend = list(range(1, size + 1))
    else:
        ostart, oend = n.starts, n.ends

    # 1. Leetspeak: a digit or symbol becomes a letter when it sits in a word with letters.
    chars = list(t)
    for i, c in enumerate(t):
        rep = LEET.get(c)
        if rep is None:
            continue
        prev_l = i > 0 and _is_letter(t[i - 1])
        next_l = i + 1 < size and _is_letter(t[i + 1])
        if c in _LEET_SYMBOLS:
            # Symbols only inside a word ("sh!t"), or "$" opening one ("$hit").
            prev_boundary = i == 0 or not (t[i - 1].isalnum())
            if (prev_l and next_l) or (c == "$" and prev_boundary and next_l):
                chars[i] = rep
        elif prev_l or next_l:
            chars[i] = rep

    # 2. Letters separated by separators or single spaces: drop the separators ("f.u.c.k", "f u c k").
    keep = [True] * size
    i = 0
    while i < size:
        if _is_letter(chars[i]) and (i == 0 or not chars[i - 1].isalnum()):
            # Walk a chain letter (sep{1,2} letter)+ where every letter stands alone.
            j = i
            letters = [i]
            first_sep: str | None = None
            while True:
                k = j + 1
                seps = 0
                while k < size and (chars[k] in _SEPARATORS or chars[k] == " ") and seps < 2:
                    k += 1
                    seps += 1
                if seps == 0 or k >= size or not _is_letter(chars[k]):
                    break
                sep = "".join(chars[j + 1 : k])
                if first_sep is None:
                    first_sep = sep
                elif sep != first_sep:
                    break
                if k + 1 < size and chars[k + 1].isalnum():
                    break
                letters.append(k)
                j = k
            if len(letters) >= 3:
                for p in range(letters[0], letters[-1] + 1):
                    if p not in letters:
                        keep[p] = False
                i = letters[-1] + 1
                continue
        i += 1

    # 3. Emit, collapsing letter runs of three or more and whitespace runs.
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    idx = 0
    while idx < size:
        if not keep[idx]:
            idx += 1
            continue
        c = chars[idx]
        run_end = idx + 1
        if c.isspace():
            while run_end < size and keep[run_end] and chars[run_end].isspace():
                run_end += 1
            c = " "
        elif _is_letter(c):
            while run_end < size and chars[run_end] == c:
                run_end += 1
            if run_end - idx < 3:
                run_end = idx + 1
        out.append(c)
        starts.append(ostart[idx])
        ends.append(oend[run_end - 1])
        idx = run_end
    return Normalised(n.original, "".join(out), starts, ends)
