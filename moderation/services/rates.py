"""Per-account rate budgets shared by every worker: what an account may still ask of its platform.

``rate_budget`` keeps the X hide window and a spent budget, so a worker taking an account over inherits it;
the outbox takes a slot before each hide and blocks the account when the platform says to wait.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from moderation.ports import RateLimited
from moderation.store.tables import RateBudget

from .base import Component, aware


class RateLimits(Component):
    """Per-account platform budgets, shared by every worker."""

    def _budget(self, session: Session, account_id: int, bucket: str) -> RateBudget:
        row = session.get(RateBudget, (account_id, bucket), with_for_update=True, populate_existing=True)
        if row is not None:
            return row
        try:
            with session.begin_nested():
                session.add(RateBudget(account_id=account_id, bucket=bucket))
        except IntegrityError:
            pass  # another worker created it first
        row = session.get(RateBudget, (account_id, bucket), with_for_update=True, populate_existing=True)
        assert row is not None
        return row

    def take_rate_slot(self, account_id: int, bucket: str, limit: int, window_seconds: float) -> None:
        """Count one request against the account's budget, or raise ``RateLimited`` with when to try again.

        ``limit`` requests per sliding ``window_seconds`` (0: no window); a budget the platform said is
        spent (``block_rate``) refuses until its time. Row-locked, so workers sharing the account agree."""
        with self.core.tx() as session:
            row = self._budget(session, account_id, bucket)
            now = self.core.now()
            blocked = aware(row.blocked_until)
            if blocked is not None and blocked > now:
                raise RateLimited(
                    f"rate budget for {bucket} is spent; waiting until {blocked.isoformat()}",
                    retry_at=blocked,
                    reason="the platform's rate limit is reached",
                )
            if limit <= 0:
                return
            window = timedelta(seconds=window_seconds)
            times = (datetime.fromisoformat(s) for s in json.loads(row.recent or "[]"))
            recent = [t for t in times if t + window > now]
            if len(recent) >= limit:
                frees = min(recent) + window
                raise RateLimited(
                    f"{bucket} budget of {limit} per {int(window_seconds // 60)} minutes is used; "
                    f"next slot at {frees.isoformat()}",
                    retry_at=frees,
                    reason="the platform allows only a limited number of hides per window",
                )
            recent.append(now)
            row.recent = json.dumps([t.isoformat() for t in sorted(recent)])
            session.add(row)

    def block_rate(self, account_id: int, bucket: str, until: datetime) -> None:
        """The platform said this budget is spent until ``until``: every worker waits for it."""
        with self.core.tx() as session:
            row = self._budget(session, account_id, bucket)
            current = aware(row.blocked_until)
            if current is None or current < until:
                row.blocked_until = until
                session.add(row)
