"""APScheduler wiring for ``modq run``: which jobs run when. The jobs are in ``moderation.worker.jobs``.

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
* The job table holds references to the job functions by module path. ``JobStore`` reads the jobs an older
  modq stored under ``moderation.scheduler`` as the same jobs, so an upgrade keeps every next run time.
* Poll jitter is a fixed per-account phase plus at most ``JITTER_MAX`` seconds of random delay: accounts
  do not all poll in the same second, and no poll is later than its interval plus a second.
* SQLite: one worker per database (``moderation.worker.lock``, a ``flock`` beside the file), so the restarted
  worker may retry actions a dead one left ``sent`` at once (``recover_outbox``). PostgreSQL: any number of
  workers share the database through leases (``moderation.worker.cluster``); the jobs in ``CLUSTER_JOBS`` run on
  the leader only.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import obj_to_ref
from sqlalchemy import text
from sqlalchemy.engine import Engine

from moderation.worker import jobs
from moderation.worker.jobs import (
    alerts_job,
    calibration_job,
    log,
    monthly_report_job,
    order_sweeps_job,
    outbox_job,
    poll_job,
    reconcile_job,
    service_key,
    stats_job,
    sync_job,
    webhooks_job,
)
from moderation.worker.log import add_secrets, event, secrets_from_env

if TYPE_CHECKING:
    from moderation.services import ModerationService

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


# Where the job functions were before they had a package of their own: jobs stored by that modq still load.
FORMER_JOBS_MODULE = "moderation.scheduler"


class JobStore(SQLAlchemyJobStore):
    """APScheduler's job table on the engine's own database, reading a job stored under ``FORMER_JOBS_MODULE`` as
    the same job of ``moderation.worker.jobs`` (it is stored under the new path the next time it runs)."""

    def _reconstitute_job(self, job_state: bytes) -> Job:
        state = pickle.loads(job_state)
        module, _, name = str(state.get("func", "")).partition(":")
        if module == FORMER_JOBS_MODULE:
            state["func"] = f"{jobs.__name__}:{name}"
            job_state = pickle.dumps(state, self.pickle_protocol)
        return super()._reconstitute_job(job_state)  # type: ignore[no-any-return]


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
    if existing is not None and list(existing.args) == args and existing.func_ref == obj_to_ref(func):
        if interval is None or _same_interval(existing, interval):
            return  # keep the stored next run time: a restart resumes the schedule, and a run due now still runs
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
        jobstores={"default": JobStore(engine=svc.engine, tablename=JOB_TABLE)},
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


def next_runs(engine: Engine) -> dict[str, datetime]:
    """Each job's next run time as the job store holds it (empty if no worker ever ran here)."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT id, next_run_time FROM {JOB_TABLE}")).all()
            conn.rollback()
    except Exception:
        return {}
    return {str(i): datetime.fromtimestamp(float(t), UTC) for i, t in rows if t is not None}
