"""The public record: the hash-chained events, their sensitive fields kept beside the chain, and the chain's tip."""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel


class LedgerEvent(SQLModel, table=True):
    """The public record. ``hash`` = SHA-256 over the previous event's hash and this event's canonical content.

    The hash is kept as its 32 bytes; the previous event's hash is not stored again (``verify`` and the
    exports read it from the event before).
    """

    __tablename__ = "ledger_event"
    __table_args__ = (Index("ix_ledger_event_at_kind", "at", "kind"),)

    seq: int = Field(primary_key=True)
    at: str
    kind: str
    comment_id: int | None = Field(default=None, index=True)
    actor: str
    payload: str = Field(sa_column=Column(Text, nullable=False))
    hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


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
