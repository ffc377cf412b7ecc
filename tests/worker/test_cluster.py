"""Three ``modq run`` processes on one PostgreSQL database against the fake platform, while comments arrive:
the accounts are spread evenly; a worker killed with SIGKILL at a random moment has its accounts taken over and
polled again within two lease periods; a drained worker gives its accounts back and exits 0; two workers
never poll one account at once; every clear violation is hidden exactly once, nothing else is, and the ledger
verifies (harness: scripts/cluster_harness.py)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

LEASE = 3.0


@pytest.fixture
def admin_url() -> str:
    url = os.environ.get("MODQ_TEST_PG_URL")
    if not url:
        pytest.skip("PostgreSQL runs under `make test`, which starts a server and sets MODQ_TEST_PG_URL")
    return url


def test_three_workers_share_take_over_and_act_exactly_once(admin_url: str, tmp_path: Path) -> None:
    from cluster_harness import Cluster

    rng = random.Random(15)
    cluster = Cluster(admin_url, accounts=7, poll_seconds=1, lease_seconds=LEASE, seed=15, threads=3, workdir=tmp_path)
    try:
        cluster.feed(rate=4.0)
        pids = [cluster.start_worker() for _ in range(3)]
        assert cluster.wait_balanced(3, timeout=60), cluster.held()
        # Two kills at random moments, each worker restarted after its accounts were taken over.
        for _ in range(2):
            time.sleep(rng.uniform(0.2, 2.5))
            victim = rng.choice([p for p in pids if cluster.procs[p].poll() is None])
            k = cluster.watch_takeover(cluster.kill(victim), timeout=60)
            assert k.accounts, "the killed worker held no account"
            assert k.takeover is not None and k.takeover <= 2 * LEASE, k
            assert k.repolled is not None and k.repolled <= 2 * LEASE + 5.0, k  # + a poll under load
            pids.append(cluster.start_worker())
            assert cluster.wait_balanced(3, timeout=60), cluster.held()
        # A drained worker gives its accounts back and stops cleanly; the other two take them.
        live = [p for p in pids if cluster.procs[p].poll() is None]
        drained = live[0]
        wid = cluster.worker_id(drained)
        cmd = [sys.executable, "-c", "from moderation.cli import main; main()"]
        env = {**os.environ, "MODQ_DATABASE_URL": cluster.url}
        out = subprocess.run([*cmd, "workers", "drain", str(wid)], env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert cluster.procs[drained].wait(timeout=30) == 0
        assert cluster.wait_balanced(2, timeout=30), cluster.held()
        status = subprocess.run([*cmd, "status"], env=env, capture_output=True, text=True, timeout=60)
        assert status.returncode == 0 and "workers: 2 running" in status.stdout and "(leader)" in status.stdout
        bad = subprocess.run([*cmd, "workers", "drain", "999"], env=env, capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and "no worker 999" in bad.stdout + bad.stderr
        cluster.stop_feed()
        assert cluster.wait_drained(timeout=90), "the workers did not drain the comments and the outbox"
        codes = cluster.stop_all()
        assert all(codes[p] == 0 for p in live), codes
        res = cluster.result()
        assert res.comments > 20 and res.violations > 0
        assert (res.double, res.missing, res.extra, res.overlaps) == (0, 0, 0, 0), res
        assert res.ledger_ok
        assert res.polls > 20
        # every account polled every second, but for a kill's takeover and a poll on the loaded machine
        assert res.longest_gap <= 1 + 2 * LEASE + 5.0, res.longest_gap
    finally:
        cluster.close(keep=False)
