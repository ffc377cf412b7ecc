"""What every group of figures shares: the context of a run (period, hours, clock, scan choices) and small
SQL pieces."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlmodel import Session

from ..period import Hours, Period
from ..sql import Sql

SAMPLE_ABOVE = 100_000


@dataclass(frozen=True)
class Ctx:
    sql: Sql
    period: Period
    hours: Hours
    now: datetime
    scan_comments: bool = False
    scan_decisions: bool = False


def in_period(column: Any, period: Period) -> Any:
    return and_(column >= period.start, column < period.end)


def _when(cond: Any, value: Any) -> Any:
    return case((cond, value), else_=None)


def _n(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _scan_col(table: str, column: Any, scan: bool) -> Any:
    """``+table.column`` on SQLite stops the planner using the column's index (read the table in order)."""
    if not scan:
        return column
    return literal_column(f"+{table}.{column.key}", type_=column.type)


def covers_most(session: Session, column: Any, period: Period, share: float = 0.3) -> bool:
    """Whether the period spans more than ``share`` of the time range the (indexed) column holds."""
    # Two queries: SQLite answers a lone min() or max() of an indexed column from the index's ends.
    lo = session.execute(select(func.min(column))).scalar()
    hi = session.execute(select(func.max(column))).scalar()
    if lo is None or hi is None:
        return False
    lo, hi = (v if v.tzinfo else v.replace(tzinfo=UTC) for v in (lo, hi))
    span = max((hi - lo).total_seconds(), 1.0)
    covered = (min(hi, period.end) - max(lo, period.start)).total_seconds()
    return covered / span > share
