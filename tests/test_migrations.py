"""The Alembic migrations build exactly the schema the tables describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from moderation.store import tables  # noqa: F401
from moderation.store.db import make_engine
from moderation.store.migrate import current, upgrade


def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    assert current(engine) is not None
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # APScheduler keeps its own job table; everything else must match.
    diff = [d for d in diff if "apscheduler" not in repr(d)]
    assert diff == []
