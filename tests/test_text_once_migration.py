"""Migration 0015 keeps each text once: a comment never edited loses only the copy of its text in
``comment_version``; an edited comment keeps every version; going back restores the copies exactly."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from moderation.store.db import make_engine
from moderation.store.migrate import alembic_config, upgrade

FETCHED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
EDITED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def empty_url(database_url: str) -> Iterator[str]:
    """An empty database (the PostgreSQL test databases are copies of an already migrated template)."""
    if not database_url.startswith("postgresql"):
        yield database_url
        return
    import psycopg

    admin = os.environ["MODQ_TEST_PG_URL"]
    name = f"m_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _comment(conn: Any, cid: int, body: str, text_version: int) -> None:
    conn.execute(
        text(
            "INSERT INTO comment (id, platform, external_id, account_id, post_id, author_id, author_handle, "
            "author_name, text, text_version, text_key, created_at, fetched_at, last_seen_at, url, platform_deleted, "
            "own_conversation, intended_hidden, state, priority, clauses, shadow, version, updated_at) VALUES "
            "(:id, 'facebook', :ext, 1, 1, 'a1', 'ann', 'Ann', :text, :tv, '', :at, :at, :at, '', false, true, "
            "false, 'queued', 0, '', false, 1, :at)"
        ),
        {"id": cid, "ext": f"c{cid}", "text": body, "tv": text_version, "at": FETCHED},
    )


def _versions(conn: Any) -> list[tuple[int, int, str, str]]:
    rows = conn.execute(text("SELECT comment_id, version, text, seen_at FROM comment_version ORDER BY 1, 2")).all()
    return [(int(c), int(v), str(t), str(s)[:19]) for c, v, t, s in rows]


def test_only_copies_of_unedited_texts_go_and_come_back(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0014")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account (id, platform, external_id, name, settings, poll_seconds, enabled, created_at) "
                "VALUES (1, 'facebook', '1000000001', 'Page', '{}', 300, true, :at)"
            ),
            {"at": FETCHED},
        )
        conn.execute(text("INSERT INTO post (id, account_id, external_id, text, url) VALUES (1, 1, 'p1', '', '')"))
        _comment(conn, 1, "never edited", 1)
        _comment(conn, 2, "edited words", 2)
        _comment(conn, 3, "a text unlike its stored version", 1)  # not a copy: kept
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
