"""Applying the action outbox: platform hides and unhides the engine has decided on.

Every platform action is an ``outbox`` row written in the same transaction as the decision that wants it,
with a unique key ``comment:action:decision``. The worker applies rows in three steps, each its own
transaction, so a process killed at any instant (``kill -9``) neither loses nor repeats an action:

1. **claim**: a conditional UPDATE moves the row to ``sent``, counts the attempt and leases it
   (``next_attempt_at = now + SENT_LEASE``); a second applier (another thread, a ``modq apply``) finds
   nothing to claim until the lease runs out;
2. **act**: if this is not the row's first attempt (an earlier one may have reached the platform before a
   crash or a timeout), read the platform state first and act only if it is not already what we want;
3. **record**: ``confirmed`` (and ``platform_hidden``) on success; on a retryable error back to ``pending``
   with exponential back-off (or the platform's own ``retry_at``); on a permanent error ``failed``, an alert,
   and the comment back in the moderators' queue with the platform's reason (``return_to_people``).

After a crash the restarted worker, which holds the one-worker-per-database lock, calls ``recover_outbox``
so rows left ``sent`` are retried at once (with the state check of step 2) instead of after the lease.

Rows for one comment are applied in order: a row waits while an older row for the same comment is live,
and a row whose action is no longer what the comment should show is ``superseded``.

A ``reply`` row (a spokesperson's templated reply, ``moderation.services.replies``) goes the same three steps; on
a retry the platform is asked for the reply (``find_reply``) before it is published again. Replies and hides of
one comment are independent sequences: neither waits for the other.

X cannot report whether a reply is hidden (``RemoteState.hidden is None``); there a retried hide is sent
again, which X treats as a no-op ("hiding twice succeeds").
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import col, or_, select

from moderation.ports import (
    AuthExpired,
    Connector,
    ConnectorError,
    NotFound,
    Permanent,
    PermissionMissing,
    RateLimited,
    Unconfirmed,
)
from moderation.store.tables import Account, Comment, OutboxAction, ReplyRow

from .base import Component, Core, aware
from .views import Plain

if TYPE_CHECKING:
    from .outcomes import OutboxOutcomes
    from .rates import RateLimits

MAX_ATTEMPTS = 8
VISIBILITY_ACTIONS = ("hide", "unhide")
REPLY_ACTIONS = ("reply",)
SENT_LEASE = timedelta(minutes=2)
MAX_BACKOFF_SECONDS = 3600


@dataclass(frozen=True)
class OutboxReport(Plain):
    confirmed: int = 0
    retried: int = 0
    failed: int = 0
    superseded: int = 0
    waiting: int = 0
    # Due actions on accounts nobody has set up (or that were removed): kept, never sent, until ``accounts add``.
    held: int = 0
    errors: list[str] = field(default_factory=list)


class Outbox(Component):
    """Applying the outbox: claim a row, act on the platform, record the outcome."""

    def __init__(self, core: Core, outcomes: OutboxOutcomes, rates: RateLimits) -> None:
        super().__init__(core)
        self.outcomes = outcomes
        self.rates = rates

    def outbox_backlog(self) -> dict[int, int]:
        with self.core.tx() as session:
            rows = session.exec(
                select(OutboxAction.account_id).where(col(OutboxAction.status).in_(["pending", "sent"]))
            ).all()
            out: dict[int, int] = {}
            for account_id in rows:
                out[account_id] = out.get(account_id, 0) + 1
            return out

    def recover_outbox(self) -> int:
        """Make rows a dead worker left ``sent`` due now. Call only while holding the one-worker lock (SQLite);
        workers sharing PostgreSQL use ``recover_gone_claims``, which leaves live workers' claims alone."""
        with self.core.tx() as session:
            result = session.execute(
                update(OutboxAction).where(col(OutboxAction.status) == "sent").values(next_attempt_at=self.core.now())
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def apply_outbox(
        self,
        limit: int = 100,
        account: str | int | None = None,
        connector_for: Callable[[Account], Connector] | None = None,
        accounts: Collection[int] | None = None,
    ) -> OutboxReport:
        """Apply due outbox rows (oldest first), at most ``limit``; only ``accounts``' rows if given (a worker
        sharing the database applies the rows of the accounts it holds)."""
        factory = connector_for or self.core.connector_factory
        if factory is None:
            raise RuntimeError("no connector factory configured")
        counts = {"confirmed": 0, "retry": 0, "failed": 0, "superseded": 0, "waiting": 0}
        errors: list[str] = []
        connectors: dict[int, Connector] = {}
        with self.core.tx() as session:
            due = select(OutboxAction.id).where(
                or_(OutboxAction.status == "pending", OutboxAction.status == "sent"),
                col(OutboxAction.next_attempt_at) <= self.core.now(),
            )
            if account is not None:
                due = due.where(OutboxAction.account_id == self.core.account_row(session, account).id)
            if accounts is not None:
                due = due.where(col(OutboxAction.account_id).in_(list(accounts)))
            # The worker never acts on a disabled account: its actions are held (not sent, not retried, no alert).
            enabled = select(Account.id).where(col(Account.enabled).is_(True))
            query = due.where(col(OutboxAction.account_id).in_(enabled))
            ids = list(session.exec(query.order_by(col(OutboxAction.id)).limit(limit)).all())
            held = len(session.exec(due.where(col(OutboxAction.account_id).not_in(enabled))).all())
        for outbox_id in ids:
            outcome = self._apply_one(outbox_id or 0, factory, connectors)
            kind = outcome.split(" ", 1)[0]
            if kind in counts:
                counts[kind] += 1
            if kind in ("retry", "failed"):
                errors.append(outcome)
        return OutboxReport(
            confirmed=counts["confirmed"],
            retried=counts["retry"],
            failed=counts["failed"],
            superseded=counts["superseded"],
            waiting=counts["waiting"],
            held=held,
            errors=errors,
        )

    # ------------------------------------------------------------ one row
    def _claim(self, outbox_id: int) -> tuple[str, OutboxAction | None, Comment | None, Account | None]:
        """Step 1, one transaction: decide whether the row should run and lease it if so."""
        now = self.core.now()
        with self.core.tx() as session:
            # SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL): a row another worker is claiming right now is
            # skipped, not waited for; the conditional UPDATE below makes the claim itself exclusive.
            row = session.get(OutboxAction, outbox_id, populate_existing=True, with_for_update={"skip_locked": True})
            if row is None or row.status not in ("pending", "sent"):
                return "skipped", None, None, None
            if aware(row.next_attempt_at) > now:  # type: ignore[operator]
                return "skipped", None, None, None  # someone else holds the lease
            comment = session.get(Comment, row.comment_id, populate_existing=True)
            account = session.get(Account, row.account_id, populate_existing=True)
            assert comment is not None and account is not None
            if not account.enabled:
                return "held", None, None, None  # disabled since it was listed: left as it is
            # Replies and visibility changes are two independent sequences for a comment: a reply never waits
            # behind a hide, nor a hide behind a reply.
            family = REPLY_ACTIONS if row.action in REPLY_ACTIONS else VISIBILITY_ACTIONS
            if row.action not in REPLY_ACTIONS and comment.intended_hidden is not (row.action == "hide"):
                row.status = "superseded"
                row.done_at = now
                session.add(row)
                return "superseded", None, None, None
            older = session.exec(
                select(OutboxAction.id).where(
                    OutboxAction.comment_id == row.comment_id,
                    col(OutboxAction.id) < outbox_id,
                    col(OutboxAction.status).in_(["pending", "sent"]),
                    col(OutboxAction.action).in_(family),
                )
            ).first()
            if older is not None:
                return "waiting", None, None, None
            claimed = session.execute(
                update(OutboxAction)
                .where(
                    col(OutboxAction.id) == outbox_id,
                    col(OutboxAction.attempts) == row.attempts,
                    col(OutboxAction.status).in_(["pending", "sent"]),
                )
                .values(
                    status="sent",
                    attempts=row.attempts + 1,
                    sent_at=now,
                    next_attempt_at=now + SENT_LEASE,
                    claimed_by=self.core.worker_id,
                )
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return "skipped", None, None, None
            session.expunge(comment)
            session.expunge(account)
            snapshot = OutboxAction(
                id=row.id,
                key=row.key,
                comment_id=row.comment_id,
                account_id=row.account_id,
                action=row.action,
                attempts=row.attempts,
                next_attempt_at=now,
                created_at=now,
            )
            return "claimed", snapshot, comment, account

    def _apply_one(
        self, outbox_id: int, factory: Callable[[Account], Connector], connectors: dict[int, Connector]
    ) -> str:
        status, row, comment, account = self._claim(outbox_id)
        if status != "claimed":
            return status
        assert row is not None and comment is not None and account is not None
        if row.action in REPLY_ACTIONS:
            return self._apply_reply(row, comment, account, factory, connectors)
        want_hidden = row.action == "hide"
        # ``row.attempts`` is the count before this attempt: any earlier one may have reached the platform.
        look_first = row.attempts > 0
        try:
            account_id = account.id or 0
            if account_id not in connectors:
                connectors[account_id] = factory(account)
            connector = connectors[account_id]
            if look_first:
                state = connector.get_state(comment.external_id)
                if not state.exists:
                    raise NotFound(f"{comment.platform} comment {comment.external_id} no longer exists")
                if state.hidden is want_hidden:
                    return self.outcomes.confirm(outbox_id, want_hidden, acted=False)
            caps = connector.capabilities()
            # The account's budget is kept in the database, so every worker that holds it in turn counts
            # against the same window (X: 50 hides per 15 minutes).
            self.rates.take_rate_slot(
                account_id,
                "hide",
                caps.hides_per_window if want_hidden else 0,
                caps.window_seconds,
            )
            if want_hidden:
                connector.hide(comment.external_id)
            else:
                connector.unhide(comment.external_id)
        except RateLimited as exc:
            if exc.retry_at is not None:  # the platform (or the window) says when: every worker waits for it
                self.rates.block_rate(account.id or 0, "hide", aware(exc.retry_at))  # type: ignore[attr-defined, arg-type]
            return self.outcomes.retry(outbox_id, exc, exc.retry_at)
        except Unconfirmed as exc:
            if comment.platform == "x":
                # X cannot say whether a reply is hidden, so looking first cannot help; a hide that timed out
                # is taken as applied (X treats a repeat as a no-op, but the request would still count twice)
                # and the ledger says it was unconfirmed.
                return self.outcomes.confirm(outbox_id, want_hidden, acted=True, unconfirmed=True)
            return self.outcomes.retry(outbox_id, exc, None)
        except NotFound as exc:
            return self.outcomes.fail(outbox_id, exc, deleted=True)
        except (AuthExpired, PermissionMissing, Permanent) as exc:
            return self.outcomes.fail(outbox_id, exc)
        except ConnectorError as exc:
            return self.outcomes.retry(outbox_id, exc, None)
        except Exception as exc:  # e.g. a token variable not set: the connector could not be built
            return self.outcomes.retry(outbox_id, ConnectorError(f"{type(exc).__name__}: {exc}"), None)
        return self.outcomes.confirm(outbox_id, want_hidden, acted=True)

    def _apply_reply(
        self,
        row: OutboxAction,
        comment: Comment,
        account: Account,
        factory: Callable[[Account], Connector],
        connectors: dict[int, Connector],
    ) -> str:
        """Publish a reply. After any earlier attempt (it may have reached the platform before a timeout or a
        crash) ask the platform for the reply first, and publish only if it is not there."""
        outbox_id = row.id or 0
        with self.core.read() as session:
            reply = session.exec(select(ReplyRow).where(ReplyRow.outbox_id == outbox_id)).first()
            text = reply.text if reply is not None else None
        if text is None:
            return self.outcomes.fail(outbox_id, Permanent(f"outbox row {outbox_id} has no reply text"))
        try:
            account_id = account.id or 0
            if account_id not in connectors:
                connectors[account_id] = factory(account)
            connector = connectors[account_id]
            if row.attempts > 0:
                found = connector.find_reply(comment.external_id, text)
                if found is not None:
                    return self.outcomes.confirm_reply(outbox_id, found, acted=False)
            platform_id = connector.reply(comment.external_id, text)
        except RateLimited as exc:
            return self.outcomes.retry(outbox_id, exc, exc.retry_at)
        except NotFound as exc:
            return self.outcomes.fail(outbox_id, exc, deleted=True)
        except (AuthExpired, PermissionMissing, Permanent) as exc:
            return self.outcomes.fail(outbox_id, exc)
        except ConnectorError as exc:  # ``Unconfirmed`` included: the next attempt looks first
            return self.outcomes.retry(outbox_id, exc, None)
        except Exception as exc:  # e.g. a token variable not set: the connector could not be built
            return self.outcomes.retry(outbox_id, ConnectorError(f"{type(exc).__name__}: {exc}"), None)
        return self.outcomes.confirm_reply(outbox_id, platform_id, acted=True)
