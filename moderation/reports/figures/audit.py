"""The ledger and changes: events by kind, the integrity checks, and changes to rules and settings in the
period."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from moderation.store.tables import Alert, Comment, FindingRow, LedgerEvent, RuleOverride

from ..values import SAFE_KEYS, Check, Metrics, iso
from .common import Ctx, in_period


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
