"""The committee's figures, computed with SQL aggregates: one module for the report, the TUI and ``--json``.

Who calls it: ``StatsMixin.stats`` (``moderation/services/stats.py``) calls ``compute`` with a session, or with
a factory of read-only sessions so the independent groups of figures run side by side (each in its own
connection: SQLite and PostgreSQL both run reads in parallel). The values are in ``values``, the queries in
``figures``; how each figure is defined is written once in ``NOTES`` (the report prints it beside the figures)
and at more length in ``docs/report.md``.

Personal information never enters a ``Metrics``: no query selects an author field or comment text, and
moderators appear only as "people".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta

from sqlmodel import Session

from moderation.store.tables import Comment, Decision

from . import complaints, figures, verdict
from .figures import Ctx, covers_most
from .period import Hours, Period, offset_segments
from .sql import Sql
from .values import (
    NOTES,
    Check,
    Metrics,
    Progress,
    RouteStats,
    RuleTrust,
    ShadowRule,
    Timing,
    iso,
    percentile,
    timing,
)

__all__ = [
    "NOTES",
    "Check",
    "Metrics",
    "Progress",
    "RouteStats",
    "RuleTrust",
    "ShadowRule",
    "Timing",
    "compute",
    "percentile",
    "timing",
]

Step = Callable[[Session, Ctx, Metrics], None]
# Longest first, so that in parallel the slow ones start at once.
STEPS: list[tuple[str, Step]] = [
    ("response", figures.response),
    ("decisions", figures.decisions),
    ("volume", figures.volume),
    ("ledger", figures.ledger),
    ("trust", figures.trust),
    ("changes", figures.changes),
    ("shadow", figures.shadow),
    ("escalations", figures.escalations),
    ("outbox", figures.outbox),
    ("complaints", complaints.figures),
    ("verdict", verdict.figures),
]
SessionFactory = Callable[[], AbstractContextManager[Session]]


def compute(
    session: Session | SessionFactory,
    period: Period,
    hours: Hours,
    now: datetime,
    progress: Progress | None = None,
    workers: int = 1,
    on_step: Callable[[str, Metrics], None] | None = None,
) -> Metrics:
    """All figures for ``period``. ``now`` bounds SLA breaches (nothing is overdue before its due time).

    Args:
        session: an open session (steps run one after another in it), or a callable returning a context
            manager that yields a fresh session (steps run in ``workers`` threads, one session each).
        progress: called as ``progress(step, done, total)`` as steps start and finish.
        on_step: called in the calling thread as each step finishes, with the step's name and the (partly
            filled) ``Metrics``: the HTML report draws that step's charts while the database works on the rest.
    """
    sessions: SessionFactory = session if callable(session) else (lambda: nullcontext(session))
    with sessions() as first:
        dialect = first.get_bind().dialect.name
        # Arrivals and decisions can fall after the period's end: cover a few weeks more for daylight saving.
        sql = Sql(dialect, offset_segments(period.start, period.end + timedelta(days=35), period.timezone))
        scan_c = scan_d = False
        if dialect == "sqlite":
            scan_c = covers_most(first, Comment.created_at, period)
            scan_d = covers_most(first, Decision.created_at, period)
    ctx = Ctx(sql, period, hours, now, scan_c, scan_d)
    m = Metrics(
        first_day=period.first_day.isoformat(),
        last_day=period.last_day.isoformat(),
        timezone=period.timezone,
        moderation_hours=hours.text,
        start=iso(period.start),
        end=iso(period.end),
        generated_at=iso(now),
    )
    lock = threading.Lock()
    done = 0

    def run(name: str, step: Step) -> str:
        nonlocal done
        with sessions() as s:
            step(s, ctx, m)  # each step writes only its own fields of ``m``
        with lock:
            done += 1
            if progress:
                progress(name, done, len(STEPS))
        return name

    if progress:
        progress("starting", 0, len(STEPS))
    if not callable(session) or workers <= 1:
        for name, step in STEPS:
            run(name, step)
            if on_step:
                on_step(name, m)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="modq-stats") as pool:
            for future in as_completed([pool.submit(run, name, step) for name, step in STEPS]):
                name = future.result()
                if on_step:
                    on_step(name, m)
    m.checks = figures.checks(m)
    return m
