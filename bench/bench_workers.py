"""Scale-out and failover of ``modq run`` on one PostgreSQL database.

Run: ``python bench/bench_workers.py [--accounts 500] [--rate 120] [--seconds 45] [--workers 1,2,4] [--kills 20]``
or ``python -m bench workers``. ``--pg-url`` names a PostgreSQL server to use (an admin URL such as
``postgresql://modq@127.0.0.1:54342/postgres``); without it one is started under ``bench/out/pg``.

* **scale**: for 1, 2 and 4 workers, ``--accounts`` Facebook Pages on the fake platform server (loopback),
  polled every ``--poll-seconds``; comments arrive at ``--rate`` a second for ``--seconds`` with the policy's
  violation mix (``--abusive-share`` of them clear violations taken from the policy's own auto-hide examples);
  then the workers drain. Prints comments triaged per second (arrival to drained), hides per second, the p95
  time from a comment appearing on the platform to its hide being confirmed, double and missing actions, each
  worker's CPU seconds and the CPU milliseconds spent per comment (the rise over one worker is what
  coordination costs).
* **kill**: four workers on ``--kill-accounts`` accounts polled every ``--kill-poll-seconds`` while comments
  arrive at ``--kill-rate`` a second; ``--kills`` times (at least 20 for the figure; fewer for a quick look), one
  of them killed with SIGKILL at a random moment, the time until every account it held is held by another
  (takeover) and polled again, then it is restarted; at the end the same counts. ``--lease-seconds`` sets the
  lease period of this part (the default period of ``modq run`` is 15 s).

Harness: ``scripts/cluster_harness.py`` (also used by ``tests/worker/test_cluster.py``).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from cluster_harness import Cluster, percentile  # noqa: E402

OUT = ROOT / "bench" / "out"
REPOLL_TARGET = 30.0  # seconds: an account whose worker died is polled again within this


def start_pg(port: int) -> tuple[str, Path]:
    data = OUT / "pg"
    subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", str(data)], capture_output=True)
    url = (
        subprocess.run(
            [str(ROOT / "scripts" / "pg.sh"), "start", str(data), str(port)], capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return url, data


def scale(args: argparse.Namespace, admin: str, workers: int) -> bool:
    c = Cluster(
        admin,
        args.accounts,
        poll_seconds=args.poll_seconds,
        lease_seconds=15.0,
        outbox_seconds=2.0,
        seed=args.seed,
        abusive_share=args.abusive_share,
        threads=args.threads,
    )
    try:
        pids = [c.start_worker() for _ in range(workers)]
        if not c.wait_balanced(workers, timeout=120):
            print(f"workers={workers}: the accounts were not spread within 120 s: {c.held()}")
        cpu0 = {p: c.cpu_seconds(p) for p in pids}
        t0 = time.time()
        c.feed(args.rate)
        time.sleep(args.seconds)
        c.stop_feed()
        drained = c.wait_drained(timeout=args.drain_timeout)
        elapsed = time.time() - t0
        cpu = {p: c.cpu_seconds(p) - cpu0[p] for p in pids}
        c.stop_all()
        r = c.result()
        p95 = percentile(r.latencies, 95)
        total_cpu = sum(cpu.values())
        split = " ".join(f"{v:.1f}" for v in cpu.values())
        print(
            f"workers={workers} accounts={args.accounts} arrived={r.comments} ({r.comments / args.seconds:.0f}/s) "
            f"triaged/s={r.triaged / elapsed:.1f} hides/s={r.hidden / elapsed:.2f} "
            f"p95_appear_to_hide={p95:.1f}s drained={'yes' if drained else 'NO'} in {elapsed:.0f}s"
        )
        print(
            f"  double={r.double} missing={r.missing} extra={r.extra} poll_overlaps={r.overlaps} "
            f"ledger={'ok' if r.ledger_ok else 'BROKEN'} polls={r.polls} "
            f"cpu_s_per_worker=[{split}] cpu_ms_per_comment={1000 * total_cpu / max(1, r.triaged):.2f}",
            flush=True,
        )
        return r.double == 0 and r.missing == 0 and r.extra == 0 and r.overlaps == 0 and r.ledger_ok and drained
    finally:
        c.close()


def kills(args: argparse.Namespace, admin: str) -> bool:
    rng = random.Random(args.seed)
    c = Cluster(
        admin,
        args.kill_accounts,
        poll_seconds=args.kill_poll_seconds,
        lease_seconds=args.lease_seconds,
        outbox_seconds=1.0,
        seed=args.seed,
        abusive_share=args.abusive_share,
        threads=args.threads,
    )
    try:
        pids = [c.start_worker() for _ in range(4)]
        c.wait_balanced(4, timeout=120)
        c.feed(args.kill_rate)
        for i in range(args.kills):
            time.sleep(rng.uniform(0.0, args.lease_seconds))
            victim = rng.choice([p for p in pids if c.procs[p].poll() is None])
            k = c.watch_takeover(c.kill(victim), timeout=120)
            took = f"{k.takeover:.1f}s" if k.takeover is not None else "NOT within 120 s"
            polled = f"{k.repolled:.1f}s" if k.repolled is not None else "NOT within 120 s"
            print(
                f"kill {i + 1}: worker {k.worker} held {len(k.accounts)} accounts; takeover={took} repolled={polled}",
                flush=True,
            )
            pids.append(c.start_worker())
            if not c.wait_balanced(4, timeout=120):
                print("  the restarted worker did not get its share within 120 s", flush=True)
        c.stop_feed()
        drained = c.wait_drained(timeout=args.drain_timeout)
        codes = c.stop_all()
        r = c.result()
        killed = {k.pid for k in r.kills}
        exits = sorted({codes[p] for p in codes if p not in killed})
        takeovers = [k.takeover for k in r.kills if k.takeover is not None]
        repolls = [k.repolled for k in r.kills if k.repolled is not None]
        worst = max(takeovers, default=float("nan"))
        print(
            f"kills={len(r.kills)} lease={args.lease_seconds:g}s takeover max={worst:.1f}s "
            f"p50={percentile(takeovers, 50):.1f}s repolled max={max(repolls, default=float('nan')):.1f}s "
            f"(takeover bound: 2 leases = {2 * args.lease_seconds:g}s; re-poll target {REPOLL_TARGET:g}s, "
            f"{sum(1 for x in repolls if x > REPOLL_TARGET)} over)"
        )
        print(
            f"  comments={r.comments} violations={r.violations} double={r.double} missing={r.missing} "
            f"extra={r.extra} poll_overlaps={r.overlaps} ledger={'ok' if r.ledger_ok else 'BROKEN'} "
            f"drained={'yes' if drained else 'NO'} sigterm_exits={exits}"
        )
        print(
            f"  longest gap between two polls of one account: {r.longest_gap:.1f}s "
            f"(poll interval {args.kill_poll_seconds}s; a killed worker's account waits the interval and then its "
            f"re-poll: bound {args.kill_poll_seconds + REPOLL_TARGET:g}s)"
        )
        untaken = len(r.kills) - len(takeovers) + len(r.kills) - len(repolls)
        return untaken == 0 and r.double == 0 and r.missing == 0 and r.extra == 0 and r.overlaps == 0 and r.ledger_ok
    finally:
        c.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("parts", nargs="*", default=["scale", "kill"], help="scale, kill (default: both)")
    ap.add_argument("--pg-url", default=os.environ.get("MODQ_BENCH_PG_URL"))
    ap.add_argument("--pg-port", type=int, default=54342)
    ap.add_argument("--accounts", type=int, default=500)
    ap.add_argument("--rate", type=float, default=120.0, help="comments a second")
    ap.add_argument("--seconds", type=float, default=45.0, help="how long comments arrive")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--poll-seconds", type=int, default=10)
    ap.add_argument("--abusive-share", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--drain-timeout", type=float, default=300.0)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--kill-accounts", type=int, default=500)
    ap.add_argument("--kill-rate", type=float, default=30.0)
    ap.add_argument("--kill-poll-seconds", type=int, default=60)
    ap.add_argument("--lease-seconds", type=float, default=6.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    started = None
    admin = args.pg_url
    if not admin:
        admin, started = start_pg(args.pg_port)
    ok = True
    try:
        if "scale" in args.parts:
            for n in (int(x) for x in args.workers.split(",")):
                ok &= scale(args, admin, n)
        if "kill" in args.parts:
            ok &= kills(args, admin)
    finally:
        if started is not None:
            subprocess.run([str(ROOT / "scripts" / "pg.sh"), "stop", str(started)], capture_output=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
