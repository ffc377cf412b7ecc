"""People's decisions: approve, hide, escalate, resolve, re-route an escalation, undo, and claims on items.

Two decisions on one item can never both land: each decision updates the comment only if its row
version is still the one the moderator saw, so the second gets ``ConflictError`` and the fresh state.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from moderation.domain import ConflictError, DomainError, NotFoundError, Route, State, TransitionError
from moderation.domain.states import (
    APPROVE,
    ESCALATE,
    HIDE,
    RESOLVE_APPROVE,
    RESOLVE_HIDE,
    UNDO,
    next_state,
)
from moderation.store.tables import Comment, Decision, Escalation

from .base import ServiceBase, aware
from .views import EscalationView, QueueItem

HIDDEN_STATES = {State.HIDDEN.value, State.AUTO_HIDDEN.value}


class DecideMixin(ServiceBase):
    def decide(
        self,
        comment_id: int,
        action: str,
        actor: str,
        *,
        clause: str | None = None,
        route: str | None = None,
        note: str = "",
        expected_version: int | None = None,
    ) -> Decision:
        """Record a person's decision on one comment.

        Raises:
            RoleError: the actor may not take this action.
            TransitionError: the comment's state does not allow it.
            ConflictError: someone else decided first or holds the item.
            DomainError: a missing or unknown clause or route.
        """
        if action not in (APPROVE, HIDE, ESCALATE):
            raise DomainError(f"unknown action '{action}': use approve, hide or escalate")
        with self.tx() as session:
            row = self.comment_row(session, comment_id)
            self._check_claim(row, actor)
            step = action
            escalation: Escalation | None = None
            if row.state == State.ESCALATED.value and action in (APPROVE, HIDE):
                escalation = self._open_escalation(session, row)
                step = RESOLVE_APPROVE if action == APPROVE else RESOLVE_HIDE
                right = f"resolve_{escalation.route}" if escalation else "resolve_legal"
                self.acting(session, actor, right)
            else:
                self.acting(session, actor, action)
            current = State(row.state)
            new_state = next_state(current, step)
            clauses = self._clauses_for(session, row, action, clause)
            if action == ESCALATE:
                if route is None:
                    raise DomainError("an escalation needs a route: media, privacy or legal")
                try:
                    Route(route)
                except ValueError:
                    raise DomainError(f"unknown route '{route}': use media, privacy or legal") from None
            decision = self._land(session, row, actor, step, current, new_state, clauses, note, expected_version)
            if escalation is not None:
                escalation.status = "resolved"
                escalation.resolved_at = self.now()
                escalation.resolution = "approved" if action == APPROVE else "hidden"
                if note:
                    escalation.notes = (escalation.notes + "\n" if escalation.notes else "") + f"{actor}: {note}"
                session.add(escalation)
            if action == ESCALATE:
                self.open_escalation(
                    session,
                    row,
                    decision.id,
                    route or "legal",
                    clauses[0] if clauses else "",
                    f"{actor}: {note}" if note else "",
                    None,
                )  # type: ignore[attr-defined]
            hidden = self._visibility_after(row, new_state)
            self.set_intended_visibility(session, row, hidden, decision.id)
            session.add(row)
            self.record(
                session,
                "decided",
                actor,
                {
                    "decision": decision.id,
                    "action": step,
                    "from": current.value,
                    "to": new_state.value,
                    "clauses": clauses,
                    "route": route,
                    "note": note,
                    "policy_version": decision.policy_version,
                    "hidden": row.intended_hidden,
                },
                comment_id=row.id,
            )
            return decision

    def reroute_escalation(self, escalation_id: int, route: str, actor: str, note: str = "") -> EscalationView:
        """Send an open escalation to another route (media, privacy or legal), e.g. legal finds it a privacy matter.

        The open escalation is closed as ``withdrawn`` (resolution ``rerouted to ROUTE``) and a new one opens on the
        new route with that route's SLA from now, keeping the decision, clause and notes; the comment stays
        escalated. So each route's figures stay true (what it received, closed, and whether it kept its SLA) and
        an undo of the escalating decision still withdraws it. One transaction with an ``escalation_rerouted``
        ledger event. Only someone who may resolve the escalation's current route may re-route it (a moderator
        cannot take an item away from legal).

        Raises:
            NotFoundError: no such escalation.
            RoleError: the actor may not resolve escalations on its current route.
            TransitionError: the escalation is not open.
            DomainError: an unknown route, or the route it already has.
            ConflictError: someone else resolved, re-routed or changed the comment first.
        """
        try:
            Route(route)
        except ValueError:
            raise DomainError(f"unknown route '{route}': use media, privacy or legal") from None
        note = note.strip()
        with self.tx() as session:
            esc = session.get(Escalation, escalation_id, populate_existing=True)
            if esc is None:
                raise NotFoundError(f"no escalation {escalation_id}")
            self.acting(session, actor, f"resolve_{esc.route}")
            if esc.status != "open":
                raise TransitionError(f"escalation {escalation_id} is {esc.status}; only an open one can be re-routed")
            if esc.route == route:
                raise DomainError(f"escalation {escalation_id} is already with {route}")
            row = self.comment_row(session, esc.comment_id)
            now = self.now()
            old_route, old_due = esc.route, aware(esc.due_at)
            said = f": {note}" if note else ""
            closed = session.execute(
                update(Escalation)
                .where(Escalation.id == esc.id, Escalation.status == "open")  # type: ignore[arg-type]
                .values(
                    status="withdrawn",
                    resolved_at=now,
                    resolution=f"rerouted to {route}",
                    notes=(esc.notes + "\n" if esc.notes else "") + f"{actor}: re-routed to {route}{said}",
                )
            )
            touched = session.execute(
                update(Comment)
                .where(
                    Comment.id == row.id,  # type: ignore[arg-type]
                    Comment.version == row.version,  # type: ignore[arg-type]
                    Comment.state == State.ESCALATED.value,  # type: ignore[arg-type]
                )
                .values(version=row.version + 1, updated_at=now)
            )
            if closed.rowcount != 1 or touched.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                raise ConflictError(f"someone else changed escalation {escalation_id} or its comment first; look again")
            session.refresh(row)
            fresh = self.open_escalation(
                session,
                row,
                esc.decision_id,
                route,
                esc.clause,
                (esc.notes + "\n" if esc.notes else "") + f"{actor}: re-routed from {old_route}{said}",
                None,
            )
            self.record(
                session,
                "escalation_rerouted",
                actor,
                {
                    "escalation": esc.id,
                    "new_escalation": fresh.id,
                    "from": old_route,
                    "to": route,
                    "note": note,
                    "was_due_at": old_due.isoformat() if old_due else None,
                    "breached": bool(old_due and now > old_due),
                    "due_at": aware(fresh.due_at).isoformat(),  # type: ignore[union-attr]
                },
                comment_id=row.id,
            )
            return self._escalation_view(fresh, row.text)  # type: ignore[attr-defined, no-any-return]

    def undo(self, comment_id: int, actor: str) -> Decision:
        """Reverse the last person's decision on this comment, if nothing happened to it since."""
        with self.tx() as session:
            mod = self.acting(session, actor, UNDO)
            row = self.comment_row(session, comment_id)
            last = session.exec(
                select(Decision).where(Decision.comment_id == row.id).order_by(Decision.id.desc())  # type: ignore[union-attr]
            ).first()
            if last is None or last.actor.startswith("auto:") or last.action == UNDO or last.undone:
                raise DomainError("there is no decision by a person to undo on this comment")
            if last.actor != actor and mod.role != "admin":
                raise DomainError(f"the last decision was made by {last.actor}; only they or an admin can undo it")
            if row.state != last.to_state:
                raise ConflictError(f"the comment is now {row.state}; the decision cannot be undone")
            current = State(row.state)
            back = State(last.from_state)
            last.undone = True
            session.add(last)
            decision = self._land(
                session,
                row,
                actor,
                UNDO,
                current,
                back,
                last.clauses.split(",") if last.clauses else [],
                f"undo of decision {last.id}",
                None,
                undo_of=last.id,
            )
            if last.action == ESCALATE:
                for esc in session.exec(
                    select(Escalation).where(Escalation.decision_id == last.id, Escalation.status == "open")
                ).all():
                    esc.status = "withdrawn"
                    esc.resolved_at = self.now()
                    session.add(esc)
            if last.action in (RESOLVE_APPROVE, RESOLVE_HIDE):
                for esc in session.exec(
                    select(Escalation)
                    .where(Escalation.comment_id == row.id, Escalation.status == "resolved")
                    .order_by(Escalation.id.desc())  # type: ignore[union-attr]
                ).all()[:1]:
                    esc.status = "open"
                    esc.resolved_at = None
                    esc.resolution = None
                    session.add(esc)
            hidden = self._visibility_after(row, back)
            self.set_intended_visibility(session, row, hidden, decision.id)
            session.add(row)
            self.record(
                session,
                "undone",
                actor,
                {
                    "decision": decision.id,
                    "undo_of": last.id,
                    "from": current.value,
                    "to": back.value,
                    "hidden": row.intended_hidden,
                },
                comment_id=row.id,
            )
            return decision

    def claim(self, comment_id: int, actor: str, minutes: int | None = None) -> QueueItem:
        """Hold an item for a few minutes so others see who is looking at it."""
        with self.tx() as session:
            self.acting(session, actor, "claim")
            row = self.comment_row(session, comment_id)
            self._check_claim(row, actor)
            row.claimed_by = actor
            row.claimed_until = self.now() + timedelta(minutes=minutes or self.settings.claim_minutes)
            session.add(row)
            session.flush()
            return self.queue_item(session, row)  # type: ignore[attr-defined, no-any-return]

    def release(self, comment_id: int, actor: str) -> None:
        with self.tx() as session:
            row = self.comment_row(session, comment_id)
            if row.claimed_by == actor:
                row.claimed_by = None
                row.claimed_until = None
                session.add(row)

    # ------------------------------------------------------------ helpers
    def _check_claim(self, row: Comment, actor: str) -> None:
        until = aware(row.claimed_until)
        if row.claimed_by and row.claimed_by != actor and until is not None and until > self.now():
            raise ConflictError(f"{row.claimed_by} is looking at this comment until {until:%H:%M} UTC")

    def _open_escalation(self, session: Session, row: Comment) -> Escalation | None:
        return session.exec(
            select(Escalation)
            .where(Escalation.comment_id == row.id, Escalation.status == "open")
            .order_by(Escalation.id.desc())  # type: ignore[union-attr]
        ).first()

    def _clauses_for(self, session: Session, row: Comment, action: str, clause: str | None) -> list[str]:
        if clause:
            return [self.require_clause(c.strip()) for c in clause.split(",") if c.strip()]
        if row.clauses:
            return row.clauses.split(",")
        if action == HIDE:
            raise DomainError("a hide must cite a policy clause: pass --clause (see moderation_policy.md)")
        return []

    @staticmethod
    def _visibility_after(row: Comment, state: State) -> bool:
        if state.value in HIDDEN_STATES:
            return True
        if state is State.ESCALATED:
            return row.intended_hidden
        return False

    def _land(
        self,
        session: Session,
        row: Comment,
        actor: str,
        step: str,
        current: State,
        new_state: State,
        clauses: list[str],
        note: str,
        expected_version: int | None,
        undo_of: int | None = None,
    ) -> Decision:
        seen = expected_version if expected_version is not None else row.version
        result = session.execute(
            update(Comment)
            .where(Comment.id == row.id, Comment.version == seen, Comment.state == current.value)  # type: ignore[arg-type]
            .values(state=new_state.value, version=seen + 1, updated_at=self.now())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            fresh = session.get(Comment, row.id, populate_existing=True)
            state = fresh.state if fresh else "gone"
            raise ConflictError(
                f"someone else changed this comment first; it is now {state}. Look again before deciding"
            )
        session.refresh(row)
        now = self.now()
        if row.first_decided_at is None and step != UNDO:
            row.first_decided_at = now
        if row.claimed_by == actor:
            row.claimed_by = None
            row.claimed_until = None
        decision = Decision(
            comment_id=row.id or 0,
            actor=actor,
            action=step,
            from_state=current.value,
            to_state=new_state.value,
            clauses=",".join(clauses),
            rules="[]",
            policy_version=self.policy.version,
            note=note,
            undo_of=undo_of,
            created_at=now,
        )
        session.add(decision)
        session.flush()
        return decision
