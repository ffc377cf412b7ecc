"""The committee's figures as plain values (``Metrics``), with how each is defined (``NOTES``).

Built by ``metrics.compute``; read by the renderers, the TUI and ``--json``. Nothing here touches the database.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

Progress = Callable[[str, int, int], None]

PLATFORMS = ("facebook", "instagram", "x")
OPEN_STATES = ("queued", "escalated", "auto_hidden")
HIDE_ACTIONS = ("auto_hide", "hide", "resolve_hide")
# Ledger payload keys safe to show in a report: identifiers of rules and policies, modes, counts. Never names,
# notes, reasons or case titles (a case title can itself identify a protected person).
SAFE_KEYS = {
    "rule",
    "rule_id",
    "mode",
    "version",
    "policy_version",
    "from_version",
    "to_version",
    "platform",
    "role",
    "route",
    "kind",
    "orders",
    "scanned",
    "matched",
    "escalated",
    "terms",
    "reason_code",
}

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
    "(the polling interval plus the platform's lag; large for comments loaded in bulk later). On SQLite, "
    "over 100,000 comments the first two are measured on every k-th comment (an even sample), as "
    "the table says; the time to a person's decision is always exact.",
    "trust": "Auto-hides made in the period, by the rule that acted. Overturned: a person later approved the "
    "comment out of auto_hidden, or escalated it from auto_hidden and the reviewer approved it. "
    "Confirmed: a person hid it (directly or on review). A person's decision that was later undone does "
    "not count. Pending: no person has reviewed it yet. Overturn rate = overturned / (confirmed + "
    "overturned).",
    "verdict": "Reviewed auto-hides: those a person confirmed or overturned (see the trust section). The "
    "interval is the 95% Wilson score interval of the overturn rate. Automation is judged trusted when the "
    "interval's upper end is at most 5% and at least 30 auto-hides were reviewed; not trusted when its lower end "
    "is above 5%. Missed: comments a person hid in the period that automation never auto-hid. Visible for: "
    "from posting on the platform to the first decision to hide (the platform applies it seconds later). Oldest "
    "waiting: the oldest comment of any period still waiting for a person.",
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
    by_day: list[dict[str, Any]] = field(default_factory=list)  # {day, comments}: every local day of the period
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
    sample_every: int = 1  # first_decision and arrival_delay: every k-th comment (1 = all)
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
    stored: int = 0  # comments stored by modq (fetched) in the period, for the ledger cross-check
    checks: list[Check] = field(default_factory=list)
    complaints: dict[str, Any] = field(default_factory=dict)  # see reports/complaints.py
    # the verdict (reports/verdict.py)
    missed: int = 0  # comments people hid that automation had not hidden
    exposure: Timing | None = None  # posted -> first decision to hide, for comments hidden in the period
    oldest_waiting_s: float | None = None  # the oldest comment waiting for a person now

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
# Rows fetched at a time where a step reads one value per comment (percentiles): memory is bounded by the chunk,
# not the period, apart from the few bytes per comment the percentile itself needs.
CHUNK = 5_000


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


def timing_array(values: array[float]) -> Timing:
    """``timing`` over a packed array of floats (8 bytes each, no Python object per value): the same figures."""
    import numpy as np

    if not values:
        return Timing(0, None, None)
    ordered: Sequence[float] = np.sort(np.frombuffer(values, dtype=np.float64))  # type: ignore[assignment]
    return Timing(len(values), percentile(ordered, 0.5), percentile(ordered, 0.9))


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")
