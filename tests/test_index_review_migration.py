"""Migration 0016 drops the three indexes another index already serves, on an existing database, and keeps the
rows and every other index; going back restores them. docs/architecture.md lists every index that exists."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from old_rows import add_account_and_post, add_comment
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from moderation.store import tables  # noqa: F401
from moderation.store.db import make_engine
from moderation.store.migrate import alembic_config, current, upgrade

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DROPPED = {
    "comment": "ix_comment_created",
    "post": "ix_post_account_id",
    "comment_version": "ix_comment_version_comment_id",
}
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _indexes(engine: Engine) -> dict[str, set[str]]:
    found = inspect(engine)
    return {t: {str(ix["name"]) for ix in found.get_indexes(t)} for t in ("comment", "post", "comment_version")}


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for q in (
                "SELECT id, external_id, text FROM comment ORDER BY id",
                "SELECT id, account_id, external_id FROM post ORDER BY id",
                "SELECT comment_id, version, text FROM comment_version ORDER BY comment_id, version",
            )
            for r in conn.execute(text(q)).all()
        ]


def test_the_redundant_indexes_go_and_come_back(empty_url: str) -> None:
    engine = make_engine(empty_url)
    upgrade(engine, "0015")
    with engine.begin() as conn:
        add_account_and_post(conn, AT)
        add_comment(conn, 1, "edited words", AT, text_version=2)
        for version, body in ((1, "first words"), (2, "edited words")):
            conn.execute(
                text("INSERT INTO comment_version (comment_id, version, text, seen_at) VALUES (1, :v, :t, :at)"),
                {"v": version, "t": body, "at": AT},
            )
    before, rows = _indexes(engine), _rows(engine)
    assert all(name in before[table] for table, name in DROPPED.items())

    upgrade(engine, "0016")
    assert current(engine) == "0016"
    after = _indexes(engine)
    assert after == {table: names - {DROPPED[table]} for table, names in before.items()}
    assert "ix_comment_period" in after["comment"] and "ix_comment_post_id" in after["comment"]
    assert _rows(engine) == rows

    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015")
    assert _indexes(engine) == before
    assert _rows(engine) == rows
    engine.dispose()


def test_every_index_is_listed_in_the_architecture_doc() -> None:
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    section = doc.split("\n## Indexes\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`((?:ix|uq)_\w+)`", section))
    named = {str(ix.name) for table in SQLModel.metadata.tables.values() for ix in table.indexes}
    named |= {
        str(c.name)
        for table in SQLModel.metadata.tables.values()
        for c in table.constraints
        if str(c.name).startswith("uq_")
    }
    assert listed == named
    assert not set(DROPPED.values()) & listed
