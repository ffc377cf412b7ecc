"""The one writer of a comment's state: it asks the lifecycle what an event does and writes exactly that.

``apply_event`` runs inside the caller's transaction. It reads where the comment stands (state, intended
visibility, open escalation, and whether its text names a person protected by an order in force), asks
``moderation.domain.lifecycle.transition`` for the effects, then writes them together: the comment's new state
(only if its row version is still the one read, so two changes can never both land), the decision row with the
state and visibility before and after, the escalation change, the outbox row for the platform action, and the
ledger event. Triage, people's decisions, undo, re-routing, order sweeps, edits, reconciliation and failed
platform actions all come through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from moderation.domain import ConflictError, Route, State, SuppressionOrder
from moderation.domain.lifecycle import Effects, Event, Snapshot, transition
from moderation.store import ledger
from moderation.store.tables import Comment, Decision, Escalation, OutboxAction, SuppressionOrderRow

from .base import Component, aware
from .batch import TriageBatch


@dataclass(frozen=True)
class Applied:
    effects: Effects
    decision: Decision | None
    outbox: OutboxAction | None
    escalation: Escalation | None  # the escalation opened, re-opened or re-routed to, if any
    before: Snapshot


class Lifecycle(Component):
    """The one writer of comment states (see the module docstring): every other collaborator changes one here."""

    # ------------------------------------------------------------ reading where a comment stands
    def orders_in_force(self, session: Session) -> list[SuppressionOrder]:
        from .triage_rows import order_value

        now = self.core.now()
        rows = session.exec(select(SuppressionOrderRow).where(col(SuppressionOrderRow.revoked_at).is_(None))).all()
        return [o for o in (order_value(r) for r in rows) if o.active_at(now)]

    def is_protected(self, session: Session, row: Comment, orders: Sequence[SuppressionOrder] | None = None) -> bool:
        """Whether the comment's text names a person protected by a suppression order in force."""
        active = self.orders_in_force(session) if orders is None else list(orders)
        return self.names_protected(row.text, active)

    def names_protected(self, text: str, orders: Sequence[SuppressionOrder]) -> bool:
        """Whether ``text`` names a person protected by one of ``orders`` (the orders in force)."""
        if not orders:
            return False
        from moderation.rules.normalise import normalise

        return bool(self.core.policy.order_matcher(list(orders), self.core.now()).hits(normalise(text)))

    def triage_batch(self, session: Session, orders: Sequence[SuppressionOrder]) -> TriageBatch:
        """A batch applier for triaging many ``new`` comments in ``session`` (see ``TriageBatch``)."""
        return TriageBatch(self, session, orders)

    def open_escalation_of(self, session: Session, row: Comment) -> Escalation | None:
        return session.exec(
            select(Escalation)
            .where(Escalation.comment_id == row.id, Escalation.status == "open")
            .order_by(col(Escalation.id).desc())
        ).first()

    def snapshot(
        self,
        session: Session,
        row: Comment,
        orders: Sequence[SuppressionOrder] | None = None,
        protected: bool | None = None,
    ) -> tuple[Snapshot, Escalation | None]:
        # A new comment has no escalation yet (triage runs on thousands of them: no query).
        esc = None if row.state == State.NEW.value else self.open_escalation_of(session, row)
        snap = Snapshot(
            state=State(row.state),
            hidden=bool(row.intended_hidden),
            escalation=Route(esc.route) if esc is not None else None,
            protected=self.is_protected(session, row, orders) if protected is None else protected,
        )
        return snap, esc

    # ------------------------------------------------------------ the applier
    def apply_event(
        self,
        session: Session,
        row: Comment,
        event: Event,
        *,
        actor: str,
        clauses: Sequence[str] | None = None,
        rules: str = "[]",
        policy_version: str | None = None,
        note: str = "",
        expected_version: int | None = None,
        undo_of: int | None = None,
        orders: Sequence[SuppressionOrder] | None = None,
        payload: dict[str, Any] | None = None,
        escalation_note: str | None = None,
        sets: dict[str, Any] | None = None,
        protected: bool | None = None,
        ledger_out: list[ledger.Pending] | None = None,
    ) -> Applied:
        """Apply one lifecycle event to ``row`` in the caller's transaction.

        ``protected`` says whether the text names a protected person when the caller already knows (a sweep);
        by default the orders in force are checked. ``sets`` are other columns of the comment the caller changes
        with the event (priority, severity, clauses...); the lifecycle's priority floor applies on top.
        ``ledger_out``: the ledger event is added to this list instead of appended now; the caller appends the
        list with ``record_many`` in the same transaction (a batch of edits is chained with one append).

        Raises:
            TransitionError: the lifecycle does not allow the event now.
            ConflictError: the comment changed since ``expected_version`` (or since it was read).
        """
        before, esc = self.snapshot(session, row, orders, protected)
        effects = transition(before, event)
        if not effects.changed:
            return Applied(effects, None, None, None, before)
        now = self.core.now()
        session.flush()
        seen = expected_version if expected_version is not None else row.version
        result = session.execute(
            update(Comment)
            .where(
                col(Comment.id) == row.id,
                col(Comment.version) == seen,
                col(Comment.state) == before.state.value,
            )
            .values(state=effects.state.value, version=seen + 1, updated_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            raise self.core.conflict(session, row)
        session.refresh(row)
        for key, value in (sets or {}).items():
            setattr(row, key, value)
        if effects.priority_floor:
            row.priority = max(row.priority, effects.priority_floor)
        clause_list = list(clauses) if clauses is not None else (row.clauses.split(",") if row.clauses else [])
        decision: Decision | None = None
        if effects.decision:
            decision = Decision(
                comment_id=row.id or 0,
                actor=actor,
                action=effects.step,
                from_state=before.state.value,
                to_state=effects.state.value,
                from_hidden=before.hidden,
                to_hidden=effects.hidden,
                clauses=",".join(clause_list),
                rules=rules,
                policy_version=self.core.policy.version if policy_version is None else policy_version,
                note=note or effects.note,
                undo_of=undo_of,
                created_at=now,
            )
            session.add(decision)
            session.flush()
        opened = self._escalation_effect(session, row, effects, esc, decision, actor, clause_list, escalation_note)
        outbox: OutboxAction | None = None
        if effects.platform is not None:
            outbox = self.core.set_intended_visibility(
                session, row, effects.platform == "hide", decision.id if decision else None, force=True
            )
        elif row.intended_hidden != effects.hidden:
            row.intended_hidden = effects.hidden  # the platform already shows this: nothing to send
        session.add(row)
        body: dict[str, Any] = {
            "decision": decision.id if decision else None,
            "action": effects.step,
            "from": before.state.value,
            "to": effects.state.value,
            "hidden": row.intended_hidden,
            "note": note or effects.note,
        }
        if outbox is not None:
            body["outbox"] = outbox.key
        if opened is not None and effects.escalation is not None and effects.escalation.kind == "reroute":
            due = aware(opened.due_at)
            body["new_escalation"] = opened.id
            body["due_at"] = due.isoformat() if due else None
        body.update(payload or {})
        if ledger_out is not None:
            ledger_out.append(ledger.Pending(effects.ledger, actor, body, row.id))
        else:
            self.core.record(session, effects.ledger, actor, body, comment_id=row.id)
        return Applied(effects, decision, outbox, opened, before)

    def _escalation_effect(
        self,
        session: Session,
        row: Comment,
        effects: Effects,
        esc: Escalation | None,
        decision: Decision | None,
        actor: str,
        clauses: list[str],
        note: str | None,
    ) -> Escalation | None:
        change = effects.escalation
        if change is None:
            return None
        now = self.core.now()
        text = note if note is not None else effects.note
        if change.kind == "open":
            route = (change.route or Route.LEGAL).value
            return self.core.open_escalation(
                session, row, decision.id if decision else None, route, clauses[0] if clauses else "", text, None
            )
        if change.kind == "resolve":
            if esc is not None:
                esc.status, esc.resolved_at, esc.resolution = "resolved", now, change.resolution
                if text:
                    esc.notes = (esc.notes + "\n" if esc.notes else "") + f"{actor}: {text}"
                session.add(esc)
            return None
        if change.kind == "withdraw":
            for open_one in session.exec(
                select(Escalation).where(Escalation.comment_id == row.id, Escalation.status == "open")
            ).all():
                open_one.status, open_one.resolved_at = "withdrawn", now
                session.add(open_one)
            return None
        if change.kind == "reopen":
            last = session.exec(
                select(Escalation)
                .where(Escalation.comment_id == row.id, Escalation.status == "resolved")
                .order_by(col(Escalation.id).desc())
            ).first()
            if last is not None:
                last.status, last.resolved_at, last.resolution = "open", None, None
                session.add(last)
            return last
        if change.kind == "note":
            if esc is not None and text:
                esc.notes = (esc.notes + "\n" if esc.notes else "") + f"{actor}: {text}"
                session.add(esc)
            return None
        if change.kind == "reroute":
            route = (change.route or Route.LEGAL).value
            said = f": {text}" if text else ""
            old_notes = esc.notes if esc is not None else ""
            if esc is None:
                return self.core.open_escalation(
                    session, row, decision.id if decision else None, route, clauses[0] if clauses else "", text, None
                )
            closed = session.execute(
                update(Escalation)
                .where(col(Escalation.id) == esc.id, col(Escalation.status) == "open")
                .values(
                    status="withdrawn",
                    resolved_at=now,
                    resolution=f"rerouted to {route}",
                    notes=(esc.notes + "\n" if esc.notes else "") + f"{actor}: re-routed to {route}{said}",
                )
            )
            if closed.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                raise ConflictError(f"someone else changed escalation {esc.id} first; look again")
            session.refresh(esc)
            return self.core.open_escalation(
                session,
                row,
                esc.decision_id,
                route,
                esc.clause,
                (old_notes + "\n" if old_notes else "") + f"{actor}: re-routed from {esc.route}{said}",
                None,
            )
        raise ValueError(f"unknown escalation change {change.kind!r}")
