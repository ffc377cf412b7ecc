"""Kill test: ``modq run`` killed with SIGKILL at random moments, restarted, while comments arrive.

What it proves: every intended hide reaches the platform exactly once, whatever instant the worker dies at
(during start-up, a poll, triage, or between the outbox's claim, the platform call and its record).

How: a fake platform server (``connectors.testing.fake_platform``) runs in this process with a Facebook
Page and an Instagram account; a feeder thread adds ordinary and abusive comments throughout; ``modq run``
runs as a subprocess against a temporary SQLite database and is killed ``--kills`` times (half at a random
time after spawning, half at a random time after it logged ``worker_started``), then started a last time
and left to drain, then stopped with SIGTERM (which must exit 0). The real published policy decides:
the abusive texts are taken from the policy's own enforce/auto_hide rule examples and are checked to be
clear violations; the ordinary ones are checked not to be hidden.

At the end it prints ``double=N missing=N extra=N`` (hide requests beyond the first for one comment; clear
violations not hidden; anything else hidden or unhidden) and whether the ledger verifies; the exit status
is non-zero unless all three are 0 and the ledger verifies.

    python scripts/kill_test.py --kills 50 --seed 1
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from connectors.testing.fake_platform import FakePlatform  # noqa: E402
from moderation.domain import Action, CommentInput  # noqa: E402

TOKEN = "kill-test-graph-token-0123456789"
TOKEN_ENV = "MODQ_KILL_TEST_TOKEN"
ORDINARY = [
    "Thanks for the update, very helpful",
    "When will the new timetable start?",
    "Is the office open on the public holiday?",
    "Great work by the team at the community centre",
    "I disagree with this decision and think the minister got it wrong",
    "Can someone explain how to apply for the grant?",
    "The link in the post does not work for me",
    "Lovely photos from the opening day",
    "This policy is a waste of money in my opinion",
    "My family in Tittybong appreciated the visit",
    "Will there be parking near the venue?",
    "Good to see funding for Cockburn and Mount Buggery too",
]


def worker_cmd(db: Path) -> list[str]:
    script = Path(sys.executable).parent / "modq"
    base = [str(script)] if script.exists() else [sys.executable, "-c", "from moderation.cli import main; main()"]
    return [*base, "run", "--db", str(db), "--outbox-seconds", "0.5", "--log-level", "info"]


def pick_texts(policy: object) -> tuple[list[str], list[str]]:
    """Abusive texts the policy clearly auto-hides, and ordinary ones it clearly does not hide."""

    def verdicts(text: str, platform: str) -> list[object]:
        return [
            policy.evaluate(CommentInput(text=text, platform=platform, repeat_count=r))  # type: ignore[attr-defined]
            for r in (0, 5)
        ]

    def hides(v: object) -> bool:
        return v.action is Action.AUTO_HIDE or (v.action is Action.ESCALATE and v.hide_now)  # type: ignore[attr-defined]

    abusive, ordinary = [], []
    for rule in policy.rules:  # type: ignore[attr-defined]
        if rule.mode.value != "enforce" or rule.action is not Action.AUTO_HIDE or rule.conditions:
            continue
        for ex in rule.examples:
            if not ex.should_match:
                continue
            vs = verdicts(ex.item.text, "facebook") + verdicts(ex.item.text, "instagram")
            if all(v.action is Action.AUTO_HIDE for v in vs):  # type: ignore[attr-defined]
                abusive.append(ex.item.text)
    for text in ORDINARY:
        vs = verdicts(text, "facebook") + verdicts(text, "instagram")
        if not any(hides(v) or v.action is Action.ESCALATE for v in vs):  # type: ignore[attr-defined]
            ordinary.append(text)
    if not abusive or not ordinary:
        raise SystemExit("the policy offers no clear abusive or ordinary texts to test with")
    return abusive, ordinary


def setup(db: Path, fake: FakePlatform) -> tuple[dict[str, tuple[str, str]], object]:
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    svc = make_service(Settings(), database_url=f"sqlite:///{db}")
    svc.ensure_first_admin("killtest")
    fake.add_graph_token(TOKEN)
    page = fake.add_fb_page("3001", "Department")
    post = fake.add_fb_post(page, "Consultation on the new community centre")
    ig = fake.add_ig_user("17841400000099999", "department")
    media = fake.add_ig_media(ig, "Opening day at the community centre")
    svc.add_account(
        "facebook", page, "Department FB", "killtest", token_env=TOKEN_ENV, api_base=fake.base_url, poll_seconds=10
    )
    svc.add_account(
        "instagram", ig, "Department IG", "killtest", token_env=TOKEN_ENV, api_base=fake.base_url, poll_seconds=10
    )
    # The engine's CLI floor is 10 s; poll every second here so that kills land in polls often.
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE account SET poll_seconds = 1")
    # This test is about exactly-once delivery, not the circuit breaker (tested on its own).
    svc.set_limit("breaker.share", 1.0, "killtest")
    svc.engine.dispose()
    return {"facebook": ("fb", post), "instagram": ("ig", media)}, svc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=1.5, help="comments a second while the kills go on")
    ap.add_argument("--abusive-share", type=float, default=0.35)
    ap.add_argument("--fault-rate", type=float, default=0.05, help="share of platform requests that fail")
    ap.add_argument("--drain-timeout", type=float, default=90.0)
    ap.add_argument("--max-wait", type=float, default=2.5, help="longest life of a killed worker after spawning")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)

    from moderation.rules import load_policy

    abusive, ordinary = pick_texts(load_policy())
    tmp = Path(tempfile.mkdtemp(prefix="modq-kill-"))
    db = tmp / "modq.db"
    fake = FakePlatform(seed=args.seed)
    fake.start()
    # A killed worker drops its connections mid-request; the server need not print each reset.
    fake._server.handle_error = lambda *a: None  # type: ignore[union-attr, method-assign]
    targets, _ = setup(db, fake)
    time.sleep(1.2)  # Graph times have whole seconds: comments must come after the accounts' activation
    expected: dict[str, bool] = {}
    stop_feed = threading.Event()

    def feed() -> None:
        n = 0
        while not stop_feed.is_set():
            n += 1
            kind = rng.choice(["facebook", "instagram"])
            bad = rng.random() < args.abusive_share
            text = rng.choice(abusive if bad else ordinary)
            prefix, parent = targets[kind]
            if prefix == "fb":
                cid = fake.add_fb_comment(parent, text, author=(f"fbu{n}", f"Person {n}"))
            else:
                cid = fake.add_ig_comment(parent, text, username=f"igu{n}")
            expected[cid] = bad
            stop_feed.wait(rng.expovariate(args.rate))

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    if args.fault_rate:
        fake.random_faults(args.fault_rate, kinds=("5xx", "html"))
    env = {**os.environ, TOKEN_ENV: TOKEN}
    log_path = tmp / "worker.log"
    started = time.monotonic()
    with open(log_path, "ab") as log:
        for k in range(args.kills):
            mark = log_path.stat().st_size
            proc = subprocess.Popen(worker_cmd(db), env=env, stdout=log, stderr=log)
            if k % 2 == 0:
                time.sleep(rng.uniform(0.2, args.max_wait))
            else:
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline and proc.poll() is None:
                    with open(log_path, "rb") as f:
                        f.seek(mark)
                        if b"worker_started" in f.read():
                            break
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.0, args.max_wait / 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        stop_feed.set()
        feeder.join()
        fake.clear_faults()
        kill_seconds = time.monotonic() - started
        # The last run: let it drain, then stop it the polite way.
        proc = subprocess.Popen(worker_cmd(db), env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + args.drain_timeout
        want = {cid for cid, bad in expected.items() if bad}
        while time.monotonic() < deadline:
            time.sleep(1.0)
            if want <= fake.hidden_ids() and _drained(db, len(expected)):
                time.sleep(1.5)  # one more outbox round: anything extra would show now
                break
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=45)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = -9
    fake.stop()

    hidden = fake.hidden_ids()
    double = sum(n - 1 for n in fake.hide_calls.values() if n > 1)
    missing = len(want - hidden)
    extra = len(hidden - want) + sum(fake.unhide_calls.values())
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    svc = make_service(Settings(), database_url=f"sqlite:///{db}")
    ledger_ok = svc.ledger_verify().ok
    counts = svc.counts()
    leaks = _log_leaks(log_path, abusive + ordinary)
    print(
        f"kills={args.kills} seconds={kill_seconds:.0f} comments={len(expected)} clear_violations={len(want)} "
        f"hidden={len(hidden & want)} states={dict(sorted(counts.items()))}"
    )
    print(
        f"double={double} missing={missing} extra={extra} ledger={'ok' if ledger_ok else 'BROKEN'} "
        f"sigterm_exit={rc} log_leaks={leaks}"
    )
    ok = double == 0 and missing == 0 and extra == 0 and ledger_ok and rc == 0 and leaks == 0
    if args.keep or not ok:
        print(f"kept {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


def _drained(db: Path, comments: int) -> bool:
    with sqlite3.connect(db, timeout=30) as conn:
        stored = conn.execute("SELECT count(*) FROM comment").fetchone()[0]
        fresh = conn.execute("SELECT count(*) FROM comment WHERE state = 'new'").fetchone()[0]
        live = conn.execute("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sent')").fetchone()[0]
    return stored >= comments and fresh == 0 and live == 0


def _log_leaks(path: Path, texts: list[str]) -> int:
    """Lines of the worker's log holding a comment's text or the token."""
    body = path.read_text(encoding="utf-8", errors="replace")
    needles = [TOKEN, *{t for t in texts if len(t) > 12}]
    return sum(1 for line in body.splitlines() if any(n in line for n in needles))


if __name__ == "__main__":
    raise SystemExit(main())
