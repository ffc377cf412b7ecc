"""``modq policy check``: is the executable policy consistent with itself and with the published policy?

Checks, each reported as a problem naming the file and rule:

1. every rule cites a clause of ``clauses.toml`` (the loader already refuses otherwise);
2. every clause is enforced by at least one enforce-mode rule, or is marked ``human_review_only``
   (and then no rule may cite it);
3. every rule's examples pass: ``match`` examples make the rule fire, ``no_match`` examples do not;
4. no rule fires on the department's, the Minister's or listed officials' names alone (criticising them is
   lawful, so a name can never be a reason to act);
5. ``moderation_policy.md`` states the same version and date, and its numbered clause headings are exactly
   the clauses of ``clauses.toml``;
6. every regular-expression rule lists its matches in a hostile comment as long as the pipeline reads
   (``EVALUATED_CHARS``) within a small time budget (patterns run on RE2, so none can backtrack; a
   pattern RE2 cannot run is refused when the policy loads).
"""

from __future__ import annotations

import functools
import re
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from moderation.domain import Action, CommentInput, Mode, SuppressionOrder

from .pipeline import EVALUATED_CHARS, Policy
from .regex_safety import find_spans


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def example_orders(policy: Policy) -> tuple[list[SuppressionOrder], datetime | None]:
    """The self-test suppression orders in ``example_orders.toml`` and the moment to test them at."""
    path = policy.base / "example_orders.toml"
    if not path.is_file():
        return [], None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    orders = []
    when: datetime | None = None
    for raw in data.get("order", []):
        orders.append(
            SuppressionOrder(
                id=int(raw["id"]),
                case=raw["case"],
                court=raw["court"],
                terms=tuple(raw["terms"]),
                starts=raw["starts"],
                until=raw.get("until"),
                revoked=bool(raw.get("revoked", False)),
            )
        )
        when = raw.get("check_at", when)
    return orders, when


def protected_names(policy: Policy) -> list[str]:
    """Names no rule may act on alone: department names, accounts, listed people, their titles."""
    path = policy.base / "accounts.toml"
    names: list[str] = []
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names.extend(data.get("department", {}).get("names", []))
        for a in data.get("account", []):
            names.extend(x for x in (a.get("name"), a.get("handle")) if x)
            if a.get("handle"):
                names.append("@" + a["handle"])
        for p in data.get("person", []):
            names.append(p["name"])
            names.extend(p.get("aliases", []))
            if p.get("role"):
                names.append(p["role"])
                names.append(f"{p['role']} {p['name']}")
    names.extend(["the Minister", "the Secretary", "the department", "the Victorian Government", "the Premier"])
    return [n for n in dict.fromkeys(names) if n]


def run_examples(policy: Policy) -> list[Problem]:
    orders, when = example_orders(policy)
    problems: list[Problem] = []
    for rule in policy.rules:
        for ex in rule.examples:
            verdict = policy.evaluate(ex.item, orders=orders, now=when) if orders else policy.evaluate(ex.item)
            fired = [f for f in (*verdict.findings, *verdict.shadow_findings) if f.rule_id == rule.id]
            if ex.should_match and not fired:
                problems.append(
                    Problem(f"{rule.source}:{ex.line}", f"rule {rule.id!r}: example should match: {ex.item.text!r}")
                )
            if not ex.should_match and fired:
                problems.append(
                    Problem(
                        f"{rule.source}:{ex.line}",
                        f"rule {rule.id!r}: example should not match: {ex.item.text!r} (matched {fired[0].match!r})",
                    )
                )
    return problems


def run_guard_examples(policy: Policy) -> list[Problem]:
    """The context guard's examples (guard.toml): a ``guarded`` text is flagged, never hidden, and some finding
    carries the cue's reason (for a dismissing cue: no finding of its rules is left); a ``not_guarded`` text is
    hidden (the cue does not reach it), or for a denial cue ("not stupid") still has a finding of its rules."""
    guard = policy.guard
    if guard is None:
        return []
    problems: list[Problem] = []
    for cue in guard.cues:
        for text, guarded, line in cue.examples:
            v = policy.check(text)
            where = f"{guard.source}:{line}"
            hidden = v.action is Action.AUTO_HIDE or v.hide_now
            if guarded and cue.dismiss:
                if any(cue.applies_to(f.rule_id) for f in v.findings):
                    problems.append(Problem(where, f"cue {cue.name!r}: the idiom still gives a finding: {text!r}"))
            elif guarded:
                if hidden:
                    problems.append(Problem(where, f"cue {cue.name!r}: example is still hidden: {text!r}"))
                elif not any(cue.reason in f.explanation for f in v.findings):
                    problems.append(
                        Problem(where, f"cue {cue.name!r}: no finding is guarded by this cue in example: {text!r}")
                    )
            elif cue.before_at_once is not None:  # a denial ("not stupid"): an insult not denied stays a finding
                if not any(cue.applies_to(f.rule_id) for f in v.findings):
                    problems.append(Problem(where, f"cue {cue.name!r}: example should still be a finding: {text!r}"))
            elif not hidden:
                problems.append(Problem(where, f"cue {cue.name!r}: example should still be hidden: {text!r}"))
    return problems


def check_names(policy: Policy) -> list[Problem]:
    problems = []
    for name in protected_names(policy):
        for text in (name, f"{name}.", f"@{name}", f"{name}!"):
            v = policy.evaluate(CommentInput(text=text))
            for f in (*v.findings, *v.shadow_findings):
                rule = policy.by_id[f.rule_id]
                problems.append(
                    Problem(f"{rule.source}:{rule.line}", f"rule {rule.id!r} fires on the protected name {text!r}")
                )
    return problems


def check_coverage(policy: Policy) -> list[Problem]:
    problems = []
    cited: dict[str, list[str]] = {}
    for rule in policy.rules:
        if rule.clause not in policy.clauses:
            problems.append(Problem(f"{rule.source}:{rule.line}", f"rule {rule.id!r} cites unknown clause"))
        if rule.mode is Mode.ENFORCE:
            cited.setdefault(rule.clause, []).append(rule.id)
    for clause in policy.clauses.values():
        rules = [r.id for r in policy.rules if r.clause == clause.id]
        if clause.human_review_only and rules:
            problems.append(
                Problem("clauses.toml", f"clause {clause.id} is human-review-only but rules cite it: {rules}")
            )
        if not clause.human_review_only and clause.id not in cited:
            problems.append(
                Problem(
                    "clauses.toml",
                    f"clause {clause.id} ({clause.title}) has no enforce-mode rule; "
                    "add one or mark it human_review_only",
                )
            )
    return problems


_HEADING = re.compile(r"^#{2,4}\s+(\d+)\.\s+(.+?)\s*$")
_VERSION = re.compile(r"^\*{0,2}Version:?\*{0,2}:?\s*([0-9][0-9A-Za-z.\-]*)", re.IGNORECASE)
_DATE = re.compile(r"^\*{0,2}Date:?\*{0,2}:?\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def check_document(policy: Policy, document: Path | None = None) -> list[Problem]:
    path = document or (policy.base / policy.meta["document"]).resolve()
    if not path.is_file():
        return [Problem(str(path), "the published policy document is missing")]
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    version = date = None
    for line in lines[:30]:
        if version is None and (m := _VERSION.match(line.strip())):
            version = m.group(1)
        if date is None and (m := _DATE.match(line.strip())):
            date = m.group(1)
    if version != policy.version:
        problems.append(Problem(str(path), f"version {version!r} differs from policy.toml's {policy.version!r}"))
    if date != policy.date:
        problems.append(Problem(str(path), f"date {date!r} differs from policy.toml's {policy.date!r}"))
    headings: dict[str, tuple[str, int]] = {}
    for no, line in enumerate(lines, start=1):
        if m := _HEADING.match(line):
            headings[m.group(1)] = (m.group(2), no)
    for cid, clause in policy.clauses.items():
        if cid not in headings:
            problems.append(Problem(str(path), f"clause {cid} ({clause.title}) has no numbered heading"))
        elif headings[cid][0].lower() != clause.title.lower():
            problems.append(
                Problem(
                    f"{path}:{headings[cid][1]}",
                    f"clause {cid} heading {headings[cid][0]!r} differs from clauses.toml's {clause.title!r}",
                )
            )
    for cid, (title, no) in headings.items():
        if cid not in policy.clauses:
            problems.append(Problem(f"{path}:{no}", f"clause {cid} ({title}) is not in clauses.toml"))
    return problems


def _hostile_inputs(size: int) -> Sequence[str]:
    return (
        "a" * size,
        " " * size,
        "i will " * (size // 7),
        "you are a " * (size // 10),
        "1" * size,
        "a.b." * (size // 4),
        "hello world, " * (size // 13),
        "ab@" * (size // 3),
        "12 " * (size // 3),
    )


def _best(fn: Callable[[], object], budget: float, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
        if best <= budget:  # fast enough already: no need to repeat
            break
    return best


REGEX_BUDGET_SECONDS = 0.02


def check_regex_time(
    policy: Policy, size: int = EVALUATED_CHARS, budget: float = REGEX_BUDGET_SECONDS
) -> list[Problem]:
    """Time every regex rule on hostile strings as long as the pipeline ever reads (best of three, CPU time).

    Policy patterns run on RE2, so none can backtrack; but a linear pattern can still be slow per character
    (large bounded repeats of classes). A rule is reported when listing its matches in one hostile comment of
    ``size`` characters takes more than ``budget`` seconds.
    """
    problems = []
    for rule, compiled in zip(policy.rules, policy.compiled, strict=True):
        if rule.kind != "regex":
            continue
        for text in _hostile_inputs(size):
            took = _best(functools.partial(find_spans, compiled, text), budget)
            if took > budget:
                problems.append(
                    Problem(
                        f"{rule.source}:{rule.line}",
                        f"rule {rule.id!r} is slow: {took * 1000:.0f} ms on a {size:,}-character comment "
                        f"(budget {budget * 1000:.0f} ms); bound its repeats or split it",
                    )
                )
                break
    return problems


def check_policy(policy: Policy, document: Path | None = None) -> list[Problem]:
    """Every check above; an empty list means the policy is consistent."""
    return [
        *check_coverage(policy),
        *run_examples(policy),
        *run_guard_examples(policy),
        *check_names(policy),
        *check_document(policy, document),
        *check_regex_time(policy),
    ]
