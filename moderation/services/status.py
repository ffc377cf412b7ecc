"""The worker's status as moderators read it with ``modq status``: its heartbeat, each account's polls and
outbox backlog, and the open alerts.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select

from moderation.store.tables import (
    Account,
    Alert,
    OutboxAction,
)

from .base import Component, aware
from .views import Plain

HEARTBEAT = "worker_heartbeat"


@dataclass(frozen=True)
class AccountStatus(Plain):
    id: int
    platform: str
    name: str
    enabled: bool
    poll_seconds: int
    last_poll_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    backlog: int
    failed: int


class WorkerStatus(Component):
    """What ``modq status`` shows of the worker: heartbeat, accounts, open alerts."""

    def heartbeat(self, info: dict[str, object] | None = None) -> None:
        with self.core.tx() as session:
            self.core.put_setting(
                session, HEARTBEAT, json.dumps({"at": self.core.now().isoformat(), "pid": os.getpid(), **(info or {})})
            )

    def last_heartbeat(self) -> dict[str, object] | None:
        with self.core.tx() as session:
            raw = self.core.get_setting(session, HEARTBEAT, "")
        return json.loads(raw) if raw else None

    def account_status(self) -> list[AccountStatus]:
        with self.core.tx() as session:
            counts: dict[tuple[int, str], int] = {
                (a, s): int(n)
                for a, s, n in session.exec(
                    select(OutboxAction.account_id, OutboxAction.status, func.count())
                    .where(col(OutboxAction.status).in_(["pending", "sent", "failed"]))
                    .group_by(col(OutboxAction.account_id), col(OutboxAction.status))
                ).all()
            }
            out = []
            for a in session.exec(select(Account).order_by(col(Account.id))).all():
                aid = a.id or 0
                out.append(
                    AccountStatus(
                        id=aid,
                        platform=a.platform,
                        name=a.name,
                        enabled=a.enabled,
                        poll_seconds=a.poll_seconds,
                        last_poll_at=aware(a.last_poll_at),
                        last_error=a.last_error,
                        last_error_at=aware(a.last_error_at),
                        backlog=counts.get((aid, "pending"), 0) + counts.get((aid, "sent"), 0),
                        failed=counts.get((aid, "failed"), 0),
                    )
                )
            return out

    def open_alerts(self, limit: int = 20) -> list[dict[str, object]]:
        with self.core.tx() as session:
            rows = session.exec(
                select(Alert).where(col(Alert.acknowledged_by).is_(None)).order_by(col(Alert.id).desc()).limit(limit)
            ).all()
            return [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "message": r.message,
                    "rule_id": r.rule_id,
                    "account_id": r.account_id,
                    "created_at": aware(r.created_at),
                }
                for r in rows
            ]
