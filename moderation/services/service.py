"""``ModerationService``: the one entry point the CLI, the worker and the TUI share, a thin facade.

The work is done by collaborators, one per group of use cases (ingest, triage, decisions, orders, the outbox,
the worker's jobs, queries, people…), each built on the shared ``Core`` and opening its own transactions;
``moderation.bootstrap`` builds them and hands them here as ``Parts``. Each public method of the facade is the
collaborator's method itself, with its exact signature (``delegate``): nothing here holds state or logic, and
no method hands out a database row (decisions come back as ``DecisionResult``, everything else as the plain
views of ``moderation.services.views`` and the collaborators' modules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from .admin import Admin
from .alerts import Alerts
from .base import Core
from .complaints import Complaints
from .cycle import PollCycle
from .decide import Decisions
from .demotions import Demotions
from .drift import Drift
from .ingest import Ingest
from .ledger import Ledger
from .limits import Limits
from .notes import Notes
from .orders import Orders
from .outbox import Outbox
from .outcomes import OutboxOutcomes
from .polling import Polling
from .queries import Queries
from .rates import RateLimits
from .records import Records
from .replies import Replies
from .snapshots import Snapshots
from .stats import Stats
from .status import WorkerStatus
from .sweep import OrderSweep
from .transitions import Lifecycle
from .triage import Triage
from .tui_support import ScreenSupport
from .webhooks import Webhooks
from .workers import Workers

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from moderation.config import Settings
    from moderation.ports import Connector
    from moderation.rules import Policy
    from moderation.store.tables import Account

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


@dataclass(frozen=True)
class Parts:
    """The collaborators of one service, all on one ``Core`` (built by ``moderation.bootstrap.build_parts``)."""

    core: Core
    admin: Admin
    alerts: Alerts
    complaints: Complaints
    cycle: PollCycle
    decisions: Decisions
    demotions: Demotions
    drift: Drift
    ingest: Ingest
    ledger: Ledger
    lifecycle: Lifecycle
    limits: Limits
    notes: Notes
    orders: Orders
    outbox: Outbox
    outcomes: OutboxOutcomes
    polling: Polling
    queries: Queries
    rates: RateLimits
    records: Records
    replies: Replies
    screens: ScreenSupport
    snapshots: Snapshots
    stats: Stats
    status: WorkerStatus
    sweeps: OrderSweep
    triage: Triage
    webhooks: Webhooks
    workers: Workers


def delegate(
    method: Callable[Concatenate[T, P], R], part: Callable[[ModerationService], T]
) -> Callable[Concatenate[ModerationService, P], R]:
    """A facade method that calls ``method`` on the collaborator ``part`` picks: same parameters, same result."""

    @wraps(method)
    def call(self: ModerationService, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return method(part(self), *args, **kwargs)

    return call


class ModerationService:
    def __init__(self, parts: Parts) -> None:
        self.parts = parts

    # admin
    mark_demo = delegate(Admin.mark_demo, lambda s: s.parts.admin)
    is_demo = delegate(Admin.is_demo, lambda s: s.parts.admin)
    act_as = delegate(Admin.act_as, lambda s: s.parts.admin)
    ensure_first_admin = delegate(Admin.ensure_first_admin, lambda s: s.parts.admin)
    add_moderator = delegate(Admin.add_moderator, lambda s: s.parts.admin)
    set_role = delegate(Admin.set_role, lambda s: s.parts.admin)
    deactivate_moderator = delegate(Admin.deactivate_moderator, lambda s: s.parts.admin)
    reactivate_moderator = delegate(Admin.reactivate_moderator, lambda s: s.parts.admin)
    moderators = delegate(Admin.moderators, lambda s: s.parts.admin)
    role_of = delegate(Admin.role_of, lambda s: s.parts.admin)
    add_account = delegate(Admin.add_account, lambda s: s.parts.admin)
    account_history = delegate(Admin.account_history, lambda s: s.parts.admin)
    accounts = delegate(Admin.accounts, lambda s: s.parts.admin)
    account = delegate(Admin.account, lambda s: s.parts.admin)
    remove_account = delegate(Admin.remove_account, lambda s: s.parts.admin)
    check_access = delegate(Admin.check_access, lambda s: s.parts.admin)
    set_automation = delegate(Admin.set_automation, lambda s: s.parts.admin)
    # alerts
    scan_alerts = delegate(Alerts.scan_alerts, lambda s: s.parts.alerts)
    alerts = delegate(Alerts.alerts, lambda s: s.parts.alerts)
    acknowledge_alerts = delegate(Alerts.acknowledge_alerts, lambda s: s.parts.alerts)
    digest_due = delegate(Alerts.digest_due, lambda s: s.parts.alerts)
    mark_emailed = delegate(Alerts.mark_emailed, lambda s: s.parts.alerts)
    # complaints
    tz = delegate(Complaints.tz, lambda s: s.parts.complaints)
    today = delegate(Complaints.today, lambda s: s.parts.complaints)
    add_complaint = delegate(Complaints.add_complaint, lambda s: s.parts.complaints)
    complaints = delegate(Complaints.complaints, lambda s: s.parts.complaints)
    complaint = delegate(Complaints.complaint, lambda s: s.parts.complaints)
    review_complaint = delegate(Complaints.review_complaint, lambda s: s.parts.complaints)
    # cycle
    poll_cycle = delegate(PollCycle.poll_cycle, lambda s: s.parts.cycle)
    # decisions
    decide = delegate(Decisions.decide, lambda s: s.parts.decisions)
    reroute_escalation = delegate(Decisions.reroute_escalation, lambda s: s.parts.decisions)
    undo = delegate(Decisions.undo, lambda s: s.parts.decisions)
    claim = delegate(Decisions.claim, lambda s: s.parts.decisions)
    release = delegate(Decisions.release, lambda s: s.parts.decisions)
    # demotions
    check_circuit_breakers = delegate(Demotions.check_circuit_breakers, lambda s: s.parts.demotions)
    check_calibration = delegate(Demotions.check_calibration, lambda s: s.parts.demotions)
    # drift
    reconcile = delegate(Drift.reconcile, lambda s: s.parts.drift)
    # ingest
    ingest_file = delegate(Ingest.ingest_file, lambda s: s.parts.ingest)
    ingest_stream = delegate(Ingest.ingest_stream, lambda s: s.parts.ingest)
    ingest_comments = delegate(Ingest.ingest_comments, lambda s: s.parts.ingest)
    # ledger
    ledger_verify = delegate(Ledger.ledger_verify, lambda s: s.parts.ledger)
    ledger_events = delegate(Ledger.ledger_events, lambda s: s.parts.ledger)
    ledger_export = delegate(Ledger.ledger_export, lambda s: s.parts.ledger)
    redact_ledger = delegate(Ledger.redact_ledger, lambda s: s.parts.ledger)
    ledger_view = delegate(Ledger.ledger_view, lambda s: s.parts.ledger)
    # limits
    limits = delegate(Limits.limits, lambda s: s.parts.limits)
    set_limit = delegate(Limits.set_limit, lambda s: s.parts.limits)
    overrides = delegate(Limits.overrides, lambda s: s.parts.limits)
    clear_override = delegate(Limits.clear_override, lambda s: s.parts.limits)
    # notes
    add_author_note = delegate(Notes.add_author_note, lambda s: s.parts.notes)
    author_notes = delegate(Notes.author_notes, lambda s: s.parts.notes)
    notes_for_comment = delegate(Notes.notes_for_comment, lambda s: s.parts.notes)
    redact_author_note = delegate(Notes.redact_author_note, lambda s: s.parts.notes)
    # orders
    add_order = delegate(Orders.add_order, lambda s: s.parts.orders)
    orders = delegate(Orders.orders, lambda s: s.parts.orders)
    revoke_order = delegate(Orders.revoke_order, lambda s: s.parts.orders)
    import_orders = delegate(Orders.import_orders, lambda s: s.parts.orders)
    department_zone = delegate(Orders.department_zone, lambda s: s.parts.orders)
    order_window = delegate(Orders.order_window, lambda s: s.parts.orders)
    # sweeps
    sweep = delegate(OrderSweep.sweep, lambda s: s.parts.sweeps)
    sweep_due = delegate(OrderSweep.sweep_due, lambda s: s.parts.sweeps)
    # outbox
    outbox_backlog = delegate(Outbox.outbox_backlog, lambda s: s.parts.outbox)
    recover_outbox = delegate(Outbox.recover_outbox, lambda s: s.parts.outbox)
    apply_outbox = delegate(Outbox.apply_outbox, lambda s: s.parts.outbox)
    # polling
    poll_account = delegate(Polling.poll_account, lambda s: s.parts.polling)
    # queries
    queue = delegate(Queries.queue, lambda s: s.parts.queries)
    counts = delegate(Queries.counts, lambda s: s.parts.queries)
    similar = delegate(Queries.similar, lambda s: s.parts.queries)
    detail = delegate(Queries.detail, lambda s: s.parts.queries)
    find_comment = delegate(Queries.find_comment, lambda s: s.parts.queries)
    version_of = delegate(Queries.version_of, lambda s: s.parts.queries)
    escalations = delegate(Queries.escalations, lambda s: s.parts.queries)
    # rates
    take_rate_slot = delegate(RateLimits.take_rate_slot, lambda s: s.parts.rates)
    block_rate = delegate(RateLimits.block_rate, lambda s: s.parts.rates)
    # records
    add_hold = delegate(Records.add_hold, lambda s: s.parts.records)
    release_hold = delegate(Records.release_hold, lambda s: s.parts.records)
    holds = delegate(Records.holds, lambda s: s.parts.records)
    records_due = delegate(Records.records_due, lambda s: s.parts.records)
    dispose_records = delegate(Records.dispose_records, lambda s: s.parts.records)
    # replies
    set_spokesperson = delegate(Replies.set_spokesperson, lambda s: s.parts.replies)
    spokespeople = delegate(Replies.spokespeople, lambda s: s.parts.replies)
    reply_templates = delegate(Replies.reply_templates, lambda s: s.parts.replies)
    reply_template = delegate(Replies.reply_template, lambda s: s.parts.replies)
    preview_reply = delegate(Replies.preview_reply, lambda s: s.parts.replies)
    send_reply = delegate(Replies.send_reply, lambda s: s.parts.replies)
    replies = delegate(Replies.replies, lambda s: s.parts.replies)
    # snapshots
    snapshot_stats = delegate(Snapshots.snapshot_stats, lambda s: s.parts.snapshots)
    stats_missing = delegate(Snapshots.stats_missing, lambda s: s.parts.snapshots)
    # stats
    report_period = delegate(Stats.report_period, lambda s: s.parts.stats)
    moderation_hours = delegate(Stats.moderation_hours, lambda s: s.parts.stats)
    stats = delegate(Stats.stats, lambda s: s.parts.stats)
    clause_titles = delegate(Stats.clause_titles, lambda s: s.parts.stats)
    report = delegate(Stats.report, lambda s: s.parts.stats)
    write_monthly_report = delegate(Stats.write_monthly_report, lambda s: s.parts.stats)
    parse_day = staticmethod(Stats.parse_day)
    # status
    heartbeat = delegate(WorkerStatus.heartbeat, lambda s: s.parts.status)
    last_heartbeat = delegate(WorkerStatus.last_heartbeat, lambda s: s.parts.status)
    account_status = delegate(WorkerStatus.account_status, lambda s: s.parts.status)
    open_alerts = delegate(WorkerStatus.open_alerts, lambda s: s.parts.status)
    # triage
    automation_paused = delegate(Triage.automation_paused, lambda s: s.parts.triage)
    triage_pending = delegate(Triage.triage_pending, lambda s: s.parts.triage)
    # screens
    change_token = delegate(ScreenSupport.change_token, lambda s: s.parts.screens)
    open_counts = delegate(ScreenSupport.open_counts, lambda s: s.parts.screens)
    queue_findings = delegate(ScreenSupport.queue_findings, lambda s: s.parts.screens)
    detail_context = delegate(ScreenSupport.detail_context, lambda s: s.parts.screens)
    author_decisions = delegate(ScreenSupport.author_decisions, lambda s: s.parts.screens)
    # webhooks
    accept_delivery = delegate(Webhooks.accept_delivery, lambda s: s.parts.webhooks)
    accept_deliveries = delegate(Webhooks.accept_deliveries, lambda s: s.parts.webhooks)
    pending_deliveries = delegate(Webhooks.pending_deliveries, lambda s: s.parts.webhooks)
    webhook_backlog = delegate(Webhooks.webhook_backlog, lambda s: s.parts.webhooks)
    last_webhooks = delegate(Webhooks.last_webhooks, lambda s: s.parts.webhooks)
    process_delivery = delegate(Webhooks.process_delivery, lambda s: s.parts.webhooks)
    process_deliveries = delegate(Webhooks.process_deliveries, lambda s: s.parts.webhooks)
    arrival_of = delegate(Webhooks.arrival_of, lambda s: s.parts.webhooks)
    delivery_row = delegate(Webhooks.delivery_row, lambda s: s.parts.webhooks)
    subscribe_account = delegate(Webhooks.subscribe_account, lambda s: s.parts.webhooks)
    # workers
    register_worker = delegate(Workers.register_worker, lambda s: s.parts.workers)
    stop_worker = delegate(Workers.stop_worker, lambda s: s.parts.workers)
    touch_worker = delegate(Workers.touch_worker, lambda s: s.parts.workers)
    drain_worker = delegate(Workers.drain_worker, lambda s: s.parts.workers)
    workers = delegate(Workers.workers, lambda s: s.parts.workers)
    leader_id = delegate(Workers.leader_id, lambda s: s.parts.workers)
    worker_beat = delegate(Workers.worker_beat, lambda s: s.parts.workers)
    release_accounts = delegate(Workers.release_accounts, lambda s: s.parts.workers)
    release_leader = delegate(Workers.release_leader, lambda s: s.parts.workers)
    check_lease = delegate(Workers.check_lease, lambda s: s.parts.workers)
    recover_gone_claims = delegate(Workers.recover_gone_claims, lambda s: s.parts.workers)

    # the shared core: the database, the settings, the policy and the clock (tools and tests read them)
    @property
    def engine(self) -> Engine:
        return self.parts.core.engine

    @property
    def read_engine(self) -> Engine:
        return self.parts.core.read_engine

    @property
    def settings(self) -> Settings:
        return self.parts.core.settings

    @property
    def policy(self) -> Policy:
        return self.parts.core.policy

    @property
    def _policy(self) -> Policy | None:
        """The compiled policy if it is loaded yet (tests share one compiled policy between services)."""
        return self.parts.core._policy

    @_policy.setter
    def _policy(self, value: Policy | None) -> None:
        self.parts.core._policy = value

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.parts.core.clock

    @property
    def connector_factory(self) -> Callable[[Account], Connector] | None:
        return self.parts.core.connector_factory

    @property
    def worker_id(self) -> int | None:
        """The worker this service acts for (set by ``modq run``; outbox claims record it)."""
        return self.parts.core.worker_id

    @worker_id.setter
    def worker_id(self, value: int | None) -> None:
        self.parts.core.worker_id = value

    tx = delegate(Core.tx, lambda s: s.parts.core)
    read = delegate(Core.read, lambda s: s.parts.core)
    now = delegate(Core.now, lambda s: s.parts.core)
    take_notices = delegate(Core.take_notices, lambda s: s.parts.core)
    dumps = staticmethod(Core.dumps)
