"""Word lists for the grammar detectors (threats, identity-directed hate): reading, phrase patterns, and the
register of protected groups.

The lists are the same plain files as the word-list rules (one entry a line, ``#`` comments, ``{a|b|}``
alternatives, ``{@other.txt}`` includes, ``word*`` for any ending), folded like comment text; a bad entry is a
``ValueError`` naming the file and line, which the loader reports as a policy error.

Everything here is compiled for RE2-compatible engines: no lookaround, no backreferences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

import ahocorasick

from moderation.domain import ConfigError

if TYPE_CHECKING:
    from moderation.rules.normalise import Normalised

    from . import Detector


def read_terms(det: Detector, relative: str) -> list[str]:
    """The folded entries of a word list relative to the policy directory (recorded in the rule's hash)."""
    from ..word_lists import read_word_file  # word_lists imports the detectors; this runs at load time only

    det.read(relative)
    try:
        return read_word_file(det.base / relative)
    except ConfigError as exc:
        raise ValueError(str(exc)) from exc


def stretched(word: str) -> str:
    """A regex for ``word`` that also matches it with a letter held ("shoooot", "kiiiill"): a single letter
    may appear three or more times, a double letter two or more."""
    out = []
    for m in re.finditer(r"(.)\1*", word):
        ch, run = m.group(1), len(m.group())
        esc = re.escape(ch).replace("'", "'?")
        if not ch.isalpha():
            out.append(esc * run)
        elif run == 1:
            out.append(f"(?:{esc}|{esc}{esc}{esc}+)")
        else:
            out.append(f"{esc}{esc}+")
    return "".join(out)


SPACE = r"\s+"


def phrase(term: str, slots: dict[str, str] | None = None, stretch: bool = False, sep: str = SPACE) -> str:
    """A regex for one folded list entry: words separated by any whitespace (or ``sep``), an apostrophe optional,
    a final ``*`` standing for any word ending, and ``[name]`` placeholders replaced by ``slots[name]``; with
    ``stretch``, held letters are allowed too (see ``stretched``)."""
    prefix = term.endswith("*")
    body = term.rstrip("*")
    parts = []
    for word in body.split():
        if slots and word.startswith("[") and word.endswith("]") and word[1:-1] in slots:
            parts.append(slots[word[1:-1]])
            continue
        parts.append(stretched(word) if stretch else re.escape(word).replace("'", "'?"))
    out = sep.join(parts)
    return out + (r"\w*" if prefix else "")


def alternation(terms: list[str], slots: dict[str, str] | None = None, stretch: bool = False) -> str:
    """One non-capturing alternation of ``terms``, longest first (so "shoot dead" wins over "shoot")."""
    ordered = sorted(set(terms), key=lambda t: (-len(t), t))
    return "(?:" + "|".join(phrase(t, slots, stretch) for t in ordered) + ")"


def word_graph(terms: list[str], slots: dict[str, str] | None = None, stretch: bool = False, sep: str = SPACE) -> str:
    """The language of ``alternation(terms, ...)`` written compactly: the terms' words as a tree with shared
    beginnings, whose equal endings are merged, each set of words leading to the same ending written once.

    A list entry with choices ("{bring|take} {a|the} {gun|knife} to {work|the office|...}") expands to every
    combination; as one flat alternation that was hundreds of thousands of characters, seconds to compile. Here
    it is ``(?:bring|take)\\s+(?:a|the)\\s+(?:gun|knife)\\s+to\\s+(?:...)``. Longer words are tried first and an
    optional continuation is greedy, so the longest term still wins where several match."""
    end = ""  # the key marking "a term may stop here"
    tree: dict[str, Any] = {}
    for t in set(terms):
        node = tree
        for word in t.split():
            node = node.setdefault(word, {})
        node[end] = {}
    ids: dict[tuple[bool, tuple[tuple[str, int], ...]], int] = {}
    nodes: dict[int, dict[str, int]] = {}
    final: dict[int, bool] = {}

    def merge(node: dict[str, Any]) -> int:
        edges = {w: merge(child) for w, child in node.items() if w != end}
        sig = (end in node, tuple(sorted(edges.items())))
        if sig not in ids:
            ids[sig] = len(ids)
            nodes[ids[sig]] = edges
            final[ids[sig]] = end in node
        return ids[sig]

    def render(nid: int) -> str:
        by_child: dict[int, list[str]] = {}
        for w, child in nodes[nid].items():
            by_child.setdefault(child, []).append(w)
        parts = []
        for child, words in sorted(by_child.items(), key=lambda kv: (-max(len(w) for w in kv[1]), min(kv[1]))):
            words.sort(key=lambda w: (-len(w), w))
            head = "|".join(phrase(w, slots, stretch, sep) for w in words)
            head = f"(?:{head})" if len(words) > 1 else head
            if nodes[child]:
                head += rf"(?:{sep}{render(child)})" + ("?" if final[child] else "")
            parts.append(head)
        return "(?:" + "|".join(parts) + ")"

    return render(merge(tree))


class Span(NamedTuple):
    start: int
    end: int
    term: str
    kind: str  # "group:<category>" for the register; the caller's own kinds otherwise


class PhraseIndex:
    """Literal phrases (with kinds) found as whole words in one Aho-Corasick pass.

    ``find(text)`` returns every whole-word occurrence (overlaps kept), ``at_start`` and ``ending_at`` look
    them up by position. Phrases ending in ``*`` match any word ending.
    """

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self._auto = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, bool]]] = {}
        for term, kind in entries:
            prefix = term.endswith("*")
            key = term.rstrip("*")
            # Apostrophes are optional in comments ("yall", "'em"/"em"): index both spellings.
            for variant in {key, key.replace("'", "")}:
                if len(variant) >= 1:
                    table.setdefault(variant, []).append((kind, prefix))
        for key, kinds in table.items():
            self._auto.add_word(key, (len(key), tuple(kinds)))
        self.empty = not table
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Span]:
        if self.empty:
            return []
        out = []
        size = len(text)
        for end, (length, kinds) in self._auto.iter(text):
            start = end - length + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            stop = end + 1
            for kind, prefix in kinds:
                e = stop
                if prefix:
                    while e < size and text[e].isalnum():
                        e += 1
                elif e < size and text[e].isalnum():
                    continue
                out.append(Span(start, e, text[start:e], kind))
        return out


def groups_folder(det: Detector, folder: str) -> list[tuple[str, str]]:
    """The register of protected groups: every ``<folder>/<category>.txt`` (files starting "_" are helpers
    included by the others), as (folded phrase, "group:<category>") pairs."""
    path = det.base / folder
    if not path.is_dir():
        raise ValueError(f"group register folder {folder!r} not found in {det.base}")
    out: list[tuple[str, str]] = []
    for f in sorted(path.glob("*.txt")):
        if f.name.startswith("_"):
            continue
        category = f.stem
        for term in read_terms(det, str(Path(folder) / f.name)):
            out.append((term, f"group:{category}"))
    if not out:
        raise ValueError(f"group register folder {folder!r} has no lists")
    return out + _singulars(det, folder, out)


_EVERY = ("every", "each", "any", "every single", "every last", "one", "a single")


def _singulars(det: Detector, folder: str, groups: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One member of a group, as "every muslim", "each refugee", "any jew": from the plural nouns (a final "s"
    dropped) and the adjectives that _people.txt words follow ("muslim" from "muslim people")."""
    heads: set[str] = set()
    if (det.base / folder / "_people.txt").is_file():
        heads = set(read_terms(det, f"{folder}/_people.txt"))
    out: list[tuple[str, str]] = []
    for term, kind in groups:
        words = term.split()
        if len(words) == 1 and term.endswith("s") and not term.endswith("ss") and len(term) >= 4:
            one = term[:-1]
        elif len(words) > 1 and words[-1] in heads and words[0] not in ("first", "the", "old", "young", "older"):
            one = " ".join(words[:-1])
        else:
            continue
        for every in _EVERY:
            out.append((f"{every} {one}", kind))
    return sorted(set(out))


def group_members(groups: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One member of each group ("muslim" from the register's "every muslim"), in the groups' order."""
    return [
        (t.removeprefix("every "), kind)
        for t, kind in groups
        if t.startswith("every ") and not t.startswith(("every single ", "every last "))
    ]


CATEGORY_NAMES = {
    "religion": "religion",
    "race_ethnicity": "race or ethnicity",
    "aboriginal": "Aboriginal or Torres Strait Islander identity",
    "migration": "national origin or migration",
    "sex_gender": "sex or gender identity",
    "sexuality": "sexuality",
    "disability": "disability",
    "age": "age",
}


def group_label(kind: str, term: str) -> str:
    """ "a protected group (religion: 'muslims')" for a register span's kind and words."""
    category = kind.split(":", 1)[1]
    return f"a protected group ({CATEGORY_NAMES.get(category, category.replace('_', ' '))}: {term!r})"


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Spanned)


def read_views(n: Normalised, read: Callable[[str, Normalised], list[S]]) -> list[S]:
    """``read`` over the folded text, then over the skeleton and canonical views when they differ (evasive
    spellings read as the listed words), keeping one result per span."""
    found = read(n.text, n)
    views = n.views()
    if len(views) > 1:
        seen = {(f.start, f.end) for f in found}
        for view in views[1:]:
            for f in read(view.text, view):
                if (f.start, f.end) not in seen:
                    seen.add((f.start, f.end))
                    found.append(f)
    return found


class LastViews(Generic[S]):
    """``read_views`` for the comment read last, kept: the several rules built on one engine (hidden and queued
    findings, one rule per kind) read each comment once."""

    def __init__(self, read: Callable[[str, Normalised], list[S]]) -> None:
        self._read = read
        self._last: tuple[str, list[S]] = ("\x00", [])

    def __call__(self, n: Normalised) -> list[S]:
        last = self._last
        if last[0] is n.original:
            return last[1]
        found = read_views(n, self._read)
        self._last = (n.original, found)
        return found
