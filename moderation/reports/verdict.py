"""The report's answer to the committee's first question: can automation be trusted?

Two parts: ``figures`` (a step of ``metrics.compute``: violations people found that automation missed, how long
hidden comments stayed visible, the queue's oldest item) and ``paragraph`` (plain words over the figures, with
the sample size and a 95% confidence interval, so "0 overturned" on three reviews never reads as a clean bill).
"""

# mypy: disable-error-code="call-overload, arg-type, attr-defined, operator, union-attr"
from __future__ import annotations

import math
from array import array
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from moderation.store.tables import Comment, Decision

from .sql import Sql
from .values import CHUNK, OPEN_STATES, Metrics, timing_array

# Automation is judged trustworthy while the upper end of the 95% interval of its overturn rate stays under this.
TOLERANCE = 0.05
# Fewer reviewed auto-hides than this cannot support a judgement either way.
MIN_SAMPLE = 30


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """The Wilson score interval for ``k`` successes in ``n`` trials (sound for small ``n`` and ``k`` = 0)."""
    if n <= 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, min(p, centre - half))
    hi = 1.0 if k == n else min(1.0, max(p, centre + half))
    return lo, hi


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def figures(session: Session, ctx: Any, m: Metrics) -> None:
    """Missed violations, exposure of hidden comments and the oldest waiting item (see NOTES['verdict'])."""
    period = ctx.period
    d = aliased(Decision, name="d")
    a = aliased(Decision, name="a")
    in_p = and_(d.created_at >= period.start, d.created_at < period.end)
    person = Sql.is_person(d.actor)
    never_auto = ~exists().where(a.comment_id == d.comment_id, a.action == "auto_hide")
    m.missed = int(
        session.execute(
            select(func.count(func.distinct(d.comment_id))).where(
                in_p, person, d.undone.is_(False), d.to_state == "hidden", never_auto
            )
        ).scalar_one()
        or 0
    )
    first_hide = (
        select(d.comment_id.label("cid"), func.min(d.created_at).label("hid_at"))
        .where(in_p, d.undone.is_(False), d.to_state.in_(("auto_hidden", "hidden")))
        .group_by(d.comment_id)
        .subquery()
    )
    # One row per hidden comment: streamed, each kept as an 8-byte float (not a row and two datetimes).
    rows = session.execute(
        select(Comment.created_at, first_hide.c.hid_at)
        .join(first_hide, first_hide.c.cid == Comment.id)
        .execution_options(yield_per=CHUNK)
    )
    seconds = array("d", (max(0.0, (_utc(hid) - _utc(posted)).total_seconds()) for posted, hid in rows))
    m.exposure = timing_array(seconds)
    oldest = session.execute(select(func.min(Comment.created_at)).where(Comment.state.in_(OPEN_STATES))).scalar()
    m.oldest_waiting_s = max(0.0, (_utc(ctx.now) - _utc(oldest)).total_seconds()) if oldest else None


def trust_counts(m: Metrics) -> dict[str, Any]:
    """Reviewed, overturned, unreviewed auto-hides, the overturn rate and its 95% interval."""
    reviewed = sum(r.confirmed + r.overturned for r in m.trust)
    overturned = m.overturned
    return {
        "auto_hides": m.auto_hides,
        "reviewed": reviewed,
        "overturned": overturned,
        "not_reviewed": sum(r.pending for r in m.trust),
        "overturn_rate": overturned / reviewed if reviewed else None,
        "interval": wilson(overturned, reviewed),
    }


def judgement(m: Metrics) -> str:
    """One word for the headline: trusted, not trusted, or not enough reviewed to say."""
    t = trust_counts(m)
    if t["auto_hides"] == 0:
        return "no auto-hides"
    if t["reviewed"] < MIN_SAMPLE:
        return "too few reviewed to judge"
    lo, hi = t["interval"]
    if hi <= TOLERANCE:
        return "trusted"
    if lo > TOLERANCE:
        return "not trusted"
    return "not yet clear"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%" if x >= 0.01 or x == 0 else f"{100 * x:.1f}%"


def paragraph(m: Metrics, duration: Any) -> str:
    """The verdict in words. ``duration`` formats seconds (the report's own formatter)."""
    t = trust_counts(m)
    parts: list[str] = []
    verdict = judgement(m)
    if t["auto_hides"] == 0:
        parts.append("Automation hid no comments in this period, so there is nothing to judge it on.")
    else:
        share = t["reviewed"] / t["auto_hides"]
        parts.append(
            f"Automation hid {t['auto_hides']:,} comments. People reviewed {t['reviewed']:,} of them "
            f"({_pct(share)}) and overturned {t['overturned']:,}."
        )
        if t["reviewed"]:
            lo, hi = t["interval"]
            parts.append(
                f"Overturn rate {_pct(t['overturn_rate'])} of {t['reviewed']:,} reviewed "
                f"(95% confidence interval {_pct(lo)} to {_pct(hi)})."
            )
        if verdict == "trusted":
            parts.append(
                f"Verdict: automation can be trusted at its current settings: with 95% confidence fewer than "
                f"{_pct(TOLERANCE)} of its hides are wrong."
            )
        elif verdict == "not trusted":
            parts.append(
                f"Verdict: automation is overturned too often: more than {_pct(TOLERANCE)} of its hides are wrong "
                "even at the low end of the interval. Review the rules in the table below."
            )
        elif verdict == "too few reviewed to judge":
            parts.append(
                f"Verdict: too few auto-hides were reviewed to judge automation; review at least {MIN_SAMPLE} "
                "of them (a random sample) before relying on it."
            )
        else:
            parts.append(
                f"Verdict: not yet clear: the interval spans the {_pct(TOLERANCE)} tolerance; review more auto-hides."
            )
        parts.append(f"{t['not_reviewed']:,} auto-hides were not reviewed by anyone.")
    parts.append(f"People hid {m.missed:,} comments that automation had not hidden.")
    if m.exposure and m.exposure.count:
        parts.append(
            f"Hidden comments were visible for a median of {duration(m.exposure.median)} "
            f"(90th percentile {duration(m.exposure.p90)}) before the decision to hide them."
        )
    person = m.first_person.get("all")
    wait = (
        f"; people's first decision took a median of {duration(person.median)} (90th percentile {duration(person.p90)})"
        if person and person.count
        else ""
    )
    oldest = f", the oldest waiting {duration(m.oldest_waiting_s)}" if m.oldest_waiting_s is not None else ""
    parts.append(f"{m.waiting:,} comments received in this period wait for a person{oldest}{wait}.")
    return " ".join(parts)
