"""The composition root: the one place that wires settings, the database, the policy, connectors and the service.

``build_parts`` builds the service's collaborators on one shared ``Core``, each given the collaborators it calls
(built first, so the order below is the order of their dependencies); ``ModerationService`` is the facade over
them that the CLI, the worker and the TUI call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from moderation.config import Settings
from moderation.services import ModerationService, Parts
from moderation.services.admin import Admin
from moderation.services.alerts import Alerts
from moderation.services.base import Core, utcnow
from moderation.services.complaints import Complaints
from moderation.services.cycle import PollCycle
from moderation.services.decide import Decisions
from moderation.services.demotions import Demotions
from moderation.services.drift import Drift
from moderation.services.ingest import Ingest
from moderation.services.ledger import Ledger
from moderation.services.limits import Limits
from moderation.services.notes import Notes
from moderation.services.orders import Orders
from moderation.services.outbox import Outbox
from moderation.services.outcomes import OutboxOutcomes
from moderation.services.polling import Polling
from moderation.services.queries import Queries
from moderation.services.rates import RateLimits
from moderation.services.records import Records
from moderation.services.replies import Replies
from moderation.services.snapshots import Snapshots
from moderation.services.stats import Stats
from moderation.services.status import WorkerStatus
from moderation.services.sweep import OrderSweep
from moderation.services.transitions import Lifecycle
from moderation.services.triage import Triage
from moderation.services.tui_support import ScreenSupport
from moderation.services.webhooks import Webhooks
from moderation.services.workers import Workers
from moderation.store.db import make_engine, sqlite_path
from moderation.store.migrate import upgrade


def build_parts(core: Core) -> Parts:
    """Every collaborator on ``core``, each handed the ones it calls."""
    lifecycle = Lifecycle(core)
    queries = Queries(core)
    ledger = Ledger(core)
    limits = Limits(core)
    triage = Triage(core, lifecycle)
    ingest = Ingest(core, lifecycle, triage)
    polling = Polling(core, triage, ingest)
    drift = Drift(core, lifecycle, limits)
    rates = RateLimits(core)
    outbox = Outbox(core, OutboxOutcomes(core, drift), rates)
    demotions = Demotions(core, limits)
    sweeps = OrderSweep(core, lifecycle)
    return Parts(
        core=core,
        admin=Admin(core, lifecycle),
        alerts=Alerts(core),
        complaints=Complaints(core, lifecycle),
        cycle=PollCycle(core, demotions, outbox, polling),
        decisions=Decisions(core, lifecycle, queries),
        demotions=demotions,
        drift=drift,
        ingest=ingest,
        ledger=ledger,
        lifecycle=lifecycle,
        limits=limits,
        notes=Notes(core, ledger),
        orders=Orders(core, sweeps),
        outbox=outbox,
        outcomes=outbox.outcomes,
        polling=polling,
        queries=queries,
        rates=rates,
        records=Records(core, ledger),
        replies=Replies(core),
        screens=ScreenSupport(core, queries),
        snapshots=Snapshots(core),
        stats=Stats(core),
        status=WorkerStatus(core),
        sweeps=sweeps,
        triage=triage,
        webhooks=Webhooks(core, ingest, drift),
        workers=Workers(core),
    )


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

    readers = make_engine(url, read_only=True) if sqlite_path(url) else engine
    core = Core(engine, settings=settings, connector_factory=connector_for, clock=clock or utcnow, read_engine=readers)
    return ModerationService(build_parts(core))
