"""``modq ingest`` killed with SIGKILL in the middle of a run, then run again: nothing lost, nothing twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from moderation.store.db import make_engine

from .workload import row_counts, write_workload


def _ingest(db: Path, work: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "moderation", "ingest", str(work), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MODQ_DATABASE_URL": ""},
    )


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM comment").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_mid_ingest_then_again_gives_exactly_one_clean_run(tmp_path: Path) -> None:
    work = write_workload(tmp_path / "w.jsonl", 12_000, seed=11)
    clean = tmp_path / "clean.db"
    done = _ingest(clean, work)
    assert done.wait(timeout=600) == 0, done.stderr.read()
    expected = row_counts(make_engine(f"sqlite:///{clean}"))

    killed = tmp_path / "killed.db"
    proc = _ingest(killed, work)
    deadline = time.monotonic() + 300
    while _stored(killed) < 2000 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    part = _stored(killed)
    assert 0 < part < expected["comment"]  # killed in the middle, some batches committed

    again = _ingest(killed, work)
    assert again.wait(timeout=600) == 0, again.stderr.read()
    assert row_counts(make_engine(f"sqlite:///{killed}")) == expected
    verify = subprocess.run(
        [sys.executable, "-m", "moderation", "ledger", "verify", "--db", str(killed)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
