"""Automation's record: auto-hides and what people made of them, and the rules running in shadow."""

# SQLModel types table attributes as their Python values (``Comment.state: str``), which SQLAlchemy's stubs
# reject inside expressions; every query here runs in the tests on SQLite and PostgreSQL instead.
# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from moderation.store.tables import Decision, FindingRow

from ..sql import Sql
from ..values import Metrics, RuleTrust, ShadowRule
from .common import Ctx, in_period


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
