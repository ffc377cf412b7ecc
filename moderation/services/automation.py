"""Automation's own safety nets, run by the worker: circuit breaker, overturn calibration, reconciliation,
the nightly statistics snapshot, and the worker status moderators read with ``modq status``.

Why each exists:

* **Circuit breaker.** A rule that suddenly hides a large share of an account's comments is more likely broken
  (a bad word list, a news event that makes an ordinary word common) than right. When one rule auto-hid more
  than ``breaker.share`` of an account's comments in the last ``breaker.window_minutes`` (and at least
  ``breaker.min_comments`` arrived), the rule is switched to shadow (a ``rule_override`` row that triage passes
  to the pipeline), the ledger says why, and moderators get an alert. What it already hid stays hidden and
  stays in the queue (``auto_hidden`` is an open state) for people to review.
* **Overturn calibration.** When moderators approve (overturn) more than ``calibration.share`` of a rule's
  auto-hides over ``calibration.days`` (at least ``calibration.min_hides`` of them), the rule is demoted to
  ``queue_only``: its findings still reach the queue at high priority, but nothing is hidden without a person.
* **Reconciliation.** Someone may unhide a comment directly on the platform. The engine never silently hides
  it again: the comment goes back to the moderators' queue, flagged, with an alert; a person decides.

Limits are rows in the ``setting`` table (``modq limits set``), with the defaults in ``LIMITS``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from moderation.domain import InputError, NotFoundError, State
from moderation.domain.lifecycle import PLATFORM_FAILED, Effects, PlatformDrift, PlatformFailed
from moderation.domain.states import APPROVE, AUTO_HIDE
from moderation.ports import Connector, ConnectorError
from moderation.store.tables import (
    Account,
    Alert,
    Comment,
    Decision,
    Escalation,
    FindingRow,
    OutboxAction,
    RuleOverride,
    StatsSnapshot,
)

from .base import aware
from .transitions import TransitionsMixin
from .views import Plain

LIMITS: dict[str, float] = {
    "breaker.share": 0.5,
    "breaker.window_minutes": 60,
    "breaker.min_comments": 20,
    "calibration.share": 0.3,
    "calibration.days": 30,
    "calibration.min_hides": 10,
    "reconcile.hours": 24,
}
HEARTBEAT = "worker_heartbeat"
FLAG_PRIORITY = 95


@dataclass(frozen=True)
class Demotion(Plain):
    rule_id: str
    mode: str
    reason: str
    account_id: int | None = None


@dataclass(frozen=True)
class ReconcileReport(Plain):
    checked: int = 0
    diverged: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CycleReport(Plain):
    account: int
    seen: int = 0
    added: int = 0
    triaged: int = 0
    auto_hidden: int = 0
    demoted: int = 0
    confirmed: int = 0
    retried: int = 0
    failed: int = 0
    error: str | None = None


@dataclass(frozen=True)
class AccountStatus(Plain):
    id: int
    platform: str
    name: str
    enabled: bool
    poll_seconds: int
    last_poll_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    backlog: int
    failed: int


@dataclass(frozen=True)
class OverrideView(Plain):
    rule_id: str
    mode: str
    reason: str
    created_at: datetime


class AutomationMixin(TransitionsMixin):
    # ------------------------------------------------------------ limits
    def limit(self, session: Session, key: str) -> float:
        raw = self.get_setting(session, "limit:" + key, "")
        try:
            return float(raw) if raw else LIMITS[key]
        except ValueError:
            return LIMITS[key]

    def limits(self) -> dict[str, float]:
        with self.tx() as session:
            return {k: self.limit(session, k) for k in LIMITS}

    def set_limit(self, key: str, value: float, actor: str) -> None:
        if key not in LIMITS:
            raise InputError(f"unknown limit '{key}'; known: {', '.join(sorted(LIMITS))}")
        if key.endswith(".share") and not 0 < value <= 1:
            raise InputError(f"{key} is a share between 0 and 1")
        if not key.endswith(".share") and value <= 0:
            raise InputError(f"{key} must be positive")
        with self.tx() as session:
            self.acting(session, actor, "automation")
            self.put_setting(session, "limit:" + key, repr(float(value)))
            self.record(session, "limit_set", actor, {"key": key, "value": value})

    # ------------------------------------------------------------ overrides
    def overrides(self) -> list[OverrideView]:
        with self.tx() as session:
            return [
                OverrideView(rule_id=r.rule_id, mode=r.mode, reason=r.reason, created_at=aware(r.created_at))  # type: ignore[arg-type]
                for r in session.exec(select(RuleOverride).order_by(col(RuleOverride.created_at))).all()
            ]

    def clear_override(self, rule_id: str, actor: str, reason: str = "") -> None:
        """Give a demoted rule back its own mode (admins: the ``automation`` right)."""
        with self.tx() as session:
            self.acting(session, actor, "automation")
            row = session.get(RuleOverride, rule_id)
            if row is None:
                raise NotFoundError(f"rule {rule_id!r} has no override")
            session.delete(row)
            self.record(session, "rule_restored", actor, {"rule": rule_id, "was": row.mode, "reason": reason})

    def _demote(
        self,
        session: Session,
        rule_id: str,
        mode: str,
        reason: str,
        kind: str,
        account_id: int | None,
        facts: dict[str, object],
    ) -> Demotion | None:
        existing = session.get(RuleOverride, rule_id)
        if existing is not None and (existing.mode == mode or existing.mode == "shadow"):
            return None  # already demoted at least as far
        if existing is None:
            existing = RuleOverride(rule_id=rule_id, mode=mode, reason=reason, created_at=self.now())
        else:
            existing.mode, existing.reason, existing.created_at = mode, reason, self.now()
        session.add(existing)
        session.add(Alert(kind=kind, message=reason, account_id=account_id, rule_id=rule_id, created_at=self.now()))
        self.record(
            session,
            "rule_demoted",
            f"system:{kind}",
            {"rule": rule_id, "mode": mode, "reason": reason, "account": account_id, **facts},
        )
        return Demotion(rule_id=rule_id, mode=mode, reason=reason, account_id=account_id)

    # ------------------------------------------------------------ the worker's poll job
    def poll_cycle(self, account_id: int, guard: Callable[[], None] | None = None) -> CycleReport:
        """One scheduled pass for one account: poll and triage, circuit breaker, then this account's outbox.

        ``guard``: see ``poll_account``; a poll stopped by it (the lease passed on) ends the pass there."""
        try:
            poll = self.poll_account(account_id, guard=guard)  # type: ignore[attr-defined]
        except Exception as exc:  # e.g. the token variable is not set: say so where ``modq status`` looks
            with self.tx() as session:
                row = self.account_row(session, account_id)
                row.last_error = f"{type(exc).__name__}: {exc}"[:500]
                row.last_error_at = self.now()
                session.add(row)
            raise
        if poll.error and poll.error.startswith("LeaseLost"):
            return CycleReport(account=account_id, seen=poll.seen, added=poll.added, error="LeaseLost")
        demoted = self.check_circuit_breakers(account_id)
        applied = self.apply_outbox(limit=500, account=account_id)  # type: ignore[attr-defined]
        return CycleReport(
            account=account_id,
            seen=poll.seen,
            added=poll.added,
            triaged=poll.triaged,
            auto_hidden=poll.by_state.get(State.AUTO_HIDDEN.value, 0),
            demoted=len(demoted),
            confirmed=applied.confirmed,
            retried=applied.retried,
            failed=applied.failed,
            error=poll.error.split(":", 1)[0] if poll.error else None,
        )

    # ------------------------------------------------------------ circuit breaker
    def check_circuit_breakers(self, account: int | None = None) -> list[Demotion]:
        """Switch to shadow any rule that auto-hid too large a share of an account's recent comments."""
        out: list[Demotion] = []
        with self.tx() as session:
            share = self.limit(session, "breaker.share")
            window = timedelta(minutes=self.limit(session, "breaker.window_minutes"))
            minimum = int(self.limit(session, "breaker.min_comments"))
            since = self.now() - window
            accounts = [account] if account is not None else list(session.exec(select(Account.id)).all())
            for account_id in accounts:
                total = int(
                    session.exec(
                        select(func.count())
                        .select_from(Comment)
                        .where(Comment.account_id == account_id, col(Comment.fetched_at) >= since)
                    ).one()
                )
                if total < minimum:
                    continue
                hides = session.exec(
                    select(Decision.actor, func.count())
                    .join(Comment, col(Comment.id) == col(Decision.comment_id))
                    .where(
                        Comment.account_id == account_id,
                        Decision.action == AUTO_HIDE,
                        col(Decision.created_at) >= since,
                    )
                    .group_by(Decision.actor)
                ).all()
                for actor, n in hides:
                    rule_id = actor.removeprefix("auto:")
                    if n / total <= share:
                        continue
                    reason = (
                        f"circuit breaker: rule {rule_id} auto-hid {n} of {total} comments "
                        f"({n / total:.0%}) on account {account_id} in the last {window.total_seconds() / 60:g} "
                        f"minutes (limit {share:.0%}); switched to shadow until an admin restores it"
                    )
                    d = self._demote(
                        session,
                        rule_id,
                        "shadow",
                        reason,
                        "circuit_breaker",
                        account_id,
                        {"hides": n, "comments": total, "share_limit": share},
                    )
                    if d:
                        out.append(d)
        return out

    # ------------------------------------------------------------ overturn calibration
    def check_calibration(self) -> list[Demotion]:
        """Demote to queue-only any rule whose auto-hides moderators overturn too often."""
        out: list[Demotion] = []
        with self.tx() as session:
            share = self.limit(session, "calibration.share")
            minimum = int(self.limit(session, "calibration.min_hides"))
            since = self.now() - timedelta(days=self.limit(session, "calibration.days"))
            auto = session.exec(
                select(Decision.actor, Decision.comment_id).where(
                    Decision.action == AUTO_HIDE, col(Decision.created_at) >= since
                )
            ).all()
            by_rule: dict[str, set[int]] = {}
            for actor, cid in auto:
                by_rule.setdefault(actor.removeprefix("auto:"), set()).add(cid)
            if not by_rule:
                return out
            overturned = set(
                session.exec(
                    select(Decision.comment_id).where(
                        Decision.action == APPROVE,
                        Decision.from_state == State.AUTO_HIDDEN.value,
                        col(Decision.undone).is_(False),
                        col(Decision.created_at) >= since,
                        ~col(Decision.actor).startswith("auto:"),
                        ~col(Decision.actor).startswith("system:"),
                    )
                ).all()
            )
            for rule_id, comments in sorted(by_rule.items()):
                n = len(comments)
                if n < minimum:
                    continue
                bad = len(comments & overturned)
                if bad / n <= share:
                    continue
                reason = (
                    f"overturn calibration: moderators reversed {bad} of rule {rule_id}'s {n} auto-hides "
                    f"({bad / n:.0%}, limit {share:.0%}); demoted to queue-only"
                )
                d = self._demote(
                    session,
                    rule_id,
                    "queue_only",
                    reason,
                    "calibration",
                    None,
                    {"auto_hides": n, "overturned": bad, "share_limit": share},
                )
                if d:
                    out.append(d)
        return out

    # ------------------------------------------------------------ reconciliation
    def reconcile(
        self, connector_for: Callable[[Account], Connector] | None = None, limit: int = 500
    ) -> ReconcileReport:
        """Re-read the platform state of recently acted comments; flag, never silently re-hide, divergences."""
        factory = connector_for or self.connector_factory
        if factory is None:
            raise RuntimeError("no connector factory configured")
        with self.tx() as session:
            since = self.now() - timedelta(hours=self.limit(session, "reconcile.hours"))
            live = select(OutboxAction.comment_id).where(col(OutboxAction.status).in_(["pending", "sent"]))
            rows = session.exec(
                select(Comment.id, Comment.external_id, Comment.account_id)
                .where(
                    col(Comment.id).in_(
                        select(OutboxAction.comment_id).where(
                            OutboxAction.status == "confirmed", col(OutboxAction.done_at) >= since
                        )
                    )
                )
                .where(
                    col(Comment.intended_hidden).is_(True),
                    col(Comment.platform_deleted).is_(False),
                    col(Comment.id).not_in(live),
                )
                .order_by(col(Comment.id).desc())
                .limit(limit)
            ).all()
            accounts = {a.id: a for a in session.exec(select(Account)).all()}
        checked = diverged = deleted = 0
        errors: list[str] = []
        connectors: dict[int, Connector] = {}
        for cid, external_id, account_id in rows:
            if not accounts[account_id].enabled:
                continue  # nothing is read from, or done on, an account that is not set up
            try:
                if account_id not in connectors:
                    connectors[account_id] = factory(accounts[account_id])
                state = connectors[account_id].get_state(external_id)
            except ConnectorError as exc:
                errors.append(f"comment {cid}: {type(exc).__name__}")
                continue
            except Exception as exc:  # a connector that cannot be built (missing token) must not stop the rest
                errors.append(f"comment {cid}: {type(exc).__name__}")
                continue
            checked += 1
            if not state.exists:
                deleted += self._mark_deleted(cid or 0)
            elif state.hidden is False:
                diverged += self._flag_unhidden(cid or 0)
        return ReconcileReport(checked=checked, diverged=diverged, deleted=deleted, errors=errors)

    def _mark_deleted(self, comment_id: int) -> int:
        with self.tx() as session:
            row = self.comment_row(session, comment_id)
            if row.platform_deleted:
                return 0
            row.platform_deleted = True
            session.add(row)
            self.record(session, "platform_deleted", "system:reconcile", {"seen": "reconciliation"}, comment_id=row.id)
            return 1

    def _flag_unhidden(self, comment_id: int) -> int:
        """The platform shows a comment we hid: someone unhid it there. Hand it back to people."""
        with self.tx() as session:
            row = self.comment_row(session, comment_id)
            if not row.intended_hidden:
                return 0
            effects = self.return_to_people(
                session,
                row,
                actor="system:reconcile",
                action="platform_unhidden",
                platform_hidden=False,
                note="unhidden directly on the platform; not re-hidden automatically: a person decides",
            )
            message = (
                f"comment {row.id} was unhidden directly on the platform; it names a person protected by a "
                "suppression order, so it is hidden again and with legal"
                if effects.platform == "hide"
                else f"comment {row.id} was unhidden directly on the platform; it is back in the "
                "queue for a person to decide (it was not re-hidden)"
            )
            session.add(
                Alert(kind="platform_unhidden", account_id=row.account_id, created_at=self.now(), message=message)
            )
            return 1

    def return_to_people(
        self, session: Session, row: Comment, *, actor: str, action: str, platform_hidden: bool | None, note: str
    ) -> Effects:
        """The platform shows a comment other than as we decided (someone acted there, or it refused our action):
        through the lifecycle, the comment goes back before a person at high priority.

        Unless the law says otherwise, the intended visibility becomes what the platform shows, so a person's next
        hide (or approve) queues a fresh platform action; settled and auto-hidden comments go back to ``queued``;
        an escalated one stays with its reviewer, with a note on the escalation. A comment naming a person
        protected by an order in force stays meant hidden and goes to legal (re-hidden when someone unhid it).
        """
        shows_hidden = bool(row.intended_hidden) if platform_hidden is None else platform_hidden
        event: PlatformDrift | PlatformFailed
        if action == PLATFORM_FAILED:
            event = PlatformFailed("unhide" if shows_hidden else "hide")
        else:
            event = PlatformDrift(shows_hidden)
        return self.apply_event(
            session,
            row,
            event,
            actor=actor,
            note=note,
            policy_version="",
            escalation_note=note,
            sets={} if platform_hidden is None else {"platform_hidden": platform_hidden},
        ).effects

    # ------------------------------------------------------------ statistics
    def snapshot_stats(self, day: date | None = None) -> dict[str, object]:
        """Store the statistics of one day in the department's time zone (default: yesterday).

        Idempotent: a re-run replaces the day's snapshot.
        """
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(self.settings.timezone)
        day = day or (self.now().astimezone(tz) - timedelta(days=1)).date()
        start = datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(UTC)
        with self.tx() as session:
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
                row = StatsSnapshot(day=day.isoformat(), payload="", created_at=self.now())
            row.payload = json.dumps(payload, sort_keys=True)
            row.created_at = self.now()
            session.add(row)
            self.record(session, "stats_snapshot", "system:worker", {"day": day.isoformat(), "received": received})
            return payload

    def stats_missing(self) -> bool:
        """Whether yesterday's snapshot (a day in the department's time zone) is still to be taken."""
        from zoneinfo import ZoneInfo

        day = (self.now().astimezone(ZoneInfo(self.settings.timezone)) - timedelta(days=1)).date().isoformat()
        with self.tx() as session:
            return session.exec(select(StatsSnapshot.id).where(StatsSnapshot.day == day)).first() is None

    # ------------------------------------------------------------ worker status
    def heartbeat(self, info: dict[str, object] | None = None) -> None:
        with self.tx() as session:
            self.put_setting(
                session, HEARTBEAT, json.dumps({"at": self.now().isoformat(), "pid": os.getpid(), **(info or {})})
            )

    def last_heartbeat(self) -> dict[str, object] | None:
        with self.tx() as session:
            raw = self.get_setting(session, HEARTBEAT, "")
        return json.loads(raw) if raw else None

    def account_status(self) -> list[AccountStatus]:
        with self.tx() as session:
            counts: dict[tuple[int, str], int] = {
                (a, s): int(n)
                for a, s, n in session.exec(
                    select(OutboxAction.account_id, OutboxAction.status, func.count())
                    .where(col(OutboxAction.status).in_(["pending", "sent", "failed"]))
                    .group_by(col(OutboxAction.account_id), col(OutboxAction.status))
                ).all()
            }
            out = []
            for a in session.exec(select(Account).order_by(col(Account.id))).all():
                aid = a.id or 0
                out.append(
                    AccountStatus(
                        id=aid,
                        platform=a.platform,
                        name=a.name,
                        enabled=a.enabled,
                        poll_seconds=a.poll_seconds,
                        last_poll_at=aware(a.last_poll_at),
                        last_error=a.last_error,
                        last_error_at=aware(a.last_error_at),
                        backlog=counts.get((aid, "pending"), 0) + counts.get((aid, "sent"), 0),
                        failed=counts.get((aid, "failed"), 0),
                    )
                )
            return out

    def open_alerts(self, limit: int = 20) -> list[dict[str, object]]:
        with self.tx() as session:
            rows = session.exec(
                select(Alert).where(col(Alert.acknowledged_by).is_(None)).order_by(col(Alert.id).desc()).limit(limit)
            ).all()
            return [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "message": r.message,
                    "rule_id": r.rule_id,
                    "account_id": r.account_id,
                    "created_at": aware(r.created_at),
                }
                for r in rows
            ]
