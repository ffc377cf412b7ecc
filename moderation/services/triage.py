"""Triage: run the published policy over new comments and act on the verdict.

What automation may do (the product's promise to the committee):
- only an ``enforce``-mode rule whose action is ``auto_hide`` hides without a person;
- shadow-mode findings are stored and shown, and never act;
- while automation is paused, or for comments older than the account's activation (a backfill),
  an auto-hide verdict is queued for a person instead, at high priority.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.domain import CommentInput, State, SuppressionOrder, Verdict
from moderation.domain.lifecycle import Triaged
from moderation.store.bulk import insert_dicts
from moderation.store.tables import (
    Account,
    Comment,
    FindingRow,
    RuleOverride,
    SuppressionOrderRow,
)

from .base import Component, Core, aware
from .batch import NewRow
from .triage_rows import PENDING_COLUMNS, PendingRow, as_input, finding_row, finding_values, order_value
from .views import TriageReport

if TYPE_CHECKING:
    from .transitions import Lifecycle

AUTOMATION_PAUSED = "automation_paused"
REPEAT_WINDOW = timedelta(hours=24)


_HIDDEN_STATES = ("hidden", "auto_hidden")


class Triage(Component):
    """Runs the policy over new comments and acts on each verdict through the lifecycle."""

    def __init__(self, core: Core, lifecycle: Lifecycle) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle

    def automation_paused(self) -> bool:
        with self.core.tx() as session:
            return self.paused_in(session)

    def paused_in(self, session: Session) -> bool:
        return self.core.get_setting(session, AUTOMATION_PAUSED, "0") == "1"

    def active_orders(self, session: Session) -> list[SuppressionOrder]:
        now = self.core.now()
        rows = session.exec(select(SuppressionOrderRow).where(SuppressionOrderRow.revoked_at.is_(None))).all()  # type: ignore[union-attr]
        return [o for o in (order_value(r) for r in rows) if o.active_at(now)]

    def rule_overrides(self, session: Session) -> dict[str, str]:
        return {r.rule_id: r.mode for r in session.exec(select(RuleOverride)).all()}

    def triage_pending(
        self,
        limit: int | None = None,
        batch: int = 1000,
        force_backfill: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> TriageReport:
        """Triage every comment in state ``new`` (oldest first), in transactions of ``batch`` comments.

        Each transaction reads a batch with plain queries, runs the policy over each comment, asks the lifecycle
        for each one's effects in order, and writes the states, findings, decisions, escalations, outbox rows and
        ledger events with a few bulk statements.
        """
        done = 0
        states: Counter[str] = Counter()
        after = 0
        while limit is None or done < limit:
            take = batch if limit is None else min(batch, limit - done)
            with self.core.tx() as session:
                rows = self._new_rows(session, after, take)
                if not rows:
                    if after == 0:
                        break
                    after = 0  # once more from the start: an edit may have sent an older comment back to new
                    continue
                after = rows[-1].id
                states.update(self.triage_rows(session, rows, force_backfill=force_backfill))
                done += len(rows)
            if progress is not None:
                progress(len(rows))
        return TriageReport(triaged=done, by_state=dict(states))

    def _new_rows(self, session: Session, after: int, take: int) -> list[PendingRow]:
        query = (
            select(*PENDING_COLUMNS)  # type: ignore[call-overload]
            .where(col(Comment.state) == State.NEW.value, col(Comment.id) > after)
            .order_by(col(Comment.id))
            .limit(take)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Comment)  # two triagers never take the same rows
        return [PendingRow(*r) for r in session.connection().execute(query)]

    def pending_rows(self, session: Session, ids: list[int]) -> list[PendingRow]:
        """The comments among ``ids`` that are in state ``new``, oldest first."""
        out: list[PendingRow] = []
        ids = sorted(set(ids))
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            query = select(*PENDING_COLUMNS).where(  # type: ignore[call-overload]
                col(Comment.state) == State.NEW.value, col(Comment.id).in_(part)
            )
            out.extend(PendingRow(*r) for r in session.connection().execute(query))
        out.sort(key=lambda r: r.id)
        return out

    def triage_rows(self, session: Session, rows: list[PendingRow], force_backfill: bool = False) -> Counter[str]:
        """Triage ``rows`` (comments in state ``new``) in the caller's transaction; returns the count by new state."""
        context = self._context(session)
        accounts: dict[int, Account] = context["accounts"]  # type: ignore[assignment]
        orders: list[SuppressionOrder] = context["orders"]  # type: ignore[assignment]
        overrides: dict[str, str] = context["overrides"]  # type: ignore[assignment]
        paused = bool(context["paused"])
        hidden_before = self._hidden_by_author(session, rows)
        repeats = self._repeats(session, rows)
        batch = self.lifecycle.triage_batch(session, orders)
        now = self.core.now()
        evaluate = self.core.policy.evaluate
        self.core.policy.prime([row.text for row in rows])  # the learned model scores the batch in one pass
        findings: list[dict[str, object]] = []
        states: Counter[str] = Counter()
        for row in rows:
            account = accounts.get(row.account_id)
            author = (row.account_id, row.author_id)
            item = as_input(row, account, hidden_before.get(author, 0) if row.author_id else 0, repeats.get(row.id, 0))
            verdict = evaluate(item, orders=orders, now=now, overrides=overrides)
            for finding in (*verdict.findings, *verdict.shadow_findings):
                findings.append(finding_values(row.id, row.text_version, finding, verdict.policy_version, now))
            automation_allowed = not paused
            activated = aware(account.activated_at) if account else None
            backfill = activated is None or aware(row.created_at) < activated  # type: ignore[operator]
            if backfill and not force_backfill:
                automation_allowed = False
            top = verdict.findings[0] if verdict.findings else None
            rules = rule_refs(verdict)
            effects = batch.apply(
                NewRow(row.id, row.account_id, row.version, bool(row.intended_hidden), row.priority, row.text),
                Triaged(verdict.action, verdict.route, verdict.hide_now, automation_allowed),
                actor=f"auto:{top.rule_id}" if top else "auto:pipeline",
                clauses=verdict.clauses,
                rules=self.core.dumps(rules),
                policy_version=verdict.policy_version,
                sets={
                    "priority": verdict.priority,
                    "severity": verdict.severity.value if verdict.severity else None,
                    "clauses": ",".join(verdict.clauses),
                    "shadow": bool(verdict.shadow_findings),
                },
                payload={
                    "clauses": list(verdict.clauses),
                    "rules": rules,
                    "shadow_rules": [f.rule_id for f in verdict.shadow_findings],
                    "policy_version": verdict.policy_version,
                },
            )
            states[effects.state.value] += 1
            if row.author_id and effects.state.value in _HIDDEN_STATES:
                hidden_before[author] = hidden_before.get(author, 0) + 1  # later comments in the batch see it
        insert_dicts(session.connection(), FindingRow.__table__, findings)  # type: ignore[attr-defined]
        batch.write()
        return states

    def _hidden_by_author(self, session: Session, rows: list[PendingRow]) -> dict[tuple[int, str], int]:
        """How many hidden comments each author of ``rows`` has on each account (the rows themselves are new)."""
        authors = sorted({r.author_id for r in rows if r.author_id})
        out: dict[tuple[int, str], int] = {}
        for i in range(0, len(authors), 500):
            part = authors[i : i + 500]
            query = (
                select(Comment.account_id, Comment.author_id, func.count())
                .where(col(Comment.author_id).in_(part), col(Comment.state).in_(_HIDDEN_STATES))
                .group_by(col(Comment.account_id), col(Comment.author_id))
            )
            for account_id, author_id, n in session.connection().execute(query):
                out[(account_id, author_id)] = int(n)
        return out

    def _repeats(self, session: Session, rows: list[PendingRow]) -> dict[int, int]:
        """For each row, how many other comments have the same text key within a day either side."""
        keyed = [r for r in rows if r.text_key]
        if not keyed:
            return {}
        keys = sorted({r.text_key for r in keyed})
        lo = min(aware(r.created_at) for r in keyed) - REPEAT_WINDOW  # type: ignore[operator, type-var]
        hi = max(aware(r.created_at) for r in keyed) + REPEAT_WINDOW  # type: ignore[operator, type-var]
        times: dict[str, list[tuple[datetime, int]]] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            query = select(Comment.text_key, Comment.created_at, Comment.id).where(
                col(Comment.text_key).in_(part), col(Comment.created_at) >= lo, col(Comment.created_at) <= hi
            )
            for key, created, cid in session.connection().execute(query):
                times.setdefault(key, []).append((aware(created), cid))  # type: ignore[arg-type]
        for found in times.values():
            found.sort()
        out: dict[int, int] = {}
        for r in keyed:
            found = times.get(r.text_key, [])
            at = aware(r.created_at)
            first = bisect_left(found, (at - REPEAT_WINDOW, -1))  # type: ignore[operator]
            last = bisect_right(found, (at + REPEAT_WINDOW, 1 << 62))  # type: ignore[operator]
            out[r.id] = max(0, last - first - 1)  # every other comment in the window, not itself
        return out

    def _context(self, session: Session) -> dict[str, object]:
        return {
            "orders": self.active_orders(session),
            "overrides": self.rule_overrides(session),
            "paused": self.paused_in(session),
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
        return as_input(row, account, int(prior_hidden), int(repeats))

    def _triage_one(self, session: Session, row: Comment, context: dict[str, object], force_backfill: bool) -> str:
        accounts: dict[int, Account] = context["accounts"]  # type: ignore[assignment]
        account = accounts.get(row.account_id)
        item = self.comment_input(session, row, account)
        verdict = self.core.policy.evaluate(
            item,
            orders=context["orders"],  # type: ignore[arg-type]
            now=self.core.now(),
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
        now = self.core.now()
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
        rules = rule_refs(verdict)
        applied = self.lifecycle.apply_event(
            session,
            row,
            Triaged(verdict.action, verdict.route, verdict.hide_now, automation_allowed),
            actor=actor,
            clauses=list(verdict.clauses),
            rules=self.core.dumps(rules),
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


def rule_refs(verdict: Verdict) -> list[dict[str, str]]:
    """The rules a decision relied on, each once, strongest first (a rule with several findings is one rule)."""
    seen: dict[str, str] = {}
    for f in verdict.findings:
        seen.setdefault(f.rule_id, f.rule_hash)
    return [{"id": rid, "hash": h} for rid, h in seen.items()]
