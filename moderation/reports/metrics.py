"""The committee's figures, computed with SQL aggregates: one module for the report, the TUI and ``--json``.

Who calls it: ``StatsMixin.stats`` (``moderation/services/stats.py``) opens a session and calls ``compute``.
Every figure is a GROUP BY in the database; Python only adds up the groups. The one exception is percentiles
on SQLite, which has no percentile function: there, only the column of durations is fetched and sorted
(PostgreSQL uses ``percentile_cont``; both interpolate linearly, so the backends agree).

How each figure is defined is written once, in ``NOTES`` below (the report prints them beside the figures)
and at more length in ``docs/report.md``. Personal information never enters a ``Metrics``: no author field
and no comment text is selected by any query here, and moderators appear only as "people".
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

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

from .period import Hours, Period, offset_segments
from .sql import Sql

Progress = Callable[[str, int, int], None]

PLATFORMS = ("facebook", "instagram", "x")
OPEN_STATES = ("queued", "escalated", "auto_hidden")
HIDE_ACTIONS = ("auto_hide", "hide", "resolve_hide")
# Ledger payload keys safe to show in a report: identifiers of rules and policies, modes, counts. Never names,
# notes, reasons or case titles (a case title can itself identify a protected person).
SAFE_KEYS = {"rule", "rule_id", "mode", "version", "policy_version", "from_version", "to_version", "platform",
             "role", "route", "kind", "orders", "scanned", "matched", "escalated", "terms", "reason_code"}

NOTES: dict[str, str] = {
    "volume": "Comments whose platform time (when the member of the public posted) falls in the period, by local "
              "day in {tz}. State is the comment's state now, as 'modq queue --json' counts it.",
    "decisions": "Decision rows made in the period. Automation = actor 'auto:<rule>' or 'auto:pipeline'; people "
                 "= a moderator; 'system' = other engine jobs. Undone decisions are counted, and also shown "
                 "separately; clause counts exclude them. A decision citing two clauses counts under both.",
    "response": "For comments posted in the period: time from arrival (when modq first stored the comment) to the "
                "first decision of any kind (usually automation's triage), and to the first decision by a person. "
                "Inside/outside hours is by the local time of arrival ({hours}, {tz}). Median and 90th "
                "percentile, linearly interpolated. Decisions made after the period count (the wait of a late "
                "comment belongs to its month). Arrival delay = posted on the platform to stored by modq "
                "(the polling interval plus the platform's lag; large for comments loaded in bulk later).",
    "trust": "Auto-hides made in the period, by the rule that acted. Overturned: a person later approved the "
             "comment out of auto_hidden, or escalated it from auto_hidden and the reviewer approved it. "
             "Confirmed: a person hid it (directly or on review). A person's decision that was later undone does "
             "not count. Pending: no person has reviewed it yet. Overturn rate = overturned / (confirmed + "
             "overturned).",
    "shadow": "Findings of rules in shadow mode (they record what they would do, and never act) made in the "
              "period, by rule: comments flagged, and the latest decision a person made on each (not undone).",
    "escalations": "Opened: created in the period. Resolved and withdrawn: closed in the period. Open at end: "
                   "created before the end and not closed by then. Breached: due in the period (up to the time of "
                   "the report) and not closed by its due time. Median time to resolve: over those resolved in "
                   "the period.",
    "outbox": "Platform actions (hide/unhide) created in the period, by their status now. Failed = given up after "
              "retries or refused by the platform; retried = needed more than one attempt.",
    "orders": "Suppression-order ledger events in the period, by kind (orders added, changed or revoked; sweeps "
              "over stored comments; comments a sweep matched). Sweep totals add up the sweeps' own counts.",
    "changes": "Ledger events in the period that concern no single comment (policy, rules, automation switch, "
               "orders, accounts, people), with only non-personal details. Rule versions: rules whose content "
               "hash differed between findings in the period.",
    "ledger": "Each check compares a count from the tables with the matching events in the hash-chained ledger.",
}


# ---------------------------------------------------------------- values
@dataclass(frozen=True)
class Timing:
    """Seconds; ``None`` when there is nothing to measure."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class RuleTrust:
    rule: str
    auto_hides: int
    confirmed: int
    overturned: int
    pending: int

    @property
    def overturn_rate(self) -> float | None:
        reviewed = self.confirmed + self.overturned
        return self.overturned / reviewed if reviewed else None


@dataclass(frozen=True)
class ShadowRule:
    rule: str
    clause: str
    would: str
    comments: int
    hid: int
    approved: int
    escalated: int
    undecided: int


@dataclass(frozen=True)
class RouteStats:
    route: str
    opened: int
    resolved: int
    withdrawn: int
    open_at_end: int
    breached: int
    median_resolve_s: float | None


@dataclass(frozen=True)
class Check:
    name: str
    tables: int
    ledger: int

    @property
    def ok(self) -> bool:
        return self.tables == self.ledger


@dataclass
class Metrics:
    """Every figure of one period. Plain values; ``to_dict`` gives the JSON the CLI prints."""

    first_day: str
    last_day: str
    timezone: str
    moderation_hours: str
    start: str
    end: str
    generated_at: str
    # volume
    received: int = 0
    by_platform: dict[str, int] = field(default_factory=dict)
    by_account: list[dict[str, Any]] = field(default_factory=list)  # {account, platform, comments}
    by_day: list[dict[str, Any]] = field(default_factory=list)  # {day, facebook, instagram, x, total}
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)  # local hour of posting
    by_state: dict[str, int] = field(default_factory=dict)
    # decisions
    decisions: int = 0
    decisions_undone: int = 0
    by_actor_action: dict[str, dict[str, int]] = field(default_factory=dict)  # actor type -> action -> n
    by_clause: list[dict[str, Any]] = field(default_factory=list)  # {clause, actor, action, decisions}
    policy_versions: dict[str, int] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)  # actor type -> hides not undone
    # response times
    first_decision: dict[str, Timing] = field(default_factory=dict)  # inside | outside | all
    first_person: dict[str, Timing] = field(default_factory=dict)
    arrival_delay: dict[str, Timing] = field(default_factory=dict)  # posted on the platform -> stored by modq
    waiting: int = 0
    # automation
    trust: list[RuleTrust] = field(default_factory=list)
    shadow: list[ShadowRule] = field(default_factory=list)
    # escalations, outbox, orders
    escalations: list[RouteStats] = field(default_factory=list)
    outbox_by_status: dict[str, int] = field(default_factory=dict)
    outbox_failed_by_platform: dict[str, int] = field(default_factory=dict)
    outbox_retried: int = 0
    orders: dict[str, int] = field(default_factory=dict)
    sweep_totals: dict[str, int] = field(default_factory=dict)
    # changes and the ledger
    ledger_by_kind: dict[str, int] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)  # {at, kind, actor, details}
    changes_total: int = 0
    rule_versions: list[dict[str, Any]] = field(default_factory=list)  # {rule, hashes, findings}
    overrides: list[dict[str, Any]] = field(default_factory=list)  # {rule, mode, since, in_period}
    alerts: dict[str, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    # ---- derived headline figures
    @property
    def automation_decisions(self) -> int:
        return sum(self.by_actor_action.get("automation", {}).values())

    @property
    def people_decisions(self) -> int:
        return sum(self.by_actor_action.get("people", {}).values())

    def hides(self) -> dict[str, int]:
        """Hides made in the period and not undone, by who hid (auto_hide; hide and resolve_hide)."""
        return {"automation": self.hidden.get("automation", 0), "people": self.hidden.get("people", 0)}

    @property
    def auto_hides(self) -> int:
        return sum(r.auto_hides for r in self.trust)

    @property
    def overturned(self) -> int:
        return sum(r.overturned for r in self.trust)

    @property
    def overturn_rate(self) -> float | None:
        reviewed = sum(r.confirmed + r.overturned for r in self.trust)
        return self.overturned / reviewed if reviewed else None

    def headline(self) -> dict[str, Any]:
        people = self.first_person.get("all")
        return {
            "comments_received": self.received,
            "decisions_by_automation": self.automation_decisions,
            "decisions_by_people": self.people_decisions,
            "hidden_by_automation": self.hides()["automation"],
            "hidden_by_people": self.hides()["people"],
            "median_to_first_person_s": people.median if people else None,
            "auto_hides_overturned": self.overturned,
            "overturn_rate": self.overturn_rate,
            "escalations_opened": sum(r.opened for r in self.escalations),
            "sla_breaches": sum(r.breached for r in self.escalations),
            "outbox_failed": self.outbox_by_status.get("failed", 0),
            "waiting_for_people": self.waiting,
        }

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["trust"] = [{**asdict(r), "overturn_rate": r.overturn_rate} for r in self.trust]
        out["checks"] = [{**asdict(c), "ok": c.ok} for c in self.checks]
        out["headline"] = self.headline()
        return out


# ---------------------------------------------------------------- helpers
def percentile(sorted_values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL ``percentile_cont``)."""
    n = len(sorted_values)
    if n == 0:
        return None
    pos = q * (n - 1)
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return float(sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo))


def timing(values: list[float]) -> Timing:
    values.sort()
    return Timing(len(values), percentile(values, 0.5), percentile(values, 0.9))


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")


# ---------------------------------------------------------------- the computation
STEPS = ("volume", "decisions", "response", "trust", "shadow", "escalations", "outbox", "ledger", "changes")


def compute(
    session: Session,
    period: Period,
    hours: Hours,
    now: datetime,
    progress: Progress | None = None,
) -> Metrics:
    """All figures for ``period``. ``now`` bounds SLA breaches (nothing is overdue before its due time)."""
    dialect = session.get_bind().dialect.name
    # Arrivals and decisions can fall after the period's end: cover a few weeks more for daylight saving.
    sql = Sql(dialect, offset_segments(period.start, period.end + timedelta(days=35), period.timezone))
    m = Metrics(
        first_day=period.first_day.isoformat(), last_day=period.last_day.isoformat(), timezone=period.timezone,
        moderation_hours=hours.text, start=_iso(period.start), end=_iso(period.end), generated_at=_iso(now),
    )
    steps: list[tuple[str, Callable[[], None]]] = [
        ("volume", lambda: _volume(session, sql, period, m)),
        ("decisions", lambda: _decisions(session, sql, period, m)),
        ("response", lambda: _response(session, sql, period, hours, m)),
        ("trust", lambda: _trust(session, period, m)),
        ("shadow", lambda: _shadow(session, sql, period, m)),
        ("escalations", lambda: _escalations(session, sql, period, now, m)),
        ("outbox", lambda: _outbox(session, period, m)),
        ("ledger", lambda: _ledger(session, period, m)),
        ("changes", lambda: _changes(session, period, m)),
    ]
    for i, (name, step) in enumerate(steps):
        if progress:
            progress(name, i, len(steps))
        step()
    if progress:
        progress("done", len(steps), len(steps))
    return m


def _in_period(column: Any, period: Period) -> Any:
    return and_(column >= period.start, column < period.end)


def _volume(session: Session, sql: Sql, period: Period, m: Metrics) -> None:
    # Group by account, state and UTC time bucket (cheap for the database: one sort, no time-zone arithmetic
    # per row); each bucket lies inside one local hour because UTC offsets are multiples of the bucket.
    size = 3600 if all(off % 3600 == 0 for _t, off in sql.segments) else 900
    inner = (
        select(Comment.account_id, Comment.state, sql.floor_int(sql.epoch(Comment.created_at) / size).label("b"))
        .where(_in_period(Comment.created_at, period))
        .subquery()
    )
    grouped = session.execute(
        select(inner.c.account_id, inner.c.state, inner.c.b, func.count())
        .group_by(inner.c.account_id, inner.c.state, inner.c.b)
    ).all()
    starts = [t.timestamp() for t, _off in sql.segments]
    local: dict[int, tuple[date, int]] = {}
    rows = []
    for account_id, state, bucket, n in grouped:
        where = local.get(bucket)
        if where is None:
            at = int(bucket) * size
            offset = sql.segments[max(0, bisect_right(starts, at) - 1)][1]
            t = datetime.fromtimestamp(at + offset, UTC)
            where = local[bucket] = (t.date(), t.hour)
        rows.append((account_id, state, where[0], where[1], n))
    accounts = {a.id: a for a in session.execute(select(Account)).scalars()}
    per_account: dict[int, int] = defaultdict(int)
    per_day: dict[date, dict[str, int]] = {d: defaultdict(int) for d in period.local_days()}
    by_state: dict[str, int] = defaultdict(int)
    by_platform: dict[str, int] = {p: 0 for p in PLATFORMS}
    for account_id, state, day, hour, n in rows:
        n = int(n)
        account = accounts.get(account_id)
        platform = account.platform if account else "unknown"
        per_account[account_id] += n
        per_day.setdefault(day, defaultdict(int))[platform] += n
        by_state[state] += n
        by_platform[platform] = by_platform.get(platform, 0) + n
        m.by_hour[int(hour) % 24] += n
        m.received += n
    m.by_state = dict(sorted(by_state.items()))
    m.by_platform = by_platform
    m.by_account = [
        {"account": accounts[a].name if a in accounts else str(a),
         "platform": accounts[a].platform if a in accounts else "unknown", "comments": n}
        for a, n in sorted(per_account.items(), key=lambda kv: -kv[1])
    ]
    m.by_day = [
        {"day": d.isoformat(), **{p: counts.get(p, 0) for p in PLATFORMS}, "total": sum(counts.values())}
        for d, counts in sorted(per_day.items())
    ]
    m.waiting = sum(by_state.get(s, 0) for s in OPEN_STATES)


def _decisions(session: Session, sql: Sql, period: Period, m: Metrics) -> None:
    inner = (
        select(sql.actor_type(Decision.actor).label("who"), Decision.action, Decision.clauses, Decision.undone,
               Decision.policy_version)
        .where(_in_period(Decision.created_at, period))
        .subquery()
    )
    rows = session.execute(
        select(inner.c.who, inner.c.action, inner.c.clauses, inner.c.undone, inner.c.policy_version, func.count())
        .group_by(inner.c.who, inner.c.action, inner.c.clauses, inner.c.undone, inner.c.policy_version)
    ).all()
    by_actor: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    clause_rows: dict[tuple[str, str, str], int] = defaultdict(int)
    versions: dict[str, int] = defaultdict(int)
    for who, action, clauses, undone, version, n in rows:
        n = int(n)
        m.decisions += n
        by_actor[who][action] += n
        versions[version or "(none)"] += n
        if undone:
            m.decisions_undone += n
            continue
        if action in HIDE_ACTIONS:
            m.hidden[who] = m.hidden.get(who, 0) + n
        for clause in (c.strip() for c in (clauses or "").split(",")):
            if clause:
                clause_rows[(clause, who, action)] += n
    m.by_actor_action = {w: dict(sorted(a.items())) for w, a in sorted(by_actor.items())}
    m.policy_versions = dict(sorted(versions.items()))
    m.by_clause = [
        {"clause": c, "actor": w, "action": a, "decisions": n}
        for (c, w, a), n in sorted(clause_rows.items(), key=lambda kv: (_clause_key(kv[0][0]), kv[0][1], kv[0][2]))
    ]


def _clause_key(clause: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in clause.replace("-", ".").split("."))


def _response(session: Session, sql: Sql, period: Period, hours: Hours, m: Metrics) -> None:
    """Arrival = when modq first stored the comment (``fetched_at``); see NOTES['response']."""
    person = sql.is_person(Decision.actor)
    inner = (
        select(
            Comment.id,
            sql.inside_hours(Comment.fetched_at, hours).label("inside"),
            (sql.epoch(Comment.fetched_at) - sql.epoch(Comment.created_at)).label("delay"),
            (sql.epoch(func.min(Decision.created_at)) - sql.epoch(Comment.fetched_at)).label("first_any"),
            (sql.epoch(func.min(_when(person, Decision.created_at))) - sql.epoch(Comment.fetched_at))
            .label("first_person"),
        )
        .join(Decision, col(Decision.comment_id) == col(Comment.id))
        .where(_in_period(Comment.created_at, period), Decision.action != "undo")
        .group_by(Comment.id, Comment.created_at, Comment.fetched_at)
        .subquery()
    )
    exprs = (inner.c.first_any, inner.c.first_person, inner.c.delay)
    targets: tuple[dict[str, Timing], ...] = (m.first_decision, m.first_person, m.arrival_delay)
    if sql.is_pg:
        # One pass: ROLLUP gives the inside/outside groups and the total (inside IS NULL) together.
        cols: list[Any] = [inner.c.inside]
        for e in exprs:
            cols += [func.count(e), func.percentile_cont(0.5).within_group(e),
                     func.percentile_cont(0.9).within_group(e)]
        for row in session.execute(select(*cols).group_by(func.rollup(inner.c.inside))).all():
            name = "all" if row[0] is None else "inside" if int(row[0]) == 1 else "outside"
            for i, target in enumerate(targets):
                n, med, p90 = row[1 + 3 * i: 4 + 3 * i]
                target[name] = Timing(int(n), float(med) if med is not None else None,
                                      float(p90) if p90 is not None else None)
        for target in targets:
            for name in ("all", "inside", "outside"):
                target.setdefault(name, Timing(0, None, None))
        return
    # SQLite has no percentile function: fetch only the durations and the flag, then sort.
    values: list[dict[int, list[float]]] = [{0: [], 1: []} for _ in exprs]
    for inside, *durations in session.execute(select(inner.c.inside, *exprs)):
        for i, v in enumerate(durations):
            if v is not None:
                values[i][inside].append(v)
    for i, target in enumerate(targets):
        inside_v, outside_v = values[i][1], values[i][0]
        target["all"] = timing(inside_v + outside_v)
        target["inside"] = timing(inside_v)
        target["outside"] = timing(outside_v)


def _when(cond: Any, value: Any) -> Any:
    return case((cond, value), else_=None)


def _trust(session: Session, period: Period, m: Metrics) -> None:
    """Auto-hides in the period and what people made of them (see NOTES['trust'])."""
    d = aliased(Decision, name="d")
    h = aliased(Decision, name="h")
    r = aliased(Decision, name="r")
    person = Sql.is_person(h.actor)

    def after_auto(from_to: str) -> Any:
        return exists().where(h.comment_id == d.comment_id, h.id > d.id, person, h.undone.is_(False),
                              h.from_state == "auto_hidden", h.to_state == from_to)

    def via_review(resolution: str) -> Any:
        return exists().where(
            h.comment_id == d.comment_id, h.id > d.id, person, h.undone.is_(False),
            h.from_state == "auto_hidden", h.to_state == "escalated",
            exists().where(r.comment_id == d.comment_id, r.id > h.id, r.action == resolution, r.undone.is_(False)),
        )

    outcome = case(
        (or_(after_auto("approved"), via_review("resolve_approve")), "overturned"),
        (or_(after_auto("hidden"), via_review("resolve_hide")), "confirmed"),
        else_="pending",
    )
    inner = (
        select(d.actor.label("actor"), outcome.label("outcome"))
        .where(d.action == "auto_hide", _in_period(d.created_at, period))
        .subquery()
    )
    rows = session.execute(
        select(inner.c.actor, inner.c.outcome, func.count()).group_by(inner.c.actor, inner.c.outcome)
    ).all()
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for actor, outcome_, n in rows:
        per[actor.removeprefix("auto:")][outcome_] += int(n)
    m.trust = sorted(
        (RuleTrust(rule, sum(o.values()), o["confirmed"], o["overturned"], o["pending"]) for rule, o in per.items()),
        key=lambda t: (-t.overturned, -t.auto_hides, t.rule),
    )


def _shadow(session: Session, sql: Sql, period: Period, m: Metrics) -> None:
    shadow_ids = (
        select(FindingRow.comment_id)
        .where(FindingRow.mode == "shadow", _in_period(FindingRow.created_at, period))
    )
    last = (
        select(Decision.comment_id, func.max(Decision.id).label("last_id"))
        .where(sql.is_person(Decision.actor), Decision.undone.is_(False), Decision.action != "undo",
               col(Decision.comment_id).in_(shadow_ids))
        .group_by(Decision.comment_id)
        .subquery()
    )
    outcome = aliased(Decision, name="outcome")
    flagged = (
        select(FindingRow.comment_id, FindingRow.rule_id, FindingRow.clause, FindingRow.action)
        .where(FindingRow.mode == "shadow", _in_period(FindingRow.created_at, period))
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(flagged.c.rule_id, flagged.c.clause, flagged.c.action, outcome.to_state, func.count())
        .select_from(flagged)
        .outerjoin(last, last.c.comment_id == flagged.c.comment_id)
        .outerjoin(outcome, outcome.id == last.c.last_id)
        .group_by(flagged.c.rule_id, flagged.c.clause, flagged.c.action, outcome.to_state)
    ).all()
    per: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rule, clause, action, to_state, n in rows:
        per[(rule, clause, action)][to_state or "none"] += int(n)
    m.shadow = sorted(
        (ShadowRule(rule, clause, action, sum(o.values()), o["hidden"], o["approved"], o["escalated"], o["none"])
         for (rule, clause, action), o in per.items()),
        key=lambda s: (-s.comments, s.rule),
    )


def _escalations(session: Session, sql: Sql, period: Period, now: datetime, m: Metrics) -> None:
    e = Escalation
    due_until = min(period.end, now)
    closed_by_due = and_(col(e.resolved_at).is_not(None), col(e.resolved_at) <= col(e.due_at))

    def n_if(cond: Any) -> Any:
        return func.sum(_when(cond, 1))

    rows = session.execute(
        select(
            e.route,
            n_if(_in_period(e.created_at, period)),
            n_if(and_(e.status == "resolved", _in_period(e.resolved_at, period))),
            n_if(and_(e.status == "withdrawn", _in_period(e.resolved_at, period))),
            n_if(and_(e.created_at < period.end,
                      (col(e.resolved_at).is_(None)) | (col(e.resolved_at) >= period.end))),
            n_if(and_(e.due_at >= period.start, e.due_at < due_until, ~closed_by_due)),
        ).group_by(e.route)
    ).all()
    durations: dict[str, list[float]] = defaultdict(list)
    spent = sql.epoch(e.resolved_at) - sql.epoch(e.created_at)
    for route, seconds in session.execute(
        select(e.route, spent).where(e.status == "resolved", _in_period(e.resolved_at, period))
    ).all():
        durations[route].append(float(seconds))
    m.escalations = [
        RouteStats(route, int(o or 0), int(r or 0), int(w or 0), int(oe or 0), int(b or 0),
                   timing(durations.get(route, [])).median)
        for route, o, r, w, oe, b in sorted(rows)
        if any((o, r, w, oe, b))
    ]


def _outbox(session: Session, period: Period, m: Metrics) -> None:
    rows = session.execute(
        select(OutboxAction.status, Account.platform, func.count(),
               func.sum(_when(OutboxAction.attempts > 1, 1)))
        .join(Account, col(Account.id) == col(OutboxAction.account_id))
        .where(_in_period(OutboxAction.created_at, period))
        .group_by(OutboxAction.status, Account.platform)
    ).all()
    by_status: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    for status, platform, n, retried in rows:
        by_status[status] += int(n)
        m.outbox_retried += int(retried or 0)
        if status == "failed":
            failed[platform] += int(n)
    m.outbox_by_status = dict(sorted(by_status.items()))
    m.outbox_failed_by_platform = dict(sorted(failed.items()))


def _ledger(session: Session, period: Period, m: Metrics) -> None:
    start, end = _iso(period.start), _iso(period.end)
    in_ledger_period = and_(LedgerEvent.at >= start, LedgerEvent.at < end)
    rows = session.execute(
        select(LedgerEvent.kind, func.count()).where(in_ledger_period).group_by(LedgerEvent.kind)
    ).all()
    m.ledger_by_kind = {k: int(n) for k, n in sorted(rows)}
    m.orders = {k: n for k, n in m.ledger_by_kind.items() if "order" in k}
    totals: dict[str, int] = defaultdict(int)
    for (payload,) in session.execute(
        select(LedgerEvent.payload).where(in_ledger_period, col(LedgerEvent.kind).like("%swept%"))
    ).all():
        for key, value in json.loads(payload).items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[key] += value
    m.sweep_totals = dict(sorted(totals.items()))
    received_events = session.execute(
        select(func.count())
        .select_from(LedgerEvent)
        .join(Comment, col(Comment.id) == col(LedgerEvent.comment_id))
        .where(LedgerEvent.kind == "comment_received", _in_period(Comment.created_at, period))
    ).scalar_one()
    auto = sum(m.by_actor_action.get("automation", {}).values())
    people = sum(m.by_actor_action.get("people", {}).values())
    # Automation decisions are written with a 'triaged' event, or an 'order_matched' one when a sweep escalates.
    auto_events = m.ledger_by_kind.get("triaged", 0) + m.ledger_by_kind.get("order_matched", 0)
    m.checks = [
        Check("comments received (comment_received events)", m.received, int(received_events)),
        Check("decisions by automation (triaged + order_matched events)", auto, auto_events),
        Check("decisions by people (decided + undone events)", people,
              m.ledger_by_kind.get("decided", 0) + m.ledger_by_kind.get("undone", 0)),
    ]


def _changes(session: Session, period: Period, m: Metrics) -> None:
    start, end = _iso(period.start), _iso(period.end)
    cond = and_(LedgerEvent.at >= start, LedgerEvent.at < end, col(LedgerEvent.comment_id).is_(None))
    m.changes_total = int(session.execute(select(func.count()).select_from(LedgerEvent).where(cond)).scalar_one())
    rows = session.execute(
        select(LedgerEvent.at, LedgerEvent.kind, LedgerEvent.actor, LedgerEvent.payload)
        .where(cond).order_by(col(LedgerEvent.seq)).limit(500)
    ).all()
    for at, kind, actor, payload in rows:
        details = {}
        try:
            body = json.loads(payload)
        except ValueError:
            body = {}
        for key, value in body.items() if isinstance(body, dict) else ():
            if key in SAFE_KEYS and isinstance(value, str | int | float | bool) and len(str(value)) <= 60:
                details[key] = value
            elif key in SAFE_KEYS and isinstance(value, list) and all(isinstance(v, int) for v in value):
                details[key] = len(value)
        who = "automation" if actor.startswith("auto:") else "system" if actor.startswith("system:") else "people"
        m.changes.append({"at": at, "kind": kind, "actor": who, "details": details})
    rows2 = session.execute(
        select(FindingRow.rule_id, func.count(func.distinct(FindingRow.rule_hash)), func.count())
        .where(_in_period(FindingRow.created_at, period))
        .group_by(FindingRow.rule_id)
    ).all()
    m.rule_versions = [{"rule": r, "versions": int(v), "findings": int(n)}
                       for r, v, n in sorted(rows2) if int(v) > 1]
    m.overrides = [
        {"rule": o.rule_id, "mode": o.mode, "since": _iso(o.created_at),
         "in_period": period.start <= o.created_at < period.end}
        for o in session.execute(select(RuleOverride).order_by(col(RuleOverride.rule_id))).scalars()
    ]
    m.alerts = {k: int(n) for k, n in session.execute(
        select(Alert.kind, func.count()).where(_in_period(Alert.created_at, period)).group_by(Alert.kind)
    ).all()}
