"""Webhook benchmarks: start-up, appear-to-hidden latency with webhooks and with polling only, a flood of
deliveries, and SIGTERM in the middle of one.

Run: ``python bench/bench_webhooks.py [startup] [latency] [polling] [flood] [sigterm] [--seconds N] [--rate N]``
(default: all five) or ``python -m bench webhooks``.

* **startup**: ``modq webhooks serve`` started five times on a database with accounts: seconds from launching the
  process to the first 200 from ``/healthz`` (median, max), with the source compiled once beforehand as an
  installed package is (the first, compiling start is printed apart), and from SIGTERM to a clean exit.
  Target: < 1 s.
* **latency**: ``modq run`` (polls every 60 s, the safety net) and ``modq webhooks serve`` as subprocesses on one
  SQLite database; the fake platform sends a signed webhook for each new comment; abusive comments appear at
  random moments; the time from a comment appearing to the platform receiving its hide, p50 / p95 / max.
  Target: p95 <= 2 s.
* **polling**: the same without the webhook service, polls every 10 s (the engine's floor): what the webhook
  service saves. With 60 s polls every figure is about six times larger.
* **flood**: ``modq webhooks serve`` alone; ``--rate`` deliveries a second (default 1,000) for ``--seconds``
  (default 30), paced, over 64 keep-alive connections from a client process of its own (raw HTTP/1.1, so the
  client is not what limits the rate); each delivery is a new comment (really on the fake platform) on one of five
  Pages, 10% of them sent twice and 5% forged (signed with the wrong secret). Then waits until every stored
  delivery is processed and every accepted threat is hidden, and prints: the rate achieved, the time to answer
  (p50 / p95 / max), comments lost (answered 200 but not stored, or their delivery not stored), duplicated
  (stored twice), forged accepted or stored, threats hidden (and hidden twice), and the service's resident memory
  over the run.
* **sigterm**: SIGTERM 3 s into a 1,000/s flood: the exit code, how long the stop took, and whether every
  delivery answered 200 was stored.
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


def _wait_up(port: int, timeout: float = 30.0, poll: float = 0.02) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except requests.RequestException:
            time.sleep(poll)
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


def _request(port: int, body: bytes, signature: str) -> bytes:
    head = (
        f"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _fire(port: int, requests_: list[bytes], rate: float, connections: int) -> list[tuple[int, float]]:
    """Send each request once, paced at ``rate`` a second, over ``connections`` keep-alive connections; for each,
    the HTTP status (0: no answer) and the seconds from sending to the answer."""
    import asyncio

    loop = asyncio.get_running_loop()
    results: list[tuple[int, float]] = [(0, 0.0)] * len(requests_)
    cursor = iter(range(len(requests_)))
    started = loop.time()

    async def connection() -> None:
        reader = writer = None
        for i in cursor:
            if (wait := started + i / rate - loop.time()) > 0:
                await asyncio.sleep(wait)
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                sent = loop.time()
                writer.write(requests_[i])
                head = await reader.readuntil(b"\r\n\r\n")  # type: ignore[union-attr]
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)  # type: ignore[union-attr]
                results[i] = (int(head[9:12]), loop.time() - sent)
            except (OSError, asyncio.IncompleteReadError, StopIteration, ValueError):
                results[i] = (0, loop.time() - started)
                if writer is not None:
                    writer.close()
                reader = writer = None

    await asyncio.gather(*(connection() for _ in range(connections)))
    return results


def _client_main(plan_file: str, out_file: str) -> None:
    """The flood's sender, in a process of its own so that it never competes with the fake platform's threads."""
    import asyncio
    import pickle

    port, rate, connections, requests_ = pickle.loads(Path(plan_file).read_bytes())
    results = asyncio.run(_fire(port, requests_, rate, connections))
    Path(out_file).write_bytes(pickle.dumps(results))


def _send_in_child(
    port: int, requests_: list[bytes], rate: float, connections: int, work: Path
) -> subprocess.Popen[bytes]:
    import pickle

    (work / "plan.pickle").write_bytes(pickle.dumps((port, rate, connections, requests_)))
    cmd = [sys.executable, __file__, "_client", str(work / "plan.pickle"), str(work / "results.pickle")]
    return subprocess.Popen(cmd)


def _child_results(work: Path) -> list[tuple[int, float]]:
    import pickle

    return pickle.loads((work / "results.pickle").read_bytes())  # type: ignore[no-any-return]


def _flood_plan(
    fake: object, targets: list[tuple[str, str]], total: int, seed: int = 9
) -> list[tuple[str, bytes, str, bool]]:
    """(comment id, body, signature, forged) for ``total`` new comments, each really on the fake platform (so its
    hide can land): 5% forged, 10% of the rest sent twice."""
    from connectors.meta_webhooks import sign

    rng = random.Random(seed)
    texts = [ABUSIVE, "Thanks for the update", "When does the road reopen?", "Great work team"]
    plan: list[tuple[str, bytes, str, bool]] = []
    for n in range(total):
        page, post = targets[n % len(targets)]
        text = rng.choice(texts)
        cid = fake.add_fb_comment(post, text, author=(f"a{n}", "Someone"))  # type: ignore[attr-defined]
        value = {"item": "comment", "verb": "add", "comment_id": cid, "post_id": post,
                 "message": text, "created_time": int(time.time()),
                 "from": {"id": f"a{n}"}}  # fmt: skip
        body = json.dumps({"object": "page", "entry": [{"id": page, "time": int(time.time()),
                           "changes": [{"field": "feed", "value": value}]}]}).encode()  # fmt: skip
        forged = rng.random() < 0.05
        plan.append((cid, body, sign(SECRET + ("x" if forged else ""), body), forged))
        if not forged and rng.random() < 0.10:
            plan.append((cid, body, sign(SECRET, body), False))
    return plan


def bench_flood(seconds: float = 30.0, rate: int = 1000, connections: int = 64) -> None:
    import hashlib

    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        work = Path(d)
        db = work / "flood.db"
        fake, targets = _setup(db, 5, 3600)
        port = _port()
        proc = _serve(db, port)
        try:
            _wait_up(port)
            plan = _flood_plan(fake, targets, int(seconds * rate / 1.105))  # duplicates bring it to rate × seconds
            rss: list[int] = []
            stop = threading.Event()

            def watch() -> None:
                while not stop.is_set():
                    rss.append(_rss_kb(proc.pid))
                    time.sleep(0.5)

            threading.Thread(target=watch, daemon=True).start()
            started = time.monotonic()
            client = _send_in_child(port, [_request(port, b, s) for _c, b, s, _f in plan], rate, connections, work)
            client.wait()
            sent_for = time.monotonic() - started
            results = _child_results(work)
            from moderation.bootstrap import make_service
            from moderation.config import Settings

            svc = make_service(Settings(), database_url=f"sqlite:///{db}")
            backlog_after_send = svc.webhook_backlog()
            wanted = {plan[i][0] for i, (st, _t) in enumerate(results) if st == 200 and not plan[i][3]}
            wanted = {c for c in wanted if fake.comments[c]["text"] == ABUSIVE}  # type: ignore[attr-defined]
            seen, still = -1, time.monotonic()
            while svc.webhook_backlog() or len(wanted - fake.hidden_ids()) and time.monotonic() - still < 30:  # type: ignore[attr-defined]
                if (now_hidden := len(wanted & fake.hidden_ids())) != seen:  # type: ignore[attr-defined]
                    seen, still = now_hidden, time.monotonic()
                if time.monotonic() - started > 1800:
                    break
                time.sleep(0.5)
            processed_for = time.monotonic() - started
            stop.set()
            from sqlmodel import select

            from moderation.store.tables import Comment, WebhookDelivery

            with svc.tx() as session:
                stored = list(session.exec(select(Comment.external_id)).all())
                digests = set(session.exec(select(WebhookDelivery.digest)).all())
            svc.engine.dispose()
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            fake.stop()  # type: ignore[attr-defined]
    statuses = [s for s, _t in results]
    answers = sorted(t for s, t in results if s)
    accepted = {plan[i][0] for i, s in enumerate(statuses) if s == 200 and not plan[i][3]}
    threats = {c for c in accepted if fake.comments[c]["text"] == ABUSIVE}  # type: ignore[attr-defined]
    hidden = len(threats & fake.hidden_ids())  # type: ignore[attr-defined]
    double_hides = sum(1 for c in threats if fake.hide_calls[c] > 1)  # type: ignore[attr-defined]
    accepted_bodies = {hashlib.sha256(plan[i][1]).hexdigest() for i, s in enumerate(statuses) if s == 200}
    forged_ok = sum(1 for i, s in enumerate(statuses) if s == 200 and plan[i][3])
    forged_bodies = {hashlib.sha256(b).hexdigest() for _c, b, _s, forged in plan if forged}
    refused = sum(1 for i, s in enumerate(statuses) if s == 401 and plan[i][3])
    wrong = sum(1 for i, s in enumerate(statuses) if s != (401 if plan[i][3] else 200))
    lost = len(accepted - set(stored)) + len(accepted_bodies - digests)
    duplicated = len(stored) - len(set(stored))
    forged_stored = len(forged_bodies & digests)
    steady = [r for r in rss[len(rss) // 5 :] if r] or [0]
    pct = lambda q: answers[min(len(answers) - 1, int(q * len(answers)))] * 1000 if answers else 0.0  # noqa: E731
    print(
        f"flood: {len(plan)} deliveries ({len(accepted)} distinct signed comments, {refused} forged refused) "
        f"sent in {sent_for:.1f}s = {len(plan) / sent_for:.0f}/s (target {rate}/s); answer p50 {pct(0.5):.0f} ms, "
        f"p95 {pct(0.95):.0f} ms, max {pct(1.0):.0f} ms; backlog when sending ended {backlog_after_send}, "
        f"all processed {processed_for:.1f}s after the first delivery"
    )
    print(
        f"flood: lost {lost}, duplicated {duplicated}, forged accepted {forged_ok}, forged stored {forged_stored}, "
        f"unexpected answers {wrong}; threats hidden {hidden} of {len(threats)} (hidden twice {double_hides}); "
        f"service RSS {min(steady) / 1024:.0f}-{max(steady) / 1024:.0f} MB after "
        f"warm-up (peak {max(rss or [0]) / 1024:.0f} MB); exit code on SIGTERM {code}"
    )


def bench_startup(runs: int = 5) -> None:
    """Start the service ``runs`` times on a database with accounts: seconds from launching the process to the first
    200 from /healthz, and from SIGTERM to a clean exit. The source is compiled once first (into a cache of the
    run's own), as an installed package is; the first, cold start is reported apart."""
    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        db = Path(d) / "start.db"
        fake, _targets = _setup(db, 5, 3600)
        env = {k: v for k, v in _env().items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(d) / "pycache")
        up: list[float] = []
        down: list[float] = []
        codes: list[int] = []
        try:
            for _ in range(runs + 1):
                port = _port()
                cmd = [sys.executable, "-m", "moderation", "webhooks", "serve", "--port", str(port), "--db", str(db)]
                started = time.monotonic()
                proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL)
                _wait_up(port, poll=0.005)
                up.append(time.monotonic() - started)
                stopping = time.monotonic()
                proc.send_signal(signal.SIGTERM)
                codes.append(proc.wait(timeout=60))
                down.append(time.monotonic() - stopping)
        finally:
            fake.stop()  # type: ignore[attr-defined]
    cold, warm = up[0], sorted(up[1:])
    print(
        f"startup: launch -> first 200 from /healthz {warm[len(warm) // 2]:.2f}s median, {warm[-1]:.2f}s max over "
        f"{len(warm)} starts (first start, compiling the source: {cold:.2f}s; target < 1 s); SIGTERM -> exit "
        f"{max(down):.2f}s max, exit codes {sorted(set(codes))}"
    )


def bench_sigterm(rate: int = 1000, seconds: float = 6.0, after: float = 3.0) -> None:
    """SIGTERM in the middle of a flood: every delivery answered 200 must be stored, and the exit must be clean."""
    import hashlib

    from moderation.bootstrap import make_service
    from moderation.config import Settings

    with tempfile.TemporaryDirectory(prefix="modq-bench-") as d:
        work = Path(d)
        db = work / "term.db"
        fake, targets = _setup(db, 5, 3600)
        port = _port()
        proc = _serve(db, port)
        try:
            _wait_up(port)
            plan = _flood_plan(fake, targets, int(seconds * rate / 1.105))
            client = _send_in_child(port, [_request(port, b, s) for _c, b, s, _f in plan], rate, 64, work)
            time.sleep(after)
            stopping = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=120)
            stopped_in = time.monotonic() - stopping
            client.wait()
            results = _child_results(work)
            svc = make_service(Settings(), database_url=f"sqlite:///{db}")
            from sqlmodel import select

            from moderation.store.tables import WebhookDelivery

            with svc.tx() as session:
                digests = set(session.exec(select(WebhookDelivery.digest)).all())
            svc.engine.dispose()
        finally:
            if proc.poll() is None:
                proc.kill()
            fake.stop()  # type: ignore[attr-defined]
    ok = {hashlib.sha256(plan[i][1]).hexdigest() for i, (st, _t) in enumerate(results) if st == 200}
    forged = {hashlib.sha256(b).hexdigest() for _c, b, _s, f in plan if f}
    unanswered = sum(1 for st, _t in results if st == 0)
    print(
        f"sigterm: SIGTERM {after:.0f}s into a {rate}/s flood: exit code {code} after {stopped_in:.2f}s; "
        f"{len(ok)} distinct deliveries answered 200, lost {len(ok - digests)}, forged stored {len(forged & digests)}; "
        f"{unanswered} requests got no answer (the service had stopped; Meta sends those again)"
    )


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["_client"]:
        _client_main(args[1], args[2])
        return
    seconds, rate = 30.0, 1000
    if "--seconds" in args:
        seconds = float(args[args.index("--seconds") + 1])
    if "--rate" in args:
        rate = int(args[args.index("--rate") + 1])
    kinds = ("startup", "latency", "polling", "flood", "sigterm")
    which = {a for a in args if a in kinds} or set(kinds)
    if "startup" in which:
        bench_startup()
    if "latency" in which:
        bench_latency(webhooks=True)
    if "polling" in which:
        bench_latency(webhooks=False)
    if "flood" in which:
        bench_flood(seconds, rate)
    if "sigterm" in which:
        bench_sigterm(rate)


if __name__ == "__main__":
    main()
