"""The worker's poll job for one account: poll and triage, the circuit breaker, then the account's outbox.

Who calls it: the scheduler, once per account every ``poll_seconds`` (``moderation.worker.scheduler``), and a shared
worker for the accounts it leases (``moderation.worker.cluster``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from moderation.domain import State

from .base import Component, Core
from .views import Plain

if TYPE_CHECKING:
    from .demotions import Demotions
    from .outbox import Outbox
    from .polling import Polling


@dataclass(frozen=True)
class CycleReport(Plain):
    account: int
    seen: int = 0
    added: int = 0
    triaged: int = 0
    auto_hidden: int = 0
    demoted: int = 0
    confirmed: int = 0
    retried: int = 0
    failed: int = 0
    error: str | None = None


class PollCycle(Component):
    """The worker's scheduled pass over one account."""

    def __init__(self, core: Core, demotions: Demotions, outbox: Outbox, polling: Polling) -> None:
        super().__init__(core)
        self.demotions = demotions
        self.outbox = outbox
        self.polling = polling

    # ------------------------------------------------------------ the worker's poll job
    def poll_cycle(self, account_id: int, guard: Callable[[], None] | None = None) -> CycleReport:
        """One scheduled pass for one account: poll and triage, circuit breaker, then this account's outbox.

        ``guard``: see ``poll_account``; a poll stopped by it (the lease passed on) ends the pass there."""
        try:
            poll = self.polling.poll_account(account_id, guard=guard)
        except Exception as exc:  # e.g. the token variable is not set: say so where ``modq status`` looks
            with self.core.tx() as session:
                row = self.core.account_row(session, account_id)
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                row.last_error_at = self.core.now()
                session.add(row)
            raise
        if poll.error and poll.error.startswith("LeaseLost"):
            return CycleReport(account=account_id, seen=poll.seen, added=poll.added, error="LeaseLost")
        demoted = self.demotions.check_circuit_breakers(account_id)
        applied = self.outbox.apply_outbox(limit=500, account=account_id)
        return CycleReport(
            account=account_id,
            seen=poll.seen,
            added=poll.added,
            triaged=poll.triaged,
            auto_hidden=poll.by_state.get(State.AUTO_HIDDEN.value, 0),
            demoted=len(demoted),
            confirmed=applied.confirmed,
            retried=applied.retried,
            failed=applied.failed,
            error=poll.error.split(":", 1)[0] if poll.error else None,
        )
