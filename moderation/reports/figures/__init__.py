"""The queries behind each group of figures. Each step takes a session, the shared ``Ctx`` and the ``Metrics``
it fills; ``metrics.compute`` runs them (in parallel when it has a session factory).

Speed notes (a year of 1,000,000 comments on SQLite must report in seconds):

- SQLite has no hash aggregation: every GROUP BY sorts its input. Where the groups are a known, small set
  (accounts, states, actions) the steps count with ``sum(CASE ...)`` in one pass instead; GROUP BY is kept
  for open sets (clauses, rules, ledger kinds outside the known ones) over rows already narrowed down.
- Counting by time bucket groups only ``created_at``, which SQLite reads from the index ``ix_comment_period``
  (``created_at`` first) alone (a covering index scan), then maps each UTC bucket to its local day and hour in
  Python.
- When a period covers most of a table, reading the table in order beats looking each row up through the
  time index; ``Ctx.scan_*`` says which (SQLite only; PostgreSQL's planner has the statistics to choose).
- Percentiles on SQLite fetch one float per comment. Time to the first person's decision uses
  ``comment.first_decided_at`` (the engine stamps it on the first decision by a person that is not an undo)
  and is exact; time to the first decision of any kind needs a join with every decision, so over 100,000
  comments it is measured on an evenly spread sample (every k-th comment id), which the report states.

The steps by concern: ``volumes`` (volume, decisions), ``response_times``, ``automation`` (trust, shadow),
``follow_up`` (escalations, outbox), ``audit`` (ledger, checks, changes); ``common`` holds ``Ctx`` and the
shared SQL pieces.
"""

from .audit import changes, checks, ledger
from .automation import shadow, trust
from .common import SAMPLE_ABOVE, Ctx, covers_most, in_period
from .follow_up import escalations, outbox
from .response_times import response
from .volumes import decisions, volume

__all__ = [
    "SAMPLE_ABOVE",
    "Ctx",
    "changes",
    "checks",
    "covers_most",
    "decisions",
    "escalations",
    "in_period",
    "ledger",
    "outbox",
    "response",
    "shadow",
    "trust",
    "volume",
]
