"""Text normalisation with a map back to the original offsets.

Every detector matches against normalised text, but moderators must see the *original* words highlighted,
so each normalised view keeps, for every character, the start and end offsets of the original characters
it came from. Two views exist:

* ``Normalised.text`` (the *folded* view): Unicode NFKC per character, case folding, line breaks and tabs
  read as spaces, combining marks dropped (``fück`` -> ``fuck``), zero-width and bidirectional control
  characters removed, Cyrillic and Greek lookalike letters folded to Latin. Digits and punctuation are
  kept, so phone numbers, emails and links are found here.
* ``Normalised.evasion`` (the *skeleton*): the folded view with leetspeak mapped to letters
  (``sh1t``, ``$hit``, ``b!tch``), letters separated by dots, dashes, stars or spaces joined
  (``f.u.c.k``, ``f u c k``), runs of three or more of the same letter collapsed to one (``fuuuuck``),
  and runs of whitespace collapsed to one space. Built lazily, and only worth building when
  ``looks_evasive`` is true.

Plain ASCII text takes a fast path: its folded view is ``str.lower()`` with an identity offset map.
Other text whose characters each fold to exactly one character (accents, lookalikes, emoji) is folded with
``str.translate``, also with the identity map; only text with invisible or expanding characters pays for
a per-character walk.
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
    "т": "t", "у": "u", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q",
    "ԝ": "w", "ү": "y", "ц": "u", "ɡ": "g", "ӏ": "l", "п": "n", "г": "r", "з": "3", "ь": "b", "ъ": "b",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "μ": "u",
    # Typographic quotes, so that "I’ll" reads like "I'll"
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
    # Latin variants that NFKC leaves alone
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe", "ƒ": "f",
    "ɑ": "a", "ɩ": "i", "ʋ": "u",
    # Small capitals ("ꜰᴀɢɢᴏᴛ", from "fancy text" generators), which NFKC leaves alone
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
}  # fmt: skip

# Leetspeak: digits and symbols standing for letters when they sit inside a word.
LEET = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "l",
}  # fmt: skip
LEET_CLASS = "[" + re.escape("".join(LEET)) + "]"  # any one of the symbols above, as a regex class

LETTER = r"[^\W\d_]"  # a letter, in any script
SEPARATOR = r"[\s.\-_*·•~']"


# Cheap test on the folded text: is there anything the skeleton would change?
_SUSPECT = re.compile(
    rf"({LETTER})\1\1"  # a letter three times
    rf"|{LETTER}{LEET_CLASS}+{LETTER}"  # leet inside a word ("h1t", "b00ng")
    rf"|{LETTER}11(?![^\W_])"  # "ki11"
    rf"|(?<![^\W_])\$[^\W\d_]"  # $hit
    rf"|(?<![^\W_]){LETTER}{SEPARATOR}{{1,2}}{LETTER}{SEPARATOR}{{1,2}}{LETTER}(?![^\W_])"  # f.u.c.k / f u c k
    r"|\s\s|[\t\n\r\f\v\u00a0]"
    r"|[^\W\d_]\(\)|\(\)[^\W\d_]"  # "J()hn": "()" for "o"
)


def _fold_char(ch: str) -> str:
    """Fold one character: NFKC, casefold, drop marks and invisibles, fold lookalikes."""
    if ch.isascii():
        return " " if ch in "\n\t\r\x0b\x0c" else ch.lower()
    if ch in INVISIBLE or unicodedata.category(ch) == "Cf":
        return ""
    parts: list[str] = []
    for c in unicodedata.normalize("NFKC", ch).casefold():
        if c in INVISIBLE:
            continue
        for b in unicodedata.normalize("NFD", c):
            if not unicodedata.combining(b):
                parts.append(HOMOGLYPHS.get(b, b))
    return "".join(parts)


class _FoldTable(dict[int, str]):
    """Every character folded so far (code point -> folded text), learning each one the first time.

    Characters that fold to nothing or to more than one character are also kept in ``uneven``, with a
    regular expression that finds them, since a text containing none keeps its offsets (identity map).
    """

    LIMIT = 200_000  # distinct characters remembered; past that, new ones are folded each time

    def __init__(self) -> None:
        super().__init__()
        self.uneven: set[str] = set()
        self.uneven_rx: re.Pattern[str] | None = None

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = _fold_char(ch)
        if len(out) != 1 and ch not in self.uneven:
            self.uneven.add(ch)
            self.uneven_rx = re.compile("[" + "".join(re.escape(c) for c in sorted(self.uneven)) + "]")
        if len(self) < self.LIMIT:
            self[code] = out
        return out

    def sub(self, m: re.Match[str]) -> str:
        return self[ord(m.group())]


_FOLD = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Normalised:
    """A normalised view of a text, with offsets back into the original.

    ``starts[i]``/``ends[i]`` are the original offsets of the characters that produced normalised
    character ``i``; ``None`` means the identity map (the fast path).
    """

    __slots__ = ("original", "text", "starts", "ends", "_evasion", "_suspect", "_canonical")

    def __init__(self, original: str, text: str, starts: list[int] | None = None, ends: list[int] | None = None):
        self.original = original
        self.text = text
        self.starts = starts
        self.ends = ends
        self._evasion: Normalised | None = None
        self._suspect: bool | None = None
        # Set by the pipeline when the comment has evasive spellings of the policy's words (see variants.py).
        self._canonical: Normalised | None = None

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
    def canonical(self) -> Normalised | None:
        """The view with evasive spellings of the policy's words read as the words ("fagott" -> "faggot",
        "muslimsare" -> "muslims are"), on top of the skeleton; None when the comment has none. Set by the
        pipeline, which knows the words (``variants.VariantTable``)."""
        return self._canonical

    @canonical.setter
    def canonical(self, view: Normalised | None) -> None:
        self._canonical = view

    @property
    def evasion_settled(self) -> bool:
        """True once ``looks_evasive`` is known (worked out, or told by ``settle_evasion``)."""
        return self._suspect is not None

    def settle_evasion(self, evasive: bool, skeleton: Normalised | None = None) -> None:
        """Record what a scan for the evasion triggers (``evasion_triggers``) found: whether the text looks
        evasive and, when the caller built it (``skeleton_from_triggers``), the skeleton, so that neither is
        worked out again from the text."""
        self._suspect = evasive
        if skeleton is not None:
            self._evasion = skeleton

    def views(self) -> list[Normalised]:
        """The folded text, then each evasion-tolerant view that differs from it (skeleton, canonical): what a
        detector should search so that evasive spellings do not pass it. Every view's ``span`` maps to the
        original text."""
        out = [self]
        ev = self.evasion
        if ev.text != self.text:
            out.append(ev)
        canon = self._canonical
        if canon is not None and canon.text != ev.text:
            out.append(canon)
        return out

    @property
    def evasion(self) -> Normalised:
        """The skeleton view (leet, separators, repeats); its spans also map to the original."""
        if self._evasion is None:
            from .skeleton import full_skeleton  # the skeleton module builds on this one

            self._evasion = full_skeleton(self) if self.looks_evasive else self
        return self._evasion


_ASCII_SPACES = str.maketrans("\n\t\r\x0b\x0c", "     ")


def normalise(text: str) -> Normalised:
    """Fold ``text`` for matching; see the module docstring. Never raises on any ``str``."""
    if text.isascii():
        low = text.lower()
        if "\n" in low or "\t" in low or "\r" in low:
            low = low.translate(_ASCII_SPACES)  # line breaks and tabs read as spaces (same length)
        return Normalised(text, low)
    # Non-ASCII characters are folded one by one (a tweet has a few); everything else by ``str.lower``.
    # Folded characters are already lower case, and ``lower`` keeps the length of everything folding leaves.
    folded = _NON_ASCII.sub(_FOLD.sub, text).lower()
    if "\n" in folded or "\t" in folded or "\r" in folded:
        folded = folded.translate(_ASCII_SPACES)
    uneven = _FOLD.uneven_rx
    if len(folded) == len(text) and (uneven is None or uneven.search(text) is None):
        return Normalised(text, folded)
    # Some characters vanish or expand ("…" -> "..."). The offset map is built in segments: identity
    # ranges between those characters, and their own offsets repeated.
    positions = [m.start() for m in uneven.finditer(text)] if uneven is not None else []
    starts: list[int] = []
    ends: list[int] = []
    prev = 0
    for pos in positions:
        starts.extend(range(prev, pos))
        ends.extend(range(prev + 1, pos + 1))
        width = len(_FOLD[ord(text[pos])])
        starts.extend([pos] * width)
        ends.extend([pos + 1] * width)
        prev = pos + 1
    starts.extend(range(prev, len(text)))
    ends.extend(range(prev + 1, len(text) + 1))
    if len(starts) != len(folded):  # not expected; fold character by character rather than guess
        return _walk(text)
    return Normalised(text, folded, starts, ends)


def _walk(text: str) -> Normalised:
    """Fold ``text`` one character at a time, recording every character's offsets (the slow, sure way)."""
    parts: list[str] = []
    starts = []
    ends = []
    for i, ch in enumerate(text):
        out = _FOLD[ord(ch)]
        parts.append(out)
        starts.extend([i] * len(out))
        ends.extend([i + 1] * len(out))
    return Normalised(text, "".join(parts), starts, ends)
