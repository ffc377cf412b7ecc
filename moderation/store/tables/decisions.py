"""What people and automation decided and what follows: decisions, escalations, moderators, the outbox of
platform actions, suppression orders, rule overrides and replies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


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
