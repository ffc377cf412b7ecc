"""``ModerationService``: the one entry point the CLI, the scheduler and the TUI share.

A thin facade (``service.py``) over collaborators, one per group of use cases, each in its own module;
``moderation.bootstrap.make_service`` builds them on one shared ``Core`` and hands them to the facade.
"""

from .service import ModerationService, Parts
from .views import CommentDetail, DecisionResult, IngestReport, QueueItem, TriageReport

__all__ = ["CommentDetail", "DecisionResult", "IngestReport", "ModerationService", "Parts", "QueueItem", "TriageReport"]
