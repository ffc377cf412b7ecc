"""Detectors: the matchers that word lists and regular expressions cannot express.

A rule names a detector with ``detector = "<name>"`` and may pass it ``params``. Each detector declares
the parameters it accepts (the loader rejects others), optional *prefilter terms* (cheap substrings that
must appear in the folded text before the detector runs; the pipeline finds them in its one combined
Aho-Corasick pass) and a ``find`` method that returns hits in original-text offsets.

Detectors read their data files (allowlists, pending cases, official accounts) once, when the policy
is loaded, relative to the policy directory; ``content`` returns what they read so that a rule's hash
changes when its data changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from moderation.domain import CommentInput

from ..model import Hit
from ..normalise import Normalised


class Context:
    """Per-evaluation facts shared by detectors, computed lazily (digit count, active order matcher)."""

    __slots__ = ("orders", "_digits", "_n")

    def __init__(self, n: Normalised, orders: Any = None) -> None:
        self._n = n
        self.orders = orders
        self._digits: int | None = None

    @property
    def digits(self) -> int:
        if self._digits is None:
            t = self._n.text
            self._digits = len(t) - len(t.translate(_DELETE_DIGITS))
        return self._digits


_DELETE_DIGITS = str.maketrans("", "", "0123456789")

# "name@domain." anywhere: an "@" (found by the regex engine's quick literal scan) after a character that can
# end the name (``\w``, ".", "%", "+", "-"; an "@" opening the text has none), then a domain label and a dot.
_EMAILISH = re.compile(r"@(?<=[\w.%+-]@)[a-z0-9-]{1,63}\.")


def looks_like_email(t: str) -> bool:
    """Is there a "name@domain." anywhere? (Most "@" are @handles, found wanting fast.)"""
    return _EMAILISH.search(t) is not None


class Detector:
    """Base class. Subclasses set ``name``, ``params_spec`` and implement ``find``."""

    name: ClassVar[str] = ""
    params_spec: ClassVar[dict[str, type]] = {}
    required_params: ClassVar[frozenset[str]] = frozenset()
    # A cheap condition the pipeline tests before calling ``find`` (computed once per comment and shared):
    # "digit" (the text has a digit), "number" (eight or more digits in a row, spaces and dashes allowed),
    # "at" ("@" present), "email" (a "name@domain." somewhere), "author" (an author name or handle is given),
    # "repeat" (repeat_count > 0), "orders" (active suppression orders), or "" (always call).
    gate: ClassVar[str] = ""
    # A detector whose findings no person can read as a rule (a learned model's score): the loader refuses a
    # rule that would let it hide or escalate a comment; it may only queue.
    queue_only: ClassVar[bool] = False

    def __init__(self, params: dict[str, Any], base: Path) -> None:
        self.params = params
        self.base = base
        self.prefilter_terms: tuple[str, ...] = ()
        self._content = ""

    def read(self, relative: str) -> str:
        """Read a data file relative to the policy directory; ``ValueError`` names it when missing."""
        path = self.base / relative
        if not path.is_file():
            raise ValueError(f"data file {relative!r} not found in {self.base}")
        text = path.read_text(encoding="utf-8")
        self._content += f"\n--{relative}--\n{text}"
        return text

    def content(self) -> str:
        return self._content

    def allow(self, terms: Sequence[str]) -> None:
        """The policy's allowed words (policy.toml's ``allow_file``: "Scunthorpe", "Kunyung"), given once the
        policy is loaded. A detector that may read such a word as abuse keeps them; most need not."""

    def find(self, item: CommentInput, n: Normalised, ctx: Context) -> list[Hit]:  # pragma: no cover
        raise NotImplementedError


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    REGISTRY[cls.name] = cls
    return cls


def read_list(text: str) -> list[tuple[str, int]]:
    """Entries of a one-per-line list with ``#`` comments, with their line numbers."""
    out: list[tuple[str, int]] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line:
            out.append((line, no))
    return out


def _load_all() -> None:
    from . import hate, identity, learned, legal, links, pii, spam, threats  # noqa: F401  (registers the detectors)


def get(name: str) -> type[Detector] | None:
    _load_all()  # every detector module, even when one was imported on its own first
    return REGISTRY.get(name)


def names() -> list[str]:
    _load_all()
    return sorted(REGISTRY)


Finder = Callable[[CommentInput, Normalised, Context], list[Hit]]
