"""Webhook benchmarks: appear-to-hidden latency with webhooks and with polling only, and a flood of deliveries.

Run: ``python bench/bench_webhooks.py [latency] [polling] [flood] [--seconds N] [--rate N]`` (default: all three)
or ``python -m bench webhooks``.

* **latency**: ``modq run`` (polls every 60 s, the safety net) and ``modq webhooks serve`` as subprocesses on one
  SQLite database; the fake platform sends a signed webhook for each new comment; abusive comments appear at
  random moments; the time from a comment appearing to the platform receiving its hide, p50 / p95 / max.
  Target: p95 <= 2 s.
* **polling**: the same without the webhook service, polls every 10 s (the engine's floor): what the webhook
  service saves. With 60 s polls every figure is about six times larger.
* **flood**: ``modq webhooks serve`` alone; deliveries posted as fast as a pool of client threads can, up to
  ``--rate`` a second (default 1,000) for ``--seconds`` (default 30), each a new comment on one of five Pages,
  10% of them sent twice and 5% forged (signed with the wrong secret). Then waits until every stored delivery is
  processed and prints: deliveries per second accepted, comments lost (signed, answered 200, not stored),
  duplicated (stored twice), forged accepted, and the service's resident memory over the run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "bench-graph-token-0123456789"
TOKEN_ENV = "MODQ_BENCH_TOKEN"
SECRET = "bench-app-secret"
VERIFY = "bench-verify-token"
ABUSIVE = "I will kill you"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    return {**os.environ, TOKEN_ENV: TOKEN, "MODQ_META_APP_SECRET": SECRET, "MODQ_META_VERIFY_TOKEN": VERIFY}


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "moderation", "webhooks", "serve", "--port", str(port), "--db", str(db)]
    return subprocess.Popen(cmd, env=_env(), stderr=subprocess.DEVNULL)


def _worker(db: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "moderation", "run", "--db", str(db), "--outbox-seconds", "5"]
    return subprocess.Popen(cmd, env=_env(), stderr=subprocess.DEVNULL)


def _wait_up(port: int, timeout: float = 30.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except requests.RequestException:
            time.sleep(0.02)
    raise RuntimeError("the webhook service did not start")


def _setup(db: Path, pages: int, poll: int) -> tuple[object, list[tuple[str, str]]]:
    from connectors.testing.fake_platform import FakePlatform
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    fake = FakePlatform(seed=4)
    fake.start()
    fake._server.handle_error = lambda *a: None  # type: ignore[union-attr, method-assign]
    fake.add_graph_token(TOKEN)
    svc = make_service(Settings(), database_url=f"sqlite:///{db}")
    svc.ensure_first_admin("bench")
    targets = []
    for i in range(pages):
        page = fake.add_fb_page(str(5001 + i), f"Bench {i}")
        post = fake.add_fb_post(page, "A post", datetime.now(UTC) - timedelta(hours=1))
        svc.add_account(
            "facebook", page, f"Bench {i}", "bench", token_env=TOKEN_ENV, api_base=fake.base_url, poll_seconds=poll,
            activated_at=datetime.now(UTC) - timedelta(hours=1),
        )  # fmt: skip
        targets.append((page, post))
    svc.engine.dispose()
    return fake, targets


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return f"p50 {p(0.5):.2f}s, p95 {p(0.95):.2f}s, max {values[-1]:.2f}s over {len(values)} comments"


def bench_latency(samples: int = 40, webhooks: bool = True) -> list[float]:
    from connectors.testing.fake_webhooks import WebhookSender

    poll = 60 if webhooks else 10
    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = Path(d) / "lat.db"
        fake, [(page, post)] = _setup(db, 1, poll)
        procs = [_worker(db)]
        sender = None
        try:
            if webhooks:
                port = _port()
                procs.append(_serve(db, port))
                startup = _wait_up(port)
                print(f"webhook service answering {startup:.2f}s after start")
                sender = WebhookSender(fake, f"http://127.0.0.1:{port}/webhooks/meta", SECRET).start()  # type: ignore[arg-type]
            time.sleep(4)
            rng = random.Random(3)
            lat: list[float] = []
            for _ in range(samples if webhooks else 6):
                time.sleep(rng.uniform(0, 1.0 if webhooks else poll))
                t0 = time.monotonic()
                cid = fake.add_fb_comment(post, ABUSIVE, author=(f"u{rng.random()}", "Someone"))  # type: ignore[attr-defined]
                while fake.hide_calls[cid] == 0 and time.monotonic() - t0 < 90:  # type: ignore[attr-defined]
                    time.sleep(0.005)
                lat.append(time.monotonic() - t0)
        finally:
            if sender is not None:
                sender.stop()
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=60)
            fake.stop()  # type: ignore[attr-defined]
    mode = "webhooks (polls every 60 s)" if webhooks else f"polling only (every {poll} s)"
    target = "; target p95 <= 2 s" if webhooks else ""
    print(f"appear->hidden, {mode}: {_percentiles(lat)}{target}")
    return lat


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def bench_flood(seconds: float = 30.0, rate: int = 1000, threads: int = 8) -> None:
    from connectors.meta_webhooks import sign

    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = Path(d) / "flood.db"
        fake, targets = _setup(db, 5, 3600)
        port = _port()
        proc = _serve(db, port)
        url = f"http://127.0.0.1:{port}/webhooks/meta"
        try:
            _wait_up(port)
            total = int(seconds * rate)
            rng = random.Random(9)
            texts = [ABUSIVE, "Thanks for the update", "When does the road reopen?", "Great work team"]
            plan: list[tuple[str, bytes, str, bool]] = []  # (comment id, body, signature, forged)
            for n in range(total):
                page, post = targets[n % len(targets)]
                cid = f"{post.split('_')[-1]}_{9_000_000 + n}"
                value = {"item": "comment", "verb": "add", "comment_id": cid, "post_id": post,
                         "message": rng.choice(texts), "created_time": int(time.time()),
                         "from": {"id": f"a{n}"}}  # fmt: skip
                body = json.dumps({"object": "page", "entry": [{"id": page, "time": int(time.time()),
                                   "changes": [{"field": "feed", "value": value}]}]}).encode()  # fmt: skip
                forged = rng.random() < 0.05
                plan.append((cid, body, sign(SECRET + ("x" if forged else ""), body), forged))
                if not forged and rng.random() < 0.10:
                    plan.append((cid, body, sign(SECRET, body), False))
            accepted: set[str] = set()
            forged_ok = refused = errors = 0
            lock = threading.Lock()
            cursor = iter(range(len(plan)))
            started = time.monotonic()
            rss: list[int] = []
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    rss.append(_rss_kb(proc.pid))
                    time.sleep(0.5)

            def client() -> None:
                nonlocal forged_ok, refused, errors
                session = requests.Session()
                while True:
                    with lock:
                        i = next(cursor, None)
                    if i is None:
                        return
                    due = started + i / (rate * 1.1)
                    if (wait := due - time.monotonic()) > 0:
                        time.sleep(wait)
                    cid, body, sig, forged = plan[i]
                    try:
                        r = session.post(url, data=body, headers={"X-Hub-Signature-256": sig}, timeout=30)
                    except requests.RequestException:
                        with lock:
                            errors += 1
                        continue
                    with lock:
                        if r.status_code == 200 and forged:
                            forged_ok += 1
                        elif r.status_code == 200:
                            accepted.add(cid)
                        elif r.status_code == 401:
                            refused += 1
                        else:
                            errors += 1

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            pool = [threading.Thread(target=client) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            sent_for = time.monotonic() - started
            from moderation.bootstrap import make_service
            from moderation.config import Settings

            svc = make_service(Settings(), database_url=f"sqlite:///{db}")
            drained = time.monotonic()
            while svc.webhook_backlog() and time.monotonic() - drained < 900:
                time.sleep(1)
            processed_for = time.monotonic() - started
            stop.set()
            from sqlmodel import select

            from moderation.store.tables import Comment

            with svc.tx() as session:
                stored = list(session.exec(select(Comment.external_id)).all())
            forged_ids = {cid for cid, _b, _s, forged in plan if forged}
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            fake.stop()  # type: ignore[attr-defined]
    lost = len(accepted - set(stored))
    duplicated = len(stored) - len(set(stored))
    forged_stored = len(forged_ids & set(stored))
    steady = [r for r in rss[len(rss) // 5 :] if r] or [0]
    print(
        f"flood: {len(plan)} deliveries ({len(accepted)} distinct signed comments, {refused} refused as forged) in "
        f"{sent_for:.1f}s = {len(plan) / sent_for:.0f}/s accepted by the service (target rate {rate}/s); "
        f"all processed after {processed_for:.1f}s"
    )
    print(
        f"flood: lost {lost}, duplicated {duplicated}, forged accepted {forged_ok}, forged stored {forged_stored}, "
        f"client errors {errors}; service RSS {min(steady) / 1024:.0f}-{max(steady) / 1024:.0f} MB after warm-up "
        f"(peak {max(rss or [0]) / 1024:.0f} MB); exit code on SIGTERM {code}"
    )


def main() -> None:
    args = sys.argv[1:]
    seconds, rate = 30.0, 1000
    if "--seconds" in args:
        seconds = float(args[args.index("--seconds") + 1])
    if "--rate" in args:
        rate = int(args[args.index("--rate") + 1])
    which = {a for a in args if a in ("latency", "polling", "flood")} or {"latency", "polling", "flood"}
    if "latency" in which:
        bench_latency(webhooks=True)
    if "polling" in which:
        bench_latency(webhooks=False)
    if "flood" in which:
        bench_flood(seconds, rate)


if __name__ == "__main__":
    main()
