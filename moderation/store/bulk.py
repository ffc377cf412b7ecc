"""Bulk writes: ids for many new rows at once, so a batch is inserted with one plain ``executemany``.

Why: an insert that returns the new ids in order runs one row at a time on SQLite; taking the ids first lets a
thousand rows go in one statement on both databases.
"""

from __future__ import annotations

from sqlalchemy import Connection, text


def reserve_ids(conn: Connection, table: str, n: int) -> list[int]:
    """``n`` unused ids for ``table``'s integer primary key ``id``, in increasing order, in the caller's transaction.

    SQLite: the transaction holds the write lock (``BEGIN IMMEDIATE``), so the ids after the largest stored one are
    free until it commits. PostgreSQL: taken from the column's sequence, so concurrent writers never share one.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"), {"t": table, "n": n}
        )
        return sorted(int(r[0]) for r in rows)
    top = conn.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table}"')).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + n))
