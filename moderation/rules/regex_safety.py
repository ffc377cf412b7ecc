"""Reject regular expressions that can backtrack catastrophically.

Python's ``re`` is a backtracking engine: a pattern such as ``(a+)+$`` takes exponential time on a
string of ``a``s that does not end as expected. Policy authors are not regex experts, so the loader
refuses the shapes that cause this. The heuristic, applied to the parsed pattern:

1. No backreferences (``\\1``, ``(?P=name)``) and no conditional groups.
2. No nested quantifiers: a repeated item (``*``, ``+``, ``{m,n}`` with n > 1) may not contain another
   repeat with n > 1 (``(a+)+``, ``(a*)*``, ``(\\w+\\s?)*``).
3. No repeated alternation whose branches can start with the same character (``(a|a)*``, ``(a|ab)+``,
   ``(\\w|\\d)+``), because the engine can split the same text between the branches in many ways.

Everything else is allowed. Quadratic cases (an unbounded ``\\w+`` scanned from many start positions)
are not caught by this test; the policy check and the fuzz tests time every rule on long hostile input,
and the pipeline's own patterns use bounded repeats.
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+: the parser moved under ``re``
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)
_BACKREFS = {sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS}
_GROUPREF_IGNORE = getattr(sre_constants, "GROUPREF_IGNORE", None)
if _GROUPREF_IGNORE is not None:
    _BACKREFS.add(_GROUPREF_IGNORE)


class UnsafePattern(ValueError):
    """The pattern is refused; the message says why in plain words."""


def check_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` and return it, or raise ``UnsafePattern`` (or ``re.error`` for bad syntax)."""
    compiled = re.compile(pattern)
    tree = sre_parse.parse(pattern)
    _walk(tree, inside_repeat=False)
    return compiled


def _subpatterns(op: Any, av: Any) -> list[Any]:
    """The child sub-patterns of one parsed node."""
    if op in _REPEATS or op == _POSSESSIVE:
        return [av[2]]
    if op == sre_constants.SUBPATTERN:
        return [av[-1]]
    if op == sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op == getattr(sre_constants, "ATOMIC_GROUP", None):
        return [av]
    return []


def _walk(tree: Any, inside_repeat: bool) -> None:
    for op, av in tree:
        if op in _BACKREFS:
            raise UnsafePattern("backreferences are not allowed")
        if op in _REPEATS:
            _min, _max, body = av
            multi = _max > 1
            if multi and inside_repeat:
                raise UnsafePattern("nested quantifiers such as (a+)+ can backtrack catastrophically")
            if multi:
                _check_alternation(body)
            _walk(body, inside_repeat or multi)
            continue
        for sub in _subpatterns(op, av):
            _walk(sub, inside_repeat)


def _first_chars(tree: Any) -> set[str] | None:
    """Characters the sub-pattern can start with; None means 'could be many' (a class or wildcard)."""
    for op, av in tree:
        if op == sre_constants.LITERAL:
            return {chr(av).lower()}
        if op == sre_constants.SUBPATTERN:
            return _first_chars(av[-1])
        if op == sre_constants.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                sub = _first_chars(alt)
                if sub is None:
                    return None
                out |= sub
            return out
        if op in (sre_constants.AT,):
            continue
        return None
    return set()


def _check_alternation(body: Any) -> None:
    for op, av in body:
        if op == sre_constants.SUBPATTERN:
            _check_alternation(av[-1])
        elif op == sre_constants.BRANCH:
            seen: set[str] = set()
            for alt in av[1]:
                first = _first_chars(alt)
                if first is None or (first & seen) or not first:
                    raise UnsafePattern(
                        "a repeated group has alternatives that can start with the same text, "
                        "which can backtrack catastrophically"
                    )
                seen |= first
