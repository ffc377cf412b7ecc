"""Word and phrase lists: one entry per line, "#" comments, "word*" for any ending, "{a|b}" for either, and
"{@file}" for every entry of another list. Entries are folded like comment text (``normalise``)."""

from __future__ import annotations

import re
from pathlib import Path

from moderation.domain import ConfigError

from .detectors import read_list
from .normalise import normalise

MAX_EXPANSION = 20_000
_BRACES = re.compile(r"\{([^{}]*)\}")


def expand(entry: str) -> list[str]:
    """Expand ``{a|b|}`` groups ("any of these, or nothing") into every combination.

    Raises ValueError for unbalanced braces or more than ``MAX_EXPANSION`` combinations.
    """
    m = _BRACES.search(entry)
    if m is None:
        if "{" in entry or "}" in entry:
            raise ValueError(f"unbalanced braces in {entry!r}")
        return [entry]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(expand(entry[: m.start()] + alt + entry[m.end() :]))
        if len(out) > MAX_EXPANSION:
            raise ValueError(f"{entry!r} expands to more than {MAX_EXPANSION} phrases")
    return out


_INCLUDE = re.compile(r"\{@([^{}|]+)\}")


def include_lists(entry: str, path: Path, no: int) -> str:
    """Replace each ``{@other.txt}`` in a word-list entry with a ``{a|b|...}`` group of that list's entries
    (a file in the same folder), so that "you {@slurs.txt}" follows slurs.txt as it is edited. An entry's
    "any ending" star is kept only when the included list ends the entry."""

    def group(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        target = path.parent / name
        if not target.is_file():
            raise ConfigError(f"{path}:{no}: included word list {name!r} not found beside it")
        alternatives = []
        for other, other_no in read_list(target.read_text(encoding="utf-8")):
            if "{" in other or "}" in other:
                raise ConfigError(f"{target}:{other_no}: a list included with {{@...}} cannot use {{...}} itself")
            alternatives.append(other if m.end() == len(entry) else other.rstrip("*"))
        if not alternatives:
            raise ConfigError(f"{path}:{no}: included word list {name!r} is empty")
        return "{" + "|".join(alternatives) + "}"

    return _INCLUDE.sub(group, entry)


def read_word_file(path: Path) -> list[str]:
    """Entries of a word list, folded like comment text; errors name the file and line."""
    if not path.is_file():
        raise ConfigError(f"{path}: word list not found")
    out = []
    for raw, no in read_list(path.read_text(encoding="utf-8")):
        try:
            expanded = expand(include_lists(raw, path, no))
        except ValueError as exc:
            raise ConfigError(f"{path}:{no}: {exc}") from exc
        for entry in expanded:
            out.append(fold_entry(entry, path, no))
    return out


def fold_entry(entry: str, path: Path, no: int) -> str:
    """Fold one word-list entry like comment text; a trailing ``*`` (any ending) is kept."""
    prefix = entry.endswith("*")
    body = entry[:-1] if prefix else entry
    if "*" in body:
        raise ConfigError(f"{path}:{no}: '*' is allowed only at the end of an entry: {entry!r}")
    folded = " ".join(normalise(body).text.split())
    if len(folded) < 2:
        raise ConfigError(f"{path}:{no}: entry too short to match safely: {entry!r}")
    return folded + ("*" if prefix else "")
