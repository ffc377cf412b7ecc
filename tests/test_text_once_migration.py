"""Migration 0015 keeps each text once: a comment never edited loses only the copy of its text in
``comment_version``; an edited comment keeps every version; going back restores the copies exactly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic import command
from old_rows import add_account_and_post, add_comment
from sqlalchemy import text

from moderation.store.db import make_engine
from moderation.store.migrate import alembic_config, upgrade

FETCHED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
EDITED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _versions(conn: Any) -> list[tuple[int, int, str, str]]:
    rows = conn.execute(text("SELECT comment_id, version, text, seen_at FROM comment_version ORDER BY 1, 2")).all()
    return [(int(c), int(v), str(t), str(s)[:19]) for c, v, t, s in rows]


def test_only_copies_of_unedited_texts_go_and_come_back(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0014")
    with engine.begin() as conn:
        add_account_and_post(conn, FETCHED)
        add_comment(conn, 1, "never edited", FETCHED, text_version=1)
        add_comment(conn, 2, "edited words", FETCHED, text_version=2)
        add_comment(conn, 3, "a text unlike its stored version", FETCHED, text_version=1)  # not a copy: kept
        rows = [
            (1, 1, "never edited", FETCHED),
            (2, 1, "first words", FETCHED),
            (2, 2, "edited words", EDITED),
            (3, 1, "another text", FETCHED),
        ]
        for cid, version, body, seen in rows:
            conn.execute(
                text("INSERT INTO comment_version (comment_id, version, text, seen_at) VALUES (:c, :v, :t, :s)"),
                {"c": cid, "v": version, "t": body, "s": seen},
            )
        before = _versions(conn)
    upgrade(engine, "0015")
    with engine.connect() as conn:
        after = _versions(conn)
    assert after == [r for r in before if r[0] != 1]

    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0014")
    with engine.connect() as conn:
        assert _versions(conn) == before
    upgrade(engine, "0015")

    from moderation.bootstrap import make_service
    from moderation.config import Settings

    svc = make_service(Settings(), database_url=empty_url)  # on to the latest revision
    assert [(v["version"], v["text"]) for v in svc.detail(1, context=False).versions] == [(1, "never edited")]
    assert svc.detail(1, context=False).versions[0]["seen_at"] == FETCHED
    assert [(v["version"], v["text"]) for v in svc.detail(2, context=False).versions] == [
        (1, "first words"),
        (2, "edited words"),
    ]
    svc.engine.dispose()
    engine.dispose()
