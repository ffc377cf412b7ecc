"""Migration 0018 shortens the stored repeat keys to what ``text_key`` now makes, so a repeat of a comment stored
before the upgrade is still found; an empty key (a text too short to compare) stays empty."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import text

from moderation.services.base import text_key
from moderation.store.db import make_engine
from moderation.store.migrate import upgrade

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TEXTS = {1: "Stop the Bellmore bypass now, sign the petition!", 2: "ok thanks"}


# The keys as revisions before 0018 stored them: the whole SHA-1 of the text folded to letters and digits.
OLD_KEYS = {1: hashlib.sha1(b"stopthebellmorebypassnowsignthepetition").hexdigest(), 2: ""}


def test_stored_keys_become_the_keys_new_comments_get(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0017")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, platform, external_id, name, settings, poll_seconds, enabled, created_at) "
                "VALUES (1, 'facebook', '1000000001', 'Page', '{}', 300, true, :at)"
            ),
            {"at": AT},
        )
        for cid, body in TEXTS.items():
            conn.execute(
                text(
                    "INSERT INTO comment (id, platform, external_id, account_id, author_id, author_handle, "
                    "author_name, text, text_version, text_key, created_at, fetched_at, last_seen_at, url, "
                    "platform_deleted, own_conversation, intended_hidden, state, priority, clauses, shadow, version, "
                    "updated_at) VALUES (:id, 'facebook', :ext, 1, 'a1', 'ann', 'Ann', :t, 1, :k, :at, :at, :at, '', "
                    "false, true, false, 'queued', 0, '', false, 1, :at)"
                ),
                {"id": cid, "ext": f"c{cid}", "t": body, "k": OLD_KEYS[cid], "at": AT},
            )
    upgrade(engine)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, text_key FROM comment")).all())
    assert len(stored[1]) == 16 and stored[1] == text_key(TEXTS[1])
    assert stored[2] == "" == text_key(TEXTS[2])
    engine.dispose()
