"""Policy regular expressions run on RE2, a matching engine whose time is linear in the text.

Python's ``re`` backtracks: ``free.*money.*now.*click`` or ``(a+)+$`` can take minutes on one long comment
that almost matches. Policy authors are not regex experts, so every ``regex`` rule is compiled with
google-re2 instead, which never backtracks: one pass over the text, whatever the pattern. The price is a
smaller language; RE2 refuses, and so the loader and ``modq policy check`` refuse, with the reason:

* backreferences (``\\1``, ``(?P=name)``): no linear-time engine can run them;
* lookahead and lookbehind (``(?=``, ``(?!``, ``(?<=``, ``(?<!``): use a plain group, or a ``when`` condition;
* possessive quantifiers and atomic groups, conditional groups, ``\\Z`` (use ``\\z``);
* patterns whose compiled program is larger than ``MAX_PROGRAM_BYTES`` (e.g. ``(a{1,1000}){1,1000}``).

Two differences from ``re`` matter to authors: ``\\b``, ``\\w``, ``\\d`` and ``\\s`` are ASCII only (comment
text is folded first, so accented Latin letters are already plain; use ``\\pL`` for a letter in any script),
and ``.`` does not match a line break unless ``(?s)`` is given.

A single search is linear, but listing every match of a pattern such as ``a.*b|a`` can still rescan the rest
of the text once per match; ``find_spans`` therefore stops after ``MAX_MATCHES`` matches, and the pipeline
only ever reads a bounded window of a comment (see ``pipeline.EVALUATED_CHARS``).
"""

from __future__ import annotations

from typing import Any

import re2

MAX_PROGRAM_BYTES = 8 << 20  # RE2's own default budget for one compiled pattern
MAX_MATCHES = 64

_REASONS = (
    ("invalid escape sequence: \\1", "backreferences such as \\1 are not supported (no linear-time engine runs them)"),
    ("invalid escape sequence: \\", "this escape is not supported by the linear-time engine (RE2)"),
    ("invalid perl operator: (?P", "backreferences such as (?P=name) are not supported"),
    ("invalid perl operator: (?x", "the verbose flag (?x) is not supported; write the pattern without spaces"),
    ("invalid perl operator: (?=", "lookahead (?=...) is not supported; match the text itself instead"),
    ("invalid perl operator: (?!", "negative lookahead (?!...) is not supported; narrow the rule with 'when' instead"),
    ("invalid perl operator: (?<", "lookbehind (?<=...) / (?<!...) is not supported; match the text itself instead"),
    ("invalid perl operator: (?>", "atomic groups (?>...) are not supported (RE2 never backtracks, so none is needed)"),
    ("invalid perl operator: (?(", "conditional groups are not supported"),
    ("bad repetition operator: *+", "possessive quantifiers (*+, ++, ?+) are not supported (RE2 never backtracks)"),
    ("bad repetition operator: ++", "possessive quantifiers (*+, ++, ?+) are not supported (RE2 never backtracks)"),
    ("bad repetition operator: ?+", "possessive quantifiers (*+, ++, ?+) are not supported (RE2 never backtracks)"),
    ("pattern too large", "the pattern is too large for the engine's memory budget; split it or bound its repeats"),
    ("invalid repetition size", "repeat counts may not exceed 1000 (nor nest to more than that)"),
    ("bad repetition operator", "a repeat operator is misplaced"),
)  # fmt: skip


class UnsafePattern(ValueError):
    """The pattern is refused; the message says why in plain words."""


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # the reason is raised to the caller instead of printed on standard error
    options.max_mem = MAX_PROGRAM_BYTES
    return options


def check_pattern(pattern: str) -> Any:
    """Compile ``pattern`` with RE2 and return it, or raise ``UnsafePattern`` saying why it cannot run."""
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        raise UnsafePattern(_reason(exc)) from None


def _reason(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else str(exc)
    detail = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    for prefix, plain in _REASONS:
        if detail.startswith(prefix):
            return f"{plain} [{detail}]"
    return f"it does not compile on the linear-time engine (RE2): {detail}"


def find_spans(pattern: Any, text: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Start and end offsets (in characters) of the first ``limit`` matches of a compiled pattern."""
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        out.append(m.span())
        if len(out) >= limit:
            break
    return out
