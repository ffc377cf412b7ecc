"""The engine at work: alerts, settings, daily statistics, workers, their leases and the platforms' rate budgets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


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
