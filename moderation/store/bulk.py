"""Bulk writes: ids for many new rows at once, and batch inserts and updates without per-row overhead.

Why: an insert that returns the new ids in order runs one row at a time on SQLite; taking the ids first lets a
thousand rows go in one statement (a ``COPY`` on PostgreSQL). SQLAlchemy's per-row parameter handling costs more
than the database's own work for a batch of small rows, so the batch statements are built once here and each
value is converted with its column's own bind processor (what is stored is exactly what the ORM would store).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Connection, Table, text


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


def _converters(conn: Connection, table: Table, names: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    dialect = conn.dialect
    out: list[Callable[[Any], Any] | None] = []
    for name in names:
        kind = table.c[name].type
        # Both drivers take Python's booleans as they are (SQLite stores 1 and 0, as the ORM's conversion does).
        out.append(None if isinstance(kind, Boolean) else kind.dialect_impl(dialect).bind_processor(dialect))
    return out


def _marker(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _rows(rows: Sequence[Sequence[Any]], convert: list[Callable[[Any], Any] | None]) -> list[tuple[Any, ...]]:
    if all(c is None for c in convert):
        return [tuple(r) for r in rows]
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, c in enumerate(convert):
        if c is not None:
            # A batch repeats values (the batch's time, above all): each distinct one is converted once.
            done = {v: c(v) for v in set(columns[i]) if v is not None}
            columns[i] = [None if v is None else done[v] for v in columns[i]]
    return list(zip(*columns, strict=True))


def insert_rows(conn: Connection, table: Table, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in the order of ``names``) into ``table``: one ``executemany`` on SQLite, one
    ``COPY`` on PostgreSQL (a batch in one stream instead of a statement per row)."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    values = _rows(rows, _converters(conn, table, names))
    columns = ", ".join(quote(n) for n in names)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.cursor()
        try:
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    marks = ", ".join(_marker(conn) for _ in names)
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", values)


def insert_dicts(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``insert_rows`` for rows given as dicts with the same keys."""
    if not rows:
        return
    names = list(rows[0])
    insert_rows(conn, table, names, [[r[n] for n in names] for r in rows])


def update_rows(
    conn: Connection, table: Table, names: Sequence[str], where: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """``UPDATE table SET names... WHERE where... (all equal)`` once per row (values: ``names`` then ``where``)
    with one ``executemany``; returns the rows changed in all (-1 when the driver cannot say)."""
    if not rows:
        return 0
    quote = conn.dialect.identifier_preparer.quote
    mark = _marker(conn)
    sql = (
        f"UPDATE {quote(table.name)} SET {', '.join(f'{quote(n)} = {mark}' for n in names)} "
        f"WHERE {' AND '.join(f'{quote(n)} = {mark}' for n in where)}"
    )
    result = conn.exec_driver_sql(sql, _rows(rows, _converters(conn, table, [*names, *where])))
    return int(result.rowcount)
