"""The demo corpus (moderation/demo/): automation never hides lawful criticism, ordinary comments, mild
swearing inside criticism or Scunthorpe place names, and catches the clear cases."""

from __future__ import annotations

import json

import pytest

from moderation.domain import Action
from moderation.rules import Policy
from moderation.rules.evaluation import NEVER_HIDE, item_from_json

from .support import DEMO_ORDER, DURING, REPO

CORPUS = REPO / "moderation" / "demo" / "corpus.jsonl"
LABELS = REPO / "moderation" / "demo" / "labels.json"


def _rows() -> list[tuple[str, dict[str, object]]]:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(labels[str(r["id"])], r) for r in rows]


@pytest.fixture(scope="module")
def rows() -> list[tuple[str, dict[str, object]]]:
    if not CORPUS.is_file() or not LABELS.is_file():
        pytest.fail(f"demo corpus missing: {CORPUS}")
    return _rows()


def test_never_hides_lawful_comments(policy: Policy, rows: list[tuple[str, dict[str, object]]]) -> None:
    hidden = []
    for category, row in rows:
        if category not in NEVER_HIDE:
            continue
        v = policy.evaluate(item_from_json(row), orders=[DEMO_ORDER], now=DURING)
        if v.action is Action.AUTO_HIDE or v.hide_now:
            hidden.append((category, row["text"], [f.rule_id for f in v.findings]))
    assert hidden == []
    assert sum(1 for c, _ in rows if c in NEVER_HIDE) > 100


@pytest.mark.parametrize(
    ("category", "minimum"),
    # Clause 1: disguised *mild* words ("sh1t", "f u c k i n g useless") are queued, and so is severe obscenity
    # not aimed at a person ("Absolute c*nts running this state", policy 2026.11.2): a person decides those.
    # Clause 2: "let the wogs run the health system. Send them back where they came from" is queued (7 of 8): the
    # policy hides at once only slurs aimed at a person and dehumanising statements, and "wogs" is a lesser slur
    # said of a group, "send them back" an exclusion (hate.go_back).
    [("offensive_severe", 0.55), ("threat", 1.0), ("hate", 0.85), ("suppression_order", 1.0), ("impersonation", 1.0)],
)
def test_clear_cases_are_acted_on(
    policy: Policy, rows: list[tuple[str, dict[str, object]]], category: str, minimum: float
) -> None:
    acted = total = 0
    for cat, row in rows:
        if cat != category:
            continue
        total += 1
        v = policy.evaluate(item_from_json(row), orders=[DEMO_ORDER], now=DURING)
        acted += v.action in (Action.AUTO_HIDE, Action.ESCALATE)
        assert v.findings, f"{category} not flagged at all: {row['text']!r}"
    assert total and acted / total >= minimum, f"{category}: {acted}/{total}"
