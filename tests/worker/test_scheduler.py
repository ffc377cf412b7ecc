"""The worker process: jobs on a persistent store, resume after restart, one worker per database, clean
shutdown on SIGTERM, structured logs without comment text or tokens, and ``modq status``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from moderation.worker.lock import WorkerLock
from moderation.worker.run import run_worker
from moderation.worker.scheduler import WorkerOptions, build_scheduler, install_jobs, next_runs

from .conftest import TOKEN, TOKEN_ENV


def _wait(cond: Any, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


def test_worker_polls_hides_and_stops(wsvc: Any, site: Any) -> None:
    bad = site.comment("you rotten scoundrel")
    site.comment("thanks, see you there")
    sqlite = wsvc.engine.url.get_backend_name() == "sqlite"
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run_worker(wsvc, stop, WorkerOptions(outbox_seconds=0.5, shutdown_grace=10))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=target)
    t.start()
    try:
        assert _wait(lambda: site.fake.hidden_ids() == {bad}, 20), "the worker did not hide the comment"
        assert _wait(lambda: wsvc.last_heartbeat() is not None, 5)
        if sqlite:
            # A second worker on the same database is refused while the first runs.
            other = WorkerLock(wsvc.engine)
            assert other.acquire() is False
        else:
            # On PostgreSQL the worker registers, leads, and holds the one account by a lease.
            (me,) = wsvc.workers()
            assert me.state == "running" and me.leader and me.accounts == [site.account_id]
    finally:
        stop.set()
        t.join(20)
    assert not t.is_alive() and not errors
    assert site.fake.hide_calls[bad] == 1
    (me,) = wsvc.workers()
    assert me.state == "stopped" and me.accounts == [] and not me.leader  # a clean stop gives everything back
    if not sqlite:
        return
    runs = next_runs(wsvc.engine)
    assert {
        f"poll:{site.account_id}",
        "outbox",
        "reconcile",
        "calibration",
        "sync",
        "stats",
        "order_sweeps",
        "webhooks",
        "alerts",
    } <= set(runs)
    assert site.fake.hide_calls[bad] == 1
    status = {a.id: a for a in wsvc.account_status()}[site.account_id]
    assert status.last_poll_at is not None and status.backlog == 0 and status.last_error is None
    lock = WorkerLock(wsvc.engine)
    assert lock.acquire() is True
    lock.release()


def test_restart_keeps_the_schedule(wsvc: Any, site: Any) -> None:
    opts = WorkerOptions()
    sched, key = build_scheduler(wsvc, opts)
    sched.start(paused=True)
    install_jobs(sched, key, wsvc, opts)
    sched.shutdown(wait=True)
    first = next_runs(wsvc.engine)
    assert len(first) == 9  # poll, outbox, reconcile, calibration, sync, order_sweeps, webhooks, stats, alerts
    sched, key = build_scheduler(wsvc, opts)
    sched.start(paused=True)
    install_jobs(sched, key, wsvc, opts)
    second = next_runs(wsvc.engine)
    assert second == first  # nothing rescheduled: a restart resumes
    # A changed interval reschedules that account's poll; a removed account loses its job.
    job = sched.get_job(f"poll:{site.account_id}")
    assert job.trigger.interval.total_seconds() == 10 and job.max_instances == 1 and job.coalesce
    wsvc.add_account(
        "facebook", site.page, "Department", "alice", token_env=TOKEN_ENV, api_base=site.base, poll_seconds=60
    )
    install_jobs(sched, key, wsvc, opts)
    assert sched.get_job(f"poll:{site.account_id}").trigger.interval.total_seconds() == 60
    wsvc.remove_account(site.page, "alice")
    install_jobs(sched, key, wsvc, opts)
    assert sched.get_job(f"poll:{site.account_id}") is None
    sched.shutdown(wait=False)


def test_jobs_stored_by_the_former_module_keep_their_schedule(wsvc: Any, site: Any) -> None:
    """The job table of a modq whose jobs lived in ``moderation.scheduler``: after the upgrade every job loads as
    the same job, and a restart keeps each next run time (none is dropped and added again)."""
    import pickle

    from sqlalchemy import text

    from moderation.worker import jobs
    from moderation.worker.scheduler import FORMER_JOBS_MODULE, JOB_TABLE

    opts = WorkerOptions()
    sched, key = build_scheduler(wsvc, opts)
    sched.start(paused=True)
    install_jobs(sched, key, wsvc, opts)
    sched.shutdown(wait=True)
    first = next_runs(wsvc.engine)
    with wsvc.engine.begin() as conn:
        for job_id, blob in conn.execute(text(f"SELECT id, job_state FROM {JOB_TABLE}")).all():
            state = pickle.loads(blob)
            assert state["func"].startswith(jobs.__name__ + ":")
            state["func"] = FORMER_JOBS_MODULE + ":" + state["func"].partition(":")[2]
            conn.execute(
                text(f"UPDATE {JOB_TABLE} SET job_state = :s WHERE id = :i"), {"s": pickle.dumps(state), "i": job_id}
            )
    sched, key = build_scheduler(wsvc, opts)
    sched.start(paused=True)
    try:
        install_jobs(sched, key, wsvc, opts)
        assert next_runs(wsvc.engine) == first
        funcs = {job.id: job.func for job in sched.get_jobs()}
        assert funcs["stats"] is jobs.stats_job and funcs[f"poll:{site.account_id}"] is jobs.poll_job
    finally:
        sched.shutdown(wait=False)


@pytest.mark.backends("sqlite")
def test_modq_run_sigterm_logs_and_status(
    wsvc: Any, site: Any, database_url: str, policy_dir: Path, tmp_path: Path
) -> None:
    bad = site.comment("you vile toad, Mr Smith")
    site.comment("a perfectly ordinary remark")
    db = database_url.removeprefix("sqlite:///")
    env = {**os.environ, TOKEN_ENV: TOKEN, "MODQ_POLICY_DIR": str(policy_dir)}
    script = Path(sys.executable).parent / "modq"
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "from moderation.cli import main; main()"]
    proc = subprocess.Popen(
        [*cmd, "run", "--db", db, "--outbox-seconds", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait(lambda: bad in site.fake.hidden_ids(), 30), "modq run did not hide the comment"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=40)
    assert proc.returncode == 0, err[-2000:]
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    events = [line["event"] for line in lines]
    assert "worker_started" in events and events[-1] == "worker_stopped" and "poll" in events
    assert all({"ts", "level", "event"} <= set(line) for line in lines)
    assert "vile toad" not in err and "ordinary remark" not in err and TOKEN not in err
    status = subprocess.run([*cmd, "status", "--db", db, "--json"], env=env, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    (acct,) = data["accounts"]
    assert acct["last_poll_at"] and acct["next_run"] and acct["backlog"] == 0 and acct["last_error"] is None
    assert data["heartbeat"]["pid"] == proc.pid
    # Right after a clean stop, status says stopped (not "running" until the heartbeat is two minutes old).
    assert data["heartbeat"]["stopped"]
    text = subprocess.run([*cmd, "status", "--db", db], env=env, capture_output=True, text=True, timeout=60)
    assert "worker: stopped" in text.stdout and "running" not in text.stdout


def test_a_failed_poll_is_logged_at_warning(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from moderation.services.polling import PollReport
    from moderation.worker.jobs import _run

    with caplog.at_level(logging.INFO, logger="modq"):
        _run("poll", lambda: PollReport(account="Dept", error="NetworkError: connection refused"), account=1)
        _run("poll", lambda: PollReport(account="Dept", seen=3), account=1)
    failed = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(failed) == 1 and failed[0].getMessage() == "poll_failed"
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == ["poll"]


def test_log_redaction() -> None:
    from moderation.worker.log import add_secrets, redact

    add_secrets(["s3cr3t-token-value"])
    line = redact("GET /v23.0/1/comments?access_token=abc123&limit=5 Authorization: Bearer xyz s3cr3t-token-value")
    assert "abc123" not in line and "xyz" not in line and "s3cr3t-token-value" not in line
    assert len(redact("x" * 1000)) < 400


def test_monthly_report_job_writes_last_months_report(wsvc: Any, tmp_path: Path) -> None:
    from moderation.worker.jobs import _services, monthly_report_job

    opts = WorkerOptions()
    sched, key = build_scheduler(wsvc, opts)
    sched.start(paused=True)
    try:
        install_jobs(sched, key, wsvc, opts)
        assert sched.get_job("monthly_report") is None  # no folder configured: no job
        wsvc.settings.report_dir = tmp_path / "reports"
        install_jobs(sched, key, wsvc, opts)
        job = sched.get_job("monthly_report")
        assert job is not None and job.max_instances == 1
        _services[key] = wsvc
        monthly_report_job(key)
        written = sorted(p.name for p in (tmp_path / "reports").iterdir())
        assert written == ["modq-report-2026-10.html", "modq-report-2026-10.json"]  # the clock says November 2026
    finally:
        _services.pop(key, None)
        sched.shutdown(wait=False)


@pytest.mark.parametrize("where", ["single", "shared"])
def test_ensuring_a_poll_job_again_keeps_the_run_that_is_due(where: str) -> None:
    """A shared worker ensures its poll jobs at every heartbeat: doing so must not move a run that is due (when
    it did, one poll in four was skipped and an account could go minutes without a poll)."""
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.util import obj_to_ref

    from moderation.worker.cluster import shared_poll_job
    from moderation.worker.jobs import poll_job
    from moderation.worker.scheduler import _ensure, _poll_trigger

    func = shared_poll_job if where == "shared" else poll_job
    sched = BackgroundScheduler(jobstores={"default": MemoryJobStore()}, timezone="UTC")
    sched.start(paused=True)
    try:
        for account in range(1, 40):
            args = ["key", account]
            _ensure(sched, f"poll:{account}", func, args, _poll_trigger(account, 60), 60, grace=60, first_now=True)
            due = sched.get_job(f"poll:{account}").next_run_time
            for _ in range(3):
                _ensure(sched, f"poll:{account}", func, args, _poll_trigger(account, 60), 60, grace=60)
            job = sched.get_job(f"poll:{account}")
            assert job.func_ref == obj_to_ref(func)
            assert job.next_run_time == due, account
            # a changed interval is a new schedule
            _ensure(sched, f"poll:{account}", func, args, _poll_trigger(account, 120), 120, grace=120)
            assert sched.get_job(f"poll:{account}").next_run_time != due
    finally:
        sched.shutdown(wait=False)
