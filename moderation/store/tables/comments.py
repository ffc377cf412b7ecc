"""What the platforms gave us: accounts, posts, comments and their versions, the findings on them, and how a
comment arrived (webhook deliveries)."""

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
    # No index of its own: ``uq_post_account_external`` leads with it.
    account_id: int = Field(foreign_key="account.id")
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
        Index("ix_comment_account_fetched", "account_id", "fetched_at"),
        # Also every query by ``created_at`` alone (its leading column): see docs/architecture.md, "Indexes".
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
    comment_id: int = Field(foreign_key="comment.id")  # ``uq_comment_version`` leads with it
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
