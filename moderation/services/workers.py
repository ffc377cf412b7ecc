"""Workers sharing one database: the registry, account leases and the leader lease (rate budgets: ``rates``).

Why: on PostgreSQL any number of ``modq run`` processes serve one database, so the work must be split
without two of them polling one account at once, and without a dead one stopping anything for long.

* Every worker registers a row (``worker``) and renews its ``heartbeat_at`` every third of a lease period.
* An account is polled only by the worker holding its ``account_lease`` (expiry renewed by the heartbeat).
  Each worker holds at most ``ceil(enabled accounts / live workers)``; one holding more gives the rest back,
  one holding fewer takes leases that are free or expired. A worker that dies stops renewing: its leases
  expire within one period and the others take them at their next heartbeat, so its accounts are polled again
  within two periods.
* The ``leader`` row of ``cluster_lease`` says which worker runs the jobs the cluster runs once
  (calibration, statistics, reports, order sweeps, reconciliation, alert emails).
* Lease times are the database server's (``now()``), so the clocks of the workers' machines do not matter.
* ``rate_budget`` keeps what an account may still ask of its platform (the X hide window, a spent budget),
  so a worker taking an account over inherits it.

The take and renew statements are PostgreSQL's (``INSERT ... ON CONFLICT``); SQLite keeps one worker per
database (a file lock), which registers itself and holds every account without leases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select

from moderation.domain import InputError
from moderation.store.tables import Account, AccountLease, ClusterLease, OutboxAction, Worker

from .base import Component, aware
from .views import Plain

LEADER = "leader"


class LeaseLost(RuntimeError):
    """This worker no longer holds the account's lease (or too little of it is left): stop polling it."""


@dataclass(frozen=True)
class WorkerView(Plain):
    id: int
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    state: str  # running | draining | stopped | lost
    leader: bool = False
    accounts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Beat:
    """What one heartbeat found: whether to drain, the accounts held now, the fair share, and leadership."""

    known: bool
    draining: bool
    held: frozenset[int]
    share: int
    live: int
    leader: bool


class Workers(Component):
    """Workers sharing one database: registry, heartbeats, account leases and the leader lease."""

    def db_now(self, session: Session) -> datetime:
        """The database server's time on PostgreSQL (one clock for every machine); the service clock on SQLite."""
        if session.get_bind().dialect.name == "postgresql":
            value = session.execute(text("SELECT now()")).scalar_one()
            return aware(value)  # type: ignore[return-value]
        return self.core.now()

    # ------------------------------------------------------------ the registry
    def register_worker(self, host: str, pid: int) -> int:
        with self.core.tx() as session:
            now = self.db_now(session)
            row = Worker(host=host[:255], pid=pid, started_at=now, heartbeat_at=now)
            session.add(row)
            session.flush()
            return row.id or 0

    def stop_worker(self, worker_id: int) -> None:
        """A clean stop: give back every lease at once (the others need not wait for them to expire)."""
        with self.core.tx() as session:
            now = self.db_now(session)
            session.execute(delete(AccountLease).where(col(AccountLease.worker_id) == worker_id))
            session.execute(delete(ClusterLease).where(col(ClusterLease.worker_id) == worker_id))
            session.execute(update(Worker).where(col(Worker.id) == worker_id).values(stopped_at=now, heartbeat_at=now))

    def touch_worker(self, worker_id: int) -> bool:
        """Renew this worker's heartbeat (single-worker mode); True if it has been asked to drain."""
        with self.core.tx() as session:
            row = session.get(Worker, worker_id, populate_existing=True)
            if row is None:
                return True
            row.heartbeat_at = self.db_now(session)
            session.add(row)
            return bool(row.draining)

    def drain_worker(self, worker_id: int) -> WorkerView:
        """Ask a running worker to give back its accounts and stop; it does so at its next heartbeat.

        Raises:
            InputError: no such worker, or it is not running (the message lists the running ones).
        """
        with self.core.tx() as session:
            row = session.get(Worker, worker_id, with_for_update=True)
            running = self._running_ids(session)
            listed = ", ".join(str(i) for i in running) or "none"
            if row is None:
                raise InputError(f"no worker {worker_id}; running workers: {listed} (see 'modq status')")
            if row.stopped_at is not None:
                raise InputError(
                    f"worker {worker_id} stopped at {aware(row.stopped_at):%Y-%m-%d %H:%M:%S} UTC; "
                    f"running workers: {listed}"
                )
            row.draining = True
            session.add(row)
        return next(w for w in self.workers() if w.id == worker_id)

    def _running_ids(self, session: Session) -> list[int]:
        return [
            i or 0
            for i in session.exec(
                select(Worker.id).where(col(Worker.stopped_at).is_(None)).order_by(col(Worker.id))
            ).all()
        ]

    def workers(self, lost_after: float = 30.0) -> list[WorkerView]:
        """Every worker not stopped, and those stopped in the last day, with the accounts each holds now."""
        with self.core.tx() as session:
            now = self.db_now(session)
            held: dict[int, list[int]] = {}
            for account_id, worker_id in session.exec(
                select(AccountLease.account_id, AccountLease.worker_id)
                .where(col(AccountLease.expires_at) > now)
                .order_by(col(AccountLease.account_id))
            ).all():
                held.setdefault(worker_id, []).append(account_id)
            leader = self._leader(session, now)
            rows = session.exec(
                select(Worker)
                .where((col(Worker.stopped_at).is_(None)) | (col(Worker.stopped_at) > now - timedelta(days=1)))
                .order_by(col(Worker.id))
            ).all()
            out = []
            for w in rows:
                beat = aware(w.heartbeat_at) or now
                if w.stopped_at is not None:
                    state = "stopped"
                elif (now - beat).total_seconds() > lost_after:
                    state = "lost"
                else:
                    state = "draining" if w.draining else "running"
                out.append(
                    WorkerView(
                        id=w.id or 0,
                        host=w.host,
                        pid=w.pid,
                        started_at=aware(w.started_at) or now,
                        heartbeat_at=beat,
                        state=state,
                        leader=leader == w.id,
                        accounts=held.get(w.id or 0, []),
                    )
                )
            return out

    def leader_id(self) -> int | None:
        with self.core.tx() as session:
            return self._leader(session, self.db_now(session))

    def _leader(self, session: Session, now: datetime) -> int | None:
        row = session.get(ClusterLease, LEADER)
        if row is None or (aware(row.expires_at) or now) <= now:
            return None
        return row.worker_id

    # ------------------------------------------------------------ one heartbeat (PostgreSQL)
    def worker_beat(self, worker_id: int, lease_seconds: float, want_more: bool = True) -> Beat:
        """Renew this worker's heartbeat, its account leases and (if free or its own) the leader lease; take
        free accounts up to the fair share. Accounts above the share are *not* given back here: the caller
        stops polling them first, then calls ``release_accounts``."""
        period = timedelta(seconds=lease_seconds)
        with self.core.tx() as session:
            now = self.db_now(session)
            me = session.get(Worker, worker_id, with_for_update=True)
            if me is None or me.stopped_at is not None:
                return Beat(known=False, draining=True, held=frozenset(), share=0, live=0, leader=False)
            me.heartbeat_at = now
            session.add(me)
            draining = bool(me.draining)
            session.execute(
                update(AccountLease)
                .where(col(AccountLease.worker_id) == worker_id, col(AccountLease.expires_at) > now)
                .values(expires_at=now + period)
            )
            live = int(
                session.exec(
                    select(func.count())
                    .select_from(Worker)
                    .where(
                        col(Worker.stopped_at).is_(None),
                        col(Worker.draining).is_(False),
                        col(Worker.heartbeat_at) > now - period,
                    )
                ).one()
            )
            accounts = int(
                session.exec(select(func.count()).select_from(Account).where(col(Account.enabled).is_(True))).one()
            )
            share = 0 if draining else math.ceil(accounts / max(1, live))
            leader = False if draining else self._hold_leader(session, worker_id, now, period)
        held = self._leased_to(worker_id)
        if want_more and not draining and len(held) < share:
            held |= self._take(worker_id, share - len(held), period)
        return Beat(known=True, draining=draining, held=frozenset(held), share=share, live=live, leader=leader)

    def _leased_to(self, worker_id: int) -> set[int]:
        with self.core.tx() as session:
            now = self.db_now(session)
            return {
                a
                for a in session.exec(
                    select(AccountLease.account_id).where(
                        col(AccountLease.worker_id) == worker_id,
                        col(AccountLease.expires_at) > now,
                        col(AccountLease.account_id).in_(select(Account.id).where(col(Account.enabled).is_(True))),
                    )
                ).all()
            }

    def _take(self, worker_id: int, count: int, period: timedelta) -> set[int]:
        """Take up to ``count`` accounts whose lease is free or expired, in one statement.

        ``ON CONFLICT ... WHERE expires_at <= now()`` re-checks each row under its lock, so of two workers
        racing for one account exactly one gets it. Candidates are taken in id order (no deadlock between
        two takers) from a random starting point (two takers rarely want the same rows)."""
        with self.core.tx() as session:
            now = self.db_now(session)
            total = int(session.exec(select(func.count()).select_from(Account)).one())
            start = int(session.execute(text("SELECT floor(random() * :n)"), {"n": max(1, total)}).scalar_one())
            lease = AccountLease.__table__  # type: ignore[attr-defined]
            free = (
                select(Account.id)
                .outerjoin(AccountLease, col(AccountLease.account_id) == col(Account.id))
                .where(
                    col(Account.enabled).is_(True),
                    (col(AccountLease.account_id).is_(None)) | (col(AccountLease.expires_at) <= now),
                )
            )
            picked = [
                *session.exec(free.where(col(Account.id) > start).order_by(col(Account.id)).limit(count)).all(),
            ]
            if len(picked) < count:
                picked += session.exec(
                    free.where(col(Account.id) <= start).order_by(col(Account.id)).limit(count - len(picked))
                ).all()
            if not picked:
                return set()
            picked = sorted(i for i in picked if i is not None)
            stmt = pg_insert(lease).values(
                [{"account_id": a, "worker_id": worker_id, "expires_at": now + period, "taken_at": now} for a in picked]
            )
            upsert = stmt.on_conflict_do_update(
                index_elements=[lease.c.account_id],
                set_={
                    "worker_id": stmt.excluded.worker_id,
                    "expires_at": stmt.excluded.expires_at,
                    "taken_at": stmt.excluded.taken_at,
                },
                where=lease.c.expires_at <= now,
            ).returning(lease.c.account_id)
            return {int(r[0]) for r in session.execute(upsert).all()}

    def _hold_leader(self, session: Session, worker_id: int, now: datetime, period: timedelta) -> bool:
        """Renew the leader lease if it is this worker's, or take it if it is free or expired."""
        table = ClusterLease.__table__  # type: ignore[attr-defined]
        stmt = pg_insert(table).values(name=LEADER, worker_id=worker_id, expires_at=now + period, taken_at=now)
        upsert = stmt.on_conflict_do_update(
            index_elements=[table.c.name],
            set_={
                "worker_id": stmt.excluded.worker_id,
                "expires_at": stmt.excluded.expires_at,
                # A renewal keeps the time it was taken.
                "taken_at": case((table.c.worker_id == worker_id, table.c.taken_at), else_=stmt.excluded.taken_at),
            },
            where=(table.c.worker_id == worker_id) | (table.c.expires_at <= now),
        ).returning(table.c.worker_id)
        return session.execute(upsert).first() is not None

    def release_accounts(self, worker_id: int, accounts: list[int]) -> None:
        """Give leases back (the caller has stopped polling them): the others may take them at once."""
        if not accounts:
            return
        with self.core.tx() as session:
            session.execute(
                delete(AccountLease).where(
                    col(AccountLease.worker_id) == worker_id, col(AccountLease.account_id).in_(accounts)
                )
            )

    def release_leader(self, worker_id: int) -> None:
        with self.core.tx() as session:
            session.execute(
                delete(ClusterLease).where(col(ClusterLease.name) == LEADER, col(ClusterLease.worker_id) == worker_id)
            )

    def check_lease(self, worker_id: int, account_id: int, margin_seconds: float) -> None:
        """Raise ``LeaseLost`` unless this worker holds the account's lease for at least ``margin_seconds`` more.

        Called just before each request of a poll: a lease can only pass to another worker once it has
        expired, so a worker that checks this before every request never polls alongside the next holder
        (as long as one request takes less than the margin)."""
        with self.core.tx() as session:
            now = self.db_now(session)
            ok = session.exec(
                select(AccountLease.account_id).where(
                    col(AccountLease.account_id) == account_id,
                    col(AccountLease.worker_id) == worker_id,
                    col(AccountLease.expires_at) > now + timedelta(seconds=margin_seconds),
                )
            ).first()
        if ok is None:
            raise LeaseLost(f"worker {worker_id} does not hold account {account_id}")

    def recover_gone_claims(self, lease_seconds: float) -> int:
        """Make due at once the ``sent`` outbox rows whose claiming worker stopped or stopped beating, so a
        dead worker's in-flight actions are retried (reading the platform first) without waiting out their
        lease. Rows claimed by a live worker are left alone."""
        with self.core.tx() as session:
            now = self.db_now(session)
            silent = now - timedelta(seconds=lease_seconds)
            gone = select(Worker.id).where((col(Worker.stopped_at).is_not(None)) | (col(Worker.heartbeat_at) <= silent))
            result = session.execute(
                update(OutboxAction)
                .where(col(OutboxAction.status) == "sent", col(OutboxAction.claimed_by).in_(gone))
                .values(next_attempt_at=self.core.now(), claimed_by=None)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
