"""The eval command's figures on slices of the shared labelled data (read in place, never copied)."""

from __future__ import annotations

import itertools

import pytest

from moderation.rules import Policy
from moderation.rules.evaluation import evaluate_items, read_labelled

from .support import SHARED_DATA

DAVIDSON = SHARED_DATA / "davidson" / "labeled_data.csv"
OLID = SHARED_DATA / "olid" / "olid-training-v1.0.tsv"

pytestmark = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason=f"shared data sets not found at {SHARED_DATA} (CI keeps them beside the clone)"
)


def test_davidson_slice(policy: Policy) -> None:
    items = list(itertools.islice(read_labelled(DAVIDSON), 3000))
    rep = evaluate_items(policy, items, "davidson")
    assert rep.count == 3000
    assert rep.flagged.recall >= 0.90
    assert rep.hidden.precision >= 0.99
    assert rep.hidden.tp > 100


def test_olid_slice(policy: Policy) -> None:
    items = list(itertools.islice(read_labelled(OLID), 3000))
    rep = evaluate_items(policy, items, "olid")
    assert rep.count == 3000
    assert rep.flagged.f1 > 0.50  # better-profanity: 0.50 on the full set
    assert rep.hidden.precision >= 0.9


def test_formats_are_detected(policy: Policy) -> None:
    first = next(read_labelled(DAVIDSON))
    assert first.category in ("hate", "offensive", "neither")
    first_olid = next(read_labelled(OLID))
    assert first_olid.category in ("OFF", "NOT") and first_olid.id
