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


@pytest.mark.parametrize("text", ["someone should kill every faggot", "I will shoot every f4ggot in town"])
def test_a_finding_whose_match_holds_a_masked_word_shows_it_masked(policy, text: str) -> None:  # type: ignore[no-untyped-def]
    from tui.widgets.detail import finding_line

    family = mask_clauses(policy.clauses)
    found = views(policy, text)
    masks = mask_spans(found, family)
    assert masks, found
    a, b = masks[0]
    word = text[a:b]
    # A wider finding of a clause that is not masked itself (a threat), whose match holds the slur.
    start = text.index("kill") if "kill" in text else text.index("shoot")
    wide = FindingView(
        "threat.grammar", "3", "high", "auto_hide", "enforce", start, len(text), text[start:], 1.0,
        "threat against a group", "h", "p",
    )  # fmt: skip
    assert (wide.start, wide.end) not in masks
    shown = finding_line(wide, policy.clauses, False, masks).plain
    assert word not in shown, shown
    assert "•" * len(word) in shown
    assert text[start:a] in shown  # the rest of the match is still shown
