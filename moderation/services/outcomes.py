"""What an outbox attempt came to, recorded in its own transaction: confirmed, retried later, or failed.

Step 3 of applying the outbox (``moderation.services.outbox``): ``confirmed`` (and ``platform_hidden``) on
success; on a retryable error back to ``pending`` with exponential back-off (or the platform's own
``retry_at``); on a permanent error ``failed``, an alert, and the comment back in the moderators' queue with the
platform's reason (``Drift.return_to_people``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from moderation.ports import (
    ConnectorError,
)
from moderation.store.tables import Alert, Comment, OutboxAction, ReplyRow

from .base import Component, Core, aware
from .outbox import MAX_ATTEMPTS, MAX_BACKOFF_SECONDS, REPLY_ACTIONS

if TYPE_CHECKING:
    from .drift import Drift


class OutboxOutcomes(Component):
    """What an outbox attempt came to: confirmed, retried with back-off, or failed and back to people."""

    def __init__(self, core: Core, drift: Drift) -> None:
        super().__init__(core)
        self.drift = drift

    def confirm_reply(self, outbox_id: int, platform_id: str, acted: bool) -> str:
        with self.core.tx() as session:
            row = session.get(OutboxAction, outbox_id, populate_existing=True)
            assert row is not None
            row.status = "confirmed"
            row.done_at = self.core.now()
            row.last_error = None
            session.add(row)
            reply = session.exec(select(ReplyRow).where(ReplyRow.outbox_id == outbox_id)).one()
            reply.platform_id = platform_id
            reply.sent_at = self.core.now()
            session.add(reply)
            self.core.record(
                session,
                "platform_reply",
                "system:outbox",
                {
                    "outbox": row.id,
                    "attempts": row.attempts,
                    "key": row.key,
                    "already": not acted,
                    "reply": reply.id,
                    "external_id": platform_id,
                },
                comment_id=row.comment_id,
            )
        return "confirmed"

    def confirm(self, outbox_id: int, hidden: bool, acted: bool, unconfirmed: bool = False) -> str:
        with self.core.tx() as session:
            row = session.get(OutboxAction, outbox_id, populate_existing=True)
            assert row is not None
            row.status = "confirmed"
            row.done_at = self.core.now()
            row.last_error = None
            comment = session.get(Comment, row.comment_id, populate_existing=True)
            assert comment is not None
            comment.platform_hidden = hidden
            session.add(row)
            session.add(comment)
            self.core.record(
                session,
                "platform_" + row.action,
                "system:outbox",
                {
                    "outbox": row.id,
                    "attempts": row.attempts,
                    "key": row.key,
                    "already": not acted,
                    "unconfirmed": unconfirmed,
                },
                comment_id=row.comment_id,
            )
        return "confirmed"

    def retry(self, outbox_id: int, exc: ConnectorError, retry_at: datetime | None) -> str:
        with self.core.tx() as session:
            row = session.get(OutboxAction, outbox_id, populate_existing=True)
            assert row is not None
            if row.attempts >= MAX_ATTEMPTS:
                return self._fail_in(session, row, exc)
            backoff = timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, row.attempts - 1)))
            when = aware(retry_at) if retry_at is not None else None
            row.next_attempt_at = max(when, self.core.now()) if when else self.core.now() + backoff
            row.status = "pending"
            row.last_error = f"{type(exc).__name__}: {exc.reason}"[:500]
            session.add(row)
        return f"retry {outbox_id}: {type(exc).__name__}"

    def fail(self, outbox_id: int, exc: ConnectorError, deleted: bool = False) -> str:
        with self.core.tx() as session:
            row = session.get(OutboxAction, outbox_id, populate_existing=True)
            assert row is not None
            if deleted:
                comment = session.get(Comment, row.comment_id, populate_existing=True)
                if comment is not None:
                    comment.platform_deleted = True
                    session.add(comment)
                row.status = "failed"
                row.done_at = self.core.now()
                row.last_error = f"NotFound: {exc.reason}"[:500]
                session.add(row)
                # Nothing to hide any more: recorded, no alert and no queue item.
                self.core.record(
                    session,
                    "platform_deleted",
                    "system:outbox",
                    {"outbox": row.id, "action": row.action, "reason": row.last_error},
                    comment_id=row.comment_id,
                )
                return f"failed {row.id}: {row.last_error}"
            return self._fail_in(session, row, exc)

    def _fail_in(self, session, row: OutboxAction, exc: ConnectorError) -> str:  # type: ignore[no-untyped-def]
        row.status = "failed"
        row.done_at = self.core.now()
        row.last_error = f"{type(exc).__name__}: {exc.reason}"[:500]
        session.add(row)
        # A person must see that the platform did not do what we decided, and why: an alert, and the comment
        # back in the queue at high priority with the platform's reason as the note.
        session.add(
            Alert(
                kind="outbox_failed",
                account_id=row.account_id,
                created_at=self.core.now(),
                message=(
                    f"could not reply under comment {row.comment_id}: {row.last_error}"
                    if row.action in REPLY_ACTIONS
                    else f"could not {row.action} comment {row.comment_id}: {row.last_error}"
                ),
            )
        )
        self.core.record(
            session,
            "platform_action_failed",
            "system:outbox",
            {"outbox": row.id, "action": row.action, "reason": row.last_error},
            comment_id=row.comment_id,
        )
        if row.action in REPLY_ACTIONS:
            return f"failed {row.id}: {row.last_error}"  # the comment's state is not the reply's to change
        comment = session.get(Comment, row.comment_id, populate_existing=True)
        if comment is not None and comment.intended_hidden is (row.action == "hide"):
            self.drift.return_to_people(
                session,
                comment,
                actor="system:outbox",
                action="platform_failed",
                platform_hidden=row.action != "hide",
                note=f"the platform refused to {row.action} this comment: {row.last_error}",
            )
        return f"failed {row.id}: {row.last_error}"
