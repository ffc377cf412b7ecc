"""Records retention and legal holds: what is due for disposal, disposing of it, and holds that stop it.

Who calls it: ``modq records due|dispose|hold|release|holds``. The rules (classes, periods, tombstones) are in
``moderation.domain.retention``. Disposal is never automatic and runs only with ``--confirm``; legal and admins
only. Disposing of a record replaces its content with a tombstone, keeps its ids, states, decisions (action,
clause, who, when) and ledger events, and redacts the sealed values of its ledger events (one ``field_redacted``
event each, as for any lawful redaction), so ``modq ledger verify`` keeps passing; a ``records_disposed`` event
records the disposal itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from moderation.domain import InputError, NotFoundError, State, SuppressionOrder, TransitionError
from moderation.domain import retention as rules
from moderation.store import ledger
from moderation.store.tables import (
    AuthorNote,
    Comment,
    CommentVersion,
    ComplaintRow,
    Decision,
    Disposal,
    Escalation,
    FindingRow,
    LedgerEvent,
    LedgerField,
    LegalHold,
    SuppressionOrderRow,
)

from .base import Component, Core, aware

if TYPE_CHECKING:
    from .ledger import Ledger

SETTLED = (State.APPROVED.value, State.HIDDEN.value, State.AUTO_HIDDEN.value)
COMPLAINT_EVENTS = ("complaint_received", "complaint_upheld", "complaint_dismissed")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DueRecord:
    record_class: str
    record_id: int
    last_activity: datetime
    due_since: datetime

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["last_activity"] = self.last_activity.isoformat()
        out["due_since"] = self.due_since.isoformat()
        return out


@dataclass(frozen=True)
class HoldView:
    id: int
    scope: str
    ref: str
    reason: str
    created_by: str
    created_at: datetime
    released_by: str | None
    released_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("created_at", "released_at"):
            out[key] = out[key].isoformat() if out[key] is not None else None
        return out


@dataclass
class DueList:
    due: list[DueRecord]
    held: int  # records past their period that a legal hold keeps


class Records(Component):
    """Records retention: legal holds, records due for disposal, and their disposal."""

    def __init__(self, core: Core, ledger: Ledger) -> None:
        super().__init__(core)
        self.ledger = ledger

    # ------------------------------------------------------------ holds
    def add_hold(self, scope: str, ref: str, reason: str, actor: str) -> HoldView:
        """Put a legal hold on a comment (its id), an author (``platform:author_id``) or a case (a suppression
        order's id: every comment naming a person it protects).

        Raises:
            InputError: an unknown scope, a malformed reference or no reason.
            RoleError: the actor is not legal or an admin.
            NotFoundError: no such comment, author or order.
        """
        scope = rules.check_scope(scope)
        ref, reason = ref.strip(), " ".join(reason.split())
        if not reason:
            raise InputError("a legal hold needs --reason (the matter it is for)")
        with self.core.tx() as session:
            self.ledger.records_person(session, actor, "place legal holds")
            ref = self._check_ref(session, scope, ref)
            row = LegalHold(scope=scope, ref=ref, reason=reason, created_by=actor, created_at=self.core.now())
            session.add(row)
            session.flush()
            payload: dict[str, Any] = {"hold": row.id, "kind": scope, "reason": reason}
            if scope == "case":
                payload["order"] = int(ref)
            if scope == "author":
                payload["author_id"] = ref  # sealed: an author is not named in a public export
            self.core.record(
                session, "legal_hold_placed", actor, payload, comment_id=int(ref) if scope == "comment" else None
            )
            return _hold_view(row)

    def release_hold(self, hold_id: int, reason: str, actor: str) -> HoldView:
        reason = " ".join(reason.split())
        if not reason:
            raise InputError("releasing a legal hold needs --reason")
        with self.core.tx() as session:
            self.ledger.records_person(session, actor, "release legal holds")
            row = session.get(LegalHold, hold_id)
            if row is None:
                raise NotFoundError(f"no legal hold {hold_id}")
            if row.released_at is not None:
                raise TransitionError(f"legal hold {hold_id} was already released by {row.released_by}")
            row.released_by, row.released_at = actor, self.core.now()
            session.add(row)
            self.core.record(session, "legal_hold_released", actor, {"hold": row.id, "reason": reason})
            return _hold_view(row)

    def holds(self, actor: str, include_released: bool = False) -> list[HoldView]:
        with self.core.read() as session:
            self.ledger.records_person(session, actor, "see legal holds")
            query = select(LegalHold).order_by(col(LegalHold.id))
            if not include_released:
                query = query.where(col(LegalHold.released_at).is_(None))
            return [_hold_view(r) for r in session.exec(query).all()]

    # ------------------------------------------------------------ due and disposal
    def records_due(self, actor: str) -> DueList:
        """Records whose retention period has run, that are settled, and that no legal hold covers."""
        with self.core.read() as session:
            self.ledger.records_person(session, actor, "see records due for disposal")
            return self._due(session)

    def dispose_records(self, actor: str, *, confirm: bool) -> list[DueRecord]:
        """Dispose of every record due (``confirm``), or only say what would be (a dry run). Returns them.

        Raises:
            RoleError: the actor is not legal or an admin.
        """
        with self.core.tx() as session:
            self.ledger.records_person(session, actor, "dispose of records")
            due = self._due(session).due
            if not confirm:
                return due
            day = self.core.now().astimezone(self._zone()).date().isoformat()
            for rec in due:
                self._dispose(session, rec, actor, day)
            return due

    # ------------------------------------------------------------ helpers
    def _zone(self) -> Any:
        from moderation.domain.days import zone

        return zone(self.core.settings.timezone)

    def _check_ref(self, session: Session, scope: str, ref: str) -> str:
        if scope == "comment":
            if not ref.isdigit() or session.get(Comment, int(ref)) is None:
                raise NotFoundError(f"no comment with id '{ref}'")
            return ref
        if scope == "author":
            platform, sep, author = ref.partition(":")
            if not sep or not author:
                raise InputError(f"an author hold names PLATFORM:AUTHOR_ID (e.g. facebook:1234), not '{ref}'")
            known = session.exec(
                select(Comment.id).where(Comment.platform == platform, Comment.author_id == author).limit(1)
            ).first()
            if known is None:
                raise NotFoundError(f"modq holds no comment by author '{author}' on {platform}")
            return ref
        if not ref.isdigit() or session.get(SuppressionOrderRow, int(ref)) is None:
            raise NotFoundError(f"no suppression order '{ref}' (a case hold names an order's id: 'modq orders list')")
        return ref

    def _due(self, session: Session) -> DueList:
        years = rules.years_for(self.core.settings.retention_years)
        now = self.core.now()
        disposed = {(d.record_class, d.record_id) for d in session.exec(select(Disposal)).all()}
        holds = session.exec(select(LegalHold).where(col(LegalHold.released_at).is_(None))).all()
        held_comments = {int(h.ref) for h in holds if h.scope == "comment"}
        held_authors = {h.ref for h in holds if h.scope == "author"}
        case_matcher = self._case_matcher(session, [int(h.ref) for h in holds if h.scope == "case"])
        due: list[DueRecord] = []
        held = 0

        def comment_held(c: Comment) -> bool:
            if c.id in held_comments or f"{c.platform}:{c.author_id}" in held_authors:
                return True
            return case_matcher is not None and case_matcher(c.text)

        # Comments: settled, no open complaint, quiet for the class's period.
        cutoff = rules.dispose_after(now, -years["comment"])
        open_complaints = set(session.exec(select(ComplaintRow.comment_id).where(ComplaintRow.state == "open")).all())
        rows = session.exec(
            select(Comment).where(
                col(Comment.state).in_(SETTLED), Comment.updated_at <= cutoff, Comment.created_at <= cutoff
            )
        ).all()
        for c in rows:
            if ("comment", c.id) in disposed or c.id in open_complaints:
                continue
            last = self._last_activity(session, c)
            when = rules.dispose_after(last, years["comment"])
            if when > now:
                continue
            if comment_held(c):
                held += 1
                continue
            due.append(DueRecord("comment", c.id or 0, last, when))
        # Complaints: reviewed, quiet for the class's period; a hold on their comment keeps them.
        for r in session.exec(select(ComplaintRow).where(ComplaintRow.state != "open")).all():
            if ("complaint", r.id) in disposed or r.reviewed_at is None:
                continue
            reviewed = aware(r.reviewed_at)
            assert reviewed is not None
            when = rules.dispose_after(reviewed, years["complaint"])
            if when > now:
                continue
            comment = session.get(Comment, r.comment_id)
            if comment is not None and comment_held(comment):
                held += 1
                continue
            due.append(DueRecord("complaint", r.id or 0, reviewed, when))
        # Notes on authors: from when they were written; a hold on the author keeps them.
        for n in session.exec(select(AuthorNote)).all():
            if ("note", n.id) in disposed:
                continue
            written = aware(n.created_at)
            assert written is not None
            when = rules.dispose_after(written, years["note"])
            if when > now:
                continue
            if f"{n.platform}:{n.author_id}" in held_authors:
                held += 1
                continue
            due.append(DueRecord("note", n.id or 0, written, when))
        return DueList(due, held)

    def _last_activity(self, session: Session, c: Comment) -> datetime:
        times = [aware(c.created_at), aware(c.updated_at)]
        last_decision = session.exec(
            select(Decision.created_at).where(Decision.comment_id == c.id).order_by(col(Decision.id).desc()).limit(1)
        ).first()
        times.append(aware(last_decision))
        for reviewed in session.exec(select(ComplaintRow.reviewed_at).where(ComplaintRow.comment_id == c.id)).all():
            times.append(aware(reviewed))
        return max(t for t in times if t is not None)

    def _case_matcher(self, session: Session, order_ids: list[int]) -> Any:
        """Whether a text names a person protected by any held case's order (whatever the order's dates)."""
        if not order_ids:
            return None
        from moderation.rules.normalise import normalise

        orders = []
        for row in session.exec(select(SuppressionOrderRow).where(col(SuppressionOrderRow.id).in_(order_ids))).all():
            orders.append(SuppressionOrder(row.id or 0, row.case, row.court, tuple(json.loads(row.terms)), EPOCH, None))
        matcher = self.core.policy.order_matcher(orders, self.core.now())
        return lambda text: bool(matcher.hits(normalise(text)))

    def _dispose(self, session: Session, rec: DueRecord, actor: str, day: str) -> None:
        mark = rules.tombstone(rec.record_class, day)
        reason = f"disposal under retention class '{rec.record_class}'"
        redacted = 0
        if rec.record_class == "comment":
            c = session.get(Comment, rec.record_id)
            assert c is not None
            c.text, c.author_name, c.author_handle, c.author_id, c.text_key = mark, "", "", "", ""
            session.add(c)
            session.execute(update(CommentVersion).where(col(CommentVersion.comment_id) == c.id).values(text=mark))
            session.execute(update(FindingRow).where(col(FindingRow.comment_id) == c.id).values(match=""))
            session.execute(
                update(Decision).where(col(Decision.comment_id) == c.id, col(Decision.note) != "").values(note=mark)
            )
            session.execute(
                update(Escalation)
                .where(col(Escalation.comment_id) == c.id, col(Escalation.notes) != "")
                .values(notes=mark)
            )
            seqs = list(session.exec(select(LedgerEvent.seq).where(LedgerEvent.comment_id == c.id)).all())
            redacted = self._redact_all(session, seqs, reason, actor)
        elif rec.record_class == "complaint":
            r = session.get(ComplaintRow, rec.record_id)
            assert r is not None
            r.note = mark if r.note else ""
            r.review_note = mark if r.review_note else ""
            session.add(r)
            events = session.exec(
                select(LedgerEvent).where(
                    LedgerEvent.comment_id == r.comment_id, col(LedgerEvent.kind).in_(COMPLAINT_EVENTS)
                )
            ).all()
            seqs = [e.seq for e in events if json.loads(e.payload).get("complaint") == r.id]
            redacted = self._redact_all(session, seqs, reason, actor)
        else:
            n = session.get(AuthorNote, rec.record_id)
            assert n is not None
            redacted = self._redact_all(session, [n.seq], reason, actor)
        done = self.core.record(
            session,
            "records_disposed",
            actor,
            {"kind": rec.record_class, "record": rec.record_id, "redacted": redacted},
            comment_id=rec.record_id if rec.record_class == "comment" else None,
        )
        session.add(
            Disposal(
                record_class=rec.record_class,
                record_id=rec.record_id,
                disposed_at=self.core.now(),
                disposed_by=actor,
                seq=done.seq,
            )
        )

    def _redact_all(self, session: Session, seqs: list[int], reason: str, actor: str) -> int:
        """Redact every sealed value still kept on these events except who acted (staff names are not the
        record's content). Returns how many."""
        if not seqs:
            return 0
        kept = session.exec(
            select(LedgerField).where(
                col(LedgerField.seq).in_(seqs), col(LedgerField.value).is_not(None), LedgerField.field != "actor"
            )
        ).all()
        targets = [(f.seq, f.field) for f in kept]
        for seq, name in targets:
            ledger.redact(session, seq, name, reason, actor, self.core.now())
        return len(targets)


def _hold_view(row: LegalHold) -> HoldView:
    return HoldView(
        id=row.id or 0,
        scope=row.scope,
        ref=row.ref,
        reason=row.reason,
        created_by=row.created_by,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        released_by=row.released_by,
        released_at=aware(row.released_at),
    )
