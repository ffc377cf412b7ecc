"""Migration 0018 shortens the stored repeat keys to what ``text_key`` now makes, so a repeat of a comment stored
before the upgrade is still found; an empty key (a text too short to compare) stays empty."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from old_rows import add_account_and_post, add_comment
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
        add_account_and_post(conn, AT)
        for cid, body in TEXTS.items():
            add_comment(conn, cid, body, AT, key=OLD_KEYS[cid])
    upgrade(engine)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, text_key FROM comment")).all())
    assert len(stored[1]) == 16 and stored[1] == text_key(TEXTS[1])
    assert stored[2] == "" == text_key(TEXTS[2])
    engine.dispose()
