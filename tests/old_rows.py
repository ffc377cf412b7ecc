"""Rows written with plain SQL in the form an older revision stored them, for the migration tests.

Each migration test takes an empty database to the revision before the one it tests, writes rows as the engine
wrote them then (the current tables may differ), upgrades, and checks what became of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text


def add_account_and_post(conn: Any, at: datetime) -> None:
    """Account 1 (a Facebook Page) and its post 1."""
    conn.execute(
        text(
            "INSERT INTO account (id, platform, external_id, name, settings, poll_seconds, enabled, created_at) "
            "VALUES (1, 'facebook', '1000000001', 'Page', '{}', 300, true, :at)"
        ),
        {"at": at},
    )
    conn.execute(text("INSERT INTO post (id, account_id, external_id, text, url) VALUES (1, 1, 'p1', '', '')"))


def add_comment(conn: Any, cid: int, body: str, at: datetime, text_version: int = 1, key: str = "") -> None:
    """Comment ``cid`` on post 1, queued, with the given text, text version and repeat key."""
    conn.execute(
        text(
            "INSERT INTO comment (id, platform, external_id, account_id, post_id, author_id, author_handle, "
            "author_name, text, text_version, text_key, created_at, fetched_at, last_seen_at, url, platform_deleted, "
            "own_conversation, intended_hidden, state, priority, clauses, shadow, version, updated_at) VALUES "
            "(:id, 'facebook', :ext, 1, 1, 'a1', 'ann', 'Ann', :text, :tv, :key, :at, :at, :at, '', false, true, "
            "false, 'queued', 0, '', false, 1, :at)"
        ),
        {"id": cid, "ext": f"c{cid}", "text": body, "tv": text_version, "key": key, "at": at},
    )


def add_hex_event(conn: Any, seq: int, at: str, kind: str, comment_id: int | None, actor: str, body: str,
                  prev: str, digest: str) -> None:  # fmt: skip
    """A ledger event as revisions before 0017 stored it: both hashes in hex."""
    conn.execute(
        text(
            "INSERT INTO ledger_event (seq, at, kind, comment_id, actor, payload, prev_hash, hash) "
            "VALUES (:s, :at, :k, :c, :a, :p, :ph, :h)"
        ),
        {"s": seq, "at": at, "k": kind, "c": comment_id, "a": actor, "p": body, "ph": prev, "h": digest},
    )
