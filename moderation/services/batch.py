"""Triage of many ``new`` comments in one transaction, written together (the lifecycle's batch path).

``Lifecycle.triage_batch`` hands one out; the effects of each comment come from the domain's ``transition``
at once, and ``TriageBatch.write`` stores states, decisions, escalations, outbox rows and ledger events in a
few bulk statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as core_select
from sqlalchemy import update
from sqlmodel import Session, col

from moderation.domain import ConflictError, Route, State, SuppressionOrder
from moderation.domain.lifecycle import Effects, Snapshot, Triaged, transition
from moderation.store import ledger
from moderation.store.bulk import insert_dicts, reserve_ids, update_rows
from moderation.store.tables import Comment, Decision, Escalation, OutboxAction

if TYPE_CHECKING:
    from .transitions import Lifecycle

_COMMENTS = Comment.__table__  # type: ignore[attr-defined]


_DECISIONS = Decision.__table__  # type: ignore[attr-defined]


# What triage sets on a comment (the values of a row of ``TriageBatch``'s update, before its id, version, state).
_TRIAGED_COLUMNS = (
    "state",
    "version",
    "updated_at",
    "priority",
    "severity",
    "clauses",
    "shadow",
    "intended_hidden",
)


@dataclass(frozen=True)
class NewRow:
    """What the batch applier needs to know of a ``new`` comment (read with a plain query, no ORM object)."""

    id: int
    account_id: int
    version: int
    intended_hidden: bool
    priority: int
    text: str


@dataclass
class _Planned:
    row: NewRow
    effects: Effects
    before: Snapshot
    actor: str
    clauses: list[str]
    rules: str
    policy_version: str
    sets: dict[str, Any]
    payload: dict[str, Any]


@dataclass
class TriageBatch:
    """Triage of many ``new`` comments in one transaction: each one's effects come from the lifecycle's
    ``transition`` at once (so the caller sees them, in order), and are written together by ``write``.

    Only ``Triaged`` events on comments in state ``new`` (which have no escalation to read) are batched;
    everything else goes through ``apply_event``.
    """

    owner: Lifecycle
    session: Session
    orders: Sequence[SuppressionOrder]
    planned: list[_Planned] = field(default_factory=list)

    def apply(
        self,
        row: NewRow,
        event: Triaged,
        *,
        actor: str,
        clauses: Sequence[str],
        rules: str,
        policy_version: str,
        sets: dict[str, Any],
        payload: dict[str, Any],
    ) -> Effects:
        before = Snapshot(
            state=State.NEW,
            hidden=bool(row.intended_hidden),
            escalation=None,
            protected=self.owner.names_protected(row.text, self.orders),
        )
        effects = transition(before, event)
        if effects.changed:
            self.planned.append(
                _Planned(row, effects, before, actor, list(clauses), rules, policy_version, sets, payload)
            )
        return effects

    def write(self) -> None:
        """Write every planned effect: states (only where the row version is still the one read), decisions,
        escalations, outbox rows and ledger events, in the planned order.

        Raises:
            ConflictError: a comment changed since it was read (the caller's transaction is rolled back).
        """
        if not self.planned:
            return
        core, session = self.owner.core, self.session
        conn = session.connection()
        now = core.now()
        done = update_rows(
            conn,
            _COMMENTS,
            _TRIAGED_COLUMNS,
            ("id", "version", "state"),
            [self._comment_values(p, now) for p in self.planned],
        )
        if done not in (-1, len(self.planned)):
            session.rollback()
            raise ConflictError("comments changed while they were being triaged; triage them again")
        with_decision = [p for p in self.planned if p.effects.decision]
        decision_ids: dict[int, int] = {}
        if with_decision:
            ids = reserve_ids(conn, "decision", len(with_decision))
            insert_dicts(
                conn,
                _DECISIONS,
                [
                    {
                        "id": did,
                        "comment_id": p.row.id,
                        "actor": p.actor,
                        "action": p.effects.step,
                        "from_state": p.before.state.value,
                        "to_state": p.effects.state.value,
                        "from_hidden": p.before.hidden,
                        "to_hidden": p.effects.hidden,
                        "clauses": ",".join(p.clauses),
                        "rules": p.rules,
                        "policy_version": p.policy_version,
                        "note": p.effects.note,
                        "undone": False,
                        "undo_of": None,
                        "created_at": now,
                    }
                    for p, did in zip(with_decision, ids, strict=True)
                ],
            )
            decision_ids = {p.row.id: did for p, did in zip(with_decision, ids, strict=True)}
        escalations = []
        for p in self.planned:
            change = p.effects.escalation
            if change is None:
                continue
            if change.kind != "open":
                raise ValueError(f"a batch opens escalations only, not {change.kind!r}")
            route = (change.route or Route.LEGAL).value
            escalations.append(
                {
                    "comment_id": p.row.id,
                    "decision_id": decision_ids.get(p.row.id),
                    "route": route,
                    "status": "open",
                    "assignee": None,
                    "clause": p.clauses[0] if p.clauses else "",
                    "notes": p.effects.note,
                    "due_at": now + timedelta(hours=core.sla_hours(route)),
                    "created_at": now,
                }
            )
        insert_dicts(conn, Escalation.__table__, escalations)  # type: ignore[attr-defined]
        outbox_keys = self._outbox(conn, decision_ids, now)
        events = []
        for p in self.planned:
            body: dict[str, Any] = {
                "decision": decision_ids.get(p.row.id),
                "action": p.effects.step,
                "from": p.before.state.value,
                "to": p.effects.state.value,
                "hidden": p.effects.hidden,
                "note": p.effects.note,
            }
            if p.row.id in outbox_keys:
                body["outbox"] = outbox_keys[p.row.id]
            body.update(p.payload)
            events.append(ledger.Pending(p.effects.ledger, p.actor, body, p.row.id))
        core.record_many(session, events)
        self.planned.clear()

    def _comment_values(self, p: _Planned, now: datetime) -> tuple[Any, ...]:
        """One row of the state update: the ``_TRIAGED_COLUMNS`` values, then the id, version and state read."""
        sets = p.sets
        priority = int(sets.get("priority", p.row.priority))
        if p.effects.priority_floor:
            priority = max(priority, p.effects.priority_floor)
        return (
            p.effects.state.value,
            p.row.version + 1,
            now,
            priority,
            sets.get("severity"),
            sets.get("clauses", ",".join(p.clauses)),
            bool(sets.get("shadow", False)),
            p.effects.hidden,
            p.row.id,
            p.row.version,
            State.NEW.value,
        )

    def _outbox(self, conn: Any, decision_ids: dict[int, int], now: datetime) -> dict[int, str]:
        """Queue the platform actions (superseding an opposite one not yet tried); returns each comment's key."""
        acting = [p for p in self.planned if p.effects.platform is not None]
        if not acting:
            return {}
        wanted = {p.row.id: p.effects.platform for p in acting}
        stale = []
        ids = list(wanted)
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            for oid, cid, action in conn.execute(
                core_select(col(OutboxAction.id), col(OutboxAction.comment_id), col(OutboxAction.action)).where(
                    col(OutboxAction.comment_id).in_(part),
                    col(OutboxAction.action).in_(("hide", "unhide")),  # a reply is not superseded by a hide
                    col(OutboxAction.status) == "pending",
                    col(OutboxAction.attempts) == 0,
                )
            ):
                if action != wanted[cid]:
                    stale.append(oid)
        if stale:
            conn.execute(
                update(OutboxAction).where(col(OutboxAction.id).in_(stale)).values(status="superseded", done_at=now)
            )
        keys: dict[int, str] = {}
        rows = []
        for p in acting:
            decision = decision_ids.get(p.row.id)
            action = p.effects.platform
            key = f"{p.row.id}:{action}:{decision if decision is not None else 'sys-' + str(p.row.version + 1)}"
            keys[p.row.id] = key
            rows.append(
                {
                    "key": key,
                    "comment_id": p.row.id,
                    "decision_id": decision,
                    "account_id": p.row.account_id,
                    "action": action,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "last_error": None,
                    "created_at": now,
                    "sent_at": None,
                    "done_at": None,
                }
            )
        insert_dicts(conn, OutboxAction.__table__, rows)  # type: ignore[attr-defined]
        return keys
