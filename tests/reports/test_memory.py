"""The report's memory does not grow with the period.

Every figure is an aggregate the database computes; the few steps that must read one value per comment (the
percentiles of response times and of how long hidden comments stayed visible) stream those values in chunks and
keep a packed float per comment, not a row object. A period twice as long, with twice the comments, must
therefore cost the report at most a few bytes per extra comment at its peak; loading rows would cost hundreds.

Measured with ``tracemalloc`` (Python's own allocations, deterministic for a given code path) step by step: the
steps run one after another, each measured from a collected heap, and the chunk is made small so that the
test's few thousand comments span many chunks, as a year of a busy department's comments does.
"""

from __future__ import annotations

import gc
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import patch

from sqlalchemy import false, insert, literal, select, update

from moderation.ports import RemoteComment
from moderation.reports import metrics, verdict
from moderation.reports.figures import response_times
from moderation.reports.metrics import Metrics
from moderation.store.tables import Comment, Decision

PER_MONTH = 5_000
# Bytes of peak memory the report may add per extra comment in the period. What it keeps is a float or two per
# comment (8-17 bytes, plus the copies a percentile needs); rows fetched whole cost 250 bytes and more each. The
# figures by day and hour add a row per day of the period (about 170 kB for the extra month here, 34 bytes over
# each of its comments).
BUDGET_PER_COMMENT = 80


def _fill(svc: Any, clock: Any) -> None:
    """``PER_MONTH`` comments in each of February and March 2026, each auto-hidden and then hidden by a person."""
    svc.add_account("facebook", "1000000001", "DCW Victoria", "alice", activated_at=datetime(2026, 1, 1, tzinfo=UTC))
    # Posted from 01:00 on the 1st to the 28th (Melbourne), stored on the month's last day, so that every
    # decision below (made when the comment was stored) falls in the comment's month.
    for month, (starts, stored) in enumerate(
        [
            (datetime(2026, 1, 31, 14, tzinfo=UTC), datetime(2026, 2, 28, 1, tzinfo=UTC)),
            (datetime(2026, 2, 28, 14, tzinfo=UTC), datetime(2026, 3, 31, 1, tzinfo=UTC)),
        ]
    ):
        step = timedelta(days=27) / PER_MONTH
        clock.value = stored
        svc.ingest_comments(
            RemoteComment(
                platform="facebook",
                account="1000000001",
                id=f"m{month}-{i}",
                text=f"comment {i}",
                created_at=starts + step * i,
                post_id="post-1",
                author_id=f"a{i % 97}",
            )
            for i in range(PER_MONTH)
        )
    # What triage and a moderator would have written, one statement each: an auto-hide and a person's hide per
    # comment, at the time the comment was stored (durations are zero; their number is what matters here).
    with svc.tx() as s:
        for actor, action, frm, to in (
            ("auto:bench.rule", "auto_hide", "new", "auto_hidden"),
            ("mod-a", "hide", "auto_hidden", "hidden"),
        ):
            cols = ["comment_id", "actor", "action", "from_state", "to_state", "clauses", "rules"]
            cols += ["policy_version", "note", "undone", "created_at"]
            s.execute(
                insert(Decision).from_select(
                    cols,
                    select(
                        Comment.id,
                        literal(actor),
                        literal(action),
                        literal(frm),
                        literal(to),
                        literal("1"),
                        literal("[]"),
                        literal("v1"),
                        literal(""),
                        false(),
                        Comment.fetched_at,
                    ),
                )
            )
        s.execute(update(Comment).values(state="hidden", first_decided_at=Comment.fetched_at))


def _step_peaks(svc: Any, first: date, last: date) -> tuple[dict[str, int], Metrics]:
    """Each step's peak of Python memory above what was allocated when it started."""
    peaks: dict[str, int] = {}

    def measured(name: str, step: Any) -> Any:
        def run(session: Any, ctx: Any, m: Metrics) -> None:
            gc.collect()  # garbage of earlier steps must not be freed inside this step's measurement
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            step(session, ctx, m)
            peaks[name] = tracemalloc.get_traced_memory()[1] - before

        return run

    steps = [(name, measured(name, step)) for name, step in metrics.STEPS]
    period = svc.report_period(first, last)
    tracemalloc.start()
    try:
        with patch.object(metrics, "STEPS", steps):
            m = metrics.compute(svc.parts.stats._read_sessions(), period, svc.moderation_hours(), svc.now(), workers=1)
        return peaks, m
    finally:
        tracemalloc.stop()


def test_a_period_twice_as_long_costs_only_bytes_per_extra_comment(svc: Any, clock: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(response_times, "CHUNK", 100)
    monkeypatch.setattr(verdict, "CHUNK", 100)
    _fill(svc, clock)
    feb, mar = (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 3, 1), date(2026, 3, 31))
    _step_peaks(svc, *mar)  # warm up: compiled statements and imports are paid once, not per period
    one, m1 = _step_peaks(svc, *feb)
    two, m2 = _step_peaks(svc, feb[0], mar[1])
    # The per-comment paths really ran over every comment of each period.
    assert (m1.received, m2.received) == (PER_MONTH, 2 * PER_MONTH)
    assert (m1.first_person["all"].count, m2.first_person["all"].count) == (PER_MONTH, 2 * PER_MONTH)
    assert (m1.exposure.count, m2.exposure.count) == (PER_MONTH, 2 * PER_MONTH)
    assert m2.sample_every == 1 and m2.first_decision["all"].count == 2 * PER_MONTH
    assert set(one) == set(two) == {name for name, _step in metrics.STEPS}
    grew = {name: (two[name] - one[name]) / PER_MONTH for name in one}
    assert all(b <= BUDGET_PER_COMMENT for b in grew.values()), f"bytes of peak per extra comment, by step: {grew}"


def test_the_report_reads_clause_titles_without_compiling_the_rules(svc: Any, tmp_path: Any) -> None:
    # Compiling the policy (lexicons, word lists, the learned model) costs a process over 100 MB; the report
    # needs only the clause titles.
    svc._policy = None
    text = svc.report(date(2026, 2, 1), date(2026, 2, 28), "json", tmp_path / "r.json")
    assert svc._policy is None
    titles = svc.policy.clauses  # compiled now, to compare
    assert '"clause_titles": {' in text
    for cid, clause in titles.items():
        assert f'"{cid}": "{clause.title}"' in text
