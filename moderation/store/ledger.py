"""The hash-chained ledger: the engine's public record of every state change.

``append`` runs inside the caller's transaction, so an event exists if and only if the change it
records was committed. ``verify`` walks the chain and names the first event that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text, update
from sqlmodel import Session, select

from .tables import LedgerEvent, LedgerHead

GENESIS = "0" * 64


def canonical(seq: int, at: str, kind: str, comment_id: int | None, actor: str, payload: str) -> str:
    return json.dumps(
        {"seq": seq, "at": at, "kind": kind, "comment_id": comment_id, "actor": actor, "payload": payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + content).encode("utf-8")).hexdigest()


def append(
    session: Session,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
    comment_id: int | None = None,
) -> int:
    """Append one event in the caller's transaction and return its sequence number."""
    conn = session.connection()
    # Lock the head row first: on PostgreSQL concurrent appends queue up behind this lock instead of
    # forking the chain; on SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    head = conn.execute(text(f"SELECT seq, hash FROM ledger_head WHERE id = 1{lock}")).first()
    if head is None:
        conn.execute(insert(LedgerHead).values(id=1, seq=0, hash=GENESIS))
        prev_seq, prev_hash = 0, GENESIS
    else:
        prev_seq, prev_hash = int(head[0]), str(head[1])
    seq = prev_seq + 1
    at_s = at.isoformat(timespec="microseconds")
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    digest = chain_hash(prev_hash, canonical(seq, at_s, kind, comment_id, actor, body))
    conn.execute(
        insert(LedgerEvent).values(
            seq=seq,
            at=at_s,
            kind=kind,
            comment_id=comment_id,
            actor=actor,
            payload=body,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    conn.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=seq, hash=digest))  # type: ignore[arg-type]
    return seq


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    bad_seq: int | None = None
    problem: str = ""


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    prev = GENESIS
    expected = 1
    count = 0
    for ev in _iter_events(session, batch):
        if ev.seq != expected:
            missing = "missing or reordered" if ev.seq > expected else "duplicated or reordered"
            return VerifyResult(False, count, expected, f"event {expected} is {missing} (found {ev.seq} next)")
        if ev.prev_hash != prev:
            return VerifyResult(False, count, ev.seq, f"event {ev.seq} does not follow event {ev.seq - 1}")
        digest = chain_hash(prev, canonical(ev.seq, ev.at, ev.kind, ev.comment_id, ev.actor, ev.payload))
        if digest != ev.hash:
            return VerifyResult(False, count, ev.seq, f"event {ev.seq} was altered (its content no longer matches)")
        prev = ev.hash
        expected += 1
        count += 1
    head = session.get(LedgerHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return VerifyResult(
            False,
            count,
            count + 1 if head.seq > count else head.seq,
            f"the ledger ends at event {count} but its head records event {head.seq}: events were deleted from the end",
        )
    return VerifyResult(True, count)


def _iter_events(session: Session, batch: int) -> Iterator[LedgerEvent]:
    last = 0
    while True:
        rows = session.exec(
            select(LedgerEvent).where(LedgerEvent.seq > last).order_by(LedgerEvent.seq).limit(batch)  # type: ignore[arg-type]
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def events_between(session: Session, start: str, end: str) -> Iterator[LedgerEvent]:
    """Events whose ISO time is in [start, end), in chain order."""
    last = 0
    while True:
        rows = session.exec(
            select(LedgerEvent)
            .where(LedgerEvent.seq > last, LedgerEvent.at >= start, LedgerEvent.at < end)  # type: ignore[arg-type]
            .order_by(LedgerEvent.seq)  # type: ignore[arg-type]
            .limit(5000)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
