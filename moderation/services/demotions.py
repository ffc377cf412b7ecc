"""Automation demoting its own rules: the circuit breaker and overturn calibration, run by the worker.

* **Circuit breaker.** A rule that suddenly hides a large share of an account's comments is more likely broken
  (a bad word list, a news event that makes an ordinary word common) than right. When one rule auto-hid more
  than ``breaker.share`` of an account's comments in the last ``breaker.window_minutes`` (and at least
  ``breaker.min_comments`` arrived), the rule is switched to shadow (a ``rule_override`` row that triage passes
  to the pipeline), the ledger says why, and moderators get an alert. What it already hid stays hidden and
  stays in the queue (``auto_hidden`` is an open state) for people to review.
* **Overturn calibration.** When moderators approve (overturn) more than ``calibration.share`` of a rule's
  auto-hides over ``calibration.days`` (at least ``calibration.min_hides`` of them), the rule is demoted to
  ``queue_only``: its findings still reach the queue at high priority, but nothing is hidden without a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.domain import State
from moderation.domain.states import APPROVE, AUTO_HIDE
from moderation.store.tables import (
    Account,
    Alert,
    Comment,
    Decision,
    RuleOverride,
)

from .base import Component, Core
from .views import Plain

if TYPE_CHECKING:
    from .limits import Limits


@dataclass(frozen=True)
class Demotion(Plain):
    rule_id: str
    mode: str
    reason: str
    account_id: int | None = None


class Demotions(Component):
    """Rules automation demotes itself: the circuit breaker (to shadow) and overturn calibration (to queue-only)."""

    def __init__(self, core: Core, limits: Limits) -> None:
        super().__init__(core)
        self.limits = limits

    def _demote(
        self,
        session: Session,
        rule_id: str,
        mode: str,
        reason: str,
        kind: str,
        account_id: int | None,
        facts: dict[str, object],
    ) -> Demotion | None:
        existing = session.get(RuleOverride, rule_id)
        if existing is not None and (existing.mode == mode or existing.mode == "shadow"):
            return None  # already demoted at least as far
        if existing is None:
            existing = RuleOverride(rule_id=rule_id, mode=mode, reason=reason, created_at=self.core.now())
        else:
            existing.mode, existing.reason, existing.created_at = mode, reason, self.core.now()
        session.add(existing)
        session.add(
            Alert(kind=kind, message=reason, account_id=account_id, rule_id=rule_id, created_at=self.core.now())
        )
        self.core.record(
            session,
            "rule_demoted",
            f"system:{kind}",
            {"rule": rule_id, "mode": mode, "reason": reason, "account": account_id, **facts},
        )
        return Demotion(rule_id=rule_id, mode=mode, reason=reason, account_id=account_id)

    def check_circuit_breakers(self, account: int | None = None) -> list[Demotion]:
        """Switch to shadow any rule that auto-hid too large a share of an account's recent comments."""
        out: list[Demotion] = []
        with self.core.tx() as session:
            share = self.limits.limit(session, "breaker.share")
            window = timedelta(minutes=self.limits.limit(session, "breaker.window_minutes"))
            minimum = int(self.limits.limit(session, "breaker.min_comments"))
            since = self.core.now() - window
            accounts = [account] if account is not None else list(session.exec(select(Account.id)).all())
            for account_id in accounts:
                total = int(
                    session.exec(
                        select(func.count())
                        .select_from(Comment)
                        .where(Comment.account_id == account_id, col(Comment.fetched_at) >= since)
                    ).one()
                )
                if total < minimum:
                    continue
                hides = session.exec(
                    select(Decision.actor, func.count())
                    .join(Comment, col(Comment.id) == col(Decision.comment_id))
                    .where(
                        Comment.account_id == account_id,
                        Decision.action == AUTO_HIDE,
                        col(Decision.created_at) >= since,
                    )
                    .group_by(Decision.actor)
                ).all()
                for actor, n in hides:
                    rule_id = actor.removeprefix("auto:")
                    if n / total <= share:
                        continue
                    reason = (
                        f"circuit breaker: rule {rule_id} auto-hid {n} of {total} comments "
                        f"({n / total:.0%}) on account {account_id} in the last {window.total_seconds() / 60:g} "
                        f"minutes (limit {share:.0%}); switched to shadow until an admin restores it"
                    )
                    d = self._demote(
                        session,
                        rule_id,
                        "shadow",
                        reason,
                        "circuit_breaker",
                        account_id,
                        {"hides": n, "comments": total, "share_limit": share},
                    )
                    if d:
                        out.append(d)
        return out

    def check_calibration(self) -> list[Demotion]:
        """Demote to queue-only any rule whose auto-hides moderators overturn too often."""
        out: list[Demotion] = []
        with self.core.tx() as session:
            share = self.limits.limit(session, "calibration.share")
            minimum = int(self.limits.limit(session, "calibration.min_hides"))
            since = self.core.now() - timedelta(days=self.limits.limit(session, "calibration.days"))
            auto = session.exec(
                select(Decision.actor, Decision.comment_id).where(
                    Decision.action == AUTO_HIDE, col(Decision.created_at) >= since
                )
            ).all()
            by_rule: dict[str, set[int]] = {}
            for actor, cid in auto:
                by_rule.setdefault(actor.removeprefix("auto:"), set()).add(cid)
            if not by_rule:
                return out
            overturned = set(
                session.exec(
                    select(Decision.comment_id).where(
                        Decision.action == APPROVE,
                        Decision.from_state == State.AUTO_HIDDEN.value,
                        col(Decision.undone).is_(False),
                        col(Decision.created_at) >= since,
                        ~col(Decision.actor).startswith("auto:"),
                        ~col(Decision.actor).startswith("system:"),
                    )
                ).all()
            )
            for rule_id, comments in sorted(by_rule.items()):
                n = len(comments)
                if n < minimum:
                    continue
                bad = len(comments & overturned)
                if bad / n <= share:
                    continue
                reason = (
                    f"overturn calibration: moderators reversed {bad} of rule {rule_id}'s {n} auto-hides "
                    f"({bad / n:.0%}, limit {share:.0%}); demoted to queue-only"
                )
                d = self._demote(
                    session,
                    rule_id,
                    "queue_only",
                    reason,
                    "calibration",
                    None,
                    {"auto_hides": n, "overturned": bad, "share_limit": share},
                )
                if d:
                    out.append(d)
        return out
