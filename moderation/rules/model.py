"""The loaded policy's parts: clauses, rules and the hits detectors report.

These are built once by the loader and read on every evaluation, so they are plain frozen objects.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from moderation.domain import Action, CommentInput, Mode, Route, Severity


@dataclass(frozen=True)
class Clause:
    """One numbered clause of the published moderation policy."""

    id: str
    title: str
    human_review_only: bool = False
    summary: str = ""


@dataclass(frozen=True)
class Example:
    """A rule self-test: a comment (text plus optional author fields) that must or must not fire the rule."""

    item: CommentInput
    should_match: bool
    line: int = 0


class Hit(NamedTuple):
    """One match reported by a matcher or a detector, in *original* text offsets (a named tuple: cheap to
    build, and detectors build many)."""

    start: int
    end: int
    match: str
    confidence: float = 1.0
    explanation: str = ""


@dataclass(frozen=True)
class Rule:
    """One executable rule. ``hash`` is the sha256 of its canonical content (matching and action parts)."""

    id: str
    clause: str
    action: Action
    severity: Severity
    mode: Mode
    priority: int
    route: Route | None
    kind: str  # "words", "regex" or "detector"
    source: str  # file the rule came from
    line: int
    hash: str
    description: str = ""
    explanation: str = ""
    hide_now: bool = False
    whole_word: bool = True
    evasion: bool = False
    confidence: float = 1.0
    detector: str = ""
    terms: tuple[str, ...] = ()
    pattern: str = ""
    prefilter: tuple[str, ...] = ()
    conditions: dict[str, Any] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    # Built by the loader: returns True when the rule's conditions admit the comment (None: no conditions).
    admits: Callable[[CommentInput], bool] | None = field(default=None, compare=False, repr=False)


_T = TypeVar("_T", bound=tuple[Any, ...])


def positional_builder(cls: type[_T], fields: tuple[str, ...]) -> Callable[[tuple[Any, ...]], _T]:
    """A quick builder of the named tuple ``cls`` from a plain tuple of its values in the order ``fields``
    names: ``tuple.__new__`` without the named tuple's own constructor, which is a Python function and costs
    about three times as much (the pipeline builds several findings per comment). Raises ``TypeError`` when
    ``cls``'s fields are not exactly ``fields``, so a change to them fails at import instead of building
    values with their fields swapped. Everything built this way is read by name."""
    if getattr(cls, "_fields", None) != fields:
        raise TypeError(f"{cls.__name__} has fields {getattr(cls, '_fields', None)}, not {fields}: update the builder")
    return functools.partial(tuple.__new__, cls)
