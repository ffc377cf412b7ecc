"""``modq run`` on PostgreSQL: any number of workers sharing one database.

Each worker keeps its own APScheduler 3 scheduler (in memory) as the timer; PostgreSQL coordinates them
(``moderation.services.workers``):

* a heartbeat thread, every third of a lease period, renews the worker's row and its account leases,
  takes free accounts up to its fair share (``ceil(accounts / live workers)``) and gives back any above it,
  and keeps or takes the leader lease. It runs on its own thread so busy jobs never delay a renewal;
* a ``poll:<account>`` job exists only for an account the worker holds; each poll checks the lease in the
  database before every request (``check_lease``), so a worker never polls an account it no longer holds;
  an account is given back only once no poll of it is running;
* the ``outbox`` job applies the rows of the accounts held (claims are ``FOR UPDATE SKIP LOCKED`` and
  conditional, so each action is attempted by one worker at a time and applied once);
* the leader alone runs the jobs the cluster runs once (``CLUSTER_JOBS``), and makes a dead worker's
  in-flight outbox rows due at once;
* a worker asked to drain (``modq workers drain``), or stopped by SIGTERM, finishes its running jobs, gives
  back every lease and marks itself stopped, so the others take its accounts at their next heartbeat.

A worker killed outright stops renewing: its leases lapse within one period and the others take its
accounts at their next heartbeat, so every account is polled again within two periods.
"""

from __future__ import annotations

import functools
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Set as AbstractSet
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from moderation.worker.jobs import CLUSTER_JOBS, _leaders, _run, _services, service_key
from moderation.worker.log import event, secrets_from_env
from moderation.worker.scheduler import WorkerOptions, _ensure, _poll_trigger, install_cluster_jobs

if TYPE_CHECKING:
    from moderation.services import ModerationService

log = logging.getLogger("modq.worker")

_coordinators: dict[str, Coordinator] = {}


def shared_poll_job(key: str, account_id: int) -> None:
    coord = _coordinators.get(key)
    if coord is not None:
        coord.poll(account_id)


def shared_outbox_job(key: str) -> None:
    coord = _coordinators.get(key)
    if coord is not None:
        held = coord.holding()
        if held:
            _run("outbox", lambda: coord.svc.apply_outbox(limit=200, accounts=held), worker=coord.worker_id)


class Coordinator:
    """One worker's view of the cluster: the accounts it holds, whether it leads, and its poll jobs."""

    def __init__(
        self, svc: ModerationService, sched: BackgroundScheduler, options: WorkerOptions, stop: threading.Event
    ) -> None:
        self.svc = svc
        self.sched = sched
        self.options = options
        self.stop = stop
        self.lease = float(options.lease_seconds)
        # A poll request starts only while at least this much of the lease is left (renewals come every
        # third of a period, so normally two thirds are).
        self.margin = self.lease / 3
        self.worker_id: int = svc.register_worker(socket.gethostname(), os.getpid())
        svc.worker_id = self.worker_id
        self.key = f"{service_key(svc.engine)}#worker{self.worker_id}"
        self.held: set[int] = set()
        self.releasing: set[int] = set()
        self.leader = False
        self._leader_until = 0.0
        self._locks: dict[int, threading.Lock] = {}
        self._mu = threading.Lock()
        self.drained = False

    # ------------------------------------------------------------ read by the jobs
    def is_leader(self) -> bool:
        return self.leader and time.monotonic() < self._leader_until

    def holding(self) -> set[int]:
        with self._mu:
            return set(self.held)

    def _lock(self, account_id: int) -> threading.Lock:
        with self._mu:
            return self._locks.setdefault(account_id, threading.Lock())

    def poll(self, account_id: int) -> None:
        lock = self._lock(account_id)
        if not lock.acquire(blocking=False):
            return  # being given back
        try:
            if account_id not in self.holding():
                return
            guard = functools.partial(self.svc.check_lease, self.worker_id, account_id, self.margin)
            _run(
                "poll",
                lambda: self.svc.poll_cycle(account_id, guard=guard),
                account=account_id,
                worker=self.worker_id,
            )
        finally:
            lock.release()

    # ------------------------------------------------------------ the heartbeat
    def beat(self) -> None:
        started = time.monotonic()
        b = self.svc.worker_beat(self.worker_id, self.lease, want_more=True)
        if not b.known or b.draining:
            if not self.drained:
                event(log, "worker_draining", worker=self.worker_id, accounts=len(self.held))
            self.drained = True
            self._drop(set(self.held))
            self.stop.set()
            return
        self._set_leader(b.leader, started)
        with self._mu:
            lost = self.held - b.held
            gained = b.held - self.held - self.releasing
            self.held = set(b.held) - self.releasing
        if lost:
            self._drop(lost)
            event(log, "accounts_lost", logging.WARNING, worker=self.worker_id, accounts=sorted(lost))
        extra = len(self.held) - b.share
        if extra > 0:
            give = set(random.sample(sorted(self.held), extra))
            with self._mu:
                self.held -= give
                self.releasing |= give
            self._drop(give)
        self._finish_releases()
        self._schedule(gained)
        if gained:
            event(log, "accounts_taken", worker=self.worker_id, accounts=sorted(gained), share=b.share, live=b.live)
        if self.leader:
            recovered = self.svc.recover_gone_claims(self.lease)
            if recovered:
                event(log, "outbox_recovered", worker=self.worker_id, rows=recovered)
            self.svc.heartbeat({"worker": self.worker_id, "mode": "shared"})

    def _drop(self, accounts: set[int]) -> None:
        for a in accounts:
            if self.sched.get_job(f"poll:{a}") is not None:
                self.sched.remove_job(f"poll:{a}")

    def _finish_releases(self) -> None:
        """Give back the leases of accounts no longer polled here, once no poll of theirs is running."""
        done: list[int] = []
        for a in sorted(self.releasing):
            lock = self._lock(a)
            if lock.acquire(blocking=False):
                done.append(a)
                lock.release()
        if done:
            self.svc.release_accounts(self.worker_id, done)
            with self._mu:
                self.releasing -= set(done)
            event(log, "accounts_released", worker=self.worker_id, accounts=done)

    def _schedule(self, gained: AbstractSet[int]) -> None:
        """A poll job for each account held (the first run at once for one just taken)."""
        held = self.holding()
        accounts = [a for a in self.svc.accounts() if a.id in held]
        secrets_from_env(a.token_env for a in accounts if a.id in gained)
        for a in accounts:
            _ensure(
                self.sched,
                f"poll:{a.id}",
                shared_poll_job,
                [self.key, a.id],
                _poll_trigger(a.id, a.poll_seconds),
                a.poll_seconds,
                grace=max(30, a.poll_seconds),
                first_now=a.id in gained,
            )

    def _set_leader(self, leader: bool, started: float) -> None:
        if leader:
            self._leader_until = started + self.lease * 0.9
        if leader and not self.leader:
            self.leader = True
            install_cluster_jobs(self.sched, self.key, self.svc, self.options)
            now = datetime.now(UTC)
            if self.svc.stats_missing() and self.sched.get_job("stats") is not None:
                self.sched.modify_job("stats", next_run_time=now)  # the nightly snapshot no leader took
            if self.sched.get_job("monthly_report") is not None:
                self.sched.modify_job("monthly_report", next_run_time=now)  # skips a month already written
            event(log, "leader_taken", worker=self.worker_id)
        elif not leader and self.leader:
            self.leader = False
            for job in CLUSTER_JOBS:
                if self.sched.get_job(job) is not None:
                    self.sched.remove_job(job)
            event(log, "leader_lost", logging.WARNING, worker=self.worker_id)

    def beat_safely(self) -> None:
        try:
            self.beat()
        except Exception as exc:  # the database is away for a moment: leases lapse on their own
            log.error("heartbeat_failed", exc_info=exc)


def run_shared_worker(svc: ModerationService, stop: threading.Event, options: WorkerOptions) -> None:
    """Run one worker of many on a PostgreSQL database until ``stop`` is set or it is drained."""
    sched = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(options.threads)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        timezone=UTC,
    )
    coord = Coordinator(svc, sched, options, stop)
    key = coord.key
    _services[key] = svc
    _leaders[key] = coord.is_leader
    _coordinators[key] = coord
    beats = threading.Event()
    try:
        sched.start(paused=True)
        sched.add_job(
            shared_outbox_job,
            IntervalTrigger(seconds=options.outbox_seconds, timezone=UTC),
            args=[key],
            id="outbox",
            name="outbox",
            next_run_time=datetime.now(UTC),
        )
        coord.beat_safely()
        sched.resume()

        def heartbeat() -> None:
            while not beats.wait(coord.lease / 3):
                coord.beat_safely()

        beater = threading.Thread(target=heartbeat, name="modq-heartbeat", daemon=True)
        beater.start()
        event(
            log, "worker_started", jobs=len(sched.get_jobs()), pid=os.getpid(), worker=coord.worker_id,
            mode="shared", accounts=len(coord.held), leader=coord.leader, lease_seconds=coord.lease,
        )  # fmt: skip
        while not stop.wait(0.5):
            pass
        event(log, "worker_stopping", worker=coord.worker_id)
        done = threading.Event()

        def _shutdown() -> None:
            try:
                sched.shutdown(wait=True)
            finally:
                done.set()

        threading.Thread(target=_shutdown, name="modq-shutdown", daemon=True).start()
        if not done.wait(options.shutdown_grace):
            event(log, "worker_shutdown_timeout", logging.WARNING, grace=options.shutdown_grace)
        beats.set()
        beater.join(coord.lease)
        svc.stop_worker(coord.worker_id)  # every lease back at once: the others need not wait for them to lapse
        event(log, "worker_stopped", worker=coord.worker_id, drained=coord.drained)
    finally:
        beats.set()
        _services.pop(key, None)
        _leaders.pop(key, None)
        _coordinators.pop(key, None)
