"""The few SQL expressions that differ between SQLite and PostgreSQL, and the local-time arithmetic built on them.

Why not convert times in Python: a monthly report over a million comments must not load a million rows to
find their local day. Each expression here runs inside the database's GROUP BY.

- ``epoch(col)``: seconds since 1970 as a float (SQLite ``julianday``, PostgreSQL ``extract(epoch)``).
- ``inside_hours_epoch(epoch)``: shifts epoch seconds by the zone's UTC offset at that instant (a CASE over the
  offset segments of the period, so daylight saving changes inside the period are exact) and tests the local
  time of day (and weekday) against the moderation hours. PostgreSQL uses it; on SQLite the same test runs in
  Python (numpy) over the fetched values (``figures.response_times._np_percentiles``), which is cheaper there.
- ``floor_int``: SQLite's ``CAST(x AS INTEGER)`` truncates (fine: all values are positive); PostgreSQL's rounds,
  so it needs ``floor`` first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, case, cast, func, literal, not_, or_
from sqlalchemy.sql.elements import ColumnElement

from .period import Hours

DAY_S = 86400
# 1970-01-01 was a Thursday: weekday (Monday = 0) of local day number n is (n + 3) % 7.
EPOCH_WEEKDAY = 3


class Sql:
    def __init__(self, dialect: str, segments: list[tuple[datetime, int]]) -> None:
        self.dialect = dialect
        self.segments = segments

    @property
    def is_pg(self) -> bool:
        return self.dialect == "postgresql"

    def epoch(self, column: Any) -> ColumnElement[Any]:
        if self.is_pg:
            return func.extract("epoch", column)
        # julianday keeps milliseconds; rounding to them undoes the float error, so 12:00:00 is not 11:59:59.999.
        return func.round((func.julianday(column) - 2440587.5) * 86400.0, 3)

    def count_if(self, cond: Any) -> ColumnElement[Any]:
        """Rows where ``cond`` holds: SQLite sums the 0/1 comparison (no CASE per row), PostgreSQL filters."""
        if self.is_pg:
            return func.count().filter(cond)
        return func.sum(cond)

    def floor_int(self, expr: Any) -> ColumnElement[Any]:
        if self.is_pg:
            return cast(func.floor(expr), Integer)
        return cast(expr, Integer)

    def inside_hours_epoch(self, epoch: Any, hours: Hours) -> ColumnElement[Any]:
        """The same test on epoch seconds (the offset segments compared as epoch numbers)."""
        if len(self.segments) == 1:
            offset: Any = literal(self.segments[0][1])
        else:
            whens = [
                (epoch < nxt[0].timestamp(), cur[1]) for cur, nxt in zip(self.segments, self.segments[1:], strict=False)
            ]
            offset = case(*whens, else_=self.segments[-1][1])
        le = epoch + offset
        day = self.floor_int(le / DAY_S)
        sod = le - day * DAY_S
        if hours.start_s < hours.end_s:
            in_time = (sod >= hours.start_s) & (sod < hours.end_s)
        else:
            in_time = or_(sod >= hours.start_s, sod < hours.end_s)
        cond = in_time
        if len(hours.weekdays) < 7:
            weekday = (day + EPOCH_WEEKDAY) % 7
            cond = in_time & weekday.in_(sorted(hours.weekdays))
        return case((cond, 1), else_=0)

    @staticmethod
    def is_person(actor: Any) -> ColumnElement[bool]:
        return not_(or_(actor.like("auto:%"), actor.like("system:%")))
