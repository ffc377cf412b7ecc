"""SQLModel tables: the engine's durable state.

Times are timezone-aware and stored as UTC. Nothing here is ever deleted by the engine: comments, versions,
decisions, escalations and ledger events only grow; "undo" is a new decision, not an erasure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_account_platform_external"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    name: str = ""
    settings: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    token_env: str | None = None
    api_base: str | None = None
    poll_seconds: int = 300
    enabled: bool = True
    activated_at: datetime | None = None
    cursor: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_poll_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_error_at: datetime | None = None
    created_at: datetime


class Post(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("account_id", "external_id", name="uq_post_account_external"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    external_id: str = Field(max_length=128)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    url: str = ""
    author_id: str | None = None


class Comment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_comment_platform_external"),
        Index("ix_comment_queue", "state", "priority", "created_at"),
        Index("ix_comment_author", "account_id", "author_id", "created_at"),
        Index("ix_comment_textkey", "text_key", "created_at"),
        Index("ix_comment_created", "created_at"),
        Index("ix_comment_account_fetched", "account_id", "fetched_at"),
        Index("ix_comment_period", "created_at", "account_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    account_id: int = Field(foreign_key="account.id")
    post_id: int | None = Field(default=None, foreign_key="post.id", index=True)
    parent_external_id: str | None = Field(default=None, max_length=128)
    author_id: str = ""
    author_handle: str = ""
    author_name: str = ""
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text_version: int = 1
    # A short key of the normalised text, for repeat and copy-paste detection.
    text_key: str = Field(default="", max_length=40)
    created_at: datetime
    fetched_at: datetime
    last_seen_at: datetime
    url: str = ""
    platform_hidden: bool | None = None
    platform_deleted: bool = False
    own_conversation: bool = True
    # What the engine wants the platform to show; the outbox makes it so.
    intended_hidden: bool = False
    state: str = Field(default="new", max_length=16)
    priority: int = 0
    severity: str | None = None
    clauses: str = ""
    shadow: bool = False
    first_decided_at: datetime | None = None
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    # Row version for optimistic concurrency: two decisions on one item can never both land.
    version: int = 1
    updated_at: datetime


class CommentVersion(SQLModel, table=True):
    """Every text an edited comment has had on the platform, oldest first (the last is also ``comment.text``).

    A comment never edited has no rows here: its one text is ``comment.text``, seen at ``comment.fetched_at``
    (each text is stored once). Its first edit writes version 1 and version 2.
    """

    __tablename__ = "comment_version"
    __table_args__ = (UniqueConstraint("comment_id", "version", name="uq_comment_version"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    version: int
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    seen_at: datetime


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    text_version: int = 1
    rule_id: str
    rule_hash: str = ""
    policy_version: str = ""
    clause: str
    severity: str
    action: str
    mode: str
    start: int
    end: int
    match: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    confidence: float = 1.0
    explanation: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime


class Decision(SQLModel, table=True):
    __table_args__ = (Index("ix_decision_created", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    actor: str
    action: str
    from_state: str
    to_state: str
    # What we meant the platform to show before and after (None on rows older than this column): an undo
    # restores ``from_hidden`` exactly.
    from_hidden: bool | None = None
    to_hidden: bool | None = None
    clauses: str = ""
    # JSON list of {"id": rule id, "hash": content hash}
    rules: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    policy_version: str = ""
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    undone: bool = False
    undo_of: int | None = None
    created_at: datetime


class Escalation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    route: str
    status: str = "open"
    assignee: str | None = None
    clause: str = ""
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    due_at: datetime
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None


class Moderator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    role: str
    active: bool = True
    # Authorised by an admin to reply to authors on the department's accounts (``modq spokespeople``).
    spokesperson: bool = False
    created_at: datetime


class LedgerEvent(SQLModel, table=True):
    """The public record. ``hash`` = SHA-256 over the previous hash and this event's canonical content."""

    __tablename__ = "ledger_event"
    __table_args__ = (Index("ix_ledger_event_at_kind", "at", "kind"),)

    seq: int = Field(primary_key=True)
    at: str
    kind: str
    comment_id: int | None = Field(default=None, index=True)
    actor: str
    payload: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str
    hash: str


class LedgerField(SQLModel, table=True):
    """The plain value of one sensitive field of a ledger event, kept beside the chain.

    The chained event holds only a salted commitment to it (``sha256(salt, field, value)``), so removing the
    value and its salt (a lawful redaction, itself a ledger event) leaves the chain intact and the value
    unrecoverable. ``withheld`` marks free text that named a person protected by a suppression order when it
    was written.
    """

    __tablename__ = "ledger_field"

    seq: int = Field(primary_key=True)
    field: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)
    value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    salt: str | None = Field(default=None, max_length=64)
    withheld: bool = False
    redacted_by: int | None = None


class LedgerHead(SQLModel, table=True):
    """One row holding the chain's tip. Updating it first serialises appends across writers."""

    __tablename__ = "ledger_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = ""


class OutboxAction(SQLModel, table=True):
    """A platform action the engine intends, written with the decision that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=128)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    account_id: int = Field(foreign_key="account.id")
    action: str  # hide | unhide
    status: str = "pending"  # pending | sent | confirmed | failed | superseded
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime
    sent_at: datetime | None = None
    done_at: datetime | None = None
    # The worker whose claim leased the row (None: a ``modq apply`` or an older row); when that worker is gone
    # its ``sent`` rows are made due at once instead of waiting for the lease to run out.
    claimed_by: int | None = None


class SuppressionOrderRow(SQLModel, table=True):
    __tablename__ = "suppression_order"

    id: int | None = Field(default=None, primary_key=True)
    case: str
    court: str
    # JSON list of protected names and aliases
    terms: str = Field(sa_column=Column(Text, nullable=False))
    starts: datetime
    until: datetime | None = None
    revoked_at: datetime | None = None
    created_by: str
    created_at: datetime


class RuleOverride(SQLModel, table=True):
    """Automation's own demotions of a rule: ``shadow`` (circuit breaker) or ``queue_only`` (overturn rate)."""

    __tablename__ = "rule_override"

    rule_id: str = Field(primary_key=True)
    mode: str
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime


class Alert(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    message: str = Field(sa_column=Column(Text, nullable=False))
    account_id: int | None = None
    rule_id: str | None = None
    created_at: datetime
    acknowledged_by: str | None = None
    # Alerts about a condition (an escalation's SLA, an expired token, a silent account) carry a key, so the
    # condition is alerted once; ``cleared_at`` is when it ended. ``emailed_at``: sent in a digest.
    key: str | None = Field(default=None, max_length=120, index=True)
    acknowledged_at: datetime | None = None
    emailed_at: datetime | None = None
    cleared_at: datetime | None = None


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime


class StatsSnapshot(SQLModel, table=True):
    __tablename__ = "stats_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    day: str = Field(unique=True, max_length=10)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime


class WebhookDelivery(SQLModel, table=True):
    """A signed webhook delivery, stored before it is answered, processed afterwards."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_pending", "processed_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # SHA-256 of the raw body: a replayed delivery stores nothing new.
    digest: str = Field(max_length=64, unique=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime
    processed_at: datetime | None = None
    events: int = 0
    dropped: int = 0
    problems: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class CommentArrival(SQLModel, table=True):
    """How a comment first reached modq when it was not by polling or a file: ``webhook``."""

    __tablename__ = "comment_arrival"

    comment_id: int = Field(primary_key=True, foreign_key="comment.id")
    via: str = Field(max_length=16)
    at: datetime


class ComplaintRow(SQLModel, table=True):
    """A complaint about a moderation decision, and its independent review.

    The complainant's contact details are not kept here: they are a sealed field (``contact``) of the
    ``complaint_received`` ledger event (``received_seq``), so they never reach a public export and can be
    redacted with ``modq ledger redact`` while the ledger keeps verifying.
    """

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_state_due", "state", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    decision_id: int | None = Field(default=None, foreign_key="decision.id")  # the decision it disputes
    channel: str = Field(max_length=16)
    received_on: str = Field(max_length=10)  # local day, YYYY-MM-DD
    due_on: str = Field(max_length=10)  # local day, five business days later
    due_at: datetime  # the end of the due day, UTC
    state: str = Field(default="open", max_length=16)  # open | upheld | dismissed
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    received_seq: int | None = None
    created_by: str
    created_at: datetime
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    clause: str = ""
    review_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    review_decision_id: int | None = Field(default=None, foreign_key="decision.id")


class AuthorNote(SQLModel, table=True):
    """A private note on an author (per platform and author id), by a member of staff.

    The text is not kept here: it is a sealed field (``author_note``) of the ``author_note_added`` ledger event
    (``seq``), so it never reaches a public export and a redaction removes it for good while the ledger verifies.
    """

    __tablename__ = "author_note"
    __table_args__ = (Index("ix_author_note_author", "platform", "author_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    author_id: str = Field(max_length=128)
    seq: int
    created_by: str
    created_at: datetime


class LegalHold(SQLModel, table=True):
    """A legal hold: while it is in force, nothing it covers is disposed of.

    ``scope`` is ``comment`` (``ref`` a comment id), ``author`` (``ref`` ``platform:author_id``) or ``case``
    (``ref`` a suppression order's id: every comment naming a person that order protects).
    """

    __tablename__ = "legal_hold"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)
    ref: str = Field(max_length=160)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by: str
    created_at: datetime
    released_by: str | None = None
    released_at: datetime | None = None


class Disposal(SQLModel, table=True):
    """A record disposed of under a retention class: its content replaced by a tombstone (ids and decisions stay)."""

    __tablename__ = "disposal"
    __table_args__ = (UniqueConstraint("record_class", "record_id", name="uq_disposal_record"),)

    id: int | None = Field(default=None, primary_key=True)
    record_class: str = Field(max_length=16)
    record_id: int
    disposed_at: datetime
    disposed_by: str
    seq: int  # the records_disposed ledger event


class Worker(SQLModel, table=True):
    """A ``modq run`` process: registered at start, its heartbeat renewed while it runs.

    On PostgreSQL any number of them share the accounts through ``account_lease``; on SQLite there is one.
    ``draining``: asked to give back its accounts and stop (``modq workers drain``).
    """

    id: int | None = Field(default=None, primary_key=True)
    host: str = Field(max_length=255)
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    draining: bool = False
    stopped_at: datetime | None = None


class AccountLease(SQLModel, table=True):
    """Which worker polls an account, until when. Renewed by its holder's heartbeat; taken over once expired."""

    __tablename__ = "account_lease"

    account_id: int = Field(primary_key=True, foreign_key="account.id")
    worker_id: int = Field(index=True)
    expires_at: datetime
    taken_at: datetime


class ClusterLease(SQLModel, table=True):
    """A lease on a job the whole cluster runs once (``leader``: calibration, statistics, reports, sweeps...)."""

    __tablename__ = "cluster_lease"

    name: str = Field(primary_key=True, max_length=32)
    worker_id: int
    expires_at: datetime
    taken_at: datetime


class RateBudget(SQLModel, table=True):
    """What one account may still ask of its platform, shared by every worker that holds it in turn.

    ``blocked_until``: the platform said the budget is spent (a rate limit); ``recent``: JSON list of the
    times of the last requests counted against a sliding window (X: 50 hides per 15 minutes).
    """

    __tablename__ = "rate_budget"

    account_id: int = Field(primary_key=True, foreign_key="account.id")
    bucket: str = Field(primary_key=True, max_length=32)
    blocked_until: datetime | None = None
    recent: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))


class ReplyRow(SQLModel, table=True):
    """A templated reply a spokesperson sent (or is sending) under a comment, through the outbox.

    ``text`` is what is published on the platform: the template filled only with the values it allows (never the
    comment's own words). ``platform_id`` is the reply's id on the platform once it is confirmed.
    """

    __tablename__ = "reply"

    id: int | None = Field(default=None, primary_key=True)
    comment_id: int = Field(foreign_key="comment.id", index=True)
    template: str = Field(max_length=64)
    template_sha256: str = Field(max_length=64)
    clause: str = Field(max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_by: str
    created_at: datetime
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id")
    platform_id: str | None = Field(default=None, max_length=128)
    sent_at: datetime | None = None
