"""The nightly statistics snapshot, a worker job: one day's figures in the department's time zone, kept."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select

from moderation.domain import State
from moderation.domain.states import APPROVE, AUTO_HIDE
from moderation.store.tables import (
    Alert,
    Comment,
    Decision,
    Escalation,
    FindingRow,
    RuleOverride,
    StatsSnapshot,
)

from .base import Component


class Snapshots(Component):
    """The nightly statistics snapshot of one local day."""

    def snapshot_stats(self, day: date | None = None) -> dict[str, object]:
        """Store the statistics of one day in the department's time zone (default: yesterday).

        Idempotent: a re-run replaces the day's snapshot.
        """
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(self.core.settings.timezone)
        day = day or (self.core.now().astimezone(tz) - timedelta(days=1)).date()
        start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(UTC)
        with self.core.tx() as session:
            received = int(
                session.exec(
                    select(func.count())
                    .select_from(Comment)
                    .where(col(Comment.created_at) >= start, col(Comment.created_at) < end)
                ).one()
            )
            decisions = session.exec(
                select(Decision.actor, Decision.action, Decision.clauses).where(
                    col(Decision.created_at) >= start, col(Decision.created_at) < end
                )
            ).all()
            shadow = session.exec(
                select(FindingRow.rule_id, func.count(func.distinct(FindingRow.comment_id)))
                .where(
                    FindingRow.mode == "shadow",
                    col(FindingRow.created_at) >= start,
                    col(FindingRow.created_at) < end,
                )
                .group_by(FindingRow.rule_id)
            ).all()
            escalations = session.exec(
                select(Escalation.route, func.count())
                .where(col(Escalation.created_at) >= start, col(Escalation.created_at) < end)
                .group_by(Escalation.route)
            ).all()
            alerts = session.exec(
                select(Alert.kind, func.count())
                .where(col(Alert.created_at) >= start, col(Alert.created_at) < end)
                .group_by(Alert.kind)
            ).all()
            by_action: Counter[str] = Counter()
            auto_by_rule: Counter[str] = Counter()
            by_clause: Counter[str] = Counter()
            overturned = 0
            for actor, action, clauses in decisions:
                who = (
                    "automation" if actor.startswith("auto:") else "system" if actor.startswith("system:") else "people"
                )
                by_action[f"{who}:{action}"] += 1
                if action == AUTO_HIDE:
                    auto_by_rule[actor.removeprefix("auto:")] += 1
                if action in ("hide", AUTO_HIDE, "resolve_hide"):
                    for c in (clauses or "").split(","):
                        if c:
                            by_clause[c] += 1
            overturned = int(
                session.exec(
                    select(func.count())
                    .select_from(Decision)
                    .where(
                        Decision.action == APPROVE,
                        Decision.from_state == State.AUTO_HIDDEN.value,
                        col(Decision.created_at) >= start,
                        col(Decision.created_at) < end,
                    )
                ).one()
            )
            payload: dict[str, object] = {
                "day": day.isoformat(),
                "received": received,
                "decisions": dict(sorted(by_action.items())),
                "auto_hides_by_rule": dict(sorted(auto_by_rule.items())),
                "shadow_would_act_by_rule": {r: int(n) for r, n in sorted(shadow)},
                "hidden_by_clause": dict(sorted(by_clause.items())),
                "overturned_auto_hides": overturned,
                "escalations_by_route": {r: int(n) for r, n in escalations},
                "alerts": {k: int(n) for k, n in alerts},
                "overrides": {r.rule_id: r.mode for r in session.exec(select(RuleOverride)).all()},
            }
            row = session.exec(select(StatsSnapshot).where(StatsSnapshot.day == day.isoformat())).first()
            if row is None:
                row = StatsSnapshot(day=day.isoformat(), payload="", created_at=self.core.now())
            row.payload = json.dumps(payload, sort_keys=True)
            row.created_at = self.core.now()
            session.add(row)
            self.core.record(session, "stats_snapshot", "system:worker", {"day": day.isoformat(), "received": received})
            return payload

    def stats_missing(self) -> bool:
        """Whether yesterday's snapshot (a day in the department's time zone) is still to be taken."""
        from zoneinfo import ZoneInfo

        day = (self.core.now().astimezone(ZoneInfo(self.core.settings.timezone)) - timedelta(days=1)).date().isoformat()
        with self.core.tx() as session:
            return session.exec(select(StatsSnapshot.id).where(StatsSnapshot.day == day)).first() is None
