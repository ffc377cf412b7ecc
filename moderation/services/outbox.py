"""Applying the action outbox: platform hides and unhides the engine has decided on.

A row is marked ``sent`` (committed) before the platform is called, and ``confirmed`` after.
A row found ``sent`` after a crash is checked against the platform first: if the platform already
shows the intended state, it is confirmed without acting again, so each intended action reaches
the platform once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import col, or_, select

from moderation.ports import (
    AuthExpired,
    Connector,
    ConnectorError,
    NotFound,
    PermissionMissing,
    Permanent,
    RateLimited,
)
from moderation.store.tables import Account, Alert, Comment, OutboxAction

from .base import ServiceBase, aware
from .views import Plain

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class OutboxReport(Plain):
    confirmed: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class OutboxMixin(ServiceBase):
    def outbox_backlog(self) -> dict[int, int]:
        with self.tx() as session:
            rows = session.exec(
                select(OutboxAction.account_id).where(col(OutboxAction.status).in_(["pending", "sent"]))
            ).all()
            out: dict[int, int] = {}
            for account_id in rows:
                out[account_id] = out.get(account_id, 0) + 1
            return out

    def apply_outbox(
        self,
        limit: int = 100,
        account: str | int | None = None,
        connector_for: Callable[[Account], Connector] | None = None,
    ) -> OutboxReport:
        factory = connector_for or self.connector_factory
        if factory is None:
            raise RuntimeError("no connector factory configured")
        confirmed = retried = failed = 0
        errors: list[str] = []
        connectors: dict[int, Connector] = {}
        with self.tx() as session:
            query = select(OutboxAction.id).where(
                or_(OutboxAction.status == "pending", OutboxAction.status == "sent"),
                OutboxAction.next_attempt_at <= self.now(),
            )
            if account is not None:
                query = query.where(OutboxAction.account_id == self.account_row(session, account).id)
            ids = list(session.exec(query.order_by(col(OutboxAction.id)).limit(limit)).all())
        for outbox_id in ids:
            outcome = self._apply_one(outbox_id, factory, connectors)
            if outcome == "confirmed":
                confirmed += 1
            elif outcome.startswith("retry"):
                retried += 1
                errors.append(outcome)
            elif outcome.startswith("failed"):
                failed += 1
                errors.append(outcome)
        return OutboxReport(confirmed=confirmed, retried=retried, failed=failed, errors=errors)

    def _apply_one(self, outbox_id: int, factory: Callable[[Account], Connector],
                   connectors: dict[int, Connector]) -> str:
        with self.tx() as session:
            row = session.get(OutboxAction, outbox_id, populate_existing=True)
            if row is None or row.status not in ("pending", "sent"):
                return "skipped"
            comment = session.get(Comment, row.comment_id)
            account = session.get(Account, row.account_id)
            assert comment is not None and account is not None
            was_sent = row.status == "sent"
            row.status = "sent"
            row.attempts += 1
            row.sent_at = self.now()
            session.add(row)
            external_id = comment.external_id
            want_hidden = row.action == "hide"
            if account.id not in connectors:
                connectors[account.id or 0] = factory(account)
        connector = connectors[account.id or 0]
        try:
            if was_sent:
                # We may have acted before a crash: look before acting again.
                state = connector.get_state(external_id)
                if state.exists and state.hidden is want_hidden:
                    return self._confirm(outbox_id, want_hidden)
            if want_hidden:
                connector.hide(external_id)
            else:
                connector.unhide(external_id)
        except RateLimited as exc:
            return self._retry(outbox_id, exc, exc.retry_at)
        except NotFound as exc:
            return self._fail(outbox_id, exc, deleted=True)
        except (AuthExpired, PermissionMissing, Permanent) as exc:
            return self._fail(outbox_id, exc)
        except ConnectorError as exc:
            return self._retry(outbox_id, exc, None)
        return self._confirm(outbox_id, want_hidden)

    def _confirm(self, outbox_id: int, hidden: bool) -> str:
        with self.tx() as session:
            row = session.get(OutboxAction, outbox_id)
            assert row is not None
            row.status = "confirmed"
            row.done_at = self.now()
            comment = session.get(Comment, row.comment_id)
            assert comment is not None
            comment.platform_hidden = hidden
            session.add(row)
            session.add(comment)
            self.record(session, "platform_" + row.action, "system:outbox",
                        {"outbox": row.id, "attempts": row.attempts, "key": row.key}, comment_id=row.comment_id)
        return "confirmed"

    def _retry(self, outbox_id: int, exc: ConnectorError, retry_at: object) -> str:
        with self.tx() as session:
            row = session.get(OutboxAction, outbox_id)
            assert row is not None
            if row.attempts >= MAX_ATTEMPTS:
                return self._fail_in(session, row, exc)
            backoff = timedelta(seconds=min(3600, 5 * 2 ** max(0, row.attempts - 1)))
            when = aware(retry_at) if retry_at is not None else None  # type: ignore[arg-type]
            row.next_attempt_at = when or (self.now() + backoff)
            row.status = "pending"
            row.last_error = f"{type(exc).__name__}: {exc.reason}"[:500]
            session.add(row)
        return f"retry {outbox_id}: {type(exc).__name__}"

    def _fail(self, outbox_id: int, exc: ConnectorError, deleted: bool = False) -> str:
        with self.tx() as session:
            row = session.get(OutboxAction, outbox_id)
            assert row is not None
            if deleted:
                comment = session.get(Comment, row.comment_id)
                if comment is not None:
                    comment.platform_deleted = True
                    session.add(comment)
            return self._fail_in(session, row, exc)

    def _fail_in(self, session, row: OutboxAction, exc: ConnectorError) -> str:  # type: ignore[no-untyped-def]
        row.status = "failed"
        row.done_at = self.now()
        row.last_error = f"{type(exc).__name__}: {exc.reason}"[:500]
        session.add(row)
        # A person must see that the platform did not do what we decided, and why.
        session.add(Alert(kind="outbox_failed", account_id=row.account_id, created_at=self.now(),
                          message=f"could not {row.action} comment {row.comment_id}: {row.last_error}"))
        self.record(session, "platform_action_failed", "system:outbox",
                    {"outbox": row.id, "action": row.action, "reason": row.last_error}, comment_id=row.comment_id)
        return f"failed {row.id}: {row.last_error}"
