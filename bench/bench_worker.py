"""Worker benchmarks: the retroactive suppression-order sweep, appear-to-hidden latency, and the worker's memory.

Run: ``python bench/bench_worker.py [sweep] [latency] [memory]`` (default: all three) or ``python -m bench worker``.

* **sweep**: a SQLite database of 1,000,000 stored comments (real texts from the demo corpus and the Davidson
  tweets, a few hundred of them naming the protected person) is built once and cached under ``bench/out/``;
  a copy is swept with a new order through ``ModerationService.sweep``. Target: 5 s on one core.
* **latency**: ``modq run`` as a subprocess against the fake platform server, an account polled every 10 s
  (the engine's floor); abusive comments appear at random moments; the time from a comment appearing to the
  platform receiving its hide. Target: the poll interval + 2 s.
* **memory**: peak resident memory (``VmHWM``) of ``modq run`` working on a copy of the million-comment
  database (polling an account, applying the outbox, reconciling). Target: 250 MB.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
BIG = OUT / "worker_1m.db"
N = 1_000_000
NAME_EVERY = 4000  # one comment in 4,000 names the protected person
TOKEN = "bench-graph-token-0123456789"
TOKEN_ENV = "MODQ_BENCH_TOKEN"
DAVIDSON = ROOT.parent / "shared" / "data" / "davidson" / "labeled_data.csv"


def corpus() -> list[str]:
    texts = [json.loads(line)["text"] for line in (ROOT / "moderation" / "demo" / "corpus.jsonl").open()]
    if DAVIDSON.exists():
        with DAVIDSON.open(encoding="utf-8", newline="") as fh:
            texts += [row["tweet"] for row in csv.DictReader(fh)]
    return texts


def build_big() -> None:
    """Create the schema through the engine, then bulk-insert a million comments with plain sqlite3."""
    if BIG.exists():
        return
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = BIG.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    svc = make_service(Settings(), database_url=f"sqlite:///{tmp}")
    svc.ensure_first_admin("bench")
    svc.add_account(
        "facebook", "9001", "Bench Page", "bench", poll_seconds=10, token_env=TOKEN_ENV, api_base="http://127.0.0.1:9"
    )
    svc.engine.dispose()
    texts = corpus()
    names = [
        "Everyone knows Jordan Mills did it",
        "j0rdan m1lls again",
        "saw #JordanMills at the shops",
        "Jordan Mills should be named and shamed",
    ]
    rng = random.Random(5)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("INSERT INTO post (id, account_id, external_id, text, url) VALUES (1, 1, '9001_1', 'A post', '')")
    cols = (
        "platform, external_id, account_id, post_id, author_id, author_handle, author_name, text, text_version, "
        "text_key, created_at, fetched_at, last_seen_at, url, platform_deleted, own_conversation, "
        "intended_hidden, state, priority, clauses, shadow, version, updated_at"
    )
    sql = f"INSERT INTO comment ({cols}) VALUES ({', '.join('?' * 23)})"
    batch = []
    for i in range(N):
        text = rng.choice(names) if i % NAME_EVERY == 0 else rng.choice(texts)
        when = (start + timedelta(seconds=i * 20)).strftime("%Y-%m-%d %H:%M:%S.%f")
        state = "approved" if i % 3 else "queued"
        batch.append(
            (
                "facebook",
                f"9001_{i}",
                1,
                1,
                f"u{i % 50000}",
                "",
                f"Person {i % 50000}",
                text,
                1,
                "",
                when,
                when,
                when,
                "",
                0,
                1,
                0,
                state,
                10,
                "",
                0,
                1,
                when,
            )
        )
        if len(batch) == 50_000:
            conn.executemany(sql, batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
    conn.commit()
    conn.close()
    tmp.rename(BIG)
    print(f"built {N:,} comments in {time.perf_counter() - t0:.1f}s -> {BIG} ({BIG.stat().st_size / 1e6:.0f} MB)")


def copy_big(dest: Path) -> Path:
    shutil.copyfile(BIG, dest)
    return dest


def bench_sweep() -> float:
    build_big()
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = copy_big(Path(d) / "sweep.db")
        svc = make_service(Settings(), database_url=f"sqlite:///{db}")
        view = svc.add_order(
            "DPP v J.M. (a minor)",
            "County Court of Victoria",
            ["Jordan Mills", "J-Mills"],
            datetime(2026, 1, 1, tzinfo=UTC),
            None,
            actor="bench",
            sweep=False,
        )
        cpu0 = time.process_time()
        rep = svc.sweep(order_ids=[view.id])
        cpu = time.process_time() - cpu0
        print(
            f"sweep: {rep.scanned:,} comments in {rep.seconds:.1f}s wall, {cpu:.1f}s CPU "
            f"({rep.scanned / rep.seconds:,.0f}/s); {rep.matched} matched, {rep.escalated} hidden+escalated "
            f"(target <= 5 s)"
        )
        return rep.seconds


def _modq(db: Path) -> list[str]:
    script = Path(sys.executable).parent / "modq"
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from moderation.cli import main; main()"]
    return [*base, "run", "--db", str(db), "--log-level", "warning"]


def bench_latency(samples: int = 6) -> float:
    from connectors.testing.fake_platform import FakePlatform
    from moderation.bootstrap import make_service
    from moderation.config import Settings
    from moderation.rules import load_policy

    policy = load_policy()
    abusive = next(
        ex.item.text
        for r in policy.rules
        if r.action.value == "auto_hide" and r.mode.value == "enforce" and not r.conditions
        for ex in r.examples
        if ex.should_match
    )
    fake = FakePlatform(seed=2)
    fake.start()
    fake._server.handle_error = lambda *a: None  # type: ignore[union-attr, method-assign]
    fake.add_graph_token(TOKEN)
    page = fake.add_fb_page("4001", "Bench")
    post = fake.add_fb_post(page, "A post")
    poll = 10
    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = Path(d) / "lat.db"
        svc = make_service(Settings(), database_url=f"sqlite:///{db}")
        svc.ensure_first_admin("bench")
        svc.add_account(
            "facebook", page, "Bench", "bench", token_env=TOKEN_ENV, api_base=fake.base_url, poll_seconds=poll
        )
        svc.engine.dispose()
        time.sleep(1.1)
        proc = subprocess.Popen(_modq(db), env={**os.environ, TOKEN_ENV: TOKEN}, stderr=subprocess.DEVNULL)
        lat: list[float] = []
        try:
            time.sleep(4)
            rng = random.Random(3)
            for _ in range(samples):
                time.sleep(rng.uniform(0, poll))
                t0 = time.monotonic()
                cid = fake.add_fb_comment(post, abusive, author=(f"u{rng.random()}", "Someone"))
                while fake.hide_calls[cid] == 0 and time.monotonic() - t0 < 60:
                    time.sleep(0.01)
                lat.append(time.monotonic() - t0)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
            fake.stop()
    lat.sort()
    print(
        f"latency appear->hidden over {samples} comments: median {lat[len(lat) // 2]:.2f}s, max {lat[-1]:.2f}s "
        f"(poll every {poll}s; target <= {poll + 2}s)"
    )
    return lat[-1]


def bench_memory(seconds: float = 25.0) -> float:
    build_big()
    from connectors.testing.fake_platform import FakePlatform

    fake = FakePlatform(seed=4)
    fake.start()
    fake._server.handle_error = lambda *a: None  # type: ignore[union-attr, method-assign]
    fake.add_graph_token(TOKEN)
    page = fake.add_fb_page("9001", "Bench Page")
    post = fake.add_fb_post(page, "A post")
    for i in range(200):
        fake.add_fb_comment(post, f"comment number {i}, thanks", author=(f"m{i}", "Someone"))
    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = copy_big(Path(d) / "mem.db")
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE account SET api_base = ?, poll_seconds = 10", (fake.base_url,))
        proc = subprocess.Popen(
            [*_modq(db), "--reconcile-seconds", "10", "--calibration-seconds", "10"],
            env={**os.environ, TOKEN_ENV: TOKEN},
            stderr=subprocess.DEVNULL,
        )
        peak = 0
        try:
            end = time.monotonic() + seconds
            while time.monotonic() < end and proc.poll() is None:
                time.sleep(0.5)
                try:
                    status = Path(f"/proc/{proc.pid}/status").read_text()
                except FileNotFoundError:
                    break
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
            fake.stop()
    mb = peak / 1024
    print(f"memory: modq run on a {N:,}-comment database, peak RSS {mb:.0f} MB over {seconds:.0f}s (target <= 250 MB)")
    return mb


def main() -> int:
    which = set(sys.argv[1:]) or {"sweep", "latency", "memory"}
    if "sweep" in which:
        bench_sweep()
    if "latency" in which:
        bench_latency()
    if "memory" in which:
        bench_memory()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
