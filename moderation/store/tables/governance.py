"""Oversight and retention: complaints and their review, private notes on authors, legal holds, disposals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


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
