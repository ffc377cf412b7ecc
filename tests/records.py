"""One comment in the interchange format (see README), for tests that ingest a few hand-written comments."""

from __future__ import annotations

import json
from typing import Any


def line(cid: str, text_: str, **extra: object) -> str:
    record = {
        "platform": "facebook",
        "account": "1000000001",
        "post": {
            "id": "1000000001_9",
            "text": "The Kinsale Road closure starts Monday.",
            "url": "https://fb.example/p/9",
        },
        "id": cid,
        "parent_id": None,
        "author": {"id": "u-" + cid, "handle": "h" + cid, "name": "Person " + cid},
        "text": text_,
        "created_at": "2026-11-20T09:30:00+11:00",
        "url": "https://fb.example/c/" + cid,
    }
    record.update(extra)
    return json.dumps(record)


def ledger_payloads(svc: Any, kind: str) -> list[dict[str, Any]]:
    """The payloads of every ledger event of one kind, sealed values opened (as legal's internal form has them)."""
    from sqlmodel import select

    from moderation.store import ledger
    from moderation.store.tables import LedgerEvent

    with svc.read() as s:
        rows = s.exec(select(LedgerEvent).where(LedgerEvent.kind == kind).order_by(LedgerEvent.seq)).all()
        return [e.payload for e in ledger.open_events(s, rows)]
