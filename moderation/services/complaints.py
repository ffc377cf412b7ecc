"""Complaints about moderation decisions, and their independent review within five business days.

Who calls it: ``modq complaints add|list|review`` and the TUI. The rules themselves (the due day, who is
independent) are in ``moderation.domain.complaints``; an upheld complaint changes the comment only through the
lifecycle (``Upheld``, applied by ``apply_event``), so the platform is told exactly once through the outbox.

What is kept where: the complaint row holds the comment, the decision it disputes, the channel, the day received
and the day due, and the review. The complainant's contact details are only a sealed field (``contact``) of the
``complaint_received`` ledger event: never in a public export, redactable with ``modq ledger redact``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from moderation.domain import ConflictError, InputError, NotFoundError, Role, RoleError, State, TransitionError
from moderation.domain import complaints as rules
from moderation.domain.days import end_of, parse_day, zone
from moderation.domain.lifecycle import Upheld
from moderation.domain.states import (
    APPROVE,
    AUTO_HIDE,
    HIDE,
    RESOLVE_APPROVE,
    RESOLVE_HIDE,
    ROLE_RIGHTS,
)
from moderation.store.tables import ComplaintRow, Decision, LedgerField, Moderator

from .base import Component, Core, aware

if TYPE_CHECKING:
    from .transitions import Lifecycle

# The decisions that settle what the public sees: a complaint disputes one of these.
SETTLING = (APPROVE, HIDE, AUTO_HIDE, RESOLVE_APPROVE, RESOLVE_HIDE, "complaint_upheld")
SETTLED_STATES = (State.APPROVED.value, State.HIDDEN.value, State.AUTO_HIDDEN.value)


@dataclass(frozen=True)
class ComplaintView:
    id: int
    comment_id: int
    decision_id: int | None
    disputed_action: str
    disputed_by: str
    disputed_clauses: list[str]
    channel: str
    received_on: str
    due_on: str
    due_at: datetime
    state: str
    note: str
    contact: str | None  # None when redacted, never given, or not for this reader
    created_by: str
    created_at: datetime
    received_event: int | None
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    clause: str = ""
    review_note: str = ""
    on_time: bool | None = None  # None while open

    @property
    def by_automation(self) -> bool:
        return self.disputed_by.startswith("auto:")

    def overdue(self, now: datetime) -> bool:
        return self.state == rules.OPEN and now >= self.due_at

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("due_at", "created_at", "reviewed_at"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        out["by_automation"] = self.by_automation
        return out


class Complaints(Component):
    """Complaints about decisions: recorded, listed, and reviewed independently of the decision."""

    def __init__(self, core: Core, lifecycle: Lifecycle) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle

    def tz(self) -> ZoneInfo:
        return zone(self.core.settings.timezone)

    def today(self) -> str:
        return self.core.now().astimezone(self.tz()).date().isoformat()

    # ------------------------------------------------------------ add
    def add_complaint(
        self,
        comment_id: int,
        channel: str,
        received: str,
        actor: str,
        *,
        note: str = "",
        contact: str = "",
    ) -> ComplaintView:
        """Record a complaint about the decision that settled a comment; due five business days after ``received``.

        Raises:
            InputError: an unknown channel, a day that is not a day, in the future, or before the decision.
            RoleError: the actor cannot act here (committee members read only).
            NotFoundError: no such comment.
            TransitionError: nothing settled on the comment yet (it is new, queued or escalated).
        """
        channel = rules.check_channel(channel)
        day = parse_day(received, "--received")
        tz = self.tz()
        note, contact = note.strip(), contact.strip()
        with self.core.tx() as session:
            self._complaints_person(session, actor, "record a complaint")
            row = self.core.comment_row(session, comment_id)
            today = self.core.now().astimezone(tz).date()
            if day > today:
                raise InputError(f"--received {day} is in the future (today is {today} in {tz.key})")
            disputed = self._disputed(session, row.id or 0, row.state)
            decided_on = aware(disputed.created_at).astimezone(tz).date()  # type: ignore[union-attr]
            if day < decided_on:
                raise InputError(
                    f"--received {day} is before the decision it disputes (decision {disputed.id}, {decided_on})"
                )
            due = rules.due_day(day)
            complaint = ComplaintRow(
                comment_id=row.id or 0,
                decision_id=disputed.id,
                channel=channel,
                received_on=day.isoformat(),
                due_on=due.isoformat(),
                due_at=end_of(due, tz),
                state=rules.OPEN,
                note=note,
                created_by=actor,
                created_at=self.core.now(),
            )
            session.add(complaint)
            session.flush()
            done = self.core.record(
                session,
                "complaint_received",
                actor,
                {
                    "complaint": complaint.id,
                    "decision": disputed.id,
                    "channel": channel,
                    "received_on": complaint.received_on,
                    "due_on": complaint.due_on,
                    "note": note,
                    "contact": contact,
                },
                comment_id=row.id,
            )
            complaint.received_seq = done.seq
            session.add(complaint)
            session.flush()
            return self._complaint_view(session, complaint)

    # ------------------------------------------------------------ list
    def complaints(
        self, state: str | None = None, comment_id: int | None = None, actor: str | None = None
    ) -> list[ComplaintView]:
        """Complaints, the soonest due first (open ones before reviewed ones). The complainant's contact details
        are included only for ``actor`` when they are staff who may review (not the committee, nobody unknown)."""
        wanted = rules.check_state(state) if state else None
        with self.core.read() as session:
            contacts = self._may_see_contacts(session, actor)
            query = select(ComplaintRow)
            if wanted:
                query = query.where(ComplaintRow.state == wanted)
            if comment_id is not None:
                query = query.where(ComplaintRow.comment_id == comment_id)
            rows = session.exec(query.order_by(col(ComplaintRow.due_at), col(ComplaintRow.id))).all()
            views = [self._complaint_view(session, r, contacts) for r in rows]
        return sorted(views, key=lambda v: (v.state != rules.OPEN, v.due_at, v.id))

    def complaint(self, complaint_id: int, actor: str | None = None) -> ComplaintView:
        with self.core.read() as session:
            contacts = self._may_see_contacts(session, actor)
            return self._complaint_view(session, self._complaint_row(session, complaint_id), contacts)

    # ------------------------------------------------------------ review
    def review_complaint(
        self,
        complaint_id: int,
        outcome: str,
        actor: str,
        *,
        note: str,
        clause: str | None = None,
    ) -> ComplaintView:
        """Uphold or dismiss a complaint. Upholding reverses the disputed decision through the lifecycle (a hidden
        comment is restored and shown, exactly once on the platform); dismissing keeps it and records the reasons
        and the clause relied on. Both are ledger events.

        Raises:
            InputError: an unknown outcome, no note, an unknown clause, or a dismissal of a hide with no clause.
            RoleError: committee members cannot review.
            IndependenceError: the reviewer made or confirmed a decision on the comment (exit 3, naming the rule).
            TransitionError: the complaint was already reviewed, or the disputed decision no longer stands.
            ConflictError: someone else reviewed it or changed the comment first.
        """
        state = rules.check_outcome(outcome)
        note = " ".join(note.split())
        if not note:
            raise InputError("a review needs --note: the reasons are kept and told to the complainant")
        clauses = [self.core.require_clause(c.strip()) for c in (clause or "").split(",") if c.strip()]
        with self.core.tx() as session:
            mod = self._complaints_person(session, actor, "review a complaint")
            complaint = self._complaint_row(session, complaint_id)
            if complaint.state != rules.OPEN:
                raise TransitionError(
                    f"complaint {complaint_id} was already {complaint.state} by {complaint.reviewer} "
                    f"on {aware(complaint.reviewed_at):%Y-%m-%d %H:%M} UTC"
                )
            decisions = session.exec(
                select(Decision).where(Decision.comment_id == complaint.comment_id).order_by(col(Decision.id))
            ).all()
            past = [rules.PastDecision(d.id or 0, d.actor, d.action) for d in decisions]
            for person in {actor, self.core.on_behalf_of} - {None}:
                rules.check_independent(person, complaint.comment_id, past)  # type: ignore[arg-type]
            disputed = next((d for d in decisions if d.id == complaint.decision_id), None)
            relied = clauses or (disputed.clauses.split(",") if disputed and disputed.clauses else [])
            now = self.core.now()
            on_time = now < aware(complaint.due_at)  # type: ignore[operator]
            payload: dict[str, Any] = {
                "complaint": complaint.id,
                "decision": complaint.decision_id,
                "outcome": state,
                "clauses": relied,
                "on_time": on_time,
                "note": note,
            }
            review_decision: int | None = None
            if state == rules.UPHELD:
                row = self.core.comment_row(session, complaint.comment_id)
                latest = self._standing(decisions)
                if disputed is None or latest is None or latest.id != disputed.id or row.state not in SETTLED_STATES:
                    now_is = f"decision {latest.id} ({latest.action})" if latest is not None else "no decision"
                    raise TransitionError(
                        f"the decision complaint {complaint_id} disputes (decision {complaint.decision_id}) no longer "
                        f"stands: the comment is {row.state} after {now_is}; dismiss it saying so"
                    )
                if row.state == State.APPROVED.value and not relied:
                    raise InputError("upholding a complaint against an approval hides the comment: cite --clause")
                legal = "resolve_legal" in ROLE_RIGHTS[Role(mod.role)]
                applied = self.lifecycle.apply_event(
                    session,
                    row,
                    Upheld(legal=legal),
                    actor=actor,
                    clauses=relied,
                    note=f"complaint {complaint.id} upheld: {note}",
                    payload=payload,
                )
                review_decision = applied.decision.id if applied.decision else None
            else:
                hid = disputed is not None and disputed.to_state in (State.HIDDEN.value, State.AUTO_HIDDEN.value)
                if hid and not relied:
                    raise InputError("dismissing a complaint about a hide: say which clause it relies on (--clause)")
                self.core.record(session, "complaint_dismissed", actor, payload, comment_id=complaint.comment_id)
            done = session.execute(
                update(ComplaintRow)
                .where(col(ComplaintRow.id) == complaint.id, col(ComplaintRow.state) == rules.OPEN)
                .values(
                    state=state,
                    reviewer=actor,
                    reviewed_at=now,
                    clause=",".join(relied),
                    review_note=note,
                    review_decision_id=review_decision,
                )
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                raise ConflictError(f"someone else reviewed complaint {complaint_id} first; look again")
            session.refresh(complaint)
            return self._complaint_view(session, complaint)

    # ------------------------------------------------------------ helpers
    def _complaints_person(self, session: Session, actor: str, what: str) -> Any:
        mod = self.core.acting(session, actor)
        if mod.role == Role.COMMITTEE.value:
            raise RoleError(f"{mod.name} ({mod.role}) has read-only access and cannot {what}")
        return mod

    def _may_see_contacts(self, session: Session, actor: str | None) -> bool:
        if actor is None:
            return False
        mod = session.exec(select(Moderator).where(Moderator.name == actor)).first()
        return mod is not None and mod.active and mod.role != Role.COMMITTEE.value

    def _complaint_row(self, session: Session, complaint_id: int) -> ComplaintRow:
        row = session.get(ComplaintRow, complaint_id, populate_existing=True)
        if row is None:
            raise NotFoundError(f"no complaint {complaint_id} (see 'modq complaints list')")
        return row

    @staticmethod
    def _standing(decisions: list[Decision] | Any) -> Decision | None:
        """The decision that settled what the comment shows now: the latest one not undone."""
        alive = [d for d in decisions if not d.undone and d.action != "undo"]
        return alive[-1] if alive else None

    def _disputed(self, session: Session, comment_id: int, state: str) -> Decision:
        decisions = session.exec(
            select(Decision).where(Decision.comment_id == comment_id).order_by(col(Decision.id))
        ).all()
        latest = self._standing(decisions)
        if state not in SETTLED_STATES or latest is None or latest.action not in SETTLING:
            raise TransitionError(
                f"comment {comment_id} is {state}: nothing has been settled on it yet, so there is no decision to "
                "dispute; a complaint can be recorded once it is approved, hidden or auto-hidden"
            )
        return latest

    def _complaint_view(self, session: Session, row: ComplaintRow, contacts: bool = True) -> ComplaintView:
        disputed = session.get(Decision, row.decision_id) if row.decision_id is not None else None
        contact: str | None = None
        if contacts and row.received_seq is not None:
            kept = session.get(LedgerField, (row.received_seq, "contact"))
            if kept is not None and kept.value is not None:
                contact = json.loads(kept.value)
        reviewed = aware(row.reviewed_at)
        due = aware(row.due_at)
        return ComplaintView(
            id=row.id or 0,
            comment_id=row.comment_id,
            decision_id=row.decision_id,
            disputed_action=disputed.action if disputed else "",
            disputed_by=disputed.actor if disputed else "",
            disputed_clauses=disputed.clauses.split(",") if disputed and disputed.clauses else [],
            channel=row.channel,
            received_on=row.received_on,
            due_on=row.due_on,
            due_at=due,  # type: ignore[arg-type]
            state=row.state,
            note=row.note,
            contact=contact,
            created_by=row.created_by,
            created_at=aware(row.created_at),  # type: ignore[arg-type]
            received_event=row.received_seq,
            reviewer=row.reviewer,
            reviewed_at=reviewed,
            clause=row.clause,
            review_note=row.review_note,
            on_time=None if reviewed is None or due is None else reviewed < due,
        )
