"""The limits automation's safety nets work to, and the rule overrides they leave behind.

Limits are rows in the ``setting`` table (``modq limits set``), with the defaults in ``LIMITS``; the circuit
breaker, overturn calibration and reconciliation read them here. An override (``rule_override``) is what a
demotion leaves: triage passes it to the pipeline until an admin clears it (``modq overrides clear``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from moderation.domain import InputError, NotFoundError
from moderation.store.tables import (
    RuleOverride,
)

from .base import Component, aware
from .views import Plain

LIMITS: dict[str, float] = {
    "breaker.share": 0.5,
    "breaker.window_minutes": 60,
    "breaker.min_comments": 20,
    "calibration.share": 0.3,
    "calibration.days": 30,
    "calibration.min_hides": 10,
    "reconcile.hours": 24,
}


@dataclass(frozen=True)
class OverrideView(Plain):
    rule_id: str
    mode: str
    reason: str
    created_at: datetime


class Limits(Component):
    """The limits the safety nets work to, and the overrides they leave on rules."""

    def limit(self, session: Session, key: str) -> float:
        raw = self.core.get_setting(session, "limit:" + key, "")
        try:
            return float(raw) if raw else LIMITS[key]
        except ValueError:
            return LIMITS[key]

    def limits(self) -> dict[str, float]:
        with self.core.tx() as session:
            return {k: self.limit(session, k) for k in LIMITS}

    def set_limit(self, key: str, value: float, actor: str) -> None:
        if key not in LIMITS:
            raise InputError(f"unknown limit '{key}'; known: {', '.join(sorted(LIMITS))}")
        if key.endswith(".share") and not 0 < value <= 1:
            raise InputError(f"{key} is a share between 0 and 1")
        if not key.endswith(".share") and value <= 0:
            raise InputError(f"{key} must be positive")
        with self.core.tx() as session:
            self.core.acting(session, actor, "automation")
            self.core.put_setting(session, "limit:" + key, repr(float(value)))
            self.core.record(session, "limit_set", actor, {"key": key, "value": value})

    def overrides(self) -> list[OverrideView]:
        with self.core.tx() as session:
            return [
                OverrideView(rule_id=r.rule_id, mode=r.mode, reason=r.reason, created_at=aware(r.created_at))  # type: ignore[arg-type]
                for r in session.exec(select(RuleOverride).order_by(col(RuleOverride.created_at))).all()
            ]

    def clear_override(self, rule_id: str, actor: str, reason: str = "") -> None:
        """Give a demoted rule back its own mode (admins: the ``automation`` right)."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "automation")
            row = session.get(RuleOverride, rule_id)
            if row is None:
                raise NotFoundError(f"rule {rule_id!r} has no override")
            session.delete(row)
            self.core.record(session, "rule_restored", actor, {"rule": rule_id, "was": row.mode, "reason": reason})
