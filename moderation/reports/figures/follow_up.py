"""After a decision: escalations (opened, resolved, SLA breaches by route) and the platform actions' outbox."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from moderation.store.tables import Account, Escalation, OutboxAction

from ..values import Metrics, RouteStats, timing
from .common import Ctx, _n, in_period


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
