"""The rules pipeline: the published policy made executable (a functional core: text in, verdict out).

Callers::

    from moderation.rules import load_policy
    policy = load_policy()                 # MODQ_POLICY_DIR, else the default policy
    verdict = policy.evaluate(CommentInput(text="..."), orders=orders, now=now)

This package imports nothing of the store, the services, the CLI or the platforms (import-linter enforces
it), never reads a clock and never touches the network.
"""

from __future__ import annotations

import os
from pathlib import Path

from moderation.domain import ConfigError

from .guard_file import load_guard
from .loader import load_clauses, load_metadata, load_rule_file
from .model import Clause, Rule
from .pipeline import Policy

# An installed wheel carries the default policy in moderation/_policy (see setup.py); a source checkout or an
# editable install reads the repository's policies/ directly, so edits there take effect at once.
PACKAGED_POLICY_DIR = Path(__file__).resolve().parents[1] / "_policy" / "policies"
SOURCE_POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"


def default_policy_dir() -> Path:
    """The policy used when neither ``--policy`` nor ``MODQ_POLICY_DIR`` names one."""
    return PACKAGED_POLICY_DIR if PACKAGED_POLICY_DIR.is_dir() else SOURCE_POLICY_DIR


def policy_dir() -> Path:
    env = os.environ.get("MODQ_POLICY_DIR")
    return Path(env) if env else default_policy_dir()


def load_policy(path: Path | None = None) -> Policy:
    """Load and compile the policy in ``path`` (default: ``policy_dir()``).

    Raises:
        ConfigError: any problem in any file; the message names the file, the rule and the line.
    """
    base = Path(path) if path is not None else policy_dir()
    if not base.is_dir():
        raise ConfigError(f"{base}: policy directory not found")
    meta = load_metadata(base)
    clauses = load_clauses(base)
    rule_dir = base / "rules"
    files = sorted(rule_dir.glob("*.toml")) if rule_dir.is_dir() else []
    if not files:
        raise ConfigError(f"{rule_dir}: no rule files (*.toml)")
    rules = []
    seen: dict[str, str] = {}
    for f in files:
        for rule, compiled in load_rule_file(f, base, clauses):
            if rule.id in seen:
                raise ConfigError(f"{f}:{rule.line}: rule {rule.id!r}: id already used in {seen[rule.id]}")
            seen[rule.id] = f"{f}"
            rules.append((rule, compiled))
    guard = load_guard(base, clauses, seen)
    return Policy(base, meta, clauses, rules, guard)


__all__ = ["Clause", "ConfigError", "Policy", "Rule", "default_policy_dir", "load_policy", "policy_dir"]
