"""Shared constants for the rules tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from moderation.domain import SuppressionOrder

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
SHARED_DATA = REPO.parent / "shared" / "data"

DEMO_ORDER = SuppressionOrder(
    id=1,
    case="DPP v J.M. (a minor)",
    court="County Court of Victoria",
    terms=("Jordan Mills", "J-Mills"),
    starts=datetime(2026, 1, 1),
    until=datetime(2027, 12, 31),
)
DURING = datetime(2026, 11, 21, 9, 0)
