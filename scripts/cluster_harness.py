"""Several ``modq run`` processes on one PostgreSQL database against the fake platform: the shared harness of
``tests/worker/test_cluster.py`` and ``bench/bench_workers.py``.

What it gives: a fresh, migrated database; Facebook Pages (and Instagram accounts) on an in-process fake
platform server, registered as accounts; a feeder adding ordinary and clearly abusive comments at a chosen
rate; workers started as real subprocesses (``modq run``) and killed with SIGKILL on demand; and at the end the
counts that matter:

* ``double``: hide requests beyond the first for one comment; ``missing``: clear violations not hidden;
  ``extra``: anything else hidden, and any unhide;
* ``overlaps``: two workers' poll cycles of one account overlapping in time (from the workers' JSON logs,
  each ``poll`` event carrying its end time and duration);
* ``longest_gap``: the longest time between two polls of one account (by whichever workers), from its first
  poll to the last poll anywhere (an account whose worker died waits its lease out on top of its interval);
* ``ledger``: whether the hash chain verifies;
* for each kill, how long until another worker held each account the dead one held (``takeover``) and until
  each was polled again (``repolled``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from connectors.testing.fake_platform import FakePlatform  # noqa: E402

TOKEN = "cluster-graph-token-0123456789"
TOKEN_ENV = "MODQ_CLUSTER_TOKEN"


def create_database(admin_url: str) -> str:
    """A new database next to ``admin_url``'s, migrated to the head."""
    import psycopg

    from moderation.store.db import make_engine
    from moderation.store.migrate import upgrade

    name = f"cluster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Kill:
    worker: int
    pid: int
    at: float  # time.time()
    accounts: set[int]
    takeover: float | None = None  # seconds until every account was held by another worker
    repolled: float | None = None  # seconds until every account was polled again


@dataclass
class Result:
    comments: int
    violations: int
    hidden: int
    double: int
    missing: int
    extra: int
    overlaps: int
    ledger_ok: bool
    seconds: float
    kills: list[Kill] = field(default_factory=list)
    triaged: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu: dict[int, float] = field(default_factory=dict)  # pid -> CPU seconds
    polls: int = 0
    longest_gap: float = 0.0


class Cluster:
    def __init__(
        self,
        admin_url: str,
        accounts: int,
        *,
        poll_seconds: int = 1,
        lease_seconds: float = 3.0,
        outbox_seconds: float = 0.5,
        seed: int = 1,
        abusive_share: float = 0.1,
        fault_rate: float = 0.0,
        threads: int = 4,
        workdir: Path | None = None,
    ) -> None:
        from kill_test import pick_texts

        from moderation.bootstrap import make_service
        from moderation.config import Settings
        from moderation.rules import load_policy

        self.admin_url = admin_url
        self.rng = random.Random(seed)
        self.abusive, self.ordinary = pick_texts(load_policy())
        self.abusive_share = abusive_share
        self.lease = lease_seconds
        self.outbox_seconds = outbox_seconds
        self.threads = threads
        self.tmp = workdir or Path(tempfile.mkdtemp(prefix="modq-cluster-"))
        self.url = create_database(admin_url)
        self.fake = FakePlatform(seed=seed)
        self.fake.start()
        self.fake._server.handle_error = lambda *a: None  # type: ignore[union-attr, method-assign]
        self.fake.add_graph_token(TOKEN)
        self.svc = make_service(Settings(), database_url=self.url)
        self.svc.ensure_first_admin("cluster")
        self.svc.set_limit("breaker.share", 1.0, "cluster")  # about delivery, not the circuit breaker
        self.targets: list[str] = []
        for i in range(accounts):
            page = self.fake.add_fb_page(str(500000 + i), f"Department {i}")
            self.targets.append(self.fake.add_fb_post(page, "Consultation on the new community centre"))
            self.svc.add_account(
                "facebook", page, f"Dept {i}", "cluster", token_env=TOKEN_ENV, api_base=self.fake.base_url
            )
        with self.svc.tx() as session:
            from sqlalchemy import text

            session.execute(text("UPDATE account SET poll_seconds = :s"), {"s": poll_seconds})
        if fault_rate:
            self.fake.random_faults(fault_rate, kinds=("5xx", "html"))
        self.expected: dict[str, bool] = {}
        self.appeared: dict[str, float] = {}
        self.procs: dict[int, subprocess.Popen[bytes]] = {}
        self.logs: list[Path] = []
        self._feed_stop = threading.Event()
        self._feeder: threading.Thread | None = None
        self._seq = 0
        self.started = time.time()
        self.kills: list[Kill] = []
        self.stopping_at: float | None = None  # when stop_all told the workers to stop
        self.cpu: dict[int, float] = {}
        time.sleep(1.1)  # Graph times have whole seconds: comments must come after the accounts' activation

    # ------------------------------------------------------------ comments
    def add_comment(self) -> None:
        self._seq += 1
        bad = self.rng.random() < self.abusive_share
        text = self.rng.choice(self.abusive if bad else self.ordinary)
        post = self.rng.choice(self.targets)
        cid = self.fake.add_fb_comment(post, text, author=(f"u{self._seq}", f"Person {self._seq}"))
        self.expected[cid] = bad
        self.appeared[cid] = time.time()

    def feed(self, rate: float) -> None:
        def run() -> None:
            next_at = time.monotonic()
            while not self._feed_stop.is_set():
                self.add_comment()
                next_at += self.rng.expovariate(rate)
                delay = next_at - time.monotonic()
                if delay > 0:
                    self._feed_stop.wait(delay)

        self._feeder = threading.Thread(target=run, daemon=True)
        self._feeder.start()

    def stop_feed(self) -> None:
        self._feed_stop.set()
        if self._feeder is not None:
            self._feeder.join()

    # ------------------------------------------------------------ workers
    def start_worker(self) -> int:
        script = Path(sys.executable).parent / "modq"
        base = [str(script)] if script.exists() else [sys.executable, "-c", "from moderation.cli import main; main()"]
        env = {
            **os.environ,
            TOKEN_ENV: TOKEN,
            "MODQ_DATABASE_URL": self.url,
            "MODQ_LEASE_SECONDS": str(self.lease),
        }
        env.pop("MODQ_POLICY_DIR", None)
        log = self.tmp / f"worker-{len(self.logs)}.log"
        self.logs.append(log)
        with open(log, "wb") as fh:
            proc = subprocess.Popen(
                [*base, "run", "--outbox-seconds", str(self.outbox_seconds), "--threads", str(self.threads)],
                env=env,
                stdout=fh,
                stderr=fh,
            )
        self.procs[proc.pid] = proc
        return proc.pid

    def worker_id(self, pid: int, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for w in self.svc.workers():
                if w.pid == pid and w.state == "running":
                    return w.id
            time.sleep(0.1)
        raise RuntimeError(f"worker pid {pid} did not register")

    def held(self) -> dict[int, set[int]]:
        """Worker id -> accounts it holds now."""
        return {w.id: set(w.accounts) for w in self.svc.workers() if w.state in ("running", "draining")}

    def wait_balanced(self, workers: int, timeout: float = 60.0) -> bool:
        """Every account held, each worker within its share."""
        import math

        total = len(self.targets)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            held = self.held()
            if len(held) == workers and sum(len(h) for h in held.values()) == total:
                if all(0 < len(h) <= math.ceil(total / workers) for h in held.values()):
                    return True
            time.sleep(0.2)
        return False

    def cpu_seconds(self, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return self.cpu.get(pid, 0.0)

    def kill(self, pid: int) -> Kill:
        wid = self.worker_id(pid, timeout=5)
        before = self.held().get(wid, set())
        self.cpu[pid] = self.cpu_seconds(pid)
        self.procs[pid].send_signal(signal.SIGKILL)
        at = time.time()
        self.procs[pid].wait()
        k = Kill(worker=wid, pid=pid, at=at, accounts=set(before))
        self.kills.append(k)
        return k

    def watch_takeover(self, k: Kill, timeout: float = 120.0) -> Kill:
        """Wait until every account the dead worker held is held by another and polled again."""
        from sqlmodel import select

        from moderation.store.tables import Account

        killed = datetime.fromtimestamp(k.at, UTC)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (k.takeover is None or k.repolled is None):
            now = time.time()
            if k.takeover is None:
                held = self.held()
                others = set().union(*(h for w, h in held.items() if w != k.worker)) if held else set()
                if k.accounts <= others:
                    k.takeover = now - k.at
            if k.repolled is None:
                with self.svc.tx() as session:
                    polls = dict(
                        session.exec(
                            select(Account.id, Account.last_poll_at).where(Account.id.in_(k.accounts))  # type: ignore[union-attr]
                        ).all()
                    )
                if all(p is not None and p.replace(tzinfo=UTC) > killed for p in polls.values()):
                    k.repolled = now - k.at
            time.sleep(0.05)
        return k

    def stop_all(self, timeout: float = 45.0) -> dict[int, int]:
        codes: dict[int, int] = {}
        self.stopping_at = time.time()
        for pid, proc in self.procs.items():
            if proc.poll() is None:
                self.cpu[pid] = self.cpu_seconds(pid)
                proc.send_signal(signal.SIGTERM)
        for pid, proc in self.procs.items():
            try:
                codes[pid] = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[pid] = -9
        return codes

    # ------------------------------------------------------------ the end
    def drained(self) -> bool:
        from sqlalchemy import text

        want = {c for c, bad in self.expected.items() if bad}
        if not want <= self.fake.hidden_ids():
            return False
        with self.svc.tx() as session:
            stored = session.execute(text("SELECT count(*) FROM comment")).scalar_one()
            fresh = session.execute(text("SELECT count(*) FROM comment WHERE state = 'new'")).scalar_one()
            live = session.execute(text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sent')")).scalar_one()
        return stored >= len(self.expected) and fresh == 0 and live == 0

    def wait_drained(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.drained():
                time.sleep(1.0)  # one more outbox round: anything extra would show now
                return True
            time.sleep(0.5)
        return False

    def poll_events(self) -> list[dict[str, Any]]:
        out = []
        for log in self.logs:
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                if not line.startswith("{"):
                    continue
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if rec.get("event", "").startswith("poll") and "account" in rec and "ms" in rec:
                    end = datetime.fromisoformat(rec["ts"]).timestamp()
                    out.append({**rec, "start": end - rec["ms"] / 1000, "end": end})
        return out

    def overlaps(self, events: list[dict[str, Any]]) -> int:
        """Pairs of poll cycles of one account by two workers that overlap in time (2 ms for rounding)."""
        by_account: dict[int, list[dict[str, Any]]] = {}
        for e in events:
            by_account.setdefault(int(e["account"]), []).append(e)
        bad = 0
        for evs in by_account.values():
            evs.sort(key=lambda e: e["start"])
            for i, a in enumerate(evs):
                for b in evs[i + 1 :]:
                    if b["start"] >= a["end"] - 0.002:
                        break
                    if b["pid"] != a["pid"]:
                        bad += 1
        return bad

    @staticmethod
    def longest_gap(events: list[dict[str, Any]], until: float) -> float:
        """The longest time between the starts of two consecutive polls of one account, or from an account's
        last poll to ``until`` (when the workers were told to stop), over polls that started before it."""
        starts: dict[int, list[float]] = {}
        for e in events:
            if e["event"] == "poll" and e["start"] < until:
                starts.setdefault(int(e["account"]), []).append(e["start"])
        gap = 0.0
        for v in starts.values():
            v.sort()
            gap = max(gap, *(b - a for a, b in zip(v, v[1:], strict=False)), until - v[-1])
        return gap

    def result(self) -> Result:
        from sqlalchemy import text

        hidden = self.fake.hidden_ids()
        want = {c for c, bad in self.expected.items() if bad}
        double = sum(n - 1 for n in self.fake.hide_calls.values() if n > 1)
        extra = len(hidden - want) + sum(self.fake.unhide_calls.values())
        events = self.poll_events()
        latencies: list[float] = []
        with self.svc.tx() as session:
            rows = session.execute(
                text(
                    "SELECT c.external_id, o.done_at FROM outbox o JOIN comment c ON c.id = o.comment_id "
                    "WHERE o.status = 'confirmed' AND o.action = 'hide'"
                )
            ).all()
            triaged = session.execute(text("SELECT count(*) FROM comment WHERE state <> 'new'")).scalar_one()
        for ext, done in rows:
            if ext in self.appeared and done is not None:
                latencies.append(done.timestamp() - self.appeared[ext])
        return Result(
            comments=len(self.expected),
            violations=len(want),
            hidden=len(hidden & want),
            double=double,
            missing=len(want - hidden),
            extra=extra,
            overlaps=self.overlaps(events),
            ledger_ok=self.svc.ledger_verify().ok,
            seconds=time.time() - self.started,
            kills=list(self.kills),
            triaged=int(triaged),
            latencies=latencies,
            cpu=dict(self.cpu),
            polls=sum(1 for e in events if e["event"] == "poll"),
            longest_gap=self.longest_gap(events, self.stopping_at or time.time()),
        )

    def close(self, keep: bool = False) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.stop_feed()
        self.fake.stop()
        self.svc.engine.dispose()
        drop_database(self.admin_url, self.url)
        if not keep:
            import shutil

            shutil.rmtree(self.tmp, ignore_errors=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


__all__ = ["Cluster", "Kill", "Result", "percentile", "timedelta"]
