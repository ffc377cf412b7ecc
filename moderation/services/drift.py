"""When the platform shows something other than what was decided: reconciliation, and the way back to people.

Someone may unhide (or delete) a comment directly on the platform. ``reconcile`` (a worker job) re-reads
recently acted comments; the engine never silently hides one again: the comment goes back to the moderators'
queue, flagged, with an alert, and a person decides. ``return_to_people`` is that way back, through the
lifecycle; the outbox (a platform that refuses an action) and webhooks (a change reported by the platform)
use it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from moderation.domain.lifecycle import PLATFORM_FAILED, Effects, PlatformDrift, PlatformFailed
from moderation.ports import Connector, ConnectorError
from moderation.store.tables import (
    Account,
    Alert,
    Comment,
    OutboxAction,
)

from .base import Component, Core
from .views import Plain

if TYPE_CHECKING:
    from .limits import Limits
    from .transitions import Lifecycle


@dataclass(frozen=True)
class ReconcileReport(Plain):
    checked: int = 0
    diverged: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)


class Drift(Component):
    """Comments the platform shows other than as decided: reconciliation, and handing them back to people."""

    def __init__(self, core: Core, lifecycle: Lifecycle, limits: Limits) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle
        self.limits = limits

    def reconcile(
        self, connector_for: Callable[[Account], Connector] | None = None, limit: int = 500
    ) -> ReconcileReport:
        """Re-read the platform state of recently acted comments; flag, never silently re-hide, divergences."""
        factory = connector_for or self.core.connector_factory
        if factory is None:
            raise RuntimeError("no connector factory configured")
        with self.core.tx() as session:
            since = self.core.now() - timedelta(hours=self.limits.limit(session, "reconcile.hours"))
            live = select(OutboxAction.comment_id).where(col(OutboxAction.status).in_(["pending", "sent"]))
            rows = session.exec(
                select(Comment.id, Comment.external_id, Comment.account_id)
                .where(
                    col(Comment.id).in_(
                        select(OutboxAction.comment_id).where(
                            OutboxAction.status == "confirmed", col(OutboxAction.done_at) >= since
                        )
                    )
                )
                .where(
                    col(Comment.intended_hidden).is_(True),
                    col(Comment.platform_deleted).is_(False),
                    col(Comment.id).not_in(live),
                )
                .order_by(col(Comment.id).desc())
                .limit(limit)
            ).all()
            accounts = {a.id: a for a in session.exec(select(Account)).all()}
        checked = diverged = deleted = 0
        errors: list[str] = []
        connectors: dict[int, Connector] = {}
        for cid, external_id, account_id in rows:
            if not accounts[account_id].enabled:
                continue  # nothing is read from, or done on, an account that is not set up
            try:
                if account_id not in connectors:
                    connectors[account_id] = factory(accounts[account_id])
                state = connectors[account_id].get_state(external_id)
            except ConnectorError as exc:
                errors.append(f"comment {cid}: {type(exc).__name__}")
                continue
            except Exception as exc:  # a connector that cannot be built (missing token) must not stop the rest
                errors.append(f"comment {cid}: {type(exc).__name__}")
                continue
            checked += 1
            if not state.exists:
                deleted += self.mark_deleted(cid or 0)
            elif state.hidden is False:
                diverged += self.flag_unhidden(cid or 0)
        return ReconcileReport(checked=checked, diverged=diverged, deleted=deleted, errors=errors)

    def mark_deleted(self, comment_id: int) -> int:
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            if row.platform_deleted:
                return 0
            row.platform_deleted = True
            session.add(row)
            self.core.record(
                session, "platform_deleted", "system:reconcile", {"seen": "reconciliation"}, comment_id=row.id
            )
            return 1

    def flag_unhidden(self, comment_id: int) -> int:
        """The platform shows a comment we hid: someone unhid it there. Hand it back to people."""
        with self.core.tx() as session:
            row = self.core.comment_row(session, comment_id)
            if not row.intended_hidden:
                return 0
            effects = self.return_to_people(
                session,
                row,
                actor="system:reconcile",
                action="platform_unhidden",
                platform_hidden=False,
                note="unhidden directly on the platform; not re-hidden automatically: a person decides",
            )
            message = (
                f"comment {row.id} was unhidden directly on the platform; it names a person protected by a "
                "suppression order, so it is hidden again and with legal"
                if effects.platform == "hide"
                else f"comment {row.id} was unhidden directly on the platform; it is back in the "
                "queue for a person to decide (it was not re-hidden)"
            )
            session.add(
                Alert(kind="platform_unhidden", account_id=row.account_id, created_at=self.core.now(), message=message)
            )
            return 1

    def return_to_people(
        self, session: Session, row: Comment, *, actor: str, action: str, platform_hidden: bool | None, note: str
    ) -> Effects:
        """The platform shows a comment other than as we decided (someone acted there, or it refused our action):
        through the lifecycle, the comment goes back before a person at high priority.

        Unless the law says otherwise, the intended visibility becomes what the platform shows, so a person's next
        hide (or approve) queues a fresh platform action; settled and auto-hidden comments go back to ``queued``;
        an escalated one stays with its reviewer, with a note on the escalation. A comment naming a person
        protected by an order in force stays meant hidden and goes to legal (re-hidden when someone unhid it).
        """
        shows_hidden = bool(row.intended_hidden) if platform_hidden is None else platform_hidden
        event: PlatformDrift | PlatformFailed
        if action == PLATFORM_FAILED:
            event = PlatformFailed("unhide" if shows_hidden else "hide")
        else:
            event = PlatformDrift(shows_hidden)
        return self.lifecycle.apply_event(
            session,
            row,
            event,
            actor=actor,
            note=note,
            policy_version="",
            escalation_note=note,
            sets={} if platform_hidden is None else {"platform_hidden": platform_hidden},
        ).effects
