"""Read side: the queue, one comment's full story, escalations, and the ledger for records requests."""

from __future__ import annotations

import json

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from moderation.domain import NotFoundError
from moderation.store import ledger
from moderation.store.tables import (
    Account,
    Comment,
    CommentVersion,
    Decision,
    Escalation,
    FindingRow,
    LedgerEvent,
    OutboxAction,
    Post,
)

from .base import Component, aware
from .views import (
    CommentDetail,
    DecisionView,
    EscalationView,
    FindingView,
    LedgerView,
    OutboxView,
    QueueItem,
)

OPEN_STATES = ("queued", "escalated", "auto_hidden")
PREVIEW = 160


def finding_view(f: FindingRow) -> FindingView:
    return FindingView(
        rule_id=f.rule_id,
        clause=f.clause,
        severity=f.severity,
        action=f.action,
        mode=f.mode,
        start=f.start,
        end=f.end,
        match=f.match,
        confidence=f.confidence,
        explanation=f.explanation,
        rule_hash=f.rule_hash,
        policy_version=f.policy_version,
    )


def preview(text: str, width: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class Queries(Component):
    """What people read: the queue, a comment's detail, escalations, counts, similar comments."""

    def queue_item(self, session: Session, row: Comment, account: Account | None = None) -> QueueItem:
        account = account or session.get(Account, row.account_id)
        return QueueItem(
            id=row.id or 0,
            platform=row.platform,
            account=account.external_id if account else "",
            account_name=account.name if account else "",
            external_id=row.external_id,
            state=row.state,
            priority=row.priority,
            severity=row.severity,
            clauses=[c for c in row.clauses.split(",") if c],
            author_name=row.author_name,
            author_handle=row.author_handle,
            created_at=aware(row.created_at),  # type: ignore[arg-type]
            preview=preview(row.text),
            shadow=row.shadow,
            version=row.version,
            claimed_by=row.claimed_by if (aware(row.claimed_until) or self.core.now()) > self.core.now() else None,
            claimed_until=aware(row.claimed_until),
            is_reply=row.parent_external_id is not None,
        )

    def queue(
        self,
        states: list[str] | None = None,
        *,
        clause: str | None = None,
        platform: str | None = None,
        account: str | None = None,
        shadow: bool | None = None,
        search: str | None = None,
        hide_routes: list[str] | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[QueueItem]:
        """Comments waiting for people, most urgent first, then oldest first. ``hide_routes``: leave out comments
        with an open escalation on these routes (a moderator's terminal leaves out legal's).

        Two steps, so a million rows stay fast: the first sorts only ids (``ix_comment_queue`` covers state,
        priority and time), so the sorter never carries comment texts; the second loads the page by key.
        """
        with self.core.read() as session:
            ids_q = select(Comment.id).where(col(Comment.state).in_(states or list(OPEN_STATES)))
            if clause:
                ids_q = ids_q.where(
                    or_(
                        col(Comment.clauses) == clause,
                        col(Comment.clauses).like(f"{clause},%"),
                        col(Comment.clauses).like(f"%,{clause}"),
                        col(Comment.clauses).like(f"%,{clause},%"),
                    )
                )
            if platform:
                ids_q = ids_q.where(Comment.platform == platform)
            if account:
                ids_q = ids_q.where(
                    col(Comment.account_id).in_(
                        select(Account.id).where(or_(col(Account.external_id) == account, col(Account.name) == account))
                    )
                )
            if shadow is not None:
                ids_q = ids_q.where(Comment.shadow == shadow)
            if search:
                like = f"%{search}%"
                ids_q = ids_q.where(
                    or_(
                        col(Comment.text).ilike(like),
                        col(Comment.author_name).ilike(like),
                        col(Comment.author_handle).ilike(like),
                    )
                )
            if hide_routes:
                ids_q = ids_q.where(
                    col(Comment.id).not_in(
                        select(Escalation.comment_id).where(
                            Escalation.status == "open", col(Escalation.route).in_(hide_routes)
                        )
                    )
                )
            ids_q = ids_q.order_by(col(Comment.priority).desc(), col(Comment.created_at), col(Comment.id))
            ids = [int(i or 0) for i in session.exec(ids_q.offset(offset).limit(limit)).all()]
            if not ids:
                return []
            rows = session.exec(
                select(Comment, Account)
                .join(Account, col(Account.id) == Comment.account_id)
                .where(col(Comment.id).in_(ids))
            ).all()
            by_id = {c.id: (c, a) for c, a in rows}
            return [self.queue_item(session, *by_id[i]) for i in ids if i in by_id]

    def counts(self) -> dict[str, int]:
        with self.core.read() as session:
            rows = session.exec(select(Comment.state, func.count()).group_by(Comment.state)).all()
            return {state: int(n) for state, n in rows}

    def similar(self, comment_id: int, limit: int = 500) -> list[QueueItem]:
        """Open comments with the same or near-identical text (copy-paste campaigns)."""
        with self.core.read() as session:
            row = self.core.comment_row(session, comment_id)
            if not row.text_key:
                return [self.queue_item(session, row)]
            rows = session.exec(
                select(Comment)
                .where(Comment.text_key == row.text_key, col(Comment.state).in_(list(OPEN_STATES)))
                .order_by(col(Comment.created_at))
                .limit(limit)
            ).all()
            return [self.queue_item(session, r) for r in rows]

    def detail(self, comment_id: int, *, context: bool = True) -> CommentDetail:
        """One comment's full story. ``context=False`` leaves out what surrounds it (empty lists): its neighbours
        on the post, the author's other comments, its ledger events and outbox actions, which the TUI reads
        separately once the cursor rests on the comment (``detail_context``)."""
        with self.core.read() as session:
            row = self.core.comment_row(session, comment_id)
            account = session.get(Account, row.account_id)
            post = session.get(Post, row.post_id) if row.post_id else None
            findings = session.exec(
                select(FindingRow)
                .where(FindingRow.comment_id == row.id, FindingRow.text_version == row.text_version)
                .order_by(col(FindingRow.id))
            ).all()
            views = [finding_view(f) for f in findings]
            decisions = session.exec(
                select(Decision).where(Decision.comment_id == row.id).order_by(col(Decision.id))
            ).all()
            escalations = session.exec(
                select(Escalation).where(Escalation.comment_id == row.id).order_by(col(Escalation.id))
            ).all()
            ledger, outbox = self.ledger_and_outbox(session, row) if context else ([], [])
            versions = session.exec(
                select(CommentVersion).where(CommentVersion.comment_id == row.id).order_by(col(CommentVersion.version))
            ).all()
            neighbours, history = self.context_rows(session, row) if context else ([], [])
            hidden_count = sum(1 for h in history if h.state in ("hidden", "auto_hidden"))
            return CommentDetail(
                item=self.queue_item(session, row, account),
                text=row.text,
                url=row.url,
                parent_external_id=row.parent_external_id,
                post_text=post.text if post else "",
                post_url=post.url if post else "",
                author_id=row.author_id,
                platform_hidden=row.platform_hidden,
                platform_deleted=row.platform_deleted,
                intended_hidden=row.intended_hidden,
                own_conversation=row.own_conversation,
                versions=[{"version": v.version, "text": v.text, "seen_at": aware(v.seen_at)} for v in versions]
                # never edited: its one text is stored in the comment alone, seen when it was fetched
                or [{"version": row.text_version, "text": row.text, "seen_at": aware(row.fetched_at)}],
                findings=[v for v in views if v.mode == "enforce"],
                shadow_findings=[v for v in views if v.mode != "enforce"],
                decisions=[self._decision_view(d) for d in decisions],
                escalations=[self.escalation_view(e, row.text) for e in escalations],
                ledger=ledger,
                outbox=outbox,
                neighbours=[self.queue_item(session, n, account) for n in neighbours],
                author_history=[self.queue_item(session, h, account) for h in history],
                author_hidden_count=hidden_count,
            )

    def ledger_and_outbox(self, session: Session, row: Comment) -> tuple[list[LedgerView], list[OutboxView]]:
        events = session.exec(
            select(LedgerEvent).where(LedgerEvent.comment_id == row.id).order_by(col(LedgerEvent.seq))
        ).all()
        outbox = session.exec(
            select(OutboxAction).where(OutboxAction.comment_id == row.id).order_by(col(OutboxAction.id))
        ).all()
        return (
            [
                LedgerView(seq=e.seq, at=e.at, kind=e.kind, actor=e.actor, payload=e.payload)
                for e in ledger.open_events(session, events)
            ],
            [
                OutboxView(
                    id=o.id or 0,
                    action=o.action,
                    status=o.status,
                    attempts=o.attempts,
                    last_error=o.last_error,
                    created_at=aware(o.created_at),  # type: ignore[arg-type]
                    done_at=aware(o.done_at),
                )
                for o in outbox
            ],
        )

    def context_rows(self, session: Session, row: Comment) -> tuple[list[Comment], list[Comment]]:
        """The comments stored just before and just after ``row`` on its post, and the author's other comments on
        the same account, newest first (short index walks, so a post with a hundred thousand comments costs the
        same as one with ten)."""
        neighbours = (
            list(
                reversed(
                    session.exec(
                        select(Comment)
                        .where(Comment.post_id == row.post_id, col(Comment.id) < (row.id or 0))
                        .order_by(col(Comment.id).desc())
                        .limit(3)
                    ).all()
                )
            )
            + list(
                session.exec(
                    select(Comment)
                    .where(Comment.post_id == row.post_id, col(Comment.id) > (row.id or 0))
                    .order_by(col(Comment.id))
                    .limit(3)
                ).all()
            )
            if row.post_id
            else []
        )
        history = (
            list(
                session.exec(
                    select(Comment)
                    .where(
                        Comment.account_id == row.account_id, Comment.author_id == row.author_id, Comment.id != row.id
                    )
                    .order_by(col(Comment.created_at).desc())
                    .limit(20)
                ).all()
            )
            if row.author_id
            else []
        )
        return neighbours, history

    def find_comment(self, ref: str) -> int:
        """Accept our id or a platform id."""
        with self.core.read() as session:
            if ref.isdigit():
                row = session.get(Comment, int(ref))
                if row is not None:
                    return row.id or 0
            row = session.exec(select(Comment).where(Comment.external_id == ref)).first()
            if row is None:
                raise NotFoundError(f"no comment with id {ref}")
            return row.id or 0

    def version_of(self, comment_id: int) -> int:
        """The comment's row version now: pass it back as ``expected_version`` so that a decision made on what
        was read here is refused (``ConflictError``) if someone else changed the comment in between."""
        with self.core.read() as session:
            row = session.get(Comment, comment_id)
            if row is None:
                raise NotFoundError(f"no comment with id {comment_id}")
            return row.version

    def escalations(self, route: str | None = None, status: str | None = "open") -> list[EscalationView]:
        with self.core.read() as session:
            query = select(Escalation, Comment).join(Comment, col(Comment.id) == Escalation.comment_id)
            if route:
                query = query.where(Escalation.route == route)
            if status:
                query = query.where(Escalation.status == status)
            rows = session.exec(query.order_by(col(Escalation.due_at))).all()
            return [self.escalation_view(e, c.text) for e, c in rows]

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _decision_view(d: Decision) -> DecisionView:
        return DecisionView(
            id=d.id or 0,
            actor=d.actor,
            action=d.action,
            from_state=d.from_state,
            to_state=d.to_state,
            clauses=[c for c in d.clauses.split(",") if c],
            rules=json.loads(d.rules or "[]"),
            policy_version=d.policy_version,
            note=d.note,
            undone=d.undone,
            created_at=aware(d.created_at),  # type: ignore[arg-type]
        )

    def escalation_view(self, e: Escalation, text: str) -> EscalationView:
        due = aware(e.due_at)
        end = aware(e.resolved_at) or self.core.now()
        return EscalationView(
            id=e.id or 0,
            comment_id=e.comment_id,
            route=e.route,
            status=e.status,
            assignee=e.assignee,
            clause=e.clause,
            notes=e.notes,
            due_at=due,  # type: ignore[arg-type]
            created_at=aware(e.created_at),  # type: ignore[arg-type]
            resolved_at=aware(e.resolved_at),
            resolution=e.resolution,
            preview=preview(text, 100),
            breached=bool(due and end > due),
        )
