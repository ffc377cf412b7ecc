"""Settings from the environment (prefix ``MODQ_``). Built once by the composition root, never at import."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "modq"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODQ_", extra="ignore")

    database_url: str | None = None
    policy_dir: Path | None = None
    # Hours (local time) during which moderators are on duty; used by statistics.
    moderation_hours: str = "09:00-17:00"
    timezone: str = "Australia/Melbourne"
    # Hours before an escalation breaches its SLA, per route.
    sla_legal_hours: int = 4
    sla_privacy_hours: int = 24
    sla_media_hours: int = 24
    claim_minutes: int = 5
    report_dir: Path | None = None
    # Years each class of record is kept (moderation/domain/retention.py), e.g. {"comment": 7}; JSON in the env.
    retention_years: dict[str, int] = {}

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{default_data_dir() / 'modq.db'}"
