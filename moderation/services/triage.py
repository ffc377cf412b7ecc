"""Triage: run the published policy over new comments and act on the verdict.

What automation may do (the product's promise to the committee):
- only an ``enforce``-mode rule whose action is ``auto_hide`` hides without a person;
- shadow-mode findings are stored and shown, and never act;
- while automation is paused, or for comments older than the account's activation (a backfill),
  an auto-hide verdict is queued for a person instead, at high priority.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from moderation.domain import CommentInput, Finding, State, SuppressionOrder, Verdict
from moderation.domain.lifecycle import Triaged
from moderation.store.tables import (
    Account,
    Comment,
    FindingRow,
    RuleOverride,
    SuppressionOrderRow,
)

from .base import aware
from .transitions import TransitionsMixin
from .views import TriageReport

AUTOMATION_PAUSED = "automation_paused"
REPEAT_WINDOW = timedelta(hours=24)


def finding_row(comment: Comment, finding: Finding, policy_version: str, now: datetime) -> FindingRow:
    """The stored form of one finding on the comment's current text."""
    return FindingRow(
        comment_id=comment.id or 0,
        text_version=comment.text_version,
        rule_id=finding.rule_id,
        rule_hash=finding.rule_hash,
        policy_version=policy_version,
        clause=finding.clause,
        severity=finding.severity.value,
        action=finding.action.value,
        mode=finding.mode.value,
        start=finding.start,
        end=finding.end,
        match=finding.match,
        confidence=finding.confidence,
        explanation=finding.explanation,
        created_at=now,
    )


def order_value(row: SuppressionOrderRow) -> SuppressionOrder:
    return SuppressionOrder(
        id=row.id or 0,
        case=row.case,
        court=row.court,
        terms=tuple(json.loads(row.terms)),
        starts=aware(row.starts),  # type: ignore[arg-type]
        until=aware(row.until),
        revoked=row.revoked_at is not None,
    )


class TriageMixin(TransitionsMixin):
    def automation_paused(self, session: Session | None = None) -> bool:
        if session is None:
            with self.tx() as s:
                return self.get_setting(s, AUTOMATION_PAUSED, "0") == "1"
        return self.get_setting(session, AUTOMATION_PAUSED, "0") == "1"

    def active_orders(self, session: Session) -> list[SuppressionOrder]:
        now = self.now()
        rows = session.exec(select(SuppressionOrderRow).where(SuppressionOrderRow.revoked_at.is_(None))).all()  # type: ignore[union-attr]
        return [o for o in (order_value(r) for r in rows) if o.active_at(now)]

    def rule_overrides(self, session: Session) -> dict[str, str]:
        return {r.rule_id: r.mode for r in session.exec(select(RuleOverride)).all()}

    def triage_pending(self, limit: int | None = None, batch: int = 200, force_backfill: bool = False) -> TriageReport:
        """Triage every comment in state ``new`` (oldest first), in transactions of ``batch`` comments."""
        done = 0
        states: Counter[str] = Counter()
        while limit is None or done < limit:
            take = batch if limit is None else min(batch, limit - done)
            with self.tx() as session:
                rows = session.exec(
                    select(Comment).where(Comment.state == State.NEW.value).order_by(Comment.id).limit(take)  # type: ignore[arg-type]
                ).all()
                if not rows:
                    break
                context = self._context(session)
                for row in rows:
                    states[self._triage_one(session, row, context, force_backfill)] += 1
                    done += 1
        return TriageReport(triaged=done, by_state=dict(states))

    def _context(self, session: Session) -> dict[str, object]:
        return {
            "orders": self.active_orders(session),
            "overrides": self.rule_overrides(session),
            "paused": self.automation_paused(session),
            "accounts": {a.id: a for a in session.exec(select(Account)).all()},
        }

    def comment_input(self, session: Session, row: Comment, account: Account | None) -> CommentInput:
        prior_hidden = (
            session.exec(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.account_id == row.account_id,
                    Comment.author_id == row.author_id,
                    Comment.id != row.id,
                    Comment.state.in_(["hidden", "auto_hidden"]),  # type: ignore[attr-defined]
                )
            ).one()
            if row.author_id
            else 0
        )
        repeats = (
            session.exec(
                select(func.count())
                .select_from(Comment)
                .where(
                    Comment.text_key == row.text_key,
                    Comment.id != row.id,
                    Comment.created_at >= row.created_at - REPEAT_WINDOW,
                    Comment.created_at <= row.created_at + REPEAT_WINDOW,
                )
            ).one()
            if row.text_key
            else 0
        )
        return CommentInput(
            text=row.text,
            platform=row.platform,
            account=account.external_id if account else "",
            author_id=row.author_id,
            author_handle=row.author_handle,
            author_name=row.author_name,
            is_reply=row.parent_external_id is not None,
            author_prior_hidden=int(prior_hidden),
            repeat_count=int(repeats),
        )

    def _triage_one(self, session: Session, row: Comment, context: dict[str, object], force_backfill: bool) -> str:
        accounts: dict[int, Account] = context["accounts"]  # type: ignore[assignment]
        account = accounts.get(row.account_id)
        item = self.comment_input(session, row, account)
        verdict = self.policy.evaluate(
            item,
            orders=context["orders"],  # type: ignore[arg-type]
            now=self.now(),
            overrides=context["overrides"],  # type: ignore[arg-type]
        )
        self.store_findings(session, row, verdict)
        automation_allowed = not context["paused"]
        activated = aware(account.activated_at) if account else None
        backfill = activated is None or aware(row.created_at) < activated  # type: ignore[operator]
        if backfill and not force_backfill:
            automation_allowed = False
        return self.apply_verdict(
            session,
            row,
            verdict,
            automation_allowed=automation_allowed,
            orders=context["orders"],  # type: ignore[arg-type]
        )

    def store_findings(self, session: Session, row: Comment, verdict: Verdict) -> None:
        now = self.now()
        for finding in (*verdict.findings, *verdict.shadow_findings):
            session.add(finding_row(row, finding, verdict.policy_version, now))
        row.shadow = bool(verdict.shadow_findings)

    def apply_verdict(
        self,
        session: Session,
        row: Comment,
        verdict: Verdict,
        *,
        automation_allowed: bool,
        orders: list[SuppressionOrder] | None = None,
    ) -> str:
        """Move a ``new`` comment to its next state as the verdict says, within what automation may do
        (the lifecycle decides: ``moderation.domain.lifecycle``)."""
        top = verdict.findings[0] if verdict.findings else None
        actor = f"auto:{top.rule_id}" if top else "auto:pipeline"
        rules = [{"id": f.rule_id, "hash": f.rule_hash} for f in verdict.findings]
        applied = self.apply_event(
            session,
            row,
            Triaged(verdict.action, verdict.route, verdict.hide_now, automation_allowed),
            actor=actor,
            clauses=list(verdict.clauses),
            rules=self.dumps(rules),
            policy_version=verdict.policy_version,
            sets={
                "priority": verdict.priority,
                "severity": verdict.severity.value if verdict.severity else None,
                "clauses": ",".join(verdict.clauses),
            },
            payload={
                "clauses": list(verdict.clauses),
                "rules": rules,
                "shadow_rules": [f.rule_id for f in verdict.shadow_findings],
                "policy_version": verdict.policy_version,
            },
            orders=orders,
        )
        return applied.effects.state.value
