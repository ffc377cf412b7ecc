"""An evasive spelling is masked like the plain word: the pipeline's finding spans cover what the person wrote,
in the detail view (spans) and in previews, which run whitespace together (the finding's words)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.rules import load_policy
from moderation.services.queries import preview
from moderation.services.views import FindingView
from tui import safe
from tui.format import mask_clauses, mask_spans, mask_words

POLICIES = Path(__file__).resolve().parents[2] / "policies"

EVASIVE = [
    ("you stupid fagott", "fagott"),
    ("you stupid f4ggot", "f4ggot"),
    ("shut up you 4sshole", "4sshole"),
    ("you f a g g o t", "f a g g o t"),
    ("you f a g g o t\nplease", "f a g g o t"),
    ("ｙｏｕ ｆａｇｇｏｔ", "ｆａｇｇｏｔ"),
    ("you fаggоt", "fаggоt"),  # Cyrillic а and о
]


@pytest.fixture(scope="module")
def policy():  # type: ignore[no-untyped-def]
    return load_policy(POLICIES)


def views(policy, text):  # type: ignore[no-untyped-def]
    v = policy.check(text)
    return [
        FindingView(
            f.rule_id, f.clause, f.severity.value, f.action.value, f.mode.value, f.start, f.end, f.match,
            f.confidence, f.explanation, f.rule_hash, v.policy_version,
        )
        for f in v.findings
    ]  # fmt: skip


@pytest.mark.parametrize(("text", "word"), EVASIVE)
def test_evasive_spelling_is_masked_in_the_detail(policy, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    family = mask_clauses(policy.clauses)
    shown = safe.literal(text, masks=mask_spans(views(policy, text), family)).plain
    assert word not in shown
    assert shown.count("•") >= len(word.replace(" ", "")), shown


@pytest.mark.parametrize(("text", "word"), EVASIVE)
def test_evasive_spelling_is_masked_in_the_preview(policy, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    family = mask_clauses(policy.clauses)
    flat = preview(text)
    shown = safe.line(flat, masks=safe.mask_occurrences(flat, mask_words(views(policy, text), family))).plain
    assert " ".join(word.split()) not in shown
    assert "•" in shown
