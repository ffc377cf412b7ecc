"""``ModerationService``: the one entry point the CLI, the scheduler and the TUI share.

It is split by concern into mixins, each in its own module; together they are one object built by
``moderation.bootstrap.make_service``.
"""

from .admin import AdminMixin
from .alerts import AlertsMixin
from .automation import AutomationMixin
from .complaints import ComplaintsMixin
from .decide import DecideMixin
from .ingest import IngestMixin
from .ledger import LedgerMixin
from .notes import NotesMixin
from .orders import OrdersMixin
from .outbox import OutboxMixin
from .polling import PollingMixin
from .queries import QueryMixin
from .records import RecordsMixin
from .replies import RepliesMixin
from .stats import StatsMixin
from .transitions import TransitionsMixin
from .triage import TriageMixin
from .tui_support import TuiSupportMixin
from .views import CommentDetail, IngestReport, QueueItem, TriageReport
from .webhooks import WebhooksMixin
from .workers import WorkersMixin


class ModerationService(
    AdminMixin,
    AlertsMixin,
    AutomationMixin,
    ComplaintsMixin,
    DecideMixin,
    IngestMixin,
    RecordsMixin,
    RepliesMixin,
    LedgerMixin,
    NotesMixin,
    OrdersMixin,
    OutboxMixin,
    PollingMixin,
    QueryMixin,
    TriageMixin,
    TransitionsMixin,
    TuiSupportMixin,
    StatsMixin,
    WebhooksMixin,
    WorkersMixin,
):
    pass


__all__ = ["CommentDetail", "IngestReport", "ModerationService", "QueueItem", "TriageReport"]
