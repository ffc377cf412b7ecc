"""One worker per SQLite database: a ``flock`` beside the file (PostgreSQL: an advisory lock), held for the
worker's lifetime and released by the kernel or the server if the process dies."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine


class WorkerLock:
    """Held for the worker's lifetime; released by the kernel or the server if the process dies."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._fd: int | None = None
        self._conn: Any = None

    def acquire(self) -> bool:
        from moderation.store.db import sqlite_path

        path = sqlite_path(str(self.engine.url.render_as_string(hide_password=False)))
        if self.engine.url.get_backend_name() == "sqlite":
            import fcntl

            lock_path = f"{path}.worker.lock" if path else None
            if lock_path is None:
                return True  # an in-memory database has one process by definition
            fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                return False
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            self._fd = fd
            return True
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": 0x6D6F6471}).scalar()
        conn.commit()
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": 0x6D6F6471})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None


class WorkerBusy(RuntimeError):
    pass


def shared_database(engine: Engine) -> bool:
    """PostgreSQL: any number of workers share the database (leases); SQLite: one worker (a file lock)."""
    return engine.url.get_backend_name() == "postgresql"
