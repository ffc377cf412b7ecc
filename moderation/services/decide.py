"""People's decisions: approve, hide, escalate, resolve, re-route an escalation, undo, and claims on items.

Two decisions on one item can never both land: each decision updates the comment only if its row
version is still the one the moderator saw, so the second gets ``ConflictError`` and the fresh state.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from moderation.domain import ConflictError, DomainError, InputError, NotFoundError, Role, Route, State, TransitionError
from moderation.domain.lifecycle import Decided, Rerouted, Undone
from moderation.domain.states import (
    APPROVE,
    ESCALATE,
    HIDE,
    RESOLVE_APPROVE,
    RESOLVE_HIDE,
    ROLE_RIGHTS,
    UNDO,
    next_state,
)
from moderation.store.tables import Comment, Decision, Escalation

from .base import Component, Core, aware
from .views import DecisionResult, EscalationView, QueueItem

if TYPE_CHECKING:
    from .queries import Queries
    from .transitions import Lifecycle

HIDDEN_STATES = {State.HIDDEN.value, State.AUTO_HIDDEN.value}
# The decisions a person can undo.
PERSON_STEPS = {APPROVE, HIDE, ESCALATE, RESOLVE_APPROVE, RESOLVE_HIDE}


class Decisions(Component):
    """People's decisions on comments, their undo, re-routing of escalations, and claims on items."""

    def __init__(self, core: Core, lifecycle: Lifecycle, queries: Queries) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle
        self.queries = queries

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
    ) -> DecisionResult:
        """Record a person's decision on one comment (through the lifecycle: ``moderation.domain.lifecycle``).

        Raises:
            RoleError: the actor may not take this action.
            TransitionError: the comment's state does not allow it (or it names a protected person and the
                actor is not legal).
            ConflictError: someone else decided first or holds the item.
            DomainError: a missing or unknown clause or route.
        """
        if action not in (APPROVE, HIDE, ESCALATE):
            raise InputError(f"unknown action '{action}': use approve, hide or escalate")
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            if expected_version is not None and row.version != expected_version:
                raise self.core.conflict(session, row)
            self._check_claim(row, actor)
            if row.state == State.ESCALATED.value and action in (APPROVE, HIDE):
                escalation = self._open_escalation(session, row)
                mod = self.core.acting(session, actor, f"resolve_{escalation.route}" if escalation else "resolve_legal")
            else:
                mod = self.core.acting(session, actor, action)
            next_state(State(row.state), self._step_for(row, action))  # a clear error before anything else
            clauses = self._clauses_for(session, row, action, clause)
            chosen: Route | None = None
            if action == ESCALATE:
                if route is None:
                    raise InputError("an escalation needs a route: media, privacy or legal")
                try:
                    chosen = Route(route)
                except ValueError:
                    raise InputError(f"unknown route '{route}': use media, privacy or legal") from None
            legal = "resolve_legal" in ROLE_RIGHTS[Role(mod.role)]
            said = (f"{actor}: {note}" if note else "") if action == ESCALATE else note
            applied = self.lifecycle.apply_event(
                session,
                row,
                Decided(action, chosen, legal=legal),
                actor=actor,
                clauses=clauses,
                note=note,
                expected_version=expected_version,
                escalation_note=said,
                payload={"clauses": clauses, "route": route, "note": note, "policy_version": self.core.policy.version},
            )
            self._after_person(row, actor)
            session.add(row)
            assert applied.decision is not None  # a person's decision is always recorded
            return decision_result(applied.decision)

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
            raise InputError(f"unknown route '{route}': use media, privacy or legal") from None
        note = note.strip()
        with self.core.tx() as session:
            esc = session.get(Escalation, escalation_id, populate_existing=True)
            if esc is None:
                raise NotFoundError(f"no escalation {escalation_id}")
            self.core.acting(session, actor, f"resolve_{esc.route}")
            if esc.status != "open":
                raise TransitionError(f"escalation {escalation_id} is {esc.status}; only an open one can be re-routed")
            if esc.route == route:
                raise DomainError(f"escalation {escalation_id} is already with {route}")
            row = self.core.comment_row(session, esc.comment_id)
            now = self.core.now()
            old_route, old_due = esc.route, aware(esc.due_at)
            applied = self.lifecycle.apply_event(
                session,
                row,
                Rerouted(Route(route)),
                actor=actor,
                escalation_note=note,
                payload={
                    "escalation": esc.id,
                    "from": old_route,
                    "to": route,
                    "note": note,
                    "was_due_at": old_due.isoformat() if old_due else None,
                    "breached": bool(old_due and now > old_due),
                },
            )
            assert applied.escalation is not None  # a re-route always opens the escalation on the new route
            return self.queries.escalation_view(applied.escalation, row.text)

    def undo(self, comment_id: int, actor: str) -> DecisionResult:
        """Reverse the last person's decision on this comment, if nothing happened to it since.

        The comment goes back to exactly the state and the intended visibility recorded on the undone decision
        (its escalation re-opened or withdrawn), except that a name protected by an order in force stays hidden.
        """
        with self.core.tx() as session:
            mod = self.core.acting(session, actor, UNDO)
            row = self.core.comment_row(session, comment_id)
            last = session.exec(
                select(Decision).where(Decision.comment_id == row.id).order_by(Decision.id.desc())  # type: ignore[union-attr]
            ).first()
            if (
                last is None
                or last.actor.startswith(("auto:", "system:"))
                or last.action not in PERSON_STEPS
                or last.undone
            ):
                raise DomainError("there is no decision by a person to undo on this comment")
            if last.actor != actor and mod.role != "admin":
                raise DomainError(f"the last decision was made by {last.actor}; only they or an admin can undo it")
            if row.state != last.to_state or (last.to_hidden is not None and row.intended_hidden != last.to_hidden):
                raise self.core.conflict(session, row, "the decision cannot be undone")
            back = State(last.from_state)
            before_hidden = last.from_hidden if last.from_hidden is not None else _assumed_hidden(back, row)
            last.undone = True
            session.add(last)
            applied = self.lifecycle.apply_event(
                session,
                row,
                Undone(last.action, back, before_hidden),
                actor=actor,
                clauses=last.clauses.split(",") if last.clauses else [],
                note=f"undo of decision {last.id}",
                undo_of=last.id,
                escalation_note="",
                payload={"undo_of": last.id},
            )
            if row.claimed_by == actor:
                row.claimed_by = None
                row.claimed_until = None
                session.add(row)
            assert applied.decision is not None  # a person's decision is always recorded
            return decision_result(applied.decision)

    def claim(self, comment_id: int, actor: str, minutes: int | None = None) -> QueueItem:
        """Hold an item for a few minutes so others see who is looking at it."""
        with self.core.tx() as session:
            self.core.acting(session, actor, "claim")
            row = self.core.comment_row(session, comment_id)
            self._check_claim(row, actor)
            row.claimed_by = actor
            row.claimed_until = self.core.now() + timedelta(minutes=minutes or self.core.settings.claim_minutes)
            session.add(row)
            session.flush()
            return self.queries.queue_item(session, row)

    def release(self, comment_id: int, actor: str) -> None:
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            if row.claimed_by == actor:
                row.claimed_by = None
                row.claimed_until = None
                session.add(row)

    # ------------------------------------------------------------ helpers
    def _check_claim(self, row: Comment, actor: str) -> None:
        until = aware(row.claimed_until)
        if row.claimed_by and row.claimed_by != actor and until is not None and until > self.core.now():
            raise ConflictError(f"{row.claimed_by} is looking at this comment until {until:%H:%M} UTC")

    def _open_escalation(self, session: Session, row: Comment) -> Escalation | None:
        return session.exec(
            select(Escalation)
            .where(Escalation.comment_id == row.id, Escalation.status == "open")
            .order_by(Escalation.id.desc())  # type: ignore[union-attr]
        ).first()

    def _clauses_for(self, session: Session, row: Comment, action: str, clause: str | None) -> list[str]:
        if clause:
            return [self.core.require_clause(c.strip()) for c in clause.split(",") if c.strip()]
        if row.clauses:
            return row.clauses.split(",")
        if action == HIDE:
            raise InputError("a hide must cite a policy clause: pass --clause (see moderation_policy.md)")
        return []

    @staticmethod
    def _step_for(row: Comment, action: str) -> str:
        if row.state == State.ESCALATED.value and action in (APPROVE, HIDE):
            return RESOLVE_APPROVE if action == APPROVE else RESOLVE_HIDE
        return action

    def _after_person(self, row: Comment, actor: str) -> None:
        if row.first_decided_at is None:
            row.first_decided_at = self.core.now()
        if row.claimed_by == actor:
            row.claimed_by = None
            row.claimed_until = None


def _assumed_hidden(state: State, row: Comment) -> bool:
    """The visibility before a decision recorded before decisions kept it: hidden unless plainly shown."""
    if state is State.APPROVED:
        return False
    if state in (State.HIDDEN, State.AUTO_HIDDEN, State.ESCALATED):
        return True
    return bool(row.intended_hidden) if state is State.NEW else False


def decision_result(d: Decision) -> DecisionResult:
    return DecisionResult(
        id=d.id or 0,
        comment_id=d.comment_id,
        actor=d.actor,
        action=d.action,
        from_state=d.from_state,
        to_state=d.to_state,
        from_hidden=d.from_hidden,
        to_hidden=d.to_hidden,
        clauses=[c for c in d.clauses.split(",") if c],
        note=d.note,
        undo_of=d.undo_of,
        created_at=aware(d.created_at) or d.created_at,
    )
