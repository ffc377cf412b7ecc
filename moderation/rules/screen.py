"""Screening free text bound for the records ledger against suppression orders.

Who calls it: the service, before any note, reason or case title is written to the ledger, and again when a
public export is made. A text is held back when the order matcher finds a protected name in it (fuzzy,
evasion-tolerant) or when any single word of a protected name appears in it: a case title such as "DPP v Mills"
names the person by surname alone, which the matcher (built to avoid hiding comments that mention a common
surname) deliberately lets through. Holding back a public note costs little; publishing a name can be contempt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from moderation.domain import SuppressionOrder

from .normalise import normalise
from .orders import OrderMatcher

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case and accents ignored."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class TextScreen:
    """``screen(text)`` is True when ``text`` names someone protected by one of the matcher's orders."""

    def __init__(self, matcher: OrderMatcher, orders: Sequence[SuppressionOrder]) -> None:
        self.matcher = matcher
        words = {w for o in orders for term in o.terms for w in _WORD.findall(fold(term)) if len(w) >= 3}
        ordered = sorted(words, key=len, reverse=True)
        self._words = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)") if words else None

    def __call__(self, text: str) -> bool:
        if not text:
            return False
        if self._words is not None and self._words.search(fold(text)):
            return True
        return bool(self.matcher.hits(normalise(text)))
