"""Read and validate the executable policy in ``policies/``.

Layout of a policy directory::

    policy.toml          version, date, defaults (what happens to a comment no rule flags), allow list
    clauses.toml         the numbered clauses of moderation_policy.md ([[clause]] id, title, human_review_only)
    rules/*.toml         rule packs: [[rule]] tables (see docs/rules.md for every key)
    lexicons/*.txt       word and phrase lists, one entry per line, "#" comments, "word*" = any ending
    accounts.toml        official accounts, department names, listed people
    pending_cases.toml   accused people in pending cases (sub judice)
    link_allowlist.txt   domains links may point to

Loading is strict. Every problem raises ``ConfigError`` with ``file:line: rule 'id': what is wrong``:
unknown keys, missing or unknown clauses, bad values, duplicate ids, missing files, regular expressions
that the linear-time engine cannot run (see ``regex_safety``). ``tomllib`` reports no
line numbers for values, so the loader finds each ``[[rule]]`` header and ``key =`` line by scanning the
file text.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from moderation.domain import Action, CommentInput, ConfigError, Mode, Route, Severity

from . import detectors
from .model import Clause, Example, Rule
from .normalise import normalise
from .policy_files import Where, load_clauses, load_metadata, read_toml
from .regex_safety import UnsafePattern, check_pattern
from .word_lists import MAX_EXPANSION, expand, fold_entry, include_lists, read_word_file

# Kept importable from here: the word lists and the policy's own files have their own modules.
__all__ = [
    "MAX_EXPANSION", "expand", "include_lists", "load_clauses", "load_metadata", "load_rule_file", "read_word_file",
]  # fmt: skip

RULE_KEYS = {
    "id", "clause", "description", "explanation", "words", "words_file", "regex", "detector", "params",
    "whole_word", "evasion", "prefilter", "when", "action", "route", "priority", "severity", "mode",
    "hide_now", "confidence", "examples",
}  # fmt: skip
WHEN_KEYS = {"platform", "account", "prior_hidden_min", "prior_hidden_max", "reply"}
EXAMPLE_KEYS = {"match", "no_match"}
ITEM_KEYS = {
    "text", "platform", "account", "author_id", "author_handle", "author_name", "is_reply",
    "author_prior_hidden", "repeat_count",
}  # fmt: skip
PLATFORMS = {"facebook", "instagram", "x"}
DEFAULT_PRIORITY = {Action.ESCALATE: 90, Action.AUTO_HIDE: 80, Action.QUEUE: 50, Action.APPROVE: 0}
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]{1,80}$")


def _item(raw: Any, where: Where, index: int, rid: str) -> CommentInput:
    if isinstance(raw, str):
        return CommentInput(text=raw)
    if not isinstance(raw, dict):
        raise where.error(index, rid, "an example must be a string or a table", "examples")
    unknown = set(raw) - ITEM_KEYS
    if unknown:
        raise where.error(index, rid, f"example: unknown key(s) {sorted(unknown)}", "examples")
    try:
        return CommentInput(**{"text": "", **raw})
    except TypeError as exc:
        raise where.error(index, rid, f"bad example: {exc}", "examples") from exc


def _conditions(when: dict[str, Any], where: Where, index: int, rid: str) -> Callable[[CommentInput], bool] | None:
    unknown = set(when) - WHEN_KEYS
    if unknown:
        raise where.error(index, rid, f"[rule.when] unknown key(s) {sorted(unknown)}", "when")
    checks: list[Callable[[CommentInput], bool]] = []
    if "platform" in when:
        plats = when["platform"]
        if not isinstance(plats, list) or not plats or not set(plats) <= PLATFORMS:
            raise where.error(index, rid, f"when.platform must be a list of {sorted(PLATFORMS)}", "platform")
        pset = frozenset(plats)
        checks.append(lambda it: it.platform in pset)
    if "account" in when:
        accts = when["account"]
        if not isinstance(accts, list) or not all(isinstance(a, str) for a in accts):
            raise where.error(index, rid, "when.account must be a list of account ids", "account")
        aset = frozenset(accts)
        checks.append(lambda it: it.account in aset)
    for key, cmp in (("prior_hidden_min", 1), ("prior_hidden_max", -1)):
        if key in when:
            val = when[key]
            if not isinstance(val, int) or isinstance(val, bool) or val < 0:
                raise where.error(index, rid, f"when.{key} must be a non-negative integer", key)
            checks.append(_at_least(val) if cmp == 1 else _at_most(val))
    if "reply" in when:
        if not isinstance(when["reply"], bool):
            raise where.error(index, rid, "when.reply must be true (replies only) or false (top-level only)", "reply")
        want = when["reply"]
        checks.append(lambda it: it.is_reply == want)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda it: all(c(it) for c in checks)


def _at_least(v: int) -> Callable[[CommentInput], bool]:
    return lambda it: it.author_prior_hidden >= v


def _at_most(v: int) -> Callable[[CommentInput], bool]:
    return lambda it: it.author_prior_hidden <= v


def _enum(cls: Any, value: Any, key: str, where: Where, index: int, rid: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        options = ", ".join(m.value for m in cls)
        raise where.error(index, rid, f"{key} {value!r} is not one of: {options}", key) from None


def load_rule_file(path: Path, base: Path, clauses: dict[str, Clause]) -> list[tuple[Rule, Any]]:
    """Parse one rule pack. Returns (rule, compiled matcher data) pairs."""
    data, text = read_toml(path)
    where = Where(path, text, "rule")
    if set(data) - {"rule"}:
        raise ConfigError(f"{path}: unknown section(s) {sorted(set(data) - {'rule'})}; rules go in [[rule]] tables")
    out: list[tuple[Rule, Any]] = []
    for i, raw in enumerate(data.get("rule", [])):
        rid = raw.get("id", "")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise where.error(i, str(rid), "id must be lower-case letters, digits, '.', '_' or '-'", "id")
        unknown = set(raw) - RULE_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise where.error(i, rid, f"unknown key(s) {sorted(unknown)}", key)
        clause = raw.get("clause")
        if not isinstance(clause, str):
            raise where.error(i, rid, "missing clause (the numbered clause of the policy this rule enforces)")
        if clause not in clauses:
            raise where.error(i, rid, f"clause {clause!r} is not in clauses.toml", "clause")
        kinds = [k for k in ("words", "words_file", "regex", "detector") if k in raw]
        if not kinds or ("detector" in kinds or "regex" in kinds) and len(kinds) > 1:
            raise where.error(i, rid, "a rule needs exactly one of: words/words_file, regex, detector")
        for key in ("action", "severity"):
            if key not in raw:
                raise where.error(i, rid, f"missing {key}")
        action = _enum(Action, raw["action"], "action", where, i, rid)
        severity = _enum(Severity, raw["severity"], "severity", where, i, rid)
        mode = _enum(Mode, raw.get("mode", "enforce"), "mode", where, i, rid)
        route = None
        if "route" in raw:
            route = _enum(Route, raw["route"], "route", where, i, rid)
        if action is Action.ESCALATE and route is None:
            raise where.error(i, rid, "escalate needs a route: media, privacy or legal", "action")
        if action is not Action.ESCALATE and route is not None:
            raise where.error(i, rid, 'route is only for action = "escalate"', "route")
        priority = raw.get("priority", DEFAULT_PRIORITY[action])
        if not isinstance(priority, int) or isinstance(priority, bool) or not 0 <= priority <= 100:
            raise where.error(i, rid, "priority must be an integer 0-100", "priority")
        bools = {}
        for key, default in (("whole_word", True), ("evasion", False), ("hide_now", False)):
            val = raw.get(key, default)
            if not isinstance(val, bool):
                raise where.error(i, rid, f"{key} must be true or false", key)
            bools[key] = val
        if bools["hide_now"] and action is not Action.ESCALATE:
            raise where.error(i, rid, "hide_now is only for escalating rules", "hide_now")
        confidence = raw.get("confidence", 1.0)
        if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
            raise where.error(i, rid, "confidence must be a number in (0, 1]", "confidence")
        for key in ("description", "explanation"):
            if key in raw and not isinstance(raw[key], str):
                raise where.error(i, rid, f"{key} must be a string", key)
        when = raw.get("when", {})
        if not isinstance(when, dict):
            raise where.error(i, rid, "when must be a table", "when")
        admits = _conditions(when, where, i, rid)

        terms: list[str] = []
        pattern = ""
        compiled: Any = None
        det_name = ""
        content = ""
        prefilter: list[str] = []
        if "words" in raw or "words_file" in raw:
            kind = "words"
            words = raw.get("words", [])
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise where.error(i, rid, "words must be a list of strings", "words")
            for w in words:
                try:
                    for entry in expand(w):
                        terms.append(fold_entry(entry, path, where.line(i, "words")))
                except (ValueError, ConfigError) as exc:
                    raise where.error(i, rid, f"bad word entry {w!r}: {exc}", "words") from exc
            files = raw.get("words_file", [])
            files = [files] if isinstance(files, str) else files
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                raise where.error(i, rid, "words_file must be a file name or a list of them", "words_file")
            for f in files:
                try:
                    terms.extend(read_word_file(base / f))
                except ConfigError as exc:
                    raise where.error(i, rid, str(exc), "words_file") from exc
                content += (base / f).read_text(encoding="utf-8")
            terms = sorted(set(terms))
            if not terms:
                raise where.error(i, rid, "the word lists are empty")
        elif "regex" in raw:
            kind = "regex"
            pattern = raw["regex"]
            if not isinstance(pattern, str) or not pattern:
                raise where.error(i, rid, "regex must be a non-empty string", "regex")
            try:
                compiled = check_pattern(pattern)
            except UnsafePattern as exc:
                raise where.error(i, rid, f"regular expression refused: {exc}", "regex") from exc
        else:
            kind = "detector"
            det_name = raw["detector"]
            cls = detectors.get(det_name) if isinstance(det_name, str) else None
            if cls is None:
                raise where.error(
                    i, rid, f"unknown detector {det_name!r}; known: {', '.join(detectors.names())}", "detector"
                )
            params = raw.get("params", {})
            if not isinstance(params, dict):
                raise where.error(i, rid, "params must be a table", "params")
            unknown = set(params) - set(cls.params_spec)
            if unknown:
                raise where.error(i, rid, f"detector {det_name!r} takes no param(s) {sorted(unknown)}", "params")
            missing = cls.required_params - set(params)
            if missing:
                raise where.error(i, rid, f"detector {det_name!r} needs param(s) {sorted(missing)}", "params")
            for key, typ in cls.params_spec.items():
                if key in params and not isinstance(params[key], typ):
                    raise where.error(i, rid, f"param {key!r} must be {typ.__name__}", "params")
            if cls.queue_only and action not in (Action.QUEUE, Action.APPROVE):
                raise where.error(
                    i,
                    rid,
                    f'detector {det_name!r} may only queue (action = "queue"): a hide needs a rule a person can read',
                    "action",
                )
            try:
                compiled = cls(params, base)
            except (ValueError, KeyError, tomllib.TOMLDecodeError) as exc:
                raise where.error(i, rid, f"detector {det_name!r}: {exc}", "params") from exc
            content = compiled.content()
        if "params" in raw and kind != "detector":
            raise where.error(i, rid, "params are only for detectors", "params")
        if "prefilter" in raw:
            pf = raw["prefilter"]
            if kind != "regex" or not isinstance(pf, list) or not all(isinstance(p, str) and p for p in pf):
                raise where.error(i, rid, "prefilter must be a list of strings, on regex rules only", "prefilter")
            prefilter = sorted({normalise(p).text for p in pf})

        examples: list[Example] = []
        ex = raw.get("examples", {})
        if not isinstance(ex, dict) or set(ex) - EXAMPLE_KEYS:
            raise where.error(i, rid, "examples must be a table with 'match' and/or 'no_match' lists", "examples")
        for key, should in (("match", True), ("no_match", False)):
            items = ex.get(key, [])
            if not isinstance(items, list):
                raise where.error(i, rid, f"examples.{key} must be a list", "examples")
            for item in items:
                examples.append(Example(_item(item, where, i, rid), should, where.line(i, key)))
        if not any(e.should_match for e in examples):
            raise where.error(i, rid, "needs at least one example that must match (examples.match)", "examples")

        canonical = {
            "id": rid, "clause": clause, "kind": kind, "terms": terms, "regex": pattern, "detector": det_name,
            "params": raw.get("params", {}), "data": hashlib.sha256(content.encode()).hexdigest(),
            "whole_word": bools["whole_word"], "evasion": bools["evasion"], "prefilter": prefilter, "when": when,
            "action": action.value, "route": route.value if route else None, "priority": priority,
            "severity": severity.value, "mode": mode.value, "hide_now": bools["hide_now"], "confidence": confidence,
        }  # fmt: skip
        digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()
        rule = Rule(
            id=rid,
            clause=clause,
            action=action,
            severity=severity,
            mode=mode,
            priority=priority,
            route=route,
            kind=kind,
            source=str(path),
            line=where.line(i),
            hash=digest,
            description=raw.get("description", ""),
            explanation=raw.get("explanation", raw.get("description", "")),
            hide_now=bools["hide_now"],
            whole_word=bools["whole_word"],
            evasion=bools["evasion"],
            confidence=float(confidence),
            detector=det_name,
            terms=tuple(terms),
            pattern=pattern,
            prefilter=tuple(prefilter),
            conditions=dict(when),
            examples=tuple(examples),
            admits=admits,
        )
        out.append((rule, compiled))
    return out
