"""The policy's own files: ``policy.toml`` (version, date, defaults, allowed words) and ``clauses.toml``, and the
TOML reading with line numbers that every policy file shares (``tomllib`` reports none for values)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from moderation.domain import Action, ConfigError

from .model import Clause
from .word_lists import read_word_file


class Where:
    """Finds line numbers in a TOML file's text for error messages."""

    def __init__(self, path: Path, text: str, header: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if line.strip() == f"[[{header}]]"]

    def line(self, index: int, key: str | None = None) -> int:
        if index >= len(self.headers):
            return 0
        start = self.headers[index]
        if key is None:
            return start
        end = self.headers[index + 1] if index + 1 < len(self.headers) else len(self.lines) + 1
        pat = re.compile(rf"^\s*(?:\[rule\.)?{re.escape(key)}\s*(?:=|\])")
        for no in range(start, end):
            if pat.match(self.lines[no - 1]):
                return no
        return start

    def error(self, index: int, rule_id: str, message: str, key: str | None = None) -> ConfigError:
        where = f"{self.path}:{self.line(index, key)}"
        who = f"rule {rule_id!r}: " if rule_id else ""
        return ConfigError(f"{where}: {who}{message}")


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    if not path.is_file():
        raise ConfigError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def load_metadata(base: Path) -> dict[str, Any]:
    data, text = read_toml(base / "policy.toml")
    path = base / "policy.toml"
    allowed = {"policy", "defaults", "lexicon"}
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{path}: unknown section [{key}]")
    meta = data.get("policy", {})
    for key in ("version", "date"):
        if not isinstance(meta.get(key), str):
            raise ConfigError(f"{path}: [policy] needs a string {key!r}")
    unknown = set(meta) - {"version", "date", "title", "document"}
    if unknown:
        raise ConfigError(f"{path}: [policy] unknown key(s) {sorted(unknown)}")
    defaults = data.get("defaults", {})
    unknown = set(defaults) - {"no_finding_action", "no_finding_priority"}
    if unknown:
        raise ConfigError(f"{path}: [defaults] unknown key(s) {sorted(unknown)}")
    try:
        action = Action(defaults.get("no_finding_action", "queue"))
    except ValueError as exc:
        raise ConfigError(f"{path}: [defaults] no_finding_action must be queue or approve") from exc
    if action not in (Action.QUEUE, Action.APPROVE):
        raise ConfigError(f"{path}: [defaults] no_finding_action must be queue or approve")
    prio = defaults.get("no_finding_priority", 10)
    if not isinstance(prio, int) or not 0 <= prio <= 100:
        raise ConfigError(f"{path}: [defaults] no_finding_priority must be an integer 0-100")
    lex = data.get("lexicon", {})
    unknown = set(lex) - {"allow_file"}
    if unknown:
        raise ConfigError(f"{path}: [lexicon] unknown key(s) {sorted(unknown)}")
    allow = read_word_file(base / lex["allow_file"]) if "allow_file" in lex else []
    return {
        "version": meta["version"],
        "date": meta["date"],
        "title": meta.get("title", ""),
        "document": meta.get("document", "../moderation_policy.md"),
        "no_finding_action": action,
        "no_finding_priority": prio,
        "allow_terms": allow,
    }


def load_clauses(base: Path) -> dict[str, Clause]:
    path = base / "clauses.toml"
    data, text = read_toml(path)
    where = Where(path, text, "clause")
    if set(data) - {"clause"}:
        raise ConfigError(f"{path}: unknown section(s) {sorted(set(data) - {'clause'})}")
    clauses: dict[str, Clause] = {}
    for i, raw in enumerate(data.get("clause", [])):
        unknown = set(raw) - {"id", "title", "human_review_only", "summary"}
        if unknown:
            raise where.error(i, "", f"clause: unknown key(s) {sorted(unknown)}")
        cid, title = raw.get("id"), raw.get("title")
        if not isinstance(cid, str) or not isinstance(title, str) or not cid or not title:
            raise where.error(i, "", "clause needs a string id and title")
        if cid in clauses:
            raise where.error(i, "", f"clause {cid!r} is defined twice")
        hro = raw.get("human_review_only", False)
        if not isinstance(hro, bool):
            raise where.error(i, "", f"clause {cid!r}: human_review_only must be true or false")
        clauses[cid] = Clause(cid, title, hro, str(raw.get("summary", "")))
    if not clauses:
        raise ConfigError(f"{path}: no clauses defined")
    return clauses
