"""Reading ``policies/guard.toml``: the context guard's cues and homonyms, validated, with the file and line of
anything wrong (the guard itself is ``guard.py``)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from moderation.domain import ConfigError

from .guard import Cue, Guard
from .normalise import normalise

GUARD_FILE = "guard.toml"
_CUE_KEYS = {
    "name", "reason", "before", "after", "quotes", "question", "rules", "except_rules", "priority", "examples",
    "words", "window", "dismiss", "next_sentence",
}  # fmt: skip
_HOMONYM_KEYS = {"words", "senses", "reason", "examples", "except_rules"}
_EXAMPLE_KEYS = {"guarded", "not_guarded"}


def _phrases(values: Any, where: str, key: str) -> list[str]:
    from .word_lists import expand

    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"{where}: {key} must be a list of non-empty strings")
    out: list[str] = []
    for v in values:
        try:
            out.extend(expand(v))
        except ValueError as exc:
            raise ConfigError(f"{where}: {key}: {exc}") from exc
    return [" ".join(normalise(p).text.split()) for p in out]


def _alternation(phrases: Sequence[str]) -> re.Pattern[str]:
    """Whole-word alternation; a phrase ending in "*" allows any ending."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        body = re.escape(p.rstrip("*"))
        parts.append(body + (r"[^\W_]*" if p.endswith("*") else ""))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + r")(?![^\W_])")


def _ending(phrases: Sequence[str]) -> re.Pattern[str]:
    """One of the phrases, whole words, with nothing but spaces after it to the end of the text searched."""
    return re.compile(_alternation(phrases).pattern + r"\s+$")


def _lines(text: str, header: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == f"[[{header}]]"]


def _examples(raw: Any, where: str) -> list[tuple[str, bool]]:
    if raw is None:
        return []
    if not isinstance(raw, dict) or set(raw) - _EXAMPLE_KEYS:
        raise ConfigError(f"{where}: examples must be a table with 'guarded' and/or 'not_guarded' lists")
    out: list[tuple[str, bool]] = []
    for key, guarded in (("guarded", True), ("not_guarded", False)):
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ConfigError(f"{where}: examples.{key} must be a list of strings")
        out.extend((x, guarded) for x in items)
    return out


def load_guard(base: Path, clauses: Iterable[str], rule_ids: Iterable[str]) -> Guard | None:
    """Read ``guard.toml`` in the policy directory (None when there is none).

    Raises:
        ConfigError: naming the file and line of an unknown key, a bad value, an unknown clause or rule.
    """
    path = base / GUARD_FILE
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(data) - {"guard", "cue", "homonym"}
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {sorted(unknown)}; allowed: [guard], [[cue]], [[homonym]]")
    head = data.get("guard", {})
    if set(head) - {"clauses", "window", "held_by"}:
        raise ConfigError(
            f"{path}: [guard] unknown key(s) {sorted(set(head) - {'clauses', 'window', 'held_by'})}; "
            "allowed: clauses, window, held_by"
        )
    known_clauses = set(clauses)
    gclauses = head.get("clauses", [])
    if not isinstance(gclauses, list) or not gclauses or not all(isinstance(c, str) for c in gclauses):
        raise ConfigError(f"{path}: [guard] clauses must be a non-empty list of clause ids")
    for c in gclauses:
        if c not in known_clauses:
            raise ConfigError(f"{path}: [guard] clause {c!r} is not in clauses.toml")
    window = head.get("window", 8)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 40:
        raise ConfigError(f"{path}: [guard] window must be an integer 1-40 (words either side of a match)")
    ids = set(rule_ids)
    held_by = _rule_list(head.get("held_by", []), ids, f"{path}: [guard]", "held_by")
    cues: list[Cue] = []
    cue_lines = _lines(text, "cue")
    for i, raw in enumerate(data.get("cue", [])):
        where = f"{path}:{cue_lines[i] if i < len(cue_lines) else 0}"
        unknown = set(raw) - _CUE_KEYS
        if unknown:
            raise ConfigError(f"{where}: cue: unknown key(s) {sorted(unknown)}; allowed: {sorted(_CUE_KEYS)}")
        name, reason = raw.get("name"), raw.get("reason")
        if not isinstance(name, str) or not name or not isinstance(reason, str) or not reason:
            raise ConfigError(f"{where}: a cue needs a name and a reason (shown to the moderator)")
        before = _phrases(raw["before"], where, "before") if "before" in raw else []
        after = _phrases(raw["after"], where, "after") if "after" in raw else []
        flags = {}
        for key in ("quotes", "question", "dismiss", "next_sentence"):
            val = raw.get(key, False)
            if not isinstance(val, bool):
                raise ConfigError(f"{where}: {key} must be true or false")
            flags[key] = val
        if not (before or after or flags["quotes"]):
            raise ConfigError(f"{where}: cue {name!r} needs before, after or quotes")
        rules = _rule_list(raw.get("rules", []), ids, where, "rules")
        except_rules = _rule_list(raw.get("except_rules", []), ids, where, "except_rules")
        priority = raw.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 100:
            raise ConfigError(f"{where}: priority must be an integer 0-100")
        line = cue_lines[i] if i < len(cue_lines) else 0
        examples = tuple((t, g, line) for t, g in _examples(raw.get("examples"), where))
        words = _phrases(raw["words"], where, "words") if "words" in raw else []
        cue_window = raw.get("window", 0)
        if not isinstance(cue_window, int) or isinstance(cue_window, bool) or not 0 <= cue_window <= 40:
            raise ConfigError(f"{where}: window must be an integer 1-40 (words either side of a match)")
        cues.append(
            Cue(
                name=name,
                reason=reason,
                before=_alternation(before) if before else None,
                after=_alternation(after) if after else None,
                quotes=flags["quotes"],
                question=flags["question"],
                rules=tuple(rules),
                except_rules=tuple(except_rules),
                priority=priority,
                words=_alternation(words) if words else None,
                window=cue_window,
                dismiss=flags["dismiss"],
                before_at_once=_ending(before) if before and flags["dismiss"] else None,
                next_sentence=flags["next_sentence"],
                examples=examples,
                line=line,
            )
        )
    hom_lines = _lines(text, "homonym")
    for i, raw in enumerate(data.get("homonym", [])):
        line = hom_lines[i] if i < len(hom_lines) else 0
        where = f"{path}:{line}"
        unknown = set(raw) - _HOMONYM_KEYS
        if unknown:
            raise ConfigError(f"{where}: homonym: unknown key(s) {sorted(unknown)}; allowed: {sorted(_HOMONYM_KEYS)}")
        for key in ("words", "senses", "reason"):
            if key not in raw:
                raise ConfigError(f"{where}: a homonym needs {key}")
        if not isinstance(raw["reason"], str) or not raw["reason"]:
            raise ConfigError(f"{where}: reason must be a non-empty string")
        words = _phrases(raw["words"], where, "words")
        senses = _phrases(raw["senses"], where, "senses")
        examples = tuple((t, g, line) for t, g in _examples(raw.get("examples"), where))
        cues.append(
            Cue(
                name=f"homonym:{words[0].rstrip('*')}",
                reason=raw["reason"],
                except_rules=tuple(_rule_list(raw.get("except_rules", []), ids, where, "except_rules")),
                words=_alternation(words),
                senses=_alternation(senses),
                examples=examples,
                line=line,
            )
        )
    return Guard(frozenset(gclauses), window, cues, str(path), text, frozenset(held_by))


def _rule_list(value: Any, ids: set[str], where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: {key} must be a list of rule ids (or 'group.' for every rule in a group)")
    for v in value:
        if v.endswith("."):
            if not any(r.startswith(v) for r in ids):
                raise ConfigError(f"{where}: {key}: no rule id starts with {v!r}")
        elif v not in ids:
            raise ConfigError(f"{where}: {key}: unknown rule {v!r}")
    return list(value)
