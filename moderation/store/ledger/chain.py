"""The hash-chained ledger: the engine's public record of every state change.

``append`` runs inside the caller's transaction, so an event exists if and only if the change it
records was committed. Sensitive values never enter the chain: ``seal`` replaces each by a salted
commitment and the value is kept beside the chain in ``ledger_field``, from where a redaction can remove it.
``verify`` walks the chain, checks every value still kept against its commitment and every removed one
against its redaction event, and names the first event that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, text, update
from sqlmodel import Session, col, select

from moderation.store.bulk import insert_rows
from moderation.store.tables import LedgerEvent, LedgerField, LedgerHead, Setting

from . import seal as sealing

GENESIS = "0" * 64
_EVENTS = LedgerEvent.__table__  # type: ignore[attr-defined]
_EVENT_COLUMNS = ("seq", "at", "kind", "comment_id", "actor", "payload", "hash")
_FIELDS = LedgerField.__table__  # type: ignore[attr-defined]
_FIELD_COLUMNS = ("seq", "field", "kind", "value", "salt", "withheld")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical(seq: int, at: str, kind: str, comment_id: int | None, actor: str, payload: str) -> str:
    return _CANONICAL.encode(
        {"seq": seq, "at": at, "kind": kind, "comment_id": comment_id, "actor": actor, "payload": payload}
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + content).encode("utf-8")).hexdigest()


def alias_key(session: Session) -> str:
    """The deployment's key for pseudonyms (made on first use; never exported)."""
    return connection_key(session.connection())


def connection_key(conn: Connection) -> str:
    row = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": sealing.KEY_SETTING}).first()
    if row is not None:
        return str(row[0])
    key = sealing.new_key()
    conn.execute(insert(Setting).values(key=sealing.KEY_SETTING, value=key, updated_at=datetime.now(UTC)))
    return key


@dataclass(frozen=True)
class Appended:
    seq: int
    withheld: list[str]


def append(
    session: Session,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
    comment_id: int | None = None,
) -> int:
    """Append one event in the caller's transaction and return its sequence number."""
    return append_event(session, kind, actor, at, payload, comment_id).seq


def append_event(
    session: Session,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
    comment_id: int | None = None,
    screen: sealing.Screen | None = None,
) -> Appended:
    """Append one event in the caller's transaction; say which free-text fields were withheld by ``screen``."""
    return append_on(session.connection(), kind, actor, at, payload, comment_id, screen)


def append_on(
    conn: Connection,
    kind: str,
    actor: str,
    at: datetime,
    payload: dict[str, Any],
    comment_id: int | None = None,
    screen: sealing.Screen | None = None,
) -> Appended:
    """``append_event`` on a bare connection (the schema migration uses it)."""
    # Lock the head row first: on PostgreSQL concurrent appends queue up behind this lock instead of
    # forking the chain; on SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    head = conn.execute(text(f"SELECT seq, hash FROM ledger_head WHERE id = 1{lock}")).first()
    if head is None:
        conn.execute(insert(LedgerHead).values(id=1, seq=0, hash=GENESIS))
        prev_seq, prev_hash = 0, GENESIS
    else:
        prev_seq, prev_hash = int(head[0]), str(head[1])
    sealed = sealing.seal(kind, actor, payload, connection_key(conn), screen)
    seq = prev_seq + 1
    at_s = at.isoformat(timespec="microseconds")
    body = sealing.dumps(sealed.payload)
    digest = chain_hash(prev_hash, canonical(seq, at_s, kind, comment_id, sealed.actor, body))
    conn.execute(
        insert(LedgerEvent).values(
            seq=seq,
            at=at_s,
            kind=kind,
            comment_id=comment_id,
            actor=sealed.actor,
            payload=body,
            hash=bytes.fromhex(digest),
        )
    )
    if sealed.fields:
        conn.execute(
            insert(LedgerField),
            [
                {"seq": seq, "field": f.field, "kind": f.kind, "value": f.value, "salt": f.salt, "withheld": f.withheld}
                for f in sealed.fields
            ],
        )
    conn.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=seq, hash=digest))  # type: ignore[arg-type]
    return Appended(seq, sealed.withheld)


@dataclass(frozen=True)
class Pending:
    """One event to append with ``append_many``."""

    kind: str
    actor: str
    payload: dict[str, Any]
    comment_id: int | None = None


def append_many(
    conn: Connection, at: datetime, events: list[Pending], screen: sealing.Screen | None = None
) -> list[Appended]:
    """Append ``events`` in order, in the caller's transaction, as ``append_on`` would one after another.

    The head row is locked and read once, each event is sealed and chained onto the one before it, and the
    events, their sealed values and the new head are written with one statement each. The chain is the same
    as appending them singly: ``verify`` cannot tell the difference.
    """
    if not events:
        return []
    lock = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    head = conn.execute(text(f"SELECT seq, hash FROM ledger_head WHERE id = 1{lock}")).first()
    if head is None:
        conn.execute(insert(LedgerHead).values(id=1, seq=0, hash=GENESIS))
        seq, prev_hash = 0, GENESIS
    else:
        seq, prev_hash = int(head[0]), str(head[1])
    key = connection_key(conn)
    at_s = at.isoformat(timespec="microseconds")
    rows: list[tuple[Any, ...]] = []
    field_rows: list[tuple[Any, ...]] = []
    done: list[Appended] = []
    aliases: dict[tuple[str, str], str] = {}
    salts = sealing.salt_stream()
    dumps, seal = sealing.dumps, sealing.seal
    for ev in events:
        sealed = seal(ev.kind, ev.actor, ev.payload, key, screen, aliases, salts)
        seq += 1
        body = dumps(sealed.payload)
        digest = chain_hash(prev_hash, canonical(seq, at_s, ev.kind, ev.comment_id, sealed.actor, body))
        rows.append((seq, at_s, ev.kind, ev.comment_id, sealed.actor, body, bytes.fromhex(digest)))
        for f in sealed.fields:
            field_rows.append((seq, f.field, f.kind, f.value, f.salt, f.withheld))
        prev_hash = digest
        done.append(Appended(seq, sealed.withheld))
    insert_rows(conn, _EVENTS, _EVENT_COLUMNS, rows)
    insert_rows(conn, _FIELDS, _FIELD_COLUMNS, field_rows)
    conn.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=seq, hash=prev_hash))  # type: ignore[arg-type]
    return done


REDACTED = "field_redacted"


@dataclass(frozen=True)
class Redaction:
    """A field removed from an event by a lawful redaction (event ``by``)."""

    seq: int
    field: str
    by: int
    at: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    bad_seq: int | None = None
    problem: str = ""
    redacted: tuple[Redaction, ...] = ()
    withheld: int = 0


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    prev = GENESIS
    expected = 1
    count = 0
    withheld = 0
    removed: set[tuple[int, str]] = set()
    redactions: dict[tuple[int, str], tuple[int, str]] = {}
    kept_by_seq: dict[int, dict[str, LedgerField]] = {}
    window_end = 0
    # The head first: events appended by a writer while this runs (their head moves first, in the same
    # transaction) lie past it and are left for the next run, so a live system never looks cut short.
    head = _head(session)
    for ev in _iter_events(session, batch):
        if head is not None and ev.seq > head[0]:
            break
        if ev.seq >= window_end:  # the kept values of the next ``batch`` events in one query
            kept_by_seq, window_end = _fields_from(session, ev.seq, batch), ev.seq + batch
        if ev.seq != expected:
            missing = "missing or reordered" if ev.seq > expected else "duplicated or reordered"
            return VerifyResult(False, count, expected, f"event {expected} is {missing} (found {ev.seq} next)")
        digest = chain_hash(prev, canonical(ev.seq, ev.at, ev.kind, ev.comment_id, ev.actor, ev.payload))
        if digest != ev.hash.hex():
            # Either this event's content changed, or the event before it was rewritten with a new hash.
            return VerifyResult(
                False,
                count,
                ev.seq,
                f"event {ev.seq} was altered (its content or the event before it no longer matches)",
            )
        try:
            payload = json.loads(ev.payload)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return VerifyResult(False, count, ev.seq, f"event {ev.seq} has a payload that is not a JSON object")
        if ev.kind == REDACTED:
            redactions[(payload.get("event"), payload.get("field"))] = (ev.seq, ev.at)  # type: ignore[index]
        marks = sealing.markers(payload)
        if marks:
            kept = kept_by_seq.get(ev.seq, {})
            for name, mark in marks.items():
                row = kept.get(name)
                if row is None:
                    return VerifyResult(
                        False, count, ev.seq, f"event {ev.seq}: the sealed value of '{name}' is gone without a trace"
                    )
                if row.value is None:
                    removed.add((ev.seq, name))
                elif row.salt is None or sealing.commitment(row.salt, name, row.value) != mark.get(sealing.SEAL):
                    return VerifyResult(
                        False, count, ev.seq, f"event {ev.seq}: the kept value of '{name}' no longer matches its seal"
                    )
                withheld += bool(row.withheld)
        prev = digest
        expected += 1
        count += 1
    if head is not None and (head[0] != count or head[1] != prev):
        return VerifyResult(
            False,
            count,
            count + 1 if head[0] > count else head[0],
            f"the ledger ends at event {count} but its head records event {head[0]}: events were deleted from the end",
        )
    # An event past the head now was written around the chain. Read in this order (the last event, then the head),
    # an honest append's head is always seen with it.
    last = session.execute(text("SELECT max(seq) FROM ledger_event")).scalar()
    now = _head(session)
    if last is not None and now is not None and last > now[0]:
        return VerifyResult(
            False, count, now[0] + 1, f"event {now[0] + 1} lies past the ledger's head: it was added around the chain"
        )
    for seq, name in sorted(removed):
        if (seq, name) not in redactions:
            return VerifyResult(
                False, count, seq, f"event {seq}: the value of '{name}' was removed without a redaction event"
            )
    for (seq, name), (by, _at) in sorted(redactions.items(), key=lambda kv: kv[1]):
        if (seq, name) not in removed:
            return VerifyResult(
                False, count, by, f"event {by} redacted '{name}' of event {seq}, but that value is still kept"
            )
    done = tuple(Redaction(seq, name, by, at) for (seq, name), (by, at) in sorted(redactions.items()))
    return VerifyResult(True, count, redacted=done, withheld=withheld)


def _fields_from(session: Session, first: int, n: int) -> dict[int, dict[str, LedgerField]]:
    out: dict[int, dict[str, LedgerField]] = {}
    rows = session.exec(
        select(LedgerField).where(col(LedgerField.seq) >= first, col(LedgerField.seq) < first + n)
    ).all()
    for row in rows:
        out.setdefault(row.seq, {})[row.field] = row
    return out


def fields_for(session: Session, seqs: list[int]) -> dict[int, dict[str, LedgerField]]:
    """The kept values of many events at once, by event and field."""
    out: dict[int, dict[str, LedgerField]] = {}
    for i in range(0, len(seqs), 500):
        part = seqs[i : i + 500]
        for row in session.exec(select(LedgerField).where(col(LedgerField.seq).in_(part))).all():
            out.setdefault(row.seq, {})[row.field] = row
    return out


def hashes_of(session: Session, seqs: list[int]) -> dict[int, str]:
    """The chain hashes (hex) of the events ``seqs`` that exist; event 0 is the chain's start."""
    out = {0: GENESIS} if 0 in seqs else {}
    wanted = [s for s in seqs if s > 0]
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        for seq, digest in session.exec(
            select(LedgerEvent.seq, LedgerEvent.hash).where(col(LedgerEvent.seq).in_(part))
        ):
            out[int(seq)] = bytes(digest).hex()
    return out


def _head(session: Session) -> tuple[int, str] | None:
    """The chain's tip as stored now (read afresh, not from the session's cache)."""
    row = session.execute(text("SELECT seq, hash FROM ledger_head WHERE id = 1")).first()
    return None if row is None else (int(row[0]), str(row[1]))


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
            .where(LedgerEvent.seq > last, LedgerEvent.at >= start, LedgerEvent.at < end)
            .order_by(LedgerEvent.seq)  # type: ignore[arg-type]
            .limit(5000)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
