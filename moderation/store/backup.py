"""Online backup of the embedded database.

SQLite's backup API copies a consistent snapshot page by page while other connections keep reading and writing
(the worker does not need to stop). PostgreSQL has its own tools (``pg_dump``); copying its files is not a backup.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from moderation.domain import ConfigError

from .db import sqlite_path


def backup_sqlite(engine: Engine, dest: Path) -> int:
    """Write a consistent copy of ``engine``'s SQLite database to ``dest``; returns the number of pages copied.

    Raises:
        ConfigError: the database is not a SQLite file (use ``pg_dump`` for PostgreSQL).
    """
    source = sqlite_path(engine.url.render_as_string(hide_password=False))
    if source is None:
        raise ConfigError("modq db backup copies SQLite databases; for PostgreSQL use pg_dump (see README)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    out = sqlite3.connect(dest)
    try:
        src.backup(out, pages=1024)
        pages = int(out.execute("PRAGMA page_count").fetchone()[0])
    finally:
        out.close()
        src.close()
    dest.chmod(0o600)
    return pages
