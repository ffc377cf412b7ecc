"""Cheap reads the moderator's terminal needs and the other callers do not.

The TUI refreshes its queue while a person works, masks slurs in one-line previews, and shows an author's
earlier decisions beside the comment. Each of these is one indexed query, so they can run every few seconds
against a database of a million comments without the app noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.store.tables import Account, Comment, Decision, FindingRow, LedgerHead

from .base import Component, Core, aware
from .queries import finding_view
from .views import DecisionView, FindingView, LedgerView, OutboxView, Plain, QueueItem

if TYPE_CHECKING:
    from .queries import Queries


@dataclass(frozen=True)
class ChangeToken(Plain):
    """Moves whenever the queue may look different to a reader: a state change (ledger) or a new comment."""

    ledger_seq: int
    max_comment_id: int


@dataclass(frozen=True)
class AuthorDecision(Plain):
    comment_id: int
    decision: DecisionView


@dataclass(frozen=True)
class DetailContext(Plain):
    """What surrounds one comment: its neighbours on the post, the author's other comments on the account and the
    decisions on them, the findings on all of those (to mask slurs in their one-line previews), and the comment's
    own ledger events and outbox actions."""

    comment_id: int
    neighbours: list[QueueItem]
    author_history: list[QueueItem]
    author_hidden_count: int
    author_decisions: list[AuthorDecision]
    findings: dict[int, list[FindingView]]
    ledger: list[LedgerView]
    outbox: list[OutboxView]


class ScreenSupport(Component):
    """What the TUI's screens poll cheaply: change tokens, open counts, findings, an item's context."""

    def __init__(self, core: Core, queries: Queries) -> None:
        super().__init__(core)
        self.queries = queries

    def change_token(self) -> ChangeToken:
        """Two primary-key lookups; compare with the last token to know whether to reload the queue."""
        with self.core.read() as session:
            head = session.get(LedgerHead, 1, populate_existing=True)
            top = session.exec(select(func.max(Comment.id))).one()
            return ChangeToken(ledger_seq=head.seq if head else 0, max_comment_id=int(top or 0))

    def open_counts(self) -> dict[str, int]:
        """How many comments are in each open state (queued, escalated, auto hidden): the queue screen's status
        line. One walk of the queue index over the open comments only (a tenth of ``counts()``'s work at a million
        comments, where nine in ten are decided)."""
        with self.core.read() as session:
            rows = session.exec(
                select(Comment.state, func.count())
                .where(col(Comment.state).in_(["queued", "escalated", "auto_hidden"]))
                .group_by(Comment.state)
            ).all()
            return {state: int(n) for state, n in rows}

    def queue_findings(self, comment_ids: list[int]) -> dict[int, list[FindingView]]:
        """Findings on the current text of each comment (enforce and shadow), for masking previews."""
        if not comment_ids:
            return {}
        with self.core.read() as session:
            return self._findings_of(session, comment_ids)

    def _findings_of(self, session: Session, comment_ids: list[int]) -> dict[int, list[FindingView]]:
        out: dict[int, list[FindingView]] = {i: [] for i in comment_ids}
        if not comment_ids:
            return out
        rows = session.exec(
            select(FindingRow)
            .join(Comment, col(Comment.id) == FindingRow.comment_id)
            .where(col(FindingRow.comment_id).in_(comment_ids), FindingRow.text_version == Comment.text_version)
            .order_by(col(FindingRow.id))
        ).all()
        for f in rows:
            out.setdefault(f.comment_id, []).append(finding_view(f))
        return out

    def detail_context(self, comment_id: int) -> DetailContext:
        """Everything ``detail(comment_id, context=False)`` leaves out, plus the author's earlier decisions, in one
        read: the TUI shows a comment first and fills this in once the cursor rests on it."""
        with self.core.read() as session:
            row = self.core.comment_row(session, comment_id)
            account = session.get(Account, row.account_id)
            neighbours, history = self.queries.context_rows(session, row)
            ledger, outbox = self.queries.ledger_and_outbox(session, row)
            items = [self.queries.queue_item(session, r, account) for r in neighbours + history]
            return DetailContext(
                comment_id=comment_id,
                neighbours=items[: len(neighbours)],
                author_history=items[len(neighbours) :],
                author_hidden_count=sum(1 for h in history if h.state in ("hidden", "auto_hidden")),
                author_decisions=self._author_decisions(session, row),
                findings=self._findings_of(session, [i.id for i in items]),
                ledger=ledger,
                outbox=outbox,
            )

    def author_decisions(self, comment_id: int, limit: int = 20) -> list[AuthorDecision]:
        """Decisions (people's and automation's) on the same author's other comments on this platform's accounts."""
        with self.core.read() as session:
            return self._author_decisions(session, self.core.comment_row(session, comment_id), limit)

    def _author_decisions(self, session: Session, row: Comment, limit: int = 20) -> list[AuthorDecision]:
        if not row.author_id:
            return []
        account_ids = session.exec(select(Account.id).where(Account.platform == row.platform)).all()
        rows = session.exec(
            select(Decision)
            .join(Comment, col(Comment.id) == Decision.comment_id)
            .where(
                col(Comment.account_id).in_(list(account_ids)),
                Comment.author_id == row.author_id,
                Comment.id != row.id,
            )
            .order_by(col(Decision.id).desc())
            .limit(limit)
        ).all()
        return [
            AuthorDecision(
                comment_id=d.comment_id,
                decision=DecisionView(
                    id=d.id or 0,
                    actor=d.actor,
                    action=d.action,
                    from_state=d.from_state,
                    to_state=d.to_state,
                    clauses=[c for c in d.clauses.split(",") if c],
                    rules=[],
                    policy_version=d.policy_version,
                    note=d.note,
                    undone=d.undone,
                    created_at=aware(d.created_at),  # type: ignore[arg-type]
                ),
            )
            for d in rows
        ]
