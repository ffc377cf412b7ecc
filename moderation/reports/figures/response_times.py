"""Response times: from arrival to the first person's decision and to the first decision of any kind, inside
and outside moderation hours (percentiles exact, or on an even sample over ``SAMPLE_ABOVE`` comments)."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

import math
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from moderation.store.tables import Comment, Decision

from ..period import Hours
from ..sql import Sql
from ..values import CHUNK, Metrics, Timing
from .common import SAMPLE_ABOVE, Ctx, _scan_col, in_period


# ---------------------------------------------------------------- response times
def response(session: Session, ctx: Ctx, m: Metrics) -> None:
    """Arrival = when modq first stored the comment (``fetched_at``); see NOTES['response']."""
    period, sql = ctx.period, ctx.sql
    created = _scan_col("comment", Comment.created_at, ctx.scan_comments)
    arrived = sql.epoch(Comment.fetched_at)
    person = select(arrived, sql.epoch(Comment.first_decided_at) - arrived).where(
        in_period(created, period), col(Comment.first_decided_at).is_not(None)
    )
    every = 1
    if not sql.is_pg:
        n = session.execute(select(func.count()).where(in_period(Comment.created_at, period))).scalar_one()
        every = max(1, math.ceil(int(n) / SAMPLE_ABOVE))
    m.sample_every = every
    sample = [in_period(created, period), Decision.action != "undo"]
    if every > 1:
        sample.append(col(Comment.id) % every == 0)
    first = (
        select(arrived, sql.epoch(func.min(Decision.created_at)) - arrived, arrived - sql.epoch(Comment.created_at))
        .join(Decision, col(Decision.comment_id) == col(Comment.id))
        .where(*sample)
        .group_by(Comment.id, Comment.created_at, Comment.fetched_at)
    )
    if sql.is_pg:
        _pg_percentiles(session, sql, ctx.hours, person, [m.first_person])
        _pg_percentiles(session, sql, ctx.hours, first, [m.first_decision, m.arrival_delay])
        return
    # SQLite has no percentile function: fetch the raw times (julianday, through the Core connection, not the
    # ORM), then work out durations, local time and percentiles with numpy: far cheaper than SQLite doing the
    # arithmetic row by row.
    conn = session.connection()
    jd = func.julianday
    person_t = select(jd(Comment.fetched_at), jd(Comment.first_decided_at)).where(
        in_period(created, period), col(Comment.first_decided_at).is_not(None)
    )
    first_t = (
        select(jd(Comment.fetched_at), jd(func.min(Decision.created_at)), jd(Comment.created_at))
        .join(Decision, col(Decision.comment_id) == col(Comment.id))
        .where(*sample)
        .group_by(Comment.id)
    )
    _np_percentiles(conn.execute(person_t), sql, ctx.hours, [(m.first_person, 1, 0)])
    _np_percentiles(conn.execute(first_t), sql, ctx.hours, [(m.first_decision, 1, 0), (m.arrival_delay, 0, 2)])


def _np_percentiles(
    result: Any, sql: Sql, hours: Hours, targets: list[tuple[dict[str, Timing], int, int]], chunk: int = 0
) -> None:
    """A result of julian-day rows; column 0 is the arrival. Each target is (timings, later column, earlier column).

    Rows are read ``chunk`` at a time and reduced at once to what the percentiles need: per target, the
    duration (8 bytes) and whether the arrival was inside moderation hours (1 byte). No Python object per row
    outlives its chunk, so memory per comment in the period is 9 bytes per target.
    """
    import numpy as np

    starts = np.array([t.timestamp() for t, _off in sql.segments])
    offsets = np.array([off for _t, off in sql.segments], dtype=float)
    width = 1 + max(max(later, earlier) for _t, later, earlier in targets)
    parts: list[tuple[Any, list[Any]]] = []  # (inside flags, [durations per target]) per chunk
    for rows in result.partitions(chunk or CHUNK):
        # Rows as plain tuples: numpy would otherwise probe each Row as a mapping.
        days = np.array(list(map(tuple, rows)), dtype=float).reshape(len(rows), width)
        # Seconds since 1970, rounded to the millisecond julianday keeps (so 12:00:00 is not 11:59:59.999).
        data = np.round((days - 2440587.5) * 86400.0, 3)
        del days, rows
        arrived = data[:, 0]
        local = arrived + offsets[np.clip(np.searchsorted(starts, arrived, side="right") - 1, 0, None)]
        day = np.floor(local / 86400)
        sod = local - day * 86400
        if hours.start_s < hours.end_s:
            inside = (sod >= hours.start_s) & (sod < hours.end_s)
        else:
            inside = (sod >= hours.start_s) | (sod < hours.end_s)
        if len(hours.weekdays) < 7:
            inside &= np.isin((day.astype(np.int64) + 3) % 7, sorted(hours.weekdays))
        parts.append((inside, [data[:, later] - data[:, earlier] for _t, later, earlier in targets]))
    inside = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=bool)
    for i, (target, _later, _earlier) in enumerate(targets):
        values = np.concatenate([p[1][i] for p in parts]) if parts else np.zeros(0)
        known = ~np.isnan(values)
        for name, mask in (("all", known), ("inside", known & inside), ("outside", known & ~inside)):
            chosen = values[mask]
            if chosen.size == 0:
                target[name] = Timing(0, None, None)
                continue
            med, p90 = np.percentile(chosen, [50, 90])  # linear interpolation, as percentile_cont
            target[name] = Timing(int(chosen.size), float(med), float(p90))


def _pg_percentiles(session: Session, sql: Sql, hours: Hours, query: Any, targets: list[dict[str, Timing]]) -> None:
    """PostgreSQL: ``percentile_cont`` per target column, with ROLLUP giving inside, outside and all at once."""
    inner = query.subquery()
    arrived, *durations = inner.c
    flag = _local_flag(sql, hours, arrived)
    flagged = select(flag.label("inside"), *[d.label(f"d{i}") for i, d in enumerate(durations)]).subquery()
    cols: list[Any] = [flagged.c.inside]
    for i in range(len(durations)):
        v = flagged.c[f"d{i}"]
        cols += [func.count(v), func.percentile_cont(0.5).within_group(v), func.percentile_cont(0.9).within_group(v)]
    for row in session.execute(select(*cols).group_by(func.rollup(flagged.c.inside))).all():
        name = "all" if row[0] is None else "inside" if int(row[0]) == 1 else "outside"
        for i, target in enumerate(targets):
            n, med, p90 = row[1 + 3 * i : 4 + 3 * i]
            target[name] = Timing(int(n), None if med is None else float(med), None if p90 is None else float(p90))
    for target in targets:
        for name in ("all", "inside", "outside"):
            target.setdefault(name, Timing(0, None, None))


def _local_flag(sql: Sql, hours: Hours, epoch: Any) -> Any:
    """1 when the epoch seconds fall inside moderation hours (local wall clock), else 0 (SQL)."""
    return sql.inside_hours_epoch(epoch, hours)
