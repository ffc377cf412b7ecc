"""The worker's jobs: each one call into the service, logged as one event with its counts and duration.

Job functions are module-level and take plain arguments, because the job store pickles references to them: a
*service key* (the database URL with any password masked, so no secret is pickled into the job table) and an
account id. The worker process registers its service under that key before the scheduler starts.

Workers sharing a database (PostgreSQL) run the jobs in ``CLUSTER_JOBS`` on the leader only; a worker alone on
its database (SQLite) registers no leader check and runs every job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from moderation.worker.log import event

if TYPE_CHECKING:
    from moderation.services import ModerationService

log = logging.getLogger("modq.worker")

_services: dict[str, ModerationService] = {}
# Each worker alone on its database: bring its poll jobs in line with the accounts (``scheduler.sync_poll_jobs``).
_syncers: dict[str, Callable[[], None]] = {}
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


def service_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _service(key: str) -> ModerationService:
    svc = _services.get(key)
    if svc is None:
        raise RuntimeError(f"no service registered for {key}: jobs run only inside 'modq run'")
    return svc


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
    sync = _syncers.get(key)
    try:
        svc.heartbeat()
        if sync is not None:
            sync()
    except Exception as exc:
        log.error("sync_failed", exc_info=exc)
