"""The compact ledger (revision 0017): hashes kept as bytes, the previous hash read from the event before.

A ledger written with hex hashes and a stored previous hash is converted and still verifies with the same hashes;
exports still show each event's hash and the one before it; a rewritten event is still caught, even when the
person who rewrote it also recomputed its hash."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from old_rows import add_hex_event
from sqlalchemy import text

from moderation.store.db import make_engine
from moderation.store.ledger import chain
from moderation.store.migrate import upgrade

PAST, FUTURE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
EVENTS = [
    ("account_added", "system:init", None, {"account": 1, "platform": "facebook"}),
    ("comment_received", "system:ingest", 1, {"external_id": "c1", "platform": "facebook"}),
    ("triaged", "auto:pipeline", 1, {"clauses": [], "rules": []}),
    ("comment_received", "system:ingest", 2, {"external_id": "c2", "platform": "facebook"}),
]


def _write_hex_ledger(engine: Any) -> list[str]:
    """Events as revision 0016 stored them; returns their hashes in hex."""
    prev, hashes = chain.GENESIS, []
    with engine.begin() as conn:
        for seq, (kind, actor, comment_id, payload) in enumerate(EVENTS, start=1):
            at = datetime(2026, 12, 1, 9, seq, tzinfo=UTC).isoformat(timespec="microseconds")
            body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
            digest = chain.chain_hash(prev, chain.canonical(seq, at, kind, comment_id, actor, body))
            add_hex_event(conn, seq, at, kind, comment_id, actor, body, prev, digest)
            prev = digest
            hashes.append(digest)
        conn.execute(text("UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1"), {"s": len(hashes), "h": prev})
    return hashes


def _service(database_url: str) -> Any:
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    return make_service(Settings(), database_url=database_url)


def test_a_hex_ledger_is_compacted_and_keeps_its_hashes(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0016")
    hashes = _write_hex_ledger(engine)
    upgrade(engine)
    svc = _service(empty_url)
    result = svc.ledger_verify()
    assert result.ok and result.count == len(EVENTS), result.problem
    svc.ensure_first_admin("lee")  # appends an event after the converted ones
    assert svc.ledger_verify().ok
    rows = list(svc.ledger_export("public", PAST, FUTURE, "lee"))
    assert [r["hash"] for r in rows[: len(hashes)]] == hashes
    assert [r["prev_hash"] for r in rows] == [chain.GENESIS, *[r["hash"] for r in rows[:-1]]]
    with svc.read() as s:
        stored = s.execute(text("SELECT hash FROM ledger_event WHERE seq = 1")).scalar_one()
    assert bytes(stored) == bytes.fromhex(hashes[0])


def test_an_export_that_starts_mid_chain_names_the_hash_before_it(svc: Any, clock: Any) -> None:
    svc.add_moderator("lee", "legal", "alice")
    clock.advance(days=1)
    start = clock()
    svc.add_moderator("bob", "moderator", "alice")
    every = list(svc.ledger_export("internal", PAST, FUTURE, "lee"))
    later = list(svc.ledger_export("internal", start, FUTURE, "lee"))
    assert len(later) == 1 and later[0]["seq"] == every[-1]["seq"] > 1
    assert later[0]["prev_hash"] == every[-2]["hash"] != ""


def test_a_rewritten_event_is_caught_even_with_its_hash_recomputed(svc: Any) -> None:
    for name in ("bob", "kim", "ray"):
        svc.add_moderator(name, "moderator", "alice")
    assert svc.ledger_verify().ok
    with svc.tx() as s:
        seq, at, kind, cid, actor, payload, prev = s.execute(
            text(
                "SELECT e.seq, e.at, e.kind, e.comment_id, e.actor, e.payload, p.hash FROM ledger_event e "
                "JOIN ledger_event p ON p.seq = e.seq - 1 WHERE e.seq = 3"
            )
        ).one()
        forged = payload.replace("moderator", "admin")
        assert forged != payload
        digest = chain.chain_hash(bytes(prev).hex(), chain.canonical(seq, at, kind, cid, actor, forged))
        s.execute(
            text("UPDATE ledger_event SET payload = :p, hash = :h WHERE seq = 3"),
            {"p": forged, "h": bytes.fromhex(digest)},
        )
    result = svc.ledger_verify()
    assert not result.ok and result.bad_seq == 4 and "altered" in result.problem
