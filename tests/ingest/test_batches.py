"""Batched ingest and triage write exactly what the one-comment-at-a-time path writes, and stay idempotent."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from moderation.store.tables import Comment

from .workload import row_counts, write_workload


def _story(svc: Any) -> dict[str, Any]:
    """Everything triage decided about each comment, keyed by the platform's id (database ids aside)."""
    with svc.engine.connect() as conn:
        comments = {cid: ext for cid, ext in conn.exec_driver_sql("SELECT id, external_id FROM comment").all()}
        out: dict[str, Any] = {}
        for row in conn.exec_driver_sql(
            "SELECT id, state, priority, severity, clauses, shadow, intended_hidden, version, text_version, text "
            "FROM comment"
        ).all():
            state, priority, severity, clauses, shadow, hidden, version, text_version, text = row[1:]
            out[comments[row[0]]] = {
                "comment": (state, priority, severity, clauses, bool(shadow), bool(hidden), version, text_version, text)
            }
        for cid, actor, action, frm, to, fh, th, clauses, rules, note in conn.exec_driver_sql(
            "SELECT comment_id, actor, action, from_state, to_state, from_hidden, to_hidden, clauses, rules, note "
            "FROM decision ORDER BY id"
        ).all():
            out[comments[cid]].setdefault("decisions", []).append(
                (actor, action, frm, to, bool(fh), bool(th), clauses, rules, note)
            )
        for cid, route, status, clause, notes in conn.exec_driver_sql(
            "SELECT comment_id, route, status, clause, notes FROM escalation ORDER BY id"
        ).all():
            out[comments[cid]].setdefault("escalations", []).append((route, status, clause, notes))
        for cid, action, status in conn.exec_driver_sql(
            "SELECT comment_id, action, status FROM outbox ORDER BY id"
        ).all():
            out[comments[cid]].setdefault("outbox", []).append((action, status))
        for cid, rule, version, start, end, mode in conn.exec_driver_sql(
            'SELECT comment_id, rule_id, text_version, start, "end", mode FROM finding ORDER BY id'
        ).all():
            out[comments[cid]].setdefault("findings", []).append((rule, version, start, end, mode))
        for cid, kind, payload in conn.exec_driver_sql(
            "SELECT comment_id, kind, payload FROM ledger_event WHERE comment_id IS NOT NULL ORDER BY seq"
        ).all():
            body = json.loads(payload)
            for key in ("decision", "outbox"):
                body.pop(key, None)  # database ids
            plain = {k: v for k, v in body.items() if not (isinstance(v, dict) and "$seal" in v)}
            out[comments[cid]].setdefault("ledger", []).append((kind, sorted(plain.items(), key=str)))
    return out


def _one_at_a_time(svc: Any) -> None:
    """The reference: every comment triaged by itself through the applier (``apply_event``)."""
    while True:
        with svc.tx() as session:
            row = session.exec(select(Comment).where(Comment.state == "new").order_by(Comment.id)).first()  # type: ignore[arg-type]
            if row is None:
                return
            svc.parts.triage._triage_one(session, row, svc.parts.triage._context(session), False)


def _with_order(svc: Any, clock: Any) -> None:
    svc.add_order(
        "DPP v H.C.", "County Court of Victoria", ["Helen Carraway"], clock.value - timedelta(days=1), actor="alice"
    )


def test_batched_triage_writes_what_one_at_a_time_writes(
    make_svc: Any, clock: Any, tmp_path: Path, database_url: str
) -> None:
    """Same workload, same orders: batches of 250 (three full and one part) against the applier one comment at a
    time."""
    work = write_workload(tmp_path / "w.jsonl", 800, seed=3)
    batched = make_svc()
    batched.ensure_first_admin("alice")
    _with_order(batched, clock)
    batched.ingest_file(work)
    report = batched.triage_pending(batch=250)
    story = _story(batched)

    # The reference runs on SQLite whatever the backend: what is decided does not depend on the database.
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    reference = make_service(Settings(), database_url=f"sqlite:///{tmp_path / 'ref.db'}", clock=clock)
    reference.ensure_first_admin("alice")
    _with_order(reference, clock)
    reference.ingest_file(work)
    _one_at_a_time(reference)
    expected = _story(reference)
    assert Counter(v["comment"][0] for v in story.values()) == Counter(report.by_state)
    assert report.by_state.get("escalated", 0) > 0 and report.by_state.get("auto_hidden", 0) > 0
    assert story == expected


def test_in_batch_edits_and_repeats_count_as_sequential(make_svc: Any, tmp_path: Path) -> None:
    """A batch holding a comment, its re-delivery and its edit stores two versions and counts each line once."""
    svc = make_svc()
    base = {
        "platform": "facebook",
        "account": "1000000001",
        "post": {"id": "p1", "text": "A post"},
        "id": "c1",
        "author": {"id": "a1", "name": "Ann"},
        "text": "first words here",
        "created_at": "2026-11-20T10:00:00+11:00",
    }
    lines = [base, base, {**base, "text": "second words here"}, {**base, "id": "c2"}]
    path = tmp_path / "f.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    report = svc.ingest_file(path, triage=True)
    assert (report.added, report.updated, report.unchanged) == (2, 1, 1)
    assert sum(report.triaged.values()) == 2
    counts = row_counts(svc.engine)
    # c2 was never edited: its text is stored once, in the comment; c1's edit keeps both its texts.
    assert counts["comment"] == 2 and counts["comment_version"] == 2
    ids = {ext: cid for cid, ext in svc.engine.connect().exec_driver_sql("SELECT id, external_id FROM comment")}
    assert [(v["version"], v["text"]) for v in svc.detail(ids["c1"], context=False).versions] == [
        (1, "first words here"),
        (2, "second words here"),
    ]
    assert [(v["version"], v["text"]) for v in svc.detail(ids["c2"], context=False).versions] == [
        (1, "first words here")
    ]
    again = svc.ingest_file(path, triage=True)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert row_counts(svc.engine) == counts
    assert svc.ledger_verify().ok


def test_second_ingest_of_the_same_file_changes_nothing(make_svc: Any, tmp_path: Path) -> None:
    work = write_workload(tmp_path / "w.jsonl", 1500, seed=5)
    svc = make_svc()
    first = svc.ingest_file(work, triage=True)
    assert first.updated > 0 and first.unchanged > 0  # the workload has edits and re-deliveries
    counts = row_counts(svc.engine)
    again = svc.ingest_file(work, triage=True, batch=333)
    assert again.added == 0 and again.updated == 0 and not again.triaged
    assert svc.triage_pending().triaged == 0
    assert row_counts(svc.engine) == counts
    check = svc.ledger_verify()
    assert check.ok and check.count == counts["ledger_event"]


def test_malformed_lines_are_reported_by_number_and_the_rest_kept(make_svc: Any, tmp_path: Path) -> None:
    good = {
        "platform": "x",
        "account": "15",
        "post": {"id": "p"},
        "id": "",
        "text": "hello there",
        "created_at": "2026-11-20T10:00:00Z",
    }
    lines = []
    for i in range(2500):
        if i % 997 == 5:
            lines.append("{not json")
        elif i % 1009 == 7:
            lines.append(json.dumps({**good, "id": f"m{i}", "created_at": "yesterday"}))
        else:
            lines.append(json.dumps({**good, "id": f"m{i}"}))
    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(lines) + "\n")
    svc = make_svc()
    report = svc.ingest_file(path, triage=True)
    bad = [i + 1 for i in range(2500) if i % 997 == 5 or i % 1009 == 7]
    assert [int(e.split(":")[0].removeprefix("line ")) for e in report.errors] == bad
    assert report.added == 2500 - len(bad) == row_counts(svc.engine)["comment"]
    assert sum(report.triaged.values()) == report.added


def test_a_timestamp_is_shared_within_a_batch_but_the_chain_is_per_event(make_svc: Any, tmp_path: Path) -> None:
    """Every event of a batch is chained in order: sequence numbers are consecutive and verify walks them."""
    work = write_workload(tmp_path / "w.jsonl", 300, seed=9)
    svc = make_svc()
    svc.ingest_file(work, triage=True, batch=100)
    with svc.engine.connect() as conn:
        seqs = [r[0] for r in conn.exec_driver_sql("SELECT seq FROM ledger_event ORDER BY seq").all()]
        head = conn.exec_driver_sql("SELECT seq FROM ledger_head").scalar_one()
    assert seqs == list(range(1, len(seqs) + 1)) and head == len(seqs)
    assert svc.ledger_verify().ok
    assert isinstance(svc.now(), datetime)
