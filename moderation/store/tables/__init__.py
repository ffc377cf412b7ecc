"""SQLModel tables: the engine's durable state.

Times are timezone-aware and stored as UTC. Nothing here is ever deleted by the engine: comments, versions,
decisions, escalations and ledger events only grow; "undo" is a new decision, not an erasure.

One module per concern: ``comments`` (what the platforms gave us), ``decisions`` (what was decided and what
follows), ``ledger`` (the public record), ``governance`` (complaints, notes, holds, disposals) and
``operations`` (the engine at work). Importing this package registers every table on ``SQLModel.metadata``.
"""

from .comments import Account, Comment, CommentArrival, CommentVersion, FindingRow, Post, WebhookDelivery
from .decisions import Decision, Escalation, Moderator, OutboxAction, ReplyRow, RuleOverride, SuppressionOrderRow
from .governance import AuthorNote, ComplaintRow, Disposal, LegalHold
from .ledger import LedgerEvent, LedgerField, LedgerHead
from .operations import AccountLease, Alert, ClusterLease, RateBudget, Setting, StatsSnapshot, Worker

__all__ = [
    "Account",
    "AccountLease",
    "Alert",
    "AuthorNote",
    "ClusterLease",
    "Comment",
    "CommentArrival",
    "CommentVersion",
    "ComplaintRow",
    "Decision",
    "Disposal",
    "Escalation",
    "FindingRow",
    "LedgerEvent",
    "LedgerField",
    "LedgerHead",
    "LegalHold",
    "Moderator",
    "OutboxAction",
    "Post",
    "RateBudget",
    "ReplyRow",
    "RuleOverride",
    "Setting",
    "StatsSnapshot",
    "SuppressionOrderRow",
    "WebhookDelivery",
    "Worker",
]
