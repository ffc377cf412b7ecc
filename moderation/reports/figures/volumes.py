"""Volume and decisions: what arrived, when (local day and hour), and what was decided, by whom, under which
clause."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlmodel import Session, col

from moderation.domain import State
from moderation.store.tables import Account, Comment, Decision

from ..values import HIDE_ACTIONS, OPEN_STATES, PLATFORMS, Metrics
from .common import Ctx, _scan_col, in_period


# ---------------------------------------------------------------- volume
def volume(session: Session, ctx: Ctx, m: Metrics) -> None:
    period, sql = ctx.period, ctx.sql
    accounts = {a.id: a for a in session.execute(select(Account).order_by(col(Account.id))).scalars()}
    created = _scan_col("comment", Comment.created_at, ctx.scan_comments)
    states = [s.value for s in State]
    n_if = sql.count_if
    cols = [
        func.count(),
        *[n_if(Comment.account_id == a) for a in accounts],
        *[n_if(Comment.state == s) for s in states],
    ]
    total, *sums = session.execute(select(*cols).where(in_period(created, period))).one()
    total = int(total or 0)
    per_account = {a: int(sums[i] or 0) for i, a in enumerate(accounts)}
    by_state = {s: int(sums[len(accounts) + i] or 0) for i, s in enumerate(states)}
    if sum(per_account.values()) != total:  # a comment of an account we did not list: count by GROUP BY
        per_account = {
            a: int(n)
            for a, n in session.execute(
                select(Comment.account_id, func.count()).where(in_period(created, period)).group_by(Comment.account_id)
            )
        }
    if sum(by_state.values()) != total:
        by_state = {
            s: int(n)
            for s, n in session.execute(
                select(Comment.state, func.count()).where(in_period(created, period)).group_by(Comment.state)
            )
        }
    m.received = total
    m.by_state = {s: n for s, n in sorted(by_state.items()) if n}
    m.waiting = sum(by_state.get(s, 0) for s in OPEN_STATES)
    m.by_platform = {p: 0 for p in PLATFORMS}
    m.by_account = []
    for a, n in sorted(per_account.items(), key=lambda kv: -kv[1]):
        account = accounts.get(a)
        platform = account.platform if account else "unknown"
        m.by_platform[platform] = m.by_platform.get(platform, 0) + n
        if n:
            m.by_account.append({"account": account.name if account else str(a), "platform": platform, "comments": n})
    # Days and hours: UTC buckets from the time index alone, placed in local time here. A bucket never straddles
    # a local hour because UTC offsets (and their changes) are multiples of the bucket.
    size = 3600 if all(off % 3600 == 0 for _t, off in sql.segments) else 900
    if sql.is_pg:
        bucket: Any = sql.floor_int(sql.epoch(Comment.created_at) / size)
    elif size == 3600:  # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): the hour is a prefix, exact and cheap
        bucket = func.substr(Comment.created_at, 1, 13)
    else:
        bucket = func.printf(
            "%s%02d",
            func.substr(Comment.created_at, 1, 14),
            cast(func.substr(Comment.created_at, 15, 2), Integer) / 15 * 15,
        )
    inner = select(bucket.label("b")).where(in_period(Comment.created_at, period)).subquery()
    starts = [t.timestamp() for t, _off in sql.segments]
    per_day: dict[date, int] = {d: 0 for d in period.local_days()}
    for b, n in session.execute(select(inner.c.b, func.count()).group_by(inner.c.b)).all():
        at = (
            int(b) * size
            if sql.is_pg
            else datetime.fromisoformat(b.replace("T", " ") + (":00" if size == 3600 else ""))
            .replace(tzinfo=UTC)
            .timestamp()
        )
        offset = sql.segments[max(0, bisect_right(starts, at) - 1)][1]
        t = datetime.fromtimestamp(at + offset, UTC)
        per_day[t.date()] = per_day.get(t.date(), 0) + int(n)
        m.by_hour[t.hour] += int(n)
    m.by_day = [{"day": d.isoformat(), "comments": n} for d, n in sorted(per_day.items())]


# ---------------------------------------------------------------- decisions
def decisions(session: Session, ctx: Ctx, m: Metrics) -> None:
    """One GROUP BY over raw columns (SQLite sorts once); actor types and clause lists are resolved here.

    Policy versions: usually one acted in the whole period, which ``min`` = ``max`` shows without a second sort.
    """
    created = _scan_col("decision", Decision.created_at, ctx.scan_decisions)
    d = Decision
    where = in_period(created, ctx.period)
    by_actor: dict[str, dict[str, int]] = defaultdict(dict)
    clause_rows: dict[tuple[str, str, str], int] = defaultdict(int)
    for actor, action, undone, clauses, n in session.execute(
        select(d.actor, d.action, d.undone, d.clauses, func.count())
        .where(where)
        .group_by(d.actor, d.action, d.undone, d.clauses)
    ).all():
        n = int(n)
        who = "automation" if actor.startswith("auto:") else "system" if actor.startswith("system:") else "people"
        by_actor[who][action] = by_actor[who].get(action, 0) + n
        m.decisions += n
        if undone:
            m.decisions_undone += n
            continue
        if action in HIDE_ACTIONS:
            m.hidden[who] = m.hidden.get(who, 0) + n
        for clause in (c.strip() for c in (clauses or "").split(",")):
            if clause:
                clause_rows[(clause, who, action)] += n
    low, high = session.execute(select(func.min(d.policy_version), func.max(d.policy_version)).where(where)).one()
    if low == high:
        m.policy_versions = {low or "(none)": m.decisions} if m.decisions else {}
    else:
        m.policy_versions = {
            v or "(none)": int(n)
            for v, n in sorted(
                session.execute(select(d.policy_version, func.count()).where(where).group_by(d.policy_version)).all()
            )
        }
    m.by_actor_action = {w: dict(sorted(a.items())) for w, a in sorted(by_actor.items())}
    m.by_clause = [
        {"clause": c, "actor": w, "action": a, "decisions": n}
        for (c, w, a), n in sorted(clause_rows.items(), key=lambda kv: (_clause_key(kv[0][0]), kv[0][1], kv[0][2]))
    ]


def _clause_key(clause: str) -> tuple[Any, ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in clause.replace("-", ".").split("."))
