"""The committee's complaint figures: received, reviewed on time, upheld by clause and by automation vs people.

An upheld complaint is the strongest measure of whether moderation can be trusted: a person independent of the
decision found it wrong. Who calls it: ``metrics.compute`` (one step, ``figures``) and ``render`` (``section``,
``csv_rows``). Only counts and clause ids: no complainant, author, comment text or staff name.

Definitions: *received* counts complaints whose day of receipt (a local day) falls in the period; *reviewed*,
*on time*, *upheld* and *dismissed* count reviews made in the period (on time: before the end of the due day,
five business days after receipt); *open at end* are complaints received by the period's end and not reviewed
by then, *overdue* those of them already past their due time. *Upheld by clause* groups upheld complaints by the
clauses the disputed decision cited; *automation* means the disputed decision was automation's own.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlmodel import Session, col, select

from moderation.store.tables import ComplaintRow, Decision

from .figures import Ctx
from .values import Metrics

MEASURES = ("received", "reviewed", "on_time", "late", "upheld", "dismissed", "open_at_end", "overdue_at_end")


def _aware(value: Any) -> Any:
    from datetime import UTC

    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def figures(session: Session, ctx: Ctx, m: Metrics) -> None:
    period = ctx.period
    first, last = period.first_day.isoformat(), period.last_day.isoformat()
    rows = session.exec(select(ComplaintRow).where(col(ComplaintRow.received_on) <= last)).all()
    decisions = {
        d.id: d
        for d in session.exec(
            select(Decision).where(col(Decision.id).in_({r.decision_id for r in rows if r.decision_id}))
        ).all()
    }
    counts: Counter[str] = Counter()
    by_clause: Counter[str] = Counter()
    by_who: Counter[str] = Counter()
    cutoff = min(period.end, ctx.now)
    for r in rows:
        reviewed, due = _aware(r.reviewed_at), _aware(r.due_at)
        if r.received_on >= first:
            counts["received"] += 1
        if reviewed is not None and period.start <= reviewed < period.end:
            counts["reviewed"] += 1
            counts["on_time" if reviewed < due else "late"] += 1
            counts[r.state] += 1
            if r.state == "upheld":
                disputed = decisions.get(r.decision_id)
                who = "automation" if disputed is not None and disputed.actor.startswith("auto:") else "people"
                by_who[who] += 1
                for clause in disputed.clauses.split(",") if disputed and disputed.clauses else ["none"]:
                    by_clause[clause] += 1
        if reviewed is None or reviewed >= period.end:
            counts["open_at_end"] += 1
            if due <= cutoff:
                counts["overdue_at_end"] += 1
    m.complaints = {
        **{k: counts.get(k, 0) for k in MEASURES},
        "upheld_by_clause": dict(sorted(by_clause.items(), key=lambda kv: _clause_key(kv[0]))),
        "upheld_by": {"automation": by_who.get("automation", 0), "people": by_who.get("people", 0)},
    }


def _clause_key(clause: str) -> tuple[int, str]:
    head = clause.split(".")[0]
    return (int(head) if head.isdigit() else 10_000, clause)


def section_tables(m: Metrics) -> list[tuple[str, tuple[list[str], list[list[Any]]]]]:
    c = m.complaints or {}
    if not c.get("received") and not c.get("reviewed") and not c.get("open_at_end"):
        return []
    labels = {
        "received": "received",
        "reviewed": "reviewed",
        "on_time": "reviewed on time (five business days)",
        "late": "reviewed late",
        "upheld": "upheld (the decision was reversed)",
        "dismissed": "dismissed",
        "open_at_end": "open at the end of the period",
        "overdue_at_end": "of which overdue",
    }
    return [
        ("Complaints", (["measure", "complaints"], [[labels[k], c.get(k, 0)] for k in MEASURES])),
        (
            "Upheld, by the clause the decision cited",
            (["clause", "upheld"], [[k, v] for k, v in c.get("upheld_by_clause", {}).items()]),
        ),
        (
            "Upheld, by who made the decision",
            (["decided by", "upheld"], [[k, v] for k, v in c.get("upheld_by", {}).items()]),
        ),
    ]


def csv_rows(m: Metrics) -> list[tuple[str, str, str, str, Any]]:
    c = m.complaints or {}
    rows: list[tuple[str, str, str, str, Any]] = [("complaints", k, "", "complaints", c.get(k, 0)) for k in MEASURES]
    rows += [("complaints", "upheld_by_clause", k, "complaints", v) for k, v in c.get("upheld_by_clause", {}).items()]
    rows += [("complaints", "upheld_by", k, "complaints", v) for k, v in c.get("upheld_by", {}).items()]
    return rows
