"""Measure the policy against labelled comments (``modq eval``).

The labelled files and their formats are read by ``labelled_files``.

Two questions are measured, each as precision, recall and F1 against the positive label:

* *flagged*: at least one enforce-mode finding whose action is queue, escalate or auto_hide (the no-finding
  default of "queue at low priority" does not count);
* *auto-hidden*: the verdict hides at once (``auto_hide``, or escalate with ``hide_now``).

Per clause: how many comments each clause fired on and what share of them were positive (and, for the demo
corpus whose categories map to clauses, recall per clause). Per class, when lines carry one: how many were flagged
and how many auto-hidden, and how many met their expected outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moderation.domain import Action, SuppressionOrder, Verdict

from .labelled_files import (
    CATEGORY_CLAUSE,
    EXPECTED,
    NEGATIVE_CATEGORIES,
    NEVER_HIDE,
    Labelled,
    detect_format,
    item_from_json,
    read_labelled,
)
from .pipeline import Policy

# Kept importable from here: reading labelled files has its own module.
__all__ = [
    "CATEGORY_CLAUSE", "EXPECTED", "NEGATIVE_CATEGORIES", "NEVER_HIDE", "ClassRates", "Labelled", "Report", "Score",
    "detect_format", "evaluate_items", "is_flagged", "is_hidden", "item_from_json", "meets", "peer_scores",
    "read_labelled", "render", "render_classes",
]  # fmt: skip


@dataclass
class ClassRates:
    """One class of the functional suite: how many cases, flagged, auto-hidden, and meeting ``expected``."""

    expected: str = ""
    count: int = 0
    flagged: int = 0
    hidden: int = 0
    met: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)

    def add(self, lab: Labelled, flagged: bool, hidden: bool) -> None:
        self.count += 1
        self.flagged += flagged
        self.hidden += hidden
        ok = meets(lab.expected, flagged, hidden)
        self.met += ok
        if not ok and len(self.misses) < 50:
            self.misses.append((lab.id, lab.item.text[:160]))

    def as_dict(self) -> dict[str, Any]:
        n = self.count or 1
        return {
            "expected": self.expected,
            "count": self.count,
            "flagged": self.flagged,
            "auto_hidden": self.hidden,
            "flagged_rate": round(self.flagged / n, 4),
            "auto_hidden_rate": round(self.hidden / n, 4),
            "met": self.met,
            "met_rate": round(self.met / n, 4),
        }


def meets(expected: str, flagged: bool, hidden: bool) -> bool:
    """Did a verdict meet the expected outcome? (An empty expectation is always met.)"""
    if expected == "flag":
        return flagged
    if expected == "must_not_auto_hide":
        return not hidden
    if expected == "must_not_flag":
        return not flagged
    return True


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


@dataclass
class Report:
    source: str
    count: int = 0
    positives: int = 0
    flagged: Score = field(default_factory=Score)
    hidden: Score = field(default_factory=Score)
    clauses: dict[str, dict[str, int]] = field(default_factory=dict)
    never_hide_violations: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[int, str, str, str]] = field(default_factory=list)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    has_categories: bool = False
    classes: dict[str, ClassRates] = field(default_factory=dict)
    peers: dict[str, Score | None] = field(default_factory=dict)  # None: that library is not installed

    def as_dict(self, worst: int = 10) -> dict[str, Any]:
        fps = sorted(self.false_positives, key=lambda x: -x[0])[:worst]
        return {
            "source": self.source,
            "count": self.count,
            "positives": self.positives,
            "flagged": self.flagged.as_dict(),
            "auto_hidden": self.hidden.as_dict(),
            "clauses": self.clauses,
            "never_hide_violations": [{"id": i, "category": c, "text": t} for i, c, t in self.never_hide_violations],
            "worst_false_positives": [{"id": i, "rules": r, "text": t} for _, i, r, t in fps],
            "worst_false_negatives": [{"id": i, "text": t} for i, t in self.false_negatives[:worst]],
            "classes": {name: c.as_dict() for name, c in self.classes.items()},
            "peers": {name: (s.as_dict() if s else None) for name, s in self.peers.items()},
        }


def is_flagged(v: Verdict) -> bool:
    return any(f.action is not Action.APPROVE for f in v.findings)


def is_hidden(v: Verdict) -> bool:
    return v.action is Action.AUTO_HIDE or v.hide_now


def evaluate_items(
    policy: Policy,
    items: Iterable[Labelled],
    source: str = "",
    orders: Sequence[SuppressionOrder] = (),
    now: datetime | None = None,
) -> Report:
    """Evaluate every labelled comment; ``orders``/``now`` as for ``Policy.evaluate``."""
    rep = Report(source)
    items = list(items)
    verdicts = policy.evaluate_many([lab.item for lab in items], orders, now)
    for lab, v in zip(items, verdicts, strict=True):
        flagged, hidden = is_flagged(v), is_hidden(v)
        rep.count += 1
        rep.positives += lab.positive
        rep.flagged.add(flagged, lab.positive)
        rep.hidden.add(hidden, lab.positive)
        if lab.cls:
            rates = rep.classes.get(lab.cls)
            if rates is None:
                rates = rep.classes[lab.cls] = ClassRates(lab.expected)
            rates.add(lab, flagged, hidden)
        expected_clause = CATEGORY_CLAUSE.get(lab.category)
        if lab.category in CATEGORY_CLAUSE or lab.category in NEGATIVE_CATEGORIES:
            rep.has_categories = True
        fired = set(v.clauses)
        for clause in fired:
            c = rep.clauses.setdefault(clause, {"fired": 0, "positive": 0, "expected": 0, "caught": 0})
            c["fired"] += 1
            c["positive"] += lab.positive
        if expected_clause:
            c = rep.clauses.setdefault(expected_clause, {"fired": 0, "positive": 0, "expected": 0, "caught": 0})
            c["expected"] += 1
            c["caught"] += expected_clause in fired
        if hidden and lab.category in NEVER_HIDE:
            rep.never_hide_violations.append((lab.id, lab.category, lab.item.text[:160]))
        if flagged and not lab.positive:
            weight = 2 if hidden else 1
            rules = ",".join(dict.fromkeys(f.rule_id for f in v.findings))
            rep.false_positives.append((weight * 1000 + v.priority, lab.id, rules, lab.item.text[:160]))
        elif lab.positive and not flagged and len(rep.false_negatives) < 200:
            rep.false_negatives.append((lab.id, lab.item.text[:160]))
    return rep


def render(rep: Report, worst: int = 10) -> str:
    """A plain-text summary for people."""
    out = [f"{rep.source}: {rep.count} comments, {rep.positives} positive"]
    for name, s in (("flagged", rep.flagged), ("auto-hidden", rep.hidden)):
        out.append(
            f"  {name:<12} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"
            f"  (tp {s.tp}, fp {s.fp}, fn {s.fn})"
        )
    for name, peer in rep.peers.items():
        if peer is None:
            out.append(f"  {name}: not installed (pip install {name})")
            continue
        mark = "  (policy ahead)" if rep.flagged.f1 > peer.f1 else "  (policy behind)"
        out.append(
            f"  {name + ' flagged':<34} precision {peer.precision:.3f}  recall {peer.recall:.3f}  F1 {peer.f1:.3f}"
            f"  (tp {peer.tp}, fp {peer.fp}, fn {peer.fn}){mark}"
        )
    out.append(
        "  per clause (fired: comments the clause fired on; share positive"
        + ("; recall on the clause's own category" if rep.has_categories else "")
        + "):"
    )
    for clause in sorted(rep.clauses, key=lambda c: int(c) if c.isdigit() else 99):
        c = rep.clauses[clause]
        share = c["positive"] / c["fired"] if c["fired"] else 0.0
        line = f"    clause {clause:>3}: fired {c['fired']:>6}  positive {share:.3f}"
        if c["expected"]:
            line += f"  recall {c['caught'] / c['expected']:.3f} ({c['caught']}/{c['expected']})"
        out.append(line)
    if rep.has_categories:
        out.append(f"  auto-hides of comments that must never be hidden: {len(rep.never_hide_violations)}")
        for i, cat, text in rep.never_hide_violations[:worst]:
            out.append(f"    {i} [{cat}] {text!r}")
    if rep.classes:
        out.append(render_classes(rep, worst))
    fps = sorted(rep.false_positives, key=lambda x: -x[0])[:worst]
    out.append(f"  worst false positives ({len(rep.false_positives)} in all):")
    for _, i, rules, text in fps:
        out.append(f"    {i} [{rules}] {text!r}")
    out.append(f"  false negatives ({rep.flagged.fn} in all), first {worst}:")
    for i, text in rep.false_negatives[:worst]:
        out.append(f"    {i} {text!r}")
    return "\n".join(out)


def render_classes(rep: Report, worst: int = 10) -> str:
    """The per-class table: flagged and auto-hidden rates, and how many cases met their expected outcome."""
    out = ["  per class (flagged and auto-hidden shares; met: cases with the expected outcome):"]
    out.append(f"    {'class':<28} {'expected':<19} {'n':>5} {'flagged':>8} {'hidden':>8} {'met':>8}")
    for name, c in rep.classes.items():
        n = c.count or 1
        mark = "" if c.met == c.count else "  <"
        out.append(
            f"    {name:<28} {c.expected:<19} {c.count:>5} {c.flagged / n:>8.1%} {c.hidden / n:>8.1%}"
            f" {c.met / n:>8.1%}{mark}"
        )
    missed = [(name, c) for name, c in rep.classes.items() if c.misses]
    if missed and worst:
        out.append(f"  cases missing their expected outcome (up to {worst} a class):")
        for name, c in missed:
            for i, text in c.misses[:worst]:
                out.append(f"    {name} {i} {text!r}")
    return "\n".join(out)


PEERS = ("better-profanity", "alt-profanity-check")


def peer_scores(items: Sequence[Labelled], names: Sequence[str] = PEERS) -> dict[str, Score | None]:
    """Flagged precision and recall of the comparison libraries on the same rows: better-profanity's
    ``contains_profanity``, and alt-profanity-check's ``predict`` (batched) where it is installed (None if not)."""
    texts = [lab.item.text for lab in items]
    out: dict[str, Score | None] = {}
    for name in names:
        verdicts: list[bool] | None = None
        if name == "better-profanity":
            try:
                from better_profanity import profanity
            except ImportError:  # pragma: no cover - a declared dependency
                verdicts = None
            else:
                profanity.load_censor_words()
                verdicts = [bool(profanity.contains_profanity(t)) for t in texts]
        elif name == "alt-profanity-check":
            try:
                from profanity_check import predict
            except ImportError:
                verdicts = None
            else:
                verdicts = [bool(x) for x in predict(texts)] if texts else []
        else:
            raise ValueError(f"unknown comparison library {name!r}; known: {', '.join(PEERS)}")
        if verdicts is None:
            out[name] = None
            continue
        score = Score()
        for flagged, lab in zip(verdicts, items, strict=True):
            score.add(flagged, lab.positive)
        out[name] = score
    return out
