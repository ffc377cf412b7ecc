"""A ledger written before sensitive values were sealed is sealed by the migration, still verifies, loses the
unsalted digest of protected names, can then be redacted, and the record says whether the old chain was intact."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from old_rows import add_hex_event
from sqlalchemy import text

from moderation.store.db import make_engine
from moderation.store.ledger import chain
from moderation.store.migrate import upgrade
from moderation.store.tables import SuppressionOrderRow

PAST, FUTURE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
NAMES = ["Jordan Mills", "J-Mills"]
OLD_DIGEST = hashlib.sha256("\n".join(sorted(NAMES)).encode()).hexdigest()


def _old_events() -> list[tuple[str, str, int | None, dict[str, Any]]]:
    return [
        ("moderator_added", "system:init", None, {"name": "alice", "role": "admin"}),
        ("moderator_added", "alice", None, {"name": "lee", "role": "legal"}),
        (
            "order_added",
            "lee",
            None,
            {"order": 1, "case": "DPP v Mills", "court": "County Court", "terms": 2, "terms_sha256": OLD_DIGEST},
        ),
        (
            "comment_received",
            "system:ingest",
            7,
            {"platform": "facebook", "external_id": "c7", "author_name": "Harriet Quill", "text_sha256": "ab" * 32},
        ),
        ("decided", "lee", 7, {"decision": 1, "action": "hide", "note": "Jordan Mills again", "hidden": True}),
    ]


def _write_old_ledger(engine: Any, tamper: bool = False) -> None:
    """Events as the engine wrote them before: plain payloads hashed into the chain."""
    prev = chain.GENESIS
    with engine.begin() as conn:
        for seq, (kind, actor, comment_id, payload) in enumerate(_old_events(), start=1):
            at = datetime(2026, 11, 20, 9, seq, tzinfo=UTC).isoformat(timespec="microseconds")
            body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            digest = chain.chain_hash(prev, chain.canonical(seq, at, kind, comment_id, actor, body))
            if tamper and seq == 4:
                body = body.replace("Harriet", "Henrietta")
            add_hex_event(conn, seq, at, kind, comment_id, actor, body, prev, digest)
            prev = digest
        conn.execute(text("UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq, "h": prev})


def _service(database_url: str) -> Any:
    from moderation.bootstrap import make_service
    from moderation.config import Settings

    return make_service(Settings(), database_url=database_url)


def test_an_old_ledger_is_sealed_and_still_verifies(empty_url: str) -> None:
    database_url = empty_url
    engine = make_engine(database_url)
    upgrade(engine, "0007")
    _write_old_ledger(engine)
    upgrade(engine)
    svc = _service(database_url)
    result = svc.ledger_verify()
    assert result.ok, result.problem
    assert result.count == 6
    svc.ensure_first_admin("alice")
    svc.add_moderator("lee", "legal", "alice")
    with svc.read() as s:
        stored = json.dumps([list(map(str, r)) for r in s.execute(text("select * from ledger_event")).all()])
        kept = json.dumps([list(map(str, r)) for r in s.execute(text("select * from ledger_field")).all()])
    assert OLD_DIGEST not in stored + kept  # dropped, not sealed
    for name in ("Harriet", "Jordan", "Mills", '"lee"'):
        assert name not in stored, name
    internal = {r["seq"]: r for r in svc.ledger_export("internal", PAST, FUTURE, "lee")}
    assert internal[5]["payload"]["note"] == "Jordan Mills again" and internal[5]["actor"] == "lee"
    assert internal[4]["payload"]["author_name"] == "Harriet Quill"
    resealed = internal[6]
    assert resealed["kind"] == "ledger_resealed"
    assert resealed["payload"]["events"] == 5 and resealed["payload"]["legacy_verified"] is True
    # The order was in the register, so the old note and case title stay out of the public form.
    with svc.tx() as s:
        when = datetime(2026, 11, 1, tzinfo=UTC)
        s.add(
            SuppressionOrderRow(
                case="DPP v Mills",
                court="County Court",
                terms=json.dumps(NAMES),
                starts=when,
                created_by="lee",
                created_at=when,
            )
        )
    public = json.dumps(list(svc.ledger_export("public", PAST, FUTURE, "lee")))
    for name in ("Harriet", "Jordan", "Mills", '"lee"', OLD_DIGEST):
        assert name not in public, name
    # An old event's value can now be lawfully redacted.
    by = svc.redact_ledger(5, "note", "names a protected person", "lee")
    result = svc.ledger_verify()
    assert result.ok and [(r.seq, r.field, r.by) for r in result.redacted] == [(5, "note", by)]


@pytest.mark.backends("sqlite")
def test_the_record_says_when_the_old_chain_was_already_broken(empty_url: str) -> None:
    database_url = empty_url
    engine = make_engine(database_url)
    upgrade(engine, "0007")
    _write_old_ledger(engine, tamper=True)
    upgrade(engine)
    svc = _service(database_url)
    assert svc.ledger_verify().ok
    svc.ensure_first_admin("lee")
    [resealed] = [r for r in svc.ledger_export("internal", PAST, FUTURE, "lee") if r["kind"] == "ledger_resealed"]
    assert resealed["payload"]["legacy_verified"] is False and resealed["payload"]["legacy_first_bad"] == 4
