"""Plain read models returned by the service to the CLI, the TUI and the report.

They carry no database session, so callers in other threads can keep them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class Plain:
    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload, no-any-return]


@dataclass(frozen=True)
class QueueItem(Plain):
    id: int
    platform: str
    account: str
    account_name: str
    external_id: str
    state: str
    priority: int
    severity: str | None
    clauses: list[str]
    author_name: str
    author_handle: str
    created_at: datetime
    preview: str
    shadow: bool
    version: int
    claimed_by: str | None
    claimed_until: datetime | None
    is_reply: bool


@dataclass(frozen=True)
class FindingView(Plain):
    rule_id: str
    clause: str
    severity: str
    action: str
    mode: str
    start: int
    end: int
    match: str
    confidence: float
    explanation: str
    rule_hash: str
    policy_version: str


@dataclass(frozen=True)
class DecisionResult(Plain):
    """A decision just recorded (by ``decide`` or ``undo``): what changed, and what it replaced."""

    id: int
    comment_id: int
    actor: str
    action: str
    from_state: str
    to_state: str
    from_hidden: bool | None
    to_hidden: bool | None
    clauses: list[str]
    note: str
    undo_of: int | None
    created_at: datetime


@dataclass(frozen=True)
class DecisionView(Plain):
    id: int
    actor: str
    action: str
    from_state: str
    to_state: str
    clauses: list[str]
    rules: list[dict[str, str]]
    policy_version: str
    note: str
    undone: bool
    created_at: datetime


@dataclass(frozen=True)
class EscalationView(Plain):
    id: int
    comment_id: int
    route: str
    status: str
    assignee: str | None
    clause: str
    notes: str
    due_at: datetime
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    preview: str = ""
    breached: bool = False


@dataclass(frozen=True)
class LedgerView(Plain):
    seq: int
    at: str
    kind: str
    actor: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class OutboxView(Plain):
    id: int
    action: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class CommentDetail(Plain):
    item: QueueItem
    text: str
    url: str
    parent_external_id: str | None
    post_text: str
    post_url: str
    author_id: str
    platform_hidden: bool | None
    platform_deleted: bool
    intended_hidden: bool
    own_conversation: bool
    versions: list[dict[str, Any]]
    findings: list[FindingView]
    shadow_findings: list[FindingView]
    decisions: list[DecisionView]
    escalations: list[EscalationView]
    ledger: list[LedgerView]
    outbox: list[OutboxView]
    neighbours: list[QueueItem] = field(default_factory=list)
    author_history: list[QueueItem] = field(default_factory=list)
    author_hidden_count: int = 0


@dataclass(frozen=True)
class IngestReport(Plain):
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    lines: int = 0
    # Comments triaged with the ingest (in the same transactions), by the state they went to.
    triaged: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class TriageReport(Plain):
    triaged: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountView(Plain):
    id: int
    platform: str
    external_id: str
    name: str
    token_env: str | None
    api_base: str | None
    poll_seconds: int
    enabled: bool
    activated_at: datetime | None
    last_poll_at: datetime | None
    last_error: str | None
    cursor: str | None
    settings: dict[str, Any]


@dataclass(frozen=True)
class ModeratorView(Plain):
    name: str
    role: str
    active: bool
    created_at: datetime
    spokesperson: bool = False  # authorised to reply on the department's accounts


@dataclass(frozen=True)
class AlertView(Plain):
    id: int
    kind: str
    message: str
    created_at: datetime
    account_id: int | None
    rule_id: str | None
    key: str | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    emailed_at: datetime | None
    cleared_at: datetime | None
