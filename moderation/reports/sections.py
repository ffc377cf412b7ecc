"""What the report shows, whatever the format: its sections (question, chart, tables), the headline figures,
and how durations and shares are written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import complaints, verdict
from .metrics import NOTES, Metrics, Timing
from .period import Hours


# ---------------------------------------------------------------- shared pieces
def notes(m: Metrics) -> dict[str, str]:
    return {k: v.format(tz=m.timezone, hours=m.moderation_hours) for k, v in NOTES.items()}


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


Table = tuple[list[str], list[list[Any]]]


class Section:
    def __init__(
        self,
        key: str,
        title: str,
        question: str,
        chart: Callable[[], str | None] | None,
        tables: list[tuple[str, Table]],
        empty: str,
    ) -> None:
        self.key, self.title, self.question, self.chart, self.tables, self.empty = (
            key,
            title,
            question,
            chart,
            tables,
            empty,
        )


def _timing_rows(label: str, t: dict[str, Timing]) -> list[list[Any]]:
    return [
        [label, g, t[g].count, duration(t[g].median), duration(t[g].p90)]
        for g in ("inside", "outside", "all")
        if g in t
    ]


def _sections(m: Metrics, titles: dict[str, str], charts: Any) -> list[Section]:
    hours = Hours.parse(m.moderation_hours)
    clause_tab = charts.clause_table(m)
    sampled = f" (every {m.sample_every}th comment)" if m.sample_every > 1 else ""
    series = [name for name, _c, _k in charts.CLAUSE_SERIES]
    return [
        Section(
            "trust",
            "Can the automation be trusted?",
            "How often did people overturn what automation hid, rule by rule?",
            lambda: charts.trust(m),
            [
                (
                    "Auto-hides by rule",
                    (
                        ["rule", "auto-hides", "confirmed", "overturned", "not reviewed", "overturn rate"],
                        [
                            [r.rule, r.auto_hides, r.confirmed, r.overturned, r.pending, pct(r.overturn_rate)]
                            for r in m.trust
                        ],
                    ),
                )
            ],
            "Automation hid nothing in this period.",
        ),
        Section(
            "volume",
            "Comments received",
            "How many comments arrived, where and when?",
            lambda: _join(charts.volume(m), charts.platforms(m)),
            [
                (
                    "By account",
                    (
                        ["account", "platform", "comments"],
                        [[a["account"], a["platform"], a["comments"]] for a in m.by_account],
                    ),
                ),
                ("By state now", (["state", "comments"], [[s, n] for s, n in m.by_state.items()])),
                (
                    "By day (days with comments)",
                    (["day", "comments"], [[d["day"], d["comments"]] for d in m.by_day if d["comments"]]),
                ),
            ],
            "No comments were posted in this period.",
        ),
        Section(
            "hours",
            "Arrivals by hour",
            "Do comments arrive while moderators are on duty?",
            lambda: charts.arrivals_by_hour(m, hours),
            [("By local hour posted", (["hour", *[f"{h:02d}" for h in range(24)]], [["comments", *m.by_hour]]))],
            "No comments were posted in this period.",
        ),
        Section(
            "decisions",
            "Decisions",
            "What did moderation do, and who did it: automation or people?",
            lambda: charts.decisions(m),
            [
                (
                    "By actor and action",
                    (
                        ["actor", "action", "decisions"],
                        [[w, a, n] for w, acts in m.by_actor_action.items() for a, n in acts.items()],
                    ),
                ),
                (
                    "Policy versions that acted",
                    (["policy version", "decisions"], [[v, n] for v, n in m.policy_versions.items()]),
                ),
            ],
            "No decisions were made in this period.",
        ),
        Section(
            "clauses",
            "Under which clauses",
            "Under which clauses of the published policy were comments hidden, escalated or queued?",
            lambda: charts.clauses(m, titles),
            [
                (
                    "By clause",
                    (
                        ["clause", "title", *series],
                        [[c, titles.get(c, ""), *[row.get(s, 0) for s in series]] for c, row in clause_tab.items()],
                    ),
                )
            ],
            "No decision in this period cited a clause.",
        ),
        Section(
            "response",
            "How fast",
            "How long did comments wait for a decision, inside and outside moderation hours?",
            lambda: charts.response(m),
            [
                (
                    "Waiting times",
                    (
                        ["measure", "arrived", "comments", "median", "90th percentile"],
                        _timing_rows("first decision (any)" + sampled, m.first_decision)
                        + _timing_rows("first decision by a person", m.first_person)
                        + _timing_rows("arrival delay (posted → stored)" + sampled, m.arrival_delay),
                    ),
                )
            ],
            "No comment posted in this period has a decision yet.",
        ),
        Section(
            "shadow",
            "Shadow mode",
            "What would rules on trial have done, and did people agree?",
            lambda: charts.shadow(m),
            [
                (
                    "Shadow findings by rule",
                    (
                        [
                            "rule",
                            "clause",
                            "would",
                            "comments",
                            "people hid",
                            "people approved",
                            "people escalated",
                            "no person decided",
                        ],
                        [
                            [r.rule, r.clause, r.would, r.comments, r.hid, r.approved, r.escalated, r.undecided]
                            for r in m.shadow
                        ],
                    ),
                )
            ],
            "No rule in shadow mode flagged anything in this period.",
        ),
        Section(
            "escalations",
            "Escalations",
            "What went to the Media Unit, privacy and legal, and were they answered in time?",
            lambda: charts.escalations(m),
            [
                (
                    "By route",
                    (
                        [
                            "route",
                            "opened",
                            "resolved",
                            "withdrawn",
                            "open at end",
                            "SLA breached",
                            "median time to resolve",
                        ],
                        [
                            [
                                r.route,
                                r.opened,
                                r.resolved,
                                r.withdrawn,
                                r.open_at_end,
                                r.breached,
                                duration(r.median_resolve_s),
                            ]
                            for r in m.escalations
                        ],
                    ),
                )
            ],
            "No escalations were open in this period.",
        ),
        Section(
            "outbox",
            "Platform actions",
            "Did hides and unhides reach the platforms?",
            lambda: charts.outbox(m),
            [
                ("By status", (["status", "actions"], [[s, n] for s, n in m.outbox_by_status.items()])),
                (
                    "Failures by platform",
                    (["platform", "failed"], [[p, n] for p, n in m.outbox_failed_by_platform.items()]),
                ),
                ("Retried", (["measure", "actions"], [["needed more than one attempt", m.outbox_retried]])),
            ],
            "No platform actions in this period.",
        ),
        Section(
            "orders",
            "Suppression orders",
            "Were court suppression orders applied to stored comments?",
            None,
            [
                ("Order events", (["event", "count"], [[k, n] for k, n in m.orders.items()])),
                ("Sweep totals", (["measure", "total"], [[k, n] for k, n in m.sweep_totals.items()])),
            ],
            "No suppression-order activity in this period.",
        ),
        Section(
            "changes",
            "Policy, rule and system changes",
            "What changed in the policy, the rules and the automation during the period?",
            None,
            [
                (
                    "Events",
                    (
                        ["when (UTC)", "event", "by", "details"],
                        [
                            [
                                c["at"][:16].replace("T", " "),
                                c["kind"],
                                c["actor"],
                                ", ".join(f"{k}={v}" for k, v in c["details"].items()),
                            ]
                            for c in m.changes
                        ],
                    ),
                ),
                (
                    "Rules whose content changed",
                    (
                        ["rule", "versions seen", "findings"],
                        [[r["rule"], r["versions"], r["findings"]] for r in m.rule_versions],
                    ),
                ),
                (
                    "Rule demotions in force",
                    (
                        ["rule", "mode", "since (UTC)", "made in period"],
                        [
                            [o["rule"], o["mode"], o["since"][:16].replace("T", " "), "yes" if o["in_period"] else "no"]
                            for o in m.overrides
                        ],
                    ),
                ),
                ("Alerts", (["alert", "count"], [[k, n] for k, n in m.alerts.items()])),
            ],
            "No changes in this period.",
        ),
        Section(
            "ledger",
            "Cross-check with the ledger",
            "Do the figures agree with the public record?",
            None,
            [
                (
                    "Checks",
                    (
                        ["figure", "tables", "ledger", "agree"],
                        [[c.name, c.tables, c.ledger, "yes" if c.ok else "NO"] for c in m.checks],
                    ),
                ),
                ("Ledger events in the period", (["event", "count"], [[k, n] for k, n in m.ledger_by_kind.items()])),
            ],
            "No ledger events in this period.",
        ),
        Section(
            "complaints",
            "Complaints and reviews",
            "When people complained, did someone else review it in time, and how often were we wrong?",
            None,
            complaints.section_tables(m),
            "No complaints in this period.",
        ),
    ]


def _join(*svgs: str | None) -> str | None:
    found = [s for s in svgs if s]
    return "\n".join(found) if found else None


def headline_items(m: Metrics) -> list[tuple[str, str]]:
    hides = m.hides()
    person = m.first_person.get("all")
    t = verdict.trust_counts(m)
    reviewed = f"{t['overturned']:,} of {t['reviewed']:,} reviewed" + (
        f" ({pct(t['overturn_rate'])}, 95% CI {pct(t['interval'][0])}–{pct(t['interval'][1])})" if t["reviewed"] else ""
    )
    return [
        ("automation: " + verdict.judgement(m), f"{t['auto_hides']:,} auto-hides"),
        ("auto-hides overturned", reviewed),
        ("auto-hides nobody reviewed", f"{t['not_reviewed']:,}"),
        ("violations automation missed (hidden by people)", f"{m.missed:,}"),
        ("comments received", f"{m.received:,}"),
        ("decisions by automation", f"{m.automation_decisions:,}"),
        ("decisions by people", f"{m.people_decisions:,}"),
        ("hidden by automation", f"{hides['automation']:,}"),
        ("hidden by people", f"{hides['people']:,}"),
        (
            "wait for a person: median / 90th percentile",
            f"{duration(person.median if person else None)} / {duration(person.p90 if person else None)}",
        ),
        ("oldest item waiting now", duration(m.oldest_waiting_s)),
        ("escalations opened", f"{sum(r.opened for r in m.escalations):,}"),
        ("SLA breaches", f"{sum(r.breached for r in m.escalations):,}"),
        ("platform actions failed", f"{m.outbox_by_status.get('failed', 0):,}"),
        ("waiting for people now", f"{m.waiting:,}"),
    ]


def _title(m: Metrics) -> str:
    return f"Moderation report, {m.first_day} to {m.last_day}"
