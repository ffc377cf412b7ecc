"""Starting and stopping ``modq run``: the checks before it starts, the log, the signals, and the worker itself
(alone on a SQLite database, or one of many sharing a PostgreSQL database: ``moderation.worker.cluster``)."""

from __future__ import annotations

import functools
import logging
import os
import signal
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from moderation.worker import log as worker_log
from moderation.worker.jobs import _services, _syncers, log
from moderation.worker.lock import WorkerBusy, WorkerLock, shared_database
from moderation.worker.log import event
from moderation.worker.scheduler import WorkerOptions, build_scheduler, install_jobs, sync_poll_jobs

if TYPE_CHECKING:
    from moderation.services import ModerationService

DRAIN_CHECK_SECONDS = 5.0


def prepare(log_level: str) -> None:
    """Before the worker opens its database: a mail setting that is wrong stops it now, not at its first alert;
    then every log line goes out as JSON on standard error."""
    from moderation.alerting import mail_settings

    mail_settings()
    worker_log.configure(log_level)


def serve(svc: ModerationService, options: WorkerOptions) -> None:
    """Run the worker until SIGTERM or Ctrl-C (a second one leaves at once).

    Raises:
        WorkerBusy: another worker holds this database.
    """
    stop = threading.Event()
    hits = {"n": 0}

    def on_signal(signum: int, _frame: Any) -> None:
        hits["n"] += 1
        if hits["n"] > 1:
            # A second Ctrl-C: leave now. Every step is transactional and the outbox is crash-safe.
            sys.stderr.write('{"event":"worker_killed_by_second_signal"}\n')
            raise SystemExit(130)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    _compile_policy(svc)
    run_worker(svc, stop, options)


def run_worker(svc: ModerationService, stop: threading.Event, options: WorkerOptions | None = None) -> None:
    """Run the scheduler until ``stop`` is set; then finish running jobs (up to the grace) and return.

    Raises:
        WorkerBusy: another worker holds this database.
    """
    options = options or WorkerOptions()
    if shared_database(svc.engine):
        from moderation.worker.cluster import run_shared_worker

        run_shared_worker(svc, stop, options)
        return
    lock = WorkerLock(svc.engine)
    if not lock.acquire():
        raise WorkerBusy(
            "another 'modq run' is already working on this database: SQLite serves one worker per database "
            "(single-worker mode); to run several workers, put the database on PostgreSQL"
        )
    sched, key = build_scheduler(svc, options)
    worker_id = svc.register_worker(socket.gethostname(), os.getpid())
    svc.worker_id = worker_id
    try:
        recovered = svc.recover_outbox()
        _services[key] = svc
        _syncers[key] = functools.partial(sync_poll_jobs, sched, key, svc)
        sched.start(paused=True)
        install_jobs(sched, key, svc, options)
        svc.heartbeat({"started": datetime.now(UTC).isoformat()})
        sched.resume()
        event(
            log, "worker_started", jobs=len(sched.get_jobs()), recovered_sent=recovered, pid=os.getpid(),
            worker=worker_id, mode="single",
        )  # fmt: skip
        beat = time.monotonic()
        while not stop.wait(0.5):
            if time.monotonic() - beat >= DRAIN_CHECK_SECONDS:
                beat = time.monotonic()
                if _drain_asked(svc, worker_id):
                    event(log, "worker_draining", worker=worker_id)
                    break
        event(log, "worker_stopping")
        done = threading.Event()

        def _shutdown() -> None:
            try:
                sched.shutdown(wait=True)
            finally:
                done.set()

        threading.Thread(target=_shutdown, name="modq-shutdown", daemon=True).start()
        if not done.wait(options.shutdown_grace):
            event(log, "worker_shutdown_timeout", logging.WARNING, grace=options.shutdown_grace)
        # So that 'modq status' says stopped at once, not "running" until the heartbeat is two minutes old.
        svc.heartbeat({"stopped": datetime.now(UTC).isoformat()})
        svc.stop_worker(worker_id)
        event(log, "worker_stopped")
    finally:
        _services.pop(key, None)
        _syncers.pop(key, None)
        lock.release()


def _compile_policy(svc: ModerationService) -> None:
    """Compile the policy before the first job, then let go of the word list it was compiled with: the worker
    process compiles once and runs for weeks (``serve`` only: a process that runs workers in-process, such as
    the tests, keeps the list for the policies it compiles next). A policy that does not load is left for the
    jobs to report."""
    from moderation.rules.variants import release_word_lists

    try:
        svc.policy  # noqa: B018 -- loaded for its side effect
    except Exception as exc:  # noqa: BLE001 - the triage job reports it, as before
        log.warning("policy_not_loaded", exc_info=exc)
        return
    release_word_lists()


def _drain_asked(svc: ModerationService, worker_id: int) -> bool:
    """Renew this worker's heartbeat in the registry; True if 'modq workers drain' asked it to stop."""
    try:
        return bool(svc.touch_worker(worker_id))
    except Exception as exc:  # the database is away for a moment: keep working, try again later
        log.warning("heartbeat_failed", exc_info=exc)
        return False
