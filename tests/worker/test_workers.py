"""Workers sharing one database: leases spread evenly and pass on when a worker stops beating, the leader is
one worker, outbox claims are exclusive, rate budgets are shared, drain stops a worker, and SQLite keeps a
single worker (and says so)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from moderation.ports import RateLimited
from moderation.services.workers import LeaseLost
from moderation.worker.cluster import Coordinator
from moderation.worker.scheduler import WorkerOptions

from .conftest import TOKEN, TOKEN_ENV

pg_only = pytest.mark.backends("postgresql")


def _accounts(svc: Any, n: int, base: str = "http://127.0.0.1:9") -> list[int]:
    return [
        svc.add_account("facebook", f"9{i:03d}", f"Page {i}", "alice", token_env=TOKEN_ENV, api_base=base).id
        for i in range(n)
    ]


def _coordinator(svc: Any, lease: float) -> Coordinator:
    sched = BackgroundScheduler()
    sched.start(paused=True)  # jobs are added and removed, never run: this test drives the heartbeats itself
    return Coordinator(svc, sched, WorkerOptions(lease_seconds=lease), threading.Event())


def _owners(svc: Any) -> dict[int, list[int]]:
    return {w.id: w.accounts for w in svc.workers() if w.state != "stopped"}


@pg_only
def test_leases_spread_evenly_and_pass_on_within_two_periods(wsvc: Any) -> None:
    ids = _accounts(wsvc, 7)
    lease = 1.5
    coords = [_coordinator(wsvc, lease) for _ in range(3)]
    try:
        for _ in range(3):  # the first takes all, then gives back above its share; the others take what is free
            for c in coords:
                c.beat()
        held = [sorted(c.holding()) for c in coords]
        assert sorted(a for h in held for a in h) == sorted(ids)  # every account, each once
        assert all(len(h) <= math.ceil(7 / 3) for h in held), held
        assert {c.worker_id: sorted(c.holding()) for c in coords} == {k: sorted(v) for k, v in _owners(wsvc).items()}
        assert sum(c.is_leader() for c in coords) == 1
        # Each worker has a poll job for exactly the accounts it holds.
        for c in coords:
            assert {j.id for j in c.sched.get_jobs()} >= {f"poll:{a}" for a in c.holding()}
            assert {j.id for j in c.sched.get_jobs() if j.id.startswith("poll:")} == {f"poll:{a}" for a in c.holding()}
        # One worker dies (stops beating): within two lease periods the others hold all its accounts.
        dead = next(c for c in coords if c.is_leader())
        orphans = dead.holding()
        died = time.monotonic()
        alive = [c for c in coords if c is not dead]
        while not orphans <= alive[0].holding() | alive[1].holding():
            assert time.monotonic() - died < 2 * lease, "accounts not taken over within two lease periods"
            time.sleep(lease / 3)
            for c in alive:
                c.beat()
        for c in alive:
            c.beat()
        held = [c.holding() for c in alive]
        assert held[0] | held[1] == set(ids) and not held[0] & held[1]
        assert all(len(h) <= math.ceil(7 / 2) for h in held)
        assert sum(c.is_leader() for c in alive) == 1  # the leader lease passed on too
        # The dead worker may not poll what it held: its lease check fails.
        with pytest.raises(LeaseLost):
            wsvc.check_lease(dead.worker_id, next(iter(orphans)), 0)
    finally:
        for c in coords:
            c.sched.shutdown(wait=False)


@pg_only
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(accounts=st.integers(min_value=1, max_value=9), workers=st.integers(min_value=1, max_value=4))
def test_any_mix_converges_to_fair_disjoint_shares(wsvc: Any, accounts: int, workers: int) -> None:
    with wsvc.tx() as session:  # hypothesis reuses the database: start each example from none
        session.execute(text("DELETE FROM account_lease"))
        session.execute(text("DELETE FROM cluster_lease"))
        session.execute(text("UPDATE worker SET stopped_at = now()"))
        session.execute(text("UPDATE account SET enabled = false"))
    existing = {a.external_id: a.id for a in wsvc.accounts()}
    ids = []
    for i in range(accounts):
        ext = f"9{i:03d}"
        if ext in existing:
            with wsvc.tx() as session:
                session.execute(text("UPDATE account SET enabled = true WHERE id = :i"), {"i": existing[ext]})
            ids.append(existing[ext])
        else:
            ids += _accounts_from(wsvc, ext)
    coords = [_coordinator(wsvc, 30) for _ in range(workers)]
    try:
        for _ in range(3):
            for c in coords:
                c.beat()
        held = [c.holding() for c in coords]
        assert set().union(*held) == set(ids)
        assert sum(len(h) for h in held) == len(ids)  # disjoint
        assert max(len(h) for h in held) <= math.ceil(accounts / workers)
    finally:
        for c in coords:
            c.sched.shutdown(wait=False)
            wsvc.stop_worker(c.worker_id)


def _accounts_from(svc: Any, ext: str) -> list[int]:
    return [svc.add_account("facebook", ext, ext, "alice", token_env=TOKEN_ENV, api_base="http://127.0.0.1:9").id]


@pg_only
def test_a_drained_worker_gives_back_its_accounts_and_stops(wsvc: Any) -> None:
    ids = _accounts(wsvc, 4)
    a, b = _coordinator(wsvc, 30), _coordinator(wsvc, 30)
    try:
        for _ in range(2):
            a.beat()
            b.beat()
        assert a.holding() and b.holding()
        view = wsvc.drain_worker(a.worker_id)
        assert view.state == "draining"
        a.beat()
        assert a.stop.is_set() and a.drained and not [j for j in a.sched.get_jobs() if j.id.startswith("poll:")]
        wsvc.stop_worker(a.worker_id)  # what run_shared_worker does once its jobs have finished
        b.beat()
        assert b.holding() == set(ids)
        states = {w.id: w.state for w in wsvc.workers()}
        assert states == {a.worker_id: "stopped", b.worker_id: "running"}
    finally:
        a.sched.shutdown(wait=False)
        b.sched.shutdown(wait=False)


def test_drain_of_an_unknown_or_stopped_worker_is_bad_input(wsvc: Any) -> None:
    from moderation.domain import InputError

    w = wsvc.register_worker("host-a", 123)
    with pytest.raises(InputError, match=rf"no worker 999; running workers: {w}"):
        wsvc.drain_worker(999)
    wsvc.stop_worker(w)
    with pytest.raises(InputError, match=rf"worker {w} stopped at .*; running workers: none"):
        wsvc.drain_worker(w)


def test_outbox_rows_are_claimed_by_one_applier_at_a_time(wsvc: Any, site: Any) -> None:
    """Three appliers at once over the same due rows: every hide reaches the platform exactly once."""
    bad = [site.comment(f"you rotten scoundrel number {i}", author=f"a{i}") for i in range(12)]
    wsvc.poll_account(site.account_id, triage=True)
    from moderation.store.tables import OutboxAction

    with wsvc.tx() as session:
        assert len(session.exec(select(OutboxAction)).all()) == len(bad)
    wsvc.worker_id = None
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def apply() -> None:
        try:
            barrier.wait()
            wsvc.apply_outbox(limit=100)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=apply) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert site.fake.hidden_ids() == set(bad)
    assert all(site.fake.hide_calls[c] == 1 for c in bad), dict(site.fake.hide_calls)
    with wsvc.tx() as session:
        assert {r.status for r in session.exec(select(OutboxAction)).all()} == {"confirmed"}


def test_the_hide_window_is_kept_per_account_in_the_database(wsvc: Any, make_svc: Any, clock: Any) -> None:
    (acct,) = _accounts(wsvc, 1)
    other = make_svc()  # a second process's service on the same database
    for svc in (wsvc, other, wsvc):
        svc.take_rate_slot(acct, "hide", 3, 900)
    with pytest.raises(RateLimited) as refused:
        other.take_rate_slot(acct, "hide", 3, 900)
    assert refused.value.retry_at == clock() + timedelta(seconds=900)
    clock.advance(seconds=901)
    wsvc.take_rate_slot(acct, "hide", 3, 900)  # the window slid on
    # A budget the platform said is spent stops every worker until its time.
    wsvc.block_rate(acct, "hide", clock() + timedelta(minutes=5))
    with pytest.raises(RateLimited):
        other.take_rate_slot(acct, "hide", 0, 0)
    clock.advance(minutes=6)
    other.take_rate_slot(acct, "hide", 0, 0)


@pytest.mark.backends("sqlite")
def test_a_second_worker_on_sqlite_exits_3_and_says_why(
    wsvc: Any, site: Any, database_url: str, policy_dir: Path
) -> None:
    db = database_url.removeprefix("sqlite:///")
    env = {**os.environ, TOKEN_ENV: TOKEN, "MODQ_POLICY_DIR": str(policy_dir)}
    cmd = [sys.executable, "-c", "from moderation.cli import main; main()"]
    first = subprocess.Popen([*cmd, "run", "--db", db], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not [w for w in wsvc.workers() if w.state == "running"]:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.2)
        second = subprocess.run([*cmd, "run", "--db", db], env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 3
        assert "single-worker mode" in second.stderr and "PostgreSQL" in second.stderr
        status = subprocess.run([*cmd, "status", "--db", db], env=env, capture_output=True, text=True, timeout=60)
        assert "single-worker mode (SQLite)" in status.stdout
        (w,) = wsvc.workers()
        drained = subprocess.run(
            [*cmd, "workers", "drain", str(w.id), "--db", db], env=env, capture_output=True, text=True, timeout=60
        )
        assert drained.returncode == 0, drained.stderr
        assert first.wait(timeout=40) == 0  # drained: stopped cleanly within a few seconds
        bad = subprocess.run(
            [*cmd, "workers", "drain", "4242", "--db", db], env=env, capture_output=True, text=True, timeout=60
        )
        assert bad.returncode == 2 and "no worker 4242" in bad.stdout + bad.stderr
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
