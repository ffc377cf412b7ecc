"""One comment in the interchange format (see README), for tests that ingest a few hand-written comments."""

from __future__ import annotations

import json


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
