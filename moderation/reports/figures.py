"""The queries behind each group of figures. Each step takes a session, the shared ``Ctx`` and the ``Metrics``
it fills; ``metrics.compute`` runs them (in parallel when it has a session factory).

Speed notes (a year of 1,000,000 comments on SQLite must report in seconds):

- SQLite has no hash aggregation: every GROUP BY sorts its input. Where the groups are a known, small set
  (accounts, states, actions) the steps count with ``sum(CASE ...)`` in one pass instead; GROUP BY is kept
  for open sets (clauses, rules, ledger kinds outside the known ones) over rows already narrowed down.
- Counting by time bucket groups only ``created_at``, which SQLite reads from the index ``ix_comment_created``
  alone (a covering index scan), then maps each UTC bucket to its local day and hour in Python.
- When a period covers most of a table, reading the table in order beats looking each row up through the
  time index; ``Ctx.scan_*`` says which (SQLite only; PostgreSQL's planner has the statistics to choose).
- Percentiles on SQLite fetch one float per comment. Time to the first person's decision uses
  ``comment.first_decided_at`` (the engine stamps it on the first decision by a person that is not an undo)
  and is exact; time to the first decision of any kind needs a join with every decision, so over 100,000
  comments it is measured on an evenly spread sample (every k-th comment id), which the report states.
"""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, and_, case, cast, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from moderation.domain import State
from moderation.store.tables import (
    Account,
    Alert,
    Comment,
    Decision,
    Escalation,
    FindingRow,
    LedgerEvent,
    OutboxAction,
    RuleOverride,
)

from .period import Hours, Period
from .sql import Sql
from .values import (
    CHUNK,
    HIDE_ACTIONS,
    OPEN_STATES,
    PLATFORMS,
    SAFE_KEYS,
    Check,
    Metrics,
    RouteStats,
    RuleTrust,
    ShadowRule,
    Timing,
    iso,
    timing,
)

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


# ---------------------------------------------------------------- automation
def trust(session: Session, ctx: Ctx, m: Metrics) -> None:
    """Auto-hides in the period and what people made of them (see NOTES['trust'])."""
    d = aliased(Decision, name="d")
    h = aliased(Decision, name="h")
    r = aliased(Decision, name="r")
    person = Sql.is_person(h.actor)

    def after_auto(to_state: str) -> Any:
        return exists().where(
            h.comment_id == d.comment_id,
            h.id > d.id,
            person,
            h.undone.is_(False),
            h.from_state == "auto_hidden",
            h.to_state == to_state,
        )

    def via_review(resolution: str) -> Any:
        return exists().where(
            h.comment_id == d.comment_id,
            h.id > d.id,
            person,
            h.undone.is_(False),
            h.from_state == "auto_hidden",
            h.to_state == "escalated",
            exists().where(r.comment_id == d.comment_id, r.id > h.id, r.action == resolution, r.undone.is_(False)),
        )

    outcome = case(
        (or_(after_auto("approved"), via_review("resolve_approve")), "overturned"),
        (or_(after_auto("hidden"), via_review("resolve_hide")), "confirmed"),
        else_="pending",
    )
    inner = (
        select(d.actor.label("actor"), outcome.label("outcome"))
        .where(d.action == "auto_hide", in_period(d.created_at, ctx.period))
        .subquery()
    )
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for actor, result, n in session.execute(
        select(inner.c.actor, inner.c.outcome, func.count()).group_by(inner.c.actor, inner.c.outcome)
    ).all():
        per[actor.removeprefix("auto:")][result] += int(n)
    m.trust = sorted(
        (RuleTrust(rule, sum(o.values()), o["confirmed"], o["overturned"], o["pending"]) for rule, o in per.items()),
        key=lambda t: (-t.overturned, -t.auto_hides, t.rule),
    )


def shadow(session: Session, ctx: Ctx, m: Metrics) -> None:
    in_p = in_period(FindingRow.created_at, ctx.period)
    shadow_ids = select(FindingRow.comment_id).where(FindingRow.mode == "shadow", in_p)
    last = (
        select(Decision.comment_id, func.max(Decision.id).label("last_id"))
        .where(
            ctx.sql.is_person(Decision.actor),
            col(Decision.undone).is_(False),
            Decision.action != "undo",
            col(Decision.comment_id).in_(shadow_ids),
        )
        .group_by(Decision.comment_id)
        .subquery()
    )
    outcome = aliased(Decision, name="outcome")
    flagged = (
        select(FindingRow.comment_id, FindingRow.rule_id, FindingRow.clause, FindingRow.action)
        .where(FindingRow.mode == "shadow", in_p)
        .distinct()
        .subquery()
    )
    per: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rule, clause, action, to_state, n in session.execute(
        select(flagged.c.rule_id, flagged.c.clause, flagged.c.action, outcome.to_state, func.count())
        .select_from(flagged)
        .outerjoin(last, last.c.comment_id == flagged.c.comment_id)
        .outerjoin(outcome, outcome.id == last.c.last_id)
        .group_by(flagged.c.rule_id, flagged.c.clause, flagged.c.action, outcome.to_state)
    ).all():
        per[(rule, clause, action)][to_state or "none"] += int(n)
    m.shadow = sorted(
        (
            ShadowRule(rule, clause, action, sum(o.values()), o["hidden"], o["approved"], o["escalated"], o["none"])
            for (rule, clause, action), o in per.items()
        ),
        key=lambda s: (-s.comments, s.rule),
    )


# ---------------------------------------------------------------- escalations and the outbox
def escalations(session: Session, ctx: Ctx, m: Metrics) -> None:
    e, period = Escalation, ctx.period
    due_until = min(period.end, ctx.now)
    closed_by_due = and_(col(e.resolved_at).is_not(None), col(e.resolved_at) <= col(e.due_at))
    rows = session.execute(
        select(
            e.route,
            _n(in_period(e.created_at, period)),
            _n(and_(e.status == "resolved", in_period(e.resolved_at, period))),
            _n(and_(e.status == "withdrawn", in_period(e.resolved_at, period))),
            _n(and_(e.created_at < period.end, or_(col(e.resolved_at).is_(None), col(e.resolved_at) >= period.end))),
            _n(and_(e.due_at >= period.start, e.due_at < due_until, ~closed_by_due)),
        )
        .where(
            e.created_at < period.end,
            or_(col(e.resolved_at).is_(None), col(e.resolved_at) >= period.start),
        )
        .group_by(e.route)
    ).all()
    durations: dict[str, list[float]] = defaultdict(list)
    spent = ctx.sql.epoch(e.resolved_at) - ctx.sql.epoch(e.created_at)
    for route, seconds in session.execute(
        select(e.route, spent).where(e.status == "resolved", in_period(e.resolved_at, period))
    ).all():
        durations[route].append(float(seconds))
    m.escalations = [
        RouteStats(
            route,
            int(o or 0),
            int(r or 0),
            int(w or 0),
            int(oe or 0),
            int(b or 0),
            timing(durations.get(route, [])).median,
        )
        for route, o, r, w, oe, b in sorted(rows)
        if any((o, r, w, oe, b))
    ]


def outbox(session: Session, ctx: Ctx, m: Metrics) -> None:
    by_status: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    for status, platform, n, retried in session.execute(
        select(OutboxAction.status, Account.platform, func.count(), _n(OutboxAction.attempts > 1))
        .join(Account, col(Account.id) == col(OutboxAction.account_id))
        .where(in_period(OutboxAction.created_at, ctx.period))
        .group_by(OutboxAction.status, Account.platform)
    ).all():
        by_status[status] += int(n)
        m.outbox_retried += int(retried or 0)
        if status == "failed":
            failed[platform] += int(n)
    m.outbox_by_status = dict(sorted(by_status.items()))
    m.outbox_failed_by_platform = dict(sorted(failed.items()))


# ---------------------------------------------------------------- the ledger and changes
def ledger(session: Session, ctx: Ctx, m: Metrics) -> None:
    start, end = iso(ctx.period.start), iso(ctx.period.end)
    where = and_(LedgerEvent.at >= start, LedgerEvent.at < end)
    kinds = {
        k: int(n)
        for k, n in session.execute(select(LedgerEvent.kind, func.count()).where(where).group_by(LedgerEvent.kind))
    }
    m.ledger_by_kind = dict(sorted(kinds.items()))
    m.orders = {k: n for k, n in m.ledger_by_kind.items() if "order" in k}
    totals: dict[str, int] = defaultdict(int)
    for (payload,) in session.execute(
        select(LedgerEvent.payload).where(
            where, col(LedgerEvent.kind).like("%swept%"), col(LedgerEvent.comment_id).is_(None)
        )
    ).all():
        for key, value in json.loads(payload).items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] += value
    m.sweep_totals = dict(sorted(totals.items()))
    # ingest stamps fetched_at and the comment_received event with the same clock reading
    m.stored = int(session.execute(select(func.count()).where(in_period(Comment.fetched_at, ctx.period))).scalar_one())


def checks(m: Metrics) -> list[Check]:
    auto = sum(m.by_actor_action.get("automation", {}).values())
    people = sum(m.by_actor_action.get("people", {}).values())
    kinds = m.ledger_by_kind
    # Automation's decisions are written with a 'triaged' event, or an 'order_matched' one when a sweep escalates.
    return [
        Check(
            "comments stored by modq in the period (comment_received events)",
            m.stored,
            kinds.get("comment_received", 0),
        ),
        Check(
            "decisions by automation (triaged + order_matched events)",
            auto,
            kinds.get("triaged", 0) + kinds.get("order_matched", 0),
        ),
        Check(
            "decisions by people (decided + undone events)", people, kinds.get("decided", 0) + kinds.get("undone", 0)
        ),
    ]


def changes(session: Session, ctx: Ctx, m: Metrics) -> None:
    period = ctx.period
    start, end = iso(period.start), iso(period.end)
    cond = and_(LedgerEvent.at >= start, LedgerEvent.at < end, col(LedgerEvent.comment_id).is_(None))
    m.changes_total = int(session.execute(select(func.count()).select_from(LedgerEvent).where(cond)).scalar_one())
    for at, kind, actor, payload in session.execute(
        select(LedgerEvent.at, LedgerEvent.kind, LedgerEvent.actor, LedgerEvent.payload)
        .where(cond)
        .order_by(col(LedgerEvent.seq))
        .limit(500)
    ).all():
        try:
            body = json.loads(payload)
        except ValueError:
            body = {}
        details: dict[str, Any] = {}
        for key, value in body.items() if isinstance(body, dict) else ():
            if key not in SAFE_KEYS:
                continue
            if isinstance(value, str | int | float | bool) and len(str(value)) <= 60:
                details[key] = value
            elif isinstance(value, list) and all(isinstance(v, int) for v in value):
                details[key] = len(value)
        who = "automation" if actor.startswith("auto:") else "system" if actor.startswith("system:") else "people"
        m.changes.append({"at": at, "kind": kind, "actor": who, "details": details})
    m.rule_versions = [
        {"rule": r, "versions": int(v), "findings": int(n)}
        for r, v, n in sorted(
            session.execute(
                select(FindingRow.rule_id, func.count(func.distinct(FindingRow.rule_hash)), func.count())
                .where(in_period(FindingRow.created_at, period))
                .group_by(FindingRow.rule_id)
            ).all()
        )
        if int(v) > 1
    ]
    m.overrides = [
        {
            "rule": o.rule_id,
            "mode": o.mode,
            "since": iso(o.created_at),
            "in_period": period.start <= o.created_at < period.end,
        }
        for o in session.execute(select(RuleOverride).order_by(col(RuleOverride.rule_id))).scalars()
    ]
    m.alerts = {
        k: int(n)
        for k, n in session.execute(
            select(Alert.kind, func.count()).where(in_period(Alert.created_at, period)).group_by(Alert.kind)
        ).all()
    }
