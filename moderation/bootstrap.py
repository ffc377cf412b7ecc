"""The composition root: the one place that wires settings, the database, the policy, connectors and the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from moderation.config import Settings
from moderation.services import ModerationService
from moderation.store.db import make_engine, sqlite_path
from moderation.store.migrate import upgrade


def make_service(
    settings: Settings | None = None,
    *,
    database_url: str | None = None,
    migrate: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> ModerationService:
    settings = settings or Settings()
    url = database_url or settings.resolved_database_url()
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    from moderation.connecting import connector_for
    from moderation.services.base import utcnow

    readers = make_engine(url, read_only=True) if sqlite_path(url) else engine
    return ModerationService(
        engine, settings=settings, connector_factory=connector_for, clock=clock or utcnow, read_engine=readers
    )
