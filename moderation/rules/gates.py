"""Which rules are tried on a comment: those the automaton found words for, and the rest behind cheap gates.

A rule the automaton cannot find (a regular expression without prefilter words, a detector without trigger
words) is tried on every comment, or only when its detector's gate is open (``Detector.gate``): a test computed
once per comment and shared by every rule with the same gate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from moderation.domain import CommentInput

from .detectors import Detector, looks_like_email
from .model import Rule
from .orders import OrderMatcher
from .scan import Scan

_ANY_DIGIT = re.compile(r"\d")
_DIGIT_BYTES = b"0123456789"
_NUMBER = re.compile(r"\d(?:[ \-.()]{0,2}\d){7}")
_ASCII_NUMBER = re.compile(r"[0-9](?:[ \-.()]{0,2}[0-9]){7}")  # the same for ASCII text, and quicker
_INLINE = ("number", "email", "author", "repeat", "orders")


def gate_open(gate: str, item: CommentInput, t: str, matcher: OrderMatcher | None) -> bool:
    """The cheap test a detector's gate names (see ``Detector.gate``), on the comment's folded text ``t``."""
    if gate == "digit":
        return _ANY_DIGIT.search(t) is not None
    if gate == "number":
        return _NUMBER.search(t) is not None
    if gate == "at":
        return "@" in t
    if gate == "email":
        return looks_like_email(t)
    if gate == "author":
        return bool(item.author_name or item.author_handle)
    if gate == "repeat":
        return item.repeat_count > 0
    if gate == "orders":
        return bool(matcher)
    return True


class Gates:
    """The rules (by index, in policy order) tried without the automaton, grouped by gate."""

    def __init__(self, rules: Sequence[Rule], compiled: Sequence[Any]) -> None:
        self.always: list[int] = []
        gated: dict[str, list[int]] = {}
        for idx, (rule, matcher) in enumerate(zip(rules, compiled, strict=True)):
            if rule.kind == "regex" and not rule.prefilter:
                self.always.append(idx)
            elif isinstance(matcher, Detector) and not matcher.prefilter_terms:
                if matcher.gate:
                    gated.setdefault(matcher.gate, []).append(idx)
                else:
                    self.always.append(idx)
        # The common gates are tested inline (this runs for every comment).
        self.number = gated.get("number", [])
        self.email = gated.get("email", [])
        self.author = gated.get("author", [])
        self.repeat = gated.get("repeat", [])
        self.orders = gated.get("orders", [])
        self.other = [(gate, members) for gate, members in gated.items() if gate not in _INLINE]
        # Detectors with trigger words may also have a gate; it is tested once a trigger word is seen.
        self.after_prefilter = {
            idx: matcher.gate
            for idx, matcher in enumerate(compiled)
            if isinstance(matcher, Detector) and matcher.prefilter_terms and matcher.gate
        }

    def candidates(self, item: CommentInput, t: str, found: Scan, matcher: OrderMatcher | None) -> list[int]:
        """The rules to try on a comment (folded text ``t``), in policy order: rules with words seen, rules
        with prefilter words seen, rules tried on every comment, and rules behind an open gate."""
        pre = found.prefilters
        if self.always:
            candidates = [*found.words, *pre, *self.always] if pre else [*found.words, *self.always]
        else:
            candidates = [*found.words, *pre] if pre else [*found.words]
        if self.number and _has_number(t):
            candidates += self.number
        if self.email and "@" in t and looks_like_email(t):
            candidates += self.email
        if self.author and (item.author_name or item.author_handle):
            candidates += self.author
        if self.repeat and item.repeat_count > 0:
            candidates += self.repeat
        if self.orders and matcher:
            candidates += self.orders
        for gate, members in self.other:
            if gate_open(gate, item, t, matcher):
                candidates += members
        if pre and self.after_prefilter:
            for idx, gate in self.after_prefilter.items():
                if idx in pre and not gate_open(gate, item, t, matcher):
                    candidates.remove(idx)
        if len(candidates) > 1:
            candidates.sort()
        return candidates


def _has_number(t: str) -> bool:
    """Eight digits in a row (spaces, dashes, dots and brackets allowed between): the "number" gate."""
    if t.isascii():
        # Eight digits are needed; counting them on the bytes is much quicker than a regex search.
        b = t.encode()
        return len(b) - len(b.translate(None, _DIGIT_BYTES)) >= 8 and _ASCII_NUMBER.search(t) is not None
    return _NUMBER.search(t) is not None
