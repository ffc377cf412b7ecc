"""APScheduler wiring for ``modq run``: which jobs run when. Each job is one call into the service.

Jobs (ids in the job store):

* ``poll:<account id>`` every account's ``poll_seconds``: poll, triage, circuit breaker, then apply that
  account's outbox at once, so a clear violation is hidden within about one poll interval;
* ``outbox`` every ``OUTBOX_SECONDS``: retries, and the hides and unhides people decided;
* ``reconcile`` every ``RECONCILE_SECONDS``: re-read the platform state of recently acted comments;
* ``calibration`` every ``CALIBRATION_SECONDS``: overturn calibration;
* ``stats`` nightly at 00:20 in the department's time zone: yesterday's statistics snapshot;
* ``sync`` every ``SYNC_SECONDS``: add, reschedule or drop poll jobs as accounts change; worker heartbeat;
* ``order_sweeps`` every ``ORDER_SWEEP_SECONDS``: check stored comments for suppression orders that came into
  force since they were added (or whose sweep did not finish);
* ``alerts`` every ``MODQ_ALERT_MINUTES``: find what needs a person (SLAs, expired tokens, silent accounts,
  automation paused) and email what is new as one digest (``moderation.alerting``).

Choices:

* The job store is APScheduler's ``SQLAlchemyJobStore`` on the engine's own database (its table,
  ``apscheduler_jobs``, is created by APScheduler). A restarted worker keeps each job's next run time, so a
  poll that was due while it was down runs once at start (``coalesce``), and a missed nightly snapshot runs
  when the worker comes back within ``STATS_GRACE``. Jobs are only replaced when their schedule changed.
* ``max_instances=1`` and ``coalesce=True`` for every job: one instance of each at a time.
* Job functions are module-level and take plain arguments: a *service key* (the database URL with any
  password masked, so no secret is pickled into the job table) and an account id. The worker process
  registers its service under that key before the scheduler starts.
* Poll jitter is a fixed per-account phase plus at most ``JITTER_MAX`` seconds of random delay: accounts
  do not all poll in the same second, and no poll is later than its interval plus a second.
* SQLite: one worker per database (``WorkerLock``, a ``flock`` beside the file), so the restarted worker may
  retry actions a dead one left ``sent`` at once (``recover_outbox``). PostgreSQL: any number of workers share
  the database through leases (``moderation.cluster``); the jobs in ``CLUSTER_JOBS`` run on the leader only.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.engine import Engine

from moderation.worker_log import add_secrets, event, secrets_from_env

if TYPE_CHECKING:
    from moderation.services import ModerationService

log = logging.getLogger("modq.worker")

JOB_TABLE = "apscheduler_jobs"
OUTBOX_SECONDS = 5
RECONCILE_SECONDS = 600
CALIBRATION_SECONDS = 900
SYNC_SECONDS = 30
ORDER_SWEEP_SECONDS = 300
JITTER_MAX = 1.0
STATS_GRACE = 12 * 3600
WEBHOOK_SECONDS = 30.0  # stored webhook deliveries left unprocessed (the service normally does it at once)
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

_services: dict[str, ModerationService] = {}
_schedulers: dict[str, BackgroundScheduler] = {}
# Workers sharing a database register here whether they hold the leader lease right now; a worker alone on
# its database (SQLite) registers nothing and runs every job.
_leaders: dict[str, Any] = {}

CLUSTER_JOBS = ("reconcile", "calibration", "stats", "monthly_report", "order_sweeps", "alerts", "webhooks")


def _leading(key: str, job: str) -> bool:
    """A job the cluster runs once runs only on the worker holding the leader lease."""
    check = _leaders.get(key)
    if check is None or check():
        return True
    event(log, job + "_skipped_not_leader", logging.DEBUG)
    return False


@dataclass(frozen=True)
class WorkerOptions:
    outbox_seconds: float = OUTBOX_SECONDS
    reconcile_seconds: float = RECONCILE_SECONDS
    calibration_seconds: float = CALIBRATION_SECONDS
    sync_seconds: float = SYNC_SECONDS
    threads: int = 4
    shutdown_grace: float = 30.0
    # Workers sharing PostgreSQL: how long an account lease lasts unless renewed (heartbeat every third of it).
    lease_seconds: float = 15.0


def service_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _service(key: str) -> ModerationService:
    svc = _services.get(key)
    if svc is None:
        raise RuntimeError(f"no service registered for {key}: jobs run only inside 'modq run'")
    return svc


# ---------------------------------------------------------------- jobs (module level: the job store pickles refs)
def _run(name: str, fn: Any, **fields: Any) -> Any:
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:
        log.error(
            name + "_failed",
            exc_info=exc,
            extra={"fields": {**fields, "ms": round((time.perf_counter() - started) * 1000)}},
        )
        return None
    out = result.to_dict() if hasattr(result, "to_dict") else {}
    out.pop("errors", None)
    out.pop("comment_ids", None)
    merged = {k: v for k, v in out.items() if not isinstance(v, list | dict)}
    merged.update(fields)
    merged["ms"] = round((time.perf_counter() - started) * 1000)
    if getattr(result, "error", None) == "LeaseLost":  # the account passed to another worker mid-poll
        event(log, name + "_lease_lost", **merged)
    elif getattr(result, "error", None):  # the job ran but failed (a poll that could not reach the platform)
        event(log, name + "_failed", logging.WARNING, **merged)
    else:
        event(log, name, **merged)
    return result


def poll_job(key: str, account_id: int) -> None:
    svc = _service(key)
    _run("poll", lambda: svc.poll_cycle(account_id), account=account_id)


def outbox_job(key: str) -> None:
    svc = _service(key)
    _run("outbox", lambda: svc.apply_outbox(limit=200))


def reconcile_job(key: str) -> None:
    if not _leading(key, "reconcile"):
        return
    svc = _service(key)
    _run("reconcile", lambda: svc.reconcile())


def calibration_job(key: str) -> None:
    if not _leading(key, "calibration"):
        return
    svc = _service(key)
    result = _run("calibration", lambda: svc.check_calibration())
    for d in result or []:
        event(log, "rule_demoted", logging.WARNING, rule=d.rule_id, mode=d.mode)


def stats_job(key: str) -> None:
    if not _leading(key, "stats"):
        return
    svc = _service(key)
    _run("stats_snapshot", lambda: svc.snapshot_stats())


def monthly_report_job(key: str) -> None:
    """Write last month's committee report to MODQ_REPORT_DIR. Runs daily; a month already written is skipped,
    so a worker that was down on the 1st still writes it the next day."""
    if not _leading(key, "monthly_report"):
        return
    svc = _service(key)
    written = _run("monthly_report", lambda: svc.write_monthly_report())
    for path in written or []:
        event(log, "report_written", file=str(path))


def order_sweeps_job(key: str) -> None:
    if not _leading(key, "order_sweeps"):
        return
    svc = _service(key)
    _run("order_sweeps", lambda: svc.sweep_due())


def webhooks_job(key: str) -> None:
    """Deliveries that ``modq webhooks serve`` stored but did not process (it stopped, or failed mid-way)."""
    from moderation.webhooks.processor import process_pending

    if not _leading(key, "webhooks"):
        return
    svc = _service(key)
    if svc.webhook_backlog():
        _run("webhooks", lambda: _Totals(process_pending(svc, apply=False)))


def alerts_job(key: str) -> None:
    from moderation.alerting import run_alerts

    if not _leading(key, "alerts"):
        return
    svc = _service(key)
    _run("alerts", lambda: run_alerts(svc))


class _Totals(dict[str, int]):
    def to_dict(self) -> dict[str, int]:
        return dict(self)


def sync_job(key: str) -> None:
    svc = _service(key)
    sched = _schedulers.get(key)
    try:
        svc.heartbeat()
        if sched is not None:
            sync_poll_jobs(sched, key, svc)
    except Exception as exc:
        log.error("sync_failed", exc_info=exc)


# ---------------------------------------------------------------- schedule
def _poll_trigger(account_id: int, seconds: int) -> IntervalTrigger:
    phase = zlib.crc32(f"account:{account_id}".encode()) % max(1, seconds)
    return IntervalTrigger(
        seconds=seconds,
        start_date=_EPOCH + timedelta(seconds=phase),
        jitter=min(JITTER_MAX, seconds * 0.05),
        timezone=UTC,
    )


def _same_interval(job: Any, seconds: float) -> bool:
    trig = job.trigger
    return isinstance(trig, IntervalTrigger) and abs(trig.interval.total_seconds() - seconds) < 1e-6


def _ensure(
    sched: BackgroundScheduler,
    job_id: str,
    func: Any,
    args: list[Any],
    trigger: Any,
    interval: float | None,
    grace: int,
    first_now: bool = False,
) -> None:
    existing = sched.get_job(job_id)
    if existing is not None and list(existing.args) == args and existing.func_ref == f"{__name__}:{func.__name__}":
        if interval is None or _same_interval(existing, interval):
            return  # keep the stored next run time: a restart resumes the schedule
    kwargs: dict[str, Any] = {}
    if first_now:
        kwargs["next_run_time"] = datetime.now(UTC)
    sched.add_job(
        func,
        trigger,
        args=args,
        id=job_id,
        name=job_id,
        replace_existing=True,
        misfire_grace_time=grace,
        coalesce=True,
        max_instances=1,
        **kwargs,
    )


def _ensure_daily(
    sched: BackgroundScheduler, job_id: str, func: Any, key: str, *, hour: int, minute: int, tz: str
) -> None:
    """A once-a-day job at local time; left alone if already there, so a restart keeps its next run."""
    job = sched.get_job(job_id)
    if job is None or list(job.args) != [key]:
        sched.add_job(
            func,
            CronTrigger(hour=hour, minute=minute, timezone=tz),
            args=[key],
            id=job_id,
            name=job_id,
            replace_existing=True,
            misfire_grace_time=STATS_GRACE,
            coalesce=True,
            max_instances=1,
        )


def sync_poll_jobs(sched: BackgroundScheduler, key: str, svc: ModerationService) -> None:
    accounts = [a for a in svc.accounts() if a.enabled]
    secrets_from_env(a.token_env for a in accounts)
    wanted = set()
    for a in accounts:
        job_id = f"poll:{a.id}"
        wanted.add(job_id)
        existing = sched.get_job(job_id)
        _ensure(
            sched,
            job_id,
            poll_job,
            [key, a.id],
            _poll_trigger(a.id, a.poll_seconds),
            a.poll_seconds,
            grace=max(30, a.poll_seconds),
            first_now=existing is None,
        )
    for job in sched.get_jobs():
        if job.id.startswith("poll:") and job.id not in wanted:
            sched.remove_job(job.id)
            event(log, "poll_job_removed", job=job.id)


def build_scheduler(svc: ModerationService, options: WorkerOptions) -> tuple[BackgroundScheduler, str]:
    key = service_key(svc.engine)
    sched = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=svc.engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(options.threads)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
        timezone=UTC,
    )
    return sched, key


def install_jobs(sched: BackgroundScheduler, key: str, svc: ModerationService, options: WorkerOptions) -> None:
    def every(seconds: float) -> IntervalTrigger:
        return IntervalTrigger(seconds=seconds, timezone=UTC)

    _ensure(
        sched,
        "outbox",
        outbox_job,
        [key],
        every(options.outbox_seconds),
        options.outbox_seconds,
        grace=60,
        first_now=True,
    )
    _ensure(sched, "sync", sync_job, [key], every(options.sync_seconds), options.sync_seconds, grace=60)
    install_cluster_jobs(sched, key, svc, options)
    sync_poll_jobs(sched, key, svc)


def install_cluster_jobs(sched: BackgroundScheduler, key: str, svc: ModerationService, options: WorkerOptions) -> None:
    """The jobs the cluster runs once (``CLUSTER_JOBS``): on the leader of workers sharing a database."""

    def every(seconds: float) -> IntervalTrigger:
        return IntervalTrigger(seconds=seconds, timezone=UTC)

    _ensure(
        sched, "reconcile", reconcile_job, [key], every(options.reconcile_seconds), options.reconcile_seconds, grace=600
    )
    _ensure(
        sched,
        "calibration",
        calibration_job,
        [key],
        every(options.calibration_seconds),
        options.calibration_seconds,
        grace=600,
    )
    _ensure(sched, "webhooks", webhooks_job, [key], every(WEBHOOK_SECONDS), WEBHOOK_SECONDS, grace=60)
    _ensure(
        sched, "order_sweeps", order_sweeps_job, [key], every(ORDER_SWEEP_SECONDS), ORDER_SWEEP_SECONDS, grace=600,
        first_now=True,
    )  # fmt: skip
    from moderation.alerting import mail_settings

    mail = mail_settings()
    add_secrets([mail.smtp_password.get_secret_value()])
    alert_seconds = min(30.0, max(0.5, mail.alert_minutes)) * 60
    _ensure(sched, "alerts", alerts_job, [key], every(alert_seconds), alert_seconds, grace=600)
    tz = svc.settings.timezone
    _ensure_daily(sched, "stats", stats_job, key, hour=0, minute=20, tz=tz)
    if svc.settings.report_dir:
        _ensure_daily(sched, "monthly_report", monthly_report_job, key, hour=1, minute=10, tz=tz)
    elif sched.get_job("monthly_report") is not None:
        sched.remove_job("monthly_report")


# ---------------------------------------------------------------- one worker per database
class WorkerLock:
    """Held for the worker's lifetime; released by the kernel or the server if the process dies."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fd: int | None = None
        self._conn: Any = None

    def acquire(self) -> bool:
        from moderation.store.db import sqlite_path

        path = sqlite_path(str(self.engine.url.render_as_string(hide_password=False)))
        if self.engine.url.get_backend_name() == "sqlite":
            import fcntl

            lock_path = f"{path}.worker.lock" if path else None
            if lock_path is None:
                return True  # an in-memory database has one process by definition
            fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            self._fd = fd
            return True
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": 0x6D6F6471}).scalar()
        conn.commit()
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": 0x6D6F6471})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None


class WorkerBusy(RuntimeError):
    pass


def run_worker(svc: ModerationService, stop: threading.Event, options: WorkerOptions | None = None) -> None:
    """Run the scheduler until ``stop`` is set; then finish running jobs (up to the grace) and return.

    Raises:
        WorkerBusy: another worker holds this database.
    """
    options = options or WorkerOptions()
    if shared_database(svc.engine):
        from moderation.cluster import run_shared_worker

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
        _schedulers[key] = sched
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
        _schedulers.pop(key, None)
        lock.release()


DRAIN_CHECK_SECONDS = 5.0


def _drain_asked(svc: ModerationService, worker_id: int) -> bool:
    """Renew this worker's heartbeat in the registry; True if 'modq workers drain' asked it to stop."""
    try:
        return bool(svc.touch_worker(worker_id))
    except Exception as exc:  # the database is away for a moment: keep working, try again later
        log.warning("heartbeat_failed", exc_info=exc)
        return False


def shared_database(engine: Engine) -> bool:
    """PostgreSQL: any number of workers share the database (leases); SQLite: one worker (a file lock)."""
    return engine.url.get_backend_name() == "postgresql"


def next_runs(engine: Engine) -> dict[str, datetime]:
    """Each job's next run time as the job store holds it (empty if no worker ever ran here)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT id, next_run_time FROM {JOB_TABLE}")).all()
            conn.rollback()
    except Exception:
        return {}
    return {str(i): datetime.fromtimestamp(float(t), UTC) for i, t in rows if t is not None}
