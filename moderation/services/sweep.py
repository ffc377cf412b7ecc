"""The retroactive sweep that applies a new or changed suppression order to every stored comment.

Why: an order forbids publishing a name from the day it is made, so comments already on the department's pages
must be found too, not only new ones. Every match is hidden on the platform (an outbox row, in the same
transaction as the decision) and escalated to legal, through the lifecycle.

Speed (1,000,000 stored comments in under 5 s on one core): the sweep streams ``(id, text)`` in
keyset-paginated batches from short read transactions (plain tuples from the driver's cursor), runs
``OrderMatcher.texts_with_hits`` over each batch (one prefilter pass over the batch's texts joined, then an
Aho-Corasick pass on name anchors and fuzzy matching only for the rare texts it lets through) and opens a write
transaction only for the matching rows. Nothing else is touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from moderation.domain import State, SuppressionOrder
from moderation.domain.lifecycle import OrderMatched
from moderation.store import ledger
from moderation.store.tables import Comment, LedgerEvent, SuppressionOrderRow

from .base import Component, Core
from .triage_rows import finding_row, order_value
from .views import Plain

if TYPE_CHECKING:
    from .transitions import Lifecycle

Progress = Callable[[int, int], object]  # told (done, total); what it returns is ignored


SWEEP_BATCH = 20_000


SWEEP_ACTOR = "auto:sweep"


# States a sweep moves to escalated (the state machine allows escalate from each); "new" is left to triage,
# which applies the active orders itself, and "escalated" only gains a legal escalation and a hide.
SWEEPABLE = (State.QUEUED.value, State.AUTO_HIDDEN.value, State.APPROVED.value, State.HIDDEN.value)


# Plain SQL for the hot loop, run on the driver's own cursor: keyset pagination on the primary key, two columns,
# plain tuples (building a result row object per comment took about a third of the sweep).
_SCAN = "SELECT id, text FROM comment WHERE id > {mark} AND platform_deleted = false ORDER BY id LIMIT {mark}"


@dataclass(frozen=True)
class SweepReport(Plain):
    scanned: int = 0
    matched: int = 0
    escalated: int = 0
    already: int = 0
    seconds: float = 0.0
    comment_ids: list[int] = field(default_factory=list)


class OrderSweep(Component):
    """The retroactive sweep of stored comments against new or changed orders."""

    def __init__(self, core: Core, lifecycle: Lifecycle) -> None:
        super().__init__(core)
        self.lifecycle = lifecycle

    def sweep(
        self, order_ids: Sequence[int] | None = None, progress: Progress | None = None, batch: int = SWEEP_BATCH
    ) -> SweepReport:
        """Check every stored comment against the given orders (default: every active order).

        Matches are escalated to legal and hidden on the platform. Safe to repeat: a comment that already has
        an open legal escalation and is meant to be hidden is counted as ``already`` and left alone.
        """
        import time

        started = time.perf_counter()
        now = self.core.now()
        with self.core.tx() as session:
            rows = session.exec(select(SuppressionOrderRow)).all()
            orders = [order_value(r) for r in rows if order_ids is None or r.id in set(order_ids)]
            total = int(session.exec(select(func.count()).select_from(Comment)).one())
        active: list[SuppressionOrder] = [o for o in orders if o.active_at(now)]
        if not active:
            return SweepReport(seconds=time.perf_counter() - started)
        matcher = self.core.policy.order_matcher(active, now)
        last = 0
        scanned = matched = escalated = already = 0
        hit_ids: list[int] = []
        if progress:
            progress(0, total)
        scan = _SCAN.format(mark="?" if self.core.engine.dialect.paramstyle == "qmark" else "%s")
        while True:
            with self.core.engine.connect() as conn:
                cursor = conn.connection.cursor()
                try:
                    cursor.execute(scan, (last, batch))
                    chunk = cursor.fetchall()
                finally:
                    cursor.close()
                conn.rollback()
            if not chunk:
                break
            last = chunk[-1][0]
            scanned += len(chunk)
            # The prefilter reads the batch at once; a very long text is read in bounded chunks, so one 5 MB
            # comment cannot take the memory of the sweep.
            found = [chunk[i][0] for i in matcher.texts_with_hits([row[1] for row in chunk])]
            if found:
                matched += len(found)
                e, a = self._escalate_matches(found, matcher)
                escalated += e
                already += a
                hit_ids.extend(found)
            if progress:
                progress(scanned, total)
        if progress:
            progress(total, total)
        with self.core.tx() as session:
            self.core.record(
                session,
                "orders_swept",
                SWEEP_ACTOR,
                {
                    "orders": [o.id for o in active],
                    "scanned": scanned,
                    "matched": matched,
                    "escalated": escalated,
                },
            )
        return SweepReport(
            scanned=scanned,
            matched=matched,
            escalated=escalated,
            already=already,
            seconds=time.perf_counter() - started,
            comment_ids=hit_ids,
        )

    def sweep_due(self) -> SweepReport:
        """Sweep stored comments for every order in force that no sweep has covered since it came into force:
        an order added before its first day, or one whose sweep did not finish. The worker runs this every few
        minutes; with nothing due it only reads the order register and the sweep events. Safe to repeat."""
        now = self.core.now()
        with self.core.read() as session:
            active = [
                o for o in (order_value(r) for r in session.exec(select(SuppressionOrderRow)).all()) if o.active_at(now)
            ]
            if not active:
                return SweepReport()
            earliest = min(o.starts for o in active)
            events = session.exec(
                select(LedgerEvent.at, LedgerEvent.payload).where(LedgerEvent.kind == "orders_swept")
            ).all()
        last_swept: dict[int, datetime] = {}
        for at, payload in events:
            when = datetime.fromisoformat(at)
            if when < earliest:
                continue
            for oid in json.loads(payload).get("orders", []):
                if oid not in last_swept or when > last_swept[oid]:
                    last_swept[oid] = when
        due = [o.id for o in active if o.id not in last_swept or last_swept[o.id] < o.starts]
        if not due:
            return SweepReport()
        return self.sweep(order_ids=due)

    def _escalate_matches(self, ids: list[int], matcher: object) -> tuple[int, int]:
        """Escalate a batch's matches in one transaction; their ledger events are chained with one append at
        the end (the chain is the one appending them singly would give, and the orders are read once to screen
        the events' free text, not once per event)."""
        escalated = already = 0
        events: list[ledger.Pending] = []
        with self.core.tx() as session:
            for cid in ids:
                row = session.get(Comment, cid, populate_existing=True)
                if row is None or row.state == State.NEW.value:
                    continue  # triage applies the active orders to new comments itself
                findings = matcher.findings(row.text)  # type: ignore[attr-defined]
                if not findings:
                    continue  # the text changed since it was read
                if self._sweep_one(session, row, findings, events):
                    escalated += 1
                else:
                    already += 1
            self.core.record_many(session, events)
        return escalated, already

    def _sweep_one(
        self,
        session: Session,
        row: Comment,
        findings: list,  # type: ignore[type-arg]
        events: list[ledger.Pending],
    ) -> bool:
        """One stored comment naming a protected person: escalated to legal and hidden, through the lifecycle
        (its ledger event added to ``events``). False when it already was (with legal, meant hidden)."""
        top = findings[0]
        clauses = sorted({*(row.clauses.split(",") if row.clauses else []), top.clause})
        now = self.core.now()
        applied = self.lifecycle.apply_event(
            session,
            row,
            OrderMatched(),
            actor=f"auto:{top.rule_id}",
            clauses=clauses,
            rules=self.core.dumps([{"id": top.rule_id, "hash": top.rule_hash}]),
            escalation_note="suppression order sweep",
            sets={"severity": "critical", "clauses": ",".join(clauses)},
            payload={"clause": top.clause, "spans": [[f.start, f.end] for f in findings]},
            protected=True,
            ledger_out=events,
        )
        if applied.decision is None:
            return False
        for f in findings:
            session.add(finding_row(row, f, self.core.policy.version, now))
        return True
