"""Ingest + triage throughput and disk per comment, on SQLite and PostgreSQL.

Run: ``python bench/bench_ingest.py`` (or ``python -m bench ingest``). Options:

* ``--comments N``: lines in the generated file (default 50,000, about a minute in all; the issue's figure is
  measured with ``--comments 1000000``);
* ``--pg-url URL``: also run on PostgreSQL (default: ``MODQ_TEST_PG_URL`` if set). A fresh database is created
  on that server for the run and dropped afterwards;
* ``--seed S``, ``--keep`` (keep the generated file and the SQLite database under ``bench/out/``).

The workload is generated from the demo corpus (so the policy's violation mix is the corpus's): fresh comment
ids, three accounts, many posts and authors (a few heavy posters), a month of times, replies to earlier
comments, texts varied with neutral words, about 2% of lines re-delivered unchanged and about 1% edits of an
earlier comment. It is ingested and triaged exactly as ``modq ingest FILE`` does (the service's ingest, then
triage), into a freshly migrated database. Printed for each database:

* lines per second, wall clock and CPU time of this process (PostgreSQL's own CPU is not in it);
* the pipeline-only rate (the policy over the same comments, CPU time, in the same run: in batches of 1,000 with
  ``Policy.evaluate_many`` as triage runs it, and one at a time with ``Policy.evaluate``) and the ratio of the
  ingest + triage rate (wall) to each;
* the time to load the policy, which is taken before the clock starts (a running worker has it loaded already;
  a one-off ``modq ingest`` pays it once);
* bytes on disk per stored comment (tables, indexes and the ledger);
* a second ingest of the same file (nothing may change) and ``ledger verify``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from moderation.bootstrap import make_service  # noqa: E402
from moderation.config import Settings  # noqa: E402

OUT = ROOT / "bench" / "out"
CORPUS = ROOT / "moderation" / "demo" / "corpus.jsonl"
TARGET_SQLITE = 10_000
TARGET_PG = 5_000
TARGET_RATIO = 0.12
NEUTRAL = (
    "thanks for the update",
    "any news on this",
    "agreed",
    "first time I've seen this",
    "my neighbour said the same",
    "see you there",
    "is this on the website",
    "good to know",
    "what about the weekend",
    "cheers",
    "fair enough",
    "same in our street",
)


@dataclass(frozen=True)
class Workload:
    path: Path
    lines: int
    distinct: int
    edits: int
    repeats: int


def load_corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def generate(path: Path, n: int, seed: int = 1) -> Workload:
    """Write ``n`` interchange-format lines to ``path`` (see the module's docstring for what they hold)."""
    rng = random.Random(seed)
    corpus = load_corpus()
    accounts = sorted({(r["platform"], r["account"]) for r in corpus})
    posts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    n_posts = max(3, n // 200)
    for i in range(n_posts):
        platform, account = accounts[i % len(accounts)]
        posts.setdefault((platform, account), []).append(
            (f"bench-post-{i}", f"Announcement {i}: works, services and events this month.")
        )
    n_authors = max(10, n // 6)
    authors = [(f"bench-author-{i}", f"user{i}", f"Person {i}") for i in range(n_authors)]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    span = 30 * 86400
    times = sorted(rng.random() * span for _ in range(n))
    emitted: list[dict[str, Any]] = []  # earlier comments, for replies, repeats and edits
    edits = repeats = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            r = rng.random()
            if emitted and r < 0.02:
                rec = rng.choice(emitted)  # re-delivered unchanged
                repeats += 1
            elif emitted and r < 0.03:
                old = rng.choice(emitted)
                rec = dict(old)
                rec["text"] = old["text"] + " (edited: " + rng.choice(NEUTRAL) + ")"
                old["text"] = rec["text"]
                edits += 1
            else:
                tpl = rng.choice(corpus)
                key = (tpl["platform"], tpl["account"])
                post_id, post_text = rng.choice(posts[key])
                # A few heavy posters: a fifth of comments come from a hundredth of the authors.
                pool = authors[: max(1, n_authors // 100)] if rng.random() < 0.2 else authors
                aid, handle, name = rng.choice(pool)
                text = tpl["text"]
                if rng.random() < 0.7:
                    words = rng.choice(NEUTRAL)
                    text = f"{text} {words}" if rng.random() < 0.5 else f"{words.capitalize()}. {text}"
                parent = None
                if rng.random() < 0.3 and emitted:
                    earlier = emitted[-1 - int(rng.random() * min(len(emitted), 200))]
                    if earlier["post"]["id"] == post_id:
                        parent = earlier["id"]
                created = start + timedelta(seconds=times[i])
                rec = {
                    "platform": tpl["platform"],
                    "account": tpl["account"],
                    "post": {"id": post_id, "text": post_text, "url": f"https://example.test/{post_id}"},
                    "id": f"bench-{seed}-{i}",
                    "parent_id": parent,
                    "author": {"id": aid, "handle": handle, "name": name},
                    "text": text,
                    "created_at": created.isoformat(),
                    "url": f"https://example.test/c/{i}",
                }
                emitted.append(rec)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return Workload(path, n, len(emitted), edits, repeats)


def read_items(path: Path) -> list[Any]:
    """The file's comments as the policy sees them."""
    from moderation.domain import CommentInput

    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            author = rec.get("author") or {}
            items.append(
                CommentInput(
                    text=rec["text"],
                    platform=rec["platform"],
                    account=rec["account"],
                    author_id=author.get("id", ""),
                    author_handle=author.get("handle", ""),
                    author_name=author.get("name", ""),
                    is_reply=rec.get("parent_id") is not None,
                )
            )
    return items


def pipeline_rates(path: Path) -> tuple[float, float]:
    """Comments per CPU-second of the policy alone over the file's comments (as triage would see them): one at a
    time (``Policy.evaluate``) and in batches of 1,000 (``Policy.evaluate_many``, which triage uses)."""
    from moderation.rules import load_policy

    policy = load_policy()
    items = read_items(path)
    evaluate = policy.evaluate
    for item in items[:1000]:
        evaluate(item)
    t0 = time.process_time()
    for item in items:
        evaluate(item)
    single = len(items) / max(time.process_time() - t0, 1e-9)
    t0 = time.process_time()
    for i in range(0, len(items), 1000):
        policy.evaluate_many(items[i : i + 1000])
    batched = len(items) / max(time.process_time() - t0, 1e-9)
    return single, batched


def disk_bytes(svc: Any) -> int:
    engine = svc.engine
    if engine.dialect.name == "sqlite":
        import sqlite3

        raw = sqlite3.connect(engine.url.database)  # outside the engine's BEGIN IMMEDIATE
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        return os.path.getsize(engine.url.database)
    with engine.connect() as conn:
        return int(
            conn.exec_driver_sql(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ).scalar_one()
        )


def counts(svc: Any) -> dict[str, int]:
    tables = ("comment", "comment_version", "decision", "finding", "outbox", "escalation", "ledger_event")
    with svc.engine.connect() as conn:
        return {t: int(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()) for t in tables}


def run_one(label: str, url: str, work: Workload, pipelines: tuple[float, float], target: int) -> dict[str, Any]:
    svc = make_service(Settings(), database_url=url)  # migrated before the clock starts
    l0 = time.perf_counter()
    # Loaded and warmed before the clock starts, as a running worker has it (printed apart): some patterns are
    # compiled on first use, so the first thousand comments are read once here, as the pipeline-only rate does.
    svc.policy.evaluate_many(read_items(work.path)[:1000])
    loaded = time.perf_counter() - l0
    empty = disk_bytes(svc)
    w0, c0 = time.perf_counter(), time.process_time()
    report = svc.ingest_file(work.path, triage=True)  # as ``modq ingest FILE`` does
    tri = svc.triage_pending()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    rows = counts(svc)
    size = disk_bytes(svc) - empty
    stored = rows["comment"]
    wall_rate, cpu_rate = work.lines / wall, work.lines / max(cpu, 1e-9)
    print(
        f"{label:10} {work.lines:,} lines ({report.added:,} new, {report.updated:,} edited, "
        f"{report.unchanged:,} unchanged, {len(report.errors)} rejected); triaged "
        + ", ".join(f"{k} {v:,}" for k, v in sorted((Counter(report.triaged) + Counter(tri.by_state)).items()))
    )
    print(
        f"{label:10} ingest + triage {wall_rate:10,.0f} lines/s wall ({wall:.1f} s), {cpu_rate:10,.0f} lines/CPU-s "
        f"(this process); target {target:,}/s: {'met' if wall_rate >= target else 'NOT met'}"
    )
    single, batched = pipelines
    ratio = wall_rate / batched
    print(
        f"{label:10} pipeline only   {batched:10,.0f} comments/CPU-s in batches of 1,000 ({single:,.0f} one at a "
        f"time); ratio {ratio:.3f} to the batched rate (target {TARGET_RATIO}: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}), {wall_rate / single:.3f} to the single rate"
    )
    print(f"{label:10} policy load and warm-up {loaded:.1f} s before the clock (a one-off `modq ingest` adds it once)")
    print(
        f"{label:10} disk {size / stored:,.0f} bytes per stored comment ({size / 1e6:,.1f} MB for {stored:,}; "
        f"{size / stored * 1e6 / 1e9:,.2f} GB per million)"
    )
    print(f"{label:10} rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    w1 = time.perf_counter()
    again = svc.ingest_file(work.path, triage=True)
    tri2 = svc.triage_pending()
    wall2 = time.perf_counter() - w1
    same = counts(svc) == rows and again.added == 0 and again.updated == 0 and tri2.triaged == 0
    print(
        f"{label:10} second ingest of the same file: {work.lines / wall2:,.0f} lines/s; "
        f"{'nothing changed' if same else 'ROWS CHANGED: ' + json.dumps(counts(svc))}"
    )
    check = svc.ledger_verify()
    print(f"{label:10} ledger verify: {'ok' if check.ok else 'FAILED: ' + check.problem} ({check.count:,} events)")
    svc.engine.dispose()
    svc.read_engine.dispose()
    return {"wall_rate": wall_rate, "cpu_rate": cpu_rate, "bytes": size / stored, "ok": same and check.ok}


def fresh_pg(url: str) -> tuple[str, Any]:
    """A new empty database on the server at ``url``; returns its URL and a function that drops it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"modq_bench_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--comments", type=int, default=50_000, help="lines in the workload (1,000,000 for the issue)")
    ap.add_argument("--pg-url", default=os.environ.get("MODQ_TEST_PG_URL", ""), help="also run on this PostgreSQL")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the workload and the SQLite database in bench/out/")
    args = ap.parse_args(argv)
    where = OUT if args.keep else Path(tempfile.mkdtemp(prefix="modq-bench-ingest-"))
    where.mkdir(parents=True, exist_ok=True)
    work = generate(where / f"workload-{args.comments}.jsonl", args.comments, args.seed)
    print(
        f"workload: {work.lines:,} lines, {work.distinct:,} distinct comments, {work.edits:,} edits, "
        f"{work.repeats:,} re-delivered ({work.path.stat().st_size / 1e6:.1f} MB)"
    )
    pipelines = pipeline_rates(work.path)
    ok = True
    db = where / f"ingest-{args.comments}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    ok &= run_one("SQLite", f"sqlite:///{db}", work, pipelines, TARGET_SQLITE)["ok"]
    if args.pg_url:
        url, drop = fresh_pg(args.pg_url)
        try:
            ok &= run_one("PostgreSQL", url, work, pipelines, TARGET_PG)["ok"]
        finally:
            drop()
    if not args.keep:
        for p in where.iterdir():
            p.unlink()
        where.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
